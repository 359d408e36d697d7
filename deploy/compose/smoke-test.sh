#!/usr/bin/env bash
# Smoke test of the local stack, from the project root or anywhere in it:
#   deploy/compose/smoke-test.sh
# Needs Docker with Compose v2, curl and python3 (standard library only). The second scenario,
# the production overlay's pod spec run as a container, also needs kubectl (for kustomize) and
# python3's yaml module; without them it is reported as not run.
#
# Scenario 1, docker compose: `up --build --wait`, then checks that
#   - every service is healthy, or completed with exit 0;
#   - predictions come from every source (read with `streamscore consume`);
#   - both StreamScore replicas own input partitions (the streams group's own description);
#   - scaled 2→3→2 while the publisher runs, the group spreads over three replicas, then two, and it
#     reports the longest time an input partition went without a record scored meanwhile;
#   - lag drains to 0 once the publisher stops;
#   - every record the publisher sent has exactly one prediction, and nothing is dead-lettered;
#   - both Prometheus targets are up, and every query of the Grafana dashboard returns a series;
#   - the publisher stops on SIGTERM with exit 0;
#   - `docker compose stop` and `down` take at most 15 s, and every StreamScore container exits 0.
# Scenario 2, Kubernetes' pod spec: the production overlay rendered with kustomize, run as one
# container beside the stack: the same image, the env of the manifests, the ConfigMap mounted as a
# file, a read-only root file system with the manifest's writable volumes, no capabilities, no new
# privileges, its user, and its memory limit. It must become ready, score, hold no unpacked
# TensorFlow natives, and stop within the grace period with exit 0.
#
# It prints a summary and exits 1 on any failure. Knobs: SMOKE_SERVICES (the services to start;
# default all), SMOKE_UP_TIMEOUT_S (default 900), SMOKE_KEEP=1 (leave the stack up at the end),
# SMOKE_POD_RUNS (default 1: how many times scenario 2 runs, each under its own application id,
# for start-up times), SMOKE_POD_IMAGES (default: the image just built; several, space-separated,
# take turns within each run, to compare their start-up on one machine at one time).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2
ROOT=$(pwd)
SERVICES=${SMOKE_SERVICES:-}
UP_TIMEOUT=${SMOKE_UP_TIMEOUT_S:-900}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/streamscore-smoke.XXXXXX")
POD=streamscore-smoke-pod
summary=()
failed=0

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
pass() { summary+=("PASS  $*"); log "PASS  $*"; }
fail() { summary+=("FAIL  $*"); log "FAIL  $*"; failed=1; }
note() { summary+=("      $*"); log "      $*"; }
dc() { docker compose "$@"; }
kafka() { dc exec -T kafka /opt/kafka/bin/"$@"; }
# Waits up to $1 seconds for the command after it to succeed, polling every 2 s.
until_ok() {
  local limit=$1; shift
  local start=$SECONDS
  until "$@"; do
    (( SECONDS - start >= limit )) && return 1
    sleep 2
  done
}
finish() {
  docker rm -f "$POD" >/dev/null 2>&1
  if [ -z "${SMOKE_KEEP:-}" ] && [ -n "${stack_up:-}" ] && [ -z "${stack_down:-}" ]; then dc down -v -t 20 >/dev/null 2>&1; fi
  echo
  echo "=== StreamScore local stack smoke test ($(date -u +%Y-%m-%dT%H:%MZ), $(docker compose version --short 2>/dev/null | sed 's/^/Compose /'))"
  printf '%s\n' "${summary[@]}"
  if [ $failed -eq 0 ]; then echo "result: all checks passed"; else echo "result: FAILED"; fi
  if [ $failed -eq 0 ] && [ -z "${SMOKE_KEEP:-}" ]; then rm -rf "$WORK"; else echo "logs and raw results: $WORK"; fi
}
trap finish EXIT

for tool in docker curl python3; do
  command -v $tool >/dev/null || { fail "$tool is not installed"; exit 1; }
done
docker compose version >/dev/null 2>&1 || { fail "Compose v2 (docker compose) is missing"; exit 1; }

# --- Scenario 1: docker compose ----------------------------------------------------------------
log "docker compose up --build --wait ${SERVICES:-(all services)}"
t0=$SECONDS
stack_up=1
if dc up --build --wait --wait-timeout "$UP_TIMEOUT" $SERVICES > "$WORK/up.log" 2>&1; then
  pass "up --build --wait returned in $((SECONDS - t0)) s"
