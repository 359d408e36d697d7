package io.streamscore.source;

import io.streamscore.config.SourceDefinition;
import io.streamscore.model.ModelSignature;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * All configured sources, and which source a topic belongs to. The first source, in configuration
 * order, that names or matches a topic owns it. Thread-safe: the topic cache is concurrent.
 */
public final class SourceRegistry {
  private final List<InputSource> sources;
  private final int maxRecordBytes;
  private final Map<String, Optional<InputSource>> byTopic = new ConcurrentHashMap<>();

  public SourceRegistry(List<InputSource> sources) {
    this(sources, Integer.MAX_VALUE);
  }

  /** @param maxRecordBytes records with a larger value are refused before decoding */
  public SourceRegistry(List<InputSource> sources, int maxRecordBytes) {
    this.sources = List.copyOf(sources);
    this.maxRecordBytes = maxRecordBytes;
  }

  /**
   * Builds every source and compiles every mapping; reports the first problem.
   *
   * @throws MappingException or {@link org.apache.kafka.common.config.ConfigException} at the first bad source
   */
  public static SourceRegistry create(List<SourceDefinition> definitions, ModelSignature signature) {
    return create(definitions, signature, Integer.MAX_VALUE);
  }

  public static SourceRegistry create(List<SourceDefinition> definitions, ModelSignature signature, int maxRecordBytes) {
    return create(definitions, signature, maxRecordBytes, Optional.empty());
  }

  /** With a schema registry for Confluent wire format records and reader schemas named by subject. */
  public static SourceRegistry create(List<SourceDefinition> definitions, ModelSignature signature, int maxRecordBytes,
      Optional<io.streamscore.registry.SchemaLookup> registry) {
    return new SourceRegistry(definitions.stream().map(d -> InputSource.create(d, signature, registry)).toList(), maxRecordBytes);
  }

  /**
   * Decodes and maps one record of {@code source}.
   *
   * @throws RecordDecodingException when the value is too large or cannot be decoded
   * @throws FeatureMappingException when the record cannot feed the model
   */
  public io.streamscore.model.FeatureRow toFeatures(InputSource source, byte[] value) {
    if (value != null && value.length > maxRecordBytes) {
      throw new RecordDecodingException("source '" + source.name() + "': the record value is " + value.length
          + " bytes, over limits.record.bytes=" + maxRecordBytes + "; it is not decoded");
    }
    return source.toFeatures(value);
  }

  public List<InputSource> sources() {
    return sources;
  }

  public Optional<InputSource> forTopic(String topic) {
    return byTopic.computeIfAbsent(topic, t -> sources.stream().filter(s -> s.definition().owns(t)).findFirst());
  }

  /** Every explicitly named topic. */
  public List<String> namedTopics() {
    return sources.stream().flatMap(s -> s.definition().topics().stream()).distinct().toList();
  }

  /** True when any source subscribes by pattern, so the topology must subscribe by pattern too. */
  public boolean usesPatterns() {
    return sources.stream().anyMatch(s -> s.definition().topicPattern().isPresent());
  }

  /** One pattern matching every source's topics: named topics quoted, patterns as given. */
  public Pattern subscriptionPattern() {
    return Pattern.compile(sources.stream().flatMap(s -> {
      var parts = s.definition().topics().stream().map(Pattern::quote);
      return s.definition().topicPattern().map(p -> java.util.stream.Stream.concat(parts, java.util.stream.Stream.of("(?:" + p.pattern() + ")")))
          .orElse(parts);
    }).collect(Collectors.joining("|")));
  }
}
