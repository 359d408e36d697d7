package io.streamscore.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;

/** Avro single-object encoding helpers for tests, built on Avro's own APIs only (no StreamScore code). */
public final class AvroRecords {
  private AvroRecords() {}

  /** The remaining bytes of a buffer, such as the one {@code toByteBuffer()} returns. */
  public static byte[] bytes(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }

  /** Single-object encoding of a generic record with its own schema, as an older writer would produce it. */
  public static byte[] encode(GenericRecord record) {
    try {
      return bytes(new BinaryMessageEncoder<GenericRecord>(GenericData.get(), record.getSchema()).encode(record));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The generated record as the pipeline sees it after decoding: a {@link GenericData.Record} with
   * {@code Utf8} strings and {@code EnumSymbol} enums, not the generated class.
   */
  public static GenericRecord asGeneric(SpecificRecordBase record) {
    try {
      ByteBuffer encoded = new BinaryMessageEncoder<SpecificRecordBase>(SpecificData.get(), record.getSchema()).encode(record);
      return new BinaryMessageDecoder<GenericRecord>(GenericData.get(), record.getSchema()).decode(encoded);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
