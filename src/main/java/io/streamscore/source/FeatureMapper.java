package io.streamscore.source;

import io.streamscore.config.InputBinding;
import io.streamscore.config.SourceDefinition;
import io.streamscore.model.FeatureRow;
import io.streamscore.model.ModelSignature;
import io.streamscore.model.TensorSpec;
import io.streamscore.model.TensorType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * Turns one source's decoded records into feature rows for one signature, by configuration alone.
 * Compiled once at start-up from the source's bindings, its reader schema and the signature, where
 * every mismatch is found; per record it only reads fields and converts numbers.
 *
 * <p>Type rules, Avro to TensorFlow: any number (int, long, float, double) feeds DT_FLOAT and
 * DT_DOUBLE; int feeds DT_INT32; int and long feed DT_INT64; boolean feeds DT_BOOL; string and
 * enum feed DT_STRING. Nothing else is converted: a long does not silently become an int32.
 *
 * <p>Immutable and thread-safe.
 */
public final class FeatureMapper {
  private final String source;
  private final List<Extractor> extractors;

  /** Reads one input's value from a record; {@code synthetic} is a neutral value of the same type and shape, for warm-up. */
  record Extractor(Function<GenericRecord, Object> reader, Object synthetic) {
    Object extract(GenericRecord record) {
      return reader.apply(record);
    }
  }

  private FeatureMapper(String source, List<Extractor> extractors) {
    this.source = source;
    this.extractors = List.copyOf(extractors);
  }

  /**
   * Checks the bindings against the schema and the signature and compiles them.
   *
   * @throws MappingException naming source, field, input and types at the first mismatch found
   */
  public static FeatureMapper compile(SourceDefinition definition, Schema readerSchema, ModelSignature signature) {
    String source = definition.name();
    Map<String, InputBinding> byInput = definition.bindings().stream()
        .collect(Collectors.toMap(InputBinding::input, Function.identity()));
    Set<String> unknown = new TreeSet<>(byInput.keySet());
    if (signature.takesExamples()) {
      unknown.clear();
    }
    signature.inputs().forEach(s -> unknown.remove(s.name()));
    if (!unknown.isEmpty()) {
      throw new MappingException("source '" + source + "' binds " + unknown + ", but signature '" + signature.key()
          + "' has no such input; its inputs are " + describe(signature.inputs()));
    }
    if (signature.takesExamples()) {
      return new FeatureMapper(source, List.of(ExampleMapping.compile(definition, readerSchema, signature)));
    }
    definition.bindings().stream().filter(b -> b instanceof InputBinding.Fields f && f.exampleFeature()).findFirst().ifPresent(b -> {
      throw new MappingException("source '" + source + "' maps tf.Example feature '" + b.input() + "' (source." + source + ".feature."
          + b.input() + "), but signature '" + signature.key() + "' (" + signature.methodName() + ") takes tensors; use source."
          + source + ".input." + b.input());
    });
    List<Extractor> extractors = new ArrayList<>();
    for (TensorSpec input : signature.inputs()) {
      InputBinding binding = byInput.get(input.name());
      if (binding == null) {
        throw new MappingException("source '" + source + "' does not map model input '" + input.name() + "' ("
            + input.type() + " " + input.shapeText() + "); add source." + source + ".input." + input.name()
            + "=<field path> or source." + source + ".constant." + input.name() + "=<value>");
      }
      extractors.add(binding instanceof InputBinding.Constant c
          ? constant(source, input, c)
          : fields(source, input, (InputBinding.Fields) binding, readerSchema));
    }
    return new FeatureMapper(source, extractors);
  }

  /**
   * @throws FeatureMappingException when a required value is null or an array has the wrong length
   */
  public FeatureRow map(GenericRecord record) {
    Object[] values = new Object[extractors.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = extractors.get(i).extract(record);
    }
    return new FeatureRow(values);
  }

  public String source() {
    return source;
  }

  /** A row of neutral values of the right types and shapes, for warming up with this source's inputs. */
  public FeatureRow syntheticRow() {
    return new FeatureRow(extractors.stream().map(Extractor::synthetic).toArray());
  }

  private static Extractor constant(String source, TensorSpec input, InputBinding.Constant binding) {
    String key = "source." + source + ".constant." + input.name();
    Object value = literal(key, input, binding.literal());
    return new Extractor(record -> value, value);
  }

