package io.streamscore.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamscore.config.SchemaRegistrySettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small client of Confluent's schema registry REST API, which Confluent Schema Registry and
 * Cloud, Karapace, Redpanda and Apicurio ({@code /apis/ccompat/v7}) all speak. Ours because no
 * library on Maven Central offers one (Confluent's client is not published there; Apicurio's serdes
 * speak only Apicurio's own API): it uses only {@code java.net.http} and Jackson.
 *
 * <p>What it promises, following Confluent's client where it has a rule:
 * <ul>
 *   <li>Writer schemas are cached by id, forever: an id never changes meaning. The cache holds at
 *       most {@code cacheCapacity} schemas. Unknown ids are not cached (each asks again).
 *   <li>Each attempt tries the URLs in order, starting from the last one that answered (failover).
 *       Only network errors, timeouts, 408, 429 and 5xx are retried, up to {@code maxRetries}
 *       times, with a wait that doubles from {@code retryWait}; then
 *       {@link RegistryUnavailableException}.
 *   <li>401 and 403 throw {@link RegistryAccessDeniedException}; a 404 with Confluent's error code
 *       throws {@link SchemaNotFoundException}; any other 4xx throws {@link RegistryException}.
 *   <li>Credentials go only into the {@code Authorization} header: never into a message or a log.
 * </ul>
 *
 * <p>Thread-safe. Counts requests, failed attempts and cache hits for metrics, and remembers whether
 * the last request reached the registry, for readiness.
 */
public final class SchemaRegistryClient implements SchemaLookup {
  private static final Logger log = LoggerFactory.getLogger(SchemaRegistryClient.class);
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SchemaRegistrySettings settings;
  private final HttpClient http;
  private final Optional<String> authorization;
  private final ConcurrentHashMap<Integer, Schema> byId = new ConcurrentHashMap<>();
  private final LongAdder requests = new LongAdder();
  private final LongAdder failedAttempts = new LongAdder();
  private final LongAdder cacheHits = new LongAdder();
  private volatile int preferred;
  private volatile boolean reachable = true;

  public SchemaRegistryClient(SchemaRegistrySettings settings) {
    this.settings = settings;
    HttpClient.Builder builder = HttpClient.newBuilder()
        .connectTimeout(settings.connectTimeout())
        .followRedirects(HttpClient.Redirect.NEVER)
        .version(HttpClient.Version.HTTP_1_1);
    settings.tls().ifPresent(tls -> builder.sslContext(sslContext(tls)));
    this.http = builder.build();
    this.authorization = settings.userInfo()
        .map(p -> "Basic " + Base64.getEncoder().encodeToString(p.value().getBytes(StandardCharsets.UTF_8)))
        .or(() -> settings.bearerToken().map(p -> "Bearer " + p.value()));
  }

  @Override
  public String describe() {
    return settings.urls().stream().map(URI::toString).collect(Collectors.joining(","));
  }

  /** {@inheritDoc} Cached: a second call with the same id makes no request. */
  @Override
  public Schema schemaById(int id) {
    Schema cached = byId.get(id);
    if (cached != null) {
      cacheHits.increment();
      return cached;
    }
    JsonNode answer = request("GET", "/schemas/ids/" + id, null);
    Schema schema = parseAvro(answer, "schema id " + id);
    if (byId.size() >= settings.cacheCapacity()) {
      // Any entry will do: a dropped one is fetched again, and ids never go stale.
      Iterator<Integer> any = byId.keySet().iterator();
      if (any.hasNext()) {
        byId.remove(any.next());
      }
    }
    Schema raced = byId.putIfAbsent(id, schema);
    return raced != null ? raced : schema;
  }

  @Override
  public Schema latestSchema(String subject) {
    return latest(subject).schema();
  }

  /** A subject's latest version: its id and schema. Not cached (latest changes). */
  public RegisteredSchema latest(String subject) {
    JsonNode answer = request("GET", "/subjects/" + encode(subject) + "/versions/latest", null);
    Schema schema = parseAvro(answer, "subject '" + subject + "'");
    return new RegisteredSchema(subject, answer.path("id").asInt(), answer.path("version").asInt(), schema);
  }

  /**
   * Registers {@code schema} under {@code subject} (a no-op returning the existing id when the
   * registry has it already) and returns its id. The registry's compatibility rules apply: an
   * incompatible schema is refused with a {@link RegistryException} (409).
   */
  public int register(String subject, Schema schema) {
    String body;
    try {
      body = JSON.writeValueAsString(JSON.createObjectNode().put("schema", schema.toString()));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    JsonNode answer = request("POST", "/subjects/" + encode(subject) + "/versions", body);
    if (!answer.path("id").canConvertToInt()) {
      throw new RegistryException("registry " + describe() + " registered " + subject + " but answered without an id: " + answer);
    }
    int id = answer.path("id").asInt();
    byId.putIfAbsent(id, schema);
    return id;
  }

  /**
   * Checks that the registry answers and accepts the credentials: lists the subjects.
   *
   * @throws RegistryAccessDeniedException on 401 or 403
   * @throws RegistryUnavailableException when no URL answers
   */
  public void checkAccess() {
    request("GET", "/subjects", null);
  }

  public long requests() {
    return requests.sum();
  }

  /** Attempts that failed with a network error, a timeout or an HTTP error status. */
  public long failedAttempts() {
    return failedAttempts.sum();
  }

  public long cacheHits() {
    return cacheHits.sum();
  }

  /** Whether the last request got an answer from the registry (true before any request). */
  public boolean reachable() {
    return reachable;
  }

  public int cachedSchemas() {
    return byId.size();
  }

  private JsonNode request(String method, String path, String body) {
    requests.increment();
    List<URI> urls = settings.urls();
    String lastFailure = "";
    Throwable lastCause = null;
    for (int attempt = 0; attempt <= settings.maxRetries(); attempt++) {
      if (attempt > 0) {
        sleep(settings.retryWait().multipliedBy(1L << Math.min(attempt - 1, 20)));
      }
      int start = preferred;
      for (int i = 0; i < urls.size(); i++) {
        int index = (start + i) % urls.size();
        URI url = URI.create(urls.get(index) + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
            .timeout(settings.readTimeout())
            .header("Accept", CONTENT_TYPE + ", application/json");
        authorization.ifPresent(a -> request.header("Authorization", a));
        if (body != null) {
          request.header("Content-Type", CONTENT_TYPE).method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
          request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response;
        try {
          response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
          failedAttempts.increment();
          lastFailure = method + " " + url + ": " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
          lastCause = e;
          continue;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new RegistryUnavailableException("interrupted while waiting for the schema registry at " + url, e);
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
          reachable = true;
          preferred = index;
          return parse(response.body(), url);
        }
        reachable = true;
        if (status == 408 || status == 429 || status >= 500) {
          failedAttempts.increment();
          lastFailure = method + " " + url + ": HTTP " + status + " " + abbreviate(response.body());
          lastCause = null;
          continue;
        }
        failedAttempts.increment();
        preferred = index;
        throw refusal(status, response.body(), method, url);
      }
    }
    reachable = false;
    String message = "schema registry unavailable: " + (settings.maxRetries() + 1) + " attempt(s) at " + describe()
        + " failed; last: " + lastFailure;
    log.warn("{}", message);
    throw new RegistryUnavailableException(message, lastCause);
  }

  /** What a refusing answer (a 4xx other than 408 and 429) means; package-private for the fuzz test of answers. */
  static RegistryException refusal(int status, String body, String method, URI url) {
    JsonNode error = null;
    try {
      error = JSON.readTree(body);
    } catch (IOException | RuntimeException ignored) {
      // Not JSON: reported as text below.
    }
    int code = error != null ? error.path("error_code").asInt(0) : 0;
    String said = error != null && error.hasNonNull("message") ? error.get("message").asText() : abbreviate(body);
    if (status == 401 || status == 403) {
      return new RegistryAccessDeniedException("schema registry " + url.getScheme() + "://" + url.getAuthority() + " refused "
          + method + " " + url.getPath() + " with HTTP " + status + (status == 401 ? " (wrong or missing credentials)" : " (not permitted)")
          + ": " + said);
    }
    if (status == 404 && code >= 40400 && code < 40500) {
      return new SchemaNotFoundException(code, said);
    }
    if (status == 404) {
      return new RegistryException("schema registry at " + url + " answered HTTP 404 without Confluent's error code: " + said
          + "; is the URL's path right? (Apicurio serves the Confluent API under /apis/ccompat/v7)");
    }
    return new RegistryException("schema registry refused " + method + " " + url + " with HTTP " + status
        + (code != 0 ? " (error code " + code + ")" : "") + ": " + said);
  }

  /** A 2xx answer's body as JSON; package-private for the fuzz test of answers. */
  static JsonNode parse(String body, URI url) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new RegistryException("schema registry at " + url + " answered with something that is not JSON: " + abbreviate(body), e);
    }
  }

  private Schema parseAvro(JsonNode answer, String what) {
    return parseAvro(answer, what, describe());
  }

  /**
   * The Avro schema of an answer to {@code GET /schemas/ids/{id}} or {@code .../versions/latest};
   * package-private for the fuzz test of answers.
   *
   * @throws RegistryException when the answer holds no usable Avro schema
   */
  static Schema parseAvro(JsonNode answer, String what, String registry) {
    String type = answer.path("schemaType").asText("AVRO");
    if (!type.equals("AVRO")) {
      throw new RegistryException(what + " in the registry " + registry + " is a " + type
          + " schema; StreamScore reads Avro only");
    }
    if (answer.path("references").isArray() && !answer.path("references").isEmpty()) {
      throw new RegistryException(what + " in the registry " + registry + " uses schema references "
          + answer.path("references") + ", which StreamScore does not resolve; inline the referenced types");
    }
    try {
      return new Schema.Parser().parse(answer.path("schema").asText());
    } catch (SchemaParseException e) {
      throw new RegistryException(what + " in the registry " + registry + " is not a valid Avro schema: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      // Avro's parser also refuses with AvroTypeException (an undefined named type, a default that does not fit its
      // field) and, for some unresolved names, NullPointerException (all found by RegistryAnswerFuzzTest). An answer
      // is what a stranger's server sends: whatever the parser throws means the same thing.
      throw new RegistryException(what + " in the registry " + registry + " is not a valid Avro schema ("
          + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
    }
  }

  private static String encode(String subject) {
    return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String abbreviate(String body) {
    String text = body == null ? "" : body.strip();
    return text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }

  private static void sleep(Duration wait) {
    try {
      Thread.sleep(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryUnavailableException("interrupted while waiting to retry the schema registry", e);
    }
  }

  private static SSLContext sslContext(SchemaRegistrySettings.Tls tls) {
    try {
      TrustManagerFactory trust = null;
      if (tls.truststore().isPresent()) {
        KeyStore store = load(tls.truststore().get(), tls.truststoreType(), tls.truststorePassword().map(p -> p.value()));
        trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
      }
      KeyManagerFactory keys = null;
      if (tls.keystore().isPresent()) {
        Optional<String> storePassword = tls.keystorePassword().map(p -> p.value());
        KeyStore store = load(tls.keystore().get(), tls.keystoreType(), storePassword);
        keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, tls.keyPassword().map(p -> p.value()).or(() -> storePassword).map(String::toCharArray).orElse(null));
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new org.apache.kafka.common.config.ConfigException("schema.registry.ssl.*: cannot set up TLS for the schema registry: "
          + e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  private static KeyStore load(java.nio.file.Path file, String type, Optional<String> password)
      throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance(type);
    try (InputStream in = Files.newInputStream(file)) {
      store.load(in, password.map(String::toCharArray).orElse(null));
    }
    return store;
  }

  /** One version of a subject. */
  public record RegisteredSchema(String subject, int id, int version, Schema schema) {}
}
