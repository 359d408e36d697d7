package io.streamscore.registry;

import java.nio.ByteBuffer;

/**
 * Confluent's wire format for Avro: byte {@code 0x00}, the writer schema's registry id as a 4-byte
 * big-endian int, then the Avro binary body. Avro single-object encoding starts {@code C3 01}, so
 * the two never collide and can share a topic.
 */
public final class ConfluentWireFormat {
  public static final byte MAGIC = 0x00;
  public static final int HEADER_BYTES = 5;

  private ConfluentWireFormat() {}

  public static boolean matches(byte[] value) {
    return value != null && value.length > 0 && value[0] == MAGIC;
  }

  /** The schema id of a value that {@link #matches} and has at least {@link #HEADER_BYTES} bytes. */
  public static int schemaId(byte[] value) {
    return ByteBuffer.wrap(value, 1, 4).getInt();
  }

  /** The header followed by {@code body}. */
  public static byte[] frame(int schemaId, byte[] body) {
    return ByteBuffer.allocate(HEADER_BYTES + body.length).put(MAGIC).putInt(schemaId).put(body).array();
  }
}
