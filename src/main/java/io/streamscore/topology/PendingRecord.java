package io.streamscore.topology;

import org.apache.kafka.common.header.Headers;

/**
 * An input record waiting in its stream thread's batch: where it came from, and what its prediction
 * or dead letter needs (key, value, timestamp, headers). Immutable; the arrays are the input's own
 * and are not copied.
 */
record PendingRecord(String topic, int partition, long offset, byte[] key, byte[] value, long timestamp, Headers headers) {}
