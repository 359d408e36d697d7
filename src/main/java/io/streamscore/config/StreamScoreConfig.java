package io.streamscore.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;

/**
 * StreamScore's typed configuration: every key declared once with its type, default, validator
 * and documentation, plus the per-source keys, parsed and checked when the object is built.
 * Everything downstream receives this object, never raw properties.
 *
 * <p>Keys outside StreamScore's own pass through to Kafka Streams and its clients when prefixed
 * with {@value #KAFKA_PREFIX} ({@code kafka.security.protocol=SASL_SSL}). An unknown key without
 * that prefix stops start-up: a typo must not silently fall back to a default.
 *
 * <p>This class is immutable.
 */
public final class StreamScoreConfig extends AbstractConfig {

  public static final String KAFKA_PREFIX = "kafka.";
  public static final String SOURCE_PREFIX = "source.";

  public static final String APPLICATION_ID_CONFIG = "application.id";
  private static final String APPLICATION_ID_DOC = "Kafka Streams application id: the consumer group, and the prefix of internal topics and transactional ids. Instances with the same id share the input partitions.";

  public static final String BOOTSTRAP_SERVERS_CONFIG = "bootstrap.servers";
  private static final String BOOTSTRAP_SERVERS_DOC = "Kafka brokers, host:port,... Empty: StreamScore starts a single-node KRaft broker on 127.0.0.1 in a child JVM and uses it. With it set, no embedded broker is started.";

  public static final String NUM_STREAM_THREADS_CONFIG = "num.stream.threads";
  private static final String NUM_STREAM_THREADS_DOC = "Stream threads in this JVM. All of them share one model session.";

  public static final String PROCESSING_GUARANTEE_CONFIG = "processing.guarantee";
  private static final String PROCESSING_GUARANTEE_DOC = "exactly_once_v2: every input yields its prediction or dead letter exactly once, in Kafka transactions; read the outputs with isolation.level=read_committed. at_least_once: nothing lost, but a crash scores again what was processed since the last commit (commit.interval.ms, 30 s by default under at_least_once).";

  public static final String GROUP_PROTOCOL_CONFIG = "group.protocol";
  private static final String GROUP_PROTOCOL_DOC = "How the instances sharing application.id divide the partitions. streams: Kafka's streams rebalance protocol (KIP-1071, a 4.2+ broker): the broker assigns tasks and each instance hands over only what moves, so a pod that comes or goes does not stop the others' output. classic: the consumer group protocol, where every member stops committing for the whole of each rebalance (under exactly_once_v2, every instance's output stalls). auto: streams when the broker offers it (feature streams.version >= 1), no source reads a topic.pattern, and no classic group with members runs under application.id; otherwise classic. The choice and its reason are logged at start-up (docs/operating.md, Scaling out and in).";

  public static final String OUTPUT_TOPIC_CONFIG = "output.topic";
  private static final String OUTPUT_TOPIC_DOC = "Topic for the Prediction records (schemas/Prediction.avsc), keyed as their input.";

  public static final String DEAD_LETTER_TOPIC_CONFIG = "dead.letter.topic";
  private static final String DEAD_LETTER_TOPIC_DOC = "Topic for records that cannot be scored: the original key, value and headers plus __streams.errors.* headers with the reason (Kafka Streams' dead-letter queue; see docs/reliability.md, Bad input).";

  public static final String MODEL_PATH_CONFIG = "model.path";
  private static final String MODEL_PATH_DOC = "Model base directory holding numeric version directories (models/fraud/1, 2, ...), in TensorFlow Serving's layout, or one SavedModel directory (served as version 0). The version policy picks the version to serve. Or a base path in a bucket, s3://bucket/prefix, in the same layout: a version is taken once its _COMPLETE marker, written last, is there, and is downloaded into model.cache.dir (docs/models.md, Models in object storage).";

  public static final String MODEL_NAME_CONFIG = "model.name";
  private static final String MODEL_NAME_DOC = "Model name written into predictions.";

  public static final String MODEL_SIGNATURE_CONFIG = "model.signature";
  private static final String MODEL_SIGNATURE_DOC = "SavedModel signature to serve, by name.";

  public static final String MODEL_TAGS_CONFIG = "model.tags";
  private static final String MODEL_TAGS_DOC = "Meta graph tags to load.";

  public static final String MODEL_WARMUP_ENABLED_CONFIG = "model.warmup.enabled";
  private static final String MODEL_WARMUP_ENABLED_DOC = "Warm every model version up before it serves: before any stream thread starts, and before a hot swap. It is called at every batch size it will see, with the version's warm-up file, the sources' sample records (source.<s>.warmup.records) or placeholder rows, so no record pays for, or races through, TensorFlow's lazy initialisation (docs/models.md, Warm-up).";

  public static final String MODEL_WARMUP_ITERATIONS_CONFIG = "model.warmup.iterations";
  private static final String MODEL_WARMUP_ITERATIONS_DOC = "Warm-up calls per batch size.";

  public static final String MODEL_INTRA_OP_THREADS_CONFIG = "model.intra.op.threads";
  private static final String MODEL_INTRA_OP_THREADS_DOC = "TensorFlow intra-op thread pool size; 0 lets TensorFlow choose. Process-wide: the first session's setting wins.";

  public static final String MODEL_INTER_OP_THREADS_CONFIG = "model.inter.op.threads";
  private static final String MODEL_INTER_OP_THREADS_DOC = "TensorFlow inter-op thread pool size; -1 runs each call's ops in the calling stream thread, 0 lets TensorFlow choose a pool. With the demo model, handing ops to a pool and waiting for them cost more than the ops (docs/performance.md); a model with heavy, parallel graphs may want a pool.";

  public static final String MODEL_VERSION_POLICY_CONFIG = "model.version.policy";
  private static final String MODEL_VERSION_POLICY_DOC = "latest: serve the highest numeric version directory; specific: serve model.version.";

  public static final String MODEL_VERSION_CONFIG = "model.version";
  private static final String MODEL_VERSION_DOC = "The version to serve with model.version.policy=specific.";

  public static final String MODEL_POLL_INTERVAL_MS_CONFIG = "model.poll.interval.ms";
  private static final String MODEL_POLL_INTERVAL_MS_DOC = "How often to look for a new version under model.path; a new one is loaded and warmed up on its own thread, then swapped in. 0 never looks after start-up.";

  public static final String MODEL_S3_ENDPOINT_CONFIG = "model.s3.endpoint";
  private static final String MODEL_S3_ENDPOINT_DOC = "URL of an S3-compatible store holding an s3:// model.path or shadow.model.path (MinIO, Ceph, a cloud's own), such as http://minio.minio.svc:9000; empty for AWS S3. Credentials come from the AWS SDK's default chain (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a web-identity token, a profile), never from this configuration.";
  public static final String MODEL_S3_PATH_STYLE_CONFIG = "model.s3.path.style";
  private static final String MODEL_S3_PATH_STYLE_DOC = "Address the bucket as endpoint/bucket/key instead of bucket.endpoint/key: what most S3-compatible stores need.";
  public static final String MODEL_S3_REGION_CONFIG = "model.s3.region";
  private static final String MODEL_S3_REGION_DOC = "Region of the model's bucket; empty takes AWS_REGION or the profile's (EKS sets AWS_REGION), and us-east-1 with model.s3.endpoint, which S3-compatible stores ignore.";
  public static final String MODEL_CACHE_DIR_CONFIG = "model.cache.dir";
  private static final String MODEL_CACHE_DIR_DOC = "Absolute directory an s3:// model's versions are downloaded into, each process in a directory of its own that it deletes on exit; it holds at most two versions of each model (the served one and the next).";

  public static final String SHADOW_MODEL_PATH_CONFIG = "shadow.model.path";
  private static final String SHADOW_MODEL_PATH_DOC = "Candidate model base directory (or s3://bucket/prefix, as model.path) to shadow-score every record with, beside the primary model (docs/models.md, Shadow scoring); empty turns shadow scoring off. Its inputs must equal the primary's.";

  public static final String SHADOW_MODEL_VERSION_CONFIG = "shadow.model.version";
  private static final String SHADOW_MODEL_VERSION_DOC = "The candidate's version under shadow.model.path; -1 serves the latest.";

  public static final String SHADOW_TOPIC_CONFIG = "shadow.topic";
  private static final String SHADOW_TOPIC_DOC = "Topic for the candidate's predictions, keyed and with lineage as the primary's.";

  public static final String SHADOW_QUEUE_CAPACITY_CONFIG = "shadow.queue.capacity";
  private static final String SHADOW_QUEUE_CAPACITY_DOC = "Records waiting for the candidate; when full, records are not shadow-scored (counted), never delayed.";

