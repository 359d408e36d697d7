package io.streamscore.support;

import io.streamscore.registry.ConfluentWireFormat;
import io.streamscore.demo.payments.WebCheckoutPayment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.Example;
import org.tensorflow.proto.Feature;
import org.tensorflow.proto.Features;
import org.tensorflow.proto.FloatList;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Writes the fuzz tests' seed corpus (valid inputs of every parser, in Jazzer's layout {@code
 * src/test/resources/<package>/<Class>Inputs/<method>/}). Each seed starts with the selector byte
 * the test reads first ({@link FuzzFixtures#pick}: 0 terminal, 1 web, 2 mobile). Run from the
 * project directory: {@code java -cp target/test-classes:target/classes:<test class path>
 * io.streamscore.support.FuzzSeeds}. The committed files are its output; findings are added beside
 * them by hand (named {@code crash-*}).
 */
public final class FuzzSeeds {
  private static final Path RESOURCES = Path.of("src/test/resources/io/streamscore");

  private FuzzSeeds() {}

  public static void main(String[] args) throws IOException {
    byte[] terminal = AvroRecords.bytes(DemoPayments.cardTerminal().toByteBuffer());
    byte[] web = AvroRecords.bytes(DemoPayments.webCheckout(12.5).toByteBuffer());
    byte[] webNoDistance = AvroRecords.bytes(DemoPayments.webCheckout(null).toByteBuffer());
    byte[] mobile = AvroRecords.bytes(DemoPayments.mobileApp().toByteBuffer());
    byte[] webV1 = AvroRecords.encode(DemoPayments.webCheckoutV1(DemoPayments.webCheckoutV1Schema()));
    Map<String, byte[]> records = Map.of("terminal", with(0, terminal), "web", with(1, web), "web-no-distance",
        with(1, webNoDistance), "mobile", with(2, mobile), "web-v1-writer", with(1, webV1));
    write("source/SingleObjectHeaderFuzzTestInputs/shouldDecodeAnyBytesOrRejectThemWithARecordDecodingException", records);
    write("model/internals/DecodeMapTensorFuzzTestInputs/shouldTurnAnyRecordIntoInputTensorsOrADeadLetterReason", records);

    write("source/ConfluentFramingFuzzTestInputs/shouldDecodeAnyFrameOrRejectItWithARecordDecodingException", Map.of(
        "terminal-id1", with(0, confluent(1, terminal)), "web-id2", with(1, confluent(2, web)),
        "web-v1-id4", with(1, confluent(4, webV1)), "mobile-id3", with(2, confluent(3, mobile)),
        "terminal-unreadable-id5", with(0, confluent(5, terminal)), "web-unknown-id9", with(1, confluent(9, web)),
        "terminal-single-object", with(0, terminal)));

    String webSchema = WebCheckoutPayment.getClassSchema().toString();
    String answer = "{\"schema\":" + quote(webSchema) + "}";
    write("registry/RegistryAnswerFuzzTestInputs/shouldReadAnyAnswerAsASchemaOrARegistryException", Map.of(
        "ok-web", with(0, utf8(answer)),
        "ok-web-typed", with(0, utf8("{\"schemaType\":\"AVRO\",\"references\":[],\"schema\":" + quote(webSchema) + "}")),
        "ok-latest", with(0, utf8("{\"subject\":\"payments.web-checkout-value\",\"id\":7,\"version\":2,\"schema\":" + quote(webSchema) + "}")),
        "ok-protobuf", with(0, utf8("{\"schemaType\":\"PROTOBUF\",\"schema\":\"syntax = \\\"proto3\\\";\"}")),
        "404-not-found", with(1, utf8("{\"error_code\":40403,\"message\":\"Schema 7 not found\"}")),
        "401-unauthorized", with(2, utf8("{\"error_code\":401,\"message\":\"Unauthorized\"}")),
        "409-incompatible", with(3, utf8("{\"error_code\":409,\"message\":\"Schema being registered is incompatible\"}"))));

    Path warmup = Path.of("schemas/warmup");
    List<String> files = List.of("card-terminal.jsonl", "web-checkout.jsonl", "mobile-app.jsonl");
    Map<String, byte[]> lines = new java.util.TreeMap<>();
    Map<String, byte[]> samples = new java.util.TreeMap<>();
    for (int s = 0; s < files.size(); s++) {
      byte[] content = Files.readAllBytes(warmup.resolve(files.get(s)));
      samples.put(files.get(s), with(s, content));
      lines.put(files.get(s).replace(".jsonl", "-line1"), with(s, utf8(new String(content, StandardCharsets.UTF_8).lines().findFirst().orElseThrow())));
    }
    write("source/JsonLinesFuzzTestInputs/shouldEncodeAnyLineAsADecodableRecordOrRejectItWithAReason", lines);
    write("source/SampleRecordsFuzzTestInputs/shouldReadAnySampleFileAsRowsOrStopStartUpWithAConfigException", samples);

    write("model/internals/WarmupFileFuzzTestInputs/shouldReadAnyWarmupFileAsBatchesOrRefuseTheVersionWithAModelLoadException",
        Map.of("predict-demo-inputs", with(0, tfRecordFile(List.of(WarmupFiles.predictLog(demoInputs(2))))),
            "regress-one-example", with(1, tfRecordFile(List.of(WarmupFiles.regressLog(List.of(example(1f)))))),
            "framed-predict-demo-inputs", with(2, WarmupFiles.predictLog(demoInputs(2))),
            "framed-regress-two-examples", with(3, WarmupFiles.regressLog(List.of(example(1f), example(2f))))));

    write("config/PropertiesFileFuzzTestInputs/shouldLoadAnyPropertiesFileOrStopStartUpWithAConfigException",
        Map.of("demo.properties", Files.readAllBytes(Path.of("src/main/resources/streamscore-demo.properties"))));
  }

  /** Two records for every demo model input, as TensorFlow Serving logs a predict request. */
  private static Map<String, TensorProto> demoInputs(int records) {
    TensorShapeProto batch = TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dim.newBuilder().setSize(records)).build();
    TensorShapeProto batchOf3 = TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dim.newBuilder().setSize(records))
        .addDim(TensorShapeProto.Dim.newBuilder().setSize(3)).build();
    return Map.of(
        "account_age_days", TensorProto.newBuilder().setDtype(DataType.DT_INT64).setTensorShape(batch).addInt64Val(900).addInt64Val(30).build(),
        "amount", TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(batch).addFloatVal(12.5f).addFloatVal(900f).build(),
        "card_present", TensorProto.newBuilder().setDtype(DataType.DT_BOOL).setTensorShape(batch).addBoolVal(true).addBoolVal(false).build(),
        "distance_km", TensorProto.newBuilder().setDtype(DataType.DT_DOUBLE).setTensorShape(batch).addDoubleVal(3.2).addDoubleVal(800).build(),
        "hour_of_day", TensorProto.newBuilder().setDtype(DataType.DT_INT32).setTensorShape(batch).addIntVal(11).addIntVal(3).build(),
        "merchant_category", TensorProto.newBuilder().setDtype(DataType.DT_STRING).setTensorShape(batch)
            .addStringVal(com.google.protobuf.ByteString.copyFromUtf8("grocery"))
            .addStringVal(com.google.protobuf.ByteString.copyFromUtf8("electronics")).build(),
        "velocity", TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(batchOf3)
            .addFloatVal(1).addFloatVal(3).addFloatVal(14).addFloatVal(6).addFloatVal(20).addFloatVal(30).build());
  }

  private static byte[] example(float x) {
    return Example.newBuilder().setFeatures(Features.newBuilder().putFeature("x",
        Feature.newBuilder().setFloatList(FloatList.newBuilder().addValue(x)).build())).build().toByteArray();
  }

  private static byte[] tfRecordFile(List<byte[]> records) throws IOException {
    Path version = Files.createTempDirectory("fuzz-seed-warmup");
    return Files.readAllBytes(WarmupFiles.write(version, records));
  }

  private static byte[] confluent(int id, byte[] singleObject) {
    return ConfluentWireFormat.frame(id, Arrays.copyOfRange(singleObject, 10, singleObject.length));
  }

  private static String quote(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] with(int selector, byte[] rest) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(selector);
    out.writeBytes(rest);
    return out.toByteArray();
  }

  private static void write(String directory, Map<String, byte[]> seeds) throws IOException {
    Path dir = RESOURCES.resolve(directory);
    Files.createDirectories(dir);
    for (Map.Entry<String, byte[]> seed : seeds.entrySet()) {
      Files.write(dir.resolve("seed-" + seed.getKey()), seed.getValue());
    }
  }
}
