package io.streamscore.soak;

/** One input record, by where the broker put it: what a prediction's lineage and a dead letter's headers point at. */
record InputId(String topic, int partition, long offset) {
  @Override
  public String toString() {
    return topic + "/" + partition + "@" + offset;
  }
}
