package io.streamscore.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamscore.config.InputBinding;
import io.streamscore.config.SourceDefinition;
import io.streamscore.model.ExampleFeatures;
import io.streamscore.model.ModelSignature;
import io.streamscore.model.TensorSpec;
import io.streamscore.model.TensorType;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/** Sources feeding signatures that take serialized tf.Examples (regress and classify methods). */
class ExampleMappingTest {
  private static final ModelSignature REGRESS = new ModelSignature("regress_x_to_y", "tensorflow/serving/regress",
      List.of(new TensorSpec("inputs", TensorType.DT_STRING, List.of(-1L))), List.of());
  private static final Schema SCHEMA = SchemaBuilder.record("Reading").fields()
      .requiredDouble("x").requiredLong("count").requiredBoolean("flag").requiredString("label")
      .name("history").type().array().items().floatType().noDefault()
      .optionalDouble("maybe").endRecord();

  private static SourceDefinition source(InputBinding... bindings) {
    return new SourceDefinition("sensor", List.of("t"), Optional.empty(), Path.of("unused.avsc"), List.of(), List.of(bindings));
  }

  private static InputBinding.Fields feature(String name, String path, String fallback) {
    return new InputBinding.Fields(name, List.of(path), Optional.ofNullable(fallback), true);
  }

  private static GenericRecord reading(Double maybe) {
    GenericRecord r = new GenericData.Record(SCHEMA);
    r.put("x", 1.5);
    r.put("count", 7L);
    r.put("flag", true);
    r.put("label", "north");
    r.put("history", List.of(0.5f, 0.25f));
    r.put("maybe", maybe);
    return r;
  }

  @Test
  void shouldBuildAnExampleWithTheListTypeOfEachFieldsAvroType() {
    FeatureMapper mapper = FeatureMapper.compile(source(feature("x", "x", null), feature("count", "count", null),
        feature("flag", "flag", null), feature("label", "label", null), feature("history", "history", null),
        new InputBinding.Constant("region", "eu")), SCHEMA, REGRESS);
    ExampleFeatures example = (ExampleFeatures) mapper.map(reading(null)).value(0);
    assertArrayEquals(new float[] {1.5f}, example.floats().get("x"));
    assertArrayEquals(new long[] {7}, example.int64s().get("count"));
    assertArrayEquals(new long[] {1}, example.int64s().get("flag"));
    assertEquals(List.of("north"), example.bytes().get("label"));
    assertArrayEquals(new float[] {0.5f, 0.25f}, example.floats().get("history"));
    assertEquals(List.of("eu"), example.bytes().get("region"));
  }

  @Test
  void shouldUseTheDefaultForANullFieldAndDeadLetterWithoutOne() {
    FeatureMapper withDefault = FeatureMapper.compile(source(feature("maybe", "maybe", "-1.0")), SCHEMA, REGRESS);
    assertArrayEquals(new float[] {-1f}, ((ExampleFeatures) withDefault.map(reading(null)).value(0)).floats().get("maybe"));
    assertArrayEquals(new float[] {3f}, ((ExampleFeatures) withDefault.map(reading(3.0)).value(0)).floats().get("maybe"));
    FeatureMapper strict = FeatureMapper.compile(source(feature("maybe", "maybe", null)), SCHEMA, REGRESS);
    FeatureMappingException e = assertThrows(FeatureMappingException.class, () -> strict.map(reading(null)));
    assertTrue(e.getMessage().contains("source.sensor.default.maybe"), e.getMessage());
  }

  @Test
  void shouldRefuseInputBindingsForAnExampleSignatureNamingTheFeatureKeyToUse() {
    MappingException e = assertThrows(MappingException.class, () -> FeatureMapper.compile(
        source(new InputBinding.Fields("x", List.of("x"), Optional.empty(), false)), SCHEMA, REGRESS));
    assertTrue(e.getMessage().contains("source.sensor.feature.x"), e.getMessage());
    assertTrue(e.getMessage().contains("tf.Example"), e.getMessage());
  }

  @Test
  void shouldRefuseFeatureBindingsForATensorSignature() {
    ModelSignature predict = new ModelSignature("serving_default", "tensorflow/serving/predict",
        List.of(new TensorSpec("x", TensorType.DT_FLOAT, List.of(-1L))), List.of());
    MappingException e = assertThrows(MappingException.class, () -> FeatureMapper.compile(source(feature("x", "x", null)), SCHEMA, predict));
    assertTrue(e.getMessage().contains("source.sensor.input.x"), e.getMessage());
  }

  @Test
  void shouldMakeASyntheticExampleWithEveryFeatureForWarmup() {
    FeatureMapper mapper = FeatureMapper.compile(source(feature("x", "x", null), feature("label", "label", null)), SCHEMA, REGRESS);
    ExampleFeatures synthetic = (ExampleFeatures) mapper.syntheticRow().value(0);
    assertArrayEquals(new float[] {0f}, synthetic.floats().get("x"));
    assertEquals(List.of(""), synthetic.bytes().get("label"));
  }
}
