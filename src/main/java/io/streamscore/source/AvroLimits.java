package io.streamscore.source;

import java.lang.reflect.Method;
import org.apache.avro.SystemLimitException;

/**
 * Avro's decoding limits: the longest string, bytes and collection a record may claim. Without
 * them, a length prefix claiming 2 GB makes Avro allocate 2 GB before it finds the record is
 * short, and a handful of such records exhausts the heap (an allocation bomb). Avro reads these
 * limits from system properties once, when its {@link SystemLimitException} class loads; {@link
 * #apply} sets the properties and makes Avro read them again.
 *
 * <p>The limits are process-wide, like Avro's own. Thread-safe in the sense that matters: it is
 * applied at start-up, before any stream thread decodes.
 */
public final class AvroLimits {
  private AvroLimits() {}

  public static void apply(int maxStringLength, int maxBytesLength, int maxCollectionItems) {
    System.setProperty(SystemLimitException.MAX_STRING_LENGTH_PROPERTY, Integer.toString(maxStringLength));
    System.setProperty(SystemLimitException.MAX_BYTES_LENGTH_PROPERTY, Integer.toString(maxBytesLength));
    System.setProperty(SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY, Integer.toString(maxCollectionItems));
    try {
      Method reset = SystemLimitException.class.getDeclaredMethod("resetLimits");
      reset.setAccessible(true);
      reset.invoke(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot apply Avro's decoding limits (org.apache.avro.limits.*): " + e.getMessage(), e);
    }
  }
}
