package io.streamscore.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A child JVM that calls {@link ParentWatch#exitWithParent} exits when its parent is stopped,
 * though it would otherwise run forever: the bench worker's guarantee.
 */
class ParentWatchTest {

  /** Stands in for the bench: starts {@link Child}, prints its pid, then waits to be stopped. */
  public static final class Parent {
    public static void main(String[] args) throws Exception {
      Process child = new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"), Child.class.getName())
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        System.out.println("child " + in.readLine());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE); // until stopped by the test
      }
    }
  }

  /** Stands in for the worker: never ends by itself. */
  public static final class Child {
    public static void main(String[] args) throws Exception {
      ParentWatch.exitWithParent(System.err);
      System.out.println(ProcessHandle.current().pid());
      System.out.flush();
      Thread.sleep(Long.MAX_VALUE);
    }
  }

  @ParameterizedTest(name = "parent stopped by {0}")
  @ValueSource(strings = {"SIGTERM", "SIGKILL"})
  void aChildExitsWhenItsParentIsStopped(String signal) throws Exception {
    Process parent = new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"), Parent.class.getName())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
      String line = in.readLine();
      assertTrue(line != null && line.startsWith("child "), "the parent reported its child: " + line);
      ProcessHandle child = ProcessHandle.of(Long.parseLong(line.substring("child ".length()).trim())).orElseThrow();
      assertTrue(child.isAlive());

      if (signal.equals("SIGKILL")) {
        parent.destroyForcibly();
      } else {
        parent.destroy();
      }
      assertTrue(parent.waitFor(30, TimeUnit.SECONDS));

      child.onExit().get(30, TimeUnit.SECONDS);
      assertEquals(false, child.isAlive(), "the child exited with its parent");
    } finally {
      parent.destroyForcibly();
    }
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

}
