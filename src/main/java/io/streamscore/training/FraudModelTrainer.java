package io.streamscore.training;

import io.streamscore.demo.FraudScenario;
import io.streamscore.demo.Payment;
import io.streamscore.model.FeatureRow;
import io.streamscore.model.ModelOptions;
import io.streamscore.model.ScoredRow;
import io.streamscore.model.TensorSpec;
import io.streamscore.model.internals.SavedModelScorer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;

/**
 * Trains the demo fraud model on data drawn from {@link FraudScenario} and exports it as a
 * SavedModel (tag {@code serve}, signature {@code serving_default}) with named raw inputs, a
 * dynamic batch dimension and its weights in variables.
 *
 * <p>The graph takes the raw fields (amount, hour, category string, card-present flag, account
 * age, distance, three velocity counts) and does its own feature engineering, so a source only has
 * to map fields, never to compute features. It is a 2-layer MLP (39 → 16 → 1) trained with plain
 * mini-batch gradient descent: plain descent keeps optimizer slots out of the export.
 *
 * <p>Deterministic: the seed fixes the data, the initial weights (drawn in Java, not by TensorFlow
 * random ops) and the batch order, and the training session runs single-threaded so reductions add
 * up in the same order every time.
 */
public final class FraudModelTrainer {
  public static final List<String> INPUTS =
      List.of("account_age_days", "amount", "card_present", "distance_km", "hour_of_day", "merchant_category", "velocity");
  /** The demo model's hidden layer. */
  public static final List<Integer> DEMO_HIDDEN = List.of(16);
  private static final int BATCH = 256;
  private static final float LEARNING_RATE = 0.1f;

  private final long seed;
  private final int trainRows;
  private final int testRows;
  private final int epochs;
  private final long ballastFloats;
  private final List<Integer> hidden;

  public FraudModelTrainer(long seed, int trainRows, int testRows, int epochs) {
    this(seed, trainRows, testRows, epochs, 0);
  }

  public FraudModelTrainer(long seed, int trainRows, int testRows, int epochs, long ballastFloats) {
    this(seed, trainRows, testRows, epochs, ballastFloats, DEMO_HIDDEN);
  }

  /**
   * @param ballastFloats size of an extra, unused float variable exported with the model, so the
   *     benchmark can measure what each loaded copy of a large model costs; 0 for none
   * @param hidden the widths of the hidden layers ({@link #DEMO_HIDDEN} for the demo model); wider
   *     or more layers make a model whose own cost dominates a benchmark
   */
  public FraudModelTrainer(long seed, int trainRows, int testRows, int epochs, long ballastFloats, List<Integer> hidden) {
    if (ballastFloats < 0 || ballastFloats > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("ballastFloats must be within 0.." + Integer.MAX_VALUE + ", was " + ballastFloats);
    }
    if (hidden.isEmpty() || hidden.stream().anyMatch(w -> w < 1)) {
      throw new IllegalArgumentException("hidden layers must be one or more positive widths, was " + hidden);
    }
    this.hidden = List.copyOf(hidden);
    this.seed = seed;
    this.trainRows = trainRows;
    this.testRows = testRows;
    this.epochs = epochs;
    this.ballastFloats = ballastFloats;
  }

  public static FraudModelTrainer withDefaults() {
    return new FraudModelTrainer(20261126L, 60_000, 20_000, 20);
  }