else
  fail "up --build --wait failed after $((SECONDS - t0)) s; its last lines:"
  tail -15 "$WORK/up.log" | while read -r line; do note "$line"; done
fi

# Every container: healthy when it has a healthcheck, running when not, or exited 0 when done.
dc ps -a --format json > "$WORK/ps.json"
python3 - "$WORK/ps.json" > "$WORK/ps.txt" <<'PY'
import json, sys
text = open(sys.argv[1]).read().strip()
rows = json.loads(text) if text.startswith("[") else [json.loads(l) for l in text.splitlines() if l.strip()]
bad = 0
for r in sorted(rows, key=lambda r: r["Name"]):
    state, health, code = r["State"], r.get("Health", ""), r.get("ExitCode", 0)
    ok = (state == "running" and health in ("", "healthy")) or (state == "exited" and code == 0)
    bad += not ok
    print(f"{'ok ' if ok else 'BAD'} {r['Name']}: {state}{' ' + health if health else ''}{' exit ' + str(code) if state == 'exited' else ''}")
sys.exit(1 if bad or not rows else 0)
PY
if [ $? -eq 0 ]; then pass "every service healthy or completed: $(grep -c . "$WORK/ps.txt") containers"; else fail "services not healthy:"; fi
while read -r line; do note "$line"; done < "$WORK/ps.txt"

# Reads the output topics from the beginning with the project's own consume command, run in the
# streamscore service's container (its network, its registry), as JSON lines into $1.
consume_all() {
  dc run --rm --no-deps -T streamscore consume --from-beginning --timeout 30 > "$1" 2> "$1.err"
}
sources_seen() {
  consume_all "$WORK/early.jsonl" || return 1
  python3 - "$WORK/early.jsonl" <<'PY'
import json, sys
seen = {json.loads(l)["prediction"]["source"] for l in open(sys.argv[1]) if '"kind":"prediction"' in l}
print(" ".join(sorted(seen)))
sys.exit(0 if {"terminal", "web", "mobile"} <= seen else 1)
PY
}
if until_ok 180 sources_seen > "$WORK/sources.txt"; then
  pass "predictions from every source: $(tail -1 "$WORK/sources.txt")"
else
  fail "predictions missing for some source: $(tail -1 "$WORK/sources.txt")"
fi

# Partitions per replica and total lag, from the group's own description. StreamScore joins with the
# streams rebalance protocol (group.protocol=auto on a 4.4 broker), whose groups kafka-consumer-groups.sh
# does not describe ("not a consumer group"): Kafka's StreamsGroupCommand (kafka-streams-groups.sh),
# run by class name so any image with Kafka 4.1+'s tools jar has it. Prints: rows lag owners spread.
streams_groups() {
  kafka kafka-run-class.sh org.apache.kafka.tools.streams.StreamsGroupCommand --bootstrap-server localhost:9092 --describe --group streamscore-local "$@" 2>/dev/null
}
group_state() {
  streams_groups --members > "$WORK/members.txt"
  streams_groups --offsets > "$WORK/offsets.txt"
  python3 - "$WORK/members.txt" "$WORK/offsets.txt" <<'PY'
import re, sys, collections
tasks = collections.defaultdict(int)
for line in open(sys.argv[1]):
    f = line.split()
    if len(f) >= 5 and f[0] == "streamscore-local" and "ACTIVE:" in line:
        active = line.split("ACTIVE:", 1)[1].split("STANDBY:")[0].split("WARMUP:")[0]
        tasks[f[2]] += sum(len([p for p in ps.split(",") if p]) for ps in re.findall(r"\d+:\[([\d,]*)\]", active))
lag = 0; rows = 0
for line in open(sys.argv[2]):
    f = line.split()
    if len(f) >= 4 and f[0] == "streamscore-local" and f[1].startswith("payments."):
        rows += 1
        lag += int(f[3]) if f[3].isdigit() else 0
owners = {p: n for p, n in tasks.items() if n > 0}
print(f"{rows} {lag} {len(owners)} " + ",".join(f"{p[:8]}={n}" for p, n in sorted(owners.items())))
PY
}
read -r parts lag owners spread < <(group_state)
if [ "${owners:-0}" -ge 2 ]; then pass "both replicas own input partitions: $spread tasks (of $parts partitions)"; else fail "partitions not spread over two replicas: ${spread:-none}"; fi

