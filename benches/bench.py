#!/usr/bin/env python3
"""The benchmark harness (issue 7): compare and its Python peer on generated corpora.

Run it through benches/run.sh, which builds compare and the peer's venv first:

    benches/run.sh [--sizes 1k,10k,100k] [--seed 1] [--smoke]

For each size: `compare gen` writes a corpus (stories = articles / 5.15), then
`compare build --timings` and `benches/peer.py` run on it under `/usr/bin/time -v`
(wall, user+sys CPU, peak RSS), and `compare score --format json` scores both reports
against truth.jsonl. Results go to BENCH_DIR/results/ as Markdown and JSON (also
printed); docs/benchmarks.md explains the columns. `--smoke` runs the 1k size only and
checks the scoring, never the timings.
"""
import argparse
import datetime as dt
import json
import math
import mmap
import os
import re
import shutil
import subprocess
import sys
import time

ARTICLES_PER_STORY = 5.15
STAGES = ["rules", "ingest", "normalise", "segment", "extract", "align", "verdict", "diff", "render", "write", "total"]
PEER_STAGES = ["rules", "extract", "align+verdict+diff", "write", "total"]
MUST_NOT_FLAG = ["none", "spelling_variant", "digits", "number_format", "rounding", "date_form",
                 "paraphrase", "boilerplate", "confuser", "single_outlet"]


def size_arg(text):
    """`1k` → 1000, `100k` → 100000, `2500` → 2500."""
    m = re.fullmatch(r"([0-9]+(?:\.[0-9]+)?)([km]?)", text.strip().lower())
    if not m:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (e.g. 1k, 10k, 2500)")
    return int(float(m[1]) * {"": 1, "k": 1000, "m": 1000000}[m[2]])


def label(n):
    return f"{n // 1000}k" if n % 1000 == 0 else str(n)


def run(cmd, **kw):
    """Run, fail loudly with the command's stderr."""
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        sys.exit(f"error: {' '.join(map(str, cmd))} exited {p.returncode}\n{p.stderr[-4000:]}")
    return p


# The machine probe: one process per core, each a fixed loop of plain Python. The seconds
# they take side by side, just before a timed run, say how fast the cores are at that moment:
# on a shared VM the same build moves by a third or more with the host's load, and the
# probe moves with it (docs/benchmarks.md, "How much the machine moves").
PROBE = "s = 0\nfor i in range(2_000_000):\n    s += i * i % 7\n"


