package io.streamscore.topology;

import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * StreamScore's processing exception handler: Kafka Streams' own log-and-continue handler, which
 * writes the failed record to the dead-letter topic with the exception's message (KIP-1034), with
 * one concise log line per record instead of a stack trace. The reason a person acts on is in the
 * dead letter's {@code __streams.errors.message} header; a stack trace per bad record would bury
 * the log under a burst of bad input. Set logger {@code io.streamscore.topology.DeadLetterHandler}
 * to DEBUG to see the stack traces.
 *
 * <p>One exception is not a bad record: {@link io.streamscore.registry.RegistryUnavailableException}
 * (the schema registry cannot be reached). For it the handler answers FAIL, never a dead letter.
 */
public final class DeadLetterHandler extends LogAndContinueProcessingExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(DeadLetterHandler.class);
  private ScoringListener listener = ScoringListener.NONE;

  @Override
  public void configure(java.util.Map<String, ?> configs) {
    super.configure(configs);
    if (configs.get(ScoringListener.CONFIG_KEY) instanceof ScoringListener configured) {
      listener = configured;
    }
  }

  @Override
  public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
    if (dependencyDown(exception)) {
      // Not a bad record: the schema registry is down. Fail the stream thread (StreamScore replaces
      // it) without committing this record's offset, so it is read and scored again later.
      log.warn("Not dead-lettering {}/{}@{}: {}; the stream thread stops and is replaced, and the record is read again",
          context.topic(), context.partition(), context.offset(), exception.getMessage());
      return Response.fail();
    }
    if (log.isDebugEnabled()) {
      log.debug("Dead-lettering {}/{}@{}", context.topic(), context.partition(), context.offset(), exception);
    } else {
      log.warn("Dead-lettering {}/{}@{}: {}", context.topic(), context.partition(), context.offset(), exception.getMessage());
    }
    listener.deadLettered(context.topic(), exception);
    return super.handleError(context, record, exception);
  }

  /** Whether {@code exception} says a dependency is down rather than the record is bad. */
  public static boolean dependencyDown(Throwable exception) {
    for (Throwable t = exception; t != null; t = t.getCause()) {
      if (t instanceof io.streamscore.registry.RegistryUnavailableException) {
        return true;
      }
    }
    return false;
  }
}
