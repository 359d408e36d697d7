# StreamScore image: built with Maven, run on a Java 17 JRE, linux-x86_64 TensorFlow natives only.
#   docker build -t streamscore:local .
# Not built on the development machine, which has no Docker engine; see README (Operating).

# --- build stage -----------------------------------------------------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# Dependencies first, so source edits do not download them again.
COPY pom.xml .
RUN mvn -B -q dependency:go-offline -Dtensorflow.platform=linux-x86_64 || true
COPY schemas schemas
COPY models models
COPY src src
RUN mvn -B -q package -DskipTests -Dtensorflow.platform=linux-x86_64
# TensorFlow Java unpacks its ~630 MB native library on first use. Do it now, into a fixed
# directory, so containers start without a writable home and without that delay. A tiny training
# run loads the natives (TF_ENABLE_ONEDNN_OPTS=0 keeps it in this JVM).
ENV JAVA_TOOL_OPTIONS="-Dorg.bytedeco.javacpp.cachedir=/opt/javacpp"
RUN TF_ENABLE_ONEDNN_OPTS=0 java -jar target/streamscore.jar train-model --output /tmp/unpack/1 \
      --train-rows 1000 --test-rows 1000 --epochs 1 \
 && rm -rf /tmp/unpack

# --- runtime stage ---------------------------------------------------------------------------
FROM eclipse-temurin:17-jre
RUN useradd --uid 10001 --user-group --no-create-home --home-dir /app streamscore
WORKDIR /app
COPY --from=build --chown=10001:10001 /opt/javacpp /opt/javacpp
COPY --from=build /src/target/lib /app/lib
COPY --from=build /src/target/streamscore.jar /app/streamscore.jar
# The demo model and schemas are baked in; mount a volume over /app/models to serve others.
COPY models /app/models
COPY schemas /app/schemas
ENV JAVA_TOOL_OPTIONS="-Dorg.bytedeco.javacpp.cachedir=/opt/javacpp" \
    TF_CPP_MIN_LOG_LEVEL=1
USER 10001
EXPOSE 8080
# Heap is a fraction of the container: TensorFlow's native memory lives outside it.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=40", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/streamscore.jar"]
CMD ["run"]
