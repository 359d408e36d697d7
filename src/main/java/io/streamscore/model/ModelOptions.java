package io.streamscore.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * How to find, load and warm up a model. Immutable.
 *
 * @param basePath a directory of numeric version directories (TensorFlow Serving's layout), or a
 *     SavedModel directory itself
 * @param name the model name reported in predictions; the base directory's name when null
 * @param signatureKey which signature to serve
 * @param tags the meta graph tags to load
 * @param warmup whether to call the model before it is handed out (see {@link WarmupReport})
 * @param warmupBatchSizes the batch sizes warm-up exercises: the sizes the runtime will call with
 * @param warmupIterations calls per batch size during warm-up
 * @param intraOpThreads TensorFlow's intra-op pool size; 0 lets TensorFlow choose
 * @param interOpThreads TensorFlow's inter-op pool size; 0 lets TensorFlow choose, -1 (the default) runs ops in
 *     the calling thread
 * @param versionPolicy which version under {@code basePath} to serve
 * @param pollInterval how often to look for a new version; zero never looks again after start-up
 * @param warmupRows the sample records and placeholder rows to warm up with, made for a signature
 *     by the sources' mappings (they know the features a tf.Example signature parses); null
 *     synthesises placeholders from the signature alone
 * @param callTimeout longest a model call may run before TensorFlow aborts it; zero for no bound
 */
public record ModelOptions(
    Path basePath,
    String name,
    String signatureKey,
    List<String> tags,
    boolean warmup,
    List<Integer> warmupBatchSizes,
    int warmupIterations,
    int intraOpThreads,
    int interOpThreads,
    VersionPolicy versionPolicy,
    java.time.Duration pollInterval,
    java.util.function.Function<ModelSignature, WarmupRows> warmupRows,
    java.time.Duration callTimeout) {

  public ModelOptions {
    Objects.requireNonNull(basePath, "basePath");
    Objects.requireNonNull(signatureKey, "signatureKey");
    Objects.requireNonNull(versionPolicy, "versionPolicy");
    Objects.requireNonNull(pollInterval, "pollInterval");
    Objects.requireNonNull(callTimeout, "callTimeout");
    tags = List.copyOf(tags);
    warmupBatchSizes = List.copyOf(warmupBatchSizes);
    if (name == null || name.isBlank()) {
      Path fileName = basePath.toAbsolutePath().normalize().getFileName();
      name = fileName == null ? "model" : fileName.toString();
    }
  }

  /** Options with StreamScore's defaults for everything but the path. */
  public static ModelOptions defaults(Path basePath) {
    return new ModelOptions(basePath, null, "serving_default", List.of("serve"), true, List.of(1), 20, 0, -1,
        VersionPolicy.latest(), java.time.Duration.ZERO, null, java.time.Duration.ofSeconds(10));
  }

  /** The same options for versions under another base path, named {@code name} (the base path's name when null). */
  public ModelOptions withBasePath(Path path, String modelName) {
    return new ModelOptions(path, modelName, signatureKey, tags, warmup, warmupBatchSizes, warmupIterations, intraOpThreads, interOpThreads,
        versionPolicy, pollInterval, warmupRows, callTimeout);
  }

  public ModelOptions withWarmup(boolean enabled) {
    return new ModelOptions(basePath, name, signatureKey, tags, enabled, warmupBatchSizes, warmupIterations, intraOpThreads, interOpThreads, versionPolicy, pollInterval, warmupRows, callTimeout);
  }

  public ModelOptions withSignature(String key) {
    return new ModelOptions(basePath, name, key, tags, warmup, warmupBatchSizes, warmupIterations, intraOpThreads, interOpThreads,
        versionPolicy, pollInterval, warmupRows, callTimeout);
  }

  public ModelOptions withVersionPolicy(VersionPolicy policy, java.time.Duration interval) {
    return new ModelOptions(basePath, name, signatureKey, tags, warmup, warmupBatchSizes, warmupIterations, intraOpThreads,
        interOpThreads, policy, interval, warmupRows, callTimeout);
  }

  public ModelOptions withCallTimeout(java.time.Duration timeout) {
    return new ModelOptions(basePath, name, signatureKey, tags, warmup, warmupBatchSizes, warmupIterations, intraOpThreads,
        interOpThreads, versionPolicy, pollInterval, warmupRows, timeout);
  }

  public ModelOptions withWarmupRows(java.util.function.Function<ModelSignature, WarmupRows> rows) {
    return new ModelOptions(basePath, name, signatureKey, tags, warmup, warmupBatchSizes, warmupIterations, intraOpThreads,
        interOpThreads, versionPolicy, pollInterval, rows, callTimeout);
  }
}
