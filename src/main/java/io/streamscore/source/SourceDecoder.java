package io.streamscore.source;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.SystemLimitException;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.message.SchemaStore;

/**
 * Decodes one source's records: Avro single-object encoding (the two marker bytes {@code C3 01},
 * the writer schema's 8-byte fingerprint, then the binary body), the format generated classes
 * write with {@code toByteBuffer()}. Records written with an older schema listed for the source are
 * resolved to the reader schema by Avro's schema resolution.
 *
 * <p>Thread-safe: Avro's {@link BinaryMessageDecoder} is.
 */
public final class SourceDecoder {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SourceDecoder.class);
  private final String source;
  private final Schema readerSchema;
  private final BinaryMessageDecoder<GenericRecord> decoder;

  public SourceDecoder(String source, Schema readerSchema, List<Schema> writerSchemas) {
    this.source = source;
    this.readerSchema = readerSchema;
    SchemaStore.Cache store = new SchemaStore.Cache();
    writerSchemas.forEach(store::addSchema);
    this.decoder = new BinaryMessageDecoder<>(GenericData.get(), readerSchema, store);
    writerSchemas.forEach(decoder::addSchema);
    for (Schema writer : writerSchemas) {
      SchemaCompatibility.SchemaPairCompatibility compatibility = SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, writer);
      if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
        // Not fatal: other writers may be fine, and this one's records go to the dead-letter topic with the reason.
        log.warn("Source '{}': records written with writer schema {} (fingerprint {}) cannot be read as the reader schema: {}."
            + " They will be dead-lettered.", source, writer.getFullName(), fingerprint(writer), compatibility.getDescription());
      }
    }
  }

  private static String fingerprint(Schema schema) {
    return String.format("%016x", SchemaNormalization.parsingFingerprint64(schema));
  }

  /** The writer fingerprint of a single-object encoded value (little-endian after the 2 marker bytes), in hex. */
  private static String writerFingerprint(byte[] value) {
    if (value.length < 10) {
      return "(none)";
    }
    long fingerprint = ByteBuffer.wrap(value, 2, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    return String.format("%016x", fingerprint);
  }

  public Schema readerSchema() {
    return readerSchema;
  }

  /**
   * @throws RecordDecodingException with a reason a person can act on
   */
  public GenericRecord decode(byte[] value) {
    if (value == null) {
      throw new RecordDecodingException("source '" + source + "': the record value is null (a tombstone); there is nothing to score");
    }
    try {
      return decoder.decode(ByteBuffer.wrap(value));
    } catch (BadHeaderException e) {
      throw new RecordDecodingException("source '" + source + "': not Avro single-object encoding (" + e.getMessage()
          + "); expected the marker bytes C3 01, an 8-byte schema fingerprint and the Avro body, as written by toByteBuffer()", e);
    } catch (MissingSchemaException e) {
      throw new RecordDecodingException("source '" + source + "': unknown writer schema (fingerprint " + writerFingerprint(value)
          + "); the reader schema " + readerSchema.getFullName() + " has fingerprint " + fingerprint(readerSchema)
          + ". Add the writer's schema file to source." + source + ".writer.schemas", e);
    } catch (SystemLimitException e) {
      throw new RecordDecodingException("source '" + source + "': the record claims a string, bytes or array larger than allowed ("
          + e.getMessage() + "); raise limits.string.length, limits.bytes.length or limits.collection.items if such records are legitimate", e);
    } catch (AvroTypeException e) {
      throw new RecordDecodingException("source '" + source + "': the writer's schema cannot be read as "
          + readerSchema.getFullName() + " (" + e.getMessage() + "); give the reader schema a default for that field"
          + " or have the producer write it", e);
    } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException e) {
      throw new RecordDecodingException("source '" + source + "': corrupt or truncated Avro body for "
          + readerSchema.getFullName() + " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
    }
  }
}
