package io.streamscore.bench;

/**
 * A paced run started on fresh topics right after start-up: end-to-end latency at a fixed rate,
 * and the p99 of the first 1,000 records against the steady p99 (inputs produced after the first 5 s). Milliseconds.
 */
public record LatencyResult(String label, BenchMode mode, int threads, String guarantee, boolean warmup, double ratePerSecond,
    long samples, double p50Ms, double p99Ms, double p999Ms, double first1000P99Ms, double steadyP99Ms, String failure) {}
