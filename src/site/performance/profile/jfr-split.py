#!/usr/bin/env python3
"""Splits a JFR recording's Java execution samples of the stream threads into StreamScore's cost categories."""
import subprocess, sys, re, collections
RULES = [  # leaf first: the first frame that matches names the category
    ("tensor building", re.compile(r"io\.streamscore\.model\.internals\.TensorConversion\.toTensor")),
    ("output reading", re.compile(r"io\.streamscore\.model\.internals\.TensorConversion\.split")),
    ("TensorFlow call", re.compile(r"org\.tensorflow\.")),
    ("encoding", re.compile(r"io\.streamscore\.topology\.PredictionFactory")),
    ("decoding", re.compile(r"io\.streamscore\.source\.SourceDecoder")),
    ("mapping", re.compile(r"io\.streamscore\.source\.(FeatureMapper|FieldAccessor|TypedArrays|SourceRegistry)")),
    ("output reading", re.compile(r"io\.streamscore\.model\.internals\.SavedModelScorer")),
    ("batching (ours)", re.compile(r"io\.streamscore\.topology\.(StreamThreadBatch|BatchingScoringProcessor|internals)")),
    ("metrics (ours)", re.compile(r"io\.streamscore\.ops\.")),
    ("other ours", re.compile(r"io\.streamscore\.")),
    ("Kafka (Streams and clients)", re.compile(r"org\.apache\.kafka\.")),
]
def stacks(path, event):
    out = subprocess.run(["jfr", "print", "--events", event, "--stack-depth", "96", path], capture_output=True, text=True).stdout
    for block in out.split("\n}\n"):
        thread = re.search(r'sampledThread = "([^"]*)"', block)
        if not thread:
            continue
        frames = re.findall(r"^\s+([\w$.<>/]+)\(", block, re.M)
        yield thread.group(1), frames
counts = collections.Counter()
total = 0
for path in sys.argv[1:]:
    for event in ("jdk.ExecutionSample", "jdk.NativeMethodSample"):
        for thread, frames in stacks(path, event):
            if "StreamThread" not in thread:
                continue
            category = None
            # Kafka Streams' stream-time synchronisation, whatever it calls (String.format, TopicPartition.toString, ...)
            if any(f.endswith("PartitionGroup.readyToProcess") for f in frames):
                category = "Kafka Streams PartitionGroup.readyToProcess"
            for f in ([] if category else frames):
                for name, rule in RULES:
                    if rule.search(f):
                        category = name
                        break
                if category:
                    break
            if event == "jdk.NativeMethodSample" and category != "TensorFlow call":
                continue  # a stream thread waiting in native code (poll, locks) is not using CPU
            category = category or "Kafka (Streams and clients)"
            counts[category] += 1
            total += 1
print(f"stream-thread samples: {total}")
for name, n in counts.most_common():
    print(f"{name:30s} {n:7d} {100.0*n/total:5.1f} %")
