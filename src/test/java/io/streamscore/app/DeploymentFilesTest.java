package io.streamscore.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.streamscore.config.ConfigLoader;
import io.streamscore.config.S3Location;
import io.streamscore.config.StreamScoreConfig;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The deployment files cannot be run here (no Docker engine, no cluster), so they are checked
 * statically: every manifest parses into typed Kubernetes objects with no unknown field, the
 * overlays render with {@code kubectl kustomize} where it is installed, probes and ports match what
 * StreamScore serves, and every STREAMSCORE_* variable set anywhere is a key StreamScore knows.
 */
class DeploymentFilesTest {
  private static final Path DEPLOY = Path.of("deploy");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
  private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
      "Deployment", Deployment.class, "Service", Service.class, "ConfigMap", ConfigMap.class,
      "PodDisruptionBudget", PodDisruptionBudget.class, "HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
      "ScaledObject", GenericKubernetesResource.class, "ServiceAccount", ServiceAccount.class);

  /** Every YAML document of the manifests and patches, as typed objects. */
  private static List<HasMetadata> parse(String yaml) throws Exception {
    List<HasMetadata> objects = new ArrayList<>();
    YAMLParser parser = new YAMLFactory().createParser(new StringReader(yaml));
    for (JsonNode node : YAML.readValues(parser, JsonNode.class).readAll()) {
      if (node == null || node.isNull() || node.isMissingNode()) {
        continue;
      }
      String kind = node.path("kind").asText();
      Class<? extends HasMetadata> type = KINDS.get(kind);
      assertTrue(type != null, "unexpected kind " + kind);
      HasMetadata object = YAML.treeToValue(node, type);
      if (!(object instanceof GenericKubernetesResource)) {
        assertNoUnknownFields(object, kind);
      }
      objects.add(object);
    }
    return objects;
  }

  /**
   * Fabric8's model keeps fields it does not know in {@code additionalProperties} instead of
   * failing; a misspelled field (say {@code livenesProbe}) would land there, so every nested
   * object's must be empty.
   */
  private static void assertNoUnknownFields(Object object, String path) throws Exception {
    if (object == null) {
      return;
    }
    if (object instanceof Iterable<?> items) {
      int i = 0;
      for (Object item : items) {
        assertNoUnknownFields(item, path + "[" + i++ + "]");
      }
      return;
    }
    if (object instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        assertNoUnknownFields(e.getValue(), path + "." + e.getKey());
      }
      return;
    }
    if (!object.getClass().getName().startsWith("io.fabric8.")) {
      return;
    }
    for (java.lang.reflect.Method getter : object.getClass().getMethods()) {
      if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
        continue;
      }
      Object value = getter.invoke(object);
      if (getter.getName().equals("getAdditionalProperties")) {
        assertTrue(value == null || ((Map<?, ?>) value).isEmpty(), path + " has fields the Kubernetes schema lacks: " + value);
      } else {
        assertNoUnknownFields(value, path + "." + getter.getName().substring(3));
      }
    }
  }

  private static List<Path> manifests() throws Exception {
    try (Stream<Path> files = Files.walk(DEPLOY)) {
      return files.filter(p -> p.toString().endsWith(".yaml")).filter(p -> !p.getFileName().toString().equals("kustomization.yaml"))
          .filter(p -> !p.startsWith(DEPLOY.resolve("compose"))).sorted().toList();
    }
  }

  @Test
  void shouldParseEveryManifestIntoTypedKubernetesObjectsWithNoUnknownField() throws Exception {
    List<Path> files = manifests();
    assertTrue(files.size() >= 8, "manifests found: " + files);
    for (Path file : files) {
      List<HasMetadata> objects = parse(Files.readString(file));
      assertEquals(1, objects.size(), file.toString());
      assertTrue(objects.get(0).getMetadata().getName().startsWith("streamscore"), file + " names a StreamScore object");
    }
  }

  @Test
  void shouldListOnlyFilesThatExistInEveryKustomization() throws Exception {
    try (Stream<Path> files = Files.walk(DEPLOY)) {
      for (Path kustomization : files.filter(p -> p.getFileName().toString().equals("kustomization.yaml")).toList()) {
        JsonNode root = YAML.readTree(kustomization.toFile());
        for (String field : List.of("resources", "components")) {
          for (JsonNode entry : root.path(field)) {
            assertTrue(Files.exists(kustomization.getParent().resolve(entry.asText())), kustomization + " lists " + entry.asText());
          }
        }
        for (JsonNode patch : root.path("patches")) {
          assertTrue(Files.exists(kustomization.getParent().resolve(patch.path("path").asText())), kustomization + " patches " + patch);
        }
      }
    }
  }

  @Test
  void shouldRenderEveryOverlayWithKubectlKustomize() throws Exception {
    assumeTrue(kubectl(), "kubectl is not installed");
    for (String overlay : List.of("local", "production")) {
      List<HasMetadata> rendered = parse(render(overlay));
      Deployment deployment = only(rendered, Deployment.class);
      assertEquals("streamscore", deployment.getMetadata().getNamespace());
      checkProbesAndPorts(deployment, only(rendered, ConfigMap.class), only(rendered, Service.class));
      assertTrue(rendered.stream().anyMatch(o -> o instanceof PodDisruptionBudget), overlay + " has a PodDisruptionBudget");
    }
    List<HasMetadata> production = parse(render("production"));
    GenericKubernetesResource scaler = only(production, GenericKubernetesResource.class);
    assertEquals("keda.sh/v1alpha1", scaler.getApiVersion());
    assertEquals("streamscore", ((Map<?, ?>) scaler.getAdditionalProperties().get("spec")).get("scaleTargetRef") instanceof Map<?, ?> ref
        ? ref.get("name") : null);
    assertEquals(3, only(production, Deployment.class).getSpec().getReplicas());
  }

  /**
   * Production reads its model from a bucket with the identity of a service account of its own
   * (IRSA's annotation or Pod Identity's association name it): the ServiceAccount is rendered, the
   * pod runs under it, and the configuration the pod reads (the ConfigMap's file, overridden by the
   * environment) is one StreamScore accepts, with its model in a bucket and its cache on a writable
   * volume. Region and endpoint are left to the platform: the smoke test, which has no bucket, runs
   * the pod spec with a local model path, and a local path refuses the store's keys.
   */
  @Test
  void shouldReadTheProductionModelFromABucketUnderItsOwnServiceAccount() throws Exception {
    Path overlay = DEPLOY.resolve("overlays/production");
    ServiceAccount account = only(parse(Files.readString(overlay.resolve("serviceaccount.yaml"))), ServiceAccount.class);
    List<String> resources = new ArrayList<>();
    YAML.readTree(overlay.resolve("kustomization.yaml").toFile()).path("resources").forEach(r -> resources.add(r.asText()));
    assertTrue(resources.contains("serviceaccount.yaml"), "the production kustomization lists its ServiceAccount: " + resources);
    List<Deployment> deployments = new ArrayList<>();
    deployments.add(only(parse(Files.readString(overlay.resolve("deployment-patch.yaml"))), Deployment.class));
    boolean rendering = kubectl();
    List<HasMetadata> rendered = rendering ? parse(render("production")) : List.of();
    if (rendering) {
      ServiceAccount renderedAccount = only(rendered, ServiceAccount.class);
      assertEquals(account.getMetadata().getName(), renderedAccount.getMetadata().getName());
      assertEquals("streamscore", renderedAccount.getMetadata().getNamespace());
      deployments.add(only(rendered, Deployment.class));
    }
    for (Deployment deployment : deployments) {
      var pod = deployment.getSpec().getTemplate().getSpec();
      assertEquals(account.getMetadata().getName(), pod.getServiceAccountName(), "the pod runs under the overlay's ServiceAccount");
      Map<String, String> env = new TreeMap<>();
      pod.getContainers().get(0).getEnv().stream().filter(e -> e.getValue() != null).forEach(e -> env.put(e.getName(), e.getValue()));
      env.keySet().forEach(DeploymentFilesTest::assertKnownVariable);
      String modelPath = env.getOrDefault("STREAMSCORE_MODEL_PATH", "");
      assertTrue(S3Location.isS3(modelPath), "production's model.path is in a bucket: '" + modelPath + "'");
      for (String left : List.of("STREAMSCORE_MODEL_S3_REGION", "STREAMSCORE_MODEL_S3_ENDPOINT", "STREAMSCORE_MODEL_S3_PATH_STYLE")) {
        assertTrue(!env.containsKey(left), left + " is the platform's to set, not the overlay's");
      }
    }
    if (rendering) {
      Container container = only(rendered, Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
      Properties file = new Properties();
      file.load(new StringReader(only(rendered, ConfigMap.class).getData().get("streamscore.properties")));
      Map<String, String> values = new TreeMap<>();
      file.stringPropertyNames().forEach(k -> values.put(k, file.getProperty(k)));
      Map<String, String> env = new TreeMap<>();
      container.getEnv().stream().filter(e -> e.getValue() != null).forEach(e -> env.put(e.getName(), e.getValue()));
      values.putAll(ConfigLoader.fromEnvironment(env));
      StreamScoreConfig config = new StreamScoreConfig(values);
      assertEquals(S3Location.parse(env.get("STREAMSCORE_MODEL_PATH")), config.modelStore().orElseThrow(),
          "the environment overrides the ConfigMap's local model.path");
      Path cache = config.modelStoreSettings().cacheDirectory();
      assertTrue(container.getVolumeMounts().stream().anyMatch(m -> cache.startsWith(m.getMountPath()) && !Boolean.TRUE.equals(m.getReadOnly())),
          "model.cache.dir " + cache + " is on a writable volume: the root file system is read-only");
    }
  }

  @Test
  void shouldScaleOutBySeveralPodsAtOnceAndInByOneAfterAStabilizationWindow() throws Exception {
    JsonNode scaler = YAML.readTree(DEPLOY.resolve("components/keda-lag/scaledobject.yaml").toFile());
    io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior behavior = YAML.treeToValue(
        scaler.at("/spec/advanced/horizontalPodAutoscalerConfig/behavior"),
        io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior.class);

    var up = behavior.getScaleUp();
    assertEquals(0, up.getStabilizationWindowSeconds(), "scale-up acts at once");
    assertTrue(up.getPolicies().stream().anyMatch(p -> p.getType().equals("Pods") && p.getValue() >= 2)
        && !"Min".equals(up.getSelectPolicy()), "scale-up may add several pods in one step: " + up);
    var down = behavior.getScaleDown();
    assertTrue(down.getStabilizationWindowSeconds() >= 60, "scale-down waits for lower demand to last: " + down);
    assertTrue(!down.getPolicies().isEmpty() && down.getPolicies().stream().allMatch(p -> p.getType().equals("Pods") && p.getValue() == 1),
        "scale-down removes one pod at a time: " + down);
  }

  @Test
  void shouldDeriveTheLagThresholdFromTheCapacityTheDocsReport() throws Exception {
    String file = Files.readString(DEPLOY.resolve("components/keda-lag/scaledobject.yaml"));
    java.util.regex.Matcher formula = java.util.regex.Pattern.compile(
        "lagThreshold = (\\d+) records/s a core x (\\d+) cores a pod .* x (\\d+) s = (\\d+)").matcher(file);
    assertTrue(formula.find(), "the ScaledObject shows how its lagThreshold is derived");
    long perCore = Long.parseLong(formula.group(1));
    long product = perCore * Long.parseLong(formula.group(2)) * Long.parseLong(formula.group(3));
    assertEquals(Long.parseLong(formula.group(4)), product, "the formula's arithmetic");
    JsonNode scaler = YAML.readTree(file);
    assertEquals(Long.toString(product), scaler.at("/spec/triggers/0/metadata/lagThreshold").asText());
    String cpu = only(parse(Files.readString(DEPLOY.resolve("overlays/production/deployment-patch.yaml"))), Deployment.class).getSpec()
        .getTemplate().getSpec().getContainers().get(0).getResources().getRequests().get("cpu").getAmount();
    assertEquals(formula.group(2), cpu, "the cores a pod are the production overlay's CPU request");
    String capacity = Files.readString(Path.of("docs", "operating.md"));
    assertTrue(capacity.contains(String.format(java.util.Locale.ROOT, "%,d records/s a core", perCore)),
        "docs/operating.md's capacity section reports the per-core rate the threshold uses: " + perCore);
  }

  @Test
  void shouldPointProbesAtTheHealthEndpointsOnThePortStreamScoreServes() throws Exception {
    Deployment deployment = only(parse(Files.readString(DEPLOY.resolve("base/deployment.yaml"))), Deployment.class);
    ConfigMap config = only(parse(Files.readString(DEPLOY.resolve("base/configmap.yaml"))), ConfigMap.class);
    Service service = only(parse(Files.readString(DEPLOY.resolve("base/service.yaml"))), Service.class);
    checkProbesAndPorts(deployment, config, service);
    long grace = deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
    long shutdown = parseConfig(config).shutdownTimeout().toSeconds();
    assertTrue(grace > shutdown, "the grace period " + grace + " s covers shutdown.timeout.ms (" + shutdown + " s)");
  }

  private static void checkProbesAndPorts(Deployment deployment, ConfigMap config, Service service) throws Exception {
    Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    StreamScoreConfig parsed = parseConfig(config);
    int port = parsed.httpPort().orElseThrow();
    assertEquals(port, container.getPorts().get(0).getContainerPort());
    assertEquals("http", container.getPorts().get(0).getName());
    Map<String, Probe> probes = Map.of("/health/started", container.getStartupProbe(), "/health/ready", container.getReadinessProbe(),
        "/health/live", container.getLivenessProbe());
    probes.forEach((path, probe) -> {
      assertEquals(path, probe.getHttpGet().getPath());
      assertEquals("http", probe.getHttpGet().getPort().getStrVal());
    });
    assertEquals("http", service.getSpec().getPorts().get(0).getTargetPort().getStrVal());
    assertEquals(port, service.getSpec().getPorts().get(0).getPort());
    assertTrue(container.getArgs().contains("/etc/streamscore/streamscore.properties"));
    for (var env : container.getEnv()) {
      assertKnownVariable(env.getName());
    }
  }

  /** The ConfigMap's file is a configuration StreamScore accepts. */
  private static StreamScoreConfig parseConfig(ConfigMap config) throws Exception {
    Properties properties = new Properties();
    properties.load(new StringReader(config.getData().get("streamscore.properties")));
    Map<String, String> values = new TreeMap<>();
    properties.stringPropertyNames().forEach(k -> values.put(k, properties.getProperty(k)));
    return new StreamScoreConfig(values);
  }

  @Test
  void shouldSetOnlyEnvironmentVariablesStreamScoreKnowsInTheComposeFile() throws Exception {
    JsonNode compose = YAML.readTree(Path.of("docker-compose.yml").toFile());
    JsonNode services = compose.path("services");
    List<String> names = new ArrayList<>();
    services.fieldNames().forEachRemaining(names::add);
    assertEquals(List.of("kafka", "kafka-init", "schema-registry", "streamscore", "publisher", "prometheus", "grafana"), names);
    assertTrue(services.path("schema-registry").path("image").asText().startsWith("apicurio/apicurio-registry:3.3.3"),
        "the registry version the integration tests run");
    String registryUrl = services.path("streamscore").path("environment").path("STREAMSCORE_SCHEMA_REGISTRY_URL").asText();
    assertTrue(registryUrl.startsWith("http://schema-registry:8080/apis/ccompat/v7"), registryUrl);
    assertEquals(registryUrl, services.path("publisher").path("environment").path("STREAMSCORE_SCHEMA_REGISTRY_URL").asText());
    List<String> publisher = new ArrayList<>();
    services.path("publisher").path("command").forEach(arg -> publisher.add(arg.asText()));
    assertEquals("publish", publisher.get(0), "the publisher runs the image's own entrypoint, so java is PID 1 and handles SIGTERM");
    assertEquals("confluent", publisher.get(publisher.indexOf("--format") + 1), "the publisher writes Confluent's format");
    assertTrue(publisher.contains("--continuous"), "one JVM publishes until stopped");
    assertEquals("streamscore:local", services.path("publisher").path("image").asText());
    assertEquals(".", services.path("publisher").path("build").asText(), "the publisher's image is built, never pulled");
    assertTrue(services.path("kafka").path("image").asText().startsWith("apache/kafka:"));
    assertEquals(".", services.path("streamscore").path("build").asText());
    assertEquals(2, services.path("streamscore").path("deploy").path("replicas").asInt(), "two replicas share the partitions");
    assertTrue(services.path("prometheus").path("image").asText().startsWith("prom/prometheus:"));
    assertTrue(services.path("grafana").path("image").asText().startsWith("grafana/grafana:"));
    assertEquals(List.of("9092:9092"), List.of(services.path("kafka").path("ports").get(0).asText()));
    assertEquals("9090:9090", services.path("prometheus").path("ports").get(0).asText());
    assertEquals("3000:3000", services.path("grafana").path("ports").get(0).asText());
    for (String service : List.of("streamscore", "publisher")) {
      services.path(service).path("environment").fieldNames().forEachRemaining(DeploymentFilesTest::assertKnownVariable);
    }
    Map<String, String> env = new TreeMap<>();
    services.path("streamscore").path("environment").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
    StreamScoreConfig config = ConfigLoader.load(java.util.Optional.empty(), env, Map.of());
    JsonNode prometheus = YAML.readTree(DEPLOY.resolve("compose/prometheus.yml").toFile());
    assertEquals(config.httpPort().orElseThrow().intValue(),
        prometheus.path("scrape_configs").get(0).path("dns_sd_configs").get(0).path("port").asInt(), "Prometheus scrapes the port StreamScore serves");
    assertEquals("streamscore", prometheus.path("scrape_configs").get(0).path("dns_sd_configs").get(0).path("names").get(0).asText());
  }

  @Test
  void shouldBuildANonRootImageWithOnlyTheLinuxX8664NativesUnpackedOnce() throws Exception {
    String dockerfile = Files.readString(Path.of("Dockerfile"));
    List<String> from = dockerfile.lines().filter(l -> l.startsWith("FROM ")).toList();
    assertEquals(List.of("FROM maven:3.9-eclipse-temurin-17 AS build", "FROM debian:bookworm-slim"), from,
        "a Maven build stage, and a runtime with no build tools");
    assertTrue(dockerfile.contains("-Dtensorflow.platform=linux-x86_64"), "one platform's natives");
    assertTrue(dockerfile.contains("mvn -B -q -o package"), "the real build runs offline, on the dependency layer alone");
    assertTrue(!dockerfile.contains("|| true"), "no failure is hidden");
    assertTrue(dockerfile.contains("-Dschema.registry.skip=true"), "the image build does not fetch the schema registry");
    assertTrue(dockerfile.contains("strip --strip-unneeded libtensorflow_cc.so.2"), "natives without their symbol tables");
    assertTrue(dockerfile.contains("rm /src/target/lib/tensorflow-core-native-*-linux-x86_64.jar"), "the natives' jar is not shipped beside them");
    assertTrue(dockerfile.contains("LD_LIBRARY_PATH=/opt/tensorflow/lib"), "the natives are found where they were unpacked");
    assertTrue(dockerfile.contains("jlink"), "a runtime of the modules used");
    assertTrue(!dockerfile.contains("JAVA_TOOL_OPTIONS"), "no 'Picked up JAVA_TOOL_OPTIONS' on every JVM start");
    assertTrue(dockerfile.lines().anyMatch(l -> l.matches("USER \\d+") && !l.equals("USER 0")), "a non-root user");
  }

  /**
   * Kubernetes' restricted Pod Security Standard, as its admission controller checks it (baseline
   * plus restricted), on the base and on every overlay as rendered.
   */
  @Test
  void shouldMeetTheRestrictedPodSecurityStandard() throws Exception {
    List<Deployment> deployments = new ArrayList<>();
    deployments.add(only(parse(Files.readString(DEPLOY.resolve("base/deployment.yaml"))), Deployment.class));
    if (kubectl()) {
      for (String overlay : List.of("local", "production")) {
        deployments.add(only(parse(render(overlay)), Deployment.class));
      }
    }
    for (Deployment deployment : deployments) {
      var pod = deployment.getSpec().getTemplate().getSpec();
      String where = deployment.getMetadata().getName() + (deployment.getMetadata().getNamespace() == null ? " (base)" : " (rendered)");
      assertTrue(pod.getHostNetwork() == null || !pod.getHostNetwork(), where + ": hostNetwork");
      assertTrue(pod.getHostPID() == null || !pod.getHostPID(), where + ": hostPID");
      assertTrue(pod.getHostIPC() == null || !pod.getHostIPC(), where + ": hostIPC");
      Set<String> allowedVolumes = Set.of("ConfigMap", "EmptyDir", "Secret", "PersistentVolumeClaim", "Projected", "DownwardAPI", "Csi", "Ephemeral");
      for (var volume : pod.getVolumes()) {
        List<String> kinds = new ArrayList<>();
        for (String kind : List.of("ConfigMap", "EmptyDir", "Secret", "PersistentVolumeClaim", "Projected", "DownwardAPI", "Csi", "Ephemeral",
            "HostPath", "Nfs", "Iscsi", "GcePersistentDisk", "AwsElasticBlockStore")) {
          if (volume.getClass().getMethod("get" + kind).invoke(volume) != null) {
            kinds.add(kind);
          }
        }
        assertTrue(allowedVolumes.containsAll(kinds) && kinds.size() == 1, where + ": volume " + volume.getName() + " is of a restricted type " + kinds);
      }
      var podSecurity = pod.getSecurityContext();
      assertTrue(podSecurity.getSysctls() == null || podSecurity.getSysctls().isEmpty(), where + ": sysctls");
      List<Container> containers = new ArrayList<>(pod.getContainers());
      if (pod.getInitContainers() != null) {
        containers.addAll(pod.getInitContainers());
      }
      for (Container c : containers) {
        var sc = c.getSecurityContext();
        String name = where + " container " + c.getName();
        assertTrue(sc != null, name + " has a securityContext");
        assertTrue(sc.getPrivileged() == null || !sc.getPrivileged(), name + ": privileged");
        assertEquals(Boolean.FALSE, sc.getAllowPrivilegeEscalation(), name + ": allowPrivilegeEscalation must be false");
        assertEquals(List.of("ALL"), sc.getCapabilities().getDrop(), name + ": capabilities must drop ALL");
        assertTrue(sc.getCapabilities().getAdd() == null || Set.of("NET_BIND_SERVICE").containsAll(sc.getCapabilities().getAdd()),
            name + ": only NET_BIND_SERVICE may be added");
        Boolean nonRoot = sc.getRunAsNonRoot() != null ? sc.getRunAsNonRoot() : podSecurity.getRunAsNonRoot();
        assertEquals(Boolean.TRUE, nonRoot, name + ": runAsNonRoot");
        Long user = sc.getRunAsUser() != null ? sc.getRunAsUser() : podSecurity.getRunAsUser();
        assertTrue(user == null || user != 0, name + ": runAsUser 0");
        var seccomp = sc.getSeccompProfile() != null ? sc.getSeccompProfile() : podSecurity.getSeccompProfile();
        assertTrue(seccomp != null && Set.of("RuntimeDefault", "Localhost").contains(seccomp.getType()), name + ": seccompProfile RuntimeDefault");
        assertTrue(c.getPorts() == null || c.getPorts().stream().allMatch(p -> p.getHostPort() == null || p.getHostPort() == 0), name + ": hostPort");
        assertEquals(Boolean.TRUE, sc.getReadOnlyRootFilesystem(), name + ": a read-only root file system");
        assertTrue(c.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/tmp") && !Boolean.TRUE.equals(m.getReadOnly())),
            name + ": /tmp, where Kafka Streams keeps its state directory, is a writable volume");
      }
    }
  }

  /**
   * The compose healthchecks run under bash by name, not under whatever /bin/sh an image has (dash
   * in Ubuntu's and Debian's images, where /dev/tcp does not exist); and StreamScore's probe passes
   * on a 200 from /health/ready only, not on a 503 whose body happens to contain "200".
   */
  @Test
  void shouldProbeStreamScoreWithBashAndPassOnlyWhenReadyAnswers200() throws Exception {
    JsonNode services = YAML.readTree(Path.of("docker-compose.yml").toFile()).path("services");
    for (String service : List.of("streamscore", "schema-registry")) {
      JsonNode test = services.path(service).path("healthcheck").path("test");
      assertEquals(List.of("CMD", "bash", "-c"), List.of(test.get(0).asText(), test.get(1).asText(), test.get(2).asText()), service);
    }
    assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "bash is not installed");
    // Compose turns $$ into $; the probe's port is this test's server's.
    String probe = services.path("streamscore").path("healthcheck").path("test").get(3).asText().replace("$$", "$");
    int[] status = {503};
    com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/health/ready", exchange -> {
      byte[] body = ("{\"status\":\"DOWN\",\"seen\":\"200 ms ago\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status[0], body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    try {
      String local = probe.replace("127.0.0.1/8080", "127.0.0.1/" + server.getAddress().getPort());
      assertTrue(!local.equals(probe), "the probe names 127.0.0.1/8080");
      assertEquals(1, new ProcessBuilder("bash", "-c", local).start().waitFor(), "not ready: 503");
      status[0] = 200;
      assertEquals(0, new ProcessBuilder("bash", "-c", local).start().waitFor(), "ready: 200");
    } finally {
      server.stop(0);
    }
  }

  private static void assertKnownVariable(String name) {
    if (!name.startsWith(ConfigLoader.ENV_PREFIX) || ConfigLoader.LOGGING_VARIABLES.contains(name)) {
      return;
    }
    String key = ConfigLoader.keyFor(name);
    Set<String> keys = StreamScoreConfig.configDef().names();
    assertTrue(keys.contains(key) || key.startsWith(StreamScoreConfig.KAFKA_PREFIX) || key.startsWith(StreamScoreConfig.SOURCE_PREFIX),
        name + " sets '" + key + "', which StreamScore does not know");
  }

  private static <T> T only(List<HasMetadata> objects, Class<T> type) {
    List<T> matching = objects.stream().filter(type::isInstance).map(type::cast).toList();
    assertEquals(1, matching.size(), "one " + type.getSimpleName());
    return matching.get(0);
  }

  private static boolean kubectl() {
    try {
      return new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start().waitFor() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  private static String render(String overlay) throws Exception {
    Process process = new ProcessBuilder("kubectl", "kustomize", DEPLOY.resolve("overlays").resolve(overlay).toString())
        .redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes());
    assertEquals(0, process.waitFor(), out);
    return out;
  }
}
