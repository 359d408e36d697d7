package io.streamscore.app;

import io.streamscore.config.InputBinding;
import io.streamscore.config.SourceDefinition;
import io.streamscore.model.ModelManager;
import io.streamscore.model.ModelSignature;
import io.streamscore.model.TensorSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The start-up report: which model and version is served, every signature it has, the served
 * signature's inputs and outputs, and which source field feeds which input. What an operator needs
 * to check that a model made elsewhere is wired as intended.
 */
final class ModelReport {
  private ModelReport() {}

  static String render(ModelManager model, List<SourceDefinition> sources, String policy) {
    List<String> lines = new ArrayList<>();
    ModelSignature signature = model.model().signature();
    lines.add(String.format(Locale.ROOT, "Model %s version %d from %s (version policy: %s)", model.model().name(),
        model.model().version(), model.model().directory(), policy));
    lines.add("  signatures in the SavedModel:");
    model.signatureReport().forEach(s -> lines.add("    " + s));
    lines.add("  serving '" + signature.key() + "'" + (signature.methodName().isEmpty() ? "" : " (" + signature.methodName() + ")")
        + (signature.takesExamples() ? ", fed serialized tf.Example protos built from the sources' features" : ""));
    signature.inputs().forEach(i -> lines.add("    input  " + describe(i)));
    signature.outputs().forEach(o -> lines.add("    output " + describe(o)));
    for (SourceDefinition source : sources) {
      lines.add("  source '" + source.name() + "' (" + String.join(", ", source.topics())
          + source.topicPattern().map(p -> (source.topics().isEmpty() ? "" : ", ") + "pattern " + p.pattern()).orElse("") + "):");
      for (InputBinding binding : source.bindings()) {
        String target = (binding instanceof InputBinding.Fields f && f.exampleFeature() ? "feature " : "input ") + binding.input();
        if (binding instanceof InputBinding.Constant c) {
          lines.add("    " + target + " = constant " + c.literal());
        } else {
          InputBinding.Fields f = (InputBinding.Fields) binding;
          lines.add("    " + target + " <- " + String.join(", ", f.paths()) + f.defaultValue().map(d -> " (default " + d + ")").orElse(""));
        }
      }
    }
    return String.join(System.lineSeparator(), lines);
  }

  private static String describe(TensorSpec spec) {
    return spec.name() + " " + spec.type() + " " + spec.shapeText();
  }
}