def probe():
    """Seconds the probe takes on every core at once."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    t = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-c", PROBE]) for _ in range(cores)]
    for p in procs:
        if p.wait() != 0:
            sys.exit("error: the machine probe (a loop of plain Python) failed")
    return round(time.perf_counter() - t, 3)


def rules_check_ms(compare, rules):
    """Milliseconds `compare check` takes on the rules: a build's `rules` stage (the regex
    compilation and the examples), alone on the machine, plus starting the process and
    printing the summary; in a build the rules compile beside the listing of the seeds
    since stop 47. The same fixed work before every build. None when the check fails."""
    t = time.perf_counter()
    done = subprocess.run([compare, "check", "--rules", rules], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL)
    return round((time.perf_counter() - t) * 1000, 1) if done.returncode == 0 else None


def fresh_page_us(mib=64):
    """Microseconds to first touch a 4 KiB page of fresh memory (an anonymous map of `mib`
    MiB, one byte written per page, less the same loop over the pages once mapped). The
    kernel zeroes each page; a VM that hands free memory back to its host must get it back
    first, at the host's price: 1.3 to 11 µs a page on machine 5, and a 100k build touches
    some 750 000 pages (docs/benchmark-history.md, "Fresh memory, and one-thread stretches")."""
    size = mib << 20
    pages = size // mmap.PAGESIZE
    m = mmap.mmap(-1, size)
    try:
        t = time.perf_counter()
        for i in range(0, size, mmap.PAGESIZE):
            m[i] = 1
        first = time.perf_counter() - t
        t = time.perf_counter()
        for i in range(0, size, mmap.PAGESIZE):
            m[i] = 2
        again = time.perf_counter() - t
    finally:
        m.close()
    return round(max(first - again, 0.0) / pages * 1e6, 2)


def steal_s():
    """CPU time the hypervisor has taken from this machine since it started (`steal` in
    /proc/stat), in seconds; 0 where the kernel does not say."""
    try:
        with open("/proc/stat") as f:
            fields = f.readline().split()
        return int(fields[8]) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def timed(cmd, workdir, name):
    """Run under /usr/bin/time -v: (stderr of the command, wall s, cpu s, peak RSS MB,
    kernel s, steal s: CPU time the hypervisor took from the machine meanwhile, minor page
    faults: the fresh pages the run touched, each zeroed by the kernel)."""
    tfile = os.path.join(workdir, f"{name}.time")
    stolen = steal_s()
    p = run(["/usr/bin/time", "-v", "-o", tfile, *cmd])
    stolen = round(steal_s() - stolen, 2)
    with open(tfile) as f:
        t = f.read()

    def field(name):
        return re.search(re.escape(name) + r".*?: (.+)", t)[1].strip()
    wall = 0.0
    for part in field("Elapsed (wall clock) time").split(":"):
        wall = wall * 60 + float(part)
    sys_s = float(field("System time (seconds)"))
    cpu = float(field("User time (seconds)")) + sys_s
    rss = int(field("Maximum resident set size (kbytes)")) / 1024
    faults = int(field("Minor (reclaiming a frame) page faults"))
    with open(os.path.join(workdir, f"{name}.stderr"), "w") as f:
        f.write(p.stderr)
    return p.stderr, wall, cpu, rss, sys_s, stolen, faults


def faults_k(build):
    """` / 612` (thousands of minor page faults), or nothing for a result from before they were
    recorded."""
    n = build.get("page_faults")
    return f" / {n / 1000:.0f}" if n is not None else ""


def stage_times(stderr):
    """`  extract:   895.674 ms` lines → {stage: ms}; `candidate pairs: N` too."""
    out = {m[1]: float(m[2]) for m in re.finditer(r"^\s*([a-z+]+):\s+([0-9.]+) ms\s*$", stderr, re.M)}
    pairs = re.search(r"candidate pairs:\s*([0-9]+)", stderr)
    return out, int(pairs[1]) if pairs else None


def unchanged_files(stderr):
    """`unchanged files: K of N` → [K, N], or None."""
    m = re.search(r"unchanged files:\s*([0-9]+) of ([0-9]+)", stderr)
    return [int(m[1]), int(m[2])] if m else None


def known_by_stamp(stderr):
    """`known by stamp: S` (files found unchanged without reading them back) → S, or None."""
    m = re.search(r"known by stamp:\s*([0-9]+)", stderr)
    return int(m[1]) if m else None


def score(compare, truth, report):
    return json.loads(run([compare, "score", "--truth", truth, report, "--format", "json"]).stdout)


def corpus_size(seeds):
    n = size = 0
    for d, _, fs in os.walk(seeds):
        for f in fs:
            if f.endswith((".md", ".txt")):
                n += 1
                size += os.path.getsize(os.path.join(d, f))
    return n, size / 1e6


def fs_type(path):
    """The file system that holds `path` (`ext4`, `tmpfs`), or `?`."""
    try:
        p = subprocess.run(["findmnt", "-n", "-f", "-o", "FSTYPE", "--target", path], capture_output=True, text=True)
    except OSError:
        return "?"
    return p.stdout.strip() or "?"


def settle(seeds, page_cache):
    """Before a timed run: write out what earlier steps left in memory (`sync`) and, with
    `--page-cache drop`, empty the page cache and read the seeds back in, so every timed
    run starts with its input in memory and nothing else cached. On this machine, writing
    a site is two to three times slower once earlier runs' sites fill the page cache (the
    100k `write` stage: 3.3 s after a drop, 9-11 s with 10-14 GB cached); without the
    drop, each build of a `--repeat` series starts with more cached than the one before.
    Returns how the run started, for the results."""
    os.sync()
    if page_cache != "drop":
        return "kept"
    try:
        with open("/proc/sys/vm/drop_caches", "w") as f:
            f.write("3\n")
    except OSError as e:
        sys.exit(f"error: --page-cache drop needs to write /proc/sys/vm/drop_caches (as root): {e.strerror}\n"
                 "  = help: run as root, or pass --page-cache keep")
    for d, _, fs in os.walk(seeds):
        for name in fs:
            with open(os.path.join(d, name), "rb") as f:
                while f.read(1 << 20):
                    pass
    return "dropped"


def corpus_dir(args, target):
    return os.path.join(args.bench_dir, f"corpus-{label(target)}-seed{args.seed}")


def site_root_of(args, work):
    """Where compare's sites of one size go: beside its corpus, or under --site-dir."""
    return os.path.join(args.site_dir, os.path.basename(work)) if args.site_dir else work


