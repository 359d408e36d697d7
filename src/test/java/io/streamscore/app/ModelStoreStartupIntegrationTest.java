package io.streamscore.app;

import static io.streamscore.app.ModelStoreScoringIntegrationTest.DEMO_VERSION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamscore.config.ConfigLoader;
import io.streamscore.config.StreamScoreConfig;
import io.streamscore.model.ModelLoadException;
import io.streamscore.support.LocalS3;
import io.streamscore.support.LocalS3Server;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model store that cannot serve the model stops start-up with one line naming the key to fix,
 * leaving nothing behind: wrong credentials, a missing bucket, a store that does not answer, and a
 * bucket with no complete version. No broker is needed: the model is loaded before Kafka is asked.
 */
class ModelStoreStartupIntegrationTest {
  @RegisterExtension
  static final LocalS3 S3 = new LocalS3();

  @TempDir
  Path cache;

  @AfterEach
  void restoreCredentials() throws Exception {
    S3.useCredentials(LocalS3Server.ACCESS_KEY, LocalS3Server.SECRET_KEY);
    assertEquals(List.of(), ModelStoreScoringIntegrationTest.list(cache), "a failed start-up leaves no cache directory");
  }

  private StreamScoreConfig config(String bucket, String prefix) {
    Map<String, String> settings = new HashMap<>(S3.modelSettings(bucket, prefix, cache));
    settings.put("bootstrap.servers", "127.0.0.1:1");
    settings.put("http.port", "-1");
    return ConfigLoader.load(Optional.empty(), Map.of(), settings);
  }

  @Test
  void shouldStopStartUpNamingModelPathWhenTheStoreRefusesTheCredentialsWithoutShowingTheSecret() {
    String bucket = S3.createBucket("guarded");
    S3.putVersion(bucket, "fraud", 1, DEMO_VERSION);
    String secret = "wrong-secret-7f3a9c";
    S3.useCredentials(LocalS3Server.ACCESS_KEY, secret);

    ConfigException e = assertThrows(ConfigException.class, () -> StreamScoreService.start(config(bucket, "fraud")));

    assertTrue(e.getMessage().contains("model.path") && e.getMessage().contains("refused the credentials"), e.getMessage());
    assertTrue(e.getMessage().contains("403"), e.getMessage());
    assertFalse(e.getMessage().contains(secret), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
  }

  @Test
  void shouldStopStartUpNamingModelPathForAnUnknownAccessKey() {
    String bucket = S3.createBucket("unknown-key");
    S3.useCredentials("nobody", "nothing");
    ConfigException e = assertThrows(ConfigException.class, () -> StreamScoreService.start(config(bucket, "fraud")));
    assertTrue(e.getMessage().contains("model.path") && e.getMessage().contains("refused the credentials"), e.getMessage());
  }

  @Test
  void shouldStopStartUpNamingModelPathWhenTheBucketDoesNotExist() {
    ConfigException e = assertThrows(ConfigException.class, () -> StreamScoreService.start(config("no-such-bucket", "fraud")));
    assertTrue(e.getMessage().contains("model.path") && e.getMessage().contains("bucket 'no-such-bucket' does not exist"), e.getMessage());
  }

  @Test
  void shouldStopStartUpNamingTheEndpointWhenTheStoreDoesNotAnswer() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Map<String, String> settings = new HashMap<>(S3.modelSettings("models", "fraud", cache));
    settings.put("model.s3.endpoint", "http://127.0.0.1:" + closedPort);
    settings.put("bootstrap.servers", "127.0.0.1:1");
    settings.put("http.port", "-1");
    StreamScoreConfig config = ConfigLoader.load(Optional.empty(), Map.of(), settings);

    ConfigException e = assertThrows(ConfigException.class, () -> StreamScoreService.start(config));

    assertTrue(e.getMessage().contains("model.s3.endpoint") && e.getMessage().contains("cannot reach the store"), e.getMessage());
  }

  @Test
  void shouldStopStartUpAsForAnEmptyDirectoryWhenNoVersionIsComplete() {
    String bucket = S3.createBucket("incomplete");
    ModelLoadException empty = assertThrows(ModelLoadException.class, () -> StreamScoreService.start(config(bucket, "fraud")));
    assertTrue(empty.getMessage().startsWith("no model version in s3://incomplete/fraud"), empty.getMessage());

    for (String file : LocalS3Server.files(DEMO_VERSION)) {
      S3.server().put(S3.client(), bucket, LocalS3Server.key("fraud", 1, file), DEMO_VERSION.resolve(file));
    }
    ModelLoadException unmarked = assertThrows(ModelLoadException.class, () -> StreamScoreService.start(config(bucket, "fraud")));
    assertTrue(unmarked.getMessage().contains("not complete yet: 1 (no _COMPLETE marker"), unmarked.getMessage());
  }

  @Test
  void shouldExitWithOneLineNamingModelPathWhenTheEnvironmentsCredentialsAreRefusedAndNeverPrintTheSecret(@TempDir Path dir)
      throws Exception {
    String bucket = S3.createBucket("guarded-cli");
    S3.putVersion(bucket, "fraud", 1, DEMO_VERSION);
    String secret = "env-secret-5d21e8b0";
    Map<String, String> settings = new java.util.LinkedHashMap<>();
    java.util.Properties demo = new java.util.Properties();
    try (var in = java.nio.file.Files.newInputStream(Path.of("src/main/resources/streamscore-demo.properties"))) {
      demo.load(in);
    }
    demo.forEach((k, v) -> settings.put(k.toString(), v.toString()));
    settings.putAll(S3.modelSettings(bucket, "fraud", cache));
    settings.put("bootstrap.servers", "127.0.0.1:1");
    settings.put("http.port", "-1");
    Path config = io.streamscore.support.StreamScoreProcesses.writeConfig(dir.resolve("streamscore.properties"), settings);
    Path log = dir.resolve("streamscore.log");

    // The SDK's default chain reads the environment: the link a Kubernetes Secret feeds.
    Process process = io.streamscore.support.StreamScoreProcesses.start(config, log, List.of(),
        Map.of("AWS_ACCESS_KEY_ID", LocalS3Server.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", secret));
    assertTrue(process.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "start-up ended");

    String output = java.nio.file.Files.readString(log);
    assertEquals(2, process.exitValue(), output);
    List<String> errors = output.lines().filter(l -> l.startsWith("streamscore: ")).toList();
    assertEquals(1, errors.size(), output);
    assertTrue(errors.get(0).contains("model.path") && errors.get(0).contains("refused the credentials"), errors.get(0));
    assertFalse(output.contains(secret), "the secret is never printed: " + output);
    assertFalse(output.contains("\tat "), "no stack trace: " + output);
  }
}
