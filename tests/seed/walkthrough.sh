#!/usr/bin/env bash
# Replays the seed walkthrough (../shared/seed/statefulset-walkthrough.zh.txt) command by command on a
# fresh local cluster, printing each command as the document shows it and what kstate prints.
#
#   bash tests/seed/walkthrough.sh            builds kstate (release) and replays
#   KSTATE_BIN=path/to/kstate bash ...        uses that binary instead of building
#
# Each command is a separate kstate process. The clock and the random seed are fixed (KSTATE_NOW,
# KSTATE_SEED), and the clock moves forward between steps the way the document's AGE column does,
# so the transcript is the same on every run: tests/golden/seed-walkthrough.txt is this output.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
if [ -z "${KSTATE_BIN:-}" ]; then
  cargo build --release --quiet --manifest-path "$top/Cargo.toml"
  KSTATE_BIN="$top/target/release/kstate"
fi
case $KSTATE_BIN in */*) KSTATE_BIN="$(cd "$(dirname "$KSTATE_BIN")" && pwd)/$(basename "$KSTATE_BIN")" ;; esac
state=$(mktemp -d "${TMPDIR:-/tmp}/kstate-seed.XXXXXX")
trap 'rm -rf "$state"' EXIT
export KSTATE_HOME="$state" KSTATE_SEED="${KSTATE_SEED:-20260101}"
start=$(date -u -d "${KSTATE_START:-2026-11-27T09:00:00Z}" +%s)
workdir=$(mktemp -d "${TMPDIR:-/tmp}/kstate-seed-files.XXXXXX")
trap 'rm -rf "$state" "$workdir"' EXIT
cp "$top/manifests/statefulset.yaml" "$workdir/statefulset.yaml"
cd "$workdir"

# kubectl in the document means kstate here.
kubectl() { "$KSTATE_BIN" "$@"; }

# step MINUTES 'COMMAND': sets the clock to start+MINUTES, prints the command, runs it in bash.
step() {
  export KSTATE_NOW
  KSTATE_NOW=$(date -u -d "@$((start + $1 * 60))" +%Y-%m-%dT%H:%M:%SZ)
  printf '# kubectl %s\n' "$2"
  local rc=0
  eval "kubectl $2" 2>&1 || rc=$?
  [ "$rc" -eq 0 ] || printf '[exit %s]\n' "$rc"
  printf '\n'
}

step 0  'create -f statefulset.yaml'
step 21 'get pod'
step 21 'get pvc'
step 22 'scale sts web --replicas=3'
step 24 'get pod'
step 24 'get pvc'
step 25 'scale sts web --replicas=2'
step 25 'get pod'
step 25 'get pvc'
step 25 'scale sts web --replicas=3'
step 27 'get pod'
step 27 'get pvc'
step 29 'describe pod web-1 | grep ClaimName'
step 29 'delete pod web-1'
step 29 'get pod'
step 29 'describe pod web-1 | grep ClaimName'
step 30 'exec web-1 ls /data'
step 30 'exec web-1 touch /data/statefulset'
step 30 'exec web-1 ls /data'
step 31 'delete pod web-1'
step 31 'exec web-1 ls /data'
