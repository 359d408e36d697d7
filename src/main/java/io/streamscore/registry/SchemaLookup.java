package io.streamscore.registry;

import org.apache.avro.Schema;

/**
 * Finds an Avro writer schema by its registry id: what decoding Confluent's wire format needs.
 * Implementations are thread-safe.
 */
public interface SchemaLookup {
  /**
   * @throws SchemaNotFoundException when the registry has no schema with that id
   * @throws RegistryUnavailableException when the registry cannot be reached within the retries
   * @throws RegistryException for any other refusal, including a schema that is not Avro
   */
  Schema schemaById(int id);

  /**
   * The latest version of a subject: a source's reader schema when it names a subject.
   *
   * @throws SchemaNotFoundException when the registry has no such subject
   */
  Schema latestSchema(String subject);

  /** Where the schemas come from, for messages: the registry's URLs, never credentials. */
  String describe();
}
