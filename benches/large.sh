#!/usr/bin/env bash
# Full-size runs of the two large inputs of issue 6, which tests/robustness.rs only runs
# scaled down (tests never assert on time; this prints it):
#   1. one article of MB megabytes on a single line (default 50), and
#   2. ARTICLES tiny articles, each from its own outlet (default 10 000).
# For each: wall time, peak memory, stage timings, the site's size, file count and
# largest page. Figures from a run are in docs/robustness.md.
#
# Usage: benches/large.sh [MB] [ARTICLES]
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-50}
articles=${2:-10000}

cargo build --release --quiet
bin="$PWD/target/release/compare"
rules="$PWD/rules.toml"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The seeds' prose without their datelines, source credits and boilerplate markers (on
# one line, a `cut_line` marker would set the rest of the article aside, as it should).
prose="$work/prose.txt"
grep -hvE 'تاريخ النشر|المصدر:|الصورة:|أخبار ذات صلة|كلمات دلالية|إقرأ أيضاً|مقالات ذات صلة|اضف تعليقك|إعلان|/[0-9]{4}' seeds/*.txt \
  | tr -s ' \r\n' '   ' > "$prose"

mkdir -p "$work/one"
copies=$(( mb * 1024 * 1024 / $(wc -c < "$prose") + 1 ))
{
  printf 'تاريخ النشر: 12th, April 2024 GMT '
  # awk, not `yes | head`: under pipefail, the SIGPIPE that stops `yes` would end the script
  awk -v n="$copies" '{ for (i = 0; i < n; i++) printf "%s ", $0 }' "$prose"
} > "$work/one/article.txt"

# Three sentences with figures from the seeds per article, picked by the article's number.
mkdir -p "$work/many"
grep -hoE '[^.!]*[0-9][^.!]*[.!]' seeds/*.txt | awk 'length($0) > 30' > "$work/sentences.txt"
awk -v n="$articles" -v dir="$work/many" '
  { s[NR - 1] = $0 }
  END {
    for (i = 0; i < n; i++) {
      f = sprintf("%s/outlet%05d.txt", dir, i)
      printf "+++\noutlet = \"outlet%05d\"\n+++\nخبر رقم %d\n%s\n%s\n%s\n", i, i, s[i % NR], s[(i * 7 + 3) % NR], s[(i * 13 + 5) % NR] > f
      close(f)
    }
  }' "$work/sentences.txt"

run() {
  local name=$1 seeds=$2
  echo "== $name: $(du -sh "$seeds" | cut -f1) in $(find "$seeds" -type f | wc -l) files"
  local out="$work/site-$name"
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "wall %e s, peak memory %M KB, user %U s, system %S s" \
      "$bin" build --seeds "$seeds" --rules "$rules" --out "$out" --timings 2>&1 \
      | grep -v '^warning:'
  else
    time "$bin" build --seeds "$seeds" --rules "$rules" --out "$out" --timings 2>&1 | grep -v '^warning:'
  fi
  echo "site: $(du -sh "$out" | cut -f1) in $(find "$out" -type f | wc -l) files; largest pages:"
  find "$out" -type f ! -name report.json -printf '%s %P\n' | sort -n | tail -3
}

run one-line "$work/one"
run many-outlets "$work/many"