  public static final String STARTUP_WARMUP_RECORDS_CONFIG = "startup.warmup.records";
  private static final String STARTUP_WARMUP_RECORDS_DOC = "Before joining the group, run the real topology over this many of the sources' sample records on scratch topics of its own (named <application.id>-warmup-<id>-*, deleted afterwards), with the same guarantee and group protocol: so Kafka's fetch, task, producer and transaction code, and StreamScore's decode, map, score and encode path, are compiled before the first real record. 0 turns it off. Needs the prefixed CREATE and DELETE ACLs on <application.id> that Kafka Streams' own internal topics need; without them it is skipped with a warning (docs/operating.md, Start-up and stop).";

  public static final String STARTUP_WARMUP_TIMEOUT_MS_CONFIG = "startup.warmup.timeout.ms";
  private static final String STARTUP_WARMUP_TIMEOUT_MS_DOC = "Longest the scratch-topic warm-up may take, from creating its topics to deleting them; start-up goes on when it is over, warmed or not.";

  public static final String SHUTDOWN_TIMEOUT_MS_CONFIG = "shutdown.timeout.ms";
  private static final String SHUTDOWN_TIMEOUT_MS_DOC = "Longest a stop waits for Kafka Streams to finish its in-flight records, commit and leave the group. Past it the process exits anyway: under exactly_once_v2 the open transaction is aborted and its records are scored again by the partition's next owner, so nothing is lost. Keep it below the pod's termination grace period (90 s in deploy/base).";

  public static final String HTTP_PORT_CONFIG = "http.port";
  private static final String HTTP_PORT_DOC = "Port of the read-only metrics and health endpoint (/metrics, /health/live, /health/ready, /health/started); 0 picks a free port (logged at start-up; the demo configuration does this), -1 turns it off.";

  public static final String HTTP_HOST_CONFIG = "http.host";
  private static final String HTTP_HOST_DOC = "Address the metrics and health endpoint binds to.";

  public static final String LIMITS_RECORD_BYTES_CONFIG = "limits.record.bytes";
  private static final String LIMITS_RECORD_BYTES_DOC = "Records whose value is larger are dead-lettered without being decoded.";

  public static final String LIMITS_STRING_LENGTH_CONFIG = "limits.string.length";
  private static final String LIMITS_STRING_LENGTH_DOC = "Longest string an Avro record may claim (Avro's org.apache.avro.limits.string.maxLength, process-wide); guards against length prefixes that claim gigabytes.";

  public static final String LIMITS_BYTES_LENGTH_CONFIG = "limits.bytes.length";
  private static final String LIMITS_BYTES_LENGTH_DOC = "Longest bytes field an Avro record may claim (org.apache.avro.limits.bytes.maxLength, process-wide).";

  public static final String LIMITS_COLLECTION_ITEMS_CONFIG = "limits.collection.items";
  private static final String LIMITS_COLLECTION_ITEMS_DOC = "Most items an Avro array or map may claim (org.apache.avro.limits.collectionItems.maxLength, process-wide).";

  public static final String MODEL_CALL_TIMEOUT_MS_CONFIG = "model.call.timeout.ms";
  private static final String MODEL_CALL_TIMEOUT_MS_DOC = "Longest a model call may run; TensorFlow aborts a longer one (RunOptions timeout_in_ms) and its record is dead-lettered with the reason. Keeps a stuck model from holding a stream thread past the consumer's max.poll.interval.ms (5 min by default). 0: no bound.";

  public static final String MODEL_BATCH_MAX_ROWS_CONFIG = "model.batch.max.rows";
  private static final String MODEL_BATCH_MAX_ROWS_DOC = "Most records one model call carries. Each stream thread batches the records of all its tasks together and scores them before Kafka Streams commits any offset, so a crash or rebalance loses nothing (docs/performance.md, Batching without losing data). 1: one call per record, no batching.";

  public static final String MODEL_BATCH_FLUSH_INTERVAL_MS_CONFIG = "model.batch.flush.interval.ms";
  private static final String MODEL_BATCH_FLUSH_INTERVAL_MS_DOC = "Longest a record waits in its stream thread's batch for more records before the batch is scored anyway (checked by a wall-clock punctuation). Bounds the wait batching adds at low rates. Whatever this says, a stream thread's batch is always scored before Kafka Streams commits offsets, so under exactly_once_v2 commit.interval.ms (100 ms) bounds it too.";

  /** Keys that no longer exist, and what to do instead: named in the start-up error. */
  private static final Map<String, String> REMOVED_KEYS = Map.of(
      "model.batching", "StreamScore has one batching, which needs no setting (docs/performance.md); remove this key, and set model.batch.max.rows=1 for one model call per record",
      "model.batch.max.wait.us", "it tuned the removed coalesce batching; remove this key (model.batch.flush.interval.ms bounds how long a record waits for its batch)");

  public static final String SOURCES_CONFIG = "sources";
  private static final String SOURCES_DOC = "Names of the input sources (lower-case letters, digits and '-'); each is described by source.<name>.* keys (docs/configuration.md, Per-source keys).";

  public static final String TOPICS_CREATE_CONFIG = "topics.create";
  private static final String TOPICS_CREATE_DOC = "Create missing input topics (those named in source.<s>.topics), the output topic (with LogAppendTime, so a prediction's timestamp is when it was written) and the dead-letter topic at start-up.";

  public static final String TOPICS_PARTITIONS_CONFIG = "topics.partitions";
  private static final String TOPICS_PARTITIONS_DOC = "Partitions of topics StreamScore creates.";

  public static final String TOPICS_REPLICATION_FACTOR_CONFIG = "topics.replication.factor";
  private static final String TOPICS_REPLICATION_FACTOR_DOC = "Replication factor of topics StreamScore creates; -1 uses the broker's default.";

  public static final String EMBEDDED_BROKER_DIR_CONFIG = "embedded.broker.dir";
  private static final String EMBEDDED_BROKER_DIR_DOC = "Data directory of the embedded broker. Empty: a fresh temporary directory, deleted on exit.";

  public static final String OUTPUT_FORMAT_CONFIG = "output.format";
  private static final String OUTPUT_FORMAT_DOC = "How predictions and shadow predictions are written. avro: Avro single-object encoding (C3 01, schema fingerprint, body). confluent: Confluent's wire format (00, 4-byte schema id, body); schemas/Prediction.avsc is registered under <output.topic>-value (and <shadow.topic>-value) at start-up, so any Confluent-compatible consumer reads predictions with no StreamScore code; needs schema.registry.url. json: one UTF-8 JSON object per prediction (the form consume prints). Dead letters always keep the original bytes.";

  public static final String REGISTRY_PREFIX = "schema.registry.";

  public static final String REGISTRY_URL_CONFIG = "schema.registry.url";
  private static final String REGISTRY_URL_DOC = "Base URL(s) of a schema registry speaking Confluent's REST API, comma-separated and tried in order (failover); each may carry a path prefix, as Apicurio's http://host:8080/apis/ccompat/v7. With it set, a record whose first byte is 00 is decoded with the writer schema fetched by id (GET <url>/schemas/ids/{id}). A URL must not carry credentials. Empty: no registry.";

  public static final String REGISTRY_USER_INFO_CONFIG = "schema.registry.basic.auth.user.info";
  private static final String REGISTRY_USER_INFO_DOC = "user:password for HTTP basic auth to the registry (Confluent Cloud: API key:secret). A secret: set it in the configuration file or the environment, never on the command line.";

  public static final String REGISTRY_BEARER_TOKEN_CONFIG = "schema.registry.bearer.auth.token";
  private static final String REGISTRY_BEARER_TOKEN_DOC = "A bearer token for the registry, sent as Authorization: Bearer. A secret, as the user info; not together with it.";