  /** Trains, exports into {@code exportDirectory} (which must not exist yet), and evaluates the export. */
  public TrainingReport trainAndExport(Path exportDirectory) throws IOException {
    if (Files.exists(exportDirectory)) {
      throw new IOException("export directory " + exportDirectory + " exists already; remove it or choose another version number");
    }
    Random random = new Random(seed);
    List<Payment> train = draw(random, trainRows);
    List<Payment> test = draw(random, testRows);
    double loss;
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Model model = buildModel(tf, random, hidden);
      if (ballastFloats > 0) {
        // A variable, not a constant: restored into one buffer per loaded copy, as real large
        // weights are (a constant would cost several times its size, see FACTS).
        tf.withName("ballast").variable(tf.fill(tf.constant(new int[] {(int) ballastFloats}), tf.constant(0.5f)));
      }
      ConfigProto singleThreaded = ConfigProto.newBuilder().setIntraOpParallelismThreads(1).setInterOpParallelismThreads(1).build();
      try (Session session = new Session(graph, singleThreaded)) {
        loss = train(session, model, train, new Random(seed + 1));
        Signature signature = model.signature();
        Files.createDirectories(exportDirectory.getParent());
        SavedModelBundle.exporter(exportDirectory.toString())
            .withFunction(SessionFunction.create(signature, session))
            .export();
      }
    }
    double[] predicted = scoreWithExport(exportDirectory, test);
    boolean[] labels = new boolean[test.size()];
    double[] truth = new double[test.size()];
    for (int i = 0; i < test.size(); i++) {
      labels[i] = test.get(i).fraud();
      truth[i] = test.get(i).fraudProbability();
    }
    double fraudRate = train.stream().filter(Payment::fraud).count() / (double) train.size();
    return new TrainingReport(exportDirectory, seed, trainRows, testRows, epochs, fraudRate, loss,
        Auc.of(predicted, labels), Auc.of(truth, labels));
  }

  private static List<Payment> draw(Random random, int n) {
    List<Payment> payments = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      payments.add(FraudScenario.draw(random, random.nextDouble() < 0.3));
    }
    return payments;
  }

  /** The placeholders, outputs and training ops of one graph. */
  private record Model(
      Placeholder<TFloat32> amount, Placeholder<TInt32> hour, Placeholder<TString> category,
      Placeholder<TBool> cardPresent, Placeholder<TInt64> accountAge, Placeholder<TFloat64> distance,
      Placeholder<TFloat32> velocity, Placeholder<TFloat32> label,
      Operand<TFloat32> probability, Operand<TInt64> riskBand, Operand<TString> decision,
      Operand<TFloat32> loss, List<Operand<?>> updates) {

    Signature signature() {
      return Signature.builder().key(Signature.DEFAULT_KEY).methodName("tensorflow/serving/predict")
          .input("amount", amount).input("hour_of_day", hour).input("merchant_category", category)
          .input("card_present", cardPresent).input("account_age_days", accountAge)
          .input("distance_km", distance).input("velocity", velocity)
          .output("fraud_probability", probability).output("risk_band", riskBand).output("decision", decision)
          .build();
    }
  }

  private static Model buildModel(Ops tf, Random random, List<Integer> hiddenWidths) {
    Placeholder<TFloat32> amount = tf.withName("amount").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
    Placeholder<TInt32> hour = tf.withName("hour_of_day").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
    Placeholder<TString> category = tf.withName("merchant_category").placeholder(TString.class, Placeholder.shape(Shape.of(-1)));
    Placeholder<TBool> cardPresent = tf.withName("card_present").placeholder(TBool.class, Placeholder.shape(Shape.of(-1)));
    Placeholder<TInt64> accountAge = tf.withName("account_age_days").placeholder(TInt64.class, Placeholder.shape(Shape.of(-1)));
    Placeholder<TFloat64> distance = tf.withName("distance_km").placeholder(TFloat64.class, Placeholder.shape(Shape.of(-1)));
    Placeholder<TFloat32> velocity = tf.withName("velocity").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 3)));
    Placeholder<TFloat32> label = tf.withName("label").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));

    Operand<TInt32> column = tf.constant(new int[] {-1, 1});
    List<Operand<TFloat32>> features = new ArrayList<>();
    features.add(tf.reshape(tf.math.log1p(tf.math.div(amount, tf.constant(100f))), column));
    // An hour outside 0..23 one-hot encodes to all zeros instead of failing the batch.
    features.add(tf.oneHot(hour, tf.constant(24), tf.constant(1f), tf.constant(0f)));
    // Exact one-hot against a constant vocabulary: survives export, unlike lookup tables, and an
    // unknown category encodes to all zeros.
    Operand<TString> vocabulary = tf.constant(Shape.of(FraudScenario.CATEGORIES.size()),
        DataBuffers.ofObjects(FraudScenario.CATEGORIES.toArray(String[]::new)));
    features.add(tf.dtypes.cast(tf.math.equal(tf.expandDims(category, tf.constant(-1)), vocabulary), TFloat32.class));
    features.add(tf.reshape(tf.dtypes.cast(cardPresent, TFloat32.class), column));
    features.add(tf.reshape(tf.math.div(tf.math.log1p(tf.dtypes.cast(accountAge, TFloat32.class)), tf.constant(7f)), column));
    features.add(tf.reshape(tf.dtypes.cast(tf.math.div(tf.math.log1p(distance), tf.constant(4.0)), TFloat32.class), column));
    features.add(tf.math.log1p(velocity));
    Operand<TFloat32> x = tf.concat(features, tf.constant(1));
    int inputs = 1 + 24 + FraudScenario.CATEGORIES.size() + 1 + 1 + 1 + 3;

    // Dense ReLU layers of the given widths, then one logit. The demo model's single layer of 16 is
    // the first of these; its variables keep their names (dense_1, dense_2).
    List<Variable<TFloat32>> weights = new ArrayList<>();
    Operand<TFloat32> hidden = x;
    int width = inputs;
    int layer = 1;
    for (int next : hiddenWidths) {
      Variable<TFloat32> w = tf.withName("dense_" + layer + "_kernel").variable(tf.constant(heInit(random, width, next)));
      Variable<TFloat32> b = tf.withName("dense_" + layer + "_bias").variable(tf.constant(new float[next]));
      weights.add(w);
      weights.add(b);
      hidden = tf.nn.relu(tf.math.add(tf.linalg.matMul(hidden, w), b));
      width = next;
      layer++;
    }
    Variable<TFloat32> wOut = tf.withName("dense_" + layer + "_kernel").variable(tf.constant(heInit(random, width, 1)));
    Variable<TFloat32> bOut = tf.withName("dense_" + layer + "_bias").variable(tf.constant(new float[] {-3f}));
    weights.add(wOut);
    weights.add(bOut);
    Operand<TFloat32> logit = tf.reshape(tf.math.add(tf.linalg.matMul(hidden, wOut), bOut), tf.constant(new int[] {-1}));
    Operand<TFloat32> probability = tf.withName("fraud_probability").math.sigmoid(logit);
    Operand<TInt64> riskBand = tf.withName("risk_band").math.add(
        tf.dtypes.cast(tf.math.greaterEqual(probability, tf.constant(0.2f)), TInt64.class),
        tf.dtypes.cast(tf.math.greaterEqual(probability, tf.constant(0.5f)), TInt64.class));
    Operand<TString> decision = tf.withName("decision").gather(
        tf.constant(Shape.of(3), DataBuffers.ofObjects("approve", "review", "decline")), riskBand, tf.constant(0));

    // Binary cross-entropy from logits: log(1 + e^z) - y·z.
    Operand<TFloat32> loss = tf.math.mean(
        tf.math.sub(tf.math.log1p(tf.math.exp(logit)), tf.math.mul(label, logit)), tf.constant(0));
    var gradients = tf.gradients(loss, weights);
    Operand<TFloat32> rate = tf.constant(LEARNING_RATE);
    List<org.tensorflow.op.core.Identity<TFloat32>> grads = new ArrayList<>();
    for (int i = 0; i < weights.size(); i++) {
      grads.add(tf.identity(gradients.<TFloat32>dy(i)));
    }
    // Every update waits for every gradient: the weights are ref variables updated in place, and the
    // gradient of the first layer reads the second layer's weights. Without this, whether it reads
    // them before or after their update depends on scheduling, and training is not reproducible.
    Ops afterGradients = tf.withControlDependencies(List.copyOf(grads));
    List<Operand<?>> updates = new ArrayList<>();
    for (int i = 0; i < weights.size(); i++) {
      updates.add(afterGradients.train.applyGradientDescent(weights.get(i), rate, grads.get(i)));
    }
    return new Model(amount, hour, category, cardPresent, accountAge, distance, velocity, label,
        probability, riskBand, decision, loss, updates);
  }

  private static float[][] heInit(Random random, int in, int out) {
    float[][] w = new float[in][out];
    double scale = Math.sqrt(2.0 / in);
    for (float[] row : w) {
      for (int j = 0; j < out; j++) {
        row[j] = (float) (random.nextGaussian() * scale);
      }
    }
    return w;
  }

  private double train(Session session, Model model, List<Payment> rows, Random shuffle) {
    Integer[] order = new Integer[rows.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    double lastEpochLoss = Double.NaN;
    for (int epoch = 0; epoch < epochs; epoch++) {
      List<Integer> shuffled = new ArrayList<>(Arrays.asList(order));
      Collections.shuffle(shuffled, shuffle);
      double sum = 0;
      int batches = 0;
      for (int start = 0; start + BATCH <= shuffled.size(); start += BATCH) {
        List<Payment> batch = new ArrayList<>(BATCH);
        for (int k = start; k < start + BATCH; k++) {
          batch.add(rows.get(shuffled.get(k)));
        }
        sum += step(session, model, batch);
        batches++;
      }
      lastEpochLoss = sum / batches;
    }
    return lastEpochLoss;
  }

  private static double step(Session session, Model model, List<Payment> batch) {
    List<AutoCloseable> tensors = new ArrayList<>();
    try {
      Session.Runner runner = session.runner();
      feed(runner, model, batch, tensors);
      float[] labels = new float[batch.size()];
      for (int i = 0; i < labels.length; i++) {
        labels[i] = batch.get(i).fraud() ? 1f : 0f;
      }
      TFloat32 labelTensor = TFloat32.tensorOf(Shape.of(labels.length), DataBuffers.of(labels, true, false));
      tensors.add(labelTensor);
      runner.feed(model.label(), labelTensor).fetch(model.loss());
      model.updates().forEach(runner::addTarget);
      try (Result result = runner.run()) {
        return ((TFloat32) result.get(0)).getFloat();
      }
    } finally {
      closeAll(tensors);
    }
  }

  private static void feed(Session.Runner runner, Model model, List<Payment> rows, List<AutoCloseable> tensors) {
    int n = rows.size();
    float[] amount = new float[n];
    int[] hour = new int[n];
    String[] category = new String[n];
    boolean[] card = new boolean[n];
    long[] age = new long[n];
    double[] distance = new double[n];
    float[] velocity = new float[n * 3];
    for (int i = 0; i < n; i++) {
      Payment p = rows.get(i);
      amount[i] = (float) p.amountEur();
      hour[i] = p.hourOfDay();
      category[i] = p.merchantCategory();
      card[i] = p.cardPresent();
      age[i] = p.accountAgeDays();
      distance[i] = p.distanceKm();
      velocity[3 * i] = p.txLastHour();
      velocity[3 * i + 1] = p.txLastDay();
      velocity[3 * i + 2] = p.txLastWeek();
    }
    Shape vector = Shape.of(n);
    feed(runner, model.amount(), TFloat32.tensorOf(vector, DataBuffers.of(amount, true, false)), tensors);
    feed(runner, model.hour(), TInt32.tensorOf(vector, DataBuffers.of(hour, true, false)), tensors);
    feed(runner, model.category(), TString.tensorOf(vector, DataBuffers.ofObjects(category)), tensors);
    feed(runner, model.cardPresent(), TBool.tensorOf(vector, DataBuffers.of(card, true, false)), tensors);
    feed(runner, model.accountAge(), TInt64.tensorOf(vector, DataBuffers.of(age, true, false)), tensors);
    feed(runner, model.distance(), TFloat64.tensorOf(vector, DataBuffers.of(distance, true, false)), tensors);
    feed(runner, model.velocity(), TFloat32.tensorOf(Shape.of(n, 3), DataBuffers.of(velocity, true, false)), tensors);
  }

  private static <T extends org.tensorflow.types.family.TType> void feed(Session.Runner runner, Operand<T> placeholder,
      org.tensorflow.Tensor tensor, List<AutoCloseable> tensors) {
    tensors.add(tensor);
    runner.feed(placeholder, tensor);
  }

  /**
   * Scores rows through the exported SavedModel with StreamScore's own runtime, so the AUC on the
   * model card is the AUC of what ships, not of the training graph.
   */
  private static double[] scoreWithExport(Path exportDirectory, List<Payment> rows) {
    try (SavedModelScorer scorer = SavedModelScorer.load(ModelOptions.defaults(exportDirectory).withWarmup(false))) {
      double[] scores = new double[rows.size()];
      int output = scorer.model().signature().outputs().stream().map(TensorSpec::name).toList().indexOf("fraud_probability");
      for (int start = 0; start < rows.size(); start += 1024) {
        List<FeatureRow> batch = new ArrayList<>();
        for (Payment p : rows.subList(start, Math.min(rows.size(), start + 1024))) {
          batch.add(featureRow(p));
        }
        List<ScoredRow> scored = scorer.score(batch);
        for (int i = 0; i < scored.size(); i++) {
          scores[start + i] = scored.get(i).outputs().get(output).firstAsDouble();
        }
      }
      return scores;
    }
  }

  /** A payment as a feature row of the exported signature (inputs sorted by name, see {@link #INPUTS}). */
  public static FeatureRow featureRow(Payment p) {
    return new FeatureRow(p.accountAgeDays(), (float) p.amountEur(), p.cardPresent(), p.distanceKm(), p.hourOfDay(),
        p.merchantCategory(), new float[] {p.txLastHour(), p.txLastDay(), p.txLastWeek()});
  }

  private static void closeAll(List<AutoCloseable> tensors) {
    for (AutoCloseable t : tensors) {
      try {
        t.close();
      } catch (Exception ignored) {
        // Closing a tensor does not fail in practice; keep closing the rest.
      }
    }
  }

}
