#!/usr/bin/env bash
# Instructions, not seconds (docs/benchmarks.md, "Counting instructions"): `valgrind
# --tool=callgrind` counts the same for the same binary and input whatever else the machine
# is doing, where timings on a shared 2-core machine move by 10–25%.
#
# The analysis stages: runs the stage benchmark (benches/stages.rs, one thread) with one
# repetition and with two, and prints the difference: one repetition's work without the
# one-off costs (compiling the rules, the regex engines' first states).
#
#   benches/instructions.sh          # the first 60 stories of `gen --seed 1` (about 300 articles)
#   benches/instructions.sh 120      # STORIES
#
# The whole build, pages and report.json included: runs `compare build` (one thread) on
# the first STORIES stories and on the first 2×STORIES, and prints the difference: the
# work the second half of the corpus adds, without the one-off costs.
#
#   benches/instructions.sh --build      # 200 and 400 stories (about 1 000 and 2 000 articles)
#   benches/instructions.sh --build 300
#
# Needs valgrind (callgrind_annotate comes with it). Takes about a minute (--build: three).
#
# KEEP=1 keeps the work folder (its path is printed) with callgrind's outputs, out.1 and
# out.2: when a count moves in code a change does not touch, compare two builds function
# by function (`callgrind_annotate --inclusive=no out.2`) before believing it.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=stages
if [ "${1:-}" = "--build" ]; then
  mode=build
  shift
fi
# A whole build's regex engines keep building states over the first stories (new
# sentences bring new ones): 9% of the difference from 60 to 120 stories, under 1% from
# 200 to 400.
if [ "$mode" = build ]; then
  stories="${1:-200}"
else
  stories="${1:-60}"
fi
case "$stories" in
  '' | *[!0-9]* | 0) echo "error: STORIES must be a positive whole number, not '$stories'" >&2; exit 2 ;;
esac
command -v valgrind >/dev/null || { echo "error: valgrind not found (apt-get install valgrind)" >&2; exit 2; }
work=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
[ -z "${KEEP:-}" ] || echo "== work folder kept: $work" >&2

# Runs one callgrind measurement: $1 is its name (1 or 2), the rest the command.
measure() {
  local n="$1"
  shift
  valgrind --tool=callgrind --callgrind-out-file="$work/out.$n" "$@" >/dev/null 2>"$work/valgrind.$n" ||
    { cat "$work/valgrind.$n" >&2; echo "error: valgrind failed" >&2; exit 1; }
  callgrind_annotate --inclusive=yes --threshold=100 "$work/out.$n" >"$work/annotated.$n" 2>/dev/null
}

if [ "$mode" = build ]; then
  echo "== cargo build --release" >&2
  cargo build --release --quiet
  for n in 1 2; do
    count=$((stories * n))
    echo "== callgrind: compare build, the first $count stories, one thread" >&2
    ./target/release/compare gen --stories "$count" --seed 1 --out "$work/corpus.$n" >/dev/null
    RAYON_NUM_THREADS=1 measure "$n" ./target/release/compare build --rules rules.toml \
      --seeds "$work/corpus.$n/seeds" --out "$work/site.$n"
  done
else
  echo "== cargo bench --no-run --bench stages" >&2
  bench=$(cargo bench --no-run --bench stages --message-format=json |
    python3 -c 'import json,sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "stages" and m.get("executable"):
        print(m["executable"])')
  [ -n "$bench" ] || { echo "error: the stage benchmark (benches/stages.rs) did not build" >&2; exit 1; }
  for reps in 1 2; do
    echo "== callgrind: $stories stories, $reps repetition(s)" >&2
    measure "$reps" "$bench" "$stories" "$reps"
  done
fi

python3 - "$work" "$stories" "$mode" <<'PY'
import re, sys
work, stories, mode = sys.argv[1], sys.argv[2], sys.argv[3]
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
if mode == "build":
    # In a whole build the stages run as rayon jobs, whose closures callgrind does not
    # count under the stage's own function: these are the functions that do each part's
    # work in one call, so their totals are whole. Link-time optimisation would inline
    # some into their callers: those are kept out of line (`#[inline(never)]` where they
    # are defined).
    rows = [
        ("ingest", "compare::ingest::parse"),
        ("claim patterns", "compare::extract::in_key_of"),
        ("names", "compare::entities::mentions_cached"),
        ("word diffs", "compare::diff::words"),
        ("report.json", "compare::render::report_json"),
        ("report.md", "compare::render::markdown::report"),
        ("article pages", "compare::render::html::documents_page"),
        ("statement pages", "compare::render::html::statements_page"),
        ("story and list pages", "compare::render::overview::Overview::write"),
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
if mode == "build":
    print(f"compare build, one thread: stories {int(stories) + 1}–{2 * int(stories)}, what they add to the "
          f"first {stories} (millions of instructions):")
else:
    print(f"{stories} stories; one repetition, one thread, without one-off costs (millions of instructions):")
for label, fn in rows:
    if c1[fn] is None or c2[fn] is None:
        print(f"  {label:<20} {'n/a':>9}  ({fn} not found: renamed, or inlined away)")
    else:
        print(f"  {label:<20} {(c2[fn] - c1[fn]) / 1e6:9.1f}")
print(f"  {'all':<20} {(t2 - t1) / 1e6:9.1f}")
PY
