package io.streamscore.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.kafka.common.config.ConfigException;

/**
 * Reads Avro schemas named in configuration: from the file system, or, when no such file exists,
 * from the same path on the class path (the jar carries {@code schemas/}).
 */
public final class SchemaFiles {
  private SchemaFiles() {}

  /**
   * @param key the configuration key that named the file, for the error message
   * @throws ConfigException naming the key and the file when it is missing or not a schema
   */
  public static Schema read(String key, Path path) {
    if (path == null) {
      throw new ConfigException(key, null, "this source has no schema file (its reader schema comes from a schema.subject in the"
          + " registry), and this command needs one: set " + key);
    }
    try {
      if (Files.isRegularFile(path)) {
        return new Schema.Parser().parse(path.toFile());
      }
      try (InputStream in = SchemaFiles.class.getResourceAsStream("/" + path.toString().replace('\\', '/'))) {
        if (in != null) {
          return new Schema.Parser().parse(in);
        }
      }
    } catch (IOException | SchemaParseException e) {
      throw new ConfigException(key, path.toString(), "not a readable Avro schema: " + e.getMessage());
    }
    throw new ConfigException(key, path.toString(), "no such schema file (looked at " + path.toAbsolutePath() + " and on the class path)");
  }
}
