package io.streamscore.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.streamscore.config.ConfigLoader;
import io.streamscore.config.StreamScoreConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * What start-up does with a registry that refuses StreamScore (a small server answering 401/403,
 * which Apicurio cannot be made to do without OIDC), and with secrets on the command line.
 */
class RegistryStartupTest {
  private static final String SECRET = "k3y:s3cr3t-value";
  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private String refusing(int status) throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      byte[] body = ("{\"error_code\":" + status + ",\"message\":\"Unauthorized\"}").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Test
  void shouldStopStartUpNamingTheCredentialsKeyWhenTheRegistryRefusesThem() throws Exception {
    StreamScoreConfig config = ConfigLoader.load(Optional.empty(), Map.of("STREAMSCORE_SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", SECRET),
        Map.of("schema.registry.url", refusing(401), "bootstrap.servers", "127.0.0.1:1"));
    ConfigException e = assertThrows(ConfigException.class, () -> StreamScoreService.start(config).close());
    assertTrue(e.getMessage().contains("schema.registry.basic.auth.user.info"), e.getMessage());
    assertTrue(e.getMessage().contains("401"), e.getMessage());
    assertFalse(e.getMessage().contains("s3cr3t"), e.getMessage());
  }

  @Test
  void shouldAskForCredentialsWhenNoneAreSetAndTheRegistryWantsThem() throws Exception {
    StreamScoreConfig config = ConfigLoader.load(Optional.empty(), Map.of(),
        Map.of("schema.registry.url", refusing(403), "bootstrap.servers", "127.0.0.1:1"));
    ConfigException e = assertThrows(ConfigException.class, () -> StreamScoreService.start(config).close());
    assertTrue(e.getMessage().contains("none are set"), e.getMessage());
  }

  @Test
  void shouldRefuseASecretGivenOnTheCommandLineNamingItsVariable() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CommandLine cli = StreamScoreCommand.commandLine();
    cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    int exit = cli.execute("consume", "--set", "schema.registry.basic.auth.user.info=" + SECRET, "--set", "bootstrap.servers=127.0.0.1:1");
    String message = err.toString(StandardCharsets.UTF_8);
    assertEquals(2, exit, message);
    assertTrue(message.contains("STREAMSCORE_SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO"), message);
    assertFalse(message.contains("s3cr3t"), message);
  }
}