# Scale out and in while the publisher runs, 2→3→2, as KEDA does: the group must spread over the new
# replica, then over the two left, and (checked below) every record still has exactly one prediction.
scale_to() { dc up -d --no-recreate --scale streamscore="$1" streamscore > "$WORK/scale-$1.log" 2>&1; }
owners_are() { read -r parts lag owners spread < <(group_state); [ "${owners:-0}" -eq "$1" ]; }
scale_from_ms=$(date +%s%3N)
t3=$SECONDS
if scale_to 3 && until_ok 300 owners_are 3; then
  pass "scaled out 2→3 while publishing: three replicas own tasks after $((SECONDS - t3)) s ($spread)"
else
  fail "scale-out 2→3: owners ${owners:-?} after $((SECONDS - t3)) s ($spread)"; tail -5 "$WORK/scale-3.log" | while read -r line; do note "$line"; done
fi
t4=$SECONDS
if scale_to 2 && until_ok 120 owners_are 2; then
  pass "scaled in 3→2 while publishing: two replicas own tasks after $((SECONDS - t4)) s ($spread)"
else
  fail "scale-in 3→2: owners ${owners:-?} after $((SECONDS - t4)) s ($spread)"
fi
scale_to_ms=$(date +%s%3N)

# Prometheus: both targets up, and every query the dashboard plots returns a series. Rates need
# two scrapes inside their window, so this waits for the windows to fill.
prometheus_ok() {
  python3 - "$ROOT/deploy/compose/grafana/dashboards/streamscore.json" > "$WORK/prom.txt" <<'PY'
import json, sys, urllib.request, urllib.parse
base = "http://localhost:9090/api/v1/"
targets = json.load(urllib.request.urlopen(base + "targets", timeout=10))["data"]["activeTargets"]
up = [t for t in targets if t["labels"].get("job") == "streamscore" and t["health"] == "up"]
print(f"targets up: {len(up)} of {len(targets)}")
empty = 0; queries = 0
for panel in json.load(open(sys.argv[1]))["panels"]:
    for target in panel.get("targets", []):
        queries += 1
        q = urllib.parse.urlencode({"query": target["expr"]})
        result = json.load(urllib.request.urlopen(base + "query?" + q, timeout=10))["data"]["result"]
        if not result:
            empty += 1
            print(f"no series: [{panel['title']}] {target['expr']}")
print(f"dashboard queries with a series: {queries - empty} of {queries}")
sys.exit(0 if len(up) >= 2 and empty == 0 else 1)
PY
}
if until_ok 180 prometheus_ok; then
  pass "Prometheus: $(head -1 "$WORK/prom.txt"); $(tail -1 "$WORK/prom.txt")"
else
  fail "Prometheus:"; while read -r line; do note "$line"; done < "$WORK/prom.txt"
fi

# The publisher stops on SIGTERM, flushes, and says how many records it sent.
t1=$SECONDS
dc stop -t 30 publisher > /dev/null 2>&1
stop_s=$((SECONDS - t1))
pub=$(dc ps -a -q publisher)
pub_exit=$(docker inspect --format '{{.State.ExitCode}}' "$pub" 2>/dev/null)
sent=$(dc logs --no-color --no-log-prefix publisher 2>/dev/null | sed -n 's/.*Sent \([0-9]*\) record(s).*/\1/p' | tail -1)
if [ "$pub_exit" = "0" ] && [ -n "$sent" ] && [ "$stop_s" -lt 10 ]; then
  pass "publisher stopped on SIGTERM in ${stop_s} s with exit 0, having sent $sent records"
else
  fail "publisher: exit ${pub_exit:-?} after ${stop_s} s, sent '${sent:-?}'"
fi

# Lag drains to 0, with both replicas still owning partitions.
drained() { read -r parts lag owners spread < <(group_state); [ "${lag:-1}" = "0" ] && [ "${owners:-0}" -ge 2 ]; }
t2=$SECONDS
if until_ok 300 drained; then pass "lag drained to 0 in $((SECONDS - t2)) s; partitions per replica: $spread"; else fail "lag did not drain: lag ${lag:-?}, $spread"; fi

# Every record sent has exactly one prediction; nothing is dead-lettered.
consume_all "$WORK/all.jsonl"
python3 - "$WORK/all.jsonl" "${sent:-0}" "${scale_from_ms:-0}" "${scale_to_ms:-0}" > "$WORK/balance.txt" <<'PY'
import json, sys, collections, datetime
inputs = collections.Counter(); sources = collections.Counter(); dead = 0
scored = collections.defaultdict(list)
def millis(iso):
    return datetime.datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp() * 1000
