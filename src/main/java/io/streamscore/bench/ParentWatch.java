package io.streamscore.bench;

import java.io.PrintStream;

/**
 * Makes a child JVM exit as soon as the JVM that started it is gone, however that one ended
 * (SIGTERM, SIGKILL, a crash): a bench worker must never go on scoring, re-parented to init, after
 * its bench has stopped. Watches the parent process itself ({@link ProcessHandle#onExit()}), so it
 * does not depend on what happens to the pipes between the two.
 */
final class ParentWatch {
  /** Exit code of a child whose parent has gone. */
  static final int PARENT_GONE = 3;

  private ParentWatch() {}

  /**
   * Halts this JVM with {@link #PARENT_GONE} once its parent process exits. Halts rather than
   * exits: nothing is left to report to, and a clean close could wait on a broker that went with
   * the parent. Returns at once; a JVM without a parent (already re-parented) halts at once.
   */
  static void exitWithParent(PrintStream log) {
    ProcessHandle parent = ProcessHandle.current().parent().filter(ProcessHandle::isAlive).orElse(null);
    if (parent == null || parent.pid() == 1) {
      log.println("parent process gone; exiting");
      Runtime.getRuntime().halt(PARENT_GONE);
    }
    parent.onExit().thenRun(() -> {
      log.println("parent process " + parent.pid() + " exited; exiting");
      Runtime.getRuntime().halt(PARENT_GONE);
    });
  }
}
