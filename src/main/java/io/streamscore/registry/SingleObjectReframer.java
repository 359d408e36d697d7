package io.streamscore.registry;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * Rewrites Avro single-object encoded values into Confluent's wire format. The Avro body is the
 * same in both; only the header differs ({@code C3 01} and an 8-byte fingerprint versus {@code 00}
 * and a 4-byte registry id), so no decoding is needed. Every writer schema is registered under the
 * subject first. Immutable and thread-safe.
 */
public final class SingleObjectReframer {
  private static final int SINGLE_OBJECT_HEADER = 10;
  private final Map<Long, Integer> idByFingerprint;

  private SingleObjectReframer(Map<Long, Integer> idByFingerprint) {
    this.idByFingerprint = Map.copyOf(idByFingerprint);
  }

  /**
   * Registers {@code schemas} under {@code subject}, oldest first (so the last is the latest
   * version), and returns a reframer for values written with any of them.
   */
  public static SingleObjectReframer register(SchemaRegistryClient registry, String subject, List<Schema> schemas) {
    Map<Long, Integer> ids = new HashMap<>();
    for (Schema schema : schemas) {
      ids.put(SchemaNormalization.parsingFingerprint64(schema), registry.register(subject, schema));
    }
    return new SingleObjectReframer(ids);
  }

  /** @throws IllegalArgumentException when the value is not single-object encoded with a registered schema */
  public byte[] reframe(byte[] singleObject) {
    if (singleObject.length < SINGLE_OBJECT_HEADER || singleObject[0] != (byte) 0xC3 || singleObject[1] != 0x01) {
      throw new IllegalArgumentException("not Avro single-object encoding");
    }
    long fingerprint = ByteBuffer.wrap(singleObject, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    Integer id = idByFingerprint.get(fingerprint);
    if (id == null) {
      throw new IllegalArgumentException(String.format("written with a schema (fingerprint %016x) that was not registered", fingerprint));
    }
    byte[] body = new byte[singleObject.length - SINGLE_OBJECT_HEADER];
    System.arraycopy(singleObject, SINGLE_OBJECT_HEADER, body, 0, body.length);
    return ConfluentWireFormat.frame(id, body);
  }
}
