//! Bad input, hostile input, and never losing the previous site (issue 6), through the
//! real binary in a temporary folder: each case of the issue, with the exact message a
//! user reads where the message is the point. docs/robustness.md maps cases to tests.
//!
//! No test asserts on time. Sizes stay small enough for a busy two-core machine; where
//! a quadratic step could hide, a test compares a deterministic measure (claims, bytes
//! written, the largest page) at two sizes. The full-size runs (a 50 MB one-line article,
//! 10 000 articles) are in benches/large.sh.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A sentence with a troops claim, for articles that need one.
const TROOPS: &str = "أرسلت روسيا 1500 جندي إلى النيجر.";

/// A scratch folder with `seeds/`, the shipped `rules.toml` and a home folder of its own,
/// where compare runs as a user would run it.
struct Scratch {
    tmp: tempfile::TempDir,
}

/// What one run of compare printed and returned.
#[derive(Debug)]
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    fn of(o: std::process::Output) -> Run {
        let run = Run {
            code: o.status.code(),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        };
        // `main` prints each error once: nothing is labelled twice, whatever went wrong.
        assert!(
            !run.stderr.contains("error: error:") && !run.stderr.contains("warning: warning:"),
            "{}",
            run.stderr
        );
        run
    }

    fn ok(&self) -> &Run {
        assert_eq!(self.code, Some(0), "stderr: {}", self.stderr);
        self
    }

    fn fails(&self) -> &Run {
        assert_eq!(self.code, Some(2), "stderr: {}", self.stderr);
        assert_eq!(self.stdout, "");
        self
    }

    fn says(&self, text: &str) -> &Run {
        assert!(
            self.stderr.contains(text),
            "no {text:?} in: {}",
            self.stderr
        );
        self
    }
}

impl Scratch {
    fn new() -> Scratch {
        let s = Scratch {
            tmp: tempfile::tempdir().expect("temporary folder"),
        };
        std::fs::create_dir_all(s.path("seeds")).unwrap();
        std::fs::create_dir_all(s.path("home")).unwrap();
        std::fs::copy(root().join("rules.toml"), s.path("rules.toml")).unwrap();
        s
    }

