package io.streamscore.app;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamscore.config.ConfigLoader;
import io.streamscore.config.StreamScoreConfig;
import io.streamscore.model.ModelLoadException;
import io.streamscore.source.MappingException;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/**
 * Start-up refuses a configuration that cannot work before it touches Kafka: these run with no
 * broker and no bootstrap servers, and would start the embedded broker if validation came too late.
 */
class StreamScoreServiceTest {

  @Test
  void shouldRefuseToStartWhenAFieldCannotFeedItsModelInputNamingSourceFieldInputAndTypes() {
    StreamScoreConfig config = ConfigLoader.load(Optional.empty(), Map.of(), Map.of("source.web.input.hour_of_day", "customer_account_age_days"));
    MappingException e = assertThrows(MappingException.class, () -> StreamScoreService.start(config));
    assertTrue(e.getMessage().contains("source 'web'"), e.getMessage());
    assertTrue(e.getMessage().contains("'customer_account_age_days' (Avro long)"), e.getMessage());
    assertTrue(e.getMessage().contains("'hour_of_day' (DT_INT32 [-1])"), e.getMessage());
  }

  @Test
  void shouldRefuseToStartWhenASignatureInputIsNotMapped() {
    Map<String, String> values = new java.util.TreeMap<>(ConfigLoader.read(Optional.empty()));
    values.remove("source.mobile.input.velocity");
    MappingException e = assertThrows(MappingException.class, () -> StreamScoreService.start(new StreamScoreConfig(values)));
    assertTrue(e.getMessage().contains("source 'mobile' does not map model input 'velocity' (DT_FLOAT [-1, 3])"), e.getMessage());
  }

  @Test
  void shouldRefuseToStartWithoutAModelNamingThePath() {
    StreamScoreConfig config = ConfigLoader.load(Optional.empty(), Map.of(), Map.of("model.path", "models/no-such-model"));
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> StreamScoreService.start(config));
    assertTrue(e.getMessage().contains("no-such-model"), e.getMessage());
  }

  @Test
  void shouldRefuseAnEnvironmentOverrideWithAnInvalidValueNamingTheKey() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(Optional.empty(), Map.of("STREAMSCORE_NUM_STREAM_THREADS", "many"), Map.of()));
    assertTrue(e.getMessage().contains("num.stream.threads"), e.getMessage());
  }
}
