package io.streamscore.soak;

import io.streamscore.config.SourceDefinition;
import io.streamscore.demo.SyntheticRecords;
import io.streamscore.demo.payments.CardTerminalPayment;
import io.streamscore.registry.ConfluentWireFormat;
import io.streamscore.registry.SchemaRegistryClient;
import io.streamscore.registry.SingleObjectReframer;
import io.streamscore.source.SchemaFiles;
import io.streamscore.support.AvroRecords;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Publishes to every source at a steady rate until stopped, as the soak's producers: each
 * record single-object encoded or, half the time, in Confluent's wire format; web written with its
 * two writer schemas (v1 and the current one); about 1 % bad records of the catalogue's kinds
 * (README, Bad input), each with the words its dead letter must say. On request it also sends a
 * record that stalls the model call, and registers a third writer schema of web and writes with it.
 *
 * <p>Each input is recorded only once the broker acknowledged it, by its position. Thread-safe.
 */
final class SoakPublisher implements AutoCloseable {
  /** A payment amount the soak's model stalls on (exactly representable as a float). */
  static final float STALL_AMOUNT = 123_456.75f;
  static final String STALL_REASON = "did not answer within";
  private static final double BAD_SHARE = 0.01;

  /** A kind of bad record from the catalogue, and the words of its dead letter's reason. */
  enum BadKind {
    NOT_AVRO("neither Avro single-object encoding"),
    TOMBSTONE("(a tombstone)"),
    TRUNCATED_BODY("corrupt or truncated Avro body"),
    UNKNOWN_WRITER_SCHEMA("unknown writer schema"),
    UNKNOWN_SCHEMA_ID("is not in the schema registry"),
    NAN_FEATURE("is NaN");

    final String reason;

    BadKind(String reason) {
      this.reason = reason;
    }
  }

  private record Source(String name, String topic, Schema reader, SyntheticRecords.Generator generator, SingleObjectReframer reframer) {}

  private final KafkaProducer<byte[], byte[]> producer;
  private final SchemaRegistryClient registry;
  private final List<Source> sources = new ArrayList<>();
  private final Random random;
  private final int perSecond;
  private final Map<InputId, Boolean> good = new ConcurrentHashMap<>();
  private final Map<InputId, String> bad = new ConcurrentHashMap<>();
  private final Map<BadKind, AtomicLong> badByKind = new ConcurrentHashMap<>();
  private final AtomicLong acknowledged = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
  private final AtomicLong newWriterRecords = new AtomicLong();
  private final SyntheticRecords.Generator terminalForFaults;
  private final SyntheticRecords.Generator webForNewWriter;
  private volatile Schema webV3;
  private volatile int webV3Id = -1;
  private volatile boolean stopping;
  private volatile Exception failure;
  private final Thread thread;

  SoakPublisher(List<SourceDefinition> definitions, SchemaRegistryClient registry, KafkaProducer<byte[], byte[]> producer, long seed,
      int perSecond) {
    this.producer = producer;
    this.registry = registry;
    this.random = new Random(seed);
    this.perSecond = perSecond;
    SyntheticRecords.Generator terminal = null;
    SyntheticRecords.Generator web = null;
    for (SourceDefinition definition : definitions) {
      String topic = definition.topics().get(0);
      Schema reader = SchemaFiles.read("schema", definition.schema());
      List<Schema> writers = new ArrayList<>();
      definition.writerSchemas().forEach(p -> writers.add(SchemaFiles.read("writer", p)));
      writers.add(reader);
      double v1Share = definition.name().equals("web") ? 0.3 : 0;
      sources.add(new Source(definition.name(), topic, reader, SyntheticRecords.forSchema(reader, seed + topic.hashCode(), v1Share).orElseThrow(),
          SingleObjectReframer.register(registry, topic + "-value", writers)));
      if (definition.name().equals("terminal")) {
        terminal = SyntheticRecords.forSchema(reader, seed + 1, 0).orElseThrow();
      } else if (definition.name().equals("web")) {
        web = SyntheticRecords.forSchema(reader, seed + 2, 0).orElseThrow();
      }
    }
    this.terminalForFaults = terminal;
    this.webForNewWriter = web;
    this.thread = new Thread(this::publish, "soak-publisher");
    this.thread.setDaemon(true); // a failed test must not leave it publishing in the test JVM
  }

  void start() {
    thread.start();
  }