  public static final String REGISTRY_SSL_TRUSTSTORE_LOCATION_CONFIG = "schema.registry.ssl.truststore.location";
  private static final String REGISTRY_SSL_TRUSTSTORE_LOCATION_DOC = "Trust store file for https registry URLs. Empty: the JDK's default trust store.";
  public static final String REGISTRY_SSL_TRUSTSTORE_PASSWORD_CONFIG = "schema.registry.ssl.truststore.password";
  private static final String REGISTRY_SSL_TRUSTSTORE_PASSWORD_DOC = "Password of the trust store. A secret: environment or file only, never the command line.";
  public static final String REGISTRY_SSL_TRUSTSTORE_TYPE_CONFIG = "schema.registry.ssl.truststore.type";
  private static final String REGISTRY_SSL_TRUSTSTORE_TYPE_DOC = "Trust store type: PKCS12 or JKS.";
  public static final String REGISTRY_SSL_KEYSTORE_LOCATION_CONFIG = "schema.registry.ssl.keystore.location";
  private static final String REGISTRY_SSL_KEYSTORE_LOCATION_DOC = "Key store file with the client certificate, for a registry that asks for mutual TLS. Empty: no client certificate.";
  public static final String REGISTRY_SSL_KEYSTORE_PASSWORD_CONFIG = "schema.registry.ssl.keystore.password";
  private static final String REGISTRY_SSL_KEYSTORE_PASSWORD_DOC = "Password of the key store. A secret: environment or file only, never the command line.";
  public static final String REGISTRY_SSL_KEYSTORE_TYPE_CONFIG = "schema.registry.ssl.keystore.type";
  private static final String REGISTRY_SSL_KEYSTORE_TYPE_DOC = "Key store type: PKCS12 or JKS.";
  public static final String REGISTRY_SSL_KEY_PASSWORD_CONFIG = "schema.registry.ssl.key.password";
  private static final String REGISTRY_SSL_KEY_PASSWORD_DOC = "Password of the private key in the key store. Empty: the key store's password. A secret: environment or file only, never the command line.";

  public static final String REGISTRY_CONNECT_TIMEOUT_MS_CONFIG = "schema.registry.http.connect.timeout.ms";
  private static final String REGISTRY_CONNECT_TIMEOUT_MS_DOC = "Longest wait to connect to one registry URL.";
  public static final String REGISTRY_READ_TIMEOUT_MS_CONFIG = "schema.registry.http.read.timeout.ms";
  private static final String REGISTRY_READ_TIMEOUT_MS_DOC = "Longest wait for one registry answer once connected.";
  public static final String REGISTRY_MAX_RETRIES_CONFIG = "schema.registry.max.retries";
  private static final String REGISTRY_MAX_RETRIES_DOC = "Retries of a registry request after the first attempt, for 408, 429, 5xx and network errors only (401, 403 and other 4xx are not retried); each attempt tries every URL. When they are spent, the record is not dead-lettered: its stream thread fails, Kafka Streams replaces it, and the record is read again from its last committed offset. Start-up refuses settings under which one request could outlast the consumer's max.poll.interval.ms.";
  public static final String REGISTRY_RETRIES_WAIT_MS_CONFIG = "schema.registry.retries.wait.ms";
  private static final String REGISTRY_RETRIES_WAIT_MS_DOC = "Wait before the first retry; each further retry waits twice as long.";
  public static final String REGISTRY_CACHE_CAPACITY_CONFIG = "schema.registry.cache.capacity";
  private static final String REGISTRY_CACHE_CAPACITY_DOC = "Most writer schemas kept by id. Ids are immutable, so a cached schema never goes stale; the bound only caps memory.";

  /** Per-source key suffixes, after source.<name>. */
  public static final String SOURCE_TOPICS = "topics";
  public static final String SOURCE_TOPIC_PATTERN = "topic.pattern";
  public static final String SOURCE_SCHEMA = "schema";
  public static final String SOURCE_WRITER_SCHEMAS = "writer.schemas";
  public static final String SOURCE_WARMUP_RECORDS = "warmup.records";
  public static final String SOURCE_SCHEMA_SUBJECT = "schema.subject";
  public static final String SOURCE_INPUT = "input.";
  public static final String SOURCE_DEFAULT = "default.";
  public static final String SOURCE_FEATURE = "feature.";
  public static final String SOURCE_CONSTANT = "constant.";