  /** Parses a configured literal (constant or default) into the Java value of the input's dtype. */
  private static Object literal(String key, TensorSpec input, String text) {
    boolean array = input.rank() >= 2;
    List<String> parts = array ? Arrays.stream(text.split(",")).map(String::trim).toList() : List.of(text);
    if (array && parts.size() != input.valuesPerRecord()) {
      throw new MappingException(key + "=" + text + ": model input '" + input.name() + "' has shape " + input.shapeText()
          + " and needs " + input.valuesPerRecord() + " comma-separated values, found " + parts.size());
    }
    List<Object> values = new ArrayList<>();
    for (String part : parts) {
      try {
        values.add(switch (input.type()) {
          case DT_FLOAT -> Float.parseFloat(part);
          case DT_DOUBLE -> Double.parseDouble(part);
          case DT_INT32 -> Integer.parseInt(part);
          case DT_INT64 -> Long.parseLong(part);
          case DT_BOOL -> {
            if (!part.equals("true") && !part.equals("false")) {
              throw new NumberFormatException("expected true or false");
            }
            yield Boolean.parseBoolean(part);
          }
          case DT_STRING -> part;
        });
      } catch (NumberFormatException e) {
        throw new MappingException(key + "=" + text + ": '" + part + "' is not a " + input.type()
            + " value for model input '" + input.name() + "' (" + e.getMessage() + ")");
      }
    }
    return array ? TypedArrays.of(input.type(), values) : values.get(0);
  }

