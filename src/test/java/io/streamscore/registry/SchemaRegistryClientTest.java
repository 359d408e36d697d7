package io.streamscore.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.streamscore.config.SchemaRegistrySettings;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry client against a small HTTP(S) server standing in for the faults a real registry
 * cannot be made to show: credentials, TLS, 5xx, slow answers, a dead URL. The real API is
 * exercised against Apicurio in {@code RegistryScoringIntegrationTest}.
 */
class SchemaRegistryClientTest {
  private static final String SCHEMA = "{\"type\":\"record\",\"name\":\"A\",\"fields\":[{\"name\":\"x\",\"type\":\"int\"}]}";
  private static final String FOUND = "{\"schema\":" + quote(SCHEMA) + "}";
  private final Queue<String> authorizations = new ConcurrentLinkedQueue<>();
  private final AtomicInteger hits = new AtomicInteger();
  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  /** A server whose answer to the n-th request (from 0) is given by {@code answer}: status and body. */
  private String serve(Function<Integer, Answer> answer) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> respond(exchange, answer));
    // One thread per exchange: a held (slow) answer must not hold up the retry behind it.
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/apis/ccompat/v7";
  }

  private void respond(HttpExchange exchange, Function<Integer, Answer> answer) throws IOException {
    authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
    Answer a = answer.apply(hits.getAndIncrement());
    if (a.delay() != null) {
      try {
        a.delay().await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(a.status(), body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  private record Answer(int status, String body, CountDownLatch delay) {
    Answer(int status, String body) {
      this(status, body, null);
    }
  }

  private static SchemaRegistrySettings settings(List<String> urls, Optional<Password> userInfo, Optional<Password> token) {
    return new SchemaRegistrySettings(urls.stream().map(URI::create).toList(), userInfo, token, Optional.empty(),
        Duration.ofSeconds(2), Duration.ofMillis(500), 2, Duration.ofMillis(10), 100);
  }

  private static SchemaRegistrySettings settings(String url) {
    return settings(List.of(url), Optional.empty(), Optional.empty());
  }

  @Test
  void shouldFetchAWriterSchemaByIdOnceAndServeItFromTheCacheAfterwards() throws Exception {
    String url = serve(n -> new Answer(200, FOUND));
    SchemaRegistryClient client = new SchemaRegistryClient(settings(url));
    Schema first = client.schemaById(7);
    Schema second = client.schemaById(7);
    assertEquals("A", first.getName());
    assertEquals(first, second);
    assertEquals(1, hits.get(), "the second lookup made no request");
    assertEquals(1, client.cacheHits());
  }

  @Test
  void shouldSendBasicAuthUserInfoAsAnAuthorizationHeader() throws Exception {
    String url = serve(n -> new Answer(200, FOUND));
    new SchemaRegistryClient(settings(List.of(url), Optional.of(new Password("key:s3cret")), Optional.empty())).schemaById(1);
    assertEquals("Basic a2V5OnMzY3JldA==", authorizations.peek());
  }

  @Test
  void shouldSendABearerToken() throws Exception {
    String url = serve(n -> new Answer(200, FOUND));
    new SchemaRegistryClient(settings(List.of(url), Optional.empty(), Optional.of(new Password("tok-1")))).schemaById(1);
    assertEquals("Bearer tok-1", authorizations.peek());
  }

  @Test
  void shouldTreatWrongCredentialsAsAConfigurationErrorWithoutRetryingOrRevealingThem() throws Exception {
    String url = serve(n -> new Answer(401, "{\"error_code\":401,\"message\":\"Unauthorized\"}"));
    SchemaRegistryClient client = new SchemaRegistryClient(settings(List.of(url), Optional.of(new Password("key:s3cret")), Optional.empty()));
    RegistryAccessDeniedException e = assertThrows(RegistryAccessDeniedException.class, client::checkAccess);
    assertTrue(e.getMessage().contains("401"), e.getMessage());
    assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
    assertEquals(1, hits.get(), "401 is not retried");
  }

  @Test
  void shouldReportAnUnknownIdAsNotFoundWithConfluentsErrorCode() throws Exception {
    String url = serve(n -> new Answer(404, "{\"error_code\":40403,\"message\":\"Schema 99 not found.\"}"));
    SchemaNotFoundException e = assertThrows(SchemaNotFoundException.class, () -> new SchemaRegistryClient(settings(url)).schemaById(99));
    assertEquals(40403, e.errorCode());
    assertEquals(1, hits.get(), "404 is not retried");
  }

  @Test
  void shouldRetryA5xxAndSucceedWhenTheRegistryRecovers() throws Exception {
    String url = serve(n -> n < 2 ? new Answer(503, "busy") : new Answer(200, FOUND));
    SchemaRegistryClient client = new SchemaRegistryClient(settings(url));
    assertEquals("A", client.schemaById(3).getName());
    assertEquals(3, hits.get());
    assertEquals(2, client.failedAttempts());
    assertTrue(client.reachable());
  }

  @Test
  void shouldGiveUpAfterTheConfiguredRetriesAndSayTheRegistryIsUnavailable() throws Exception {
    String url = serve(n -> new Answer(500, "{\"error_code\":50001,\"message\":\"store down\"}"));
    SchemaRegistryClient client = new SchemaRegistryClient(settings(url));
    RegistryUnavailableException e = assertThrows(RegistryUnavailableException.class, () -> client.schemaById(3));
    assertEquals(3, hits.get(), "one attempt plus max.retries=2");
    assertTrue(e.getMessage().contains("HTTP 500"), e.getMessage());
  }

  @Test
  void shouldNotRetryAClientError() throws Exception {
    String url = serve(n -> new Answer(422, "{\"error_code\":42201,\"message\":\"Invalid schema\"}"));
    RegistryException e = assertThrows(RegistryException.class, () -> new SchemaRegistryClient(settings(url)).schemaById(1));
    assertFalse(e instanceof RegistryUnavailableException);
    assertEquals(1, hits.get());
  }

  @Test
  void shouldTimeOutASlowAnswerAndRetryIt() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    String url = serve(n -> n == 0 ? new Answer(200, FOUND, never) : new Answer(200, FOUND));
    try {
      assertEquals("A", new SchemaRegistryClient(settings(url)).schemaById(1).getName());
      assertEquals(2, hits.get(), "the slow first answer timed out after http.read.timeout.ms and was retried");
    } finally {
      never.countDown();
    }
  }

  @Test
  void shouldFailOverToTheNextUrlWhenOneIsDown() throws Exception {
    String up = serve(n -> new Answer(200, FOUND));
    String down = "http://127.0.0.1:" + closedPort();
    SchemaRegistryClient client = new SchemaRegistryClient(settings(List.of(down, up), Optional.empty(), Optional.empty()));
    assertEquals("A", client.schemaById(1).getName());
    assertEquals(1, client.failedAttempts(), "the dead URL was tried once, then the next one answered");
  }

  @Test
  void shouldSayTheRegistryIsUnreachableWhenNoUrlAnswers() throws Exception {
    SchemaRegistryClient client = new SchemaRegistryClient(settings("http://127.0.0.1:" + closedPort()));
    assertThrows(RegistryUnavailableException.class, () -> client.schemaById(1));
    assertFalse(client.reachable());
  }

  @Test
  void shouldRefuseASchemaThatIsNotAvro() throws Exception {
    String url = serve(n -> new Answer(200, "{\"schemaType\":\"PROTOBUF\",\"schema\":\"syntax = \\\"proto3\\\";\"}"));
    RegistryException e = assertThrows(RegistryException.class, () -> new SchemaRegistryClient(settings(url)).schemaById(1));
    assertTrue(e.getMessage().contains("PROTOBUF"), e.getMessage());
  }

  @Test
  void shouldTalkTlsWithTheConfiguredTrustStore(@TempDir Path dir) throws Exception {
    Path serverStore = dir.resolve("server.p12");
    Path trustStore = dir.resolve("trust.p12");
    keytool("-genkeypair", "-alias", "registry", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=127.0.0.1",
        "-ext", "san=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", serverStore.toString(), "-storepass", "changeit");
    keytool("-exportcert", "-rfc", "-alias", "registry", "-keystore", serverStore.toString(), "-storepass", "changeit",
        "-file", dir.resolve("server.pem").toString());
    keytool("-importcert", "-noprompt", "-alias", "registry", "-file", dir.resolve("server.pem").toString(),
        "-storetype", "PKCS12", "-keystore", trustStore.toString(), "-storepass", "changeit");

    HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = new FileInputStream(serverStore.toFile())) {
      keys.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, "changeit".toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), null, null);
    https.setHttpsConfigurator(new HttpsConfigurator(tls));
    https.createContext("/", exchange -> respond(exchange, n -> new Answer(200, FOUND)));
    https.start();
    server = https;
    String url = "https://127.0.0.1:" + https.getAddress().getPort();

    SchemaRegistrySettings.Tls trust = new SchemaRegistrySettings.Tls(Optional.of(trustStore), Optional.of(new Password("changeit")),
        "PKCS12", Optional.empty(), Optional.empty(), "PKCS12", Optional.empty());
    SchemaRegistryClient trusting = new SchemaRegistryClient(new SchemaRegistrySettings(List.of(URI.create(url)), Optional.empty(),
        Optional.empty(), Optional.of(trust), Duration.ofSeconds(2), Duration.ofSeconds(2), 0, Duration.ofMillis(10), 10));
    assertEquals("A", trusting.schemaById(1).getName());

    SchemaRegistryClient untrusting = new SchemaRegistryClient(settings(List.of(url), Optional.empty(), Optional.empty()));
    RegistryUnavailableException e = assertThrows(RegistryUnavailableException.class, () -> untrusting.schemaById(2));
    assertTrue(e.getMessage().contains("SSLHandshakeException"), e.getMessage());
  }

  private static void keytool(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  // Found by RegistryAnswerFuzzTest: Avro's parser refused these with AvroTypeException or NullPointerException, which
  // passed the client's RegistryException contract by, so a record with such an id was dead-lettered with Avro's bare
  // message (and a reader schema named by subject stopped start-up with a stack trace).
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {
      "{\"type\":\"record\",\"name\":\"A\",\"fields\":[{\"name\":\"x\",\"type\":\"nosuch\"}]}",
      "{\"type\":\"record\",\"name\":\"A\",\"fields\":[{\"name\":\"x\",\"type\":[\"nosuch\",\"double\"],\"default\":null}]}",
      "{\"type\":\"record\",\"name\":\"A\",\"fields\":[{\"name\":\"x\",\"type\":{\"type\":\"nosuch\"}}]}",
      "{\"type\":\"record\",\"name\":\"nosuch\",\"fields\":[{\"name\":\"x\",\"type\":\"int\"},{\"name\":\"x\",\"type\":\"int\"}]}",
      "{\"type\":\"record\",\"name\":\"A\",\"fields\":[{\"name\":\"x\",\"type\":{\"type\":\"enum\",\"name\":\"boolean\",\"symbols\":[\"nosuch\"]}}]}"})
  void shouldRefuseAnAnswerWhoseSchemaAvroCannotResolveWithARegistryException(String schema) throws Exception {
    String url = serve(n -> new Answer(200, "{\"schema\":" + quote(schema) + "}"));
    SchemaRegistryClient client = new SchemaRegistryClient(settings(url));

    RegistryException e = assertThrows(RegistryException.class, () -> client.schemaById(7));

    assertTrue(e.getMessage().contains("schema id 7 in the registry " + url + " is not a valid Avro schema"), e.getMessage());
  }
}