for line in open(sys.argv[1]):
    o = json.loads(line)
    if o["kind"] == "prediction":
        p = o["prediction"]; inputs[(p["topic"], p["partition"], p["offset"])] += 1; sources[p["source"]] += 1
        scored[(p["topic"], p["partition"])].append(millis(p["scored_at"]))
    else:
        dead += 1
sent = int(sys.argv[2]); twice = sum(1 for n in inputs.values() if n > 1)
# The longest time an input partition went without a record scored, from the scale-out to the end of the scale-in.
start, end = float(sys.argv[3]), float(sys.argv[4])
stall = 0.0
for times in scored.values():
    inside = sorted([start] + [t for t in times if start <= t <= end] + [end])
    stall = max(stall, max(b - a for a, b in zip(inside, inside[1:])))
print(f"{sent} sent, {len(inputs)} inputs with a prediction, {twice} twice, {dead} dead-lettered; by source {dict(sorted(sources.items()))};"
      f" longest stall of an input partition during the scaling: {stall / 1000:.1f} s")
sys.exit(0 if sent > 0 and len(inputs) == sent and twice == 0 and dead == 0 else 1)
PY
if [ $? -eq 0 ]; then pass "every record scored once: $(cat "$WORK/balance.txt")"; else fail "balance: $(cat "$WORK/balance.txt")"; fi

