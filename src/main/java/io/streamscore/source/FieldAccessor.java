package io.streamscore.source;

import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * A dotted field path resolved once against a reader schema to field positions, so reading a value
 * costs one array lookup per level. Immutable and thread-safe.
 *
 * @param leaf the schema of the value the path ends at, nullable unions unwrapped
 * @param nullable whether the value can be null (the leaf or a record on the way is optional)
 */
record FieldAccessor(String path, int[] positions, Schema leaf, boolean nullable) {

  /**
   * Resolves every path of one configuration key.
   *
   * @throws MappingException naming the source, the field and the key when a path does not resolve
   */
  static List<FieldAccessor> resolveAll(Schema root, List<String> paths, String source, String key) {
    List<FieldAccessor> accessors = new java.util.ArrayList<>(paths.size());
    for (String path : paths) {
      try {
        accessors.add(resolve(root, path));
      } catch (IllegalArgumentException e) {
        throw new MappingException("source '" + source + "', field '" + path + "' (" + key + "): " + e.getMessage());
      }
    }
    return accessors;
  }

  /**
   * @throws IllegalArgumentException saying which part of the path does not exist, and what does
   */
  static FieldAccessor resolve(Schema root, String path) {
    String[] names = path.split("\\.");
    int[] positions = new int[names.length];
    Schema current = root;
    boolean nullable = false;
    for (int i = 0; i < names.length; i++) {
      if (current.getType() != Schema.Type.RECORD) {
        throw new IllegalArgumentException("'" + String.join(".", List.of(names).subList(0, i)) + "' is an Avro "
            + current.getType().getName() + ", not a record, so it has no field '" + names[i] + "'");
      }
      Schema.Field field = current.getField(names[i]);
      if (field == null) {
        throw new IllegalArgumentException("record " + current.getFullName() + " has no field '" + names[i]
            + "'; its fields are " + current.getFields().stream().map(Schema.Field::name).toList());
      }
      positions[i] = field.pos();
      Schema fieldSchema = field.schema();
      if (fieldSchema.getType() == Schema.Type.UNION) {
        List<Schema> branches = fieldSchema.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).toList();
        if (branches.size() != 1) {
          throw new IllegalArgumentException("field '" + names[i] + "' is a union of " + branches.size()
              + " non-null types; StreamScore maps fields of one type, optionally nullable");
        }
        nullable |= branches.size() < fieldSchema.getTypes().size();
        fieldSchema = branches.get(0);
      }
      current = fieldSchema;
    }
    return new FieldAccessor(path, positions, current, nullable);
  }

  /** The value at the path, or null when it, or a record on the way, is null. */
  Object get(GenericRecord record) {
    Object current = record;
    for (int position : positions) {
      if (current == null) {
        return null;
      }
      current = ((GenericRecord) current).get(position);
    }
    return current;
  }
}
