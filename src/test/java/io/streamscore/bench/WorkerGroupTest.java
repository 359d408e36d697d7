package io.streamscore.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class WorkerGroupTest {
  @Test
  void sharesTheRunsStreamThreadsOutOverTheProcessesAtLeastOneEach() {
    assertEquals(List.of(2, 1, 1), WorkerGroup.threadsPerProcess(4, 3));
    assertEquals(List.of(2, 2, 2), WorkerGroup.threadsPerProcess(6, 3));
    assertEquals(List.of(1, 1, 1), WorkerGroup.threadsPerProcess(2, 3), "fewer threads than sources: one each, more than asked");
    assertEquals(List.of(4), WorkerGroup.threadsPerProcess(4, 1));
  }
}
