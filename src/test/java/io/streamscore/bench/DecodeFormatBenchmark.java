package io.streamscore.bench;

import io.streamscore.demo.payments.WebCheckoutPayment;
import io.streamscore.registry.ConfluentWireFormat;
import io.streamscore.source.SourceDecoder;
import io.streamscore.support.DemoPayments;
import io.streamscore.support.FakeSchemaLookup;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What decoding one record costs in each input format, through the same {@link SourceDecoder}: Avro
 * single-object encoding against Confluent's wire format with the writer schema already cached (the
 * steady state: an id is fetched once). The web checkout record, resolved to its reader schema.
 * <pre>
 * java -cp "target/test-classes:target/classes:$(cat target/test.cp)" org.openjdk.jmh.Main DecodeFormatBenchmark -f 1 -wi 3 -w 1s -i 5 -r 1s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class DecodeFormatBenchmark {
  private SourceDecoder decoder;
  private byte[] singleObject;
  private byte[] confluent;

  @Setup
  public void setUp() throws Exception {
    WebCheckoutPayment payment = DemoPayments.webCheckout(12.5);
    ByteBuffer buffer = payment.toByteBuffer();
    singleObject = new byte[buffer.remaining()];
    buffer.get(singleObject);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(body, null);
    new SpecificDatumWriter<WebCheckoutPayment>(WebCheckoutPayment.getClassSchema()).write(payment, encoder);
    encoder.flush();
    confluent = ConfluentWireFormat.frame(7, body.toByteArray());
    decoder = new SourceDecoder("web", WebCheckoutPayment.getClassSchema(), List.of(),
        Optional.of(new FakeSchemaLookup().with(7, WebCheckoutPayment.getClassSchema())));
    decoder.decode(confluent); // the id is looked up once, as in production
  }

  @Benchmark
  public GenericRecord singleObject() {
    return decoder.decode(singleObject);
  }

  @Benchmark
  public GenericRecord confluentCached() {
    return decoder.decode(confluent);
  }
}
