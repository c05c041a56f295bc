//! The built site as a reader gets it: snapshots of `report.md` and of every page's
//! `<main>` for the conflict fixture, every internal link resolving, URL-safe file names,
//! article text that can never become markup, and byte-identical rebuilds.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Build `seeds` with the shipped rules into a fresh temporary folder; returns the
/// folder (kept alive by the guard) and the site path inside it.
fn build(seeds: &Path) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("temporary folder");
    let out = tmp.path().join("site");
    compare::build(&compare::Options {
        seeds: seeds.to_path_buf(),
        rules: root().join("rules.toml"),
        out: out.clone(),
        force: false,
        lossy: false,
    })
    .unwrap_or_else(|e| panic!("build of {} fails: {e:#}", seeds.display()));
    (tmp, out)
}

/// Every file of a built site, by relative path with `/` separators.
fn files(site: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(dir: &Path, base: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).expect("list site") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(&path, base, out);
            } else {
                let rel = path
                    .strip_prefix(base)
                    .expect("inside site")
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read(&path).expect("read"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(site, site, &mut out);
    out
}

fn text(files: &BTreeMap<String, Vec<u8>>, path: &str) -> String {
    String::from_utf8(
        files
            .get(path)
            .unwrap_or_else(|| panic!("no {path} in the site"))
            .clone(),
    )
    .expect("UTF-8")
}

/// The section of a statements page that shows statement `id`.
fn section_of<'a>(page: &'a str, id: &str) -> &'a str {
    let open = format!(r#"<section class="statement" id="{id}">"#);
    let start = page
        .find(&open)
        .unwrap_or_else(|| panic!("no section {id} on the page"));
    let rest = &page[start + open.len()..];
    let end = rest
        .find(r#"<section class="statement""#)
        .or_else(|| rest.find("</main>"))
        .unwrap_or(rest.len());
    &rest[..end]
}

/// The list section `id` of an overview page (`conflicts`, `agreements`…).
fn list_of<'a>(page: &'a str, id: &str) -> &'a str {
    let open = format!(r#"<section id="{id}""#);
    let start = page
        .find(&open)
        .unwrap_or_else(|| panic!("no list {id} on the page"));
    let rest = &page[start..];
    &rest[..rest.find("</section>").expect("end of the list")]
}

/// The `<main>` element's content: what changes when the report changes, not the layout.
fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("<main>");
    let start = start + html[start..].find('>').expect("<main …>") + 1;
    let end = html.rfind("</main>").expect("</main>");
    &html[start..end]
}

/// The site's report.json, parsed.
fn report_json(files: &BTreeMap<String, Vec<u8>>) -> serde_json::Value {
    serde_json::from_slice(&files["report.json"]).expect("report.json")
}

fn fixture(case: &str) -> PathBuf {
    root().join("tests/fixtures").join(case)
}

#[test]
fn conflict_fixture_snapshots() {
    let (_tmp, site) = build(&fixture("conflict"));
    let files = files(&site);
    insta::assert_snapshot!("conflict_report_md", text(&files, "report.md"));
    for (path, _) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        // The rules page is rules.toml as a page; the rules' own tests pin it.
        if path == "rules.html" {
            continue;
        }
        let name = format!(
            "conflict_{}",
            path.trim_end_matches(".html").replace('/', "_")
        );
        insta::assert_snapshot!(name, main_of(&text(&files, path)));
    }
}

