# StreamScore image: built with Maven, run on a Java 17 runtime made for it (jlink) on Debian slim,
# with TensorFlow's linux-x86_64 natives unpacked once, at build time.
#   docker build -t streamscore:local .
# What each layer holds, and the sizes before and after this layout: docs/operating.md, "The image".

# --- build stage -----------------------------------------------------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# Dependencies first: building the pom alone resolves every plugin and dependency the real build
# uses into this layer, so a source edit downloads nothing. The real build below runs offline
# (-o): an artifact this layer lacks fails the image build instead of being fetched each time.
# The schemas come along (the Avro plugin needs them, and they change seldom). The schema
# registry's tar.gz (tests and demo only) is not fetched.
COPY pom.xml .
COPY schemas schemas
RUN mvn -B -q package -Dmaven.test.skip=true -Dschema.registry.skip=true -Dtensorflow.platform=linux-x86_64 \
 && rm -rf target
COPY models models
COPY src src
RUN mvn -B -q -o package -Dmaven.test.skip=true -Dschema.registry.skip=true -Dtensorflow.platform=linux-x86_64
# TensorFlow's natives come out of their jar here, once: JavaCPP would otherwise unpack the jar's
# 680 MB into a cache on first use in every container. Their symbol tables (175 MB, used only by
# debuggers) are stripped, and the jar is dropped: the libraries are found on LD_LIBRARY_PATH.
RUN command -v strip >/dev/null || { apt-get update -q && apt-get install -y -q --no-install-recommends binutils; } \
 && mkdir -p /out/tensorflow && cd /out/tensorflow \
 && jar xf /src/target/lib/tensorflow-core-native-*-linux-x86_64.jar org/tensorflow/internal/c_api/linux-x86_64 \
 && mv org/tensorflow/internal/c_api/linux-x86_64/* . && rm -rf org \
 && strip --strip-unneeded libtensorflow_cc.so.2 libtensorflow_framework.so.2 \
 && rm /src/target/lib/tensorflow-core-native-*-linux-x86_64.jar
# A Java runtime of only the modules the jars use (jdeps), plus those loaded by name at run time:
# TLS's elliptic curves, JFR for diagnostics, zip file systems.
RUN modules=$(jdeps --ignore-missing-deps --print-module-deps --multi-release 17 \
      --class-path "$(ls target/lib/*.jar | tr '\n' ':')" target/streamscore.jar) \
 && jlink --add-modules "$modules,jdk.crypto.ec,jdk.jfr,jdk.zipfs" --strip-debug --no-man-pages --no-header-files --compress=2 --generate-cds-archive \
      --output /out/jre

# --- runtime stage ---------------------------------------------------------------------------
FROM debian:bookworm-slim
RUN useradd --uid 10001 --user-group --no-create-home --home-dir /app streamscore
ENV JAVA_HOME=/opt/java/jre \
    PATH=/opt/java/jre/bin:$PATH \
    LD_LIBRARY_PATH=/opt/tensorflow/lib \
    TF_CPP_MIN_LOG_LEVEL=1
COPY --from=build /out/jre /opt/java/jre
COPY --from=build /out/tensorflow /opt/tensorflow/lib
COPY --from=build /src/target/lib /app/lib
# The demo model and schemas are baked in; mount a volume over /app/models to serve others.
COPY models /app/models
COPY schemas /app/schemas
COPY --from=build /src/target/streamscore.jar /app/streamscore.jar
WORKDIR /app
# A class-data sharing archive (JDK 17's dynamic AppCDS) of the classes a start-up loads, trained
# here on a real one: the embedded broker, the model's load and warm-up, the warm-up on scratch
# topics, joining, then SIGTERM (exit 0 writes the archive). A pod maps it instead of loading and
# verifying those classes again: start to RUNNING 2.5-4 s sooner at half a CPU (docs/performance.md,
# Start-up). The same runtime, jar and class path as the ENTRYPOINT's; a JVM that finds the archive
# does not match warns and starts without it, and a training run that fails fails the build.
RUN java -XX:ArchiveClassesAtExit=/app/streamscore.jsa -jar /app/streamscore.jar run --set http.port=-1 > /tmp/train.log 2>&1 & pid=$!; \
    for i in $(seq 1 600); do grep -q "REBALANCING -> RUNNING" /tmp/train.log && break; kill -0 $pid 2>/dev/null || break; sleep 0.5; done; \
    kill -TERM $pid; wait $pid; code=$?; \
    if [ $code -ne 0 ] || [ ! -s /app/streamscore.jsa ]; then cat /tmp/train.log; echo "class archive training failed (exit $code)"; exit 1; fi; \
    chmod 444 /app/streamscore.jsa && rm -rf /tmp/* /tmp/.[!.]* 
USER 10001
EXPOSE 8080
# Heap is a fraction of the container: TensorFlow's native memory lives outside it.
ENTRYPOINT ["java", "-XX:SharedArchiveFile=/app/streamscore.jsa", "-XX:MaxRAMPercentage=40", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/streamscore.jar"]
CMD ["run"]
