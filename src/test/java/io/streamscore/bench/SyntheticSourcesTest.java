package io.streamscore.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.streamscore.config.ConfigLoader;
import io.streamscore.config.SourceDefinition;
import io.streamscore.config.StreamScoreConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SyntheticSourcesTest {
  @Test
  void copiesTheDeclaredSourcesInTurnUnderNewNamesWithAllTheirKeys() {
    Map<String, String> config = Map.of("sources", "a,b", "source.a.schema", "A.avsc", "source.a.input.x", "f",
        "source.b.schema", "B.avsc", "model.path", "m");

    Map<String, String> five = SyntheticSources.expand(config, 5);

    assertEquals("a,b,a-2,b-2,a-3", five.get("sources"));
    assertEquals("A.avsc", five.get("source.a-3.schema"));
    assertEquals("f", five.get("source.a-2.input.x"));
    assertEquals("B.avsc", five.get("source.b-2.schema"));
    assertEquals("m", five.get("model.path"));
  }

  @Test
  void leavesAConfigurationWithEnoughSourcesAsItIs() {
    Map<String, String> config = Map.of("sources", "a,b", "source.a.schema", "A.avsc");
    assertSame(config, SyntheticSources.expand(config, 0));
    assertSame(config, SyntheticSources.expand(config, 2));
  }

  @Test
  void twelveSourcesFromTheDemoConfigurationAreAValidConfiguration() {
    Map<String, String> twelve = SyntheticSources.expand(ConfigLoader.read(Optional.empty()), 12);

    List<SourceDefinition> sources = new StreamScoreConfig(twelve).sources();

    assertEquals(12, sources.size());
    assertEquals(sources.get(0).schema(), sources.get(3).schema(), "the 4th is a copy of the 1st");
  }
}
