package io.streamscore.model.store;

import io.streamscore.model.ModelVersions;
import io.streamscore.model.VersionPolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one poll of a bucket does to the local cache: which version to download and which cached
 * versions to delete. Only the version the policy picks among the complete ones is downloaded, so
 * a newer half-uploaded version never hides an older complete one, and at most two versions are on
 * disk: the served one and the one about to be tried.
 *
 * <p>A version is identified by its objects' paths, sizes and ETags, never by timestamps: a
 * listing that shows the same objects downloads nothing (Triton's users report reloads that never
 * end when a store's timestamps move, triton-inference-server/server#2147). A served version whose
 * objects change in place is not downloaded again, as a local directory rewritten in place is not
 * reloaded: a new version gets a new number. Pure: no I/O.
 *
 * @param download the version to download, when the policy's choice is not cached as listed
 * @param evict cached versions to delete: neither the policy's choice nor the served version
 * @param waiting versions in the store not complete yet, with why
 * @param changedWhileServed the served version, when its objects in the store differ from those downloaded
 */
public record SyncPlan(OptionalLong download, SortedSet<Long> evict, SortedMap<Long, String> waiting, OptionalLong changedWhileServed) {

  public SyncPlan {
    evict = new TreeSet<>(evict);
    waiting = new TreeMap<>(waiting);
  }

  /**
   * @param policy which version to serve among the complete ones
   * @param listing each version in the store and its objects
   * @param cached each version in the cache and the objects it was downloaded from
   * @param serving the version the manager serves; empty before the first load
   */
  public static SyncPlan of(VersionPolicy policy, Map<Long, Map<String, StoredObject>> listing, Map<Long, Map<String, StoredObject>> cached,
                            OptionalLong serving) {
    SortedMap<Long, String> waiting = new TreeMap<>();
    List<ModelVersions.Version> complete = new ArrayList<>();
    for (Map.Entry<Long, Map<String, StoredObject>> version : new TreeMap<>(listing).entrySet()) {
      Optional<String> notReady = VersionCompleteness.notReady(version.getValue());
      if (notReady.isPresent()) {
        waiting.put(version.getKey(), notReady.get());
      } else {
        complete.add(new ModelVersions.Version(version.getKey(), Path.of(Long.toString(version.getKey()))));
      }
    }
    Optional<Long> wanted = policy.choose(complete).map(ModelVersions.Version::number);
    OptionalLong download = OptionalLong.empty();
    OptionalLong changedWhileServed = OptionalLong.empty();
    if (wanted.isPresent()) {
      long w = wanted.get();
      boolean current = listing.get(w).equals(cached.get(w));
      if (serving.isPresent() && serving.getAsLong() == w) {
        if (!current && cached.containsKey(w)) {
          changedWhileServed = OptionalLong.of(w);
        } else if (!cached.containsKey(w)) {
          download = OptionalLong.of(w);
        }
      } else if (!current) {
        download = OptionalLong.of(w);
      }
    }
    Set<Long> keep = new TreeSet<>();
    wanted.ifPresent(keep::add);
    if (serving.isPresent() && complete.stream().anyMatch(v -> v.number() == serving.getAsLong())) {
      keep.add(serving.getAsLong());
    }
    SortedSet<Long> evict = new TreeSet<>(cached.keySet());
    evict.removeAll(keep);
    return new SyncPlan(download, evict, waiting, changedWhileServed);
  }
}
