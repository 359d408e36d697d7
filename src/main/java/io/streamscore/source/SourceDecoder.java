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
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import io.streamscore.registry.ConfluentWireFormat;
import io.streamscore.registry.RegistryException;
import io.streamscore.registry.RegistryUnavailableException;
import io.streamscore.registry.SchemaLookup;
import io.streamscore.registry.SchemaNotFoundException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decodes one source's records, in either of two formats told apart by their first byte:
 * <ul>
 *   <li>Avro single-object encoding (the two marker bytes {@code C3 01}, the writer schema's 8-byte
 *       fingerprint, then the binary body), the format generated classes write with
 *       {@code toByteBuffer()}. Records written with an older schema listed for the source are
 *       resolved to the reader schema.
 *   <li>Confluent's wire format ({@code 00}, a 4-byte schema id, the body), when a schema registry
 *       is configured: the writer schema is fetched by id once and resolved to the reader schema.
 * </ul>
 *
 * <p>A record that is bad throws {@link RecordDecodingException}. When the registry cannot be
 * reached, {@link io.streamscore.registry.RegistryUnavailableException} passes through untouched:
 * the record is not bad, and must not be dead-lettered.
 *
 * <p>Thread-safe: Avro's {@link BinaryMessageDecoder} and {@link GenericDatumReader} are, and the
 * per-id readers are kept in a concurrent map.
 */
