package io.streamscore.model.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class VersionCompletenessTest {
  private static Map<String, StoredObject> objects(String... paths) {
    Map<String, StoredObject> map = new TreeMap<>();
    for (String p : paths) {
      map.put(p, new StoredObject(p, 10, "etag-" + p));
    }
    return map;
  }

  @Test
  void shouldTakeAVersionWithItsMarkerGraphIndexAndEveryShard() {
    Map<String, StoredObject> v = objects("saved_model.pb", "variables/variables.index", "variables/variables.data-00000-of-00002",
        "variables/variables.data-00001-of-00002", "assets/vocab.txt", "_COMPLETE");
    assertEquals(Optional.empty(), VersionCompleteness.notReady(v));
  }

  @Test
  void shouldWaitForTheMarkerEvenWhenEveryFileSeemsThere() {
    Map<String, StoredObject> v = objects("saved_model.pb", "variables/variables.index", "variables/variables.data-00000-of-00001");
    assertTrue(VersionCompleteness.notReady(v).orElseThrow().startsWith("no _COMPLETE marker yet:"), VersionCompleteness.notReady(v).toString());
  }

  @Test
  void shouldRefuseAMarkerWrittenBeforeAShard() {
    Map<String, StoredObject> v = objects("saved_model.pb", "variables/variables.index", "variables/variables.data-00000-of-00002",
        "_COMPLETE");
    assertEquals(Optional.of("_COMPLETE marker present but variables.data shard(s) 1 of 2 not uploaded yet"), VersionCompleteness.notReady(v));
  }

  @Test
  void shouldWaitForAShardItsSiblingsNamesPromise() {
    Map<String, StoredObject> v = objects("saved_model.pb", "variables/variables.index", "variables/variables.data-00000-of-00003",
        "variables/variables.data-00002-of-00003");
    assertEquals(Optional.of("variables.data shard(s) 1 of 3 not uploaded yet"), VersionCompleteness.missing(v));
  }

  @Test
  void shouldWaitForTheGraphTheIndexAndTheData() {
    assertEquals(Optional.of("no saved_model.pb"), VersionCompleteness.missing(objects("variables/variables.index")));
    assertEquals(Optional.of("variable shards but no variables/variables.index"),
        VersionCompleteness.missing(objects("saved_model.pb", "variables/variables.data-00000-of-00001")));
    assertEquals(Optional.of("variables/variables.index but no variables.data shard"),
        VersionCompleteness.missing(objects("saved_model.pb", "variables/variables.index")));
  }

  @Test
  void shouldTakeAGraphWithoutVariables() {
    assertEquals(Optional.empty(), VersionCompleteness.missing(objects("saved_model.pb")));
  }
}