  private static final ConfigDef CONFIG = new ConfigDef()
      .define(APPLICATION_ID_CONFIG, Type.STRING, "streamscore", new ConfigDef.NonEmptyString(), Importance.HIGH, APPLICATION_ID_DOC)
      .define(BOOTSTRAP_SERVERS_CONFIG, Type.STRING, "", Importance.HIGH, BOOTSTRAP_SERVERS_DOC)
      .define(SOURCES_CONFIG, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, ConfigDef.ValidList.anyNonDuplicateValues(false, false), Importance.HIGH, SOURCES_DOC)
      .define(MODEL_PATH_CONFIG, Type.STRING, "models/fraud", new ConfigDef.NonEmptyString(), Importance.HIGH, MODEL_PATH_DOC)
      .define(MODEL_NAME_CONFIG, Type.STRING, "", Importance.MEDIUM, MODEL_NAME_DOC)
      .define(MODEL_SIGNATURE_CONFIG, Type.STRING, "serving_default", new ConfigDef.NonEmptyString(), Importance.MEDIUM, MODEL_SIGNATURE_DOC)
      .define(MODEL_TAGS_CONFIG, Type.LIST, "serve", ConfigDef.ValidList.anyNonDuplicateValues(false, false), Importance.LOW, MODEL_TAGS_DOC)
      .define(MODEL_WARMUP_ENABLED_CONFIG, Type.BOOLEAN, true, Importance.MEDIUM, MODEL_WARMUP_ENABLED_DOC)
      .define(MODEL_WARMUP_ITERATIONS_CONFIG, Type.INT, 20, ConfigDef.Range.between(1, 100_000), Importance.LOW, MODEL_WARMUP_ITERATIONS_DOC)
      .define(MODEL_INTRA_OP_THREADS_CONFIG, Type.INT, 0, ConfigDef.Range.between(0, 1024), Importance.LOW, MODEL_INTRA_OP_THREADS_DOC)
      .define(MODEL_INTER_OP_THREADS_CONFIG, Type.INT, -1, ConfigDef.Range.between(-1, 1024), Importance.LOW, MODEL_INTER_OP_THREADS_DOC)
      .define(MODEL_VERSION_POLICY_CONFIG, Type.STRING, "latest", ConfigDef.ValidString.in("latest", "specific"), Importance.MEDIUM, MODEL_VERSION_POLICY_DOC)
      .define(MODEL_VERSION_CONFIG, Type.LONG, -1L, ConfigDef.Range.atLeast(-1), Importance.MEDIUM, MODEL_VERSION_DOC)
      .define(MODEL_POLL_INTERVAL_MS_CONFIG, Type.LONG, 10_000L, ConfigDef.Range.atLeast(0), Importance.LOW, MODEL_POLL_INTERVAL_MS_DOC)
      .define(MODEL_S3_ENDPOINT_CONFIG, Type.STRING, "", Importance.MEDIUM, MODEL_S3_ENDPOINT_DOC)
      .define(MODEL_S3_PATH_STYLE_CONFIG, Type.BOOLEAN, false, Importance.LOW, MODEL_S3_PATH_STYLE_DOC)
      .define(MODEL_S3_REGION_CONFIG, Type.STRING, "", Importance.LOW, MODEL_S3_REGION_DOC)
      .define(MODEL_CACHE_DIR_CONFIG, Type.STRING, "/tmp/streamscore-models", new ConfigDef.NonEmptyString(), Importance.LOW, MODEL_CACHE_DIR_DOC)
      .define(SHADOW_MODEL_PATH_CONFIG, Type.STRING, "", Importance.LOW, SHADOW_MODEL_PATH_DOC)
      .define(SHADOW_MODEL_VERSION_CONFIG, Type.LONG, -1L, ConfigDef.Range.atLeast(-1), Importance.LOW, SHADOW_MODEL_VERSION_DOC)
      .define(SHADOW_TOPIC_CONFIG, Type.STRING, "", Importance.LOW, SHADOW_TOPIC_DOC)
      .define(SHADOW_QUEUE_CAPACITY_CONFIG, Type.INT, 10_000, ConfigDef.Range.between(1, 10_000_000), Importance.LOW, SHADOW_QUEUE_CAPACITY_DOC)
      .define(STARTUP_WARMUP_RECORDS_CONFIG, Type.INT, 5_000, ConfigDef.Range.between(0, 10_000_000), Importance.LOW, STARTUP_WARMUP_RECORDS_DOC)
      .define(STARTUP_WARMUP_TIMEOUT_MS_CONFIG, Type.LONG, 10_000L, ConfigDef.Range.between(1_000, 600_000), Importance.LOW, STARTUP_WARMUP_TIMEOUT_MS_DOC)
      .define(SHUTDOWN_TIMEOUT_MS_CONFIG, Type.LONG, 30_000L, ConfigDef.Range.between(1_000, 3_600_000), Importance.LOW, SHUTDOWN_TIMEOUT_MS_DOC)
      .define(HTTP_PORT_CONFIG, Type.INT, 8080, ConfigDef.Range.between(-1, 65535), Importance.MEDIUM, HTTP_PORT_DOC)
      .define(HTTP_HOST_CONFIG, Type.STRING, "0.0.0.0", new ConfigDef.NonEmptyString(), Importance.LOW, HTTP_HOST_DOC)
      .define(LIMITS_RECORD_BYTES_CONFIG, Type.INT, 1024 * 1024, ConfigDef.Range.atLeast(1), Importance.LOW, LIMITS_RECORD_BYTES_DOC)
      .define(LIMITS_STRING_LENGTH_CONFIG, Type.INT, 64 * 1024, ConfigDef.Range.atLeast(1), Importance.LOW, LIMITS_STRING_LENGTH_DOC)
      .define(LIMITS_BYTES_LENGTH_CONFIG, Type.INT, 1024 * 1024, ConfigDef.Range.atLeast(1), Importance.LOW, LIMITS_BYTES_LENGTH_DOC)
      .define(LIMITS_COLLECTION_ITEMS_CONFIG, Type.INT, 65_536, ConfigDef.Range.atLeast(1), Importance.LOW, LIMITS_COLLECTION_ITEMS_DOC)
      .define(MODEL_CALL_TIMEOUT_MS_CONFIG, Type.LONG, 10_000L, ConfigDef.Range.atLeast(0), Importance.MEDIUM, MODEL_CALL_TIMEOUT_MS_DOC)
      .define(MODEL_BATCH_MAX_ROWS_CONFIG, Type.INT, 64, ConfigDef.Range.between(1, 100_000), Importance.MEDIUM, MODEL_BATCH_MAX_ROWS_DOC)
      .define(MODEL_BATCH_FLUSH_INTERVAL_MS_CONFIG, Type.LONG, 10L, ConfigDef.Range.between(1, 60_000), Importance.LOW, MODEL_BATCH_FLUSH_INTERVAL_MS_DOC)
      .define(OUTPUT_TOPIC_CONFIG, Type.STRING, "predictions", new ConfigDef.NonEmptyString(), Importance.HIGH, OUTPUT_TOPIC_DOC)
      .define(DEAD_LETTER_TOPIC_CONFIG, Type.STRING, "predictions.dlq", new ConfigDef.NonEmptyString(), Importance.HIGH, DEAD_LETTER_TOPIC_DOC)
      .define(NUM_STREAM_THREADS_CONFIG, Type.INT, Runtime.getRuntime().availableProcessors(), ConfigDef.Range.between(1, 1024), Importance.MEDIUM, NUM_STREAM_THREADS_DOC)
      .define(PROCESSING_GUARANTEE_CONFIG, Type.STRING, StreamsConfig.EXACTLY_ONCE_V2,
          ConfigDef.ValidString.in(StreamsConfig.AT_LEAST_ONCE, StreamsConfig.EXACTLY_ONCE_V2), Importance.MEDIUM, PROCESSING_GUARANTEE_DOC)
      .define(GROUP_PROTOCOL_CONFIG, Type.STRING, GroupProtocol.AUTO.configValue(),
          ConfigDef.ValidString.in(GroupProtocol.configValues()), Importance.MEDIUM, GROUP_PROTOCOL_DOC)
      .define(TOPICS_CREATE_CONFIG, Type.BOOLEAN, true, Importance.LOW, TOPICS_CREATE_DOC)
      .define(TOPICS_PARTITIONS_CONFIG, Type.INT, 4, ConfigDef.Range.between(1, 10_000), Importance.LOW, TOPICS_PARTITIONS_DOC)
      .define(TOPICS_REPLICATION_FACTOR_CONFIG, Type.SHORT, (short) -1, Importance.LOW, TOPICS_REPLICATION_FACTOR_DOC)
      .define(EMBEDDED_BROKER_DIR_CONFIG, Type.STRING, "", Importance.LOW, EMBEDDED_BROKER_DIR_DOC)
      .define(OUTPUT_FORMAT_CONFIG, Type.STRING, "avro", ConfigDef.ValidString.in("avro", "confluent", "json"), Importance.HIGH, OUTPUT_FORMAT_DOC)
      .define(REGISTRY_URL_CONFIG, Type.STRING, "", Importance.HIGH, REGISTRY_URL_DOC)
      .define(REGISTRY_USER_INFO_CONFIG, Type.PASSWORD, null, Importance.MEDIUM, REGISTRY_USER_INFO_DOC)
      .define(REGISTRY_BEARER_TOKEN_CONFIG, Type.PASSWORD, null, Importance.MEDIUM, REGISTRY_BEARER_TOKEN_DOC)
      .define(REGISTRY_SSL_TRUSTSTORE_LOCATION_CONFIG, Type.STRING, "", Importance.LOW, REGISTRY_SSL_TRUSTSTORE_LOCATION_DOC)
      .define(REGISTRY_SSL_TRUSTSTORE_PASSWORD_CONFIG, Type.PASSWORD, null, Importance.LOW, REGISTRY_SSL_TRUSTSTORE_PASSWORD_DOC)
      .define(REGISTRY_SSL_TRUSTSTORE_TYPE_CONFIG, Type.STRING, "PKCS12", ConfigDef.ValidString.in("PKCS12", "JKS"), Importance.LOW, REGISTRY_SSL_TRUSTSTORE_TYPE_DOC)
      .define(REGISTRY_SSL_KEYSTORE_LOCATION_CONFIG, Type.STRING, "", Importance.LOW, REGISTRY_SSL_KEYSTORE_LOCATION_DOC)
      .define(REGISTRY_SSL_KEYSTORE_PASSWORD_CONFIG, Type.PASSWORD, null, Importance.LOW, REGISTRY_SSL_KEYSTORE_PASSWORD_DOC)
      .define(REGISTRY_SSL_KEYSTORE_TYPE_CONFIG, Type.STRING, "PKCS12", ConfigDef.ValidString.in("PKCS12", "JKS"), Importance.LOW, REGISTRY_SSL_KEYSTORE_TYPE_DOC)
      .define(REGISTRY_SSL_KEY_PASSWORD_CONFIG, Type.PASSWORD, null, Importance.LOW, REGISTRY_SSL_KEY_PASSWORD_DOC)
      .define(REGISTRY_CONNECT_TIMEOUT_MS_CONFIG, Type.INT, 5_000, ConfigDef.Range.between(1, 600_000), Importance.LOW, REGISTRY_CONNECT_TIMEOUT_MS_DOC)
      .define(REGISTRY_READ_TIMEOUT_MS_CONFIG, Type.INT, 10_000, ConfigDef.Range.between(1, 600_000), Importance.LOW, REGISTRY_READ_TIMEOUT_MS_DOC)
      .define(REGISTRY_MAX_RETRIES_CONFIG, Type.INT, 3, ConfigDef.Range.between(0, 20), Importance.LOW, REGISTRY_MAX_RETRIES_DOC)
      .define(REGISTRY_RETRIES_WAIT_MS_CONFIG, Type.INT, 1_000, ConfigDef.Range.between(0, 60_000), Importance.LOW, REGISTRY_RETRIES_WAIT_MS_DOC)
      .define(REGISTRY_CACHE_CAPACITY_CONFIG, Type.INT, 1_000, ConfigDef.Range.between(1, 1_000_000), Importance.LOW, REGISTRY_CACHE_CAPACITY_DOC);

  private final List<SourceDefinition> sources;
  private final Map<String, String> kafkaOverrides;
  private final Optional<SchemaRegistrySettings> registry;
  private final Optional<S3Location> modelStore;
  private final Optional<S3Location> shadowModelStore;
  private final ModelStoreSettings modelStoreSettings;