public final class SourceDecoder {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SourceDecoder.class);
  private final String source;
  private final Schema readerSchema;
  private final BinaryMessageDecoder<GenericRecord> decoder;
  private final Optional<SchemaLookup> registry;
  /** Per registry id: a reader resolving that writer to the reader schema, or why it cannot. Bounded. */
  private final ConcurrentHashMap<Integer, RegistryReader> byId = new ConcurrentHashMap<>();
  private static final int MAX_READERS = 1_000;
  private static final ThreadLocal<BinaryDecoder> REUSED = new ThreadLocal<>();

  public SourceDecoder(String source, Schema readerSchema, List<Schema> writerSchemas) {
    this(source, readerSchema, writerSchemas, Optional.empty());
  }

  /** @param registry where writer schemas of Confluent wire format records are looked up; empty: no such records expected */
  public SourceDecoder(String source, Schema readerSchema, List<Schema> writerSchemas, Optional<SchemaLookup> registry) {
    this.source = source;
    this.readerSchema = readerSchema;
    this.registry = registry;
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
    if (ConfluentWireFormat.matches(value)) {
      return decodeConfluent(value);
    }
    try {
      return decoder.decode(ByteBuffer.wrap(value));
    } catch (BadHeaderException e) {
      if (registry.isPresent()) {
        throw new RecordDecodingException("source '" + source + "': neither Avro single-object encoding (C3 01 ...) nor Confluent's"
            + " wire format (00 and a 4-byte schema id); the value starts " + firstBytes(value)
            + ". Have the producer use Confluent's Avro serializer or Avro's toByteBuffer()", e);
      }
      throw new RecordDecodingException("source '" + source + "': not Avro single-object encoding (" + e.getMessage()
          + "); expected the marker bytes C3 01, an 8-byte schema fingerprint and the Avro body, as written by toByteBuffer()", e);
    } catch (MissingSchemaException e) {
      throw new RecordDecodingException("source '" + source + "': unknown writer schema (fingerprint " + writerFingerprint(value)
          + "); the reader schema " + readerSchema.getFullName() + " has fingerprint " + fingerprint(readerSchema)
          + ". Add the writer's schema file to source." + source + ".writer.schemas", e);
    } catch (SystemLimitException | UnsupportedOperationException e) {
      throw tooLarge(e);
    } catch (AvroTypeException e) {
      throw new RecordDecodingException("source '" + source + "': the writer's schema cannot be read as "
          + readerSchema.getFullName() + " (" + e.getMessage() + "); give the reader schema a default for that field"
          + " or have the producer write it", e);
    } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException e) {
      throw new RecordDecodingException("source '" + source + "': corrupt or truncated Avro body for "
          + readerSchema.getFullName() + " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
    }
  }

  private GenericRecord decodeConfluent(byte[] value) {
    if (registry.isEmpty()) {
      throw new RecordDecodingException("source '" + source + "': Confluent wire format (first byte 00"
          + (value.length >= ConfluentWireFormat.HEADER_BYTES ? ", schema id " + ConfluentWireFormat.schemaId(value) : "")
          + ") but no schema registry is configured; set schema.registry.url to the registry the producer used");
    }
    if (value.length < ConfluentWireFormat.HEADER_BYTES) {
      throw new RecordDecodingException("source '" + source + "': truncated Confluent wire format: " + value.length
          + " byte(s), fewer than the 5 of its header (00 and a 4-byte schema id)");
    }
    int id = ConfluentWireFormat.schemaId(value);
    RegistryReader reader = byId.get(id);
    if (reader == null) {
      reader = registryReader(id);
      if (byId.size() >= MAX_READERS) {
        byId.keySet().stream().findAny().ifPresent(byId::remove);
      }
      byId.putIfAbsent(id, reader);
    }
    if (reader.problem() != null) {
      throw new RecordDecodingException(reader.problem());
    }
    BinaryDecoder body = DecoderFactory.get().binaryDecoder(value, ConfluentWireFormat.HEADER_BYTES,
        value.length - ConfluentWireFormat.HEADER_BYTES, REUSED.get());
    REUSED.set(body);
    try {
      return reader.reader().read(null, body);
    } catch (SystemLimitException | UnsupportedOperationException e) {
      throw tooLarge(e);
    } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException e) {
      throw new RecordDecodingException("source '" + source + "': corrupt or truncated Avro body for "
          + readerSchema.getFullName() + " written with schema id " + id + " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
    }
  }

  /**
   * A length prefix over a limit. Avro throws {@link SystemLimitException} over {@code limits.*},
   * but {@link UnsupportedOperationException} for a length beyond what a Java array can hold (a
   * prefix claiming more than 2^31 bytes or items: found by the fuzz tests of both formats).
   */
  private RecordDecodingException tooLarge(RuntimeException e) {
    return new RecordDecodingException("source '" + source + "': the record claims a string, bytes or array larger than allowed ("
        + e.getMessage() + "); raise limits.string.length, limits.bytes.length or limits.collection.items if such records are legitimate", e);
  }

  /**
   * The reader for one id, or the reason none can be made. An id's schema never changes, so both
   * answers are final; a registry outage throws instead and is not remembered.
   */
  private RegistryReader registryReader(int id) {
    Schema writer;
    try {
      writer = registry.get().schemaById(id);
    } catch (SchemaNotFoundException e) {
      // Not remembered: the id may yet be registered (a producer registering as we read).
      throw new RecordDecodingException("source '" + source + "': schema id " + id + " is not in the schema registry "
          + registry.get().describe() + " (error code " + e.errorCode() + ": " + e.getMessage() + "); the producer wrote to another registry, or the schema was"
          + " deleted: point schema.registry.url at the producer's registry", e);
    } catch (RegistryUnavailableException e) {
      throw e;
    } catch (RegistryException e) {
      return new RegistryReader(null, "source '" + source + "': " + e.getMessage());
    }
    SchemaCompatibility.SchemaPairCompatibility compatibility = SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, writer);
    if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
      return new RegistryReader(null, "source '" + source + "': the writer's schema (registry id " + id + ", " + writer.getFullName()
          + ") cannot be read as " + readerSchema.getFullName() + ": " + compatibility.getDescription()
          + "; give the reader schema a default for that field or have the producer write it");
    }
    return new RegistryReader(new GenericDatumReader<>(writer, readerSchema, GenericData.get()), null);
  }

  private record RegistryReader(GenericDatumReader<GenericRecord> reader, String problem) {}

  private static String firstBytes(byte[] value) {
    StringBuilder hex = new StringBuilder();
    for (int i = 0; i < Math.min(4, value.length); i++) {
      hex.append(String.format("%02X ", value[i]));
    }
    String text = hex.toString().trim();
    return value.length > 0 && value[0] == '{' ? text + " (a '{': JSON?)" : text;
  }
}
