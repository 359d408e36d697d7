package io.streamscore.source;

import io.streamscore.config.SourceDefinition;
import io.streamscore.model.FeatureRow;
import io.streamscore.model.ModelSignature;
import java.util.List;
import java.util.Optional;
import io.streamscore.registry.SchemaLookup;
import io.streamscore.registry.SchemaNotFoundException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * One configured source, ready to use: its definition, its decoder and its mapper. Immutable and
 * thread-safe.
 */
public record InputSource(SourceDefinition definition, SourceDecoder decoder, FeatureMapper mapper) {

  /**
   * Reads the source's schemas and compiles its mapping against the signature.
   *
   * @throws org.apache.kafka.common.config.ConfigException when a schema file cannot be read
   * @throws MappingException when the mapping does not fit the signature
   */
  public static InputSource create(SourceDefinition definition, ModelSignature signature) {
    return create(definition, signature, Optional.empty());
  }

  /**
   * As {@link #create(SourceDefinition, ModelSignature)}, decoding Confluent wire format records
   * with writer schemas from {@code registry}, and reading the reader schema from it when the
   * source names a subject.
   *
   * @throws org.apache.kafka.common.config.ConfigException when the source's subject is not in the registry
   */
  public static InputSource create(SourceDefinition definition, ModelSignature signature, Optional<SchemaLookup> registry) {
    String prefix = "source." + definition.name() + ".";
    Schema reader = definition.schemaSubject().isPresent()
        ? subjectSchema(prefix, definition.schemaSubject().get(), registry)
        : SchemaFiles.read(prefix + "schema", definition.schema());
    List<Schema> writers = definition.writerSchemas().stream().map(p -> SchemaFiles.read(prefix + "writer.schemas", p)).toList();
    return new InputSource(definition, new SourceDecoder(definition.name(), reader, writers, registry),
        FeatureMapper.compile(definition, reader, signature));
  }

  private static Schema subjectSchema(String prefix, String subject, Optional<SchemaLookup> registry) {
    String key = prefix + io.streamscore.config.StreamScoreConfig.SOURCE_SCHEMA_SUBJECT;
    if (registry.isEmpty()) {
      throw new ConfigException(key, subject, "a reader schema from the registry needs schema.registry.url");
    }
    try {
      Schema schema = registry.get().latestSchema(subject);
      if (schema.getType() != Schema.Type.RECORD) {
        throw new ConfigException(key, subject, "the subject's latest schema is a " + schema.getType() + ", not an Avro record");
      }
      return schema;
    } catch (SchemaNotFoundException e) {
      throw new ConfigException(key, subject, "the schema registry " + registry.get().describe() + " has no such subject (error code "
          + e.errorCode() + ": " + e.getMessage() + "); register the source's schema under it, or fix the subject's name");
    } catch (io.streamscore.registry.RegistryException e) {
      // A subject whose latest schema is not Avro, uses references, or does not parse (RegistryAnswerFuzzTest), or a
      // registry that stopped answering: start-up cannot go on without the reader schema, and says why in one line.
      throw new ConfigException(key, subject, "cannot use the subject's latest schema: " + e.getMessage());
    }
  }

  public String name() {
    return definition.name();
  }

  /**
   * @throws RecordDecodingException when the bytes cannot be decoded
   * @throws FeatureMappingException when the record cannot feed the model
   */
  public FeatureRow toFeatures(byte[] value) {
    GenericRecord record = decoder.decode(value);
    return mapper.map(record);
  }
}
