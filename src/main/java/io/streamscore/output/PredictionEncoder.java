package io.streamscore.output;

import io.streamscore.prediction.Prediction;
import io.streamscore.registry.ConfluentWireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Turns a {@link Prediction} into the bytes written to the output (and shadow) topic, in the format
 * {@code output.format} names. Implementations are immutable and thread-safe.
 */
@FunctionalInterface
public interface PredictionEncoder {
  byte[] encode(Prediction prediction);

  /** Avro single-object encoding ({@code C3 01}, the schema fingerprint, the body). */
  static PredictionEncoder singleObject() {
    return prediction -> {
      try {
        ByteBuffer buffer = prediction.toByteBuffer();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot encode prediction: " + e.getMessage(), e);
      }
    };
  }

  /** Confluent's wire format with {@code schemaId}, the id the Prediction schema was registered under. */
  static PredictionEncoder confluent(int schemaId) {
    SpecificDatumWriter<Prediction> writer = new SpecificDatumWriter<>(Prediction.getClassSchema());
    return prediction -> {
      ByteArrayOutputStream out = new ByteArrayOutputStream(256);
      out.write(ConfluentWireFormat.MAGIC);
      out.write(schemaId >>> 24);
      out.write(schemaId >>> 16);
      out.write(schemaId >>> 8);
      out.write(schemaId);
      BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
      try {
        writer.write(prediction, encoder);
        encoder.flush();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot encode prediction: " + e.getMessage(), e);
      }
      return out.toByteArray();
    };
  }

  /** One UTF-8 JSON object (see {@link PredictionJson}). */
  static PredictionEncoder json() {
    return PredictionJson::bytes;
  }
}
