package io.streamscore.scale;

/** One input record by its place in Kafka. Immutable. */
record InputId(String topic, int partition, long offset) {}
