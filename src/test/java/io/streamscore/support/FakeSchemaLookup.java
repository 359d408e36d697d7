package io.streamscore.support;

import io.streamscore.registry.RegistryUnavailableException;
import io.streamscore.registry.SchemaLookup;
import io.streamscore.registry.SchemaNotFoundException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;

/**
 * A schema registry in memory, for TopologyTestDriver and unit tests: schemas by id and subject,
 * and a switch that makes it unreachable. The real registry is exercised against Apicurio in the
 * integration tests.
 */
public final class FakeSchemaLookup implements SchemaLookup {
  private final Map<Integer, Schema> byId = new ConcurrentHashMap<>();
  private final Map<String, Schema> bySubject = new ConcurrentHashMap<>();
  private final AtomicBoolean down = new AtomicBoolean();
  private final AtomicInteger lookups = new AtomicInteger();

  public FakeSchemaLookup with(int id, Schema schema) {
    byId.put(id, schema);
    return this;
  }

  public FakeSchemaLookup withSubject(String subject, Schema schema) {
    bySubject.put(subject, schema);
    return this;
  }

  public void setDown(boolean unreachable) {
    down.set(unreachable);
  }

  public int lookups() {
    return lookups.get();
  }

  @Override
  public Schema schemaById(int id) {
    lookups.incrementAndGet();
    if (down.get()) {
      throw new RegistryUnavailableException("schema registry unavailable: fake is down", null);
    }
    Schema schema = byId.get(id);
    if (schema == null) {
      throw new SchemaNotFoundException(40403, "Schema " + id + " not found.");
    }
    return schema;
  }

  @Override
  public Schema latestSchema(String subject) {
    Schema schema = bySubject.get(subject);
    if (schema == null) {
      throw new SchemaNotFoundException(40401, "Subject '" + subject + "' not found.");
    }
    return schema;
  }

  @Override
  public String describe() {
    return "fake://registry";
  }
}
