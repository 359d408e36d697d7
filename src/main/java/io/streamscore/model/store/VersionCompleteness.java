package io.streamscore.model.store;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * When a version in a store is complete enough to download: the rule that keeps a half-uploaded
 * version from ever being loaded. Object stores have no atomic directory rename, and a training
 * pipeline uploads a SavedModel object by object; TensorFlow Serving's and Triton's users report
 * such versions being loaded. A version is taken when both hold:
 *
 * <ol>
 *   <li><b>its files are all there</b>: {@code saved_model.pb}, {@code variables/variables.index}
 *       and every shard the shards' own names promise ({@code variables.data-00000-of-00002} and
 *       {@code -00001-of-00002}); a version without variables has neither index nor shards;
 *   <li><b>it is stable</b>: two listings a poll interval apart show the same objects, with the
 *       same sizes and ETags, so an upload still adding or rewriting objects is waited out.
 * </ol>
 *
 * A pipeline that uploads {@code saved_model.pb} last, or into a new version number, is never
 * caught half-way; one that rewrites a served version's objects has the new objects taken once
 * stable. Pure: no I/O.
 */
public final class VersionCompleteness {
  static final String GRAPH = "saved_model.pb";
  static final String INDEX = "variables/variables.index";
  private static final Pattern SHARD = Pattern.compile("variables/variables\\.data-(\\d{5})-of-(\\d{5})");

  private VersionCompleteness() {}

  /** Why the version's objects are not all there, or empty when they are. */
  public static Optional<String> missing(Map<String, StoredObject> objects) {
    if (!objects.containsKey(GRAPH)) {
      return Optional.of("no " + GRAPH);
    }
    Set<Integer> totals = new TreeSet<>();
    Set<Integer> present = new TreeSet<>();
    for (String path : objects.keySet()) {
      Matcher m = SHARD.matcher(path);
      if (m.matches()) {
        present.add(Integer.parseInt(m.group(1)));
        totals.add(Integer.parseInt(m.group(2)));
      }
    }
    boolean index = objects.containsKey(INDEX);
    if (!index && present.isEmpty()) {
      return Optional.empty(); // A graph without variables.
    }
    if (!index) {
      return Optional.of("variable shards but no " + INDEX);
    }
    if (present.isEmpty()) {
      return Optional.of(INDEX + " but no variables.data shard");
    }
    if (totals.size() != 1) {
      return Optional.of("variables.data shards of different counts " + totals);
    }
    int total = totals.iterator().next();
    Set<Integer> absent = new TreeSet<>();
    for (int i = 0; i < total; i++) {
      if (!present.contains(i)) {
        absent.add(i);
      }
    }
    if (!absent.isEmpty()) {
      return Optional.of("variables.data shard(s) " + absent.stream().map(String::valueOf).collect(Collectors.joining(", "))
          + " of " + total + " not uploaded yet");
    }
    return Optional.empty();
  }

  /** Why the version cannot be taken yet, or empty when it is complete and {@code now} equals {@code before}. */
  public static Optional<String> notReady(Map<String, StoredObject> before, Map<String, StoredObject> now) {
    Optional<String> missing = missing(now);
    if (missing.isPresent()) {
      return missing;
    }
    if (!now.equals(before)) {
      return Optional.of("its objects changed since the last listing (an upload in progress?)");
    }
    return Optional.empty();
  }
}
