#!/usr/bin/env bash
# Benchmarks `kstate serve` (issue 18, acceptance 3):
#   1. `kubectl get pods` through serve against `kstate get pods` on the same state (medians);
#   2. 50 watchers and 10 writers for a minute: no error, every event delivered (serve_load.py).
#
#   bash tests/bench/serve.sh                 release build, 60 s load
#   SECONDS_LOAD=20 RUNS=5 bash tests/bench/serve.sh
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
RUNS=${RUNS:-11}
SECONDS_LOAD=${SECONDS_LOAD:-60}
if [ -z "${KSTATE_BIN:-}" ]; then
  cargo build --release --quiet --manifest-path "$top/Cargo.toml"
  KSTATE_BIN="$top/target/release/kstate"
fi
KUBECTL=${KUBECTL_1_32:-/usr/lib/google-cloud-sdk/bin/kubectl.1.32}
work=$(mktemp -d "${TMPDIR:-/tmp}/kstate-serve-bench.XXXXXX")
export KSTATE_HOME=$work/state HOME=$work KUBECONFIG=$work/kubeconfig KSTATE_SEED=1
"$KSTATE_BIN" serve --listen 127.0.0.1:0 --write-kubeconfig "$KUBECONFIG" >"$work/serve.out" 2>"$work/serve.err" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do [ -s "$work/serve.out" ] && break; sleep 0.1; done
port=$(sed -n 's/^listening on http:\/\/127.0.0.1://p' "$work/serve.out")
"$KSTATE_BIN" create -f "$top/manifests/statefulset.yaml" >/dev/null 2>&1
"$KSTATE_BIN" scale sts web --replicas=3 >/dev/null

median_ms() { sort -n | awk '{ a[NR] = $1 } END { printf "%.1f ms", a[int((NR + 1) / 2)] / 1e6 }'; }
time_runs() {
  for _ in $(seq "$RUNS"); do
    s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $((e - s))
  done | median_ms
}
if [ -x "$KUBECTL" ]; then
  "$KUBECTL" get pods >/dev/null 2>&1 # discovery cache
  echo "kubectl get pods via serve: $(time_runs "$KUBECTL" get pods)"
  echo "kubectl version --client:   $(time_runs "$KUBECTL" version --client) (kubectl's own start-up)"
fi
echo "kstate get pods:            $(time_runs "$KSTATE_BIN" get pods)"
python3 "$here/serve_load.py" "$port" "$SECONDS_LOAD" 50 10
