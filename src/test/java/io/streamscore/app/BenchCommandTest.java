package io.streamscore.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchCommandTest {
  @Test
  void benchesOneThreadTheCoresAndTwiceTheCoresByDefault() {
    assertEquals(List.of(1, 2, 4), BenchCommand.defaultThreadCounts(2));
    assertEquals(List.of(1, 8, 16), BenchCommand.defaultThreadCounts(8));
    assertEquals(List.of(1, 2), BenchCommand.defaultThreadCounts(1), "one core: no thread count twice");
  }
}