# --- Scenario 2: the production overlay's pod spec as a container ------------------------------
pod_scenario() {
  local run=$1 other=$2
  if ! command -v kubectl >/dev/null || ! python3 -c 'import yaml' 2>/dev/null; then
    note "pod spec scenario not run: it needs kubectl and python3's yaml module"
    return
  fi
  kubectl kustomize deploy/overlays/production > "$WORK/production.yaml" || { fail "kubectl kustomize deploy/overlays/production failed"; return; }
  # docker run arguments from the rendered Deployment and ConfigMap. Values from Secrets are left
  # out (they are optional and there is no Secret here); the ConfigMap's two cluster addresses are
  # replaced by the stack's, and its application id by one per run, through environment
  # variables, which override the file. The overlay's model path in a bucket is left out too
  # (there is no bucket here), so the ConfigMap's model.path, the image's demo model, is served.
  mkdir -p "$WORK/config"
  python3 - "$WORK/production.yaml" "$WORK/config" > "$WORK/pod.args" <<'PY' || { fail "cannot read the pod spec"; return; }
import sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
deployment = next(d for d in docs if d["kind"] == "Deployment")
config = next(d for d in docs if d["kind"] == "ConfigMap")
pod = deployment["spec"]["template"]["spec"]; c = pod["containers"][0]
psc, csc = pod.get("securityContext", {}), c.get("securityContext", {})
for name, text in config["data"].items():
    open(f"{sys.argv[2]}/{name}", "w").write(text)
args = [f"--user={psc['runAsUser']}:{psc['runAsGroup']}", f"--memory={c['resources']['limits']['memory'].replace('Gi', 'g').replace('Mi', 'm')}"]
if csc.get("readOnlyRootFilesystem"): args.append("--read-only")
if csc.get("allowPrivilegeEscalation") is False: args.append("--security-opt=no-new-privileges")
for cap in csc.get("capabilities", {}).get("drop", []): args.append(f"--cap-drop={cap}")
volumes = {v["name"]: v for v in pod.get("volumes", [])}
for m in c.get("volumeMounts", []):
    v = volumes[m["name"]]
    if "configMap" in v: args.append(f"--volume={sys.argv[2]}:{m['mountPath']}:ro")
    elif "emptyDir" in v: args.append(f"--volume={m['mountPath']}")
for e in c.get("env", []):
    if e["name"] == "STREAMSCORE_MODEL_PATH" and e.get("value", "").startswith("s3://"): print(f"skipped={e['name']}={e['value']}")
    elif "value" in e: args.append(f"--env={e['name']}={e['value']}")
print(f"grace={pod['terminationGracePeriodSeconds']}")
print(f"image={c['image']}")
print("args=" + "\x1f".join(args))
print("cmd=" + "\x1f".join(c.get("args", [])))
PY
  local grace image
  grace=$(sed -n 's/^grace=//p' "$WORK/pod.args"); image=$(sed -n 's/^image=//p' "$WORK/pod.args")
  local label="pod spec"
  if [ "$other" != default ]; then image=$other; label="pod spec ($image)"; else docker tag streamscore:local "$image"; fi
  [ "$run" -gt 1 ] && label="$label, run $run"
  IFS=$'\x1f' read -r -a run_args <<< "$(sed -n 's/^args=//p' "$WORK/pod.args")"
  IFS=$'\x1f' read -r -a cmd_args <<< "$(sed -n 's/^cmd=//p' "$WORK/pod.args")"
  local network; network=$(docker inspect --format '{{range $k, $v := .NetworkSettings.Networks}}{{$k}}{{end}}' "$(dc ps -q kafka)")
  note "pod: $image ${run_args[*]} ${cmd_args[*]}"
  local skipped; skipped=$(sed -n 's/^skipped=//p' "$WORK/pod.args")
  if [ -n "$skipped" ]; then note "pod: left out $skipped (no bucket here): the ConfigMap's model.path, the image's demo model, is served"; fi
  local t3=$SECONDS
  docker run -d --name "$POD" --network "$network" -p 127.0.0.1::8080 "${run_args[@]}" \
    --env STREAMSCORE_APPLICATION_ID=streamscore-smoke-pod-$run-$RANDOM --env STREAMSCORE_BOOTSTRAP_SERVERS=kafka:19092 --env STREAMSCORE_SCHEMA_REGISTRY_URL=http://schema-registry:8080/apis/ccompat/v7 \
    "$image" "${cmd_args[@]}" > /dev/null || { fail "$label: the container did not start"; return; }
  local port; port=$(docker port "$POD" 8080/tcp | head -1 | sed 's/.*://')
  ready() { [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "http://127.0.0.1:$port/health/ready")" = 200 ]; }
  if until_ok 300 ready; then pass "$label: ready on /health/ready $((SECONDS - t3)) s after start"; else fail "$label: not ready after 300 s"; docker logs --tail 20 "$POD" 2>&1 | while read -r l; do note "$l"; done; return; fi
  scored() { curl -s --max-time 5 "http://127.0.0.1:$port/metrics" | awk '/^streamscore_records_scored_total/ {s += $2} END {print s + 0; exit !(s > 0)}'; }
  local n; if until_ok 120 scored > /dev/null; then n=$(scored); pass "$label: scored $n records (an application id of its own reads the topics from the start)"; else fail "$label: scored nothing"; fi
  local unpacked; unpacked=$(docker exec "$POD" find / -xdev -name 'libtensorflow*' -not -path '/opt/tensorflow/*' 2>/dev/null; docker exec "$POD" find /tmp -name 'libtensorflow*' 2>/dev/null)
  if [ -z "$unpacked" ]; then pass "$label: TensorFlow's natives only in /opt/tensorflow/lib, none unpacked at run time"; else fail "$label: natives unpacked at run time: $unpacked"; fi
  local t4=$SECONDS
  docker stop -t "$grace" "$POD" > /dev/null
  local code; code=$(docker inspect --format '{{.State.ExitCode}}' "$POD")
  if [ "$code" = 0 ] && (( SECONDS - t4 < grace )); then pass "$label: stopped on SIGTERM in $((SECONDS - t4)) s (grace ${grace} s), exit 0"; else fail "$label: exit $code after $((SECONDS - t4)) s (grace ${grace} s)"; fi
  docker rm "$POD" > /dev/null
}
for run in $(seq 1 "${SMOKE_POD_RUNS:-1}"); do
  for other in ${SMOKE_POD_IMAGES:-default}; do pod_scenario "$run" "$other"; done
done

# --- Shutdown: stop within 15 s, StreamScore exiting 0 -----------------------------------------
t5=$SECONDS
dc stop -t 30 > /dev/null 2>&1
stop_s=$((SECONDS - t5))
codes=$(for c in $(dc ps -a -q streamscore); do docker inspect --format '{{.Name}}={{.State.ExitCode}}' "$c"; done | tr '\n' ' ')
t6=$SECONDS
dc down -v > /dev/null 2>&1
stack_down=1
down_s=$((SECONDS - t6))
if (( stop_s + down_s <= 15 )) && ! grep -qv '=0$' <<< "$(tr ' ' '\n' <<< "$codes" | grep .)"; then
  pass "stop in ${stop_s} s and down in ${down_s} s; StreamScore exits: $codes"
else
  fail "stop took ${stop_s} s and down ${down_s} s (at most 15 s together); StreamScore exits: $codes"
fi
exit $failed
