package io.streamscore.model.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamscore.model.VersionPolicy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class SyncPlanTest {
  private static final List<String> WHOLE = List.of("saved_model.pb", "variables/variables.index", "variables/variables.data-00000-of-00001",
      "_COMPLETE");

  private static Map<String, StoredObject> version(String etagSuffix, List<String> paths) {
    Map<String, StoredObject> objects = new TreeMap<>();
    paths.forEach(p -> objects.put(p, new StoredObject(p, 10, "\"" + p + etagSuffix + "\"")));
    return objects;
  }

  private static Map<String, StoredObject> whole() {
    return version("", WHOLE);
  }

  private static Map<String, StoredObject> noMarker() {
    return version("", WHOLE.subList(0, 3));
  }

  private static Map<Long, Map<String, StoredObject>> listing(Object... versionsAndObjects) {
    Map<Long, Map<String, StoredObject>> map = new HashMap<>();
    for (int i = 0; i < versionsAndObjects.length; i += 2) {
      @SuppressWarnings("unchecked")
      Map<String, StoredObject> objects = (Map<String, StoredObject>) versionsAndObjects[i + 1];
      map.put(((Number) versionsAndObjects[i]).longValue(), objects);
    }
    return map;
  }

  @Test
  void shouldDownloadOnlyTheNewestCompleteVersionAtStartUp() {
    SyncPlan plan = SyncPlan.of(VersionPolicy.latest(), listing(1, whole(), 2, whole()), Map.of(), OptionalLong.empty());
    assertEquals(OptionalLong.of(2), plan.download());
    assertEquals(Set.of(), plan.evict());
  }

  @Test
  void shouldNotLetANewerIncompleteVersionHideAnOlderCompleteOne() {
    SyncPlan plan = SyncPlan.of(VersionPolicy.latest(), listing(1, whole(), 2, noMarker()), Map.of(), OptionalLong.empty());
    assertEquals(OptionalLong.of(1), plan.download());
    assertTrue(plan.waiting().get(2L).contains("no _COMPLETE marker"), plan.waiting().toString());
  }

  @Test
  void shouldDownloadNothingWhenTheListingIsUnchanged() {
    SyncPlan plan = SyncPlan.of(VersionPolicy.latest(), listing(1, whole()), listing(1, whole()), OptionalLong.of(1));
    assertEquals(OptionalLong.empty(), plan.download());
    assertEquals(Set.of(), plan.evict());
    assertEquals(OptionalLong.empty(), plan.changedWhileServed());
  }

  @Test
  void shouldKeepTheServedVersionBesideTheNextAndEvictItOnceTheNextIsServed() {
    SyncPlan trying = SyncPlan.of(VersionPolicy.latest(), listing(1, whole(), 2, whole()), listing(1, whole()), OptionalLong.of(1));
    assertEquals(OptionalLong.of(2), trying.download());
    assertEquals(Set.of(), trying.evict());
    SyncPlan swapped = SyncPlan.of(VersionPolicy.latest(), listing(1, whole(), 2, whole()), listing(1, whole(), 2, whole()), OptionalLong.of(2));
    assertEquals(new TreeSet<>(List.of(1L)), swapped.evict());
  }

  @Test
  void shouldKeepARefusedChoiceCachedSoItIsNotDownloadedAgain() {
    // Version 2 was downloaded and refused by the manager: version 1 is still served.
    SyncPlan plan = SyncPlan.of(VersionPolicy.latest(), listing(1, whole(), 2, whole()), listing(1, whole(), 2, whole()), OptionalLong.of(1));
    assertEquals(OptionalLong.empty(), plan.download());
    assertEquals(Set.of(), plan.evict());
  }

  @Test
  void shouldDownloadARefusedChoiceAgainOnceItsObjectsChange() {
    SyncPlan plan = SyncPlan.of(VersionPolicy.latest(), listing(1, whole(), 2, version("-fixed", WHOLE)), listing(1, whole(), 2, whole()),
        OptionalLong.of(1));
    assertEquals(OptionalLong.of(2), plan.download());
  }

  @Test
  void shouldNeverDownloadTheServedVersionAgainWhenItChangesInPlaceButSaySo() {
    SyncPlan plan = SyncPlan.of(VersionPolicy.latest(), listing(1, version("-rewritten", WHOLE)), listing(1, whole()), OptionalLong.of(1));
    assertEquals(OptionalLong.empty(), plan.download());
    assertEquals(OptionalLong.of(1), plan.changedWhileServed());
    assertEquals(Set.of(), plan.evict());
  }

  @Test
  void shouldRollBackWhenTheServedVersionLeavesTheStore() {
    SyncPlan plan = SyncPlan.of(VersionPolicy.latest(), listing(1, whole()), listing(2, whole()), OptionalLong.of(2));
    assertEquals(OptionalLong.of(1), plan.download());
    assertEquals(new TreeSet<>(List.of(2L)), plan.evict());
  }

  @Test
  void shouldKeepServingWhenTheSpecificVersionIsNotInTheStore() {
    SyncPlan plan = SyncPlan.of(VersionPolicy.specific(7), listing(1, whole(), 2, whole()), listing(1, whole()), OptionalLong.of(1));
    assertEquals(OptionalLong.empty(), plan.download());
    assertEquals(Set.of(), plan.evict());
  }

  @Test
  void shouldTakeOnlyTheSpecificVersion() {
    SyncPlan plan = SyncPlan.of(VersionPolicy.specific(1), listing(1, whole(), 2, whole()), Map.of(), OptionalLong.empty());
    assertEquals(OptionalLong.of(1), plan.download());
  }
}