    /// A scratch folder holding the shipped seeds.
    fn with_seeds() -> Scratch {
        let s = Scratch::new();
        for entry in std::fs::read_dir(root().join("seeds")).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), s.path("seeds").join(entry.file_name())).unwrap();
        }
        s
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.tmp.path().join(rel)
    }

    fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_compare"));
        c.args(args)
            .current_dir(self.tmp.path())
            .env("HOME", self.path("home"))
            .env_remove("COMPARE_FAIL_AFTER_WRITE")
            .env_remove("COMPARE_STALL_AFTER_WRITE");
        c
    }

    fn run_with(&self, args: &[&str], env: &[(&str, &Path)]) -> Run {
        let mut c = self.command(args);
        for (k, v) in env {
            c.env(k, v);
        }
        Run::of(c.output().expect("run compare"))
    }

    fn run(&self, args: &[&str]) -> Run {
        self.run_with(args, &[])
    }

    fn build(&self) -> Run {
        self.run(&["build"])
    }

    /// [`Scratch::run`], for a command that might wait forever (on a pipe, say): a guard
    /// ends it and fails the test instead of hanging CI. Not a time budget.
    fn run_guarded(&self, args: &[&str]) -> Run {
        let mut child = self
            .command(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start compare");
        for _ in 0..12_000 {
            if child.try_wait().unwrap().is_some() {
                return Run::of(child.wait_with_output().unwrap());
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let _ = child.kill();
        panic!("{args:?} is still waiting, on a pipe or a device");
    }

    /// Start a build that stops right after writing `at` (see `site::Sink`), and wait
    /// until it is there: a build known to be killed midway.
    fn stalled_build(&self, at: &str, reached: impl Fn() -> bool) -> Child {
        let mut build = self.command(&["build"]);
        build.stderr(Stdio::null());
        self.stalled(build, at, reached)
    }

    /// [`Scratch::stalled_build`] of a `compare build` command set up by the caller.
    fn stalled(&self, mut build: Command, at: &str, reached: impl Fn() -> bool) -> Child {
        let mut child = build
            .env("COMPARE_STALL_AFTER_WRITE", at)
            .stdout(Stdio::null())
            .spawn()
            .expect("start compare");
        // Not a time budget: a guard so a broken stall fails instead of hanging CI.
        for _ in 0..12_000 {
            if reached() {
                return child;
            }
            if let Ok(Some(status)) = child.try_wait() {
                panic!("the build ended ({status}) before it reached {at}");
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let _ = child.kill();
        panic!("the build never reached {at}");
    }

    /// The folders builds keep beside `site/`: `.site.compare-new-PID`, `-old-PID`.
    fn siblings(&self) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(self.tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".site.compare-"))
            .collect();
        v.sort();
        v
    }

    /// Whether a build's folder beside `site/` holds `file`: the build got that far.
    fn written_by_a_build(&self, file: &str) -> bool {
        self.siblings()
            .iter()
            .any(|d| self.path(d).join(file).exists())
    }

    /// Whether a build moved the old site aside: it is between the two renames of its swap.
    fn old_site_moved_aside(&self) -> bool {
        self.siblings()
            .iter()
            .any(|d| d.starts_with(".site.compare-old-"))
    }

    /// Kill a build between the two renames of its swap: it leaves the old site moved
    /// aside, its new site whole beside it, and no `site/`.
    fn kill_a_build_in_its_swap(&self) {
        let mut child = self.stalled_build("(swap)", || self.old_site_moved_aside());
        child.kill().unwrap();
        child.wait().unwrap();
        assert!(
            !self.path("site").exists(),
            "killed with the old site moved aside"
        );
    }

    fn report(&self) -> serde_json::Value {
        let text = std::fs::read_to_string(self.path("site/report.json")).expect("report.json");
        serde_json::from_str(&text).expect("report.json is JSON")
    }
}

/// Every file under `dir`, by relative path.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                let rel = path.strip_prefix(base).unwrap().to_string_lossy();
                out.insert(rel.replace('\\', "/"), std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// Claims of a report as (document, kind, value shown).
fn claims(report: &serde_json::Value) -> Vec<(String, String, String)> {
    report["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["doc"].as_str().unwrap().to_string(),
                c["type"].as_str().unwrap().to_string(),
                c["display"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Deterministic bytes that look like noise (no dependency on a random crate).
fn noise(n: usize) -> Vec<u8> {
    let mut x: u32 = 0x2545_F491;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x >> 24) as u8
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Input files

#[test]
fn empty_blank_and_boilerplate_only_articles_build_with_a_warning_each() {
    let s = Scratch::new();
    s.write("seeds/a.txt", format!("{TROOPS}\n"));
    s.write("seeds/empty.txt", "");
    s.write("seeds/blank.txt", " \n\t\r\n  \n");
    s.write("seeds/ads.txt", "[إعلان 1]\nكلمات دلالية: النيجر، روسيا\n");
    let run = s.build();
    run.ok();
    for name in ["empty", "blank"] {
        run.says(&format!(
            "warning: seeds/{name}.txt: empty article: no text\n"
        ));
        // An empty file has no dates to resolve: no warning that it lacks one.
        assert!(
            !run.stderr
                .contains(&format!("seeds/{name}.txt: no publication date")),
            "{}",
            run.stderr
        );
    }
    run.says("warning: seeds/ads.txt: no article text left after boilerplate was set aside\n");
    let report = s.report();
    let notes = |i: usize| report["documents"][i]["notes"].to_string();
    let by_path = |p: &str| {
        (0..4)
            .find(|&i| report["documents"][i]["path"] == p)
            .expect(p)
    };
    assert!(notes(by_path("empty.txt")).contains("the file holds no text"));
    assert!(notes(by_path("ads.txt")).contains("no article text left after boilerplate"));
    assert_eq!(report["documents"].as_array().unwrap().len(), 4);
    assert_eq!(
        claims(&report),
        [("a".into(), "troops".into(), "1500 soldier (RU)".into())]
    );
    // Only empty files: nothing to blame on the boilerplate rules.
    std::fs::remove_file(s.path("seeds/a.txt")).unwrap();
    std::fs::remove_file(s.path("seeds/ads.txt")).unwrap();
    s.write("seeds/front.md", "+++\noutlet = \"A\"\n+++\n\n");
    let run = s.build();
    run.ok()
        .says("warning: seeds/front.md: empty article: no text after its front matter\n");
    assert!(!run.stderr.contains("[boilerplate]"), "{}", run.stderr);
}

#[test]
fn a_file_without_a_sentence_terminator_is_one_sentence_with_its_claims() {
    let s = Scratch::new();
    s.write("seeds/n.txt", "وصل 1500 جندي روسي إلى نيامي");
    s.build().ok();
    let report = s.report();
    let sentences = report["documents"][0]["sentences"].as_array().unwrap();
    assert_eq!(sentences.len(), 1);
    assert_eq!(sentences[0]["text"], "وصل 1500 جندي روسي إلى نيامي");
    assert_eq!(claims(&report)[0].2, "1500 soldier (RU)");
}

#[test]
fn invalid_utf8_is_an_error_naming_file_line_and_byte_or_with_lossy_a_warning() {
    let s = Scratch::new();
    s.write("seeds/a.txt", format!("{TROOPS}\n"));
    s.build().ok();
    let before = tree(&s.path("site"));
    // روسيا in Windows-1256.
    s.write("seeds/w.txt", b"ok\n\xD1\xE6\xD3\xED\xC7 1500\n");
    let expected = "error: seeds/w.txt:2: invalid UTF-8 at byte 3 (0xD1)\n  = help: save the file as UTF-8 (it may be Windows-1256 or another legacy encoding), or pass --lossy to replace bad bytes with U+FFFD\nerror: 1 article could not be read; nothing was written\n";
    assert_eq!(s.build().fails().stderr, expected);
    assert_eq!(tree(&s.path("site")), before, "the old site is untouched");
    // The seeds folder as the user wrote it, whatever it is.
    s.run(&["build", "--seeds", "./seeds/"])
        .fails()
        .says("error: ./seeds/w.txt:2: invalid UTF-8 at byte 3");
    s.run(&["explain", "seeds/w.txt"])
        .fails()
        .says("error: seeds/w.txt:2: invalid UTF-8 at byte 3 (0xD1)");

    let run = s.run(&["build", "--lossy"]);
    run.ok().says("warning: seeds/w.txt:2: invalid UTF-8 at byte 3 (0xD1); invalid bytes replaced with U+FFFD (--lossy)");
    let report = s.report();
    let w = report["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "w")
        .unwrap();
    assert!(w["sentences"].to_string().contains('\u{FFFD}'), "{w}");
}

#[test]
fn a_truncated_character_is_placed_by_line_and_by_byte_from_the_files_start() {
    let s = Scratch::new();
    // BOM, أ, lone CR, ب, lone CR, then the first byte of ج: byte 9 on line 3.
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend("أ\rب\r".as_bytes());
    bytes.push("ج".as_bytes()[0]);
    s.write("seeds/t.txt", bytes);
    s.build().fails().says(
        "error: seeds/t.txt:3: the file ends inside a UTF-8 character at byte 9 (truncated?)\n  = help: save the file as UTF-8",
    );
}

#[test]
fn bom_crlf_and_lone_cr_articles_read_like_lf_ones() {
    let s = Scratch::new();
    let lines = ["عنوان الخبر", TROOPS, "وقال مسؤول إن 200 مدرب وصلوا."];
    s.write("seeds/lf.txt", lines.join("\n"));
    s.write(
        "seeds/crlf.txt",
        format!("\u{FEFF}{}\r\n", lines.join("\r\n")),
    );
    s.write("seeds/cr.txt", format!("{}\r", lines.join("\r")));
    s.build().ok();
    let report = s.report();
    let docs = report["documents"].as_array().unwrap();
    let shape = |id: &str| {
        let d = docs.iter().find(|d| d["id"] == id).unwrap();
        (d["title"].clone(), d["sentences"].clone())
    };
    assert_eq!(shape("crlf"), shape("lf"));
    assert_eq!(shape("cr"), shape("lf"));
    assert!(!report.to_string().contains("\\r") && !report.to_string().contains('\u{FEFF}'));
    let values = |id: &str| {
        let mut v: Vec<_> = claims(&report)
            .into_iter()
            .filter(|c| c.0 == id)
            .map(|c| (c.1, c.2))
            .collect();
        v.sort();
        v
    };
    assert_eq!(values("crlf"), values("lf"));
    assert_eq!(values("cr"), values("lf"));
    assert_eq!(values("lf").len(), 2);
}

#[test]
fn nul_bytes_in_an_article_become_spaces_with_a_warning() {
    let s = Scratch::new();
    s.write(
        "seeds/n.txt",
        "عنوان\nأرسلت روسيا\u{0}1500 جندي إلى النيجر.\n",
    );
    s.build().ok().says(
        "warning: seeds/n.txt:2: NUL or other control characters in the text were replaced with spaces",
    );
    let report = s.report();
    assert!(!report.to_string().contains("\\u0000"));
    assert_eq!(claims(&report)[0].2, "1500 soldier (RU)");
}

#[test]
fn binary_files_named_txt_are_refused_even_with_lossy() {
    let s = Scratch::new();
    s.write("seeds/a.txt", format!("{TROOPS}\n"));
    let exe = std::fs::read(env!("CARGO_BIN_EXE_compare")).unwrap();
    s.write("seeds/program.txt", &exe[..4096.min(exe.len())]);
    let mut png = b"\x89PNG\r\n\x1A\n".to_vec();
    png.extend(noise(4000));
    s.write("seeds/picture.txt", png);
    s.write("seeds/zeros.txt", [0u8; 512]);
    s.write("seeds/noise.md", noise(4000));
    for args in [&["build"][..], &["build", "--lossy"][..]] {
        let run = s.run(args);
        run.fails()
            .says("error: seeds/noise.md: this looks like a binary file, not an article: ")
            .says("error: seeds/picture.txt: this looks like a binary file, not an article: it starts like a PNG image\n  = help: remove it from the seeds folder, or rename it to an extension other than .txt or .md")
            .says("error: seeds/program.txt: this looks like a binary file, not an article: it starts like an ELF executable")
            .says("error: seeds/zeros.txt: this looks like a binary file, not an article: 512 NUL bytes")
            .says("error: 4 articles could not be read; nothing was written");
    }
    assert!(!s.path("site").exists());
}

/// A link to nowhere named like an article is an article that cannot be read: the build
/// names it, says what to do, and writes nothing.
#[cfg(unix)]
#[test]
fn a_link_to_nowhere_named_like_an_article_is_reported_not_skipped() {
    let s = Scratch::new();
    s.write("seeds/a.txt", format!("{TROOPS}\n"));
    std::os::unix::fs::symlink("../nowhere.txt", s.path("seeds/gone.txt")).unwrap();
    s.build()
        .fails()
        .says("error: seeds/gone.txt: cannot read: No such file or directory (os error 2)\n  = help: check that the file exists and is readable")
        .says("error: 1 article could not be read; nothing was written");
    assert!(!s.path("site").exists());
}

/// A named pipe or a link to a device, named like an article, is refused by what it is:
/// opening the pipe would wait for a writer forever, reading `/dev/zero` would never end.
#[cfg(unix)]
#[test]
fn pipes_and_devices_named_like_articles_are_refused_not_waited_on() {
    let s = Scratch::new();
    s.write("seeds/a.txt", format!("{TROOPS}\n"));
    let fifo = std::ffi::CString::new(
        s.path("seeds/pipe.md")
            .into_os_string()
            .into_encoded_bytes(),
    )
    .unwrap();
    // SAFETY: a valid C string; mkfifo only creates the pipe.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0, "mkfifo");
    std::os::unix::fs::symlink("/dev/zero", s.path("seeds/zero.txt")).unwrap();
    s.run_guarded(&["build"])
        .fails()
        .says("error: seeds/pipe.md: not an ordinary file (a pipe, socket or device)\n  = help: put the article's text in an ordinary .txt or .md file, or move this out of the seeds folder")
        .says("error: seeds/zero.txt: not an ordinary file (a pipe, socket or device)")
        .says("error: 2 articles could not be read; nothing was written");
    assert!(!s.path("site").exists());
}

/// A pipe or a device given as the rules (`--rules`) or as the baseline (`--baseline`)
/// is refused by what it is, not waited on or read without end.
#[cfg(unix)]
#[test]
fn pipes_and_devices_as_rules_or_baseline_are_refused_not_waited_on() {
    let s = Scratch::new();
    s.write("seeds/a.txt", format!("{TROOPS}\n"));
    let fifo =
        std::ffi::CString::new(s.path("pipe.toml").into_os_string().into_encoded_bytes()).unwrap();
    // SAFETY: a valid C string; mkfifo only creates the pipe.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0, "mkfifo");
    std::os::unix::fs::symlink("/dev/zero", s.path("zero.toml")).unwrap();
    for rules in ["pipe.toml", "zero.toml"] {
        for command in ["check", "build"] {
            let run = s.run_guarded(&[command, "--rules", rules]);
            assert_ne!(run.code, Some(0), "{command} --rules {rules}");
            run.says(&format!(
                "cannot read rules file {rules}: not an ordinary file (a pipe, socket or device)\n  = help: pass --rules with an ordinary file, such as rules.toml"
            ));
        }
    }
    s.run_guarded(&[
        "build",
        "--fail-on",
        "new-conflict",
        "--baseline",
        "pipe.toml",
    ])
    .fails()
    .says("cannot read pipe.toml: not an ordinary file (a pipe, socket or device)");
    assert!(!s.path("site").exists());
}

/// A site compare wrote, found inside the seeds (`--seeds .` beside `site/`, or a site
/// moved there), is not read as articles: its report.md would be one more outlet,
/// agreeing with every other. A warning says it was passed over.
#[test]
fn a_site_inside_the_seeds_is_not_read_as_articles() {
    let s = Scratch::with_seeds();
    s.build().ok();
    let before = s.report();
    std::fs::rename(s.path("site"), s.path("seeds/old-site")).unwrap();
    s.build().ok().says(
        "warning: seeds/old-site: a site written by compare is not read as articles\n  = help: keep the site out of the seeds folder (--out), or pass --seeds with the articles' own folder",
    );
    let after = s.report();
    assert_eq!(after["corpus"], before["corpus"]);
    assert_eq!(after["statements"], before["statements"]);
}

/// A README beside the articles describes them and is not one: it is passed over with a
/// warning (read, it was one more source of unknown outlet). `--seeds .` in a project
/// folder is named as such, since its docs would be read as articles.
#[test]
fn a_readme_is_not_read_as_an_article() {
    let s = Scratch::new();
    s.write("seeds/a.txt", format!("{TROOPS}\n"));
    s.write("seeds/README.md", format!("# المصادر\n\n{TROOPS}\n"));
    s.write("seeds/sub/readme.TXT", format!("{TROOPS}\n"));
    // Only a README itself: notes about the articles are read as the article they are.
    s.write("seeds/readme-notes.txt", format!("{TROOPS}\n"));
    let run = s.build();
    run.ok()
        .says("warning: seeds/README.md: a README is not read as an article\n  = help: if it is an article, give it another name")
        .says("warning: seeds/sub/readme.TXT: a README is not read as an article");
    assert!(
        !run.stderr.contains("seeds folder holds a folder"),
        "{}",
        run.stderr
    );
    let report = s.report();
    let paths: Vec<&str> = report["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["a.txt", "readme-notes.txt"]);
    // `explain` reads it, but says the build does not.
    let explained = s.run(&["explain", "seeds/README.md"]);
    assert!(
        explained
            .ok()
            .stdout
            .contains("warning: seeds/README.md: `compare build` passes a README over"),
        "{}",
        explained.stdout
    );

    s.write("README.md", "# مشروع\n");
    // The site cannot go inside the seeds folder: elsewhere.
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let run = s.run(&["build", "--seeds", ".", "--out", site.to_str().unwrap()]);
    let project = "warning: seeds: the folder given as --seeds (.) holds a folder named `seeds`, as a project folder does: every .txt, .md and .markdown file under it, the project's docs too, is read as an article\n  = help: pass --seeds seeds if the articles are there";
    run.ok()
        .says("warning: README.md: a README is not read as an article")
        .says(project);
}

/// Page markup an article brings with it never takes the article's text: an inline
/// `<script>` or an HTML comment left open, or a `<` that opens no tag, in a Markdown
/// article. The text after each is read, its claims found.
#[test]
fn unclosed_scripts_and_comments_in_markdown_keep_the_text_after_them() {
    let s = Scratch::new();
    s.write(
        "seeds/a.md",
        "+++\noutlet = \"A\"\npublished = 2024-04-12\n+++\nوصل 1500 جندي فرنسي إلى نيامي <script> x.\n\nوأعلنت النيجر أن 300 جندي أميركي غادروا.\n\n<!-- مساحة إعلانية\n\nوقال الجيش إن 200 جندي روسي وصلوا.\n",
    );
    s.write(
        "seeds/b.md",
        "+++\noutlet = \"B\"\npublished = 2024-04-12\n+++\n<div>قتل <500 جندي من قوة قوامها 700 جندي.</div>\n",
    );
    s.build().ok();
    let report = s.report();
    let claims: Vec<(&str, &str)> = report["claims"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["type"] == "troops")
        .map(|c| (c["doc"].as_str().unwrap(), c["text"].as_str().unwrap()))
        .collect();
    for (doc, text) in [
        ("a", "1500 جندي فرنسي"),
        ("a", "300 جندي أميركي"),
        ("a", "200 جندي روسي"),
        ("b", "700 جندي"),
    ] {
        assert!(
            claims.iter().any(|(d, t)| *d == doc && t.contains(text)),
            "{doc}: {text} not found in {claims:?}"
        );
    }
}

/// Front matter is front matter though its `+++` lines end in spaces or come after blank
/// lines: read as text, the outlet and date would be lost without a word.
#[test]
fn front_matter_with_trailing_spaces_or_leading_blank_lines_is_read() {
    let s = Scratch::new();
    s.write(
        "seeds/a.md",
        format!("+++ \noutlet = \"وكالة أ\"\npublished = 2024-04-12\n+++\t\n{TROOPS}\n"),
    );
    s.write(
        "seeds/b.md",
        format!("\n+++\noutlet = \"وكالة ب\"\npublished = 2024-04-13\n+++\n{TROOPS}\n"),
    );
    s.build().ok();
    let report = s.report();
    let docs: Vec<(&str, &str, &str)> = report["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["outlet"].as_str().unwrap(),
                d["published"].as_str().unwrap_or("none"),
                d["title"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        docs,
        [
            ("وكالة أ", "2024-04-12", TROOPS),
            ("وكالة ب", "2024-04-13", TROOPS)
        ]
    );
}

/// A story key too long for a file name (250 ASCII characters) names its pages in bounds.
#[test]
fn a_long_story_key_builds_its_pages() {
    let s = Scratch::new();
    let story = "niger russia military cooperation ".repeat(8);
    for (name, outlet) in [("a", "A"), ("b", "B")] {
        s.write(
            &format!("seeds/{name}.md"),
            format!("+++\noutlet = \"{outlet}\"\npublished = 2024-04-12\nstory = \"{story}\"\n+++\n{TROOPS}\n"),
        );
    }
    s.build().ok();
    let report = s.report();
    // The key as written, less the space at its end.
    assert_eq!(report["documents"][0]["story"], story.trim_end());
    let longest = std::fs::read_dir(s.path("site/statements"))
        .unwrap()
        .map(|e| e.unwrap().file_name().len())
        .max()
        .unwrap();
    assert!(longest < 150, "{longest}");
}

/// An outlet named with a bidi override (U+202E) cannot turn a verdict's reason around:
/// the control is written out on the pages.
#[test]
fn a_bidi_override_in_an_outlet_name_is_shown_not_obeyed() {
    let s = Scratch::new();
    s.write(
        "seeds/a.md",
        "+++\noutlet = \"Evil\\u202E\"\npublished = 2024-04-12\n+++\nوصل 1500 جندي فرنسي إلى نيامي.\n",
    );
    s.write(
        "seeds/b.md",
        "+++\noutlet = \"Other\"\npublished = 2024-04-12\n+++\nوصل 2000 جندي فرنسي إلى نيامي.\n",
    );
    s.build().ok();
    let site = std::fs::read_to_string(s.path("site/index.html")).unwrap()
        + &std::fs::read_to_string(s.path("site/report.md")).unwrap();
    assert!(!site.contains('\u{202e}'), "the override reached the pages");
    assert!(site.contains("Evil\\u{202e}"), "the outlet is not shown");
}

// ---------------------------------------------------------------------------------------
// Size and nesting

/// One article on one line: `copies` times the same paragraph of prose with claims,
/// after a dateline.
fn one_line_article(copies: usize) -> String {
    let paragraph = "أفاد التلفزيون الرسمي بوصول 100 مدرب عسكري روسي إلى نيامي. وأكد الجيش أن 1500 جندي فرنسي غادروا البلاد في ديسمبر 2023. وقال مسؤول إن المساعدات بلغت 3 ملايين دولار. ";
    format!(
        "تاريخ النشر: 12th, April 2024 GMT {}",
        paragraph.repeat(copies)
    )
}

fn site_bytes(files: &BTreeMap<String, Vec<u8>>) -> usize {
    files.values().map(Vec::len).sum()
}

/// The 50 MB one-line article, scaled down: the work must grow with the text, never with
/// its square. Claims and bytes written double when the article doubles, and no overview
/// page grows (the title is cut, lists are paged). benches/large.sh runs the full size.
#[test]
fn a_long_one_line_article_is_read_in_linear_work_with_bounded_pages() {
    let mut measured = Vec::new();
    for copies in [400, 800] {
        let s = Scratch::new();
        s.write("seeds/long.txt", one_line_article(copies));
        s.build().ok();
        let report = s.report();
        let doc = &report["documents"][0];
        // Its dateline gives the date and is set aside, not the whole one-line article.
        assert_eq!(doc["published"], "2024-04-12");
        let excluded = doc["excluded"].as_array().unwrap();
        assert_eq!(excluded.len(), 1, "{excluded:?}");
        assert_eq!(excluded[0]["text"], "تاريخ النشر: 12th, April 2024");
        assert!(doc["title"].as_str().unwrap().chars().count() <= 201);
        let files = tree(&s.path("site"));
        measured.push((
            report["claims"].as_array().unwrap().len(),
            site_bytes(&files),
            files["index.html"].len(),
        ));
    }
    let [(claims1, bytes1, index1), (claims2, bytes2, index2)] = measured[..] else {
        unreachable!()
    };
    assert!(claims1 >= 3 * 400, "{claims1} claims");
    assert_eq!(claims2, 2 * claims1, "claims double with the text");
    let ratio = bytes2 as f64 / bytes1 as f64;
    assert!(
        (1.8..2.2).contains(&ratio),
        "site bytes {bytes1} → {bytes2}"
    );
    assert!(
        index2 as f64 <= index1 as f64 * 1.05,
        "index.html {index1} → {index2}: it must not grow with the article"
    );
}

/// A word of its own for article `i`, so that no two articles share a topic.
fn word(i: usize) -> String {
    let letters: Vec<char> = "بتثجحخدذرزسشصضطظعغفقكلمن".chars().collect();
    let n = letters.len();
    [i % n, (i / n) % n, (i / n / n) % n]
        .iter()
        .map(|&k| letters[k])
        .chain("ان".chars())
        .collect()
}

/// 10 000 articles each with its own outlet, scaled down to 150 and 300: past a dozen
/// outlets, no page has a column or a name per outlet (coverage, silent outlets, name
/// spellings), so the largest page does not grow with the number of outlets.
/// benches/large.sh runs the full size.
#[test]
fn many_outlets_do_not_widen_any_page() {
    let mut largest_statement = Vec::new();
    for n in [150, 300] {
        let s = Scratch::new();
        for i in 0..n {
            s.write(
                &format!("seeds/outlet{i:04}.txt"),
                format!(
                    "+++\noutlet = \"outlet{i:04}\"\n+++\nخبر {i}\nقال {} إن {} جندي وصلوا إلى {}.\n",
                    word(i),
                    1000 + i,
                    word(i + 20_000)
                ),
            );
        }
        s.build().ok();
        let files = tree(&s.path("site"));
        let report = s.report();
        assert_eq!(report["corpus"]["outlets"], n);
        // The coverage matrix: a statement column, the outlets that report, the count of
        // the silent ones; not a column per outlet.
        let index = String::from_utf8(files["index.html"].clone()).unwrap();
        let matrix = &index[index.find(r#"<table class="matrix">"#).unwrap()..];
        let head = &matrix[..matrix.find("</thead>").unwrap()];
        assert_eq!(head.matches("<th ").count(), 3, "{head}");
        let md = String::from_utf8(files["report.md"].clone()).unwrap();
        assert!(md.contains("| Statement | Reported by | Not reporting |\n|---|---|---|\n"));
        // A statement page counts the silent outlets instead of naming them.
        let largest = files
            .iter()
            .filter(|(p, _)| p.starts_with("statements/"))
            .map(|(p, b)| (p.clone(), b.len()))
            .max_by_key(|(_, len)| *len)
            .unwrap();
        largest_statement.push(largest);
    }
    let (small, large) = (&largest_statement[0], &largest_statement[1]);
    assert!(
        large.1 as f64 <= small.1 as f64 * 1.1,
        "a statement page grows with the outlets: {small:?} → {large:?}"
    );
}

/// Past a dozen outlets the names table lists a spelling's outlets, in report.md and in
/// index.html, by the rule of the reasons: every one while one more name takes no more
/// room than "and 1 more outlet" would, else the first twelve and a count.
#[test]
fn a_spelling_names_its_outlets_or_counts_those_past_twelve() {
    for (n, tail) in [
        (13, "outlet0010, outlet0011 and outlet0012 |"),
        (14, "outlet0010, outlet0011 and 2 more outlets |"),
    ] {
        let s = Scratch::new();
        for i in 0..n {
            s.write(
                &format!("seeds/outlet{i:04}.txt"),
                format!("+++\noutlet = \"outlet{i:04}\"\n+++\nخبر {i}\nوقال الرئيس فلاديمير بوتين إن الوضع هادئ.\n"),
            );
        }
        s.build().ok();
        let files = tree(&s.path("site"));
        let md = String::from_utf8(files["report.md"].clone()).unwrap();
        let row = md
            .lines()
            .find(|l| l.starts_with("| فلاديمير بوتين (`putin`) |"))
            .unwrap();
        assert!(
            row.ends_with(&format!("فلاديمير بوتين: outlet0000, outlet0001, outlet0002, outlet0003, outlet0004, outlet0005, outlet0006, outlet0007, outlet0008, outlet0009, {tail}")),
            "{n} outlets: {row}"
        );
        let html = String::from_utf8(files["index.html"].clone()).unwrap();
        let row = &html[html.find(r#"<tr id="entity-putin">"#).unwrap()..];
        let row = &row[..row.find("</tr>").unwrap()];
        let html_tail = tail
            .trim_end_matches(" |")
            .replace("outlet0010", "<bdi>outlet0010</bdi>")
            .replace("outlet0011", "<bdi>outlet0011</bdi>")
            .replace("outlet0012", "<bdi>outlet0012</bdi>");
        assert!(
            row.ends_with(&format!("{html_tail}</td>")),
            "{n} outlets: {row}"
        );
        let named = if n <= 13 { n } else { 12 };
        assert_eq!(row.matches("<bdi>").count(), named, "{row}");
    }
}

/// Raw HTML in a Markdown article (a `<br>` line, a paragraph in `<p align="right">`) is
/// the page's markup around the article's text: the tags go, the text and its claims stay.
#[test]
fn text_inside_raw_html_in_markdown_keeps_its_claims() {
    let s = Scratch::new();
    s.write(
        "seeds/a.md",
        "+++\noutlet = \"A\"\npublished = 2024-04-12\n+++\nوصل 1100 جندي إلى نيامي.\n\n<br>\nوصل 2100 جندي إلى نيامي.\nوقتل 40 شخصا.\n\n<p align=\"right\">\nوصل 3100 <b>جندي</b> إلى نيامي.\n</p>\n",
    );
    s.build().ok();
    let report = s.report();
    let values: Vec<String> = report["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["display"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        values,
        ["1100 soldier", "2100 soldier", "40 person", "3100 soldier"]
    );
    let page = std::fs::read_to_string(s.path("site/documents/no-story.html")).unwrap();
    // Each line of text is on the article's page, the HTML around it is not.
    for line in [5, 8, 9, 12] {
        assert!(
            page.contains(&format!(r#"<p data-line="{line}">"#)),
            "{page}"
        );
    }
    assert!(
        !page.contains("align") && !page.contains("&lt;br"),
        "{page}"
    );
}

/// `why` takes a sentence id as the site's links end, which for a file name with spaces or
/// Arabic letters is its slug, not the article's id.
#[test]
fn why_takes_the_ids_the_site_links_to() {
    let s = Scratch::new();
    s.write("seeds/b c.txt", format!("{TROOPS}\n"));
    s.write("seeds/مقال.txt", format!("{TROOPS}\n"));
    s.build().ok();
    let page = std::fs::read_to_string(s.path("site/documents/no-story.html")).unwrap();
    let anchors: Vec<&str> = page
        .split("<span class=\"sentence\" id=\"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect();
    assert_eq!(anchors.len(), 2, "{anchors:?}");
    for anchor in anchors {
        assert_ne!(anchor, "b c-s1");
        // An all-Arabic name's slug is its hash, not `-` and a hash, which would read
        // as an option.
        assert!(!anchor.starts_with('-'), "{anchor}");
        let run = s.run(&["why", anchor]);
        assert!(
            run.ok().stdout.starts_with("A  "),
            "{anchor}: {}",
            run.stdout
        );
    }
    // The article's own id still works.
    s.run(&["why", "b c-s1"]).ok();
}

/// A date line whose date cannot be read is still set aside, and the warning says that
/// line is the problem (it said no date was found, sending the user looking for one).
#[test]
fn a_date_line_with_no_readable_date_is_named() {
    let s = Scratch::new();
    for (name, date) in [
        ("a", "31st, February 2024"),
        ("b", "12th, Apirl 2024"),
        ("c", "12th, April 2024"),
    ] {
        s.write(
            &format!("seeds/{name}.txt"),
            format!("عنوان\nتاريخ النشر: {date} GMT\n{TROOPS}\n"),
        );
    }
    let run = s.build();
    run.ok()
        .says("warning: seeds/a.txt:2: the date line «تاريخ النشر: 31st, February 2024 GMT» holds no date that could be read (a day the month does not have, or a misspelt month?)\n  = help: correct the line, or add `published = YYYY-MM-DD` front matter")
        .says("warning: seeds/b.txt:2: the date line «تاريخ النشر: 12th, Apirl 2024 GMT» holds no date");
    assert!(
        !run.stderr.contains("no publication date found"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("seeds/c.txt"), "{}", run.stderr);
    let report = s.report();
    let a = &report["documents"][0];
    assert_eq!(a["path"], "a.txt");
    assert!(
        a["notes"]
            .to_string()
            .contains("the date line (line 2) holds no date that could be read"),
        "{}",
        a["notes"]
    );
    assert_eq!(report["documents"][2]["published"], "2024-04-12");
}

/// A publication year far from any news date (`2204` for 2024) is most likely a typo, and
/// the article's relative dates move with it: the build says so, on the line the date
/// came from, front matter or date line.
#[test]
fn a_publication_year_far_from_any_news_date_is_named() {
    let s = Scratch::new();
    // The key quoted, and a body line that starts with the word: line 3 all the same.
    s.write(
        "seeds/a.txt",
        format!("+++\noutlet = \"وكالة\"\n\"published\" = 2204-04-12\n+++\n{TROOPS}\npublished twice.\n"),
    );
    // A Hijri date line, read as a year 1445.
    s.write("seeds/h.txt", format!("{TROOPS}\nصحيفة 3/10/1445\n"));
    s.write(
        "seeds/b.txt",
        format!("عنوان\nتاريخ النشر: 12th, April 9024 GMT\n{TROOPS}\n"),
    );
    s.write(
        "seeds/c.txt",
        format!("+++\npublished = 2024-04-12\n+++\n{TROOPS}\n"),
    );
    let run = s.build();
    run.ok()
        .says("warning: seeds/a.txt:3: publication date 2204-04-12 lies outside the years 1800–2100; the article's relative dates")
        .says("  = help: check the year for a typo")
        .says("warning: seeds/b.txt:2: publication date 9024-04-12 lies outside the years 1800–2100")
        .says("warning: seeds/h.txt:2: publication date 1445-10-03 lies outside the years 1800–2100; the article's relative dates (يوم الجمعة, العام المقبل) are counted from it\n  = help: a Hijri date? Give the Gregorian one as `published = YYYY-MM-DD` front matter");
    assert!(!run.stderr.contains("seeds/c.txt"), "{}", run.stderr);
    let report = s.report();
    let a = &report["documents"][0];
    assert_eq!(a["published"], "2204-04-12");
    assert!(
        a["notes"]
            .to_string()
            .contains("the publication date 2204-04-12 (line 3) is far from any news date"),
        "{}",
        a["notes"]
    );
}

/// Front matter's date wins over the page's date line; when they differ the build says
/// so (every relative date moves with it), and `explain` names the front matter as the
/// date's source, not the date line it set aside.
#[test]
fn a_front_matter_date_unlike_the_date_line_is_used_and_said() {
    let s = Scratch::new();
    let seed = std::fs::read_to_string(root().join("seeds/001_d45d6a35b88756b9.txt")).unwrap();
    s.write(
        "seeds/a.txt",
        format!("+++\npublished = 2024-04-12\noutlet = \"وكالة\"\n+++\n{seed}"),
    );
    s.write(
        "seeds/same.txt",
        format!("+++\npublished = 2023-12-05\noutlet = \"أخرى\"\n+++\n{seed}"),
    );
    let run = s.build();
    run.ok().says("warning: seeds/a.txt: front matter says published 2024-04-12, but the date line on line 9 says 2023-12-05; the front matter's date is used\n  = help: ");
    assert!(
        !run.stderr.contains("seeds/same.txt: front matter says"),
        "{}",
        run.stderr
    );
    let report = s.report();
    let a = &report["documents"][0];
    assert_eq!(
        (a["path"].as_str(), a["published"].as_str()),
        (Some("a.txt"), Some("2024-04-12"))
    );
    assert!(
        a["notes"]
            .to_string()
            .contains("the page's date line (line 9) says 2023-12-05"),
        "{}",
        a["notes"]
    );
    let explained = s.run(&["explain", "seeds/a.txt"]);
    assert!(
        explained
            .ok()
            .stdout
            .contains("published  2024-04-12  (from front matter)\n"),
        "{}",
        explained.stdout
    );
    let explained = s.run(&["explain", "seeds/same.txt"]);
    assert!(
        explained
            .ok()
            .stdout
            .contains("published  2023-12-05  (from front matter)\n"),
        "{}",
        explained.stdout
    );
}

/// Character references in a Markdown article (`&nbsp;` from a web page, `&quot;`, a
/// numeric `&#1580;`) are read as what they stand for: as written, `100&nbsp;جندي` held no
/// claim. The pages still show the text as written.
#[test]
fn character_references_in_markdown_are_read_as_their_characters() {
    let s = Scratch::new();
    s.write(
        "seeds/a.md",
        "+++\noutlet = \"A\"\npublished = 2024-01-02\n+++\nأرسلت روسيا 100&nbsp;جندي إلى النيجر. وقال &quot;وصل 40&#32;&#1580;&#x646;&#x62f;&#x64a;&quot; الوزير &amp; المسؤول.\n",
    );
    s.write(
        "seeds/b.txt",
        "أرسلت روسيا 100 جندي إلى النيجر. وقال \"وصل 40 جندي\" الوزير.\n",
    );
    s.build().ok();
    let report = s.report();
    let found = claims(&report);
    assert!(
        found.contains(&("a".into(), "troops".into(), "100 soldier (RU)".into())),
        "{found:?}"
    );
    assert!(
        found.contains(&("a".into(), "troops".into(), "40 soldier".into())),
        "{found:?}"
    );
    // The title, from the first line, reads as the references mean.
    let a = &report["documents"][0];
    assert_eq!(a["path"], "a.md");
    assert_eq!(
        a["title"],
        "أرسلت روسيا 100 جندي إلى النيجر. وقال \"وصل 40 جندي\" الوزير & المسؤول."
    );
    let page = std::fs::read_to_string(s.path("site/documents/no-story.html")).unwrap();
    assert!(page.contains("100&amp;nbsp;جندي"), "the text as written");
    // In a raw HTML block too, which the Markdown parser leaves as written.
    s.write(
        "seeds/d.md",
        "<div dir=\"rtl\">\n<p>وصل 300&nbsp;جندي&#x20;روسي إلى النيجر.</p>\n</div>\n",
    );
    s.build().ok();
    let found = claims(&s.report());
    assert!(
        found.contains(&("d".into(), "troops".into(), "300 soldier (RU)".into())),
        "{found:?}"
    );
    // An outlet read from a source line holds the character, none of its padding.
    s.write(
        "seeds/c.md",
        format!("{TROOPS}\n\nالمصدر: الجزيرة&nbsp;نت\n"),
    );
    s.build().ok();
    let report = s.report();
    assert_eq!(report["documents"][2]["outlet"], "الجزيرة نت");
}

/// `explain` shows any file, but says so when `build` would pass it over: read by mistake
/// (a saved page, a file without extension), its claims would otherwise look counted.
#[test]
fn explain_says_when_build_would_not_read_the_file() {
    let s = Scratch::new();
    s.write("seeds/a.txt", format!("{TROOPS}\n"));
    for name in ["page.html", "notes"] {
        s.write(&format!("seeds/{name}"), format!("{TROOPS}\n"));
        let run = s.run(&["explain", &format!("seeds/{name}")]);
        run.ok();
        assert!(
            run.stdout.contains(&format!("warning: seeds/{name}: `compare build` reads only .txt, .md and .markdown files and passes this one over")),
            "{}",
            run.stdout
        );
        assert!(run.stdout.contains("1500"), "{}", run.stdout);
    }
    let run = s.run(&["explain", "seeds/a.txt"]);
    assert!(
        !run.ok().stdout.contains("passes this one over"),
        "{}",
        run.stdout
    );
    s.build().ok();
    assert_eq!(s.report()["documents"].as_array().unwrap().len(), 1);
}

/// Boilerplate and metadata lines right after another line, with no blank line between
/// (an ad slot then a keyword line, a keyword line then an ad slot, a photo caption or
/// a source credit inside a paragraph, an "إقرأ أيضاً" tail after a paragraph's last line),
/// are set aside in a Markdown article line by line, each with its reason, as in the same
/// article read as text: Markdown joins a paragraph's lines only after that, so a marker
/// line is never read as part of the paragraph (where it matched nothing, or took the
/// whole paragraph with it).
#[test]
fn boilerplate_lines_inside_a_markdown_paragraph_are_set_aside_as_in_text() {
    let s = Scratch::new();
    let article = std::fs::read(root().join("tests/fixtures/boilerplate-lines/article.md"))
        .expect("the fixture");
    s.write("seeds/article.md", &article);
    s.write("seeds/article.txt", &article);
    let md = s.run(&["explain", "seeds/article.md"]).ok().stdout.clone();
    let txt = s.run(&["explain", "seeds/article.txt"]).ok().stdout.clone();
    for (lines, reason, text) in [
        ("line 5 ", "advertisement", "«مادة إعلانية»"),
        (
            "line 6 ",
            "keyword line (كلمات دلالية)",
            "«كلمات دلالية: النيجر، روسيا»",
        ),
        (
            "line 9 ",
            "keyword line (كلمات دلالية)",
            "«كلمات دلالية: فرنسا، الساحل»",
        ),
        ("line 10 ", "ad slot", "«[إعلان 3]»"),
        (
            "line 13 ",
            "photo caption (الصورة: …)",
            "«الصورة: جنود في شوارع نيامي.»",
        ),
        ("line 15 ", "metadata: outlet", "«المصدر: وكالة أ»"),
        (
            "lines 18-19 ",
            "related stories (إقرأ أيضاً)",
            "«إقرأ أيضاً: وصل 300 جندي إلى مالي مقتل 12 شخصا في بوركينا فاسو»",
        ),
    ] {
        let block = md
            .lines()
            .position(|l| l.trim_start().starts_with(lines) && l.ends_with(reason))
            .unwrap_or_else(|| panic!("no {lines}set aside as {reason} in:\n{md}"));
        assert_eq!(md.lines().nth(block + 1).map(str::trim), Some(text), "{md}");
    }
    assert!(md.contains("set aside: 7 blocks"), "{md}");
    assert!(
        md.contains("outlet     وكالة أ  (from metadata line 15)"),
        "{md}"
    );
    assert!(
        md.contains("title      قال الجيش إن 1500 جندي روسي وصلوا إلى نيامي.\n"),
        "{md}"
    );
    // The story's sentences and claims are all there, and nothing of the boilerplate.
    for sentence in [
        "s1   line 4    «قال الجيش إن 1500 جندي روسي وصلوا إلى نيامي.»",
        "s2   line 8    «وغادر 95 جنديا.»",
        "s3   line 12   «وقتل 40 شخصا في الهجوم.»",
        "s4   line 14   «وأصيب 65 شخصا آخرون.»",
        "s5   line 17   «وقال وزير الدفاع إن التعاون سيستمر.»",
    ] {
        assert!(md.contains(sentence), "no {sentence} in:\n{md}");
    }
    assert!(md.contains("sentences: 5, claims: 4"), "{md}");
    // Read as Markdown or as text, the article is read alike.
    assert_eq!(md.replace("article.md", "article.txt"), txt);
}

/// `a.txt` and `a.md` share a stem, so they take ids from their paths (`a_txt`, `a_md`),
/// which `a_txt.md` has already: every article still gets an id of its own, so each
/// link lands on its own article. Hidden files are no articles.
#[test]
fn articles_whose_ids_would_collide_each_get_their_own() {
    let s = Scratch::new();
    for name in ["a.txt", "a.md", "a_txt.md"] {
        s.write(
            &format!("seeds/{name}"),
            format!("خبر {name}\nوصل 1500 جندي.\n"),
        );
    }
    s.write("seeds/._a.txt", "\0\0\0");
    s.write("seeds/.git/HEAD.txt", "ref");
    s.build().ok();
    let report = s.report();
    let ids: Vec<(&str, &str)> = report["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["path"].as_str().unwrap(), d["id"].as_str().unwrap()))
        .collect();
    assert_eq!(
        ids,
        [
            ("a.md", "a_md"),
            ("a.txt", "a_txt"),
            ("a_txt.md", "a_txt-2")
        ]
    );
    let page = std::fs::read_to_string(s.path("site/documents/no-story.html")).unwrap();
    for id in ["a_md", "a_txt", "a_txt-2"] {
        assert_eq!(
            page.matches(&format!(r#"<article class="document" id="{id}">"#))
                .count(),
            1
        );
    }
}

/// A `\` in a file name is a character of the name, and a name that is not UTF-8 is read
/// with U+FFFD for its stray bytes: each file is read like any other (both failed the
/// build: the first was looked for as `a/b.txt`, the second by its U+FFFD name), and two
/// names that read alike still get ids of their own.
#[cfg(unix)]
#[test]
fn file_names_with_a_backslash_or_not_in_utf8_are_read_like_any_other() {
    use std::os::unix::ffi::OsStrExt;
    let s = Scratch::new();
    s.write("seeds/a\\b.txt", "أرسلت روسيا 1500 جندي إلى النيجر.\n");
    for (byte, n) in [(0xFF, 1600), (0xFE, 1700)] {
        let name = [b'c', byte, b'.', b't', b'x', b't'];
        let path = s.path("seeds").join(std::ffi::OsStr::from_bytes(&name));
        std::fs::write(path, format!("أرسلت روسيا {n} جندي إلى النيجر.\n")).unwrap();
    }
    s.build()
        .ok()
        .says("warning: seeds/c\u{fffd}.txt: no publication date found");
    let report = s.report();
    let ids: Vec<(&str, &str)> = report["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["path"].as_str().unwrap(), d["id"].as_str().unwrap()))
        .collect();
    assert_eq!(
        ids,
        [
            ("a\\b.txt", "a\\b"),
            ("c\u{fffd}.txt", "c\u{fffd}_txt"),
            ("c\u{fffd}.txt", "c\u{fffd}_txt-2")
        ]
    );
    let mut values: Vec<String> = claims(&report).into_iter().map(|c| c.2).collect();
    values.sort();
    assert_eq!(
        values,
        [
            "1500 soldier (RU)",
            "1600 soldier (RU)",
            "1700 soldier (RU)"
        ]
    );
    let page = std::fs::read_to_string(s.path("site/documents/no-story.html")).unwrap();
    // Each article's anchor on the page is its own, and safe in a URL.
    let anchors: std::collections::BTreeSet<&str> = page
        .split(r#"<article class="document" id=""#)
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap())
        .collect();
    assert_eq!(anchors.len(), 3, "{anchors:?}");
    for a in anchors {
        assert!(
            a.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
            "{a}"
        );
    }
}

/// A symbolic link to a folder in the seeds is not followed (it could lead back up, or to
/// a folder read already), and says so with what to do; a link to a file is read. It was
/// passed over without a word.
#[cfg(unix)]
#[test]
fn a_link_to_a_folder_in_the_seeds_is_named_in_a_warning_and_a_link_to_a_file_is_read() {
    let s = Scratch::new();
    s.write("seeds/a.txt", format!("{TROOPS}\n"));
    s.write(
        "elsewhere/more/b.txt",
        "أرسلت روسيا 1600 جندي إلى النيجر.\n",
    );
    std::os::unix::fs::symlink("../elsewhere/more", s.path("seeds/more")).unwrap();
    std::os::unix::fs::symlink("../elsewhere/more/b.txt", s.path("seeds/b.txt")).unwrap();
    std::os::unix::fs::symlink("..", s.path("seeds/up")).unwrap();
    let help = "\n  = help: move or copy the folder into seeds (a link to a file is read), or pass it as --seeds";
    let run = s.build();
    run.ok();
    for link in ["more", "up"] {
        run.says(&format!("warning: seeds/{link}: a symbolic link to a folder is not followed, so the articles in it are not read{help}"));
    }
    let paths: Vec<String> = s.report()["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(paths, ["a.txt", "b.txt"]);
    // With no article but in linked folders, the error says why.
    for file in ["seeds/a.txt", "seeds/b.txt"] {
        std::fs::remove_file(s.path(file)).unwrap();
    }
    s.build()
        .fails()
        .says("error: no .txt or .md articles in seeds")
        .says(&format!("warning: seeds/more: a symbolic link to a folder is not followed, so the articles in it are not read{help}"));
}

/// The seeds are listed while the rules compile, but a build's errors still come in the
/// order of its steps: the rules, then the output folder, then the seeds.
#[test]
fn errors_come_in_the_order_of_the_steps_though_seeds_are_listed_with_the_rules() {
    let s = Scratch::new();
    std::fs::remove_dir(s.path("seeds")).unwrap();
    let missing = "error: seeds folder seeds does not exist or is not a folder";
    s.write("empty.toml", "");
    let rules_first = s.run(&["build", "--rules", "empty.toml"]);
    rules_first.fails().says("the rules file is empty");
    assert!(
        !rules_first.stderr.contains(missing),
        "{}",
        rules_first.stderr
    );
    let home = s.path("home");
    let out_next = s.run(&["build", "--out", home.to_str().unwrap()]);
    out_next.fails().says("it is the home folder");
    assert!(!out_next.stderr.contains(missing), "{}", out_next.stderr);
    s.build().fails().says(missing);
    assert!(!s.path("site").exists());
}

#[test]
fn deeply_nested_markdown_and_front_matter_do_not_overflow() {
    let s = Scratch::new();
    s.write(
        "seeds/quotes.md",
        format!("{}{TROOPS}\n", "> ".repeat(100_000)),
    );
    let list: String = (0..2_000)
        .map(|i| format!("{}- بند {i}\n", "  ".repeat(i)))
        .collect();
    s.write("seeds/list.md", format!("{list}\n{TROOPS}\n"));
    s.write(
        "seeds/brackets.md",
        format!("{}{TROOPS}{}\n", "[".repeat(100_000), "](".repeat(50_000)),
    );
    s.write(
        "seeds/emphasis.md",
        format!("{}{TROOPS}\n", "*_".repeat(50_000)),
    );
    s.build().ok();
    assert_eq!(s.report()["documents"].as_array().unwrap().len(), 4);
    s.write(
        "seeds/deep.md",
        format!(
            "+++\ntitle = {}{}\n+++\n{TROOPS}\n",
            "[".repeat(100_000),
            "]".repeat(100_000)
        ),
    );
    s.build()
        .fails()
        .says("error: seeds/deep.md:2: front matter: ");
}

#[test]
fn broken_or_unterminated_front_matter_is_an_error_with_file_and_line() {
    let help =
        "  = help: front matter keys are title, outlet, url, published (YYYY-MM-DD), lang, story";
    for (text, message) in [
        (
            "+++\ntitle = \"x\"\nنص\n",
            "error: seeds/f.md:1: front matter opened with `+++` is never closed\n  = help: end the front matter with a line holding only `+++`\n",
        ),
        (
            "+++\ntitle = \"x\"\noutlet = \n+++\nنص\n",
            "error: seeds/f.md:3: front matter: ",
        ),
        (
            "+++\ntitle = \"x\"\nautor = \"y\"\n+++\nنص\n",
            "error: seeds/f.md:3: front matter: unknown field `autor`",
        ),
    ] {
        let s = Scratch::new();
        s.write("seeds/f.md", text);
        let run = s.build();
        run.fails().says(message);
        if !message.contains("never closed") {
            run.says(help);
        }
    }
}

/// TOML reads an unquoted word beginning with `n` or `i` as a misspelt `nan` or `inf`;
/// the message says what is really wrong, and how to write it.
#[test]
fn an_unquoted_front_matter_value_is_told_to_be_quoted() {
    for (line, quoted) in [
        ("story = niger", "story = \"niger\""),
        ("story = russia", "story = \"russia\""),
        (
            "outlet = Al Jazeera # the outlet",
            "outlet = \"Al Jazeera\"",
        ),
        // A word processor's quotes: the help quotes the name, not the quotes.
        ("outlet = “الجزيرة”", "outlet = \"الجزيرة\""),
        ("outlet = «الجزيرة»", "outlet = \"الجزيرة\""),
    ] {
        let s = Scratch::new();
        s.write(
            "seeds/d.md",
            format!("+++\ntitle = \"x\"\n{line}\n+++\n{TROOPS}\n"),
        );
        s.build()
            .fails()
            .says("error: seeds/d.md:3: front matter: string values must be quoted\n")
            .says(&format!("  = help: write `{quoted}`"));
    }
}

/// A story key with spaces around or doubled inside is the same story; keys that differ
/// only in capitals stay apart (a user may mean it) but are named in a warning, since one
/// story typed two ways is compared as two without a word otherwise.
#[test]
fn story_keys_are_trimmed_and_keys_differing_in_capitals_are_named() {
    let s = Scratch::new();
    for (name, story) in [
        ("a", "niger"),
        ("b", "niger "),
        ("c", "Niger"),
        ("d", " niger  coup"),
        ("e", "niger coup"),
    ] {
        s.write(
            &format!("seeds/{name}.md"),
            format!("+++\noutlet = \"{name}\"\npublished = 2024-01-02\nstory = \"{story}\"\n+++\n{TROOPS}\n"),
        );
    }
    let run = s.build();
    run.ok().says("warning: story keys `Niger` (as in seeds/c.md), `niger` (as in seeds/a.md) differ only in capitals, so they are 2 stories, compared apart\n  = help: write the key one way");
    let report = s.report();
    let stories: Vec<(String, String)> = report["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().into(),
                d["story"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        stories,
        [
            ("a.md", "niger"),
            ("b.md", "niger"),
            ("c.md", "Niger"),
            ("d.md", "niger coup"),
            ("e.md", "niger coup")
        ]
        .map(|(p, k)| (p.to_string(), k.to_string()))
    );
    // One warning for the one set, none for keys that are simply different.
    assert_eq!(
        run.stderr.matches("differ only in capitals").count(),
        1,
        "{}",
        run.stderr
    );
}

/// A key given twice is named, with both lines; a value of the wrong type says what TOML
/// read it as (a bare date is a date, not text) and how to write it.
#[test]
fn a_repeated_key_or_a_value_of_the_wrong_type_is_named_with_its_fix() {
    for (lines, message) in [
        (
            "outlet = \"A\"\ntitle = \"x\"\noutlet = \"B\"",
            "error: seeds/d.md:4: front matter: `outlet` is given twice (first on line 2)\n  = help: keep one `outlet = …` line\n",
        ),
        (
            "'story' = \"a\"\nstory = \"b\"",
            "error: seeds/d.md:3: front matter: `story` is given twice (first on line 2)\n",
        ),
        // A repeated date is a repeated key, not a bad date.
        (
            "published = 2024-04-12\npublished = 2024-04-13",
            "error: seeds/d.md:3: front matter: `published` is given twice (first on line 2)\n",
        ),
        (
            "outlet = \"A\"\nurl = 1979-05-27",
            "error: seeds/d.md:3: front matter: `url` must be text between quotes, not a date\n  = help: write `url = \"1979-05-27\"`\n",
        ),
        (
            "title = 2024",
            "error: seeds/d.md:2: front matter: `title` must be text between quotes, not a number\n  = help: write `title = \"2024\"`\n",
        ),
        (
            "story = [\"a\", \"b\"]",
            "error: seeds/d.md:2: front matter: `story` must be text between quotes, not a list\n  = help: write `story = \"…\"`\n",
        ),
        // A quoted key is still the date's key.
        (
            "title = \"x\"\n\"published\" = 2024-13-02",
            "error: seeds/d.md:3: front matter `published` is not a date: ",
        ),
    ] {
        let s = Scratch::new();
        s.write("seeds/d.md", format!("+++\n{lines}\n+++\n{TROOPS}\n"));
        s.build().fails().says(message);
    }
}

#[test]
fn a_front_matter_date_that_is_not_a_date_is_an_error_with_its_line() {
    for value in [
        "\"yesterday\"",
        "\"2024-02-30\"",
        "\"20240101\"",
        "2024-04-12T10:00:00",
        "12",
        // Unquoted: TOML's own date reader refuses it.
        "2024-02-30",
    ] {
        let s = Scratch::new();
        s.write(
            "seeds/d.md",
            format!("+++\ntitle = \"x\"\npublished = {value}\n+++\n{TROOPS}\n"),
        );
        s.build()
            .fails()
            .says("error: seeds/d.md:3: front matter `published` is not a date: ")
            .says("  = help: write it as YYYY-MM-DD, e.g. published = 2024-04-12");
    }
}

#[test]
fn every_mark_and_control_the_normaliser_strips_leaves_the_same_claims() {
    let s = Scratch::new();
    s.write("seeds/clean.txt", "أرسلت روسيا 1500 جندي إلى النيجر.\n");
    // Tashkeel, tatweel, RLM, LRM, ALM, isolates, ZWNJ, ZWJ and presentation forms
    // (ﺟﻨﺪﻱ), around and inside the claim: the claim is only found if each is stripped.
    s.write(
        "seeds/marked.txt",
        "أَرْسَلَتْ رُوســيا \u{200F}\u{2066}1500\u{2069}\u{200E} ﺟﻨ\u{200D}ﺪﻱ\u{200C}\u{061C} إلى\u{200C} النيـ\u{200D}ـجر.\n",
    );
    s.build().ok();
    let report = s.report();
    let mut c = claims(&report);
    c.sort();
    assert_eq!(
        c,
        [
            ("clean".into(), "troops".into(), "1500 soldier (RU)".into()),
            ("marked".into(), "troops".into(), "1500 soldier (RU)".into()),
        ]
    );
    let statements = report["statements"].as_array().unwrap();
    assert_eq!(statements.len(), 1, "{statements:?}");
    assert_eq!(statements[0]["verdict"], "agree");
}

#[test]
fn digit_scripts_and_separators_read_as_the_same_numbers() {
    let s = Scratch::new();
    for (name, text) in [
        ("ascii", "أرسلت فرنسا 1500 جندي."),
        ("comma", "أرسلت فرنسا 1,500 جندي."),
        ("dot", "أرسلت فرنسا 1.500 جندي."),
        ("arabic", "أرسلت فرنسا ١٬٥٠٠ جندي."),
        ("persian", "أرسلت فرنسا ۱۵۰۰ جندي."),
        ("mixed", "أرسلت فرنسا ١5۰0 جندي."),
        ("decimal", "وتبرعت بمبلغ ٣٫٥ مليون دولار."),
    ] {
        s.write(&format!("seeds/{name}.txt"), format!("{text}\n"));
    }
    s.build().ok();
    let mut got: Vec<(String, String)> = claims(&s.report())
        .into_iter()
        .map(|c| (c.0, c.2))
        .collect();
    got.sort();
    let want = [
        ("arabic", "1500 soldier (FR)"),
        ("ascii", "1500 soldier (FR)"),
        ("comma", "1500 soldier (FR)"),
        ("decimal", "3500000 USD"),
        ("dot", "1500 soldier (FR)"),
        ("mixed", "1500 soldier (FR)"),
        ("persian", "1500 soldier (FR)"),
    ]
    .map(|(a, b)| (a.to_string(), b.to_string()));
    assert_eq!(got, want);
}

#[test]
fn markup_and_script_in_articles_stay_inert_text() {
    let s = Scratch::new();
    s.write(
        "seeds/x.md",
        format!(
            "+++\ntitle = \"<b>عنوان</b><script>alert(1)</script>\"\nurl = \"javascript:alert(1)\"\n+++\n{TROOPS} <script>alert(2)</script> \"><img src=x onerror=alert(3)> [رابط](javascript:alert(4)) <a href=\"javascript:alert(5)\">هنا</a>\n"
        ),
    );
    s.write(
        "seeds/y.txt",
        format!("<script>alert(6)</script>\n{TROOPS} \"><img src=x onerror=alert(7)>\n"),
    );
    s.build().ok();
    for (path, bytes) in tree(&s.path("site")) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap().to_lowercase();
        for bad in [
            "<script",
            "<img",
            "<b>",
            "javascript:alert(1)\"",
            "href=\"javascript:",
            "onerror=alert",
        ] {
            if bad == "onerror=alert" {
                // As text it may appear, escaped, but never inside a tag.
                assert!(!html.contains("<img src=x onerror"), "{path}");
                continue;
            }
            assert!(!html.contains(bad), "{bad} in {path}");
        }
    }
}

#[test]
fn hostile_file_names_stay_inside_the_site_and_are_escaped() {
    let s = Scratch::new();
    let names = [
        "with space.txt",
        "quote\"s.txt",
        "it's.txt",
        "<script>alert(1)<script>.txt",
        "a&b.txt",
        "عربي جديد.txt",
        "..txt",
        "...txt",
        "a..b.md",
        "sub/..x.txt",
    ];
    for (i, name) in names.iter().enumerate() {
        s.write(
            &format!("seeds/{name}"),
            format!("أرسلت روسيا {} جندي.\n", 100 + i),
        );
    }
    s.build().ok();
    let site = tree(&s.path("site"));
    for path in site.keys() {
        assert!(
            path.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"/._-".contains(&b)),
            "{path}"
        );
        assert!(!path.split('/').any(|p| p == ".."), "{path}");
    }
    // Nothing was written outside the site: the scratch folder holds what it held.
    let mut top: Vec<String> = std::fs::read_dir(s.tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    top.sort();
    assert_eq!(top, ["home", "rules.toml", "seeds", "site"]);
    assert_eq!(
        s.report()["documents"].as_array().unwrap().len(),
        names.len()
    );
    let index = String::from_utf8(site["index.html"].clone()).unwrap();
    assert!(!index.contains("<script>alert"));
    assert!(index.contains("&lt;script&gt;alert(1)&lt;script&gt;.txt"));
}

// ---------------------------------------------------------------------------------------
// rules.toml

#[test]
fn a_missing_empty_comment_only_or_invalid_rules_file_builds_nothing() {
    let s = Scratch::new();
    s.write("seeds/a.txt", format!("{TROOPS}\n"));
    s.build().ok();
    let before = tree(&s.path("site"));
    s.write("empty.toml", "");
    s.write("blank.toml", " \n\n");
    s.write("comments.toml", "# rules to come\n# one day\n");
    s.write("invalid.toml", "[[claim]\nid = \"x\"\n");
    s.write(
        "cp1256.toml",
        b"# \xC7\xE1\xDE\xE6\xC7\xDA\xCF\n[[claim]]\n",
    );
    for (file, message) in [
        (
            "missing.toml",
            "error: cannot read rules file missing.toml: ",
        ),
        ("empty.toml", "error: the rules file is empty"),
        ("blank.toml", "error: the rules file is empty"),
        (
            "comments.toml",
            "error: the rules file defines no claim type ([[claim]] table)\n  --> comments.toml\n  = help: ",
        ),
        ("invalid.toml", "--> invalid.toml:1:"),
        (
            "cp1256.toml",
            "error: cp1256.toml:1: invalid UTF-8 at byte 2 (0xC7)\n  = help: save the rules file as UTF-8",
        ),
    ] {
        s.run(&["build", "--rules", file]).fails().says(message);
        assert_eq!(tree(&s.path("site")), before, "{file}");
        // `compare check` finds the same fault: it never passes a file `build` refuses
        // (exit 1 for a fault in the rules, 2 for a file it cannot read).
        let check = s.run(&["check", "--rules", file]);
        assert!(matches!(check.code, Some(1 | 2)), "{file}: {}", check.stderr);
        check.says(message);
    }
}

/// A rules file with one more claim type whose pattern takes exponential time in a
/// backtracking engine.
fn rules_with(extra: &str) -> String {
    format!(
        "{}\n{extra}\n",
        std::fs::read_to_string(root().join("rules.toml")).unwrap()
    )
}

/// The regex crate's guarantee: matching is linear in the input, whatever the pattern.
/// Nested quantifiers against a long run they almost match finish (no time budget here:
/// a backtracking engine would not finish at all, at these sizes).
#[test]
fn adversarial_patterns_finish_on_adversarial_input() {
    let s = Scratch::new();
    s.write(
        "rules.toml",
        rules_with(
            r#"[[claim]]
id = "nested"
kind = "quantity"
description = "Nested repetition: exponential for a backtracking engine."
unit = "soldier"
patterns = ['(?<number>{number})\s+(?:(?:a*)*b|(?:a|aa)+\s*(?:a|aa)+c|(?:x+x+)+y)']
examples = [{ text = "5 aab", value = "5" }, { text = "6 aa aac", value = "6" }]
"#,
        ),
    );
    s.run(&["check"]).ok();
    let run = "a".repeat(200_000);
    s.write(
        "seeds/a.txt",
        format!("5 {run}\n6 {run} {run}\n7 {}\n", "x".repeat(200_000)),
    );
    s.write("seeds/b.txt", format!("{TROOPS} 8 aab\n"));
    s.build().ok();
    let c = claims(&s.report());
    assert!(
        c.contains(&("b".into(), "nested".into(), "8 soldier".into())),
        "{c:?}"
    );
    assert!(!c.iter().any(|c| c.0 == "a"), "{c:?}");
}

#[test]
fn patterns_that_match_everywhere_are_refused_or_kept_in_bounds() {
    let s = Scratch::new();
    s.write("seeds/a.txt", format!("{TROOPS}\n"));
    s.write("seeds/b.txt", format!("عنوان\n{TROOPS}\n"));
    s.build().ok();
    let before = tree(&s.path("site"));
    // A claim pattern that matches the empty string would match at every position.
    for pattern in ["^", "a*", "(?<number>{number})?"] {
        s.write(
            "every.toml",
            rules_with(&format!(
                "[[claim]]\nid = \"every\"\nkind = \"quantity\"\ndescription = \"x\"\nunit = \"soldier\"\npatterns = ['{pattern}']\nexamples = [{{ text = \"5\", value = \"5\" }}]\n"
            )),
        );
        s.run(&["build", "--rules", "every.toml"])
            .fails()
            .says("error: pattern matches the empty string")
            .says("nothing was built; site is unchanged");
        assert_eq!(tree(&s.path("site")), before);
    }
    // One that matches every number: as many claims as numbers, pages still paged.
    s.write(
        "numbers.toml",
        rules_with(
            "[[claim]]\nid = \"number\"\nkind = \"quantity\"\ndescription = \"Every number.\"\nunit = \"soldier\"\npatterns = ['(?<number>[0-9]+)']\nexamples = [{ text = \"5\", value = \"5\" }]\n",
        ),
    );
    let numbers: Vec<String> = (0..3_000).map(|i| i.to_string()).collect();
    s.write("seeds/numbers.txt", format!("{}\n", numbers.join(" ، ")));
    s.run(&["build", "--rules", "numbers.toml"]).ok();
    let count = claims(&s.report())
        .iter()
        .filter(|c| c.1 == "number")
        .count();
    assert_eq!(count, 3_000 + 2);
    let site = tree(&s.path("site"));
    assert!(
        site["index.html"].len() < 400_000,
        "{}",
        site["index.html"].len()
    );
    std::fs::remove_file(s.path("seeds/numbers.txt")).unwrap();
    // A boilerplate line pattern that matches every line: each article says it is empty,
    // and the build says why that is likely.
    s.write(
        "drop.toml",
        std::fs::read_to_string(root().join("rules.toml"))
            .unwrap()
            .replacen(
                "drop = [\n",
                "drop = [\n  { pattern = '.', reason = \"all\" },\n",
                1,
            ),
    );
    s.run(&["build", "--rules", "drop.toml"])
        .ok()
        .says("warning: seeds/a.txt: no article text left after boilerplate was set aside")
        .says("warning: seeds/b.txt: no article text left after boilerplate was set aside")
        .says("warning: no article has any text left after boilerplate was set aside; a [boilerplate] pattern in drop.toml may match every line");
}

// ---------------------------------------------------------------------------------------
// Atomic output

#[test]
fn an_injected_write_failure_leaves_the_old_site_byte_identical() {
    let s = Scratch::with_seeds();
    s.build().ok();
    let before = tree(&s.path("site"));
    for file in ["report.json", "report.md", "index.html", "timeline.html"] {
        s.run_with(&["build"], &[("COMPARE_FAIL_AFTER_WRITE", Path::new(file))])
            .fails()
            .says(&format!("error: the site was not written; site is unchanged: injected write failure after {file} (COMPARE_FAIL_AFTER_WRITE)"));
        assert_eq!(tree(&s.path("site")), before, "{file}");
        assert!(s.siblings().is_empty(), "{:?}", s.siblings());
    }
}

/// A file or folder the user adds to a built site is never deleted by the next build
/// without `--force`: the build refuses, naming it, and changes nothing. Pages that the
/// new build no longer writes (an article removed) are compare's own and go quietly.
#[test]
fn files_a_user_adds_to_a_built_site_are_refused_not_deleted() {
    let s = Scratch::new();
    s.write("seeds/a.txt", format!("{TROOPS}\n"));
    s.write("seeds/b.txt", format!("{TROOPS}\n"));
    s.build().ok();
    s.write("site/notes.txt", "my notes");
    let before = tree(s.tmp.path());
    s.build()
        .fails()
        .says("error: refusing to replace site: site/notes.txt was not written by compare, and a build replaces the folder whole, which would delete it\n  = help: move it out of site (keep your own files beside the site, not in it), or pass --force to delete it");
    assert_eq!(tree(s.tmp.path()), before);
    s.write("site/documents/mine.md", "x");
    std::fs::create_dir(s.path("site/drafts")).unwrap();
    s.build()
        .fails()
        .says("error: refusing to replace site: site/documents/mine.md was not written by compare (and 2 more: site/drafts, site/notes.txt), and a build replaces the folder whole, which would delete them\n  = help: move them out of site");
    assert!(s.path("site/drafts").is_dir() && s.path("site/notes.txt").exists());
    for added in ["site/notes.txt", "site/documents/mine.md"] {
        std::fs::remove_file(s.path(added)).unwrap();
    }
    std::fs::remove_dir(s.path("site/drafts")).unwrap();
    std::fs::remove_file(s.path("seeds/b.txt")).unwrap();
    s.build().ok();
    // A site written before compare listed its files (a marker of one line) is replaced
    // as before; so is, with --force, a folder holding the user's files.
    s.write("site/notes.txt", "my notes");
    s.build().fails();
    s.run(&["build", "--force"]).ok();
    assert!(!s.path("site/notes.txt").exists());
    s.write(
        "site/.compare-site",
        "This folder is written by `compare build` and replaced whole on every build.\n",
    );
    s.write("site/old.txt", "x");
    s.build().ok();
    assert!(!s.path("site/old.txt").exists());
}

/// A rebuild keeps (hard-links) the previous site's files whose bytes are unchanged and
/// writes the others; the site is byte for byte what a build into an empty folder writes.
#[test]
fn a_rebuild_keeps_unchanged_files_and_writes_the_site_a_first_build_would() {
    let s = Scratch::with_seeds();
    s.build().ok();
    let files = tree(&s.path("site")).len() - 1; // all but the marker
    #[cfg(unix)]
    let inode = |rel: &str| {
        std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(s.path(rel)).expect(rel))
    };
    #[cfg(unix)]
    let (css, json) = (inode("site/style.css"), inode("site/report.json"));
    let run = s.run(&["build", "--timings"]);
    run.ok()
        .says(&format!("unchanged files: {files} of {files}"));
    // Every page but report.json (compared as it is streamed) known by its stamp, where
    // the file system keeps extended attributes.
    if xattr::get(s.path("site/index.html"), "user.compare.page").is_ok_and(|v| v.is_some()) {
        run.says(&format!("known by stamp: {}", files - 1));
    } else {
        eprintln!("no stamps here: extended attributes not kept");
    }
    #[cfg(unix)]
    assert_eq!(
        (inode("site/style.css"), inode("site/report.json")),
        (css, json)
    );

    // One article changes: its pages, the lists and report.json are written again, the
    // stylesheet is kept, and the site is the one a first build writes.
    let article = "seeds/004_71888a1a17af4fa9.txt";
    let text = std::fs::read_to_string(s.path(article)).expect(article);
    s.write(article, format!("{text}\n{TROOPS}\n"));
    let run = s.run(&["build", "--timings"]);
    run.ok();
    let kept: usize = run
        .stderr
        .split("unchanged files: ")
        .nth(1)
        .and_then(|t| t.split(' ').next())
        .and_then(|n| n.parse().ok())
        .expect("unchanged files in --timings");
    assert!(0 < kept && kept < files, "{kept} of {files}");
    #[cfg(unix)]
    {
        assert_eq!(inode("site/style.css"), css);
        assert_ne!(inode("site/report.json"), json);
    }
    s.run(&["build", "--out", "fresh"]).ok();
    assert_eq!(tree(&s.path("site")), tree(&s.path("fresh")));
}

#[test]
fn a_build_killed_while_writing_leaves_the_old_site_and_the_next_build_cleans_up() {
    let s = Scratch::with_seeds();
    s.build().ok();
    let before = tree(&s.path("site"));
    // Killed after index.html, with other pages still to write.
    let mut child = s.stalled_build("index.html", || s.written_by_a_build("index.html"));
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(tree(&s.path("site")), before);
    let left = s.siblings();
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(left[0].starts_with(".site.compare-new-"));
    assert!(
        tree(&s.path(&left[0])).len() < before.len(),
        "killed midway"
    );
    // The next build removes what the dead one left, and writes the same site.
    s.build().ok();
    assert!(s.siblings().is_empty(), "{:?}", s.siblings());
    assert_eq!(tree(&s.path("site")), before);
}

/// The same, without a stall: a corpus whose write phase takes a while, killed as soon as
/// its first page is written. Wherever the kill lands, the site is the old one or the new
/// one, whole.
#[test]
fn a_build_killed_at_a_random_point_leaves_a_whole_site() {
    let s = Scratch::new();
    for i in 0..400 {
        s.write(
            &format!("seeds/o{i:03}.txt"),
            format!(
                "خبر {i}\nأرسلت روسيا {} جندي إلى النيجر في 12 أبريل 2024.\n",
                1000 + i
            ),
        );
    }
    s.build().ok();
    let old = tree(&s.path("site"));
    s.write("seeds/o000.txt", format!("خبر جديد\n{TROOPS}\n"));
    let mut child = s
        .command(&["build"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    loop {
        let started = s
            .siblings()
            .iter()
            .any(|d| s.path(d).join("report.json").exists());
        if started || child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let _ = child.kill();
    child.wait().unwrap();
    let now = tree(&s.path("site"));
    if now != old {
        // The build finished before the kill: then the site is the new one, whole.
        s.build().ok();
        assert_eq!(now, tree(&s.path("site")));
    }
    s.build().ok();
    assert!(s.siblings().is_empty(), "{:?}", s.siblings());
}

#[test]
fn a_build_killed_between_its_two_renames_is_undone_by_the_next_build() {
    let s = Scratch::with_seeds();
    s.build().ok();
    let before = tree(&s.path("site"));
    s.kill_a_build_in_its_swap();
    // Even a build that then fails on its input first puts the old site back, and says so
    // before its error.
    s.write("seeds/w.txt", b"\xD1\xE6\xD3");
    let failed = s.build();
    failed.fails().says("error: seeds/w.txt:1: invalid UTF-8");
    assert!(failed.stderr.starts_with(MOVED_BACK), "{}", failed.stderr);
    assert_eq!(tree(&s.path("site")), before);
    assert!(s.siblings().is_empty(), "{:?}", s.siblings());
    std::fs::remove_file(s.path("seeds/w.txt")).unwrap();

    s.kill_a_build_in_its_swap();
    s.build().ok().says(MOVED_BACK);
    assert_eq!(tree(&s.path("site")), before);
    assert!(s.siblings().is_empty(), "{:?}", s.siblings());
}

/// What a build says when it found the site moved aside by a build killed in its swap,
/// and moved it back.
const MOVED_BACK: &str = "warning: site was missing after an interrupted build; the previous site was moved back from .site.compare-old-";

/// A build of the seeds with one article added, stopped at `at` (see
/// [`Scratch::stalled_build`]) once `reached`, then sent Ctrl-C (SIGINT): its exit code and
/// what it printed.
#[cfg(unix)]
fn ctrl_c_at(s: &Scratch, at: &str, reached: impl Fn() -> bool) -> (Option<i32>, String) {
    s.write("seeds/extra.txt", "أرسلت روسيا 1500 جندي إلى النيجر.\n");
    let mut build = s.command(&["build"]);
    build.stderr(Stdio::piped());
    // A build started as from a terminal: the tests themselves may run with SIGINT
    // ignored (a background job of a script), which a child inherits, and a build keeps.
    // SAFETY: signal(2) is async-signal-safe, as the child's code between fork and exec
    // must be.
    unsafe {
        use std::os::unix::process::CommandExt as _;
        build.pre_exec(|| {
            libc::signal(libc::SIGINT, libc::SIG_DFL);
            Ok(())
        });
    }
    let mut child = s.stalled(build, at, reached);
    // SAFETY: kill(2) with the pid of our own child, which has not been waited for.
    assert_eq!(
        unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) },
        0
    );
    // Not a time budget: a guard so a build that ignores the signal fails the test
    // instead of hanging CI.
    for _ in 0..12_000 {
        if child.try_wait().unwrap().is_some() {
            let out = child.wait_with_output().unwrap();
            return (
                out.status.code(),
                String::from_utf8_lossy(&out.stderr).into_owned(),
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let _ = child.kill();
    panic!("the build went on after Ctrl-C");
}

/// Ctrl-C while the pages are written: the build stops before its next page, removes the
/// folder it was writing the new site into, says so and exits 130; the site is the old
/// one, though an article was added. Stopped after report.md, which is written after
/// report.json: only the check before each file can stop this build.
#[cfg(unix)]
#[test]
fn ctrl_c_while_writing_stops_the_build_and_leaves_the_old_site() {
    let s = Scratch::with_seeds();
    s.build().ok();
    let before = tree(&s.path("site"));
    let (code, stderr) = ctrl_c_at(&s, "report.md", || s.written_by_a_build("report.md"));
    assert_eq!(code, Some(130), "{stderr}");
    assert_eq!(
        stderr, "interrupted: the build stopped; site is unchanged\n",
        "one line, nothing else"
    );
    assert_eq!(tree(&s.path("site")), before);
    assert!(s.siblings().is_empty(), "{:?}", s.siblings());
}

/// A build that moves back the site an earlier build left aside, and is then stopped with
/// Ctrl-C, says both: the site it found and moved back, then that it stopped.
#[cfg(unix)]
#[test]
fn ctrl_c_after_a_site_was_moved_back_says_both() {
    let s = Scratch::with_seeds();
    s.build().ok();
    let before = tree(&s.path("site"));
    s.kill_a_build_in_its_swap();
    // The killed build's folders (its new site is whole, report.md included) are tidied
    // before the next build writes: a folder holding report.md after that is its own.
    let left = s.siblings();
    let (code, stderr) = ctrl_c_at(&s, "report.md", || {
        !s.siblings().iter().any(|d| left.contains(d)) && s.written_by_a_build("report.md")
    });
    assert_eq!(code, Some(130), "{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    assert!(lines[0].starts_with(MOVED_BACK), "{stderr}");
    assert_eq!(
        lines[1],
        "interrupted: the build stopped; site is unchanged"
    );
    assert_eq!(tree(&s.path("site")), before);
    assert!(s.siblings().is_empty(), "{:?}", s.siblings());
}

/// Ctrl-C once the new site is whole (between the two renames that swap it in): the swap
/// is never cut in half, so the build finishes, and says the site is the new one.
#[cfg(unix)]
#[test]
fn ctrl_c_after_the_new_site_is_whole_finishes_the_swap() {
    let s = Scratch::with_seeds();
    s.build().ok();
    let before = tree(&s.path("site"));
    let (code, stderr) = ctrl_c_at(&s, "(swap)", || s.old_site_moved_aside());
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr
            .ends_with("warning: interrupted after the new site was complete; site was replaced\n"),
        "{stderr}"
    );
    let after = tree(&s.path("site"));
    assert_ne!(after, before, "the new site, with the added article");
    let report = String::from_utf8_lossy(&after["report.json"]).into_owned();
    assert!(
        report.contains("\"extra\""),
        "the added article is in report.json"
    );
    assert!(s.siblings().is_empty(), "{:?}", s.siblings());
    // The same site as a build left alone writes.
    s.run(&["build", "--out", "fresh"]).ok();
    assert_eq!(after, tree(&s.path("fresh")));
}

/// Under `nohup` (SIGHUP ignored from the start) a build keeps SIGHUP ignored: closing
/// the terminal does not stop it. Started as usual, it catches SIGHUP, SIGINT and
/// SIGTERM. Read from the running build's signal masks in /proc.
#[cfg(target_os = "linux")]
#[test]
fn a_build_under_nohup_keeps_sighup_ignored() {
    use std::os::unix::process::CommandExt as _;
    let masks = |nohup: bool| {
        // A folder of its own: a build killed here leaves its folder for the next.
        let s = Scratch::with_seeds();
        let mut build = s.command(&["build"]);
        build.stderr(Stdio::null());
        // Set either way: the test itself may run with SIGHUP ignored, which a child
        // inherits.
        let disposition = if nohup { libc::SIG_IGN } else { libc::SIG_DFL };
        // SAFETY: signal(2) is async-signal-safe, as the child's code between fork and
        // exec must be.
        unsafe {
            build.pre_exec(move || {
                libc::signal(libc::SIGHUP, disposition);
                // The others as from a terminal: the test may run as a script's
                // background job, which ignores SIGINT.
                libc::signal(libc::SIGINT, libc::SIG_DFL);
                libc::signal(libc::SIGTERM, libc::SIG_DFL);
                Ok(())
            });
        }
        // Stalled after its first file: its handlers were installed before the build.
        let mut child = s.stalled(build, "report.json", || s.written_by_a_build("report.json"));
        let status = std::fs::read_to_string(format!("/proc/{}/status", child.id())).unwrap();
        child.kill().unwrap();
        child.wait().unwrap();
        let mask = |name: &str| {
            let line = status.lines().find(|l| l.starts_with(name)).unwrap();
            u64::from_str_radix(line[name.len()..].trim(), 16).unwrap()
        };
        (mask("SigIgn:"), mask("SigCgt:"))
    };
    let bit = |signal: libc::c_int| 1u64 << (signal - 1);
    let (ignored, caught) = masks(true);
    assert_ne!(ignored & bit(libc::SIGHUP), 0, "SIGHUP stays ignored");
    assert_eq!(caught & bit(libc::SIGHUP), 0);
    assert_ne!(caught & bit(libc::SIGINT), 0);
    assert_ne!(caught & bit(libc::SIGTERM), 0);
    let (ignored, caught) = masks(false);
    assert_eq!(ignored & bit(libc::SIGHUP), 0);
    for signal in [libc::SIGHUP, libc::SIGINT, libc::SIGTERM] {
        assert_ne!(caught & bit(signal), 0, "signal {signal} caught");
    }
}

#[test]
fn a_running_builds_temporary_folder_is_left_alone() {
    let s = Scratch::with_seeds();
    s.build().ok();
    let mut running = s.stalled_build("index.html", || s.written_by_a_build("index.html"));
    let theirs = s.siblings();
    s.build().ok();
    assert_eq!(
        s.siblings(),
        theirs,
        "another build's folder is not ours to remove"
    );
    running.kill().unwrap();
    running.wait().unwrap();
    s.build().ok();
    assert!(s.siblings().is_empty(), "{:?}", s.siblings());
}

// ---------------------------------------------------------------------------------------
// Never writes outside --out

#[test]
fn dangerous_out_values_are_refused_and_nothing_is_deleted() {
    let s = Scratch::new();
    s.write("seeds/a.txt", format!("{TROOPS}\n"));
    s.write("home/.bashrc", "# mine\n");
    s.write("fh/user/.bashrc", "# mine\n");
    s.write("fh/notes.txt", "mine\n");
    s.write("repo/.git/HEAD", "ref: refs/heads/main\n");
    s.write("fr/repo/Cargo.toml", "[package]\n");
    s.write("fr/notes.txt", "mine\n");
    s.write(
        "r2/rules.toml",
        std::fs::read(s.path("rules.toml")).unwrap(),
    );
    s.write("file.txt", "mine\n");
    s.write("notmine/keep.txt", "mine\n");
    #[cfg(unix)]
    std::os::unix::fs::symlink(s.path("seeds"), s.path("link")).unwrap();
    let fake_home = s.path("fh/user");
    let elsewhere = std::env::temp_dir().join("compare-test-no-home");
    // (flags, environment, the refusal)
    type Case<'a> = (Vec<&'a str>, Vec<(&'a str, &'a Path)>, &'a str);
    let cases: Vec<Case> = vec![
        (vec!["--out", "/"], vec![], "refusing to write the site to /: it is the file system root"),
        (vec!["--out", "home", "--force"], vec![], "refusing to write the site to home: it is the home folder"),
        (
            vec!["--out", "fh", "--force"],
            vec![("HOME", fake_home.as_path())],
            "refusing to write the site to fh: it contains the home folder",
        ),
        (vec!["--out", "seeds", "--force"], vec![], "refusing to write the site to seeds: it is or contains the seeds folder seeds"),
        (vec!["--out", ".", "--force"], vec![("HOME", elsewhere.as_path())], "refusing to write the site to .: it is or contains the seeds folder seeds"),
        (
            vec!["--out", "seeds/site"],
            vec![],
            "refusing to write the site to seeds/site: it is inside the seeds folder seeds, so the next build would read the site as articles",
        ),
        // `--seeds .` in a project folder: its articles are most likely in `seeds/`.
        (
            vec!["--seeds", ".", "--out", "site"],
            vec![],
            "refusing to write the site to site: it is inside the seeds folder ., so the next build would read the site as articles\n  = help: pass --out with a folder outside the articles, or --seeds seeds if the articles are there",
        ),
        (vec!["--out", "repo", "--force"], vec![], "refusing to write the site to repo: it looks like a repository root"),
        (
            vec!["--out", "fr", "--force"],
            vec![],
            "refusing to write the site to fr: it contains a repository, fr/repo, which replacing it would delete",
        ),
        (
            vec!["--out", "r2", "--rules", "r2/rules.toml", "--force"],
            vec![],
            "refusing to write the site to r2: it contains the rules file r2/rules.toml",
        ),
        (vec!["--out", "file.txt", "--force"], vec![], "refusing to write the site to file.txt: it is a file"),
        (vec!["--out", "file.txt/site"], vec![], "refusing to write the site to file.txt/site: file.txt is a file, not a folder\n  = help: "),
        (
            vec!["--out", "notmine"],
            vec![],
            "refusing to replace notmine: it is not empty and was not written by compare (no .compare-site file)\n  = help: pass --force to replace it, or choose another --out",
        ),
        #[cfg(unix)]
        (vec!["--out", "link", "--force"], vec![], "refusing to write the site to link: it is or contains the seeds folder seeds"),
    ];
    let before = tree(s.tmp.path());
    for (args, env, message) in cases {
        let mut all = vec!["build"];
        all.extend(args);
        s.run_with(&all, &env)
            .fails()
            .says(&format!("error: {message}"))
            .says("\n  = help: ");
        assert_eq!(tree(s.tmp.path()), before, "{all:?} changed files");
    }
    // --force replaces a folder compare did not write, when it holds nothing precious.
    s.run(&["build", "--out", "notmine", "--force"]).ok();
    assert!(!s.path("notmine/keep.txt").exists());
    assert!(s.path("notmine/.compare-site").exists());
}

#[test]
fn a_build_run_from_inside_its_site_is_refused_and_the_site_kept() {
    let s = Scratch::new();
    s.write("seeds/a.txt", format!("{TROOPS}\n"));
    s.build().ok();
    let before = tree(s.tmp.path());
    // From inside the site, or a folder in it: replacing the site would leave the shell in
    // a deleted folder.
    for (dir, out, what) in [
        ("site", ".", "it is the current folder"),
        (
            "site/documents",
            "..",
            "it is a folder containing the current folder",
        ),
    ] {
        let (seeds, rules) = (s.path("seeds"), s.path("rules.toml"));
        let (seeds, rules) = (seeds.to_str().unwrap(), rules.to_str().unwrap());
        let run = Run::of(
            s.command(&["build", "--seeds", seeds, "--rules", rules, "--out", out])
                .current_dir(s.path(dir))
                .output()
                .expect("run compare"),
        );
        run.fails()
            .says(&format!(
                "error: refusing to write the site to {out}: {what}, which a build replaces whole"
            ))
            .says("\n  = help: run compare from outside the site");
        assert_eq!(tree(s.tmp.path()), before, "{out} from {dir} changed files");
    }
    // From beside it, the same site is replaced as usual.
    s.run(&["build", "--out", "./site/../site"]).ok();
}

// ---------------------------------------------------------------------------------------
// No panics: the fuzz target's entry point on arbitrary bytes (fuzz/ runs it for long).

mod never_panics {
    use proptest::prelude::*;

    fn rules() -> &'static compare::rules::RuleSet {
        static RULES: std::sync::OnceLock<compare::rules::RuleSet> = std::sync::OnceLock::new();
        RULES.get_or_init(|| {
            compare::rules::compile("rules.toml", include_str!("../rules.toml")).expect("rules")
        })
    }

    fn seed_bytes() -> Vec<Vec<u8>> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        let mut v: Vec<Vec<u8>> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| std::fs::read(e.unwrap().path()).unwrap())
            .collect();
        v.sort();
        v
    }

    /// Check what `analyse_bytes` promises: spans inside the text, on char boundaries.
    fn check(name: &str, bytes: &[u8]) {
        for lossy in [false, true] {
            let read = compare::ingest::ReadOptions { lossy };
            if let Ok((doc, sentences, claims)) = compare::analyse_bytes(name, bytes, rules(), read)
            {
                for s in &sentences {
                    assert!(doc.text.get(s.span.clone()).is_some(), "{:?}", s.span);
                }
                for c in &claims {
                    assert!(doc.text.get(c.span.clone()).is_some(), "{:?}", c.span);
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        #[test]
        fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048), md in any::<bool>()) {
            check(if md { "x.md" } else { "x.txt" }, &bytes);
        }

        #[test]
        fn mutated_seeds(which in 0usize..5, at in any::<prop::sample::Index>(), cut in any::<prop::sample::Index>(), insert in proptest::collection::vec(any::<u8>(), 0..16)) {
            let seeds = seed_bytes();
            let mut bytes = seeds[which % seeds.len()].clone();
            let i = at.index(bytes.len() + 1);
            bytes.splice(i..i, insert);
            bytes.truncate(cut.index(bytes.len() + 1).max(i));
            check("x.md", &bytes);
            check("x.txt", &bytes);
        }
    }
}

/// The files `diff`, `--baseline` and `score` read: a missing one is named with what to
/// pass instead, and a score whose truth lies on no statement warns that the report is
/// probably another corpus's.
#[test]
fn missing_reports_and_truth_files_say_what_to_pass() {
    let s = Scratch::new();
    s.write("seeds/a.txt", format!("{TROOPS}\n"));
    s.build().ok();
    let report_help = "  = help: pass the path of a report.json written by `compare build`";
    s.run(&["diff", "nosuch.json", "site/report.json"])
        .fails()
        .says("error: cannot read nosuch.json: ")
        .says(report_help);
    s.run(&[
        "build",
        "--fail-on",
        "new-conflict",
        "--baseline",
        "nosuch.json",
        "--force",
    ])
    .fails()
    .says("error: cannot use the --baseline report: cannot read nosuch.json: ")
    .says(report_help);
    s.run(&["score", "--truth", "nosuch.jsonl", "site/report.json"])
        .fails()
        .says("error: cannot read truth file nosuch.jsonl: ")
        .says("  = help: pass the truth.jsonl that `compare gen` wrote");
    // The truth of another corpus.
    s.run(&["gen", "--stories", "1", "--out", "g"]).ok();
    let run = s.run(&["score", "--truth", "g/truth.jsonl", "site/report.json"]);
    run.ok();
    run.says("warning: no truth row of g/truth.jsonl lies on a statement of site/report.json");
    // An empty truth file scores nothing: an error, not a row of zeros.
    s.write("empty.jsonl", "");
    s.run(&["score", "--truth", "empty.jsonl", "site/report.json"])
        .fails()
        .says("error: empty.jsonl holds no truth rows");
    // The truth of another seed, with the same story and article ids: some of its lines
    // meet statements by chance, most do not.
    s.run(&["gen", "--stories", "3", "--seed", "1", "--out", "c1"])
        .ok();
    s.run(&["gen", "--stories", "3", "--seed", "99", "--out", "c99"])
        .ok();
    s.run(&["build", "--seeds", "c1/seeds", "--out", "c1/site"])
        .ok();
    let own = s.run(&["score", "--truth", "c1/truth.jsonl", "c1/site/report.json"]);
    own.ok();
    assert!(!own.stderr.contains("warning:"), "{}", own.stderr);
    s.run(&["score", "--truth", "c99/truth.jsonl", "c1/site/report.json"])
        .ok()
        .says("truth rows of c99/truth.jsonl lie on a statement of c1/site/report.json: is the report that of this corpus (the same --stories and --seed)?");
}
