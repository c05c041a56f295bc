#!/usr/bin/env bash
# Instructions, not seconds, of the analysis stages (docs/benchmarks.md, "Counting
# instructions"): `valgrind --tool=callgrind` counts the same for the same binary and input
# whatever else the machine is doing, where timings on a shared 2-core machine move by
# 10–25%. Runs the stage benchmark (benches/stages.rs, one thread) with one repetition and
# with two, and prints the difference: one repetition's work without the one-off costs
# (compiling the rules, the regex engines' first states).
#
#   benches/instructions.sh          # the first 60 stories of `gen --seed 1` (about 300 articles)
#   benches/instructions.sh 120      # STORIES
#
# Needs valgrind (callgrind_annotate comes with it). Takes about a minute.
set -euo pipefail
cd "$(dirname "$0")/.."
stories="${1:-60}"
command -v valgrind >/dev/null || { echo "error: valgrind not found (apt-get install valgrind)" >&2; exit 2; }

echo "== cargo bench --no-run --bench stages" >&2
bench=$(cargo bench --no-run --bench stages --message-format=json |
  python3 -c 'import json,sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "stages" and m.get("executable"):
        print(m["executable"])')
[ -n "$bench" ] || { echo "error: the stage benchmark (benches/stages.rs) did not build" >&2; exit 1; }
work=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
for reps in 1 2; do
  echo "== callgrind: $stories stories, $reps repetition(s)" >&2
  valgrind --tool=callgrind --callgrind-out-file="$work/out.$reps" "$bench" "$stories" "$reps" >/dev/null 2>"$work/valgrind.$reps" ||
    { cat "$work/valgrind.$reps" >&2; echo "error: valgrind failed" >&2; exit 1; }
  callgrind_annotate --inclusive=yes --threshold=100 "$work/out.$reps" >"$work/annotated.$reps" 2>/dev/null
done

python3 - "$work" "$stories" <<'PY'
import re, sys
work, stories = sys.argv[1], sys.argv[2]
# Inclusive counts of the functions that make up the stages (benches/stages.rs), and of
# the largest parts within extract.
rows = [
    ("ingest", "compare::ingest::parse"),
    ("normalise+segment", "compare::sentences"),
    ("extract", "compare::extract::claims"),
    ("  names", "compare::entities::mentions_cached"),
    ("  claim patterns", "compare::extract::in_key_of"),
    ("  alignment terms", "compare::align::terms"),
    ("align", "compare::align::groups"),
    ("verdict", "compare::verdict::judge"),
]

def counts(path):
    text = open(path).read()
    found = re.search(r"([\d,]+) \(100\.0%\)\s+PROGRAM TOTALS", text)
    if not found:
        sys.exit(f"error: no PROGRAM TOTALS line with a percentage in {path}: "
                 "callgrind_annotate's output is not the one this script reads (valgrind 3.19 or later)")
    total = int(found[1].replace(",", ""))
    out = {}
    for _, fn in rows:
        # `FILE:NAME`, sometimes with ` [BINARY]` after it: the largest is the function's
        # total (inlined parts are also listed under the file they come from).
        pat = re.compile(r"^\s*([\d,]+) \([^)]*\)\s+[^=\s]\S*:" + re.escape(fn) + r"(?: \[[^\]]*\])?\s*$", re.M)
        out[fn] = max((int(m[1].replace(",", "")) for m in pat.finditer(text)), default=None)
    return total, out

t1, c1 = counts(f"{work}/annotated.1")
t2, c2 = counts(f"{work}/annotated.2")
print(f"{stories} stories; one repetition, one thread, without one-off costs (millions of instructions):")
for label, fn in rows:
    if c1[fn] is None or c2[fn] is None:
        print(f"  {label:<20} {'n/a':>9}  ({fn} not found: renamed, or inlined away)")
    else:
        print(f"  {label:<20} {(c2[fn] - c1[fn]) / 1e6:9.1f}")
print(f"  {'all':<20} {(t2 - t1) / 1e6:9.1f}")
PY
