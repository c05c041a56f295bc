#!/usr/bin/env bash
# The benchmark of docs/benchmarks.md ("Running the benchmark"): compare against a Python
# peer (benches/peer.py) on generated corpora, both scored by `compare score`.
#
#   benches/run.sh                      # 1k, 10k and 100k articles
#   benches/run.sh --sizes 1k,10k       # chosen sizes
#   benches/run.sh --peer-sizes 1k,10k  # the peer at these sizes only (it takes ten times its 10k time at 100k)
#   benches/run.sh --repeat 3           # three builds of compare per size, the median reported
#   benches/run.sh --page-cache drop    # (root) each timed run starts with an empty page cache, seeds read back in
#   benches/run.sh --site-dir /dev/shm # sites on a tmpfs: the build timed without the disk (docs/benchmarks.md)
#   benches/run.sh --smoke              # 1k only, checks the scoring (what CI runs)
#
# Work goes to $BENCH_DIR (default /work/bench, else target/bench; not /tmp): one corpus
# folder per size, the peer's venv, and results/ with a Markdown table and raw JSON.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${BENCH_DIR:-}" ]; then
  if mkdir -p /work/bench 2>/dev/null && [ -w /work/bench ]; then
    BENCH_DIR=/work/bench
  else
    BENCH_DIR="$PWD/target/bench"
  fi
fi
mkdir -p "$BENCH_DIR"

echo "== cargo build --release" >&2
cargo build --release --quiet
compare="${CARGO_TARGET_DIR:-target}/release/compare"

# The peer's one dependency, from PyPI, in a venv of its own.
venv="$BENCH_DIR/venv"
if ! "$venv/bin/python" -c 'import rapidfuzz' 2>/dev/null; then
  echo "== python3 -m venv $venv && pip install rapidfuzz" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet rapidfuzz
fi

exec "$venv/bin/python" benches/bench.py --bench-dir "$BENCH_DIR" --compare "$compare" \
  --python "$venv/bin/python" --rules rules.toml "$@"
