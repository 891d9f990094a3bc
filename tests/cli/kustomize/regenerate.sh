#!/usr/bin/env bash
# Regenerates the expected outputs of tests/cli/kustomize.rs with the real kubectl (v1.32, which
# embeds kustomize v5.5.0): build/<case>/ -> expected/<case with / as ->.yaml (stdout) and
# .stderr (kustomize's warnings, when there are any). Run from anywhere; needs only kubectl.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p expected
for kfile in $(find build -name kustomization.yaml | sort); do
  dir=$(dirname "$kfile")
  case=${dir#build/}
  name=${case//\//-}
  kubectl kustomize "$dir" >"expected/$name.yaml" 2>"expected/$name.stderr"
  [[ -s expected/$name.stderr ]] || rm "expected/$name.stderr"
done