  private void publish() {
    int perTick = Math.max(1, perSecond / 10);
    long next = System.nanoTime();
    long n = 0;
    try {
      while (!stopping) {
        for (int i = 0; i < perTick; i++) {
          sendOne(sources.get((int) (n++ % sources.size())));
        }
        next += Duration.ofMillis(100).toNanos();
        long wait = next - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000)); // the publishing rate, not a synchronisation
        }
      }
    } catch (Exception e) {
      failure = e;
    }
  }

  private synchronized void sendOne(Source source) {
    if (random.nextDouble() < BAD_SHARE) {
      BadKind kind = BadKind.values()[random.nextInt(BadKind.values().length)];
      Source target = kind == BadKind.NAN_FEATURE ? source("terminal") : source;
      send(target.topic(), "bad-" + kind, badValue(kind, target), kind.reason);
      badByKind.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
      return;
    }
    SyntheticRecords.KeyedBytes record = source.generator().next();
    byte[] value = record.value();
    if (random.nextBoolean()) {
      if (source.name().equals("web") && webV3Id >= 0 && random.nextBoolean()) {
        value = webV3(webForNewWriter.next().value());
        newWriterRecords.incrementAndGet();
      } else {
        value = source.reframer().reframe(value);
      }
    }
    send(source.topic(), new String(record.key(), StandardCharsets.UTF_8), value, null);
  }

  private byte[] badValue(BadKind kind, Source source) {
    byte[] good = source.generator().next().value();
    return switch (kind) {
      case NOT_AVRO -> "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8);
      case TOMBSTONE -> null;
      case TRUNCATED_BODY -> Arrays.copyOf(good, 13);
      case UNKNOWN_WRITER_SCHEMA -> {
        byte[] copy = good.clone();
        for (int i = 2; i < 10; i++) {
          copy[i] = (byte) random.nextInt(256);
        }
        yield copy;
      }
      case UNKNOWN_SCHEMA_ID -> ConfluentWireFormat.frame(900_000 + random.nextInt(100_000), Arrays.copyOfRange(good, 10, good.length));
      case NAN_FEATURE -> terminalWithAmount(Double.NaN);
    };
  }

  /** A terminal payment with {@code amount}, single-object encoded. */
  private byte[] terminalWithAmount(double amount) {
    try {
      CardTerminalPayment payment = CardTerminalPayment.fromByteBuffer(ByteBuffer.wrap(terminalForFaults.next().value()));
      payment.setAmountEur(amount);
      return AvroRecords.bytes(payment.toByteBuffer());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void send(String topic, String key, byte[] value, String badReason) {
    producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value), (m, e) -> {
      if (e != null) {
        failed.incrementAndGet();
        String why = e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage());
        failures.computeIfAbsent(why.substring(0, Math.min(why.length(), 120)), k -> new AtomicLong()).incrementAndGet();
        return;
      }
      remember(m, badReason);
    });
  }

  private void remember(RecordMetadata m, String badReason) {
    InputId id = new InputId(m.topic(), m.partition(), m.offset());
    if (badReason == null) {
      good.put(id, true);
    } else {
      bad.put(id, badReason);
    }
    acknowledged.incrementAndGet();
  }

  private Source source(String name) {
    return sources.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  /**
   * Sends one record that makes the model call stall (a terminal payment of {@link #STALL_AMOUNT})
   * and waits for the broker's acknowledgement; its dead letter must say {@link #STALL_REASON}.
   */
  InputId sendStall() throws Exception {
    byte[] value;
    synchronized (this) {
      value = terminalWithAmount(STALL_AMOUNT);
    }
    RecordMetadata m = producer.send(new ProducerRecord<>(source("terminal").topic(), "stall".getBytes(StandardCharsets.UTF_8), value)).get();
    remember(m, STALL_REASON);
    return new InputId(m.topic(), m.partition(), m.offset());
  }

  /**
   * Registers a third writer schema of web (the current one plus an optional {@code coupon_code}),
   * waiting for the registry if it is down, as a producer would; from then on a share of web's
   * Confluent records are written with it. Returns its registry id.
   */
  int registerNewWebWriter(Duration patience) throws InterruptedException {
    Source web = source("web");
    List<Schema.Field> fields = new ArrayList<>();
    web.reader().getFields().forEach(f -> fields.add(new Schema.Field(f, f.schema())));
    fields.add(new Schema.Field("coupon_code", Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING)),
        "added mid-run by the soak", Schema.Field.NULL_DEFAULT_VALUE));
    Schema v3 = Schema.createRecord(web.reader().getName(), web.reader().getDoc(), web.reader().getNamespace(), false, fields);
    long deadline = System.nanoTime() + patience.toNanos();
    while (true) {
      try {
        int id = registry.register(web.topic() + "-value", v3);
        webV3 = v3;
        webV3Id = id;
        return id;
      } catch (RuntimeException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(500); // the registry is down: retry, as a producer's serializer would
      }
    }
  }

  /** A web record re-written with the v3 writer schema, in Confluent's format. */
  private byte[] webV3(byte[] singleObject) {
    try {
      Source web = source("web");
      GenericRecord current = new BinaryMessageDecoder<GenericRecord>(GenericData.get(), web.reader()).decode(singleObject);
      GenericData.Record v3 = new GenericData.Record(webV3);
      web.reader().getFields().forEach(f -> v3.put(f.name(), current.get(f.name())));
      v3.put("coupon_code", "SOAK10");
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(body, null);
      new GenericDatumWriter<GenericRecord>(webV3).write(v3, encoder);
      encoder.flush();
      return ConfluentWireFormat.frame(webV3Id, body.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  long acknowledged() {
    return acknowledged.get();
  }

  long failedSends() {
    return failed.get();
  }

  /** Why sends failed: the exception's class and the start of its message, with counts. */
  Map<String, Long> failureReasons() {
    Map<String, Long> counts = new java.util.TreeMap<>();
    failures.forEach((k, v) -> counts.put(k, v.get()));
    return counts;
  }

  long newWriterRecords() {
    return newWriterRecords.get();
  }

  Map<BadKind, Long> badByKind() {
    Map<BadKind, Long> counts = new java.util.EnumMap<>(BadKind.class);
    badByKind.forEach((k, v) -> counts.put(k, v.get()));
    return counts;
  }

  java.util.Set<InputId> good() {
    return java.util.Set.copyOf(good.keySet());
  }

  Map<InputId, String> bad() {
    return Map.copyOf(bad);
  }

  /** Stops publishing, waits until every send has been answered, and closes the producer. */
  @Override
  public void close() throws Exception {
    stopping = true;
    thread.join();
    producer.flush();
    producer.close();
    if (failure != null) {
      throw failure;
    }
  }
}
