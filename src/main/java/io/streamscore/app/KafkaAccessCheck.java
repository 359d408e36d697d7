package io.streamscore.app;

import io.streamscore.config.SourceDefinition;
import io.streamscore.config.StreamScoreConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;

/**
 * Checks before Kafka Streams starts that StreamScore can log in to the cluster and may read its
 * input topics and write its output and dead-letter topics. Without it, wrong credentials or a
 * missing ACL surface later as a stream thread's stack trace; with it, start-up stops at once with
 * the topic and operation that were denied. The check asks the broker for the operations this
 * principal is authorized for (KIP-430); it sends no record.
 */
final class KafkaAccessCheck {
  private KafkaAccessCheck() {}

  /** Start-up cannot go on: the message says which credentials, topic or operation. */
  static final class KafkaAccessException extends RuntimeException {
    KafkaAccessException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Logs in (an admin request); call before anything else talks to the cluster. */
  static void login(StreamScoreConfig config, String bootstrap) {
    check(config, bootstrap, false);
  }

  /** Checks DESCRIBE, READ and WRITE on the topics; call once they exist. */
  static void verify(StreamScoreConfig config, String bootstrap) {
    check(config, bootstrap, true);
  }

  private static void check(StreamScoreConfig config, String bootstrap, boolean topics) {
    var properties = config.clientProperties(bootstrap);
    properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
    String identity = "Kafka at " + bootstrap + " (security.protocol=" + properties.getOrDefault("security.protocol", "PLAINTEXT")
        + properties.entrySet().stream().filter(e -> e.getKey().equals("sasl.mechanism")).map(e -> ", sasl.mechanism=" + e.getValue())
            .findFirst().orElse("") + ")";
    // Closed at once (Duration.ZERO): when a stop or a timeout made this give up on a call, a plain
    // close would wait for the call's own timeout.
    Admin admin = Admin.create(properties);
    try {
      admin.describeCluster().nodes().get(30, TimeUnit.SECONDS);
      if (!topics) {
        return;
      }
      Map<String, String> roles = new LinkedHashMap<>();
      for (SourceDefinition source : config.sources()) {
        source.topics().forEach(t -> roles.put(t, "input topic of source '" + source.name() + "'"));
      }
      roles.put(config.outputTopic(), StreamScoreConfig.OUTPUT_TOPIC_CONFIG);
      roles.put(config.deadLetterTopic(), StreamScoreConfig.DEAD_LETTER_TOPIC_CONFIG);
      Map<String, TopicDescription> descriptions;
      try {
        descriptions = admin.describeTopics(List.copyOf(roles.keySet()), new DescribeTopicsOptions().includeAuthorizedOperations(true))
            .allTopicNames().get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof TopicAuthorizationException denied) {
          throw new KafkaAccessException("not authorized to DESCRIBE topics " + denied.unauthorizedTopics() + " on " + identity
              + "; grant DESCRIBE (and READ on inputs, WRITE on outputs) to StreamScore's principal", denied);
        }
        throw e;
      }
      List<String> missing = new ArrayList<>();
      descriptions.forEach((topic, description) -> {
        Set<AclOperation> allowed = description.authorizedOperations();
        if (allowed == null) {
          return; // the broker did not say; Kafka Streams will find out
        }
        AclOperation needed = roles.get(topic).startsWith("input") ? AclOperation.READ : AclOperation.WRITE;
        if (!allowed.contains(needed) && !allowed.contains(AclOperation.ALL)) {
          missing.add(needed + " on topic '" + topic + "' (" + roles.get(topic) + ")");
        }
      });
      if (!missing.isEmpty()) {
        throw new KafkaAccessException("not authorized: " + String.join(", ", missing) + " on " + identity
            + "; add the ACLs for StreamScore's principal", null);
      }
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof AuthenticationException) {
        throw new KafkaAccessException("cannot log in to " + identity + ": " + cause.getMessage()
            + "; check the credentials (kafka.sasl.jaas.config) and TLS settings", cause);
      }
      throw new KafkaAccessException("cannot use " + identity + ": " + cause, cause);
    } catch (TimeoutException e) {
      throw new KafkaAccessException("no answer from " + identity + " within 30 s; check bootstrap.servers and the network", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaAccessException("interrupted while checking access to " + identity, e);
    } finally {
      admin.close(java.time.Duration.ZERO);
    }
  }
}