  /**
   * Parses and validates {@code values}.
   *
   * @throws ConfigException naming the key, the value found and what is expected
   */
  public StreamScoreConfig(Map<String, String> values) {
    super(CONFIG, values, false);
    rejectUnknownKeys(values);
    this.sources = parseSources(values);
    Map<String, String> overrides = new LinkedHashMap<>();
    values.forEach((k, v) -> {
      if (k.startsWith(KAFKA_PREFIX)) {
        overrides.put(k.substring(KAFKA_PREFIX.length()), v);
      }
    });
    this.kafkaOverrides = Map.copyOf(overrides);
    checkGroupProtocol();
    checkTopicsDoNotCollide();
    this.registry = parseRegistry();
    this.modelStore = parseModelLocation(MODEL_PATH_CONFIG);
    this.shadowModelStore = parseModelLocation(SHADOW_MODEL_PATH_CONFIG);
    this.modelStoreSettings = parseModelStoreSettings();
    if (outputFormat().equals("confluent") && registry.isEmpty()) {
      throw new ConfigException(OUTPUT_FORMAT_CONFIG, "confluent", "Confluent's wire format needs a schema registry to register"
          + " the Prediction schema in; set " + REGISTRY_URL_CONFIG + ", or choose output.format=avro or json");
    }
    if (getString(MODEL_VERSION_POLICY_CONFIG).equals("specific") && getLong(MODEL_VERSION_CONFIG) < 0) {
      throw new ConfigException(MODEL_VERSION_CONFIG, getLong(MODEL_VERSION_CONFIG), "model.version.policy=specific needs "
          + MODEL_VERSION_CONFIG + " set to the version directory number to serve");
    }
    if (getString(MODEL_VERSION_POLICY_CONFIG).equals("latest") && getLong(MODEL_VERSION_CONFIG) >= 0) {
      throw new ConfigException(MODEL_VERSION_CONFIG, getLong(MODEL_VERSION_CONFIG), "is only read with "
          + MODEL_VERSION_POLICY_CONFIG + "=specific, which is not set; set both or neither");
    }
  }

  private void checkGroupProtocol() {
    if (kafkaOverrides.containsKey(StreamsConfig.GROUP_PROTOCOL_CONFIG)) {
      throw new ConfigException(KAFKA_PREFIX + StreamsConfig.GROUP_PROTOCOL_CONFIG, kafkaOverrides.get(StreamsConfig.GROUP_PROTOCOL_CONFIG),
          "StreamScore chooses the group protocol itself; set " + GROUP_PROTOCOL_CONFIG + "=classic, streams or auto instead");
    }
    if (groupProtocol() == GroupProtocol.STREAMS) {
      topicPatternKey().ifPresent(key -> {
        throw new ConfigException(GROUP_PROTOCOL_CONFIG, GroupProtocol.STREAMS.configValue(), "the streams protocol does not support"
            + " topic patterns, and " + key + " is set; list the source's topics in source.<s>.topics, or set " + GROUP_PROTOCOL_CONFIG
            + "=classic (or auto, which chooses classic for a pattern)");
      });
    }
  }

  /** How the group protocol was asked for: {@code auto} leaves the choice to start-up (io.streamscore.app.GroupProtocolChoice). */
  public GroupProtocol groupProtocol() {
    return GroupProtocol.of(getString(GROUP_PROTOCOL_CONFIG));
  }

  /** The key of the first source that reads a topic pattern ({@code source.<s>.topic.pattern}), if any does. */
  public Optional<String> topicPatternKey() {
    return sources.stream().filter(s -> s.topicPattern().isPresent()).findFirst()
        .map(s -> SOURCE_PREFIX + s.name() + "." + SOURCE_TOPIC_PATTERN);
  }

