package io.streamscore.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.config.types.Password;

/**
 * How to reach a Confluent-API schema registry (Confluent Schema Registry or Cloud, Karapace,
 * Redpanda, Apicurio under {@code /apis/ccompat/v7}). Immutable. The secrets are Kafka
 * {@link Password}s, whose {@code toString()} prints {@code [hidden]}.
 *
 * @param urls one or more base URLs, each possibly with a path prefix; tried in order, failing over
 * @param userInfo {@code user:password} for HTTP basic auth
 * @param bearerToken a bearer token; never together with {@code userInfo}
 * @param tls trust and key material for {@code https} URLs; empty uses the JDK's default trust store
 * @param maxRetries retries after the first attempt, for 408, 429, 5xx and network errors only
 * @param retryWait the wait before the first retry; each further retry waits twice as long
 * @param cacheCapacity most writer schemas kept by id (ids are immutable, so entries never go stale)
 */
public record SchemaRegistrySettings(List<URI> urls, Optional<Password> userInfo, Optional<Password> bearerToken,
    Optional<Tls> tls, Duration connectTimeout, Duration readTimeout, int maxRetries, Duration retryWait, int cacheCapacity) {

  public SchemaRegistrySettings {
    urls = List.copyOf(urls);
  }

  /** Trust store and optional key store (for mutual TLS), as files. */
  public record Tls(Optional<Path> truststore, Optional<Password> truststorePassword, String truststoreType,
      Optional<Path> keystore, Optional<Password> keystorePassword, String keystoreType, Optional<Password> keyPassword) {}

  /**
   * The longest one registry request can take before it gives up: every attempt at every URL
   * timing out, plus the waits between attempts.
   */
  public Duration worstCaseRequest() {
    Duration attempt = connectTimeout.plus(readTimeout).multipliedBy(urls.size());
    Duration waits = Duration.ZERO;
    for (int retry = 0; retry < maxRetries; retry++) {
      waits = waits.plus(retryWait.multipliedBy(1L << Math.min(retry, 20)));
    }
    return attempt.multipliedBy(maxRetries + 1L).plus(waits);
  }
}
