#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (libFuzzer via cargo fuzz, nightly toolchain) and
# prints `target: execs N, crashes N, timeouts N, ooms N` per target, then the total.
# Built without a sanitizer (`-s none`): no fuzzed path has `unsafe` code, and AddressSanitizer
# costs a hundredfold in executions. A timeout is an input taking over 1 s; an OOM one using over 1 GB. Corpora live in
# fuzz/corpus/TARGET (seeded from tests/fixtures and committed, minimised); anything found
# lands in fuzz/artifacts/TARGET and belongs in the regression tests (tests/it/fuzzed.rs).
#
#   fuzz/run.sh 60          # a minute per target
#   JOBS=2 fuzz/run.sh 600  # two processes per target
set -euo pipefail
secs=${1:?usage: fuzz/run.sh SECONDS}
cd "$(dirname "$0")"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz
targets=(session session_parallel article import journal edits merge)
cargo +nightly fuzz build -O -s none "${targets[@]}" >/dev/null 2>&1 || cargo +nightly fuzz build -O -s none
total=0 bad=0
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t" "artifacts/$t"
  log=$(mktemp)
  cargo +nightly fuzz run -O -s none "$t" "corpus/$t" -- \
    -max_total_time="$secs" -timeout=1 -rss_limit_mb=1024 -print_final_stats=1 \
    -jobs="${JOBS:-1}" -workers="${JOBS:-1}" >"$log" 2>&1 || true
  execs=$(grep -h 'stat::number_of_executed_units' "$log" fuzz-*.log 2>/dev/null | awk '{s+=$2} END {print s+0}')
  crashes=$(find "artifacts/$t" -name 'crash-*' | wc -l)
  timeouts=$(find "artifacts/$t" -name 'timeout-*' | wc -l)
  ooms=$(find "artifacts/$t" -name 'oom-*' | wc -l)
  rm -f fuzz-*.log
  echo "$t: execs $execs, crashes $crashes, timeouts $timeouts, ooms $ooms"
  total=$((total + execs))
  bad=$((bad + crashes + timeouts + ooms))
  rm -f "$log"
done
echo "total: execs $total, findings $bad"
[[ $bad -eq 0 ]]
