//! Reviewing results in CI (issue 5), through the real binary: deterministic output,
//! `compare diff`, `build --fail-on` and `--format json`, exit codes, and the GitHub
//! Actions workflow of docs/ci.md run step by step in a scratch repository.

mod common;

use common::{compare, stderr, stdout};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, SystemTime};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `compare build` of the articles in `seeds`, run in `dir`, with `args` after the seeds
/// (the gate, its baseline, the format).
fn build_seeds(dir: &Path, seeds: &Path, args: &[&str]) -> Output {
    let seeds = seeds.to_str().expect("a UTF-8 path");
    let all: Vec<&str> = ["build", "--seeds", seeds]
        .into_iter()
        .chain(args.iter().copied())
        .collect();
    compare(dir, &all)
}

fn seed_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root().join("seeds"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Copy the seeds into `dir`, creating the files in the given order with the given times.
fn copy_seeds(dir: &Path, names: &[String], time: impl Fn(usize) -> SystemTime) {
    std::fs::create_dir_all(dir).unwrap();
    for (i, name) in names.iter().enumerate() {
        let to = dir.join(name);
        std::fs::copy(root().join("seeds").join(name), &to).unwrap();
        let f = std::fs::File::options().write(true).open(&to).unwrap();
        f.set_modified(time(i)).unwrap();
    }
}

/// Every file under `dir`, by relative path.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                let rel = p.strip_prefix(base).unwrap().to_string_lossy().into_owned();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// A fresh copy of the seeds and rules with a built site, and its report.
fn built(tmp: &Path) -> PathBuf {
    copy_seeds(&tmp.join("seeds"), &seed_names(), |_| SystemTime::now());
    std::fs::copy(root().join("rules.toml"), tmp.join("rules.toml")).unwrap();
    let o = compare(tmp, &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    tmp.join("site/report.json")
}

/// Edit one seed in place.
fn edit_seed(dir: &Path, name_prefix: &str, from: &str, to: &str) {
    let name = seed_names()
        .into_iter()
        .find(|n| n.starts_with(name_prefix))
        .unwrap();
    let path = dir.join("seeds").join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{from} in {}", path.display());
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// In 000 the call of 26 March becomes 26 February; 003 says March: a new conflict.
fn make_conflict(dir: &Path) {
    edit_seed(dir, "000_", "26 مارس الماضي", "26 فبراير الماضي");
}

/// A copy of the seeds built, its report kept as `base.json`, then given a conflict
/// ([`make_conflict`]) that is not yet built.
fn seeds_with_a_new_conflict() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    built(tmp.path());
    std::fs::copy(
        tmp.path().join("site/report.json"),
        tmp.path().join("base.json"),
    )
    .unwrap();
    make_conflict(tmp.path());
    tmp
}

/// The names in `dir` in the order the file system lists them.
fn listing(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

/// Two copies of the seeds, `a/seeds` created in name order and `b/deeper/corpus` in
/// reverse, with different modification times, in a temporary folder where the file system
/// really lists them in different orders: otherwise a build that leaked the listing order
/// would pass. ext4 lists a small folder in hash order, whatever the creation order; tmpfs
/// lists in creation order (newest first), so `/dev/shm` is tried first.
fn seeds_listed_in_two_orders() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let names = seed_names();
    let mut reversed = names.clone();
    reversed.reverse();
    let epoch = SystemTime::UNIX_EPOCH;
    let bases = [
        PathBuf::from("/dev/shm"),
        std::env::temp_dir(),
        PathBuf::from(env!("CARGO_TARGET_TMPDIR")),
    ];
    for base in bases.iter().filter(|b| b.is_dir()) {
        let Ok(tmp) = tempfile::tempdir_in(base) else {
            continue;
        };
        let a = tmp.path().join("a/seeds");
        let b = tmp.path().join("b/deeper/corpus");
        copy_seeds(&a, &names, |i| {
            epoch + Duration::from_secs(1_000_000 + i as u64 * 3600)
        });
        copy_seeds(&b, &reversed, |i| {
            epoch + Duration::from_secs(1_700_000_000 - i as u64 * 86_400)
        });
        if listing(&a) != listing(&b) {
            return (tmp, a, b);
        }
    }
    panic!(
        "no folder among {bases:?} lists files in creation order, so this test cannot show \
         that the listing order does not reach the output; run it where /dev/shm is tmpfs"
    );
}

#[test]
fn builds_are_byte_identical_whatever_the_order_threads_and_times() {
    let (tmp, a_seeds, b_seeds) = seeds_listed_in_two_orders();
    // One thread against at least two (rayon's default is one per core).
    let many = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .max(2)
        .to_string();
    let rules = root().join("rules.toml");
    for (seeds, out, threads, tz) in [
        (&a_seeds, tmp.path().join("a/site"), "1", "UTC"),
        (
            &b_seeds,
            tmp.path().join("b/out"),
            many.as_str(),
            "Asia/Tokyo",
        ),
    ] {
        let o = Command::new(env!("CARGO_BIN_EXE_compare"))
            .args(["build", "--seeds"])
            .arg(seeds)
            .arg("--rules")
            .arg(&rules)
            .arg("--out")
            .arg(&out)
            .env("RAYON_NUM_THREADS", threads)
            .env("TZ", tz)
            .current_dir(tmp.path())
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let a = tree(&tmp.path().join("a/site"));
    let b = tree(&tmp.path().join("b/out"));
    assert!(
        [
            "report.json",
            "statements/no-story.p2.html",
            "documents/no-story.html"
        ]
        .iter()
        .all(|k| a.contains_key(*k)),
        "{:?}",
        a.keys()
    );
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "the same files"
    );
    for (path, bytes) in &a {
        assert!(bytes == &b[path], "{path} differs between the two builds");
    }
}

#[test]
fn build_format_json_prints_one_object_and_no_progress() {
    let tmp = tempfile::tempdir().unwrap();
    built(tmp.path());
    let o = compare(tmp.path(), &["build", "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let summary: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("one JSON object");
    assert_eq!(summary["schema"], 1);
    assert_eq!(summary["articles"], 5);
    assert_eq!(
        summary["by_verdict"]["conflict"], 0,
        "zero counts are present"
    );
    assert!(summary["by_verdict"]["agree"].as_u64().unwrap() > 0);
    assert!(summary["by_type"]["troops"].as_u64().unwrap() > 0);
    assert!(summary.get("findings").is_none());
    // Not a terminal: warnings yes, progress no.
    let err = stderr(&o);
    assert!(err.contains("warning: seeds/003_"), "{err}");
    assert!(!err.contains("wrote "), "{err}");
    assert!(!err.contains("reading articles"), "{err}");

    let text = compare(tmp.path(), &["build"]);
    assert!(text.status.success());
    assert_eq!(stdout(&text), "", "text format prints nothing on stdout");
    let err = stderr(&text);
    assert!(!err.contains("wrote "), "{err}");
    // The progress line is drawn only on a terminal.
    for step in ["reading articles", "aligning", "writing the site"] {
        assert!(!err.contains(step), "{err}");
    }
}

/// The CI gate of docs/ci.md: a build that fails on a conflict absent from `base.json`.
const GATE: [&str; 5] = [
    "build",
    "--fail-on",
    "new-conflict",
    "--baseline",
    "base.json",
];

#[test]
fn fail_on_conflict_and_new_conflict_exit_codes() {
    let tmp = tempfile::tempdir().unwrap();
    let report = built(tmp.path());
    let base = tmp.path().join("base.json");
    std::fs::copy(&report, &base).unwrap();

    // The seeds have no conflict: both gates pass.
    let o = compare(tmp.path(), &["build", "--fail-on", "conflict"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = compare(tmp.path(), &GATE);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    make_conflict(tmp.path());
    let o = compare(tmp.path(), &[&GATE[..], &["--format", "json"]].concat());
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let summary: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(summary["fail_on"], "new-conflict");
    assert_eq!(summary["by_verdict"]["conflict"], 1);
    let found = summary["findings"].as_array().unwrap();
    assert_eq!(found.len(), 1);
    let id = found[0].as_str().unwrap();
    assert!(id.starts_with("date-000_"), "{id}");
    let err = stderr(&o);
    assert!(
        err.contains("error: 1 conflict absent from the baseline base.json"),
        "{err}"
    );
    assert!(err.contains(id) && err.contains("2024-02-26"), "{err}");
    // The site is written all the same, for review.
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(written["corpus"]["by_verdict"]["conflict"], 1);

    // Against the new report itself the conflict is not new; --fail-on conflict still fails.
    std::fs::copy(&report, &base).unwrap();
    let o = compare(tmp.path(), &GATE);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = compare(tmp.path(), &["build", "--fail-on", "conflict"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("error: 1 conflict (--fail-on conflict)"));
}

#[test]
fn usage_and_input_errors_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let report = built(tmp.path());
    let before = std::fs::read(&report).unwrap();
    std::fs::write(tmp.path().join("bad.json"), "{\"schema\": 1,").unwrap();
    std::fs::write(tmp.path().join("v9.json"), "{\"schema\": 9}").unwrap();
    std::fs::write(tmp.path().join("other.json"), "{\"documents\": []}").unwrap();
    for (args, message) in [
        (
            &["build", "--fail-on", "new-conflict"][..],
            "--fail-on new-conflict needs --baseline",
        ),
        (
            &["build", "--baseline", "site/report.json"][..],
            "--fail-on",
        ),
        (&["build", "--fail-on", "everything"][..], "invalid value"),
        (
            &["build", "--fail-on", "conflict", "--baseline", "v9.json"][..],
            "error: --baseline is read only with --fail-on new-conflict: with --fail-on conflict every conflict fails the build, the baseline's too\n  = help: pass --fail-on new-conflict",
        ),
        (
            &[
                "build",
                "--fail-on",
                "new-conflict",
                "--baseline",
                "missing.json",
            ][..],
            "cannot read missing.json",
        ),
        (
            &[
                "build",
                "--fail-on",
                "new-conflict",
                "--baseline",
                "bad.json",
            ][..],
            "bad.json is not JSON (EOF while parsing a value at line 1 column 13); expected a report.json\n  = help: pass the report.json of a site written by `compare build`",
        ),
        (
            &["diff", "other.json", "site/report.json"][..],
            "other.json has no `schema` number, so it is not a report.json written by `compare build`\n  = help: pass the report.json of a site written by `compare build`",
        ),
        (
            &["diff", "missing.json", "site/report.json"][..],
            "cannot read missing.json",
        ),
        (
            &["diff", "v9.json", "site/report.json"][..],
            "v9.json is report.json schema 9",
        ),
        (&["diff", "site/report.json"][..], "NEW"),
        (
            &[
                "diff",
                "site/report.json",
                "site/report.json",
                "--format",
                "html",
            ][..],
            "invalid value",
        ),
    ] {
        let o = compare(tmp.path(), args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(message), "{args:?}: {}", stderr(&o));
        assert_eq!(stdout(&o), "", "{args:?}");
    }
    assert_eq!(
        std::fs::read(&report).unwrap(),
        before,
        "a bad baseline writes nothing"
    );
}

#[test]
fn diff_lists_what_changed_in_three_formats() {
    let tmp = tempfile::tempdir().unwrap();
    let report = built(tmp.path());
    let base = tmp.path().join("base.json");
    std::fs::copy(&report, &base).unwrap();

    let same = compare(tmp.path(), &["diff", "base.json", "site/report.json"]);
    assert!(same.status.success());
    assert!(
        stdout(&same).contains("no differences"),
        "{}",
        stdout(&same)
    );

    make_conflict(tmp.path());
    let o = compare(tmp.path(), &["build"]);
    assert!(o.status.success());
    let text = compare(tmp.path(), &["diff", "base.json", "site/report.json"]);
    assert_eq!(
        text.status.code(),
        Some(0),
        "diff reports, it does not gate"
    );
    let text = stdout(&text);
    assert!(text.contains("New conflicts (1):"), "{text}");
    assert!(text.contains("conflict 0 → 1 (+1)"), "{text}");
    assert!(text.contains("«26 فبراير الماضي» = 2024-02-26"), "{text}");
    assert!(text.contains("«26 مارس الماضي» = 2024-03-26"), "{text}");

    let md = stdout(&compare(
        tmp.path(),
        &[
            "diff",
            "base.json",
            "site/report.json",
            "--format",
            "markdown",
        ],
    ));
    assert!(md.starts_with("### compare: changes to the report"), "{md}");
    assert!(
        md.contains("**✗ 1 new conflict absent from the baseline.**"),
        "{md}"
    );
    assert!(md.contains("#### New conflicts (1)"), "{md}");

    let json: serde_json::Value = serde_json::from_str(&stdout(&compare(
        tmp.path(),
        &["diff", "base.json", "site/report.json", "--format", "json"],
    )))
    .unwrap();
    let new = &json["new_conflicts"][0];
    assert_eq!(new["old_verdict"], "agree");
    assert_eq!(new["new_verdict"], "conflict");
    let date = json["claims_by_type"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["type"] == "date")
        .unwrap();
    assert_eq!((&date["gained"], &date["lost"]), (&1.into(), &1.into()));
    assert_eq!(json["new_spellings"], serde_json::json!([]));
}

#[test]
fn adding_an_article_that_sorts_last_renames_no_statement() {
    // Build the corpus without 004, then with it: statements that 004 joins keep their id.
    let tmp = tempfile::tempdir().unwrap();
    let names = seed_names();
    copy_seeds(&tmp.path().join("seeds"), &names[..4], |_| {
        SystemTime::now()
    });
    std::fs::copy(root().join("rules.toml"), tmp.path().join("rules.toml")).unwrap();
    assert!(compare(tmp.path(), &["build"]).status.success());
    std::fs::copy(
        tmp.path().join("site/report.json"),
        tmp.path().join("base.json"),
    )
    .unwrap();
    copy_seeds(&tmp.path().join("seeds"), &names[4..], |_| {
        SystemTime::now()
    });
    assert!(compare(tmp.path(), &["build"]).status.success());
    let json: serde_json::Value = serde_json::from_str(&stdout(&compare(
        tmp.path(),
        &["diff", "base.json", "site/report.json", "--format", "json"],
    )))
    .unwrap();
    assert_eq!(json["documents_added"][0]["id"], "004_71888a1a17af4fa9");
    assert_eq!(json["renamed"], serde_json::json!([]), "{json:#}");
    // 004 joins statements that 000 alone reported before: verdicts change, ids stay.
    let changes = json["verdict_changes"].as_array().unwrap();
    assert!(!changes.is_empty(), "{json:#}");
    for c in changes {
        assert_eq!(c["old_verdict"], "single");
        assert_eq!(c["new_verdict"], "agree");
        assert!(c["members"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["status"] == "joined" && m["doc"] == "004_71888a1a17af4fa9"));
    }
}

/// Build the seeds whose names pass `keep` in a fresh folder under `tmp`; the report.
fn report_of(tmp: &Path, folder: &str, keep: impl Fn(&str) -> bool) -> PathBuf {
    let dir = tmp.join(folder);
    let names: Vec<String> = seed_names().into_iter().filter(|n| keep(n)).collect();
    copy_seeds(&dir.join("seeds"), &names, |_| SystemTime::now());
    std::fs::copy(root().join("rules.toml"), dir.join("rules.toml")).unwrap();
    let o = compare(&dir, &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    dir.join("site/report.json")
}

/// A statement of a report: its id and its members as (document, sentence number).
struct Statement {
    id: String,
    kind: String,
    members: Vec<(String, u64)>,
}

impl Statement {
    fn has_member_in(&self, doc_prefix: &str) -> bool {
        self.members.iter().any(|(d, _)| d.starts_with(doc_prefix))
    }
}

fn statements(report: &Path) -> Vec<Statement> {
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(report).unwrap()).unwrap();
    json["statements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| Statement {
            id: s["id"].as_str().unwrap().to_string(),
            kind: s["type"].as_str().unwrap().to_string(),
            members: s["members"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| {
                    (
                        m["doc"].as_str().unwrap().to_string(),
                        m["sentence"].as_u64().unwrap(),
                    )
                })
                .collect(),
        })
        .collect()
}

/// The ids of the statements of `report` that hold a member of `s` (same type, document
/// and sentence).
fn ids_holding<'a>(report: &'a [Statement], s: &Statement) -> Vec<&'a str> {
    report
        .iter()
        .filter(|t| t.kind == s.kind && t.members.iter().any(|m| s.members.contains(m)))
        .map(|t| t.id.as_str())
        .collect()
}

fn diff_json(dir: &Path, old: &Path, new: &Path) -> serde_json::Value {
    let o = compare(
        dir,
        &[
            "diff",
            old.to_str().unwrap(),
            new.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_str(&stdout(&o)).unwrap()
}

#[test]
fn removing_a_middle_article_keeps_every_other_statement_id() {
    // Ids come from content and position, not from a counter: without 002, every statement
    // 002 has no part in keeps its id, those of 003 and 004 that follow it included.
    let tmp = tempfile::tempdir().unwrap();
    let all_path = report_of(tmp.path(), "all", |_| true);
    let without_path = report_of(tmp.path(), "without", |n| !n.starts_with("002_"));
    let (all, without) = (statements(&all_path), statements(&without_path));
    let unrelated: Vec<&Statement> = all.iter().filter(|s| !s.has_member_in("002_")).collect();
    assert!(
        unrelated
            .iter()
            .any(|s| s.members.iter().all(|(d, _)| d.as_str() > "002_")),
        "statements after 002 exist"
    );
    for s in &unrelated {
        assert_eq!(
            ids_holding(&without, s),
            [s.id.as_str()],
            "{} changed its id without 002",
            s.id
        );
    }
    let json = diff_json(tmp.path(), &all_path, &without_path);
    assert_eq!(json["documents_removed"][0]["id"], "002_6e47a6734b8438c4");
    assert_eq!(json["added"], serde_json::json!([]), "{json:#}");
    for r in json["renamed"].as_array().unwrap() {
        let old = all.iter().find(|s| s.id == r["old"]).unwrap();
        assert!(old.has_member_in("002_"), "{r} renamed: {json:#}");
    }
}

#[test]
fn adding_an_article_that_sorts_first_renames_only_what_it_joins() {
    // 000 sorts before every other article: a statement it joins is anchored in it now and
    // renamed (the diff says so); every other statement keeps its id.
    let tmp = tempfile::tempdir().unwrap();
    let without_path = report_of(tmp.path(), "without", |n| !n.starts_with("000_"));
    let all_path = report_of(tmp.path(), "all", |_| true);
    let (without, all) = (statements(&without_path), statements(&all_path));
    let mut kept = 0;
    for s in &without {
        let now = ids_holding(&all, s);
        let joined = all
            .iter()
            .any(|t| now.contains(&t.id.as_str()) && t.has_member_in("000_"));
        if !joined {
            assert_eq!(now, [s.id.as_str()], "{} changed its id", s.id);
            kept += 1;
        }
    }
    assert!(kept > 10, "most statements do not involve 000");
    let json = diff_json(tmp.path(), &without_path, &all_path);
    assert_eq!(json["documents_added"][0]["id"], "000_ad269960ebcb6093");
    let renamed = json["renamed"].as_array().unwrap();
    assert!(!renamed.is_empty(), "000 joins statements: {json:#}");
    for r in renamed {
        let new = all.iter().find(|s| s.id == r["new"]).unwrap();
        assert!(new.has_member_in("000_"), "{r} renamed: {json:#}");
    }
}

// ---------------------------------------------------------------------------------------
// docs/ci.md's workflow, run step by step.

#[derive(Debug, Default)]
struct Step {
    name: String,
    uses: Option<String>,
    run: Option<String>,
    path: Option<String>,
}

/// The steps of the YAML between the ci-workflow markers of docs/ci.md.
fn workflow_steps() -> Vec<Step> {
    let doc = std::fs::read_to_string(root().join("docs/ci.md")).unwrap();
    let start = doc
        .find("<!-- ci-workflow:start -->")
        .expect("start marker");
    let end = doc.find("<!-- ci-workflow:end -->").expect("end marker");
    let yaml = &doc[start..end];
    let indent = |l: &str| l.len() - l.trim_start().len();
    let lines: Vec<&str> = yaml.lines().collect();
    let mut steps: Vec<Step> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let t = line.trim();
        if let Some(name) = t.strip_prefix("- name:") {
            steps.push(Step {
                name: name.trim().to_string(),
                ..Step::default()
            });
        } else if let Some(step) = steps.last_mut() {
            if let Some(u) = t.strip_prefix("uses:") {
                step.uses = Some(u.trim().to_string());
            } else if let Some(p) = t.strip_prefix("path:") {
                step.path = Some(p.trim().to_string());
            } else if t == "run: |" {
                let key = indent(line);
                let mut script = String::new();
                while i + 1 < lines.len()
                    && (lines[i + 1].trim().is_empty() || indent(lines[i + 1]) > key)
                {
                    i += 1;
                    let l = lines[i];
                    script.push_str(l.get(key + 2..).unwrap_or("").trim_end());
                    script.push('\n');
                }
                step.run = Some(script.trim_end().to_string() + "\n");
            } else if let Some(r) = t.strip_prefix("run:") {
                step.run = Some(r.trim().to_string() + "\n");
            }
        }
        i += 1;
    }
    steps
}

fn git(dir: &Path, args: &[&str]) {
    let o = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .env("GIT_AUTHOR_NAME", "ci test")
        .env("GIT_AUTHOR_EMAIL", "ci@example.invalid")
        .env("GIT_COMMITTER_NAME", "ci test")
        .env("GIT_COMMITTER_EMAIL", "ci@example.invalid")
        .output()
        .expect("git runs");
    assert!(o.status.success(), "git {args:?}: {}", stderr(&o));
}

/// A scratch repository: `main` with the seeds and their built site, pushed to `origin`.
struct Scratch {
    _tmp: tempfile::TempDir,
    repo: PathBuf,
    bin: PathBuf,
    runner_temp: PathBuf,
    summary: PathBuf,
}

impl Scratch {
    fn new() -> Scratch {
        let tmp = tempfile::tempdir().unwrap();
        let repo = tmp.path().join("work");
        let origin = tmp.path().join("origin.git");
        let bin = tmp.path().join("bin");
        let runner_temp = tmp.path().join("runner-temp");
        for d in [&repo, &origin, &bin, &runner_temp] {
            std::fs::create_dir_all(d).unwrap();
        }
        std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_compare"), bin.join("compare")).unwrap();
        git(&origin, &["init", "-q", "--bare", "-b", "main"]);
        git(&repo, &["init", "-q", "-b", "main"]);
        built(&repo);
        git(&repo, &["add", "."]);
        git(&repo, &["commit", "-q", "-m", "seeds and their site"]);
        git(
            &repo,
            &["remote", "add", "origin", origin.to_str().unwrap()],
        );
        git(&repo, &["push", "-q", "origin", "main"]);
        git(&repo, &["checkout", "-q", "-b", "pull-request"]);
        let summary = tmp.path().join("step-summary.md");
        Scratch {
            _tmp: tmp,
            repo,
            bin,
            runner_temp,
            summary,
        }
    }

    fn commit(&self, message: &str) {
        git(&self.repo, &["add", "-A"]);
        git(&self.repo, &["commit", "-q", "-m", message]);
    }

    /// Run the workflow's steps in order as GitHub would, until one fails: its name and
    /// exit code.
    fn run_workflow(&self) -> Result<(), (String, Option<i32>, String)> {
        let steps = workflow_steps();
        let path = format!(
            "{}:{}",
            self.bin.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        for step in &steps {
            if let Some(uses) = &step.uses {
                if uses.starts_with("actions/upload-artifact") {
                    let p = step.path.as_deref().expect("upload has a path");
                    assert!(self.repo.join(p).join("index.html").is_file(), "{p} exists");
                }
                continue;
            }
            let script = step.run.as_deref().expect("a step runs or uses");
            if script.starts_with("cargo ") {
                continue; // the binary under test is on PATH instead
            }
            let o = Command::new("bash")
                .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
                .current_dir(&self.repo)
                .env("PATH", &path)
                .env("RUNNER_TEMP", &self.runner_temp)
                .env("GITHUB_STEP_SUMMARY", &self.summary)
                .env("CI", "true")
                .env_remove("GIT_DIR")
                .env_remove("GIT_WORK_TREE")
                .env_remove("GIT_INDEX_FILE")
                .output()
                .unwrap();
            if !o.status.success() {
                return Err((step.name.clone(), o.status.code(), stdout(&o) + &stderr(&o)));
            }
        }
        Ok(())
    }

    fn summary(&self) -> String {
        std::fs::read_to_string(&self.summary).unwrap_or_default()
    }
}

#[test]
fn the_documented_workflow_has_the_steps_the_issue_asks_for() {
    let steps = workflow_steps();
    let names: Vec<&str> = steps.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Check out",
            "Install the Rust toolchain",
            "Install compare",
            "Fetch the main branch's report as the baseline",
            "Build the site",
            "Publish the site",
            "Summarise the changes against main",
            "Fail on new conflicts",
            "Check the committed site is up to date",
        ]
    );
    let all: String = steps.iter().filter_map(|s| s.run.clone()).collect();
    for needle in [
        "git show origin/main:site/report.json",
        "--format markdown >> \"$GITHUB_STEP_SUMMARY\"",
        "compare build --fail-on new-conflict --baseline",
    ] {
        assert!(all.contains(needle), "{needle} in {all}");
    }
}

#[cfg(unix)]
#[test]
fn the_documented_workflow_passes_on_an_unchanged_corpus() {
    let s = Scratch::new();
    s.run_workflow().expect("every step passes");
    let summary = s.summary();
    assert!(summary.contains("✓ No new conflicts."), "{summary}");
    assert!(
        summary.contains("No differences a reviewer would see."),
        "{summary}"
    );
}

#[cfg(unix)]
#[test]
fn the_documented_workflow_fails_on_a_new_conflict_after_publishing_the_summary() {
    let s = Scratch::new();
    make_conflict(&s.repo);
    assert!(compare(&s.repo, &["build"]).status.success());
    s.commit("000: the call was in February");
    let (step, code, log) = s.run_workflow().expect_err("the gate fails");
    assert_eq!(
        (step.as_str(), code),
        ("Fail on new conflicts", Some(1)),
        "{log}"
    );
    assert!(log.contains("1 conflict absent from the baseline"), "{log}");
    let summary = s.summary();
    assert!(summary.contains("#### New conflicts (1)"), "{summary}");
    assert!(
        summary.contains("`date-000_ad269960ebcb6093-s9`"),
        "{summary}"
    );
}

#[cfg(unix)]
#[test]
fn the_documented_workflow_fails_when_the_committed_site_is_stale() {
    let s = Scratch::new();
    // A change without a new conflict (001's French troops are single-source), committed
    // without rebuilding site/.
    edit_seed(&s.repo, "001_", "1500 جندي", "1600 جندي");
    s.commit("001: 1600 French troops");
    let (step, code, log) = s.run_workflow().expect_err("the site check fails");
    assert_eq!(
        (step.as_str(), code),
        ("Check the committed site is up to date", Some(1)),
        "{log}"
    );
    assert!(s.summary().contains("✓ No new conflicts."));
}

/// Build `seeds` (from the repository root) into `dir/name` with the shipped rules; the
/// report's path, relative to `dir`.
fn build_into(dir: &Path, seeds: &str, name: &str) -> String {
    std::fs::copy(root().join("rules.toml"), dir.join("rules.toml")).unwrap();
    let seeds = root().join(seeds);
    let o = compare(
        dir,
        &["build", "--seeds", seeds.to_str().unwrap(), "--out", name],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    format!("{name}/report.json")
}

/// `compare diff` in each format, on reports under `dir`.
fn diff_formats(dir: &Path, old: &str, new: &str) -> [String; 3] {
    ["text", "markdown", "json"].map(|format| {
        let o = compare(dir, &["diff", old, new, "--format", format]);
        assert!(o.status.success(), "{}", stderr(&o));
        stdout(&o)
    })
}

/// The fixture `conflict-before` is `conflict` with Sahel Journal agreeing on 1500 soldiers
/// and spelling تياني as listed, and النهار اليومية reporting one more sentence: against it,
/// `conflict` has a new conflict, a new spelling and two claims lost. The diff says so in
/// words (statements by their type and values as the pages write them, outlets, files,
/// lines and the sentence), with the ids after them for reference.
#[test]
fn diff_reads_in_words_on_a_fixture() {
    let tmp = tempfile::tempdir().unwrap();
    let old = build_into(tmp.path(), "tests/fixtures/conflict-before", "before");
    let new = build_into(tmp.path(), "tests/fixtures/conflict", "after");
    let [text, md, json] = diff_formats(tmp.path(), &old, &new);
    insta::assert_snapshot!("diff_fixture_text", text);
    insta::assert_snapshot!("diff_fixture_markdown", md);
    insta::assert_snapshot!("diff_fixture_json", json);
    assert!(
        text.contains("✗ troops: 1500 soldiers (FR) vs 2000 soldiers (FR)"),
        "{text}"
    );
    assert!(!text.contains("\n  ✗ troops-"), "{text}");
}

/// On the seeds, a date moved by a month makes a conflict: the diff names it by its dates
/// and the outlets that give them.
#[test]
fn diff_reads_in_words_on_the_seeds() {
    let tmp = seeds_with_a_new_conflict();
    assert!(compare(tmp.path(), &["build"]).status.success());
    let [text, md, _] = diff_formats(tmp.path(), "base.json", "site/report.json");
    insta::assert_snapshot!("diff_seeds_text", text);
    insta::assert_snapshot!("diff_seeds_markdown", md);
}

/// `compare diff` reads the rules it finds in its folder only for the counts' plural:
/// rules.toml being edited (not loading) does not stop the diff, which warns and writes
/// counts in the singular; rules asked for with --rules must load.
#[test]
fn diff_goes_on_when_the_rules_it_finds_do_not_load() {
    let tmp = seeds_with_a_new_conflict();
    assert!(compare(tmp.path(), &["build"]).status.success());
    std::fs::write(tmp.path().join("rules.toml"), "broken = [\n").unwrap();
    let o = compare(tmp.path(), &["diff", "base.json", "site/report.json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("warning: rules.toml does not load"),
        "{}",
        stderr(&o)
    );
    assert!(stdout(&o).contains("date: 2024-02-26"), "{}", stdout(&o));
    let o = compare(
        tmp.path(),
        &[
            "diff",
            "base.json",
            "site/report.json",
            "--rules",
            "rules.toml",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

/// `build --fail-on conflict` lists each conflict of the fixture as `compare diff` does:
/// by its type and values in words, the reason, each outlet with its file, line, date,
/// value and the words around it, and its link into the site written (the id as anchor);
/// with `--fail-on new-conflict`, the baseline's values are in words too.
#[test]
fn fail_on_conflict_reads_in_words_on_a_fixture() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy(root().join("rules.toml"), tmp.path().join("rules.toml")).unwrap();
    let seeds = root().join("tests/fixtures/conflict");
    let o = build_seeds(tmp.path(), &seeds, &["--fail-on", "conflict"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    insta::assert_snapshot!("fail_on_conflict_fixture", err);
    assert!(
        err.contains("\n  ✗ troops: 1500 soldiers (FR) vs 2000 soldiers (FR)"),
        "{err}"
    );
    assert!(
        err.contains("    at site/statements/no-story.html#troops-a_wakala-s2\n"),
        "{err}"
    );
    assert!(!err.contains("\n  ✗ troops-"), "{err}");

    // Against the report of `conflict-before`, where Sahel Journal gave 1500 soldiers, the
    // baseline's value reads in the words of the rules too.
    let base = build_into(tmp.path(), "tests/fixtures/conflict-before", "before");
    let o = build_seeds(
        tmp.path(),
        &seeds,
        &["--fail-on", "new-conflict", "--baseline", &base],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains(
            "    Sahel Journal (b_journal.md, line 8, 2023-12-23): 2000 soldiers (FR) (was 1500 soldiers (FR))\n"
        ),
        "{err}"
    );
}

/// `build --fail-on new-conflict` on the seeds with a date moved by a month: the conflict
/// reads as in `compare diff` against the same baseline, with its verdict there and the
/// baseline's value in words.
#[test]
fn fail_on_new_conflict_reads_in_words_on_the_seeds() {
    let tmp = seeds_with_a_new_conflict();
    let o = compare(tmp.path(), &GATE);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    insta::assert_snapshot!("fail_on_new_conflict_seeds", err);
    // Each statement as the diff shows it under "New conflicts", the link aside.
    let diff = stdout(&compare(
        tmp.path(),
        &["diff", "base.json", "site/report.json"],
    ));
    let listed = diff
        .split("New conflicts (1):\n")
        .nth(1)
        .and_then(|rest| rest.split("    at ").next())
        .unwrap();
    assert!(err.contains(listed), "{err}\n---\n{diff}");
}

/// The findings name each article's file, which may hold anything: its control characters
/// are written out rather than sent to the terminal (article text has them replaced with
/// spaces when read).
#[test]
fn fail_on_findings_write_control_characters_out() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy(root().join("rules.toml"), tmp.path().join("rules.toml")).unwrap();
    let seeds = tmp.path().join("seeds");
    std::fs::create_dir(&seeds).unwrap();
    for (from, to) in [
        ("a_wakala.md", "a_wakala.md"),
        ("b_journal.md", "b_\u{1b}[2J\u{7}.md"),
        ("c_daily.txt", "c_daily.txt"),
    ] {
        std::fs::copy(
            root().join("tests/fixtures/conflict").join(from),
            seeds.join(to),
        )
        .unwrap();
    }
    let o = compare(tmp.path(), &["build", "--fail-on", "conflict"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(!err.contains(['\u{1b}', '\u{7}']), "{err:?}");
    assert!(
        err.contains("Sahel Journal (b_\\u{1b}[2J\\u{7}.md, line 8, 2023-12-23)"),
        "{err}"
    );
}

/// A corpus with more failing statements than `build --fail-on` writes out in full gives
/// the first ones and says how many more there are and where: a CI log of a monitoring
/// desk's corpus (44 000 conflicts at 100 000 articles) stays short.
#[test]
fn fail_on_writes_out_the_first_conflicts_and_counts_the_rest() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy(root().join("rules.toml"), tmp.path().join("rules.toml")).unwrap();
    let corpus = tmp.path().join("corpus");
    compare::gen::generate(&compare::gen::GenOptions {
        stories: 40,
        seed: 1,
        out: corpus.clone(),
        force: false,
    })
    .expect("generation succeeds");
    let seeds = corpus.join("seeds");
    let o = build_seeds(tmp.path(), &seeds, &["--fail-on", "conflict"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    let first = err.lines().next().unwrap_or_default();
    let total: usize = first
        .strip_prefix("error: ")
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("a count of conflicts: {first}"));
    let shown = compare::review::FINDINGS_SHOWN;
    assert!(total > shown, "the corpus has more than {shown}: {first}");
    assert_eq!(err.matches("\n  ✗ ").count(), shown, "{err}");
    assert!(
        err.contains(&format!(
            "\n  … and {} more, not written out here: `--format json` lists them all",
            total - shown
        )),
        "{err}"
    );
    let json = build_seeds(
        tmp.path(),
        &seeds,
        &["--fail-on", "conflict", "--format", "json"],
    );
    let summary: serde_json::Value =
        serde_json::from_slice(&json.stdout).expect("one JSON object on stdout");
    assert_eq!(
        summary["findings"].as_array().map(Vec::len),
        Some(total),
        "{summary}"
    );
}
