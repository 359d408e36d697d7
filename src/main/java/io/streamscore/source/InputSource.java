package io.streamscore.source;

import io.streamscore.config.SourceDefinition;
import io.streamscore.model.FeatureRow;
import io.streamscore.model.ModelSignature;
import java.util.List;
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
    String prefix = "source." + definition.name() + ".";
    Schema reader = SchemaFiles.read(prefix + "schema", definition.schema());
    List<Schema> writers = definition.writerSchemas().stream().map(p -> SchemaFiles.read(prefix + "writer.schemas", p)).toList();
    return new InputSource(definition, new SourceDecoder(definition.name(), reader, writers),
        FeatureMapper.compile(definition, reader, signature));
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
