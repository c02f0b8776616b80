#!/usr/bin/env bash
# Run every benchmark in turn; each writes its one JSON object to benchmarks/results/<name>.json
# (progress goes to the terminal). QUICK=1 runs smaller sizes (a smoke test, not a verdict)
# and writes to benchmarks/results/quick/ instead, leaving the real results alone.
# Exit status: 1 if a benchmark crashed; missed targets show as "pass": false in the JSON.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
export PYTHONPATH="src${PYTHONPATH:+:$PYTHONPATH}"
OUT=benchmarks/results

if [[ "${QUICK:-0}" == 1 ]]; then
  OUT=benchmarks/results/quick
  APPEND=(--batched-events 20000 --single-events 1000)
  VERIFY=(--events 100000)
  API=(--requests 400)
  SCENARIO=(--skip-generate)
else
  APPEND=()
  VERIFY=()
  API=()
  SCENARIO=()
fi
mkdir -p "$OUT"

crashed=0
run() {
  local name=$1
  shift
  echo "== $name $*" >&2
  if "$PY" "benchmarks/$name.py" "$@" >"$OUT/$name.json.part"; then
    mv "$OUT/$name.json.part" "$OUT/$name.json"
  else
    echo "!! $name crashed; see the output above" >&2
    rm -f "$OUT/$name.json.part"
    crashed=1
  fi
}

run append_throughput "${APPEND[@]}"
run verify_ledger "${VERIFY[@]}"
run scenario_generation "${SCENARIO[@]}"
run api_latency "${API[@]}"

"$PY" - "$OUT" <<'EOF'
import json, pathlib, sys

for path in sorted(pathlib.Path(sys.argv[1]).glob("*.json")):
    result = json.loads(path.read_text())
    print(f"{path.stem:24} pass={result.get('pass')}", file=sys.stderr)
EOF
exit $crashed