def sites_in(site_root):
    if not os.path.isdir(site_root):
        return []
    return [d for d in sorted(os.listdir(site_root)) if re.fullmatch(r"site(-[0-9]+)?", d)]


def remove_old_sites(args, sizes):
    """At the start of a run, remove the sites an earlier run left for every size, and write
    the deletes out (`sync`). ext4 creates files more slowly for minutes after a large
    delete, and the 100k size's three earlier sites are 12 GB in 190 000 files: removed
    here rather than just before that size's timed build, they are gone while the smaller
    sizes and the peer run (about three minutes)."""
    for target in sizes:
        root = site_root_of(args, corpus_dir(args, target))
        old = sites_in(root)
        if old:
            print(f"== removing {', '.join(old)} of an earlier run in {root}", file=sys.stderr)
        for d in old:
            shutil.rmtree(os.path.join(root, d), ignore_errors=True)
    os.sync()


def stories_for(target):
    """How many stories `compare gen` writes for a target article count."""
    return max(1, round(target / ARTICLES_PER_STORY))


def generate(args, target):
    """`compare gen` for one size, into its corpus folder (`--force`: the corpus an earlier run
    wrote there is replaced). Returns the seconds it took."""
    stories = stories_for(target)
    work = corpus_dir(args, target)
    os.makedirs(work, exist_ok=True)
    print(f"== {label(target)}: compare gen --stories {stories} --seed {args.seed} --out {work}", file=sys.stderr)
    t = time.perf_counter()
    run([args.compare, "gen", "--stories", str(stories), "--seed", str(args.seed), "--out", work, "--force"])
    return time.perf_counter() - t


