package io.streamscore.support;

import io.streamscore.registry.local.LocalSchemaRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real schema registry (Apicurio, Confluent API) for one test class, started on 127.0.0.1
 * before its tests and stopped after them. The class is reported skipped, with the reason, where
 * no Java 21+ or no unpacked Apicurio distribution exists.
 * <pre>{@code @RegisterExtension static final LocalRegistry REGISTRY = new LocalRegistry();}</pre>
 */
public final class LocalRegistry implements BeforeAllCallback, AfterAllCallback {
  private LocalSchemaRegistry registry;

  @Override
  public void beforeAll(ExtensionContext context) {
    Optional<String> reason = LocalSchemaRegistry.unavailableReason();
    Assumptions.assumeTrue(reason.isEmpty(), () -> "no local schema registry: " + reason.orElse(""));
    try {
      registry = LocalSchemaRegistry.start();
    } catch (IllegalStateException slow) {
      // On a loaded shared machine Apicurio has taken longer than its 90 s start bound (97 s seen,
      // with a load average of 25): a second try, rather than failing the class for the machine's load.
      registry = LocalSchemaRegistry.start();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (registry != null) {
      registry.close();
    }
  }

  public String url() {
    return registry.url();
  }

  public LocalSchemaRegistry registry() {
    return registry;
  }

  /** GET {@code path} under the registry's Confluent API, as any HTTP client would; the body. */
  public String get(String path) throws IOException, InterruptedException {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("GET " + path + ": HTTP " + response.statusCode() + " " + response.body());
    }
    return response.body();
  }
}
