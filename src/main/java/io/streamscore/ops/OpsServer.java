package io.streamscore.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The operations HTTP endpoint: {@code /metrics} (Prometheus text format), {@code /health/live},
 * {@code /health/ready} and {@code /health/started} (200 when up, 503 when not, with a JSON body).
 * Read-only by design: only GET and HEAD are answered, so nothing on this port can change state and
 * it needs no authentication. Uses the JDK's own HTTP server: four read-only endpoints do not
 * justify a web framework.
 */
public final class OpsServer implements AutoCloseable {
  private final HttpServer server;

  private OpsServer(HttpServer server) {
    this.server = server;
  }

  /**
   * Starts serving on {@code host:port} (port 0 picks a free one).
   *
   * @throws UncheckedIOException naming the address when it cannot be bound
   */
  public static OpsServer start(String host, int port, StreamScoreMetrics metrics, Health health) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 16);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve metrics and health on " + host + ":" + port + " (http.host, http.port): " + e.getMessage(), e);
    }
    server.createContext("/metrics", exchange -> respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics::scrape));
    server.createContext("/health/live", exchange -> health(exchange, health::live));
    server.createContext("/health/ready", exchange -> health(exchange, health::ready));
    server.createContext("/health/started", exchange -> health(exchange, health::started));
    server.createContext("/", exchange -> respond(exchange, 404, "text/plain; charset=utf-8",
        () -> "StreamScore serves /metrics, /health/live, /health/ready and /health/started\n"));
    server.setExecutor(Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "ops-http");
      t.setDaemon(true);
      return t;
    }));
    server.start();
    return new OpsServer(server);
  }

  private static void health(HttpExchange exchange, Supplier<Health.Status> check) throws IOException {
    Health.Status status = check.get();
    respond(exchange, status.up() ? 200 : 503, "application/json", status::json);
  }

  private static void respond(HttpExchange exchange, int code, String type, Supplier<String> body) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", type);
      if (method.equals("HEAD")) {
        exchange.sendResponseHeaders(code, -1);
        return;
      }
      exchange.sendResponseHeaders(code, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** The bound port (useful with port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
