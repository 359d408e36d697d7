package io.streamscore.app;

/**
 * The stages of a StreamScore start-up, in order. Each is logged as it begins, so a stop request
 * (SIGTERM) can say what it interrupted, and a test can stop start-up at each one.
 */
public enum StartupStage {
  REGISTRY("connecting to the schema registry", true),
  MODEL("loading and warming up the model", false),
  BROKER("waiting for the Kafka broker", true),
  TOPICS("creating topics", true),
  ACCESS("checking access and choosing the group protocol", true),
  KAFKA_WARMUP("warming Kafka's paths on scratch topics", false),
  JOINING("joining the group", false);

  private final String description;
  private final boolean interruptible;

  StartupStage(String description, boolean interruptible) {
    this.description = description;
    this.interruptible = interruptible;
  }

  /**
   * Whether a stop request interrupts the stage's thread. Only stages that wait on the network
   * (admin futures, HTTP) are: an interrupt there ends the wait cleanly. Constructing Kafka clients
   * (the scratch run, joining) must not be interrupted (a consumer's network thread then fails
   * half-built), and TensorFlow's native load ignores it; those stages check the request at their
   * own boundaries, and the warm-up's loop at every record.
   */
  public boolean interruptible() {
    return interruptible;
  }

  public String description() {
    return description;
  }
}
