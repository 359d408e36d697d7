package io.streamscore.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.streamscore.config.ConfigLoader;
import io.streamscore.config.GroupProtocol;
import io.streamscore.config.StreamScoreConfig;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KafkaPathWarmupScratchConfigTest {
  @Test
  void shouldLeaveOutTheShadowCandidateAndTheStoreKeysThatWereThereForItAlone() {
    StreamScoreConfig config = ConfigLoader.load(Optional.empty(), Map.of(), Map.of("shadow.model.path", "s3://models/candidate",
        "model.s3.endpoint", "http://127.0.0.1:9000", "model.s3.path.style", "true"));

    StreamScoreConfig scratch = KafkaPathWarmup.scratchConfig(config, "scratch-1", GroupProtocol.CLASSIC);

    assertFalse(scratch.shadowEnabled());
    assertEquals(Optional.empty(), scratch.modelStoreSettings().endpoint());
    assertEquals(config.modelPath(), scratch.modelPath());
  }

  @Test
  void shouldKeepTheStoreKeysOfAPrimaryModelInABucket() {
    StreamScoreConfig config = ConfigLoader.load(Optional.empty(), Map.of(), Map.of("model.path", "s3://models/fraud",
        "model.s3.endpoint", "http://127.0.0.1:9000"));

    StreamScoreConfig scratch = KafkaPathWarmup.scratchConfig(config, "scratch-1", GroupProtocol.CLASSIC);

    assertEquals(config.modelStore(), scratch.modelStore());
    assertEquals(config.modelStoreSettings(), scratch.modelStoreSettings());
  }
}
