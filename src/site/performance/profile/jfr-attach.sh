#!/bin/bash
# Records 10 s of JFR profile in each bench worker once it has started producing predictions: jfrattach.sh benchlog outdir
log=$1; out=$2; mkdir -p $out; seen=""
while pgrep -f 'streamscore.jar bench' >/dev/null; do
  for pid in $(pgrep -f 'io.streamscore.bench.BenchWorker'); do
    case " $seen " in *" $pid "*) continue;; esac
    last=$(grep -E 'x[0-9]+: [0-9,]+/' $log | tail -1)
    n=$(echo "$last" | sed -E 's/.*: ([0-9,]+)\/.*/\1/; s/,//g')
    if [ -n "$n" ] && [ "$n" -gt 20000 ] && [ -z "$(tail -1 $log | grep -E 'scoring [0-9,]+ records')" ]; then
      seen="$seen $pid"
      name=$(tr '\0' ' ' < /proc/$pid/cmdline | grep -o 'logs/[^ ]*' | sed 's#logs/##; s#\.properties##')
      jcmd $pid JFR.start duration=10s filename=$out/$name.jfr settings=profile >/dev/null 2>&1
    fi
  done
  sleep 1
done