def one_size(args, target, gen_s):
    stories = stories_for(target)
    work = corpus_dir(args, target)
    print(f"== {label(target)}: compare build, in {work}", file=sys.stderr)
    # The build is timed from an empty output folder: a site left by an earlier run would be
    # deleted inside the timed build (tens of thousands of files at 100k). Deleting it here
    # slows the build too, less: ext4 creates files slower for minutes after a large delete,
    # so `remove_old_sites` did it for every size at the start of the run, and a site found
    # here was written since. With --site-dir, the sites go to a folder of this size's own there.
    site_root = site_root_of(args, work)
    os.makedirs(site_root, exist_ok=True)
    old_sites = sites_in(site_root)
    if old_sites:
        print(f"   warning: removing {', '.join(old_sites)} of an earlier run just before the timed build; "
              "for comparable figures remove corpus-*/site* a few minutes before running", file=sys.stderr)
    for d in old_sites:
        shutil.rmtree(os.path.join(site_root, d), ignore_errors=True)
    seeds, truth = os.path.join(work, "seeds"), os.path.join(work, "truth.jsonl")
    articles, mb = corpus_size(seeds)
    row = {"target": target, "label": label(target), "stories": stories, "articles": articles, "mb": round(mb, 2),
           "gen_s": round(gen_s, 2), "corpus": work}

    # With --repeat N, N builds, each into a new folder (site, site-2, …: no delete between
    # them), after the previous one's writes reached the disk. The row gives the median
    # build's figures and every build's wall time.
    builds = []
    for i in range(args.repeat):
        # Before the page cache is settled: the build finds compare's binary as it did
        # before the check was timed.
        check_ms = rules_check_ms(args.compare, args.rules)
        settle(seeds, args.page_cache)
        page_us = fresh_page_us()
        probe_s = probe()
        load = os.getloadavg()
        print(f"   {articles} articles, {mb:.1f} MB; compare build --timings (load {load[0]:.2f}, probe {probe_s:.2f} s, "
              f"fresh page {page_us:.2f} µs)"
              + (f", build {i + 1} of {args.repeat}" if args.repeat > 1 else ""), file=sys.stderr)
        out_dir = os.path.join(site_root, "site" if i == 0 else f"site-{i + 1}")
        err, wall, cpu, rss, sys_s, stolen, faults = timed([args.compare, "build", "--seeds", seeds, "--rules", args.rules,
                                                    "--out", out_dir, "--force", "--timings"], work,
                                                   "compare" if i == 0 else f"compare-{i + 1}")
        builds.append((wall, cpu, rss, load, err, sys_s, probe_s, stolen, page_us, faults, check_ms))
        # A site folder elsewhere (a tmpfs, say) may hold only one more site: the first
        # build's is kept for scoring, later ones go as soon as they are timed.
        if args.site_dir and i > 0:
            shutil.rmtree(out_dir, ignore_errors=True)
    # A rebuild: the first build's site built again from the same seeds, as after a change
    # that leaves the report as it was. Unchanged files are linked from the site it
    # replaces, and the replaced site is removed, within the timed build.
    settle(seeds, args.page_cache)
    print("   compare build --timings again into the first build's site (a rebuild)", file=sys.stderr)
    r_err, r_wall, r_cpu, r_rss, r_sys, _, r_faults = timed([args.compare, "build", "--seeds", seeds, "--rules", args.rules,
                                                    "--out", os.path.join(site_root, "site"), "--timings"], work,
                                                   "compare-rebuild")
    rebuild = {"wall_s": r_wall, "cpu_s": r_cpu, "sys_s": r_sys, "rss_mb": round(r_rss, 1), "page_faults": r_faults,
               "stages_ms": stage_times(r_err)[0], "unchanged_files": unchanged_files(r_err),
               "known_by_stamp": known_by_stamp(r_err)}
    # The median build; of an even number, the slower of the two in the middle.
    wall, cpu, rss, load, err, sys_s, probe_s, stolen, page_us, faults, _ = sorted(builds, key=lambda b: b[0])[len(builds) // 2]
    stages, pairs = stage_times(err)
    # Every build writes the same site (the build is deterministic): the first is scored.
    row["compare"] = {"wall_s": wall, "cpu_s": cpu, "sys_s": sys_s, "rss_mb": round(rss, 1), "page_faults": faults,
                      "load_before": load,
                      "probe_s": probe_s, "steal_s": stolen, "fresh_page_us": page_us,
                      "articles_per_s": articles / wall if wall else None, "stages_ms": stages,
                      "candidate_pairs": pairs, "score": score(args.compare, truth, os.path.join(site_root, "site", "report.json")),
                      "builds": [{"wall_s": b[0], "cpu_s": b[1], "sys_s": b[5], "rss_mb": round(b[2], 1), "page_faults": b[9],
                                  "probe_s": b[6], "steal_s": b[7], "fresh_page_us": b[8],
                                  "rules_ms": stage_times(b[4])[0].get("rules"), "check_ms": b[10]} for b in builds],
                      "rebuild": rebuild}

    if target not in args.peer_sizes:
        print("   peer: not run at this size (--peer-sizes)", file=sys.stderr)
        row["peer"], row["speed_ratio"] = None, None
        return row
    settle(seeds, args.page_cache)
    page_us = fresh_page_us()
    probe_s = probe()
    load = os.getloadavg()
    print(f"   peer (load {load[0]:.2f}, probe {probe_s:.2f} s, fresh page {page_us:.2f} µs)", file=sys.stderr)
    peer_report = os.path.join(work, "peer-report.json")
    err, wall, cpu, rss, sys_s, stolen, faults = timed([args.python, os.path.join(os.path.dirname(__file__), "peer.py"),
                                                "--seeds", seeds, "--rules", args.rules, "--out", peer_report],
                                               work, "peer")
    stages, _ = stage_times(err)
    row["peer"] = {"wall_s": wall, "cpu_s": cpu, "sys_s": sys_s, "rss_mb": round(rss, 1), "page_faults": faults,
                   "load_before": load,
                   "probe_s": probe_s, "steal_s": stolen, "fresh_page_us": page_us,
                   "articles_per_s": articles / wall if wall else None, "stages_ms": stages,
                   "score": score(args.compare, truth, peer_report)}
    row["speed_ratio"] = row["peer"]["wall_s"] / row["compare"]["wall_s"] if row["compare"]["wall_s"] else None
    return row


def exponent(rows, tool):
    """Least-squares slope of log(wall) against log(articles): 1 is linear."""
    pts = [(math.log(r["articles"]), math.log(r[tool]["wall_s"])) for r in rows if r[tool] and r[tool]["wall_s"] > 0]
    if len(pts) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    sxx = sum((x - mx) ** 2 for x, _ in pts)
    return sum((x - mx) * (y - my) for x, y in pts) / sxx if sxx else None


def f(x, digits=3):
    return "–" if x is None else f"{x:.{digits}f}"


def rate(s, cls, key="false_positive_rate"):
    r = next((r for r in s[key] if r["class"] == cls), None)
    if r is None or r["of"] == 0:
        return "–"
    # Three decimals, or two significant digits when that would show a nonzero rate as 0.
    shown = "0" if r["hits"] == 0 else f"{r['rate']:.3f}" if r["rate"] >= 0.001 else f"{r['rate']:.2g}"
    return f"{shown} ({r['hits']}/{r['of']})"


def tools(row):
    """The tools that ran at this size: the peer may be left out of the larger ones."""
    return [t for t in ("compare", "peer") if row[t]]


def markdown(result):
    rows = result["rows"]
    out = [f"Measured {result['date']} on {result['machine']}; load average (1/5/15 min) at the start: "
           f"{' '.join(f'{x:.2f}' for x in result['load_start'])}, at the end: "
           f"{' '.join(f'{x:.2f}' for x in result['load_end'])}.", "",
           f"Command: `{result['command']}`", "",
           ("Before each timed run the page cache was dropped and the seeds read back in."
            if result.get("page_cache") == "drop" else
            "Each timed run started with the page cache as the steps before it left it (`--page-cache keep`)."), "",
           *([f"compare wrote its sites to {result['site_dir']} ({result['site_fs']}), not beside the corpus.", ""]
             if result.get("site_dir") else ["compare wrote its sites beside each corpus, on "
                                             f"{result.get('site_fs', '?')}.", ""]),
           "| size | articles | MB | tool | wall s | CPU s | peak RSS MB | articles/s | precision | recall | F1 | rows found |",
           "|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        for tool in tools(r):
            t, s = r[tool], r[tool]["score"]
            out.append(f"| {r['label']} | {r['articles']} | {r['mb']:.1f} | {tool} | {t['wall_s']:.2f} | {t['cpu_s']:.2f} "
                       f"| {t['rss_mb']:.0f} | {f(t['articles_per_s'], 0)} | {f(s['precision'])} | {f(s['recall'])} "
                       f"| {f(s['f1'])} | {s['rows_in_statements']}/{s['rows']} |")
    repeated = [r for r in rows if len(r["compare"].get("builds", [])) > 1]
    if repeated:
        out += ["", "compare's builds, each size (wall s / CPU s, of it in the kernel / peak RSS MB / thousands of "
                "fresh pages touched, the minor page faults; the median build is the row above):", ""]
        out += [f"- {r['label']}: " + ", ".join(f"{b['wall_s']:.2f} / {b['cpu_s']:.2f}, {b['sys_s']:.2f} / {b['rss_mb']:.0f}"
                                                 + faults_k(b) for b in r["compare"]["builds"]) for r in repeated]
    out += ["", "The machine just before each timed run: the probe's seconds (a fixed loop of plain Python on every "
            "core at once; slower means slower cores at that moment), the microseconds a page of fresh memory took "
            "to touch (the kernel zeroes it, and fetches it back from the host first if it was handed back), and "
            "CPU seconds the hypervisor took from the machine during the run (steal); for compare, also the "
            "milliseconds `compare check` took on the rules just before the build, the same work at every size "
            "(the build's own `rules` stage runs beside the listing of the seeds, so it grows with the corpus):", ""]
    for r in rows:
        for tool in tools(r):
            runs = r[tool].get("builds") or [r[tool]]
            rules = [b.get("check_ms") for b in runs]
            out.append(f"- {r['label']}, {tool}: probe " + ", ".join(f(b.get('probe_s'), 2) for b in runs)
                       + " s; fresh page " + ", ".join(f(b.get('fresh_page_us'), 2) for b in runs)
                       + " µs; steal " + ", ".join(f(b.get('steal_s'), 2) for b in runs) + " s"
                       + ("; rules check " + ", ".join(f(ms, 0) for ms in rules) + " ms"
                          if any(ms is not None for ms in rules) else ""))
    rebuilt = [r for r in rows if r["compare"].get("rebuild")]
    if rebuilt:
        out += ["", "A rebuild: compare build again into the first build's site, from the same seeds (wall s / CPU s, "
                "of it in the kernel / peak RSS MB / thousands of fresh pages touched; files unchanged, so linked "
                "from the site it replaced):", ""]
        for r in rebuilt:
            b = r["compare"]["rebuild"]
            kept = b.get("unchanged_files")
            out.append(f"- {r['label']}: {b['wall_s']:.2f} / {b['cpu_s']:.2f}, {b['sys_s']:.2f} / {b['rss_mb']:.0f}"
                       + faults_k(b) + "; "
                       + (f"{kept[0]} of {kept[1]} files unchanged" if kept else "files unchanged not reported")
                       + (f" ({b['known_by_stamp']} known by their stamps)" if b.get("known_by_stamp") is not None else "")
                       + f"; write {f(b['stages_ms'].get('write'), 0)} ms")
    both = [r for r in rows if r["peer"]]
    out.append("")
    # A run of one size, or without the peer, has no ratio or exponent to give.
    if both:
        out.append("Speed ratio, peer / compare: wall " + ", ".join(
            f"{r['label']} {f(r['speed_ratio'], 1)}×" for r in both) + "; CPU " + ", ".join(
            f"{r['label']} {f(r['peer']['cpu_s'] / r['compare']['cpu_s'], 1)}×" for r in both) + ".")
    for tool in ("compare", "peer"):
        measured = [r["label"] for r in rows if r[tool]]
        if len(measured) > 1:
            out.append(f"Growth exponent of {tool}'s wall time over {', '.join(measured)}: "
                       f"{f(result['exponent'][tool], 2)}.")
    out += ["", "compare's stages (ms, `compare build --timings`):", "",
            "| size | " + " | ".join(STAGES) + " | candidate pairs |", "|---|" + "---:|" * (len(STAGES) + 1)]
    for r in rows:
        st = r["compare"]["stages_ms"]
        out.append(f"| {r['label']} | " + " | ".join(f(st.get(s), 0) for s in STAGES)
                   + f" | {r['compare']['candidate_pairs']} |")
    out += ["", "The peer's stages (ms):", "", "| size | " + " | ".join(PEER_STAGES) + " |",
            "|---|" + "---:|" * len(PEER_STAGES)]
    for r in both:
        st = r["peer"]["stages_ms"]
        out.append(f"| {r['label']} | " + " | ".join(f(st.get(s), 0) for s in PEER_STAGES) + " |")
    out += ["", "False-positive rate per must-not-flag class (flagged facts / facts of the class):", "",
            "| size | tool | " + " | ".join(MUST_NOT_FLAG) + " |", "|---|---|" + "---:|" * len(MUST_NOT_FLAG)]
    for r in rows:
        for tool in tools(r):
            out.append(f"| {r['label']} | {tool} | " + " | ".join(rate(r[tool]["score"], c) for c in MUST_NOT_FLAG) + " |")
    return "\n".join(out) + "\n"


def smoke_checks(row):
    """What CI asserts: the scoring works on both reports, compare is right. Never timings."""
    problems = []
    for tool in ("compare", "peer"):
        s = row[tool]["score"]
        if s["rows"] == 0:
            problems.append(f"{tool}: truth.jsonl has no rows")
        if s["rows_in_statements"] != s["rows"]:
            problems.append(f"{tool}: {s['rows'] - s['rows_in_statements']} of {s['rows']} truth rows are in no statement"
                            + (" (benches/peer.py no longer reads every value compare gen writes)" if tool == "peer" else ""))
    s = row["compare"]["score"]
    for name in ("precision", "recall"):
        if s[name] is None or s[name] < 0.95:
            problems.append(f"compare: {name} {f(s[name])} < 0.95")
    # The build is deterministic: built again from the same seeds, every file of the site
    # is the same, so the rebuild links all of them.
    kept = row["compare"]["rebuild"]["unchanged_files"]
    if kept is None or kept[0] != kept[1] or kept[1] == 0:
        problems.append(f"compare: a rebuild from the same seeds found {kept} files unchanged, not all of them")
    return problems


def main():
    ap = argparse.ArgumentParser(description="compare vs the Python peer on generated corpora")
    ap.add_argument("--sizes", default="1k,10k,100k", help="target article counts (default 1k,10k,100k)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--smoke", action="store_true", help="1k only; check the scoring, not the timings")
    ap.add_argument("--bench-dir", required=True)
    ap.add_argument("--compare", required=True)
    ap.add_argument("--python", required=True, help="the venv's python, with rapidfuzz")
    ap.add_argument("--rules", default="rules.toml")
    ap.add_argument("--peer-sizes", help="sizes at which the peer runs too (default: every size)")
    ap.add_argument("--repeat", type=int, default=1,
                    help="compare's builds per size; the median is reported, for an even N the slower "
                         "middle build (default 1)")
    ap.add_argument("--site-dir", help="write compare's sites under this folder (a tmpfs such as /dev/shm, to "
                    "time the build without the disk) instead of beside each corpus")
    ap.add_argument("--page-cache", choices=["keep", "drop"], default="keep",
                    help="before each timed run, keep the page cache as earlier steps left it (default), or "
                         "drop it (root only) and read the seeds back in; see docs/benchmarks.md")
    args = ap.parse_args()
    if args.repeat < 1:
        ap.error("--repeat takes 1 or more")
    sizes = [1000] if args.smoke else [size_arg(s) for s in args.sizes.split(",")]
    args.peer_sizes = set(sizes if args.smoke or not args.peer_sizes else map(size_arg, args.peer_sizes.split(",")))
    args.bench_dir = os.path.abspath(args.bench_dir)
    args.site_dir = os.path.abspath(args.site_dir) if args.site_dir else None
    if args.site_dir:
        os.makedirs(args.site_dir, exist_ok=True)
    args.compare, args.rules = os.path.abspath(args.compare), os.path.abspath(args.rules)
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    result = {"date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"), "machine": f"{os.cpu_count()} cores ({cpu})",
              "command": "benches/run.sh " + ("--smoke" if args.smoke else f"--sizes {','.join(map(label, sizes))}"
                                              + (f" --peer-sizes {','.join(map(label, sorted(args.peer_sizes)))}"
                                                 if args.peer_sizes != set(sizes) else "")
                                              + (f" --repeat {args.repeat}" if args.repeat > 1 else "")
                                              + (" --page-cache drop" if args.page_cache == "drop" else "")
                                              + (f" --site-dir {args.site_dir}" if args.site_dir else "")),
              "page_cache": args.page_cache, "site_dir": args.site_dir,
              "site_fs": fs_type(args.site_dir or args.bench_dir),
              "load_start": os.getloadavg(), "rows": []}
    remove_old_sites(args, sizes)
    # Every corpus is written first: replacing one is a large delete and create (98 000
    # files at 100k), after which ext4 creates files more slowly for minutes, and the
    # first build timed right after it took 0.6-2.4 s longer than the next two
    # (docs/benchmark-history.md, "Machine 6"). Written here, the largest corpus is minutes old
    # when its builds start.
    gen_s = {n: generate(args, n) for n in sizes}
    os.sync()
    for n in sizes:
        result["rows"].append(one_size(args, n, gen_s[n]))
    result["load_end"] = os.getloadavg()
    result["exponent"] = {t: exponent(result["rows"], t) for t in ("compare", "peer")}
    out = os.path.join(args.bench_dir, "results")
    os.makedirs(out, exist_ok=True)
    stem = os.path.join(out, ("smoke-" if args.smoke else "bench-") + dt.datetime.now().strftime("%Y%m%d-%H%M%S"))
    md = markdown(result)
    with open(stem + ".json", "w") as fh:
        json.dump(result, fh, indent=1, ensure_ascii=False)
    with open(stem + ".md", "w") as fh:
        fh.write(md)
    print(md)
    print(f"results: {stem}.md and {stem}.json", file=sys.stderr)
    if args.smoke:
        problems = smoke_checks(result["rows"][0])
        for p in problems:
            print(f"smoke: FAIL {p}", file=sys.stderr)
        if problems:
            sys.exit(1)
        print("smoke: ok (both reports scored, every truth row found, compare precision and recall >= 0.95)")


if __name__ == "__main__":
    main()
