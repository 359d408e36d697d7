package io.streamscore.model.internals;

import java.util.Properties;

/**
 * How StreamScore has JavaCPP, TensorFlow Java's bridge to native code, manage native memory:
 * every allocation is freed explicitly, none is left to the garbage collector.
 *
 * <p>By default JavaCPP registers each native allocation TensorFlow Java makes (each tensor, and a
 * buffer for each element of a string tensor) with a garbage-collector safety net: under one
 * process-wide lock ({@code Pointer.deallocator}, synchronized on its deallocator thread's class),
 * with a read of {@code /proc/self/statm} inside that lock to check RSS against
 * {@code maxPhysicalBytes}. With several stream threads building tensors at once, the lock and the
 * system call cost more than the model itself (docs/performance.md: the model alone at batch 64
 * went from about 5.5 to 2.5 µs a row). StreamScore closes every {@code Tensor} and {@code Result}
 * itself ({@link SavedModelScorer}; {@code NativeMemoryTest} holds RSS flat over millions of
 * records), and TensorFlow Java frees its own temporaries in {@code PointerScope}s, so the safety
 * net only costs. {@code org.bytedeco.javacpp.nopointergc=true} turns it off.
 *
 * <p>Contract with JavaCPP (1.5.x): the property is read once, in {@code Pointer}'s static
 * initialiser, and with it set no allocation is registered ({@code Pointer.totalCount()} stays 0;
 * {@code JavaCppSettingsTest} fails when that changes). So {@link #apply()} must run before
 * anything touches TensorFlow: the entry points call it first. A value the user set wins.
 */
public final class JavaCppSettings {
  public static final String NO_POINTER_GC = "org.bytedeco.javacpp.nopointergc";

  private JavaCppSettings() {}

  /** Sets StreamScore's JavaCPP settings as system properties, where the user has not set them. */
  public static void apply() {
    apply(System.getProperties());
  }

  static void apply(Properties properties) {
    if (properties.getProperty(NO_POINTER_GC) == null && properties.getProperty("org.bytedeco.javacpp.noPointerGC") == null) {
      properties.setProperty(NO_POINTER_GC, "true");
    }
  }
}
