package io.streamscore.broker;

import java.io.IOException;
import java.io.PrintStream;

/**
 * Entry point of the embedded broker's child JVM: formats the storage directory for a single-node
 * KRaft cluster, then runs Apache Kafka's own broker main. The parent holds this process's standard
 * input open; when the parent dies, even by SIGKILL, the pipe closes and this process exits, so no
 * broker outlives the JVM that started it.
 */
public final class BrokerMain {
  private BrokerMain() {}

  /** Arguments: the server.properties path, the cluster id. */
  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: BrokerMain <server.properties> <cluster id>");
      System.exit(2);
    }
    int formatted = kafka.tools.StorageTool.execute(
        new String[] {"format", "-t", args[1], "-c", args[0], "--standalone", "--ignore-formatted"}, new PrintStream(System.out, true));
    if (formatted != 0) {
      System.err.println("formatting the KRaft storage failed with exit code " + formatted);
      System.exit(formatted);
    }
    Thread parentWatch = new Thread(() -> {
      try {
        while (System.in.read() >= 0) {
          // Nothing is sent on the pipe; reading only detects that the parent has gone.
        }
      } catch (IOException ignored) {
        // A broken pipe means the same as end of stream.
      }
      System.exit(0);
    }, "parent-watch");
    parentWatch.setDaemon(true);
    parentWatch.start();
    kafka.Kafka.main(new String[] {args[0]});
  }
}
