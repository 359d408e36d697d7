package io.streamscore.model.internals;

import io.streamscore.model.FeatureRow;
import io.streamscore.model.ModelDescription;
import io.streamscore.model.ModelLoadException;
import io.streamscore.model.ModelOptions;
import io.streamscore.model.ModelSignature;
import io.streamscore.model.ModelVersions;
import io.streamscore.model.OutputValue;
import io.streamscore.model.ScoredRow;
import io.streamscore.model.Scorer;
import io.streamscore.model.ScoringException;
import io.streamscore.model.TensorSpec;
import io.streamscore.model.TensorType;
import io.streamscore.model.WarmupReport;
import io.streamscore.model.WarmupRows;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.proto.ConfigProto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Scorer} over one loaded SavedModel: one {@link SavedModelBundle}, one session, shared by
 * every caller. TensorFlow's session contract allows concurrent {@code Session.run} calls; this
 * class adds no lock on the scoring path. Graph operations are resolved once at load, and feeds go
 * through {@code Session.Runner} with resolved outputs rather than {@code SessionFunction.call},
 * which costs about 30 µs more per call.
 *
 * <p>Every tensor this class creates and every {@link Result} it receives is closed before
 * {@link #score} returns: TensorFlow's native memory is not the garbage collector's.
 *
 * <p>{@link #close()} must be called only after every {@code score} call has returned (the session
 * would otherwise be deleted under a running call).
 */
public final class SavedModelScorer implements Scorer {
  private static final Logger log = LoggerFactory.getLogger(SavedModelScorer.class);

  private final SavedModelBundle bundle;
  private final Session session;
  private final ModelDescription description;
  private final Output<?>[] feeds;
  private final Output<?>[] fetches;
  private final int maxRecordsPerCall;
  private final org.tensorflow.proto.RunOptions runOptions;
  private final long callTimeoutMillis;
  private final WarmupReport warmupReport;
  private volatile boolean closed;
  private final List<String> signatureReport;

  private SavedModelScorer(SavedModelBundle bundle, ModelDescription description, Output<?>[] feeds,
      Output<?>[] fetches, Duration loadTime, ModelOptions options, WarmupRows warmupRows) {
    this.bundle = bundle;
    this.session = bundle.session();
    this.description = description;
    this.feeds = feeds;
    this.fetches = fetches;
    this.maxRecordsPerCall = description.signature().maxRecordsPerCall();
    this.callTimeoutMillis = options.callTimeout().toMillis();
    // TensorFlow aborts a run that exceeds timeout_in_ms with DEADLINE_EXCEEDED: a stuck model call
    // fails its record (dead letter) instead of holding a stream thread past max.poll.interval.ms.
    this.runOptions = callTimeoutMillis > 0 ? org.tensorflow.proto.RunOptions.newBuilder().setTimeoutInMs(callTimeoutMillis).build() : null;
    this.signatureReport = describeAll(bundle);
    this.warmupReport = options.warmup() ? warmUp(loadTime, options, warmupRows) : WarmupReport.off(loadTime);
  }

  /**
   * Loads the newest version under {@code options.basePath()}, checks that its signature can be
   * served, and warms it up when {@code options.warmup()} is set. Returns only a ready scorer.
   *
   * @throws ModelLoadException with the path, signature and reason when any of that fails
   */
  public static SavedModelScorer load(ModelOptions options) {
    ModelVersions.Version version = options.versionPolicy().choose(ModelVersions.list(options.basePath()))
        .orElseThrow(() -> new ModelLoadException("no model version under " + options.basePath().toAbsolutePath()
            + " fits the version policy (" + options.versionPolicy() + "); expected numeric directories holding saved_model.pb"));
    return load(options, version);
  }

  /** Loads, checks and (if configured) warms up one given version. */
  public static SavedModelScorer load(ModelOptions options, ModelVersions.Version version) {
    long start = System.nanoTime();
    SavedModelBundle bundle;
    try {
      SavedModelBundle.Loader loader = SavedModelBundle.loader(version.directory().toString())
          .withTags(options.tags().toArray(String[]::new));
      if (options.intraOpThreads() != 0 || options.interOpThreads() != 0) {
        loader.withConfigProto(ConfigProto.newBuilder()
            .setIntraOpParallelismThreads(options.intraOpThreads())
            .setInterOpParallelismThreads(options.interOpThreads())
            .build());
      }
      bundle = loader.load();
    } catch (RuntimeException e) {
      throw new ModelLoadException("cannot load SavedModel " + version.directory().toAbsolutePath()
          + " with tags " + options.tags() + ": " + e.getMessage(), e);
    }
    Duration loadTime = Duration.ofNanos(System.nanoTime() - start);
    ModelDescription description;
    Output<?>[] feeds;
    Output<?>[] fetches;
    try {
      Signature signature = findSignature(bundle, options.signatureKey(), version);
      ModelSignature modelSignature = describe(signature, version);
      feeds = resolve(bundle, signature.getInputs(), modelSignature.inputs());
      fetches = resolve(bundle, signature.getOutputs(), modelSignature.outputs());
      description = new ModelDescription(options.name(), version.number(), version.directory(), modelSignature);
    } catch (RuntimeException e) {
      bundle.close();
      throw e instanceof ModelLoadException ? e : new ModelLoadException("cannot serve model "
          + version.directory().toAbsolutePath() + ": " + e.getMessage(), e);
    }
    WarmupRows rows;
    try {
      // The caller's rows (its mappings, its sample files) may reject the signature: that error is
      // the caller's, not wrapped.
      rows = options.warmup() && options.warmupRows() != null ? options.warmupRows().apply(description.signature()) : WarmupRows.NONE;
    } catch (RuntimeException e) {
      bundle.close();
      throw e;
    }
    try {
      return new SavedModelScorer(bundle, description, feeds, fetches, loadTime, options, rows);
    } catch (RuntimeException e) {
      bundle.close();
      throw e instanceof ModelLoadException ? e : new ModelLoadException("model " + version.directory().toAbsolutePath()
          + " failed its warm-up: " + e.getMessage(), e);
    }
  }

  private static Signature findSignature(SavedModelBundle bundle, String key, ModelVersions.Version version) {
    List<Signature> signatures = bundle.signatures();
    return signatures.stream().filter(s -> s.key().equals(key)).findFirst()
        .orElseThrow(() -> new ModelLoadException("model " + version.directory().toAbsolutePath()
            + " has no signature '" + key + "'; it has " + signatures.stream().map(Signature::key).sorted().toList()
            + ". Set model.signature to one of them."));
  }

  private static ModelSignature describe(Signature signature, ModelVersions.Version version) {
    String method = signature.methodName() == null ? "" : signature.methodName();
    if (ModelSignature.EXAMPLE_METHODS.contains(method) && signature.getInputs().size() == 1
        && signature.getInputs().values().iterator().next().dataType == org.tensorflow.proto.DataType.DT_STRING) {
      // Serialized tf.Example protos are fed as a vector, one per record, whatever shape the
      // signature declares (exporters often leave it unknown or scalar), as TensorFlow Serving does.
      String name = signature.getInputs().keySet().iterator().next();
      List<TensorSpec> outputs = specs(signature.getOutputs(), "output", signature.key(), version, false);
      return new ModelSignature(signature.key(), method, List.of(new TensorSpec(name, TensorType.DT_STRING, List.of(-1L))), outputs);
    }
    List<TensorSpec> inputs = specs(signature.getInputs(), "input", signature.key(), version, true);
    List<TensorSpec> outputs = specs(signature.getOutputs(), "output", signature.key(), version, false);
    return new ModelSignature(signature.key(), method, inputs, outputs);
  }

  private static List<TensorSpec> specs(Map<String, Signature.TensorDescription> descriptions, String role,
      String key, ModelVersions.Version version, boolean isInput) {
    List<TensorSpec> specs = new ArrayList<>();
    descriptions.forEach((name, d) -> {
      TensorType type = TensorConversion.typeOf(d.dataType);
      if (type == null) {
        throw new ModelLoadException("signature '" + key + "' of " + version.directory().toAbsolutePath() + " has " + role
            + " '" + name + "' of dtype " + d.dataType + "; StreamScore serves DT_FLOAT, DT_DOUBLE, DT_INT32, DT_INT64, DT_BOOL and DT_STRING");
      }
      if (d.shape.isUnknown()) {
        if (isInput) {
          throw new ModelLoadException("signature '" + key + "' has input '" + name + "' of unknown rank;"
              + " export the model with a known input shape such as [-1] or [-1, n]");
        }
        specs.add(new TensorSpec(name, type, List.of(-1L)));
        return;
      }
      List<Long> dims = new ArrayList<>();
      for (long dim : d.shape.asArray()) {
        dims.add(dim);
      }
      TensorSpec spec = new TensorSpec(name, type, dims);
      if (isInput && !spec.hasKnownRecordShape()) {
        throw new ModelLoadException("signature '" + key + "' has input '" + name + "' of shape " + spec.shapeText()
            + "; StreamScore needs every dimension but the first one known, e.g. [-1] or [-1, 3]");
      }
      specs.add(spec);
    });
    specs.sort(Comparator.comparing(TensorSpec::name));
    return specs;
  }

  private static Output<?>[] resolve(SavedModelBundle bundle, Map<String, Signature.TensorDescription> descriptions, List<TensorSpec> specs) {
    Output<?>[] outputs = new Output<?>[specs.size()];
    for (int i = 0; i < specs.size(); i++) {
      outputs[i] = bundle.graph().outputOrThrow(descriptions.get(specs.get(i).name()).name);
    }
    return outputs;
  }

  /**
   * Warms the version up, most trusted rows first: its TensorFlow Serving warm-up file, each request
   * once; the sources' sample records, each once; then every batch size the runtime will call with,
   * made of sample records, else of the file's rows, else of placeholders. A failure of a real row
   * (file or sample) refuses the version, as real traffic would fail it. A placeholder row the model
   * rejects for its values only ends the warm-up with a warning: the model is served.
   */
  private WarmupReport warmUp(Duration loadTime, ModelOptions options, WarmupRows given) {
    long start = System.nanoTime();
    Duration[] firstCall = {null};
    int calls = 0;
    List<List<FeatureRow>> fileRequests = WarmupRequests.read(description.directory(), description.signature());
    for (int i = 0; i < fileRequests.size(); i++) {
      warmupCall(fileRequests.get(i), firstCall, "request " + (i + 1) + " of " + WarmupRequests.FILE);
      calls++;
    }
    List<FeatureRow> samples = given.sampleRecords();
    int largest = options.warmupBatchSizes().stream().mapToInt(Integer::intValue).max().orElse(1);
    int chunk = Math.max(1, Math.min(largest, maxRecordsPerCall));
    for (int from = 0; from < samples.size(); from += chunk) {
      warmupCall(samples.subList(from, Math.min(samples.size(), from + chunk)), firstCall,
          "sample records " + (from + 1) + " to " + Math.min(samples.size(), from + chunk));
      calls++;
    }
    WarmupReport.RowsFrom rowsFrom;
    List<FeatureRow> templates;
    if (!samples.isEmpty()) {
      rowsFrom = WarmupReport.RowsFrom.SAMPLE_RECORDS;
      templates = samples;
    } else if (!fileRequests.isEmpty()) {
      rowsFrom = WarmupReport.RowsFrom.WARMUP_FILE;
      templates = fileRequests.stream().flatMap(List::stream).toList();
    } else {
      rowsFrom = WarmupReport.RowsFrom.PLACEHOLDERS;
      templates = given.placeholders().isEmpty() ? SyntheticRows.of(description.signature(), 1) : given.placeholders();
    }
    Optional<String> rejected = Optional.empty();
    sizes:
    for (int batchSize : options.warmupBatchSizes()) {
      List<FeatureRow> rows = cycle(templates, Math.min(batchSize, maxRecordsPerCall));
      for (int i = 0; i < options.warmupIterations(); i++) {
        try {
          warmupCall(rows, firstCall, "batch of " + rows.size());
          calls++;
        } catch (ModelLoadException e) {
          if (rowsFrom != WarmupReport.RowsFrom.PLACEHOLDERS || !PlaceholderRejection.dependsOnValues(e)) {
            throw e;
          }
          List<Integer> atFault = PlaceholderRejection.inputsAtFault(bundle.graph(), feeds, e);
          String warning = PlaceholderRejection.warning(description.name(), description.version(),
              description.signature().inputs(), atFault, templates.get(0), description.signature().takesExamples(), e);
          log.warn("{}", warning);
          rejected = Optional.of(warning);
          break sizes;
        }
      }
    }
    WarmupReport report = new WarmupReport(loadTime, firstCall[0] == null ? Duration.ZERO : firstCall[0],
        Duration.ofNanos(System.nanoTime() - start), calls, fileRequests.size(), rowsFrom, rejected);
    log.info("Model {} version {} loaded in {} ms; warm-up: {} calls ({} from {}, {} sample records, batch sizes from {}) in {} ms,"
        + " the first (cold) one {} ms", description.name(), description.version(), loadTime.toMillis(), calls, fileRequests.size(),
        WarmupRequests.FILE, samples.size(), rowsFrom, report.warmupTime().toMillis(),
        String.format("%.2f", report.firstCall().toNanos() / 1e6));
    return report;
  }

  /** One warm-up call; a failure becomes a {@link ModelLoadException} that says which rows failed. */
  private void warmupCall(List<FeatureRow> rows, Duration[] firstCall, String what) {
    long callStart = System.nanoTime();
    try {
      score(rows);
    } catch (RuntimeException e) {
      throw new ModelLoadException("model " + description.directory().toAbsolutePath() + " failed its warm-up on " + what
          + ": " + e.getMessage(), e);
    }
    if (firstCall[0] == null) {
      firstCall[0] = Duration.ofNanos(System.nanoTime() - callStart);
    }
  }

  private static List<FeatureRow> cycle(List<FeatureRow> templates, int size) {
    List<FeatureRow> rows = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      rows.add(templates.get(i % templates.size()));
    }
    return rows;
  }

  @Override
  public ModelDescription model() {
    return description;
  }

  /** Every signature of the loaded SavedModel, one line each, served or not: for the start-up report. */
  public List<String> signatureReport() {
    return signatureReport;
  }

  private static List<String> describeAll(SavedModelBundle bundle) {
    List<String> lines = new ArrayList<>();
    for (Signature signature : bundle.signatures()) {
      String method = signature.methodName() == null || signature.methodName().isEmpty() ? "no method name" : signature.methodName();
      StringBuilder line = new StringBuilder(signature.key()).append(" (").append(method).append("): ");
      signature.getInputs().forEach((name, d) -> line.append(name).append(' ').append(d.dataType).append(' ').append(d.shape).append(", "));
      line.setLength(line.length() - 2);
      line.append(" -> ");
      signature.getOutputs().forEach((name, d) -> line.append(name).append(' ').append(d.dataType).append(' ').append(d.shape).append(", "));
      line.setLength(line.length() - 2);
      lines.add(line.toString());
    }
    lines.sort(String::compareTo);
    return List.copyOf(lines);
  }

  public WarmupReport warmupReport() {
    return warmupReport;
  }

  @Override
  public List<ScoredRow> score(List<FeatureRow> rows) {
    if (rows.isEmpty()) {
      return List.of();
    }
    if (rows.size() <= maxRecordsPerCall) {
      return call(rows);
    }
    // A fixed batch dimension: one call per record instead of failing the whole batch.
    List<ScoredRow> results = new ArrayList<>(rows.size());
    for (FeatureRow row : rows) {
      results.addAll(call(List.of(row)));
    }
    return results;
  }

  private List<ScoredRow> call(List<FeatureRow> rows) {
    List<TensorSpec> inputs = description.signature().inputs();
    List<TensorSpec> outputs = description.signature().outputs();
    Tensor[] inputTensors = new Tensor[inputs.size()];
    long callStart = System.nanoTime();
    try {
      Session.Runner runner = session.runner();
      if (runOptions != null) {
        runner.setOptions(runOptions);
      }
      for (int i = 0; i < inputs.size(); i++) {
        inputTensors[i] = TensorConversion.toTensor(inputs.get(i), i, rows);
        runner.feed(feeds[i], inputTensors[i]);
      }
      for (Output<?> fetch : fetches) {
        runner.fetch(fetch);
      }
      long start = System.nanoTime();
      try (Result result = runner.run()) {
        long micros = (System.nanoTime() - start) / 1_000;
        List<List<OutputValue>> perOutput = new ArrayList<>(outputs.size());
        for (int o = 0; o < outputs.size(); o++) {
          perOutput.add(TensorConversion.split(outputs.get(o).name(), outputs.get(o).type(), result.get(o), rows.size()));
        }
        List<ScoredRow> scored = new ArrayList<>(rows.size());
        for (int r = 0; r < rows.size(); r++) {
          List<OutputValue> values = new ArrayList<>(outputs.size());
          for (List<OutputValue> output : perOutput) {
            values.add(output.get(r));
          }
          scored.add(new ScoredRow(description.version(), values, micros, rows.size()));
        }
        return scored;
      }
    } catch (ScoringException e) {
      throw e;
    } catch (RuntimeException e) {
      long elapsedMillis = (System.nanoTime() - callStart) / 1_000_000;
      if (callTimeoutMillis > 0 && elapsedMillis >= callTimeoutMillis) {
        throw new ScoringException("model " + description.name() + " version " + description.version() + " did not answer within "
            + callTimeoutMillis + " ms (model.call.timeout.ms) for " + rows.size() + " record(s); TensorFlow aborted the call: "
            + e.getMessage(), e);
      }
      throw new ScoringException("model " + description.name() + " version " + description.version()
          + " failed to score " + rows.size() + " record(s): " + e.getMessage(), e);
    } finally {
      for (Tensor t : inputTensors) {
        if (t != null) {
          t.close();
        }
      }
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      bundle.close();
    }
  }

  public boolean isClosed() {
    return closed;
  }
}
