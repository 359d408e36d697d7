package io.streamscore.soak;

/**
 * The faults the soak injects, each a thing that happens to real clusters. What each one does is
 * carried out by {@link FaultSoakIntegrationTest}; {@link FaultSchedule} only decides when.
 */
enum FaultKind {
  /** SIGKILL of a running instance (a crash: nothing drained or committed), then a new one started after the hold. */
  SIGKILL_AND_RESTART(Resource.NONE),
  /** SIGTERM of a running instance (drain, commit, leave; must exit 0), then a new one started after the hold. */
  SIGTERM_AND_RESTART(Resource.NONE),
  /**
   * An instance started, and SIGTERM'd as one stage of its start-up begins (the stage chosen by the
   * fault's pick), as a rollout or a scale-in may do; it must exit 0 within the bound.
   */
  SIGTERM_DURING_START(Resource.NONE),
  /** Scale 3 → 4 → 2 → 3: one instance started, two stopped by SIGTERM, one started, the hold between steps. */
  SCALE_4_2_3(Resource.NONE),
  /** The broker stopped for the hold (5–20 s), then started again on the same ports and data. */
  BROKER_OUTAGE(Resource.BROKER),
  /** The schema registry stopped for the hold (5–20 s), then started again with the same schemas. */
  REGISTRY_OUTAGE(Resource.REGISTRY),
  /** A good new model version placed under model.path; every instance must swap to it. */
  MODEL_SWAP(Resource.MODEL_DIRECTORY),
  /** A version that cannot be loaded placed under model.path; every instance must refuse it and go on serving. */
  BAD_MODEL_VERSION(Resource.MODEL_DIRECTORY),
  /** A record that makes the model call stall past model.call.timeout.ms; it must be dead-lettered with that reason. */
  STALLED_MODEL_CALL(Resource.NONE),
  /** A new writer schema of one source registered, and records written with it from then on (Confluent format). */
  NEW_WRITER_SCHEMA(Resource.NONE);

  /**
   * What a fault takes exclusively: two faults on the broker, the registry or the model directory
   * run one after the other, not at once. Instance faults may overlap; each claims its own instances.
   */
  enum Resource { BROKER, REGISTRY, MODEL_DIRECTORY, NONE }

  private final Resource resource;

  FaultKind(Resource resource) {
    this.resource = resource;
  }

  Resource resource() {
    return resource;
  }
}
