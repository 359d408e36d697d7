package io.streamscore.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;

/**
 * Converts plain JSON objects (as people write them: {@code {"total": 12.5, "shipping_distance_km":
 * null}}, unions not wrapped in type names) into Avro records of a schema, and encodes them with
 * single-object encoding. Absent fields take the schema's default. Thread-safe.
 */
public final class JsonRecords {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final Schema schema;
  private final BinaryMessageEncoder<GenericRecord> encoder;

  public JsonRecords(Schema schema) {
    this.schema = schema;
    this.encoder = new BinaryMessageEncoder<>(GenericData.get(), schema);
  }

  /**
   * @throws IllegalArgumentException naming the field and what was expected, for a line that does not fit
   */
  public byte[] encode(String jsonLine) {
    JsonNode node;
    try {
      node = MAPPER.readTree(jsonLine);
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage());
    }
    GenericRecord record = (GenericRecord) convert(node, schema, schema.getName());
    try {
      ByteBuffer buffer = encoder.encode(record);
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return bytes;
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("cannot encode as " + schema.getFullName() + ": " + e.getMessage(), e);
    }
  }

  /**
   * The record key a JSON line carries in the field at {@code path} (dotted: {@code customer.id}):
   * the UTF-8 bytes of the value's text, a string as it is, a number or boolean as JSON writes it.
   *
   * @throws IllegalArgumentException naming the field, when the line is not JSON or the field is
   *     missing, null, an object or an array
   */
  public static byte[] keyOf(String jsonLine, String path) {
    JsonNode node;
    try {
      node = MAPPER.readTree(jsonLine);
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage());
    }
    for (String name : path.split("\\.")) {
      node = node == null || !node.isObject() ? null : node.get(name);
    }
    if (node == null || node.isNull()) {
      throw new IllegalArgumentException("key field '" + path + "' (--key) is " + (node == null ? "missing" : "null")
          + "; every line needs a value there");
    }
    if (!node.isValueNode()) {
      throw new IllegalArgumentException("key field '" + path + "' (--key) holds " + (node.isArray() ? "an array" : "an object")
          + ", not a string, number or boolean");
    }
    return node.asText().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private static Object convert(JsonNode node, Schema schema, String path) {
    switch (schema.getType()) {
      case NULL -> {
        if (node == null || node.isNull()) {
          return null;
        }
        throw mismatch(path, "null", node);
      }
      case UNION -> {
        if (node == null || node.isNull()) {
          if (schema.getTypes().stream().anyMatch(s -> s.getType() == Schema.Type.NULL)) {
            return null;
          }
          throw mismatch(path, "a value", node);
        }
        IllegalArgumentException last = null;
        for (Schema branch : schema.getTypes()) {
          if (branch.getType() == Schema.Type.NULL) {
            continue;
          }
          try {
            return convert(node, branch, path);
          } catch (IllegalArgumentException e) {
            last = e;
          }
        }
        throw last != null ? last : mismatch(path, schema.toString(), node);
      }
      case RECORD -> {
        if (node == null || !node.isObject()) {
          throw mismatch(path, "an object", node);
        }
        GenericData.Record record = new GenericData.Record(schema);
        for (Schema.Field field : schema.getFields()) {
          JsonNode value = node.get(field.name());
          String fieldPath = path + "." + field.name();
          if (value == null && field.hasDefaultValue()) {
            record.put(field.pos(), GenericData.get().getDefaultValue(field));
          } else if (value == null && !accepts(field.schema(), Schema.Type.NULL)) {
            throw new IllegalArgumentException("field '" + fieldPath + "' is missing and has no default");
          } else {
            record.put(field.pos(), convert(value, field.schema(), fieldPath));
          }
        }
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
          String name = names.next();
          if (schema.getField(name) == null) {
            throw new IllegalArgumentException("field '" + path + "." + name + "' is not in " + schema.getFullName());
          }
        }
        return record;
      }
      case ARRAY -> {
        if (node == null || !node.isArray()) {
          throw mismatch(path, "an array", node);
        }
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
          values.add(convert(node.get(i), schema.getElementType(), path + "[" + i + "]"));
        }
        return new GenericData.Array<>(schema, values);
      }
      case MAP -> {
        if (node == null || !node.isObject()) {
          throw mismatch(path, "an object", node);
        }
        Map<String, Object> values = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> values.put(e.getKey(), convert(e.getValue(), schema.getValueType(), path + "." + e.getKey())));
        return values;
      }
      case ENUM -> {
        if (node == null || !node.isTextual() || !schema.hasEnumSymbol(node.asText())) {
          throw mismatch(path, "one of " + schema.getEnumSymbols(), node);
        }
        return new GenericData.EnumSymbol(schema, node.asText());
      }
      case STRING -> {
        if (node == null || !node.isTextual()) {
          throw mismatch(path, "a string", node);
        }
        return node.asText();
      }
      case BOOLEAN -> {
        if (node == null || !node.isBoolean()) {
          throw mismatch(path, "true or false", node);
        }
        return node.asBoolean();
      }
      case INT -> {
        if (node == null || !node.canConvertToInt() || !node.isIntegralNumber()) {
          throw mismatch(path, "an int", node);
        }
        return node.asInt();
      }
      case LONG -> {
        if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()) {
          throw mismatch(path, "a long", node);
        }
        return node.asLong();
      }
      case FLOAT -> {
        if (node == null || !node.isNumber()) {
          throw mismatch(path, "a number", node);
        }
        return (float) node.asDouble();
      }
      case DOUBLE -> {
        if (node == null || !node.isNumber()) {
          throw mismatch(path, "a number", node);
        }
        return node.asDouble();
      }
      default -> throw new IllegalArgumentException("field '" + path + "': Avro type " + schema.getType() + " is not supported in JSON input");
    }
  }

  private static boolean accepts(Schema schema, Schema.Type type) {
    return schema.getType() == type || (schema.getType() == Schema.Type.UNION
        && schema.getTypes().stream().anyMatch(s -> s.getType() == type));
  }

  private static IllegalArgumentException mismatch(String path, String expected, JsonNode found) {
    return new IllegalArgumentException("field '" + path + "': expected " + expected + ", found " + (found == null ? "nothing" : found.toString()));
  }
}
