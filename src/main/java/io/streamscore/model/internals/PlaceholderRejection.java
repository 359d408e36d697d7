package io.streamscore.model.internals;

import io.streamscore.model.FeatureRow;
import io.streamscore.model.TensorSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.Output;
import org.tensorflow.exceptions.TFInvalidArgumentException;
import org.tensorflow.exceptions.TFOutOfRangeException;

/**
 * Tells a model that rejects StreamScore's made-up warm-up values from a model that cannot run, and
 * names the input at fault.
 *
 * <p>TensorFlow reports a failure that depends on the values fed (an index out of range, a
 * vocabulary miss fed to a gather, a missing tf.Example feature, a failed assertion) as
 * INVALID_ARGUMENT or OUT_OF_RANGE, raised by a kernel while the graph runs (naming the node in
 * {@code [[{{node name}}]]}). Those mean the placeholder values were wrong, not the model. A graph
 * that cannot run at all fails otherwise (FAILED_PRECONDITION for an uninitialised table,
 * UNIMPLEMENTED, or INVALID_ARGUMENT while building its executor, "No OpKernel was registered"):
 * real traffic would hit those too.
 */
final class PlaceholderRejection {
  private static final Pattern NODE = Pattern.compile("\\{\\{node ([^}]+)}}");
  private static final int MAX_OPS_VISITED = 100_000;

  private PlaceholderRejection() {}

  /** Whether {@code failure} (a failed model call) depends on the values fed rather than on the graph. */
  static boolean dependsOnValues(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof TFInvalidArgumentException || t instanceof TFOutOfRangeException) {
        String message = String.valueOf(t.getMessage());
        return !message.contains("No OpKernel was registered");
      }
    }
    return false;
  }

  /**
   * The inputs the failing node depends on, walking the graph back from the node TensorFlow names;
   * every input when the node cannot be found.
   */
  static List<Integer> inputsAtFault(Graph graph, Output<?>[] feeds, Throwable failure) {
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < feeds.length; i++) {
      all.add(i);
    }
    Optional<String> node = failingNode(failure);
    if (node.isEmpty()) {
      return all;
    }
    Operation failing = graph.operation(node.get());
    if (!(failing instanceof GraphOperation start)) {
      return all;
    }
    Set<String> reached = new HashSet<>();
    Deque<GraphOperation> pending = new ArrayDeque<>(List.of(start));
    while (!pending.isEmpty() && reached.size() < MAX_OPS_VISITED) {
      GraphOperation op = pending.pop();
      if (!reached.add(op.name())) {
        continue;
      }
      for (Operand<?> in : op.inputs()) {
        if (in.op() instanceof GraphOperation g) {
          pending.push(g);
        }
      }
      pending.addAll(op.controlInputs());
    }
    List<Integer> atFault = new ArrayList<>();
    for (int i = 0; i < feeds.length; i++) {
      if (reached.contains(feeds[i].op().name())) {
        atFault.add(i);
      }
    }
    return atFault.isEmpty() ? all : atFault;
  }

  /** The one warning logged for a rejection: the inputs, what was fed, TensorFlow's reason, and the fix. */
  static String warning(String model, long version, List<TensorSpec> inputs, List<Integer> atFault, FeatureRow fed,
      boolean examples, Throwable failure) {
    StringBuilder names = new StringBuilder();
    for (int i : atFault) {
      if (!names.isEmpty()) {
        names.append(", ");
      }
      TensorSpec spec = inputs.get(i);
      names.append('\'').append(spec.name()).append("' (").append(spec.type()).append(' ').append(spec.shapeText());
      if (!examples && fed != null && i < fed.size()) {
        names.append(", fed ").append(show(fed.value(i)));
      }
      names.append(')');
    }
    return "model " + model + " version " + version + " rejected StreamScore's placeholder warm-up values for input"
        + (atFault.size() == 1 ? " " : "s ") + names + ": " + firstLine(rootMessage(failure))
        + ". This is a property of the model, not a fault: it is served, but its first records pay TensorFlow's lazy"
        + " initialisation. Give real sample records with source.<name>.warmup.records=<file of JSON lines>, in the form"
        + " 'publish --json-lines' takes, or ship a TensorFlow Serving warm-up file in the version's "
        + WarmupRequests.FILE;
  }

  private static Optional<String> failingNode(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      Matcher m = NODE.matcher(String.valueOf(t.getMessage()));
      if (m.find()) {
        return Optional.of(m.group(1).trim());
      }
    }
    return Optional.empty();
  }

  private static String rootMessage(Throwable failure) {
    Throwable t = failure;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return String.valueOf(t.getMessage());
  }

  private static String firstLine(String message) {
    String line = message.strip().lines().findFirst().orElse("");
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }

  private static String show(Object value) {
    if (value instanceof String text) {
      return '"' + text + '"';
    }
    if (value != null && value.getClass().isArray()) {
      java.util.StringJoiner items = new java.util.StringJoiner(", ", "[", "]");
      for (int i = 0; i < java.lang.reflect.Array.getLength(value); i++) {
        items.add(show(java.lang.reflect.Array.get(value, i)));
      }
      return items.toString();
    }
    return String.valueOf(value);
  }
}
