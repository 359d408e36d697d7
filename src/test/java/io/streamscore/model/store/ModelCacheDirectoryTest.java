package io.streamscore.model.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCacheDirectoryTest {
  @Test
  void shouldDeleteADirectoryLeftByAProcessThatEndedButNotOneInUse(@TempDir Path root) throws IOException {
    Path leftover = Files.createDirectories(root.resolve("model-123/1"));
    Files.writeString(leftover.resolve("saved_model.pb"), "old");
    try (ModelCacheDirectory inUse = ModelCacheDirectory.create(root, "model");
         ModelCacheDirectory another = ModelCacheDirectory.create(root, "model")) {
      assertFalse(Files.exists(root.resolve("model-123")), "nobody held its lock");
      assertTrue(Files.isDirectory(inUse.path()), "a directory whose lock is held stays");
      assertTrue(inUse.path().getFileName().toString().startsWith("model-"));
      assertFalse(inUse.path().equals(another.path()));
    }
  }

  @Test
  void shouldDeleteItsOwnDirectoryOnClose(@TempDir Path root) throws IOException {
    Path path;
    try (ModelCacheDirectory cache = ModelCacheDirectory.create(root, "shadow")) {
      path = cache.path();
      Files.createDirectories(path.resolve("2/variables"));
    }
    assertFalse(Files.exists(path));
  }
}