#[test]
fn conflicts_come_first_with_values_side_by_side() {
    let (_tmp, site) = build(&fixture("conflict"));
    let files = files(&site);
    let index = text(&files, "index.html");
    let pos = |needle: &str| {
        index
            .find(needle)
            .unwrap_or_else(|| panic!("index.html lacks {needle}"))
    };
    assert!(pos(r#"id="conflicts""#) < pos(r#"id="agreements""#));
    assert!(pos(r#"id="agreements""#) < pos(r#"id="singles""#));
    assert!(pos(r#"id="singles""#) < pos(r#"id="names""#));
    assert!(pos(r#"id="names""#) < pos(r#"id="coverage""#));
    assert_eq!(
        index.matches(r#"<article class="card conflict">"#).count(),
        2
    );
    // The troop conflict shows each outlet's value in its own row.
    let card = &index[pos("troops: 1500 soldiers (FR) vs 2000 soldiers (FR)")..];
    let card = &card[..card.find("</article>").expect("card end")];
    for v in [
        "1500 soldiers (FR)",
        "2000 soldiers (FR)",
        "~1500 soldiers (FR)",
    ] {
        assert!(
            card.contains(&format!(r#"<span class="value" dir="ltr">{v}</span>"#)),
            "{card}"
        );
    }
    assert!(card.contains("<mark>2000 جندي فرنسي</mark>"), "{card}");
    // Verdicts carry a word and a symbol, not only a colour.
    assert!(index.contains(r#"<span aria-hidden="true">✗</span> conflict"#));
    // Name spellings mark the variant.
    assert!(
        index.contains("عبد الرحمن تشياني"),
        "variant spelling listed"
    );
    assert!(index.contains(r#"title="spelled other than the listed name">≠</span>"#));
}

#[test]
fn statement_page_has_provenance_values_and_a_word_diff() {
    let (_tmp, site) = build(&fixture("conflict"));
    let files = files(&site);
    let whole = text(&files, "statements/no-story.html");
    let page = section_of(&whole, "troops-a_wakala-s2");
    assert!(page.contains(r#"<blockquote class="sentence" lang="ar" dir="rtl">"#));
    assert!(
        page.contains("<del>1500</del> <ins>2000</ins>"),
        "{}",
        main_of(&whole)
    );
    for prov in [
        "a_wakala.md</code>, line 9",
        "b_journal.md</code>, line 8",
        "2023-12-23",
    ] {
        assert!(page.contains(prov), "provenance {prov}");
    }
    // Claims are highlighted with their normalised value and link to their statement;
    // the card's own claim is marked strongly and links nowhere: it is this statement.
    assert!(page.contains(r#"<span class="kind">troops</span> ~1500 soldiers (FR)</span>"#));
    assert!(page.contains(
        r#"<mark class="claim t-date"><a href="../statements/no-story.html#date-a_wakala-s2">"#
    ));
    assert!(page.contains(r#"<mark class="claim t-troops focus">نحو 1500 جندي فرنسي</mark>"#));
    assert!(!page.contains("no-story.html#troops-a_wakala-s2"), "{page}");
    // What the reference and the diff's marks mean is said once, at the top of the page,
    // not again under every statement.
    assert_eq!(whole.matches("words only the reference has").count(), 1);
    assert!(page.contains("Reported by 3 of 3 outlets.</p>"), "{page}");
}

#[test]
fn document_page_shows_set_aside_text_collapsed_with_its_reason() {
    let (_tmp, site) = build(&fixture("conflict"));
    let files = files(&site);
    let whole = text(&files, "documents/no-story.html");
    // Each article is a section of its story's documents page.
    let start = whole
        .find(r#"<article class="document" id="a_wakala">"#)
        .expect("the article's section");
    let page = &whole[start..start + whole[start..].find("</article>").expect("its end")];
    assert!(page.contains(r#"<details class="aside" dir="ltr"><summary>Set aside, lines 15–16 — related stories (<bdi lang="ar">إقرأ أيضاً</bdi>)</summary>"#), "{}", main_of(page));
    assert!(page.contains("أسعار النفط ترتفع في الأسواق العالمية"));
    assert!(page.contains(r#"<div class="text" lang="ar" dir="rtl">"#));
}

/// The punctuation that closes a claim's word (`"،`, a full stop) is written against it,
/// before the claim's value tag, never after the tag, which pushed it away from its word.
#[test]
fn a_value_tag_follows_the_punctuation_that_closes_its_word() {
    let (_tmp, site) = build(&root().join("seeds"));
    let page = text(&files(&site), "documents/no-story.html");
    let tag = r#"<span class="val" dir="ltr"><span class="kind">"#;
    let mut tags = 0;
    for (i, _) in page.match_indices(tag) {
        tags += 1;
        // The tag ends at its second `</span>`: the kind's, then its own.
        let rest = &page[i + tag.len()..];
        let rest = &rest[rest.find("</span>").expect("the kind's end") + 7..];
        let after = &rest[rest.find("</span>").expect("the tag's end") + 7..];
        assert!(
            !after.starts_with("&quot;") && !after.starts_with(['،', '.', ',', '؛', ':']),
            "punctuation after a value tag: {}",
            &page[i..i + tag.len() + 200]
        );
    }
    assert!(tags > 50, "{tags} value tags");
    assert!(page.contains("</a></mark>&quot;،<span class=\"val\""));
    assert!(page.contains("</a></mark>.<span class=\"val\""));
}

/// Every `href` and `src` of every page, and every link of report.md, points at a file
/// of the site (and at an element id, for a `#fragment`).
fn assert_links_resolve(site: &Path) {
    let files = files(site);
    let mut checked = 0;
    for (path, bytes) in &files {
        let is_md = path.ends_with(".md");
        if !path.ends_with(".html") && !is_md {
            continue;
        }
        let body = String::from_utf8(bytes.clone()).expect("UTF-8");
        let targets: Vec<&str> = if is_md {
            body.split("](")
                .skip(1)
                .filter_map(|rest| rest.split(')').next())
                .collect()
        } else {
            ["href=\"", "src=\""]
                .iter()
                .flat_map(|attr| body.split(attr).skip(1))
                .filter_map(|rest| rest.split('"').next())
                .collect()
        };
        for target in targets {
            if target.starts_with("https://") || target.starts_with("http://") {
                continue;
            }
            assert!(
                !target.contains(':') && !target.starts_with('/'),
                "{path}: link {target:?} must be relative"
            );
            let (file, fragment) = target.split_once('#').unwrap_or((target, ""));
            let base = Path::new(path).parent().unwrap_or(Path::new(""));
            let resolved = if file.is_empty() {
                path.clone()
            } else {
                let mut parts: Vec<String> = base
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                for seg in file.split('/') {
                    match seg {
                        ".." => {
                            assert!(parts.pop().is_some(), "{path}: {target} leaves the site");
                        }
                        "." | "" => {}
                        s => parts.push(s.to_string()),
                    }
                }
                parts.join("/")
            };
            let Some(dest) = files.get(&resolved) else {
                panic!("{path}: link {target:?} → {resolved} does not exist");
            };
            if !fragment.is_empty() {
                let dest = String::from_utf8_lossy(dest);
                assert!(
                    dest.contains(&format!("id=\"{fragment}\"")),
                    "{path}: link {target:?}: no id {fragment:?} in {resolved}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 20, "only {checked} links checked");
}

#[test]
fn every_internal_link_resolves_in_the_fixture_site() {
    let (_tmp, site) = build(&fixture("conflict"));
    assert_links_resolve(&site);
}

#[test]
fn every_internal_link_resolves_in_the_seed_site() {
    let (_tmp, site) = build(&root().join("seeds"));
    assert_links_resolve(&site);
}

/// The timeline numbers a date several outlets give on every row that has a mark for it; a
/// member with none (003 has no publication date, so its "مارس" is XXXX-03, shown as
/// "March (year unknown)") says so in the table, or a reader follows the number down the
/// rows and finds nothing.
#[test]
fn a_numbered_date_says_which_outlets_are_not_on_the_chart() {
    let (_tmp, site) = build(&root().join("seeds"));
    let page = text(&files(&site), "timeline.html");
    let table = &page[page.find("<h2>Dated by more than one outlet</h2>").unwrap()..];
    let table = &table[..table.find("</table>").unwrap()];
    let rows: Vec<&str> = table.split("<tr><td class=\"num\">").skip(1).collect();
    assert_eq!(rows.len(), 3, "{table}");
    let absent = "(not on the chart: no publication date to place it)";
    // No. 1 is drawn for both its outlets; nos. 2 and 3 have a member from 003.
    assert!(!rows[0].contains("not on the chart"), "{}", rows[0]);
    for row in &rows[1..] {
        assert_eq!(row.matches("not on the chart").count(), 1, "{row}");
        assert!(
            row.contains(r#"<bdi>unknown outlet of 003_542dd368f5c3bf23.txt</bdi>: <span class="value" dir="ltr">"#)
                && row.contains("March (year unknown)</span>")
                && row.contains(absent),
            "{row}"
        );
    }
}

/// A month with a part (منتصف مارس, mid-March) is drawn on the timeline over the days of
/// that part, 11 to 20 March, and named with its part: it was drawn over the whole month
/// and named "2024-03", as if the article had said only "March".
#[test]
fn the_timeline_draws_a_part_of_a_month_over_its_days() {
    let seeds = common::seeds_from(&[
        (
            "a.md",
            "+++\noutlet = \"وكالة أ\"\npublished = 2024-04-12\n+++\n\nوأعلنت النيجر في منتصف مارس إلغاء الاتفاق العسكري مع الولايات المتحدة.\n",
        ),
        (
            "b.md",
            "+++\noutlet = \"وكالة ب\"\npublished = 2024-04-13\n+++\n\nوكانت النيجر قد أعلنت في 16 مارس إلغاء الاتفاق العسكري مع الولايات المتحدة.\n",
        ),
    ]);
    let (_tmp, site) = build(seeds.path());
    let page = text(&files(&site), "timeline.html");
    assert!(
        page.contains("Dated claims from 2024-03-11 to 2024-03-20"),
        "the axis spans the part of March and the day in it: {page}"
    );
    assert!(
        page.contains("<title>وكالة أ — 2024-03 (mid) (agree): منتصف مارس</title>"),
        "{page}"
    );
    assert!(!page.contains("2024-03-01"), "{page}");
}

#[test]
fn a_spelling_rules_toml_does_not_list_is_marked_with_the_listed_one_it_is_close_to() {
    // العربية writes Sadio Camara «ساجيو كامارا», the only outlet to name him, so the name
    // reads "single source"; the mark says it is not the listed «ساديو كامارا».
    let (_tmp, site) = build(&root().join("seeds"));
    let files = files(&site);
    let index = text(&files, "index.html");
    let marked = |spelling: &str, like: &str| {
        format!(
            r#"<span class="alt" title="not in rules.toml; close to {like}"><span aria-hidden="true">≈</span><span class="sr">not in rules.toml; close to {like}:</span></span> <span lang="ar" dir="rtl">{spelling}</span>"#
        )
    };
    assert!(index.contains(&marked("ساجيو كامارا", "ساديو كامارا")));
    // The listed spelling it is close to is shown as rules.toml writes it (إ), not as
    // its name key (ا).
    assert!(index.contains(&marked("لونوس بك إيفكوروف", "يونس بيك إفكوروف")));
    // A listed spelling has no such mark: these two are the only ones.
    assert_eq!(
        index
            .matches(r#"<span class="alt" title="not in rules.toml"#)
            .count(),
        2
    );
    let md = text(&files, "report.md");
    assert!(
        md.contains(
            "| ○ single source | العربية: ساجيو كامارا (≈ ساديو كامارا, not in rules.toml) |"
        ),
        "{md}"
    );
    let report = report_json(&files);
    let likes: Vec<&str> = report["claims"]
        .as_array()
        .expect("claims")
        .iter()
        .filter_map(|c| c["like"].as_str())
        .collect();
    assert_eq!(likes, ["يونس بيك إفكوروف", "ساديو كامارا"]);
}

#[test]
fn page_file_names_are_url_safe() {
    let (_tmp, site) = build(&root().join("seeds"));
    for path in files(&site).keys() {
        assert!(
            path.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c)),
            "{path} has characters that break URLs"
        );
    }
}

/// report.json is indented, but each record (claim, sentence, set-aside span, name
/// mention, diff run) is compact on a line of its own, so a changed record is one changed
/// line that carries its id; the layout changes nothing in the data.
#[test]
fn report_json_has_one_line_per_record() {
    let (_tmp, site) = build(&root().join("seeds"));
    let json = std::fs::read_to_string(site.join("report.json")).expect("report.json");
    let report: compare::render::Report = serde_json::from_str(&json).expect("parses");
    let lines: std::collections::BTreeSet<&str> = json
        .lines()
        .map(|l| l.trim().trim_end_matches(','))
        .collect();
    let on_a_line = |record: String| {
        assert!(
            lines.contains(record.as_str()),
            "not a line of report.json: {record}"
        );
    };
    fn compact<T: serde::Serialize>(record: &T) -> String {
        serde_json::to_string(record).expect("serialises")
    }
    assert!(!report.claims.is_empty() && !report.statements.is_empty());
    for c in &report.claims {
        on_a_line(compact(c));
    }
    for d in &report.documents {
        d.sentences.iter().for_each(|s| on_a_line(compact(&s)));
        d.excluded.iter().for_each(|e| on_a_line(compact(e)));
    }
    for e in &report.entities {
        e.mentions.iter().for_each(|m| on_a_line(compact(m)));
        on_a_line(format!("\"spellings\": {}", compact(&e.spellings)));
    }
    let mut diffs = 0;
    for m in report.statements.iter().flat_map(|s| &s.members) {
        m.diff.iter().for_each(|o| on_a_line(compact(o)));
        diffs += m.diff.len();
        on_a_line(format!("\"claims\": {}", compact(&m.claims)));
        on_a_line(format!("\"values\": {}", compact(&m.values)));
    }
    // A reference member has no diff at all, not an empty one.
    assert!(!json.contains("\"diff\": []"));
    assert!(diffs > 0, "the seeds have word diffs");
    // Fields of larger objects stay one to a line.
    assert!(lines.contains("\"schema\": 1"));
}

/// The rules page shows what each example yields as the other pages show a claim's value:
/// a vague plural with its floor's sign and the rule's unit, a date with its part of the
/// month, not the bare numbers rules.toml writes.
#[test]
fn rule_examples_yield_values_as_the_report_shows_them() {
    let (_tmp, site) = build(&root().join("seeds"));
    let files = files(&site);
    let rules = text(&files, "rules.html");
    let yields = |text: &str, value: &str| {
        format!(
            r#"<td lang="ar" dir="rtl">{text}</td><td><span class="value" dir="ltr">{value}</span>"#
        )
    };
    for (text, value) in [
        ("المئات من سكان", "≥200 people"),
        ("زهاء ألف جندي أميركي", "~1000 soldiers (US)"),
        ("أقل من 100 شخص", "≤100 people"),
        ("ملايين الدولارات", "≥2,000,000 USD"),
        ("منتصف مارس/آذار", "2024-03 (mid)"),
    ] {
        assert!(rules.contains(&yields(text, value)), "{text} → {value}");
    }
}

/// Values and reasons read as a journalist reads them: names as rules.toml spells them,
/// counts with their plural, dates without a year in words; report.json keeps the ids
/// and codes that scripts and `compare diff` read.
#[test]
fn values_and_reasons_show_names_and_words_while_report_json_keeps_codes() {
    let (_tmp, site) = build(&root().join("seeds"));
    let files = files(&site);
    let md = text(&files, "report.md");
    for shown in [
        "### ✓ person: عبد الرحمن تياني, فلاديمير بوتين / فلاديمير بوتين",
        "1 outlet and 1 article of unknown outlet name فلاديمير بوتين; صحيفة الاتحاد also names عبد الرحمن تياني",
        "| صحيفة الاتحاد | 2024-04-12 | عبد الرحمن تياني, فلاديمير بوتين |",
        "1 outlet and 1 article of unknown outlet give \\~1000 soldiers (US)",
        "[≥200 people](",
        "[1500 soldiers (FR)](",
        "[يونس بك يفكوروف, عبد الرحمن تياني, ساليفو مودي](",
        "| unknown outlet of 003\\_542dd368f5c3bf23.txt | no date found | mid-March (year unknown) |",
        "[Thursday (date unknown)](",
        "[a month (date unknown)](",
    ] {
        assert!(md.contains(shown), "report.md lacks {shown}");
    }
    let statements = text(&files, "statements/no-story.html");
    let index = text(&files, "index.html");
    for page in [&md, &statements, &index] {
        // (The names tables give each name's id beside it, for rules.toml.)
        for code in [
            "XXXX",
            "tiani, putin",
            "name putin",
            ">africa_corps",
            " soldier (",
            "≥200 person",
        ] {
            assert!(!page.contains(code), "{code} is shown to the reader");
        }
    }
    // In HTML each name is isolated inside a left-to-right value of its own (a list of
    // them wraps between values on a narrow screen), and each value of a title is
    // isolated too: the reference's name stays first.
    assert!(statements.contains(
        r#"<span class="value" dir="ltr"><bdi lang="ar">عبد الرحمن تياني</bdi></span>, <span class="value" dir="ltr"><bdi lang="ar">فلاديمير بوتين</bdi></span>"#
    ));
    assert!(statements.contains(
        r#"person: <bdi lang="ar">عبد الرحمن تياني</bdi>, <bdi lang="ar">فلاديمير بوتين</bdi> / <bdi lang="ar">فلاديمير بوتين</bdi>"#
    ));
    let report = report_json(&files);
    let displays: Vec<&str> = report["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["display"].as_str().unwrap())
        .collect();
    for code in [
        "tiani",
        "~1000 soldier (US)",
        "≥200 person",
        "XXXX-03 (mid)",
        "XXXX-WXX-4",
    ] {
        assert!(displays.contains(&code), "report.json lacks {code}");
    }
}

/// A statements page's list tells statements of one type and value apart by where their
/// reference sentence is: 001 names the EU in three sentences no other outlet shares.
#[test]
fn the_statement_list_says_where_each_statement_is() {
    let (_tmp, site) = build(&root().join("seeds"));
    let files = files(&site);
    let page = text(&files, "statements/no-story.html");
    for (sentence, line) in [(2, 9), (3, 15), (4, 17)] {
        let entry = format!(
            r##"<a href="#org-001_d45d6a35b88756b9-s{sentence}">org: <bdi lang="ar">الاتحاد الأوروبي</bdi></a> <span class="muted"><bdi>Công Luận</bdi>, line {line}</span></li>"##
        );
        assert!(page.contains(&entry), "{entry}");
    }
    // A statement several outlets report names its reference's outlet and counts the rest.
    assert!(page.contains(
        r##"<a href="#date-000_ad269960ebcb6093-s3">date: 2024-01</a> <span class="muted"><bdi>صحيفة الاتحاد</bdi>, line 4, and 1 more outlet</span></li>"##
    ));
}

#[test]
fn rebuilding_gives_byte_identical_output() {
    let (_a, one) = build(&fixture("conflict"));
    let (_b, two) = build(&fixture("conflict"));
    assert_eq!(files(&one), files(&two));
}

/// On a terminal, `compare build` shows each step and the counts it has, then clears its
/// line; the site it writes is the same byte for byte.
#[test]
fn progress_shows_each_step_and_leaves_the_site_as_it_was() {
    let (_a, quiet) = build(&fixture("conflict"));
    let tmp = tempfile::tempdir().expect("temporary folder");
    let out = tmp.path().join("site");
    let term = compare::progress::Recorder::default();
    let progress = term.progress();
    let outcome = compare::build_with(
        &compare::Options {
            seeds: fixture("conflict"),
            rules: root().join("rules.toml"),
            out: out.clone(),
            force: false,
            lossy: false,
        },
        &progress,
    )
    .expect("build");
    let lines = term.lines();
    let shown = |what: &str| lines.iter().any(|l| l.contains(what));
    let articles = outcome.report.documents.len();
    assert!(articles > 1);
    for step in [
        "checking the rules, listing the articles",
        "reading articles [",
        // The count as each chunk of articles is done: one chunk here.
        &format!("] {articles}/{articles} ("),
        "aligning statements",
        "judging statements",
        "diffing sentences",
        "writing the site, files: ",
    ] {
        assert!(shown(step), "{step:?} is never shown: {lines:#?}");
    }
    // Every file the site was given is counted, from whichever thread wrote it.
    let pages = files(&out).keys().filter(|p| !p.starts_with('.')).count();
    assert_eq!(outcome.files.0, pages as u64);
    assert_eq!(progress.count(), outcome.files.0);
    assert_eq!(
        lines.last().map(String::as_str),
        Some(""),
        "the line is cleared at the end: {lines:#?}"
    );
    assert_eq!(files(&quiet), files(&out));
}

#[test]
fn markup_in_articles_appears_as_text() {
    let hostile = r#"+++
title = "<script>alert('title')</script>"
outlet = "\"><img src=x onerror=alert(1)>"
published = 2024-04-12
url = "javascript:alert(1)"
+++
<script>alert("body")</script> أعلنت الوزارة أن 1500 جندي فرنسي غادروا النيجر "><img src=x onerror=alert(2)> يوم الجمعة.
"#;
    let seeds = common::seeds_from(&[
        ("a.txt", hostile),
        (
            "b.txt",
            "+++\noutlet = \"B <b>bold</b>\"\npublished = 2024-04-13\n+++\nأعلنت الوزارة أن 2000 جندي فرنسي غادروا النيجر يوم الجمعة <script>x</script>.\n",
        ),
    ]);
    let (_tmp, site) = build(seeds.path());
    let files = files(&site);
    let mut pages = 0;
    for (path, bytes) in &files {
        let body = String::from_utf8_lossy(bytes);
        if path.ends_with(".html") {
            pages += 1;
            assert!(!body.contains("<script"), "{path}: a <script> element");
            assert!(!body.contains("<img"), "{path}: an <img> element");
            assert!(
                !body.contains("<b>"),
                "{path}: a <b> element from an article"
            );
            assert!(
                !body.contains("javascript:alert(1)\""),
                "{path}: a javascript: link"
            );
        }
        if path == "report.md" {
            // Markdown escapes with a backslash: `\<script\>` shows as text on GitHub.
            for (i, _) in body.match_indices('<') {
                let raw = !body[..i].ends_with('\\');
                let ours = body[i..].starts_with("<br>");
                assert!(!raw || ours, "report.md: raw markup at {:?}", &body[i..]);
            }
        }
    }
    assert!(pages >= 4);
    let index = text(&files, "index.html");
    assert!(
        index.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"),
        "outlet shown as text"
    );
    assert!(
        index.contains("&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;"),
        "title shown as text"
    );
    let doc = text(&files, "documents/no-story.html");
    assert!(
        doc.contains("&lt;script&gt;alert(&quot;body&quot;)&lt;/script&gt;"),
        "body shown as text"
    );
    assert!(
        doc.contains("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"),
        "body shown as text"
    );
    assert!(
        doc.contains("<code>javascript:alert(1)</code>"),
        "a non-http URL is text"
    );
}

/// A corpus of `stories` stories, two outlets each, in a fresh seeds folder: each story
/// has a troop count the outlets disagree on and a date they agree on.
fn story_corpus(stories: usize) -> tempfile::TempDir {
    let mut files = Vec::new();
    for s in 0..stories {
        for (outlet, troops, day) in [
            ("وكالة الساحل", 1500 + s, 22),
            ("Sahel Journal", 2500 + s, 23),
        ] {
            let text = format!(
                "+++\ntitle = \"خبر {s}\"\noutlet = \"{outlet}\"\npublished = 2023-12-{day}\nstory = \"story-{s:04}\"\n+++\nأعلنت هيئة الأركان الفرنسية أن آخر {troops} جندي فرنسي غادروا مدينة رقم {s} يوم الجمعة.\n\nوكانت القوات قد انتشرت في المدينة رقم {s} منذ عام 2013.\n"
            );
            let name = if day == 22 { "a" } else { "b" };
            files.push((format!("story{s:04}/{name}.md"), text));
        }
    }
    common::seeds_from(&files)
}

#[test]
fn a_corpus_of_several_stories_gets_a_page_per_story() {
    let corpus = story_corpus(3);
    let (_tmp, site) = build(corpus.path());
    let files = files(&site);
    let index = text(&files, "index.html");
    assert!(
        index.contains(r#"<section id="stories""#),
        "{}",
        main_of(&index)
    );
    assert!(index.contains(r#"<a href="stories/story-0001.html" dir="auto">story-0001</a>"#));
    // Conflicts of every story come first on the index, each naming its story.
    assert!(index.contains("Conflicts (3)"));
    assert!(index.contains(r#"<p class="story">Story: <a href="stories/story-0002.html""#));
    // No corpus-wide coverage matrix: outlets of different stories never meet.
    assert!(!index.contains(r#"<table class="matrix">"#));
    // Agreements of every story are one row each, with their story, their statement and
    // their outlets; their evidence stays on the story pages.
    let agreements = list_of(&index, "agreements");
    assert!(agreements.contains("<h2 id=\"h-agreements\">Agreements (6)</h2>"));
    assert!(
        !agreements.contains(r#"<article class="card"#),
        "{agreements}"
    );
    assert!(
        agreements.contains(
            r#"<tr><td><a href="stories/story-0001.html" dir="auto">story-0001</a></td><td><a href="statements/story-0001.html#date-story0001__a_md-s2">date: 2013</a></td><td class="num">2</td><td dir="auto"><bdi>وكالة الساحل</bdi>, <bdi>Sahel Journal</bdi></td></tr>"#
        ),
        "{agreements}"
    );
    let story = text(&files, "stories/story-0001.html");
    assert!(story.contains("<h1>Story: <span dir=\"auto\">story-0001</span></h1>"));
    assert!(
        story.contains(r#"<table class="matrix">"#),
        "coverage on the story page"
    );
    // The troop counts conflict; the Friday and the year agree.
    assert!(story.contains("Conflicts (1)") && story.contains("Agreements (2)"));
    // Its timeline is the last section of its page, one heading level down.
    assert!(!files.contains_key("stories/story-0001-timeline.html"));
    let timeline = &story[story
        .find(r#"<section id="timeline" aria-labelledby="h-timeline"><h2 id="h-timeline">Timeline</h2>"#)
        .expect("the timeline section")..];
    assert!(timeline.contains(r#"<svg class="timeline""#));
    assert!(
        timeline.contains("<h3>Dated by more than one outlet</h3>"),
        "{timeline}"
    );
    assert!(!timeline.contains("<h1>"));
    // A story's statements are on its own page, which counts the outlets of its story,
    // not of the corpus.
    let statements = text(&files, "statements/story-0001.html");
    assert!(
        statements.contains(">Statements: story-0001</h1>"),
        "{}",
        main_of(&statements)
    );
    let id = statements
        .split(r#"<section class="statement" id=""#)
        .skip(1)
        .map(|rest| &rest[..rest.find('"').expect("end of id")])
        .find(|id| id.starts_with("troops-"))
        .expect("a troops statement");
    let troops = section_of(&statements, id);
    assert!(troops.contains("Reported by 2 of 2 outlets"), "{troops}");
    assert!(troops.contains("<p class=\"diff\"") && troops.contains("<del>"));
    // A sentence word for word the reference's says so rather than repeat itself.
    let year = section_of(&statements, "date-story0001__a_md-s2");
    assert!(
        year.contains("Against the reference: word for word the same.")
            && !year.contains("<p class=\"diff\""),
        "{year}"
    );
    let story_agreements = list_of(&story, "agreements");
    assert_eq!(
        story_agreements
            .matches(r#"<article class="card agree">"#)
            .count(),
        2,
        "a story's own page keeps its agreements' evidence: {story_agreements}"
    );
    assert!(
        !files.keys().any(|p| p.starts_with("statements/troops-")),
        "no page per statement"
    );
    assert_links_resolve(&site);
}

#[test]
fn statements_and_articles_of_one_large_story_are_spread_over_numbered_pages() {
    // A generated corpus without its story keys: one story of many statements.
    let corpus = tempfile::tempdir().expect("temporary folder");
    compare::gen::generate(&compare::gen::GenOptions {
        stories: 20,
        seed: 1,
        out: corpus.path().to_path_buf(),
        force: false,
    })
    .expect("generate a corpus");
    let seeds = corpus.path().join("seeds");
    for dir in std::fs::read_dir(&seeds).expect("seeds").flatten() {
        for file in std::fs::read_dir(dir.path()).expect("story").flatten() {
            let text = std::fs::read_to_string(file.path()).expect("article");
            let kept: String = text
                .lines()
                .filter(|l| !l.starts_with("story = "))
                .map(|l| format!("{l}\n"))
                .collect();
            std::fs::write(file.path(), kept).expect("rewrite article");
        }
    }
    let (_tmp, site) = build(&seeds);
    assert_links_resolve(&site);
    let files = files(&site);
    let report = report_json(&files);
    let statements = report["statements"].as_array().expect("statements");
    assert!(
        statements.len() > 2 * compare::render::STATEMENTS_PER_PAGE,
        "{} statements: too few to fill three pages",
        statements.len()
    );
    // Every statement is a section of the page report.json names, and no page holds
    // more than a page's worth.
    let mut per_page: BTreeMap<&str, usize> = BTreeMap::new();
    for st in statements {
        let page = st["page"].as_str().expect("page");
        let id = st["id"].as_str().expect("id");
        let html = text(&files, page);
        assert!(
            html.contains(&format!(r#"<section class="statement" id="{id}">"#)),
            "{id} is not on {page}"
        );
        *per_page.entry(page).or_default() += 1;
    }
    let expected = statements
        .len()
        .div_ceil(compare::render::STATEMENTS_PER_PAGE);
    assert_eq!(per_page.len(), expected, "{per_page:?}");
    // The pages read in the report's order (article, then sentence number), so the third
    // sentence's statements come before the thirteenth's, as the ids as text would not.
    let page_number = |page: &str| -> usize {
        page.rsplit_once(".p")
            .and_then(|(_, n)| n.trim_end_matches(".html").parse().ok())
            .unwrap_or(1)
    };
    let places: Vec<(usize, usize)> = statements
        .iter()
        .map(|st| {
            let (page, id) = (st["page"].as_str().unwrap(), st["id"].as_str().unwrap());
            let html = text(&files, page);
            let at = html
                .find(&format!(r#"<section class="statement" id="{id}">"#))
                .unwrap();
            (page_number(page), at)
        })
        .collect();
    assert!(
        places.windows(2).all(|w| w[0] < w[1]),
        "statements are not shown in the report's order"
    );
    // And that order is by article, then sentence number: each statement's anchor (its
    // member with the smallest document id and sentence) never goes back.
    let anchors: Vec<(&str, u64)> = statements
        .iter()
        .map(|st| {
            st["members"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| (m["doc"].as_str().unwrap(), m["sentence"].as_u64().unwrap()))
                .min()
                .unwrap()
        })
        .collect();
    assert!(anchors.windows(2).all(|w| w[0] <= w[1]), "{anchors:?}");
    let by_text = statements
        .windows(2)
        .any(|w| w[0]["id"].as_str() > w[1]["id"].as_str());
    assert!(
        by_text,
        "the corpus no longer tells report order from id order"
    );
    assert!(per_page.contains_key("statements/no-story.html"));
    assert!(per_page.contains_key(format!("statements/no-story.p{expected}.html").as_str()));
    assert!(per_page
        .values()
        .all(|&n| n <= compare::render::STATEMENTS_PER_PAGE));
    // Articles likewise, DOCUMENTS_PER_PAGE to a page.
    let documents = report["documents"].as_array().expect("documents");
    let mut per_page: BTreeMap<&str, usize> = BTreeMap::new();
    for d in documents {
        let page = d["page"].as_str().expect("page");
        let id = d["id"].as_str().expect("id");
        assert!(
            text(&files, page).contains(&format!(r#"<article class="document" id="{id}">"#)),
            "{id} is not on {page}"
        );
        *per_page.entry(page).or_default() += 1;
    }
    assert_eq!(
        per_page.len(),
        documents
            .len()
            .div_ceil(compare::render::DOCUMENTS_PER_PAGE)
    );
    assert!(per_page
        .values()
        .all(|&n| n <= compare::render::DOCUMENTS_PER_PAGE));
    // The pager of each page links the others.
    let second = text(&files, "statements/no-story.p2.html");
    assert!(
        second.contains(r#"<a href="no-story.html">1</a>"#),
        "{}",
        main_of(&second)
    );
    assert!(second.contains(r#"<strong aria-current="page">2</strong>"#));
}

#[test]
fn long_lists_continue_on_numbered_pages_and_no_page_grows_with_the_corpus() {
    let largest = |stories: usize| {
        let corpus = story_corpus(stories);
        let (_tmp, site) = build(corpus.path());
        assert_links_resolve(&site);
        let files = files(&site);
        let index = text(&files, "index.html");
        let pages = stories.div_ceil(100);
        assert!(
            index.contains(&format!(
                r#"<a href="lists/conflicts-{pages}.html">{pages}</a>"#
            )),
            "the pager links the last page of conflicts"
        );
        let last = text(&files, &format!("lists/conflicts-{pages}.html"));
        assert!(last.contains(&format!("Conflicts, page {pages} of {pages}")));
        assert!(last.contains(&format!(
            "conflicts {}–{stories} of {stories}",
            (pages - 1) * 100 + 1
        )));
        files
            .iter()
            .filter(|(p, _)| p.ends_with(".html"))
            .map(|(p, b)| (b.len(), p.clone()))
            .max()
            .expect("pages")
    };
    let (small, small_page) = largest(120);
    let (big, big_page) = largest(360);
    assert!(
        (big as f64) < small as f64 * 1.05,
        "the largest page grew from {small} bytes ({small_page}) to {big} ({big_page})"
    );
}

/// Story names that look like page names of other stories: `no-story` (the page of the
/// articles without a story) and two names that differ only in case (one file on a file
/// system that ignores case). Every article keeps a page of its own story, and every
/// link resolves.
#[test]
fn story_names_never_share_a_page() {
    let articles: Vec<(String, String)> = [
        ("w", "Alpha", None),
        ("x", "Beta", Some("no-story")),
        ("y", "Gamma", Some("Niger")),
        ("z", "Delta", Some("niger")),
    ]
    .into_iter()
    .map(|(id, outlet, story)| {
        let story = story.map_or(String::new(), |s| format!("story = \"{s}\"\n"));
        let text = format!(
            "+++\noutlet = \"{outlet}\"\npublished = 2024-01-02\n{story}+++\nوصل 500 جندي روسي إلى نيامي يوم الثلاثاء.\n"
        );
        (format!("{id}.md"), text)
    })
    .collect();
    let seeds = common::seeds_from(&articles);
    let (_tmp, site) = build(seeds.path());
    let files = files(&site);
    let pages: Vec<String> = files
        .keys()
        .filter(|p| p.starts_with("documents/"))
        .map(|p| p.to_lowercase())
        .collect();
    let unique: std::collections::BTreeSet<&String> = pages.iter().collect();
    assert_eq!(pages.len(), 4, "{pages:?}");
    assert_eq!(unique.len(), 4, "{pages:?}");
    for id in ["w", "x", "y", "z"] {
        let on = files
            .iter()
            .filter(|(p, b)| {
                p.starts_with("documents/")
                    && String::from_utf8_lossy(b).contains(&format!("id=\"{id}\""))
            })
            .count();
        assert_eq!(on, 1, "article {id} is on one documents page");
    }
    assert_links_resolve(&site);
}

/// The statements of a report.json, by id: (verdict, outlets of its members).
fn statements_of(report: &serde_json::Value) -> BTreeMap<String, (String, Vec<String>)> {
    report["statements"]
        .as_array()
        .expect("statements")
        .iter()
        .map(|s| {
            let outlets = s["members"]
                .as_array()
                .expect("members")
                .iter()
                .map(|m| m["outlet"].as_str().expect("outlet").to_string())
                .collect();
            let verdict = s["verdict"].as_str().expect("verdict").to_string();
            (
                s["id"].as_str().expect("id").to_string(),
                (verdict, outlets),
            )
        })
        .collect()
}

/// The statement `id` of report.json.
fn statement<'a>(report: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    report["statements"]
        .as_array()
        .expect("statements")
        .iter()
        .find(|s| s["id"] == id)
        .unwrap_or_else(|| panic!("no statement {id}"))
}

/// The values a statement's member from document `doc` gives (report.json's `values`).
fn member_values(report: &serde_json::Value, id: &str, doc: &str) -> Vec<String> {
    let member = statement(report, id)["members"]
        .as_array()
        .expect("members")
        .iter()
        .find(|m| m["doc"] == doc)
        .unwrap_or_else(|| panic!("{doc} is not in {id}"));
    member["values"]
        .as_array()
        .expect("values")
        .iter()
        .map(|v| v.as_str().expect("value").to_string())
        .collect()
}

/// One attack, four outlets: the dead (40, 42 and at least 40) and the wounded (65) are
/// two statements that agree, not one that conflicts. Counting the dead and counting the
/// wounded are told apart by the `casualty` lexicon of `align.distinguish` in rules.toml.
/// ج gives both in one sentence (40 قتيلا و65 جريحا): each count goes with its own
/// casualty word, so that sentence is in both statements, with one value in each.
#[test]
fn the_dead_and_the_wounded_are_two_statements_not_a_conflict() {
    let (_tmp, site) = build(&fixture("casualties"));
    let files = files(&site);
    let report = report_json(&files);
    let statements = statements_of(&report);
    assert_eq!(statements.len(), 2, "{statements:?}");
    let killed = &statements["people-a-s2"];
    let wounded = &statements["people-a-s3"];
    assert_eq!(killed.0, "agree", "{statements:?}");
    assert_eq!(killed.1, ["وكالة أ", "صحيفة ب", "موقع ج"], "{statements:?}");
    assert_eq!(wounded.0, "agree", "{statements:?}");
    assert_eq!(
        wounded.1,
        ["وكالة أ", "صحيفة ب", "موقع ج", "إذاعة د"],
        "{statements:?}"
    );
    assert_eq!(member_values(&report, "people-a-s2", "c"), ["40 person"]);
    assert_eq!(member_values(&report, "people-a-s3", "c"), ["65 person"]);
    assert!(
        statements
            .values()
            .all(|(verdict, _)| verdict != "conflict"),
        "{statements:?}"
    );
    // 65 جريحا is a count of people, beside 40 قتيلا in the same sentence.
    let values: Vec<u64> = report["claims"]
        .as_array()
        .expect("claims")
        .iter()
        .filter(|c| c["doc"] == "c")
        .filter_map(|c| c["value"].as_u64())
        .collect();
    assert_eq!(values, [40, 65]);
}

/// One sentence, two dates: the broadcast on Thursday and the landing the night before.
/// أ and ب agree on Thursday but place the landing on different nights (Wednesday, the
/// 10th, and Tuesday, the 9th): a conflict, whose reason names the dates that differ and
/// the one both give. ج gives only Thursday, which agrees with both.
#[test]
fn two_dates_in_one_sentence_conflict_when_one_of_them_differs() {
    let (_tmp, site) = build(&fixture("two-dates"));
    let files = files(&site);
    let report = report_json(&files);
    let statements = statements_of(&report);
    let dates = &statements["date-a-s2"];
    assert_eq!(dates.0, "conflict", "{statements:?}");
    assert_eq!(dates.1, ["وكالة أ", "صحيفة ب", "موقع ج"], "{statements:?}");
    assert_eq!(
        member_values(&report, "date-a-s2", "a"),
        ["2024-04-11", "2024-04-10"]
    );
    assert_eq!(member_values(&report, "date-a-s2", "c"), ["2024-04-11"]);
    let reason = statement(&report, "date-a-s2")["reason"]
        .as_str()
        .expect("a reason");
    assert_eq!(
        reason,
        "وكالة أ gives 2024-04-10 but صحيفة ب gives 2024-04-09 (the dates do not overlap); \
         both give 2024-04-11"
    );
    let md = String::from_utf8(files["report.md"].clone()).expect("report.md");
    assert!(md.contains("## Conflicts (1)"), "{md}");
}

/// A figure in a headline is a statement of its own, which only its outlet reports: the
/// headline is matched with no other sentence. Its reason then says which other outlets
/// give the same figure elsewhere in the story (here ب, in the body sentence أ's body
/// repeats), and not the outlet itself. A figure no other outlet gives says nothing more.
#[test]
fn a_single_source_figure_says_which_outlets_give_it_in_other_sentences() {
    let (_tmp, site) = build(&fixture("headline-figure"));
    let files = files(&site);
    let report = report_json(&files);
    let reasons: BTreeMap<&str, (&str, &str)> = report["statements"]
        .as_array()
        .expect("statements")
        .iter()
        .map(|s| {
            let field = |k: &str| s[k].as_str().expect("a string");
            (field("id"), (field("verdict"), field("reason")))
        })
        .collect();
    assert_eq!(
        reasons["people-a-s1"],
        (
            "single",
            "Only وكالة أ reports this (100 people); also given in other sentences: 100 people by صحيفة ب"
        ),
        "{reasons:?}"
    );
    assert_eq!(reasons["people-a-s2"].0, "agree", "{reasons:?}");
    assert_eq!(
        reasons["money-a-s3"],
        ("single", "Only وكالة أ reports this (50,000,000 USD)"),
        "{reasons:?}"
    );
    let page = String::from_utf8(files["statements/no-story.html"].clone()).expect("a page");
    assert!(
        page.contains(
            r#"also given in other sentences: 100 people by <bdi lang="ar">صحيفة ب</bdi>"#
        ),
        "{page}"
    );
    // The same, for machines, and in the single-source tables' own column.
    assert_eq!(
        statement(&report, "people-a-s1")["elsewhere"],
        serde_json::json!([{"value": "100 person", "outlets": ["صحيفة ب"]}])
    );
    let money = statement(&report, "money-a-s3");
    assert!(money.get("elsewhere").is_none(), "{money}");
    let index = String::from_utf8(files["index.html"].clone()).expect("index.html");
    assert!(
        index.contains(r#"<td class="elsewhere">100 people by <bdi lang="ar">صحيفة ب</bdi></td>"#),
        "{index}"
    );
    let md = String::from_utf8(files["report.md"].clone()).expect("report.md");
    assert!(md.contains("| 100 people by صحيفة ب |"), "{md}");
    assert!(md.contains(r#"| — |"#), "{md}");
    // The coverage matrix: ب reports the headline's statement nowhere, but gives its
    // figure in another sentence.
    assert!(md.contains("| _elsewhere_ | 100 people |"), "{md}");
    assert!(
        index.contains(r#"<td class="silent"><em>elsewhere</em>"#),
        "{index}"
    );
}

/// Russian troops sent to two countries, in one sentence by two outlets (أ: 1500 to Mali
/// and 1000 to Niger; د: in Mali 1500 and in Niger 1000) and in a sentence each by two
/// others: each count goes with the place of its own clause, so there are two statements,
/// Mali's and Niger's, both agreeing, and each of those sentences is in both with one
/// value in each. The second statement anchored on أ's sentence is told apart by its
/// claim's number.
#[test]
fn troops_sent_to_two_places_in_one_sentence_are_two_statements() {
    let (_tmp, site) = build(&fixture("places"));
    let files = files(&site);
    let report = report_json(&files);
    let statements = statements_of(&report);
    assert_eq!(statements.len(), 2, "{statements:?}");
    let mali = &statements["troops-a-s2"];
    let niger = &statements["troops-a-s2-2"];
    assert_eq!(mali.0, "agree", "{statements:?}");
    assert_eq!(mali.1, ["وكالة أ", "صحيفة ب", "إذاعة د"], "{statements:?}");
    assert_eq!(niger.0, "agree", "{statements:?}");
    assert_eq!(niger.1, ["وكالة أ", "موقع ج", "إذاعة د"], "{statements:?}");
    for doc in ["a", "b", "d"] {
        assert_eq!(
            member_values(&report, "troops-a-s2", doc),
            ["1500 soldier (RU)"]
        );
    }
    assert_eq!(
        member_values(&report, "troops-a-s2-2", "a"),
        ["1000 soldier (RU)"]
    );
    assert_eq!(
        member_values(&report, "troops-a-s2-2", "d"),
        ["1000 soldier"]
    );
    // Each claim links to its own statement, on a page where it has an anchor.
    let claims: Vec<(&str, &str)> = report["claims"]
        .as_array()
        .expect("claims")
        .iter()
        .filter(|c| c["doc"] == "a")
        .map(|c| {
            (
                c["id"].as_str().expect("id"),
                c["statement"].as_str().expect("statement"),
            )
        })
        .collect();
    assert_eq!(
        claims,
        [
            ("a-s2-troops-1", "troops-a-s2"),
            ("a-s2-troops-2", "troops-a-s2-2")
        ]
    );
    assert_links_resolve(&site);
}

/// An article whose outlet is found nowhere is named as of unknown outlet, by its file,
/// alike in report.md, the pages, the reasons and report.json; two such articles are two
/// articles of unknown outlet, neither counted as an outlet nor as one outlet together.
#[test]
fn articles_of_unknown_outlet_are_named_by_their_file_and_not_counted_as_outlets() {
    let sentence = "أعلنت هيئة الأركان الفرنسية أن آخر 1500 جندي فرنسي غادروا النيجر.\n";
    let seeds = common::seeds_from(&[
        (
            "a.md",
            format!("+++\noutlet = \"وكالة الساحل\"\npublished = 2023-12-22\n+++\n{sentence}"),
        ),
        (
            "b.txt",
            format!("+++\npublished = 2023-12-23\n+++\n{sentence}"),
        ),
        (
            "sahel/b.txt",
            format!("+++\npublished = 2023-12-24\n+++\n{sentence}"),
        ),
    ]);
    let (_tmp, site) = build(seeds.path());
    let files = files(&site);

    let md = text(&files, "report.md");
    assert!(
        md.contains("3 articles from 1 outlet (2 articles' outlets unknown), published"),
        "{md}"
    );
    assert!(
        md.contains(
            "**Verdict: agree.** 1 outlet and 2 articles of unknown outlet give 1500 soldiers (FR)"
        ),
        "{md}"
    );
    for row in [
        "| وكالة الساحل | 2023-12-22 | 1500 soldiers (FR) |",
        "| unknown outlet of b.txt | 2023-12-23 | 1500 soldiers (FR) |",
        "| unknown outlet of sahel/b.txt | 2023-12-24 | 1500 soldiers (FR) |",
        "| [sahel/b.txt](documents/no-story.html#sahel__b_txt) | unknown outlet of sahel/b.txt |",
    ] {
        assert!(md.contains(row), "report.md lacks {row}\n{md}");
    }
    // The known outlet's column first, then each article of unknown outlet.
    assert!(
        md.contains("| Statement | وكالة الساحل | unknown outlet of b.txt | unknown outlet of sahel/b.txt |"),
        "{md}"
    );

    let index = text(&files, "index.html");
    assert!(
        index.contains(
            "<p class=\"corpus\">3 articles from 1 outlet (2 articles&#39; outlets unknown), published"
        ),
        "{}",
        main_of(&index)
    );
    let documents = text(&files, "documents/no-story.html");
    assert!(
        documents.contains("<dt>Outlet</dt><dd><bdi>unknown outlet of sahel/b.txt</bdi> <span class=\"muted\">(none found in the article"),
        "{}",
        main_of(&documents)
    );

    let report: serde_json::Value =
        serde_json::from_str(&text(&files, "report.json")).expect("report.json");
    assert_eq!(report["corpus"]["articles"], 3);
    assert_eq!(report["corpus"]["outlets"], 1);
    assert_eq!(report["corpus"]["outlet_unknown"], 2);
    let outlets: Vec<(&str, &str)> = report["documents"]
        .as_array()
        .expect("documents")
        .iter()
        .map(|d| {
            (
                d["outlet"].as_str().expect("outlet"),
                d["outlet_source"].as_str().expect("outlet_source"),
            )
        })
        .collect();
    assert_eq!(
        outlets,
        [
            ("وكالة الساحل", "front matter"),
            ("unknown outlet of b.txt", "file name"),
            ("unknown outlet of sahel/b.txt", "file name"),
        ]
    );
    let statement = &report["statements"][0];
    assert_eq!(statement["verdict"], "agree", "{statement}");
    let members: Vec<&str> = statement["members"]
        .as_array()
        .expect("members")
        .iter()
        .map(|m| m["outlet"].as_str().expect("outlet"))
        .collect();
    assert_eq!(
        members,
        [
            "وكالة الساحل",
            "unknown outlet of b.txt",
            "unknown outlet of sahel/b.txt"
        ]
    );
}

/// A statement page counts who reports the statement as the corpus header does: the
/// outlets found, then apart the articles of unknown outlet, which it names after the
/// outlets that do not report it; its table of contents counts them apart too.
#[test]
fn statement_pages_count_articles_of_unknown_outlet_apart_from_outlets() {
    let troops = "أعلنت هيئة الأركان الفرنسية أن آخر 1500 جندي فرنسي غادروا النيجر.\n";
    let people = "وقالت الوكالة إن 40 شخصا قتلوا في هجوم على قرية قرب الحدود.\n";
    let money = "واستثمرت الولايات المتحدة 100 مليون دولار في قاعدة جوية هناك.\n";
    let seeds = common::seeds_from(&[
        (
            "a.md",
            format!(
                "+++\noutlet = \"وكالة الساحل\"\npublished = 2023-12-22\n+++\n{troops}{people}"
            ),
        ),
        (
            "c.md",
            format!("+++\noutlet = \"Sahel Post\"\npublished = 2023-12-22\n+++\n{troops}"),
        ),
        (
            "b.txt",
            format!("+++\npublished = 2023-12-23\n+++\n{troops}"),
        ),
        (
            "sahel/b.txt",
            format!("+++\npublished = 2023-12-24\n+++\n{troops}{money}"),
        ),
    ]);
    let (_tmp, site) = build(seeds.path());
    let files = files(&site);
    let md = text(&files, "report.md");
    assert!(
        md.contains("4 articles from 2 outlets (2 articles' outlets unknown)"),
        "{md}"
    );
    let page = text(&files, "statements/no-story.html");
    for line in [
        "Reported by 2 of 2 outlets and by 2 articles of unknown outlet.</p>",
        "Reported by 1 of 2 outlets; not by <bdi>Sahel Post</bdi>, nor by <bdi>unknown outlet of b.txt</bdi>, <bdi>unknown outlet of sahel/b.txt</bdi>.</p>",
        "Reported only by 1 of 2 articles of unknown outlet; not by <bdi>Sahel Post</bdi>, <bdi>وكالة الساحل</bdi>, nor by <bdi>unknown outlet of b.txt</bdi>.</p>",
        ", and 1 more outlet and 2 articles of unknown outlet</span></li>",
    ] {
        assert!(page.contains(line), "the statement page lacks {line}\n{}", main_of(&page));
    }
    assert!(!page.contains(" of 4 outlets"), "{}", main_of(&page));
}

/// Across stories, the table of agreements counts a statement's outlets as the header
/// does, its articles of unknown outlet apart.
#[test]
fn agreements_across_stories_count_articles_of_unknown_outlet_apart() {
    let troops = "أعلنت هيئة الأركان الفرنسية أن آخر 1500 جندي فرنسي غادروا النيجر.\n";
    let seeds = common::seeds_from(
        &[
            ("a.md", "outlet = \"Sahel Post\"\nstory = \"one\"\n"),
            ("b.md", "story = \"one\"\n"),
            ("c.md", "outlet = \"Sahel Post\"\nstory = \"two\"\n"),
            ("d.md", "outlet = \"Niger Daily\"\nstory = \"two\"\n"),
        ]
        .map(|(name, front)| (name, format!("+++\n{front}+++\n{troops}"))),
    );
    let (_tmp, site) = build(seeds.path());
    let files = files(&site);
    let tables: String = files
        .keys()
        .filter(|p| p.ends_with(".html"))
        .map(|p| text(&files, p))
        .filter(|page| page.contains(r#"<th scope="col">Reported by</th></tr></thead>"#))
        .collect();
    assert!(!tables.is_empty(), "no table of agreements");
    assert!(
        tables.contains(r#"<td class="num">1 + 1 article of unknown outlet</td>"#),
        "{tables}"
    );
    assert!(tables.contains(r#"<td class="num">2</td>"#), "{tables}");
    // The table of stories counts them so too: story one is of 1 outlet and 1 article
    // of unknown outlet, not of 1 outlet.
    let index = text(&files, "index.html");
    let stories = &index[index
        .find("<th scope=\"col\">Story</th><th scope=\"col\">Articles</th>")
        .expect("table of stories")..];
    let one = &stories[stories.find(">one</a>").expect("story one")..];
    let one = &one[..one.find("</tr>").expect("its row")];
    assert!(
        one.contains(
            r#"<td class="num">2</td><td class="num">1 + 1 article of unknown outlet</td>"#
        ),
        "{one}"
    );
    let two = &stories[stories.find(">two</a>").expect("story two")..];
    let two = &two[..two.find("</tr>").expect("its row")];
    assert!(
        two.contains(r#"<td class="num">2</td><td class="num">2</td>"#),
        "{two}"
    );
}

/// Past a dozen columns the coverage table counts the outlets that do not report a
/// statement, and apart the articles of unknown outlet that do not, in index.html and
/// report.md; so does the statement page, which no longer names them.
#[test]
fn wide_coverage_counts_articles_of_unknown_outlet_apart_from_outlets() {
    let troops = "أعلنت هيئة الأركان الفرنسية أن آخر 1500 جندي فرنسي غادروا النيجر.\n";
    let money = "واستثمرت الولايات المتحدة 100 مليون دولار في قاعدة جوية هناك.\n";
    let people = "وقالت الوكالة إن 40 شخصا قتلوا في هجوم على قرية قرب الحدود.\n";
    let mut articles: Vec<(String, String)> = (0..12)
        .map(|i| {
            let more = if i == 0 { people } else { "" };
            (
                format!("o{i:02}.md"),
                format!("+++\noutlet = \"outlet{i:02}\"\n+++\n{troops}{more}"),
            )
        })
        .collect();
    articles.push(("x.txt".into(), troops.into()));
    articles.push(("y.txt".into(), money.into()));
    let seeds = common::seeds_from(&articles);
    let (_tmp, site) = build(seeds.path());
    let files = files(&site);
    let md = text(&files, "report.md");
    assert!(
        md.contains("| Statement | Reported by | Not reporting |"),
        "{md}"
    );
    assert!(
        md.contains(" | 0 of 12, and 1 of 2 articles of unknown outlet |"),
        "{md}"
    );
    assert!(
        md.contains(" | 12 of 12, and 1 of 2 articles of unknown outlet |"),
        "{md}"
    );
    assert!(
        md.contains(" | 11 of 12, and 2 articles of unknown outlet |"),
        "{md}"
    );
    let index = text(&files, "index.html");
    assert!(
        index.contains(r#"<td class="silent">0 of 12, and 1 of 2 articles of unknown outlet</td>"#),
        "{}",
        main_of(&index)
    );
    let page = text(&files, "statements/no-story.html");
    for line in [
        "Reported by 12 of 12 outlets and by 1 of 2 articles of unknown outlet.</p>",
        "Reported only by 1 of 2 articles of unknown outlet.</p>",
        "Reported by 1 of 12 outlets; not by the 2 articles of unknown outlet.</p>",
    ] {
        assert!(
            page.contains(line),
            "the statement page lacks {line}\n{}",
            main_of(&page)
        );
    }
}

/// An article with no text to compare (empty, front matter alone, nothing but
/// boilerplate, nothing but punctuation) is read and listed with what was set aside, but
/// counted as no article, no outlet and no date: the header of report.md and index.html
/// and report.json's counts say how many were compared, and apart, how many had no text.
#[test]
fn articles_without_text_are_listed_but_not_counted_as_compared() {
    let sentence = "أعلنت هيئة الأركان الفرنسية أن آخر 1500 جندي فرنسي غادروا النيجر.\n";
    let seeds = common::seeds_from(&[
        (
            "a.md",
            format!("+++\noutlet = \"وكالة الساحل\"\npublished = 2023-12-22\n+++\n{sentence}"),
        ),
        (
            "b.md",
            format!("+++\noutlet = \"Sahel Journal\"\npublished = 2023-12-23\n+++\n{sentence}"),
        ),
        ("c_empty.txt", String::new()),
        (
            "d_ghost.md",
            "+++\noutlet = \"Ghost\"\npublished = 2020-01-01\n+++\n".to_string(),
        ),
        (
            "e_ads.txt",
            "+++\noutlet = \"Sahel Journal\"\npublished = 2023-12-24\n+++\n[إعلان 1]\nكلمات دلالية: النيجر، روسيا\n".to_string(),
        ),
        ("f_dots.txt", "… !!! …\n".to_string()),
    ]);
    let (_tmp, site) = build(seeds.path());
    let files = files(&site);

    let header = "2 articles from 2 outlets, published 2023-12-22 to 2023-12-23; 2 claims in 1 statement: 0 conflicts, 1 agreement, 0 single-source; 4 more articles had no text to compare once boilerplate was set aside";
    let md = text(&files, "report.md");
    assert!(
        md.contains(&format!("{header}: see Articles below.\n")),
        "{md}"
    );
    assert!(md.contains("## Articles (6)"), "{md}");
    for row in [
        "| [a.md](documents/no-story.html#a) | وكالة الساحل | 2023-12-22 | 1 | 1 | 0 |",
        "| [c\\_empty.txt](documents/no-story.html#c_empty) | unknown outlet of c\\_empty.txt | no date found | 0: no text to compare | 0 | 0 |",
        "| [d\\_ghost.md](documents/no-story.html#d_ghost) | Ghost | 2020-01-01 | 0: no text to compare | 0 | 0 |",
        "| [e\\_ads.txt](documents/no-story.html#e_ads) | Sahel Journal | 2023-12-24 | 0: no text to compare | 0 | 2 |",
        "| [f\\_dots.txt](documents/no-story.html#f_dots) | unknown outlet of f\\_dots.txt | no date found | 0: no text to compare | 0 | 0 |",
    ] {
        assert!(md.contains(row), "report.md lacks {row}\n{md}");
    }
    // The coverage matrix has a column per outlet that reports: none for Ghost.
    assert!(
        md.contains("| Statement | Sahel Journal | وكالة الساحل |\n"),
        "{md}"
    );

    let index = text(&files, "index.html");
    assert!(
        index.contains(&format!(
            r##"<p class="corpus">{header}: see <a href="#documents">Articles</a>.</p>"##
        )),
        "{}",
        main_of(&index)
    );
    let listed = list_of(&index, "documents");
    assert_eq!(
        listed
            .matches(r#"<span class="missing">no text to compare</span>"#)
            .count(),
        4,
        "{listed}"
    );
    let statements = text(&files, "statements/no-story.html");
    assert!(
        statements.contains("Reported by 2 of 2 outlets.</p>"),
        "{}",
        main_of(&statements)
    );
    // Nothing is lost: the article's page shows what was set aside, and why it has no text.
    let documents = text(&files, "documents/no-story.html");
    assert!(documents.contains("كلمات دلالية: النيجر، روسيا"));
    assert!(documents.contains("no article text left after boilerplate was set aside"));

    let report: serde_json::Value =
        serde_json::from_str(&text(&files, "report.json")).expect("report.json");
    let corpus = &report["corpus"];
    assert_eq!(corpus["articles"], 2, "{corpus}");
    assert_eq!(corpus["without_text"], 4, "{corpus}");
    assert_eq!(corpus["outlets"], 2, "{corpus}");
    assert_eq!(corpus["outlet_unknown"], 0, "{corpus}");
    assert_eq!(corpus["first_published"], "2023-12-22", "{corpus}");
    assert_eq!(corpus["last_published"], "2023-12-23", "{corpus}");
    assert_eq!(report["documents"].as_array().expect("documents").len(), 6);
}

/// A placed week (الأسبوع الماضي in articles with a publication date) reads as its days on
/// every page and in report.md, as other dates read in words; report.json keeps its ISO
/// code.
#[test]
fn a_placed_week_reads_as_its_days_while_report_json_keeps_its_code() {
    let (_tmp, site) = build(&fixture("weeks"));
    let files = files(&site);
    insta::assert_snapshot!("weeks_report_md", text(&files, "report.md"));
    for page in [
        "report.md",
        "index.html",
        "timeline.html",
        "statements/no-story.html",
        "documents/no-story.html",
    ] {
        let t = text(&files, page);
        assert!(t.contains("week of 1–7 April 2024"), "{page}: {t}");
        assert!(!t.contains("2024-W14"), "{page}: {t}");
    }
    let report: serde_json::Value =
        serde_json::from_str(&text(&files, "report.json")).expect("JSON");
    let displays: Vec<&str> = report["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["display"].as_str().unwrap())
        .collect();
    assert_eq!(displays, ["2024-W14", "2024-W14"]);
    // The members' values are codes too; only the reason reads as the pages do.
    assert_eq!(
        report["statements"][0]["members"][0]["values"],
        serde_json::json!(["2024-W14"])
    );
}
