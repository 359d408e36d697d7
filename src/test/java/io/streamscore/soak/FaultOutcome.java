package io.streamscore.soak;

/**
 * What happened when one planned fault was carried out. Immutable.
 *
 * @param injectedMillis when the fault began (after waiting for its resource, if another fault held it)
 * @param endedMillis when it was undone: the restart running, the broker or registry answering again,
 *     every instance on the new version or having refused the bad one, the stalled record dead-lettered
 * @param inFlight inputs acknowledged by the broker without an output yet, when it began
 * @param note what the fault acted on, or why it could not
 * @param skipped the fault's resource was still taken by an earlier fault of its kind at its planned
 *     time (the broker still coming back, say), so it was not carried out
 */
record FaultOutcome(FaultSchedule.Fault fault, long injectedMillis, long endedMillis, long inFlight, String note, boolean skipped) {}
