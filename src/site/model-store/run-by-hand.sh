#!/usr/bin/env bash
# The run by hand of docs/models.md, "Models in object storage": StreamScore's demo scoring from
# s3://models/fraud on a real S3 server (S3Proxy, which `mvn package` copies into target/s3proxy/),
# uploaded with the AWS CLI as a training pipeline would. While the demo's paced phase runs:
# version 2 is uploaded object by object over 30 s, marker last, and must be swapped in once, after
# the marker; then the store is stopped for 20 s, and the demo must still get every record back once.
# Needs: `mvn -B -q package -DskipTests`, the AWS CLI (`aws`), curl. Run from the project root:
#   src/site/model-store/run-by-hand.sh [work directory]
set -euo pipefail
WORK=${1:-$(mktemp -d)}
PORT=${S3_PORT:-9000}
OPS_PORT=${OPS_PORT:-18080}
mkdir -p "$WORK/data"
cat > "$WORK/s3proxy.properties" <<PROPERTIES
s3proxy.endpoint=http://127.0.0.1:$PORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=hand-run
s3proxy.credential=hand-run-secret
jclouds.provider=filesystem
jclouds.filesystem.basedir=$WORK/data
PROPERTIES
say() { echo "$(date -u +%H:%M:%S) $*"; }
start_store() {
  java -Xmx256m -jar target/s3proxy/s3proxy.jar --properties "$WORK/s3proxy.properties" >> "$WORK/s3proxy.log" 2>&1 &
  echo $! > "$WORK/s3proxy.pid"
  until curl -s -o /dev/null "http://127.0.0.1:$PORT/"; do sleep 0.2; done
}
stop_store() { kill "$(cat "$WORK/s3proxy.pid")"; wait "$(cat "$WORK/s3proxy.pid")" 2>/dev/null || true; }
health() { curl -s "http://127.0.0.1:$OPS_PORT/health/ready"; echo; }
metric() { curl -s "http://127.0.0.1:$OPS_PORT/metrics" | grep -E "^$1" || true; }
trap 'stop_store 2>/dev/null || true; [ -n "${DEMO:-}" ] && kill "$DEMO" 2>/dev/null || true' EXIT

# The pipeline's credentials; StreamScore reads the same ones through the AWS SDK's default chain.
export AWS_ACCESS_KEY_ID=hand-run AWS_SECRET_ACCESS_KEY=hand-run-secret AWS_DEFAULT_REGION=us-east-1
# S3Proxy refuses the CRC trailers newer AWS CLIs send by default (docs/models.md).
export AWS_REQUEST_CHECKSUM_CALCULATION=when_required AWS_RESPONSE_CHECKSUM_VALIDATION=when_required
S3="aws --endpoint-url http://127.0.0.1:$PORT"

start_store
say "store up on 127.0.0.1:$PORT"
$S3 s3 mb s3://models
$S3 s3 cp --recursive --only-show-errors models/fraud/1 s3://models/fraud/1/
$S3 s3api put-object --bucket models --key fraud/1/_COMPLETE > /dev/null
say "version 1 uploaded, marker last"

java -jar target/streamscore.jar demo --records-per-source 20000 --paced-rate 500 --paced-seconds 100 --threads 2 \
  -s model.path=s3://models/fraud -s model.s3.endpoint="http://127.0.0.1:$PORT" -s model.s3.path.style=true \
  -s model.poll.interval.ms=1000 -s http.port="$OPS_PORT" > "$WORK/demo.out" 2> "$WORK/demo.log" &
DEMO=$!
until grep -q "Backlog scored" "$WORK/demo.out"; do
  kill -0 "$DEMO" 2>/dev/null || { cat "$WORK/demo.out" "$WORK/demo.log"; exit 1; }
  sleep 0.5
done
say "paced phase started; $(health)"

say "version 2: uploading object by object, 10 s apart, marker last"
for file in variables/variables.index variables/variables.data-00000-of-00001 saved_model.pb; do
  $S3 s3 cp --only-show-errors "models/fraud/1/$file" "s3://models/fraud/2/$file"
  say "  uploaded 2/$file; serving: $(metric 'streamscore_model_version ')"
  sleep 10
done
$S3 s3api put-object --bucket models --key fraud/2/_COMPLETE > /dev/null
say "  uploaded 2/_COMPLETE"
until metric 'streamscore_model_version ' | grep -q ' 2.0'; do sleep 0.2; done
say "version 2 served: $(metric 'streamscore_model_swaps_total')"

say "store stopped for 20 s"
stop_store
for i in 1 2 3 4; do sleep 5; say "  ready: $(health)"; done
start_store
say "store back"
until metric 'streamscore_model_store_reachable' | grep -q ' 1.0'; do sleep 0.5; done
say "store reachable again: $(metric 'streamscore_model_store_poll_errors_total')"

status=0; wait "$DEMO" || status=$?
DEMO=
say "demo exited $status"
cat "$WORK/demo.out"
grep -E "Model store|Model version|now serving|refused|model-version-poller.*WARN" "$WORK/demo.log" || true
exit $status