  private Optional<SchemaRegistrySettings> parseRegistry() {
    List<String> urls = splitList(getString(REGISTRY_URL_CONFIG));
    if (urls.isEmpty()) {
      for (String key : CONFIG.names()) {
        if (key.startsWith(REGISTRY_PREFIX) && originals().containsKey(key) && !key.equals(REGISTRY_URL_CONFIG)) {
          throw new ConfigException(key, redact(key, String.valueOf(originals().get(key))), "is set but " + REGISTRY_URL_CONFIG
              + " is not; set the registry's URL or remove this key");
        }
      }
      return Optional.empty();
    }
    List<java.net.URI> parsed = new ArrayList<>();
    for (String url : urls) {
      java.net.URI uri;
      try {
        uri = new java.net.URI(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
      } catch (java.net.URISyntaxException e) {
        throw new ConfigException(REGISTRY_URL_CONFIG, getString(REGISTRY_URL_CONFIG), "'" + url + "' is not a URL: " + e.getReason());
      }
      if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https")) || uri.getHost() == null) {
        throw new ConfigException(REGISTRY_URL_CONFIG, getString(REGISTRY_URL_CONFIG), "'" + url
            + "' is not an http:// or https:// URL with a host, such as http://registry:8081 or http://apicurio:8080/apis/ccompat/v7");
      }
      if (uri.getUserInfo() != null) {
        throw new ConfigException(REGISTRY_URL_CONFIG, "[hidden]", "a registry URL must not carry credentials, which would be logged;"
            + " put them in " + REGISTRY_USER_INFO_CONFIG + " (environment or file)");
      }
      parsed.add(uri);
    }
    Optional<org.apache.kafka.common.config.types.Password> userInfo = Optional.ofNullable(getPassword(REGISTRY_USER_INFO_CONFIG));
    Optional<org.apache.kafka.common.config.types.Password> token = Optional.ofNullable(getPassword(REGISTRY_BEARER_TOKEN_CONFIG));
    if (userInfo.isPresent() && token.isPresent()) {
      throw new ConfigException(REGISTRY_BEARER_TOKEN_CONFIG, "[hidden]", "both " + REGISTRY_USER_INFO_CONFIG + " and "
          + REGISTRY_BEARER_TOKEN_CONFIG + " are set; the registry takes one kind of credentials: remove one");
    }
    if (userInfo.isPresent() && userInfo.get().value().indexOf(':') <= 0) {
      throw new ConfigException(REGISTRY_USER_INFO_CONFIG, "[hidden]", "expected user:password (Confluent Cloud: <API key>:<API secret>)");
    }
    Optional<Path> truststore = optionalPath(REGISTRY_SSL_TRUSTSTORE_LOCATION_CONFIG);
    Optional<Path> keystore = optionalPath(REGISTRY_SSL_KEYSTORE_LOCATION_CONFIG);
    Optional<SchemaRegistrySettings.Tls> tls = truststore.isEmpty() && keystore.isEmpty() ? Optional.empty()
        : Optional.of(new SchemaRegistrySettings.Tls(truststore, Optional.ofNullable(getPassword(REGISTRY_SSL_TRUSTSTORE_PASSWORD_CONFIG)),
            getString(REGISTRY_SSL_TRUSTSTORE_TYPE_CONFIG), keystore, Optional.ofNullable(getPassword(REGISTRY_SSL_KEYSTORE_PASSWORD_CONFIG)),
            getString(REGISTRY_SSL_KEYSTORE_TYPE_CONFIG), Optional.ofNullable(getPassword(REGISTRY_SSL_KEY_PASSWORD_CONFIG))));
    SchemaRegistrySettings settings = new SchemaRegistrySettings(parsed, userInfo, token, tls,
        java.time.Duration.ofMillis(getInt(REGISTRY_CONNECT_TIMEOUT_MS_CONFIG)), java.time.Duration.ofMillis(getInt(REGISTRY_READ_TIMEOUT_MS_CONFIG)),
        getInt(REGISTRY_MAX_RETRIES_CONFIG), java.time.Duration.ofMillis(getInt(REGISTRY_RETRIES_WAIT_MS_CONFIG)), getInt(REGISTRY_CACHE_CAPACITY_CONFIG));
    // A record waits for the registry inside process(); if that outlasts max.poll.interval.ms the
    // consumer is thrown out of the group mid-record.
    String pollKey = org.apache.kafka.clients.consumer.ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG;
    String pollValue = kafkaOverrides.getOrDefault(StreamsConfig.consumerPrefix(pollKey), kafkaOverrides.getOrDefault(pollKey, "300000"));
    long pollMs;
    try {
      pollMs = Long.parseLong(pollValue.trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(KAFKA_PREFIX + pollKey, pollValue, "not a number of milliseconds");
    }
    if (settings.worstCaseRequest().toMillis() >= pollMs) {
      throw new ConfigException(REGISTRY_MAX_RETRIES_CONFIG, settings.maxRetries(), "with " + REGISTRY_CONNECT_TIMEOUT_MS_CONFIG + "="
          + getInt(REGISTRY_CONNECT_TIMEOUT_MS_CONFIG) + ", " + REGISTRY_READ_TIMEOUT_MS_CONFIG + "=" + getInt(REGISTRY_READ_TIMEOUT_MS_CONFIG)
          + ", " + REGISTRY_RETRIES_WAIT_MS_CONFIG + "=" + getInt(REGISTRY_RETRIES_WAIT_MS_CONFIG) + " and " + parsed.size()
          + " URL(s), one registry request can take " + settings.worstCaseRequest().toMillis() + " ms, not less than the consumer's "
          + pollKey + "=" + pollMs + "; lower the retries or timeouts, or raise " + KAFKA_PREFIX + pollKey);
    }
    return Optional.of(settings);
  }

  /** The bucket location {@code key} names, or empty for a local path; a URL of another scheme is refused. */
  private Optional<S3Location> parseModelLocation(String key) {
    String value = getString(key).trim();
    if (S3Location.isS3(value)) {
      try {
        return Optional.of(S3Location.parse(value));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(key, value, e.getMessage() + "; expected s3://bucket/prefix, e.g. s3://models-prod/fraud");
      }
    }
    if (value.matches("[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
      throw new ConfigException(key, value, "only local paths and s3:// are read; for Google Cloud Storage use its S3-compatible API:"
          + " " + MODEL_S3_ENDPOINT_CONFIG + "=https://storage.googleapis.com with HMAC keys");
    }
    if (!value.isEmpty()) {
      path(key, value);
    }
    return Optional.empty();
  }

  private ModelStoreSettings parseModelStoreSettings() {
    if (modelStore.isEmpty() && shadowModelStore.isEmpty()) {
      for (String key : List.of(MODEL_S3_ENDPOINT_CONFIG, MODEL_S3_PATH_STYLE_CONFIG, MODEL_S3_REGION_CONFIG, MODEL_CACHE_DIR_CONFIG)) {
        if (originals().containsKey(key)) {
          throw new ConfigException(key, String.valueOf(originals().get(key)), "is only read when " + MODEL_PATH_CONFIG + " or "
              + SHADOW_MODEL_PATH_CONFIG + " is an s3:// URI; set one or remove this key");
        }
      }
    }
    Optional<java.net.URI> endpoint = Optional.empty();
    String endpointValue = getString(MODEL_S3_ENDPOINT_CONFIG).trim();
    if (!endpointValue.isEmpty()) {
      java.net.URI uri;
      try {
        uri = new java.net.URI(endpointValue.endsWith("/") ? endpointValue.substring(0, endpointValue.length() - 1) : endpointValue);
      } catch (java.net.URISyntaxException e) {
        throw new ConfigException(MODEL_S3_ENDPOINT_CONFIG, endpointValue, "is not a URL: " + e.getReason());
      }
      if (uri.getRawUserInfo() != null) {
        throw new ConfigException(MODEL_S3_ENDPOINT_CONFIG, "[hidden]", "must not carry credentials, which would be logged; they come from"
            + " the AWS SDK's default chain (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a web-identity token, a profile)");
      }
      if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https")) || uri.getHost() == null
          || uri.getRawQuery() != null || uri.getRawFragment() != null) {
        throw new ConfigException(MODEL_S3_ENDPOINT_CONFIG, endpointValue, "is not an http:// or https:// URL with a host and no query,"
            + " such as http://minio.minio.svc:9000");
      }
      endpoint = Optional.of(uri);
    }
    String region = getString(MODEL_S3_REGION_CONFIG).trim();
    Path cache = path(MODEL_CACHE_DIR_CONFIG, getString(MODEL_CACHE_DIR_CONFIG));
    if (!cache.isAbsolute()) {
      throw new ConfigException(MODEL_CACHE_DIR_CONFIG, getString(MODEL_CACHE_DIR_CONFIG), "must be an absolute directory; the root file"
          + " system is read-only in deploy/base, and /tmp is its writable emptyDir");
    }
    return new ModelStoreSettings(endpoint, getBoolean(MODEL_S3_PATH_STYLE_CONFIG), region.isEmpty() ? Optional.empty() : Optional.of(region), cache);
  }

  /**
   * {@code value} as a path, or a {@link ConfigException} naming {@code key}: a value the file
   * system cannot name (a NUL character, found by fuzzing) would otherwise stop start-up with
   * {@link java.nio.file.InvalidPathException}'s stack trace instead of a message.
   */
  static Path path(String key, String value) {
    try {
      return Path.of(value);
    } catch (java.nio.file.InvalidPathException e) {
      throw new ConfigException(key, printable(value), "is not a path this file system can name (" + e.getReason()
          + (e.getIndex() >= 0 ? " at character " + (e.getIndex() + 1) : "") + "); give the path of a file");
    }
  }

  /** {@code value} with control characters written as a backslash, u and four hex digits, for messages. */
  static String printable(String value) {
    StringBuilder text = new StringBuilder();
    value.codePoints().forEach(c -> {
      if (Character.isISOControl(c)) {
        text.append(String.format("\\u%04x", c));
      } else {
        text.appendCodePoint(c);
      }
    });
    return text.toString();
  }

  private Optional<Path> optionalPath(String key) {
    String value = getString(key);
    return value.isBlank() ? Optional.empty() : Optional.of(path(key, value.trim()));
  }

  /** How to reach the schema registry; empty when {@code schema.registry.url} is not set. */
  public Optional<SchemaRegistrySettings> schemaRegistry() {
    return registry;
  }

  /** avro, confluent or json. */
  public String outputFormat() {
    return getString(OUTPUT_FORMAT_CONFIG);
  }

  /** The version to serve, or empty for the latest (model.version.policy=latest). */
  public Optional<Long> modelVersion() {
    return getString(MODEL_VERSION_POLICY_CONFIG).equals("specific") ? Optional.of(getLong(MODEL_VERSION_CONFIG)) : Optional.empty();
  }

  public java.time.Duration modelCallTimeout() {
    return java.time.Duration.ofMillis(getLong(MODEL_CALL_TIMEOUT_MS_CONFIG));
  }

  /** Whether records are scored in batches (model.batch.max.rows above 1), rather than one model call each. */
  public boolean batching() {
    return batchMaxRows() > 1;
  }

  /** Longest a record waits in its stream thread's batch before the batch is scored anyway. */
  public java.time.Duration batchFlushInterval() {
    return java.time.Duration.ofMillis(getLong(MODEL_BATCH_FLUSH_INTERVAL_MS_CONFIG));
  }

  public int batchMaxRows() {
    return getInt(MODEL_BATCH_MAX_ROWS_CONFIG);
  }

  /** Batch sizes the stream threads can produce, hence the sizes to warm the model up with: 1 … max rows. */
  public List<Integer> reachableBatchSizes() {
    int largest = batchMaxRows();
    return java.util.stream.IntStream.rangeClosed(1, largest).boxed().toList();
  }

  public java.time.Duration modelPollInterval() {
    return java.time.Duration.ofMillis(getLong(MODEL_POLL_INTERVAL_MS_CONFIG));
  }

  public static ConfigDef configDef() {
    return new ConfigDef(CONFIG);
  }

  /**
   * Defaults that a reference must give in words, because the value in the ConfigDef is this
   * machine's (the processor count) or a blank that the code resolves from another key.
   */
  public static Map<String, String> defaultsInWords() {
    return Map.of(
        NUM_STREAM_THREADS_CONFIG, "available processors",
        MODEL_NAME_CONFIG, "the name of model.path's directory",
        SHADOW_TOPIC_CONFIG, "<output.topic>.shadow");
  }

  /** Key fragments whose values are secrets: never echoed in an error message. */
  private static final List<String> SECRET_KEY_PARTS = List.of("password", "secret", "jaas", "token", "credential", "private", "user.info");

  /** Whether a key's value is a secret, which must never be given on the command line or shown. */
  public static boolean isSecret(String key) {
    String lower = key.toLowerCase(Locale.ROOT);
    return SECRET_KEY_PARTS.stream().anyMatch(lower::contains);
  }

  /** The value as an error message may show it: secrets become {@code [hidden]}. */
  public static String redact(String key, String value) {
    String lower = key.toLowerCase(Locale.ROOT);
    return SECRET_KEY_PARTS.stream().anyMatch(lower::contains) ? "[hidden]" : value;
  }

  private void rejectUnknownKeys(Map<String, String> values) {
    Set<String> declaredSources = new TreeSet<>(getList(SOURCES_CONFIG));
    for (String key : values.keySet()) {
      if (CONFIG.names().contains(key) || key.startsWith(KAFKA_PREFIX)) {
        continue;
      }
      if (REMOVED_KEYS.containsKey(key)) {
        throw new ConfigException(key, redact(key, values.get(key)), "this key was removed: " + REMOVED_KEYS.get(key));
      }
      if (key.startsWith(SOURCE_PREFIX)) {
        String rest = key.substring(SOURCE_PREFIX.length());
        int dot = rest.indexOf('.');
        String source = dot < 0 ? rest : rest.substring(0, dot);
        String suffix = dot < 0 ? "" : rest.substring(dot + 1);
        if (!declaredSources.contains(source)) {
          throw new ConfigException(key, redact(key, values.get(key)), "source '" + source + "' is not listed in "
              + SOURCES_CONFIG + "=" + String.join(",", declaredSources) + "; add it there or remove this key");
        }
        if (suffix.equals(SOURCE_TOPICS) || suffix.equals(SOURCE_TOPIC_PATTERN) || suffix.equals(SOURCE_SCHEMA)
            || suffix.equals(SOURCE_WRITER_SCHEMAS) || suffix.equals(SOURCE_WARMUP_RECORDS) || suffix.equals(SOURCE_SCHEMA_SUBJECT)
            || (suffix.startsWith(SOURCE_INPUT) && suffix.length() > SOURCE_INPUT.length())
            || (suffix.startsWith(SOURCE_FEATURE) && suffix.length() > SOURCE_FEATURE.length())
            || (suffix.startsWith(SOURCE_DEFAULT) && suffix.length() > SOURCE_DEFAULT.length())
            || (suffix.startsWith(SOURCE_CONSTANT) && suffix.length() > SOURCE_CONSTANT.length())) {
          continue;
        }
        throw new ConfigException(key, redact(key, values.get(key)), "unknown source key '" + suffix + "'; a source takes "
            + "topics, topic.pattern, schema, schema.subject, writer.schemas, warmup.records, input.<model input>, feature.<tf.Example feature>, default.<name> and constant.<name>");
      }
      throw new ConfigException(key, redact(key, values.get(key)), "unknown configuration key; StreamScore's keys are "
          + new TreeSet<>(CONFIG.names()) + ", source.<name>.*, and kafka.* for Kafka Streams and client settings");
    }
  }

  private List<SourceDefinition> parseSources(Map<String, String> values) {
    List<SourceDefinition> parsed = new ArrayList<>();
    List<String> names = getList(SOURCES_CONFIG);
    if (names.isEmpty()) {
      throw new ConfigException(SOURCES_CONFIG, "", "at least one source is required");
    }
    for (String name : names) {
      if (!name.matches("[a-z0-9-]+")) {
        throw new ConfigException(SOURCES_CONFIG, String.join(",", names), "source name '" + name
            + "' may use only lower-case letters, digits and '-' (it becomes part of keys and environment variable names)");
      }
      String prefix = SOURCE_PREFIX + name + ".";
      List<String> topics = splitList(values.get(prefix + SOURCE_TOPICS));
      Optional<Pattern> pattern = Optional.ofNullable(values.get(prefix + SOURCE_TOPIC_PATTERN))
          .filter(s -> !s.isBlank())
          .map(regex -> compile(prefix + SOURCE_TOPIC_PATTERN, regex));
      if (topics.isEmpty() && pattern.isEmpty()) {
        throw new ConfigException(prefix + SOURCE_TOPICS, null, "source '" + name + "' needs "
            + prefix + SOURCE_TOPICS + " (a comma-separated list) or " + prefix + SOURCE_TOPIC_PATTERN + " (a regular expression)");
      }
      String schema = values.get(prefix + SOURCE_SCHEMA);
      Optional<String> subject = Optional.ofNullable(values.get(prefix + SOURCE_SCHEMA_SUBJECT)).map(String::trim).filter(v -> !v.isEmpty());
      boolean hasFile = schema != null && !schema.isBlank();
      if (hasFile && subject.isPresent()) {
        throw new ConfigException(prefix + SOURCE_SCHEMA_SUBJECT, subject.get(), "source '" + name + "' sets both "
            + prefix + SOURCE_SCHEMA + " and " + prefix + SOURCE_SCHEMA_SUBJECT + "; the reader schema comes from one of them: remove the other");
      }
      if (!hasFile && subject.isEmpty()) {
        throw new ConfigException(prefix + SOURCE_SCHEMA, schema, "source '" + name + "' needs the path of its Avro reader schema (.avsc), or "
            + prefix + SOURCE_SCHEMA_SUBJECT + "=<subject> to read it from the schema registry");
      }
      if (subject.isPresent() && getString(REGISTRY_URL_CONFIG).isBlank()) {
        throw new ConfigException(prefix + SOURCE_SCHEMA_SUBJECT, subject.get(), "a reader schema from the registry needs "
            + REGISTRY_URL_CONFIG + ", which is not set");
      }
      List<Path> writerSchemas = splitList(values.get(prefix + SOURCE_WRITER_SCHEMAS)).stream().map(p -> path(prefix + SOURCE_WRITER_SCHEMAS, p)).toList();
      Optional<Path> warmupRecords = Optional.ofNullable(values.get(prefix + SOURCE_WARMUP_RECORDS)).map(String::trim)
          .filter(s -> !s.isEmpty()).map(p -> path(prefix + SOURCE_WARMUP_RECORDS, p));
      warmupRecords.filter(p -> !Files.isReadable(p)).ifPresent(p -> {
        throw new ConfigException(prefix + SOURCE_WARMUP_RECORDS, p.toString(), "no readable file there (relative paths start at "
            + Path.of("").toAbsolutePath() + "); give a file of sample records, one JSON object a line, or remove the key");
      });
      parsed.add(new SourceDefinition(name, topics, pattern, hasFile ? path(prefix + SOURCE_SCHEMA, schema) : null, writerSchemas,
          parseBindings(name, prefix, values), warmupRecords, subject));
    }
    return List.copyOf(parsed);
  }

  private static List<InputBinding> parseBindings(String source, String prefix, Map<String, String> values) {
    List<InputBinding> bindings = new ArrayList<>();
    Set<String> inputs = new TreeSet<>();
    values.keySet().stream().sorted().forEach(key -> {
      boolean feature = key.startsWith(prefix + SOURCE_FEATURE);
      if (key.startsWith(prefix + SOURCE_INPUT) || key.startsWith(prefix + SOURCE_CONSTANT) || feature) {
        boolean constant = key.startsWith(prefix + SOURCE_CONSTANT);
        String input = key.substring(prefix.length() + (constant ? SOURCE_CONSTANT : feature ? SOURCE_FEATURE : SOURCE_INPUT).length());
        if (!inputs.add(input)) {
          throw new ConfigException(key, values.get(key), "'" + input + "' of source '" + source
              + "' is bound twice: use one of " + prefix + SOURCE_INPUT + input + ", " + prefix + SOURCE_FEATURE + input
              + " or " + prefix + SOURCE_CONSTANT + input);
        }
        String value = values.get(key);
        if (constant) {
          bindings.add(new InputBinding.Constant(input, value.trim()));
        } else {
          List<String> paths = splitList(value);
          if (paths.isEmpty()) {
            throw new ConfigException(key, value, "expected a field path such as 'amount' or 'merchant.category', or several separated by commas");
          }
          for (String path : paths) {
            if (!path.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*")) {
              throw new ConfigException(key, value, "'" + path + "' is not a field path: use Avro field names separated by dots");
            }
          }
          bindings.add(new InputBinding.Fields(input, paths, Optional.ofNullable(values.get(prefix + SOURCE_DEFAULT + input)).map(String::trim),
              feature));
        }
      }
    });
    values.keySet().stream().filter(k -> k.startsWith(prefix + SOURCE_DEFAULT)).forEach(key -> {
      String input = key.substring((prefix + SOURCE_DEFAULT).length());
      if (!values.containsKey(prefix + SOURCE_INPUT + input) && !values.containsKey(prefix + SOURCE_FEATURE + input)) {
        throw new ConfigException(key, values.get(key), "a default needs a field binding: neither " + prefix + SOURCE_INPUT + input
            + " nor " + prefix + SOURCE_FEATURE + input + " is set");
      }
    });
    return bindings;
  }

  private void checkTopicsDoNotCollide() {
    // First: Set.of below rejects equal elements with an IllegalArgumentException that names no key.
    if (getString(OUTPUT_TOPIC_CONFIG).equals(getString(DEAD_LETTER_TOPIC_CONFIG))) {
      throw new ConfigException(DEAD_LETTER_TOPIC_CONFIG, getString(DEAD_LETTER_TOPIC_CONFIG),
          "must differ from " + OUTPUT_TOPIC_CONFIG + ": dead letters are not predictions");
    }
    Set<String> special = Set.of(getString(OUTPUT_TOPIC_CONFIG), getString(DEAD_LETTER_TOPIC_CONFIG));
    for (SourceDefinition source : sources) {
      for (String topic : special) {
        if (source.owns(topic)) {
          throw new ConfigException(SOURCE_PREFIX + source.name() + "." + (source.topics().contains(topic) ? SOURCE_TOPICS : SOURCE_TOPIC_PATTERN),
              topic, "source '" + source.name() + "' would consume StreamScore's own output or dead-letter topic '" + topic
              + "'; change the source's topics or " + OUTPUT_TOPIC_CONFIG + "/" + DEAD_LETTER_TOPIC_CONFIG);
        }
      }
    }
  }

  private static Pattern compile(String key, String regex) {
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new ConfigException(key, regex, "not a valid regular expression: " + e.getDescription());
    }
  }

