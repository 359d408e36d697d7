package io.streamscore.app;

import io.streamscore.config.ModelStoreSettings;
import io.streamscore.config.S3Location;
import io.streamscore.config.StreamScoreConfig;
import io.streamscore.model.ModelManager;
import io.streamscore.model.ModelOptions;
import io.streamscore.model.VersionSource;
import io.streamscore.model.store.S3VersionSource;
import io.streamscore.model.store.StoreAccessException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;

/**
 * A model's versions at start-up, from a local directory or from a bucket: the manager for
 * {@code model.path} or {@code shadow.model.path}. A store that refuses the credentials, lacks the
 * bucket or does not answer stops start-up with a {@link ConfigException} naming the key to fix;
 * there is nothing to serve without the model.
 */
final class ModelStoreSetup {
  private ModelStoreSetup() {}

  /**
   * @param pathKey {@code model.path} or {@code shadow.model.path}: which model, and the key errors name
   * @param localPath the local base path, when the model is not in a bucket
   * @param store the bucket location, when it is
   * @param configuredName the configured model name; blank for the base path's name (the bucket path's last segment)
   * @param options the model's other options; their base path and name are replaced
   * @throws ConfigException naming {@code pathKey} (or {@code model.s3.endpoint} or {@code model.s3.region}), in one line
   * @throws io.streamscore.model.ModelLoadException when no version fits, or the chosen one cannot be served
   */
  static ModelManager start(StreamScoreConfig config, String pathKey, Optional<Path> localPath, Optional<S3Location> store,
                            String configuredName, ModelOptions options) {
    if (store.isEmpty()) {
      return ModelManager.start(options.withBasePath(localPath.orElseThrow(), configuredName));
    }
    S3Location location = store.get();
    ModelStoreSettings settings = config.modelStoreSettings();
    String kind = pathKey.equals(StreamScoreConfig.SHADOW_MODEL_PATH_CONFIG) ? "shadow" : "model";
    VersionSource source;
    try {
      source = S3VersionSource.open(settings, location, options.versionPolicy(), options.pollInterval(), kind, Clock.systemUTC());
    } catch (StoreAccessException e) {
      String key = switch (e.reason()) {
        case UNREACHABLE -> settings.endpoint().isPresent() ? StreamScoreConfig.MODEL_S3_ENDPOINT_CONFIG : pathKey;
        case NO_REGION -> StreamScoreConfig.MODEL_S3_REGION_CONFIG;
        default -> pathKey;
      };
      Object value = key.equals(StreamScoreConfig.MODEL_S3_ENDPOINT_CONFIG) ? settings.endpoint().get().toString()
          : key.equals(StreamScoreConfig.MODEL_S3_REGION_CONFIG) ? "" : location.toString();
      throw new ConfigException(key, value, e.getMessage());
    }
    // Not the cache directory's name, which is a random one.
    String name = configuredName.isBlank() ? location.defaultModelName() : configuredName;
    return ModelManager.start(options.withBasePath(source.basePath(), name), source);
  }
}
