package io.streamscore.support;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;

/** SavedModels built with TensorFlow Java for tests, each exercising one part of the runtime's contract. */
public final class TestModels {
  private TestModels() {}

  /** The demo model shipped in the repository. */
  public static Path demoModel() {
    return Path.of("models", "fraud");
  }

  /**
   * A model with one input of every supported dtype and a rank-2 input:
   * {@code f32 [-1], f64 [-1], i32 [-1], i64 [-1], flag bool [-1], text string [-1], pair float [-1, 2]}.
   * Outputs: {@code total} float = 2·f32 + f64 + i32 + i64 + flag + len(text) + sum(pair), computed
   * with a weight variable of value 2; {@code text_out} = text; {@code i64_out} = i64;
   * {@code pair_out} = pair; {@code flag_out} = flag.
   */
  public static Path dtypeZoo(Path dir) throws IOException {
    Path version = dir.resolve("7");
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> f32 = tf.withName("f32").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
      Placeholder<TFloat64> f64 = tf.withName("f64").placeholder(TFloat64.class, Placeholder.shape(Shape.of(-1)));
      Placeholder<TInt32> i32 = tf.withName("i32").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      Placeholder<TInt64> i64 = tf.withName("i64").placeholder(TInt64.class, Placeholder.shape(Shape.of(-1)));
      Placeholder<TBool> flag = tf.withName("flag").placeholder(TBool.class, Placeholder.shape(Shape.of(-1)));
      Placeholder<TString> text = tf.withName("text").placeholder(TString.class, Placeholder.shape(Shape.of(-1)));
      Placeholder<TFloat32> pair = tf.withName("pair").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 2)));
      Variable<TFloat32> weight = tf.withName("weight").variable(tf.constant(2f));
      Operand<TFloat32> total = tf.math.mul(f32, weight);
      total = tf.math.add(total, tf.dtypes.cast(f64, TFloat32.class));
      total = tf.math.add(total, tf.dtypes.cast(i32, TFloat32.class));
      total = tf.math.add(total, tf.dtypes.cast(i64, TFloat32.class));
      total = tf.math.add(total, tf.dtypes.cast(flag, TFloat32.class));
      total = tf.math.add(total, tf.dtypes.cast(tf.strings.stringLength(text), TFloat32.class));
      total = tf.math.add(total, tf.reduceSum(pair, tf.constant(1)));
      Signature signature = Signature.builder().key(Signature.DEFAULT_KEY)
          .input("f32", f32).input("f64", f64).input("i32", i32).input("i64", i64).input("flag", flag)
          .input("text", text).input("pair", pair)
          .output("total", tf.withName("total").identity(total))
          .output("text_out", tf.withName("text_out").identity(text))
          .output("i64_out", tf.withName("i64_out").identity(i64))
          .output("pair_out", tf.withName("pair_out").identity(pair))
          .output("flag_out", tf.withName("flag_out").identity(flag))
          .build();
      export(graph, signature, version);
    }
    return dir;
  }

  /** A model whose input has a fixed batch dimension: {@code x float [1]} → {@code y = 3·x}, shape [1]. */
  public static Path fixedBatch(Path dir) throws IOException {
    Path version = dir.resolve("1");
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> x = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(1)));
      Variable<TFloat32> weight = tf.withName("w").variable(tf.constant(3f));
      Signature signature = Signature.builder().key(Signature.DEFAULT_KEY)
          .input("x", x).output("y", tf.withName("y").math.mul(x, weight)).build();
      export(graph, signature, version);
    }
    return dir;
  }

  /**
   * A model with {@code weights} floats of weights in one variable (4·weights bytes), so that a
   * leaked copy shows in the process's memory: {@code x float [-1]} → {@code y = x + mean(w)}.
   */
  public static Path heavy(Path dir, int weights) throws IOException {
    Path version = dir.resolve("1");
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> x = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
      Variable<TFloat32> w = tf.withName("w").variable(tf.fill(tf.constant(new int[] {weights}), tf.constant(0.25f)));
      Signature signature = Signature.builder().key(Signature.DEFAULT_KEY)
          .input("x", x).output("y", tf.withName("y").math.add(x, tf.math.mean(w, tf.constant(0)))).build();
      export(graph, signature, version);
    }
    return version;
  }

  /**
   * A model that fails on some inputs: {@code x float [-1]} → {@code y = log(x)}, with TensorFlow's
   * CheckNumerics, so a negative x makes the call fail (a record that decodes but breaks the model).
   */
  public static Path failsOnNegative(Path dir) throws IOException {
    Path version = dir.resolve("1");
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> x = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
      Variable<TFloat32> one = tf.withName("one").variable(tf.constant(1f));
      Operand<TFloat32> log = tf.math.log(tf.math.mul(x, one));
      Signature signature = Signature.builder().key(Signature.DEFAULT_KEY)
          .input("x", x).output("y", tf.withName("y").debugging.checkNumerics(log, "log of a negative x")).build();
      export(graph, signature, version);
    }
    return dir;
  }

  /**
   * A model whose calls never finish by themselves: {@code y = x + dequeue(empty queue)}. The
   * dequeue waits for an element that never comes, as a stuck model would.
   */
  public static Path stuck(Path dir) throws IOException {
    Path version = dir.resolve("1");
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> x = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
      Variable<TFloat32> one = tf.withName("one").variable(tf.constant(1f));
      var queue = tf.io.fifoQueue(List.of(TFloat32.class));
      @SuppressWarnings("unchecked")
      Operand<TFloat32> waited = (Operand<TFloat32>) (Operand<?>) tf.io.queueDequeue(queue, List.of(TFloat32.class)).components().get(0);
      Signature signature = Signature.builder().key(Signature.DEFAULT_KEY)
          .input("x", x).output("y", tf.withName("y").math.add(tf.math.mul(x, one), waited)).build();
      export(graph, signature, version);
    }
    return dir;
  }

  /**
   * A model like a Python Estimator's categorical vocabulary column feeding an embedding: it
   * rejects values it has never seen, however healthy. {@code category string [-1]} is matched
   * exactly against {@code vocabulary}; a known word at index i looks up the embedding 10·(i+1),
   * an unknown one yields index -1, and the gather fails ("indices[0] = -1 is not in [0, n)").
   * {@code amount float [-1]}; output {@code score = embedding + amount}.
   */
  public static Path vocabularyEmbedding(Path dir, long versionNumber, String... vocabulary) throws IOException {
    Path version = dir.resolve(Long.toString(versionNumber));
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TString> category = tf.withName("category").placeholder(TString.class, Placeholder.shape(Shape.of(-1)));
      Placeholder<TFloat32> amount = tf.withName("amount").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
      int[] positions = new int[vocabulary.length];
      float[] embedding = new float[vocabulary.length];
      for (int i = 0; i < vocabulary.length; i++) {
        positions[i] = i + 1;
        embedding[i] = 10f * (i + 1);
      }
      // [n, 1] == [v] broadcasts to [n, v]; the matching position (1-based), minus 1, is the index.
      Operand<TBool> matches = tf.math.equal(tf.expandDims(category, tf.constant(1)), tf.constant(Shape.of(vocabulary.length), org.tensorflow.ndarray.buffer.DataBuffers.ofObjects(vocabulary)));
      Operand<TInt32> index = tf.math.sub(
          tf.reduceSum(tf.math.mul(tf.dtypes.cast(matches, TInt32.class), tf.constant(positions)), tf.constant(1)), tf.constant(1));
      Variable<TFloat32> table = tf.withName("embedding").variable(tf.constant(embedding));
      Operand<TFloat32> looked = tf.withName("embedding_lookup").gather(table, index, tf.constant(0));
      Signature signature = Signature.builder().key(Signature.DEFAULT_KEY)
          .input("category", category).input("amount", amount)
          .output("score", tf.withName("score").math.add(looked, amount)).build();
      export(graph, signature, version);
    }
    return dir;
  }

  /**
   * A model with the demo fraud model's serving signature (same inputs and outputs, so the demo
   * sources' mappings fit it) that answers at once for every batch except one holding a payment of
   * exactly {@code stallAmount}: that call waits on an empty queue, as a stuck model would, until
   * {@code model.call.timeout.ms} aborts it. The wait sits behind a Switch on "any amount equals
   * stallAmount" (a control dependency on the Switch's true branch), so it runs only then.
   * {@code fraud_probability} = sigmoid of a small linear score; {@code risk_band} 0, 1, 2 from 0.2
   * and 0.5; {@code decision} approve, review, decline by band. Written as version {@code version}
   * under {@code base}; returns that version directory.
   */
  public static Path fraudShapedStallingOn(Path base, long version, float stallAmount) throws IOException {
    Path directory = base.resolve(Long.toString(version));
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TInt64> accountAge = tf.withName("account_age_days").placeholder(TInt64.class, Placeholder.shape(Shape.of(-1)));
      Placeholder<TFloat32> amount = tf.withName("amount").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
      Placeholder<TBool> cardPresent = tf.withName("card_present").placeholder(TBool.class, Placeholder.shape(Shape.of(-1)));
      Placeholder<TFloat64> distance = tf.withName("distance_km").placeholder(TFloat64.class, Placeholder.shape(Shape.of(-1)));
      Placeholder<TInt32> hour = tf.withName("hour_of_day").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      Placeholder<TString> category = tf.withName("merchant_category").placeholder(TString.class, Placeholder.shape(Shape.of(-1)));
      Placeholder<TFloat32> velocity = tf.withName("velocity").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 3)));
      Variable<TFloat32> weight = tf.withName("w").variable(tf.constant(0.9f));
      Operand<TFloat32> logit = tf.math.mul(tf.math.log1p(tf.math.div(amount, tf.constant(100f))), weight);
      logit = tf.math.add(logit, tf.constant(-4f));
      logit = tf.math.sub(logit, tf.dtypes.cast(cardPresent, TFloat32.class));
      logit = tf.math.add(logit, tf.math.mul(tf.constant(0.01f), tf.dtypes.cast(hour, TFloat32.class)));
      logit = tf.math.sub(logit, tf.math.mul(tf.constant(0.0001f), tf.dtypes.cast(accountAge, TFloat32.class)));
      logit = tf.math.add(logit, tf.math.mul(tf.constant(0.001f), tf.dtypes.cast(distance, TFloat32.class)));
      logit = tf.math.add(logit, tf.math.mul(tf.constant(0.01f), tf.dtypes.cast(tf.strings.stringLength(category), TFloat32.class)));
      logit = tf.math.add(logit, tf.math.mul(tf.constant(0.05f), tf.reduceSum(velocity, tf.constant(1))));
      // The stall: zero unless the batch holds stallAmount; then a dequeue that never returns.
      Operand<TBool> stall = tf.reduceAny(tf.math.equal(amount, tf.constant(stallAmount)), tf.constant(0));
      var branches = tf.switchCond(tf.constant(0f), stall);
      var pivot = tf.identity(branches.outputTrue());
      var queue = tf.io.fifoQueue(List.of(TFloat32.class));
      @SuppressWarnings("unchecked")
      Operand<TFloat32> waited = (Operand<TFloat32>) (Operand<?>) tf.withControlDependencies(pivot)
          .io.queueDequeue(queue, List.of(TFloat32.class)).components().get(0);
      Operand<TFloat32> stallTerm = tf.reshape(tf.merge(List.<Operand<TFloat32>>of(tf.identity(branches.outputFalse()), waited)).output(),
          tf.constant(new int[0]));
      Operand<TFloat32> probability = tf.withName("fraud_probability").math.add(tf.math.sigmoid(logit), stallTerm);
      Operand<TInt64> band = tf.withName("risk_band").math.add(
          tf.dtypes.cast(tf.math.greaterEqual(probability, tf.constant(0.2f)), TInt64.class),
          tf.dtypes.cast(tf.math.greaterEqual(probability, tf.constant(0.5f)), TInt64.class));
      Operand<TString> decisions = tf.constant(Shape.of(3), org.tensorflow.ndarray.buffer.DataBuffers.ofObjects("approve", "review", "decline"));
      Operand<TString> decision = tf.withName("decision").gather(decisions, band, tf.constant(0));
      Signature signature = Signature.builder().key(Signature.DEFAULT_KEY)
          .input("account_age_days", accountAge).input("amount", amount).input("card_present", cardPresent)
          .input("distance_km", distance).input("hour_of_day", hour).input("merchant_category", category).input("velocity", velocity)
          .output("fraud_probability", probability).output("risk_band", band).output("decision", decision)
          .build();
      export(graph, signature, directory);
    }
    return directory;
  }

  /** Exports the graph's session with its variables initialised, as one SavedModel version. */
  private static void export(Graph graph, Signature signature, Path version) throws IOException {
    try (Session session = new Session(graph)) {
      SavedModelBundle.exporter(version.toString()).withFunction(SessionFunction.create(signature, session)).export();
    }
  }


}
