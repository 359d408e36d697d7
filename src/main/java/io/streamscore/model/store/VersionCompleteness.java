package io.streamscore.model.store;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * When a version in a store may be downloaded: the rule that keeps a half-uploaded version from
 * ever being loaded. Object stores have no atomic directory rename, and a training pipeline uploads
 * a SavedModel object by object; TensorFlow Serving's users report such versions being loaded
 * (tensorflow/serving#1086). A version is taken when both hold:
 *
 * <ol>
 *   <li><b>its {@value #MARKER} marker is there</b>: an object, empty or not, that the pipeline
 *       writes after every other object of the version. Only the pipeline knows when it is done:
 *       a quiet listing cannot tell a finished version from one whose assets or last shard are
 *       still on their way (a parallel upload lists a large multipart shard only once it is whole);
 *   <li><b>its files are all there</b>: {@code saved_model.pb}, {@code variables/variables.index}
 *       and every shard the shards' own names promise ({@code variables.data-00000-of-00002} and
 *       {@code -00001-of-00002}); a version without variables has neither index nor shards. This
 *       guards against a marker written too early, or replicated ahead of the shards.
 * </ol>
 *
 * Pure: no I/O.
 */
public final class VersionCompleteness {
  /** The object a pipeline writes last, inside the version directory, to say the version is whole. */
  public static final String MARKER = "_COMPLETE";
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

  /** Why the version cannot be taken, or empty when it carries the marker and its SavedModel is whole. */
  public static Optional<String> notReady(Map<String, StoredObject> objects) {
    Optional<String> missing = missing(objects);
    if (!objects.containsKey(MARKER)) {
      return Optional.of("no " + MARKER + " marker yet" + missing.map(m -> " (and " + m + ")").orElse("")
          + ": an upload in progress, or a pipeline that does not write the marker last");
    }
    return missing.map(m -> MARKER + " marker present but " + m);
  }
}
