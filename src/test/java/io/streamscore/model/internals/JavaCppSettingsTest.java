package io.streamscore.model.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Properties;
import org.junit.jupiter.api.Test;

/** What JavaCppSettings sets; that JavaCPP honours it is NativeMemoryTest's contract test. */
class JavaCppSettingsTest {

  @Test
  void shouldTurnOffJavaCppsGarbageCollectorSafetyNetWhereTheUserSetNothing() {
    Properties properties = new Properties();
    JavaCppSettings.apply(properties);
    assertEquals("true", properties.getProperty(JavaCppSettings.NO_POINTER_GC));
  }

  @Test
  void shouldLeaveTheUsersOwnSettingInEitherSpelling() {
    Properties lower = new Properties();
    lower.setProperty(JavaCppSettings.NO_POINTER_GC, "false");
    JavaCppSettings.apply(lower);
    assertEquals("false", lower.getProperty(JavaCppSettings.NO_POINTER_GC));

    Properties camel = new Properties();
    camel.setProperty("org.bytedeco.javacpp.noPointerGC", "false");
    JavaCppSettings.apply(camel);
    assertNull(camel.getProperty(JavaCppSettings.NO_POINTER_GC), "JavaCPP reads the camel-case spelling after this one");
  }
}
