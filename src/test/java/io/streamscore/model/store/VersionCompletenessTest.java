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
  void shouldTakeAVersionWithItsGraphIndexAndEveryShardOnceTwoListingsAgree() {
    Map<String, StoredObject> v = objects("saved_model.pb", "variables/variables.index", "variables/variables.data-00000-of-00002",
        "variables/variables.data-00001-of-00002", "assets/vocab.txt");
    assertEquals(Optional.empty(), VersionCompleteness.missing(v));
    assertEquals(Optional.empty(), VersionCompleteness.notReady(objects(v.keySet().toArray(String[]::new)), v));
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

  @Test
  void shouldWaitWhileAnObjectIsAddedOrRewrittenBetweenTwoListings() {
    Map<String, StoredObject> now = objects("saved_model.pb", "variables/variables.index", "variables/variables.data-00000-of-00001");
    Map<String, StoredObject> fewer = new TreeMap<>(now);
    fewer.remove("variables/variables.index");
    assertTrue(VersionCompleteness.notReady(fewer, now).orElseThrow().contains("changed since the last listing"));
    Map<String, StoredObject> rewritten = new TreeMap<>(now);
    rewritten.put("saved_model.pb", new StoredObject("saved_model.pb", 10, "another etag"));
    assertTrue(VersionCompleteness.notReady(rewritten, now).isPresent(), "a rewritten object is a change");
  }

  @Test
  void shouldParseABucketAndPrefixAndRefuseWhatIsNotOne() {
    S3Location location = S3Location.parse("s3://models-prod/fraud/detector/");
    assertEquals("models-prod", location.bucket());
    assertEquals("fraud/detector/3/", location.versionPrefix(3));
    assertEquals("", S3Location.parse("s3://models-prod").keyPrefix());
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> S3Location.parse("s3://Models_Prod/x"));
    assertTrue(e.getMessage().contains("is not a bucket name"), e.getMessage());
  }
}
