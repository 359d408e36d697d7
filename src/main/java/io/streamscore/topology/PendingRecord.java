package io.streamscore.topology;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Bytes;

/**
 * An input record waiting in the pending-records store for its batch: the store key orders records
 * by topic, partition and offset (so a flush keeps each partition's order), the value keeps what
 * the prediction or dead letter needs (key, value, timestamp, headers). Immutable.
 */
record PendingRecord(String topic, int partition, long offset, byte[] key, byte[] value, long timestamp, Headers headers) {

  /** Topic bytes, a zero byte, then partition and offset big-endian: lexicographic order is (topic, partition, offset) order. */
  static Bytes storeKey(String topic, int partition, long offset) {
    byte[] name = topic.getBytes(StandardCharsets.UTF_8);
    return Bytes.wrap(ByteBuffer.allocate(name.length + 1 + Integer.BYTES + Long.BYTES)
        .put(name).put((byte) 0).putInt(partition).putLong(offset).array());
  }

  static byte[] storeValue(byte[] key, byte[] value, long timestamp, Headers headers) {
    Header[] all = headers.toArray();
    int size = Long.BYTES + 3 * Integer.BYTES + length(key) + length(value);
    for (Header h : all) {
      size += 2 * Integer.BYTES + h.key().getBytes(StandardCharsets.UTF_8).length + length(h.value());
    }
    ByteBuffer buffer = ByteBuffer.allocate(size).putLong(timestamp);
    putBytes(buffer, key);
    putBytes(buffer, value);
    buffer.putInt(all.length);
    for (Header h : all) {
      putBytes(buffer, h.key().getBytes(StandardCharsets.UTF_8));
      putBytes(buffer, h.value());
    }
    return buffer.array();
  }

  static PendingRecord read(Bytes storeKey, byte[] storeValue) {
    byte[] k = storeKey.get();
    int separator = k.length - Integer.BYTES - Long.BYTES - 1;
    ByteBuffer position = ByteBuffer.wrap(k, separator + 1, Integer.BYTES + Long.BYTES);
    String topic = new String(k, 0, separator, StandardCharsets.UTF_8);
    int partition = position.getInt();
    long offset = position.getLong();
    ByteBuffer buffer = ByteBuffer.wrap(storeValue);
    long timestamp = buffer.getLong();
    byte[] key = getBytes(buffer);
    byte[] value = getBytes(buffer);
    RecordHeaders headers = new RecordHeaders();
    int count = buffer.getInt();
    for (int i = 0; i < count; i++) {
      headers.add(new String(getBytes(buffer), StandardCharsets.UTF_8), getBytes(buffer));
    }
    return new PendingRecord(topic, partition, offset, key, value, timestamp, headers);
  }

  private static int length(byte[] bytes) {
    return bytes == null ? 0 : bytes.length;
  }

  private static void putBytes(ByteBuffer buffer, byte[] bytes) {
    if (bytes == null) {
      buffer.putInt(-1);
    } else {
      buffer.putInt(bytes.length).put(bytes);
    }
  }

  private static byte[] getBytes(ByteBuffer buffer) {
    int length = buffer.getInt();
    if (length < 0) {
      return null;
    }
    byte[] bytes = new byte[length];
    buffer.get(bytes);
    return bytes;
  }
}