  private static List<String> splitList(String value) {
    if (value == null || value.isBlank()) {
      return List.of();
    }
    return java.util.Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  public List<SourceDefinition> sources() {
    return sources;
  }

  public String applicationId() {
    return getString(APPLICATION_ID_CONFIG);
  }

  /** Empty when StreamScore should start its embedded broker. */
  public Optional<String> bootstrapServers() {
    String servers = getString(BOOTSTRAP_SERVERS_CONFIG);
    if (servers.isBlank()) {
      servers = kafkaOverrides.getOrDefault(BOOTSTRAP_SERVERS_CONFIG, "");
    }
    return servers.isBlank() ? Optional.empty() : Optional.of(servers.trim());
  }

  /** Whether shadow scoring is on: shadow.model.path names a directory or a bucket. */
  public boolean shadowEnabled() {
    return !getString(SHADOW_MODEL_PATH_CONFIG).isBlank();
  }

  /** The candidate model's local base path, when shadow scoring is on and reads a directory. */
  public Optional<Path> shadowModelPath() {
    String path = getString(SHADOW_MODEL_PATH_CONFIG);
    return path.isBlank() || shadowModelStore.isPresent() ? Optional.empty() : Optional.of(path(SHADOW_MODEL_PATH_CONFIG, path.trim()));
  }

  /** The candidate model's base path in a bucket, when shadow.model.path is an s3:// URI. */
  public Optional<S3Location> shadowModelStore() {
    return shadowModelStore;
  }

  /** The candidate's version, or empty for its latest. */
  public Optional<Long> shadowModelVersion() {
    long version = getLong(SHADOW_MODEL_VERSION_CONFIG);
    return version < 0 ? Optional.empty() : Optional.of(version);
  }

  public String shadowTopic() {
    String topic = getString(SHADOW_TOPIC_CONFIG);
    return topic.isBlank() ? outputTopic() + ".shadow" : topic;
  }

  public int shadowQueueCapacity() {
    return getInt(SHADOW_QUEUE_CAPACITY_CONFIG);
  }

  /** The metrics and health port; empty when turned off. */
  public Optional<Integer> httpPort() {
    int port = getInt(HTTP_PORT_CONFIG);
    return port < 0 ? Optional.empty() : Optional.of(port);
  }

  public String httpHost() {
    return getString(HTTP_HOST_CONFIG);
  }

  public int maxRecordBytes() {
    return getInt(LIMITS_RECORD_BYTES_CONFIG);
  }

  public int maxStringLength() {
    return getInt(LIMITS_STRING_LENGTH_CONFIG);
  }

  public int maxBytesLength() {
    return getInt(LIMITS_BYTES_LENGTH_CONFIG);
  }

  public int maxCollectionItems() {
    return getInt(LIMITS_COLLECTION_ITEMS_CONFIG);
  }

  public String outputTopic() {
    return getString(OUTPUT_TOPIC_CONFIG);
  }

  public String deadLetterTopic() {
    return getString(DEAD_LETTER_TOPIC_CONFIG);
  }

  public int numStreamThreads() {
    return getInt(NUM_STREAM_THREADS_CONFIG);
  }

  public String processingGuarantee() {
    return getString(PROCESSING_GUARANTEE_CONFIG);
  }

  /**
   * The model's local base path.
   *
   * @throws IllegalStateException when model.path is in a bucket ({@link #modelStore()})
   */
  public Path modelPath() {
    if (modelStore.isPresent()) {
      throw new IllegalStateException(MODEL_PATH_CONFIG + " is " + modelStore.get() + ", not a local path");
    }
    return path(MODEL_PATH_CONFIG, getString(MODEL_PATH_CONFIG).trim());
  }

  /** The model's base path in a bucket, when model.path is an s3:// URI. */
  public Optional<S3Location> modelStore() {
    return modelStore;
  }

  /** How to reach the bucket of an s3:// model.path or shadow.model.path, and where to cache its versions. */
  public ModelStoreSettings modelStoreSettings() {
    return modelStoreSettings;
  }

  public String modelName() {
    return getString(MODEL_NAME_CONFIG);
  }

  public String modelSignature() {
    return getString(MODEL_SIGNATURE_CONFIG);
  }

  public List<String> modelTags() {
    return getList(MODEL_TAGS_CONFIG);
  }

  public boolean warmupEnabled() {
    return getBoolean(MODEL_WARMUP_ENABLED_CONFIG);
  }

  public int warmupIterations() {
    return getInt(MODEL_WARMUP_ITERATIONS_CONFIG);
  }

  public int intraOpThreads() {
    return getInt(MODEL_INTRA_OP_THREADS_CONFIG);
  }

  public int interOpThreads() {
    return getInt(MODEL_INTER_OP_THREADS_CONFIG);
  }

  public int startupWarmupRecords() {
    return getInt(STARTUP_WARMUP_RECORDS_CONFIG);
  }

  public java.time.Duration startupWarmupTimeout() {
    return java.time.Duration.ofMillis(getLong(STARTUP_WARMUP_TIMEOUT_MS_CONFIG));
  }

  public java.time.Duration shutdownTimeout() {
    return java.time.Duration.ofMillis(getLong(SHUTDOWN_TIMEOUT_MS_CONFIG));
  }

  public boolean createTopics() {
    return getBoolean(TOPICS_CREATE_CONFIG);
  }

  public int topicPartitions() {
    return getInt(TOPICS_PARTITIONS_CONFIG);
  }

  public short topicReplicationFactor() {
    return getShort(TOPICS_REPLICATION_FACTOR_CONFIG);
  }

  public Optional<Path> embeddedBrokerDir() {
    String dir = getString(EMBEDDED_BROKER_DIR_CONFIG);
    return dir.isBlank() ? Optional.empty() : Optional.of(path(EMBEDDED_BROKER_DIR_CONFIG, dir));
  }

  /** Settings given with the kafka. prefix, prefix removed. */
  public Map<String, String> kafkaOverrides() {
    return kafkaOverrides;
  }

  /** Client settings (no Streams settings) for admin clients, producers and consumers StreamScore makes itself. */
  public Properties clientProperties(String bootstrapServers) {
    Properties p = new Properties();
    p.putAll(kafkaOverrides);
    p.put(BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return p;
  }

  /**
   * The Kafka Streams configuration: StreamScore's settings, the dead-letter queue and its
   * exception handlers, then every kafka.* override on top.
   */
  public Properties streamsProperties(String bootstrapServers, GroupProtocol protocol) {
    if (protocol == GroupProtocol.AUTO) {
      throw new IllegalArgumentException("the group protocol must be chosen (classic or streams) before Kafka Streams is configured");
    }
    Properties p = new Properties();
    p.put(StreamsConfig.GROUP_PROTOCOL_CONFIG, protocol.configValue());
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId());
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, numStreamThreads());
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, processingGuarantee());
    p.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, deadLetterTopic());
    p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class.getName());
    p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, io.streamscore.topology.DeadLetterHandler.class.getName());
    // StreamScore has no global state; enabling the handler there too is Kafka 5.0's default and silences its warning.
    p.put("processing.exception.handler.global.enabled", "true");
    // Kafka Streams raises the producer's linger.ms to 100 for throughput; at that setting a
    // record waits up to 100 ms before it is even sent. 5 ms keeps batching (see docs/performance.md,
    // Tuned defaults) and keeps at_least_once p99 within tens of milliseconds.
    // Only when the user set neither form: Kafka Streams lets the prefixed one win.
    String linger = org.apache.kafka.clients.producer.ProducerConfig.LINGER_MS_CONFIG;
    if (!kafkaOverrides.containsKey(linger) && !kafkaOverrides.containsKey(StreamsConfig.producerPrefix(linger))) {
      p.put(StreamsConfig.producerPrefix(linger), "5");
    }
    // A scorer handles each record on its own: it never needs Kafka Streams to synchronise the
    // stream time of a task's partitions, or to wait for an empty one. -1 turns both off, and with
    // them the bookkeeping Kafka Streams does for every empty partition before every record it
    // processes (docs/performance.md, Tuned defaults). The user's setting wins.
    p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
    p.putAll(kafkaOverrides);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return p;
  }

  /** Environment variable name for a key: STREAMSCORE_ + upper case, '.' as '_', '_' as '__', '-' as '___' (ConfigLoader reads it back). */
  public static String environmentVariableFor(String key) {
    return "STREAMSCORE_" + key.replace("_", "__").replace('.', '_').replace("-", "___").toUpperCase(Locale.ROOT);
  }
}
