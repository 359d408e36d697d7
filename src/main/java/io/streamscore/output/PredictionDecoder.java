package io.streamscore.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamscore.prediction.Prediction;
import io.streamscore.registry.ConfluentWireFormat;
import io.streamscore.registry.SchemaLookup;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;

/**
 * Reads a prediction written in any {@code output.format}, told apart by its first byte: {@code C3}
 * single-object encoding, {@code 00} Confluent's wire format (the writer schema from the registry
 * when one is given, else {@code schemas/Prediction.avsc}), {@code {} JSON. Returns the JSON form of
 * {@link PredictionJson}. Thread-safe.
 */
public final class PredictionDecoder {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Optional<SchemaLookup> registry;

  public PredictionDecoder(Optional<SchemaLookup> registry) {
    this.registry = registry;
  }

  /** @throws IllegalArgumentException when the bytes are no prediction in any of the three formats */
  public JsonNode toJson(byte[] value) {
    if (value != null && value.length > 0 && value[0] == '{') {
      try {
        return JSON.readTree(value);
      } catch (IOException e) {
        throw new IllegalArgumentException("not a readable JSON prediction: " + e.getMessage(), e);
      }
    }
    return PredictionJson.toJson(decode(value));
  }

  /**
   * A prediction in either Avro format (single-object or Confluent's).
   *
   * @throws IllegalArgumentException when the bytes are neither
   */
  public Prediction decode(byte[] value) {
    if (value == null || value.length == 0) {
      throw new IllegalArgumentException("an empty value is no prediction");
    }
    try {
      if (value[0] == (byte) 0xC3) {
        return Prediction.fromByteBuffer(ByteBuffer.wrap(value));
      }
      if (ConfluentWireFormat.matches(value) && value.length > ConfluentWireFormat.HEADER_BYTES) {
        Schema writer = registry.map(r -> r.schemaById(ConfluentWireFormat.schemaId(value))).orElse(Prediction.getClassSchema());
        SpecificDatumReader<Prediction> reader = new SpecificDatumReader<>(writer, Prediction.getClassSchema());
        return reader.read(null, DecoderFactory.get().binaryDecoder(value, ConfluentWireFormat.HEADER_BYTES,
            value.length - ConfluentWireFormat.HEADER_BYTES, null));
      }
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("not a readable prediction (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
    }
    throw new IllegalArgumentException(String.format("not an Avro prediction: the value starts 0x%02X", value[0]));
  }
}
