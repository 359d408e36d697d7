package io.streamscore.support;

import io.streamscore.config.ConfigLoader;
import io.streamscore.config.InputBinding;
import io.streamscore.config.SourceDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The source definitions of the bundled demo configuration, and variations of them. */
public final class DemoSources {
  private DemoSources() {}

  public static List<SourceDefinition> all() {
    return ConfigLoader.load(Optional.empty(), Map.of(), Map.of()).sources();
  }

  /** The demo source named {@code name}: terminal, web or mobile. */
  public static SourceDefinition named(String name) {
    return all().stream().filter(s -> s.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("the demo configuration has no source " + name));
  }

  /** {@code source} with the binding for {@code replacement.input()} replaced (or added). */
  public static SourceDefinition withBinding(SourceDefinition source, InputBinding replacement) {
    List<InputBinding> bindings = new ArrayList<>(source.bindings());
    bindings.removeIf(b -> b.input().equals(replacement.input()));
    bindings.add(replacement);
    return withBindings(source, bindings);
  }

  /** {@code source} without a binding for {@code input}. */
  public static SourceDefinition withoutBinding(SourceDefinition source, String input) {
    List<InputBinding> bindings = new ArrayList<>(source.bindings());
    if (!bindings.removeIf(b -> b.input().equals(input))) {
      throw new IllegalArgumentException(source.name() + " does not bind " + input);
    }
    return withBindings(source, bindings);
  }

  private static SourceDefinition withBindings(SourceDefinition source, List<InputBinding> bindings) {
    return new SourceDefinition(source.name(), source.topics(), source.topicPattern(), source.schema(),
        source.writerSchemas(), bindings);
  }
}
