package io.streamscore.source;

import io.streamscore.config.InputBinding;
import io.streamscore.config.SourceDefinition;
import io.streamscore.model.ExampleFeatures;
import io.streamscore.model.ModelSignature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * Maps a source's fields onto the features of a {@code tf.Example}, for signatures that take
 * serialized Examples (TensorFlow Serving's regress and classify methods). The feature list type
 * follows the Avro type: float and double give a float list; int, long and boolean an int64 list
 * (booleans as 0 and 1); string and enum a bytes list. An array field gives a list of its
 * elements; several fields give a list of their values in order.
 */
final class ExampleMapping {
  private ExampleMapping() {}

  private enum Kind { FLOAT, INT64, BYTES }

  /** One feature: its name, list type, and how to read its values from a record. */
  private record FeatureReader(String name, Kind kind, Function<GenericRecord, List<Object>> values, int syntheticLength) {}

  static FeatureMapper.Extractor compile(SourceDefinition definition, Schema schema, ModelSignature signature) {
    String source = definition.name();
    String about = "signature '" + signature.key() + "' (" + signature.methodName() + ") takes serialized tf.Example protos in input '"
        + signature.inputs().get(0).name() + "'";
    List<FeatureReader> readers = new ArrayList<>();
    for (InputBinding binding : definition.bindings()) {
      if (binding instanceof InputBinding.Constant constant) {
        List<String> parts = Arrays.stream(constant.literal().split(",")).map(String::trim).toList();
        Kind kind = literalKind(parts.get(0));
        List<Object> values = parts.stream().map(p -> parse("source." + source + ".constant." + binding.input(), kind, p)).toList();
        readers.add(new FeatureReader(binding.input(), kind, record -> values, values.size()));
        continue;
      }
      InputBinding.Fields fields = (InputBinding.Fields) binding;
      if (!fields.exampleFeature()) {
        throw new MappingException("source '" + source + "' binds source." + source + ".input." + binding.input() + ", but " + about
            + ": map fields onto Example features with source." + source + ".feature." + binding.input() + "=<field path>");
      }
      readers.add(fieldsReader(source, fields, schema));
    }
    if (readers.isEmpty()) {
      throw new MappingException("source '" + source + "' maps no features, but " + about
          + ": add source." + source + ".feature.<name>=<field path>");
    }
    ExampleFeatures synthetic = build(readers, null);
    return new FeatureMapper.Extractor(record -> build(readers, record), synthetic);
  }

  private static FeatureReader fieldsReader(String source, InputBinding.Fields binding, Schema schema) {
    String key = "source." + source + ".feature." + binding.input();
    List<FieldAccessor> accessors = FieldAccessor.resolveAll(schema, binding.paths(), source, key);
    boolean array = accessors.size() == 1 && accessors.get(0).leaf().getType() == Schema.Type.ARRAY;
    Kind kind = null;
    for (FieldAccessor accessor : accessors) {
      Schema leaf = array ? accessor.leaf().getElementType() : accessor.leaf();
      Kind fieldKind = switch (leaf.getType()) {
        case FLOAT, DOUBLE -> Kind.FLOAT;
        case INT, LONG, BOOLEAN -> Kind.INT64;
        case STRING, ENUM -> Kind.BYTES;
        default -> throw new MappingException("source '" + source + "', field '" + accessor.path() + "' (Avro " + leaf.getType().getName()
            + ") cannot become tf.Example feature '" + binding.input() + "': a feature takes numbers, booleans, strings or enums, or arrays of them");
      };
      if (kind != null && kind != fieldKind) {
        throw new MappingException("source '" + source + "', fields " + binding.paths() + " (" + key
            + ") mix types; one tf.Example feature holds one list type (" + kind + " vs " + fieldKind + ")");
      }
      kind = fieldKind;
    }
    Kind featureKind = kind;
    List<Object> fallback = binding.defaultValue().map(text -> Arrays.stream(text.split(",")).map(String::trim)
        .map(p -> parse("source." + source + ".default." + binding.input(), featureKind, p)).toList()).orElse(null);
    Function<GenericRecord, List<Object>> values = record -> {
      List<Object> out = new ArrayList<>();
      for (FieldAccessor accessor : accessors) {
        Object raw = accessor.get(record);
        if (raw == null) {
          if (fallback == null) {
            throw new FeatureMappingException("source '" + source + "', field '" + accessor.path() + "' is null and tf.Example feature '"
                + binding.input() + "' requires a value; publish the field or set source." + source + ".default." + binding.input());
          }
          return fallback;
        }
        if (array) {
          for (Object element : (List<?>) raw) {
            out.add(convert(featureKind, element));
          }
        } else {
          out.add(convert(featureKind, raw));
        }
      }
      return out;
    };
    return new FeatureReader(binding.input(), featureKind, values, array ? 1 : accessors.size());
  }

  private static Object convert(Kind kind, Object value) {
    return switch (kind) {
      case FLOAT -> ((Number) value).floatValue();
      case INT64 -> value instanceof Boolean b ? (b ? 1L : 0L) : ((Number) value).longValue();
      case BYTES -> value.toString();
    };
  }

  private static Kind literalKind(String literal) {
    if (literal.equals("true") || literal.equals("false") || literal.matches("-?\\d+")) {
      return Kind.INT64;
    }
    try {
      Double.parseDouble(literal);
      return Kind.FLOAT;
    } catch (NumberFormatException e) {
      return Kind.BYTES;
    }
  }

  private static Object parse(String key, Kind kind, String literal) {
    try {
      return switch (kind) {
        case FLOAT -> Float.parseFloat(literal);
        case INT64 -> literal.equals("true") ? 1L : literal.equals("false") ? 0L : Long.parseLong(literal);
        case BYTES -> literal;
      };
    } catch (NumberFormatException e) {
      throw new MappingException(key + "=" + literal + ": not a " + kind.name().toLowerCase() + " value (" + e.getMessage() + ")");
    }
  }

  /** The Example for one record, or with neutral values of the right types when {@code record} is null. */
  private static ExampleFeatures build(List<FeatureReader> readers, GenericRecord record) {
    ExampleFeatures.Builder builder = ExampleFeatures.builder();
    for (FeatureReader reader : readers) {
      List<Object> values;
      if (record == null) {
        values = new ArrayList<>();
        for (int i = 0; i < reader.syntheticLength(); i++) {
          values.add(reader.kind() == Kind.FLOAT ? (Object) 0f : reader.kind() == Kind.INT64 ? (Object) 0L : "");
        }
      } else {
        values = reader.values().apply(record);
      }
      switch (reader.kind()) {
        case FLOAT -> {
          float[] a = new float[values.size()];
          for (int i = 0; i < a.length; i++) a[i] = (Float) values.get(i);
          builder.floats(reader.name(), a);
        }
        case INT64 -> {
          long[] a = new long[values.size()];
          for (int i = 0; i < a.length; i++) a[i] = (Long) values.get(i);
          builder.int64s(reader.name(), a);
        }
        case BYTES -> builder.bytes(reader.name(), values.stream().map(String.class::cast).toList());
      }
    }
    return builder.build();
  }
}
