package io.streamscore.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One configured input source: the topics it publishes to, the Avro schema its records are read
 * with, and how its fields feed the model's inputs. Immutable.
 *
 * @param topics explicit topic names; may be empty when {@code topicPattern} is set
 * @param topicPattern a regular expression for topics created later; matches whole topic names
 * @param schema the reader schema file; null exactly when {@code schemaSubject} is set
 * @param writerSchemas older schema versions writers may still use; resolved to {@code schema}
 * @param bindings one binding per model input, in configuration order
 * @param warmupRecords a file of sample records, one JSON object a line, that every model version is
 *     warmed up with through this source's own decoding and mapping
 * @param schemaSubject a schema registry subject whose latest version (read at start-up) is the
 *     reader schema, instead of a file
 */
public record SourceDefinition(String name, List<String> topics, Optional<Pattern> topicPattern, Path schema,
    List<Path> writerSchemas, List<InputBinding> bindings, Optional<Path> warmupRecords, Optional<String> schemaSubject) {

  public SourceDefinition {
    topics = List.copyOf(topics);
    writerSchemas = List.copyOf(writerSchemas);
    bindings = List.copyOf(bindings);
    if ((schema == null) == schemaSubject.isEmpty()) {
      throw new IllegalArgumentException("source '" + name + "' needs exactly one of a schema file and a schema subject");
    }
  }

  /** A source whose reader schema is a file. */
  public SourceDefinition(String name, List<String> topics, Optional<Pattern> topicPattern, Path schema,
      List<Path> writerSchemas, List<InputBinding> bindings, Optional<Path> warmupRecords) {
    this(name, topics, topicPattern, schema, writerSchemas, bindings, warmupRecords, Optional.empty());
  }

  /** A source whose reader schema is a file, without sample records. */
  public SourceDefinition(String name, List<String> topics, Optional<Pattern> topicPattern, Path schema,
      List<Path> writerSchemas, List<InputBinding> bindings) {
    this(name, topics, topicPattern, schema, writerSchemas, bindings, Optional.empty(), Optional.empty());
  }

  /** True when records from {@code topic} belong to this source. */
  public boolean owns(String topic) {
    return topics.contains(topic) || topicPattern.map(p -> p.matcher(topic).matches()).orElse(false);
  }
}