  private static Extractor fields(String source, TensorSpec input, InputBinding.Fields binding, Schema schema) {
    String key = "source." + source + ".input." + input.name();
    List<FieldAccessor> accessors = FieldAccessor.resolveAll(schema, binding.paths(), source, key);
    Object fallback = binding.defaultValue()
        .map(text -> literal("source." + source + ".default." + input.name(), input, text)).orElse(null);
    if (input.rank() < 2) {
      if (accessors.size() != 1) {
        throw new MappingException("source '" + source + "', fields " + binding.paths() + " (" + key + "): model input '"
            + input.name() + "' has shape " + input.shapeText() + " and takes one value per record; map exactly one field");
      }
      FieldAccessor field = accessors.get(0);
      Function<Object, Object> convert = scalarConverter(source, field, field.leaf(), input);
      return new Extractor(record -> {
        Object raw = field.get(record);
        if (raw == null) {
          return orDefault(source, input, field.path(), fallback);
        }
        return convert.apply(raw);
      }, neutral(input));
    }
    int n = input.valuesPerRecord();
    if (accessors.size() == 1 && accessors.get(0).leaf().getType() == Schema.Type.ARRAY) {
      FieldAccessor field = accessors.get(0);
      Function<Object, Object> convert = scalarConverter(source, field, field.leaf().getElementType(), input);
      return new Extractor(record -> {
        Object raw = field.get(record);
        if (raw == null) {
          return orDefault(source, input, field.path(), fallback);
        }
        List<?> list = (List<?>) raw;
        if (list.size() != n) {
          throw new FeatureMappingException("source '" + source + "', field '" + field.path() + "' has " + list.size()
              + " elements; model input '" + input.name() + "' of shape " + input.shapeText() + " needs exactly " + n);
        }
        List<Object> values = new ArrayList<>(n);
        for (Object element : list) {
          if (element == null) {
            throw new FeatureMappingException("source '" + source + "', field '" + field.path() + "' holds a null element;"
                + " model input '" + input.name() + "' needs " + n + " values");
          }
          values.add(convert.apply(element));
        }
        return TypedArrays.of(input.type(), values);
      }, neutral(input));
    }
    if (accessors.size() != n) {
      throw new MappingException("source '" + source + "', fields " + binding.paths() + " (" + key + "): model input '"
          + input.name() + "' has shape " + input.shapeText() + "; map one array field or exactly " + n + " fields, found "
          + accessors.size());
    }
    List<Function<Object, Object>> converters = new ArrayList<>();
    for (FieldAccessor field : accessors) {
      converters.add(scalarConverter(source, field, field.leaf(), input));
    }
    return new Extractor(record -> {
      List<Object> values = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        Object raw = accessors.get(i).get(record);
        if (raw == null) {
          if (fallback != null) {
            return fallback;
          }
          throw nullValue(source, input, accessors.get(i).path());
        }
        values.add(converters.get(i).apply(raw));
      }
      return TypedArrays.of(input.type(), values);
    }, neutral(input));
  }

  /** Zero, false or "" of the input's type, as one value or an array of the record's size. */
  private static Object neutral(TensorSpec input) {
    Object one = switch (input.type()) {
      case DT_FLOAT -> 0f;
      case DT_DOUBLE -> 0.0;
      case DT_INT32 -> 0;
      case DT_INT64 -> 0L;
      case DT_BOOL -> false;
      case DT_STRING -> "";
    };
    if (input.rank() < 2) {
      return one;
    }
    List<Object> values = new ArrayList<>();
    for (int i = 0; i < input.valuesPerRecord(); i++) {
      values.add(one);
    }
    return TypedArrays.of(input.type(), values);
  }

  static Object orDefault(String source, TensorSpec input, String path, Object fallback) {
    if (fallback == null) {
      throw nullValue(source, input, path);
    }
    return fallback;
  }

  static FeatureMappingException nullValue(String source, TensorSpec input, String path) {
    return new FeatureMappingException("source '" + source + "', field '" + path + "' is null and model input '"
        + input.name() + "' requires a value; publish the field or set source." + source + ".default." + input.name());
  }

  /** The conversion from an Avro value of {@code avro} type to the Java value of the input's dtype. */
  private static Function<Object, Object> scalarConverter(String source, FieldAccessor field, Schema avro, TensorSpec input) {
    Schema.Type type = avro.getType();
    TensorType target = input.type();
    boolean number = type == Schema.Type.INT || type == Schema.Type.LONG || type == Schema.Type.FLOAT || type == Schema.Type.DOUBLE;
    Function<Object, Object> converter = switch (target) {
      case DT_FLOAT -> number ? v -> finite(source, field, input, ((Number) v).floatValue()) : null;
      case DT_DOUBLE -> number ? v -> finite(source, field, input, ((Number) v).doubleValue()) : null;
      case DT_INT32 -> type == Schema.Type.INT ? v -> v : null;
      case DT_INT64 -> type == Schema.Type.INT || type == Schema.Type.LONG ? v -> ((Number) v).longValue() : null;
      case DT_BOOL -> type == Schema.Type.BOOLEAN ? v -> v : null;
      case DT_STRING -> type == Schema.Type.STRING || type == Schema.Type.ENUM ? Object::toString : null;
    };
    if (converter == null) {
      throw new MappingException("source '" + source + "', field '" + field.path() + "' (Avro " + typeName(avro)
          + ") cannot feed model input '" + input.name() + "' (" + target + " " + input.shapeText() + "): " + target
          + " takes " + accepted(target) + "; map another field or use a model whose input has a matching type");
    }
    return converter;
  }

  /** NaN and infinity are refused: a model fed them returns NaN or garbage, silently. */
  private static Object finite(String source, FieldAccessor field, TensorSpec input, float value) {
    if (!Float.isFinite(value)) {
      throw nonFinite(source, field, input, value);
    }
    return value;
  }

  private static Object finite(String source, FieldAccessor field, TensorSpec input, double value) {
    if (!Double.isFinite(value)) {
      throw nonFinite(source, field, input, value);
    }
    return value;
  }

  private static FeatureMappingException nonFinite(String source, FieldAccessor field, TensorSpec input, double value) {
    return new FeatureMappingException("source '" + source + "', field '" + field.path() + "' is " + value
        + "; model input '" + input.name() + "' takes finite numbers only");
  }

  private static String typeName(Schema schema) {
    return schema.getType() == Schema.Type.ARRAY ? "array<" + typeName(schema.getElementType()) + ">" : schema.getType().getName();
  }

  private static String accepted(TensorType type) {
    return switch (type) {
      case DT_FLOAT, DT_DOUBLE -> "an Avro int, long, float or double";
      case DT_INT32 -> "an Avro int";
      case DT_INT64 -> "an Avro int or long";
      case DT_BOOL -> "an Avro boolean";
      case DT_STRING -> "an Avro string or enum";
    };
  }

  private static String describe(List<TensorSpec> inputs) {
    return inputs.stream().map(TensorSpec::toString).collect(Collectors.joining(", ", "[", "]"));
  }
}
