//! `compare why A B`: every test alignment applies to two sentences, on the seeds and on
//! small fixtures, and the same answer as the build gives.

mod common;

use common::{compare, stderr, stdout};
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `compare why A B` on the seeds, which must succeed: its output.
fn why_on_seeds(a: &str, b: &str) -> String {
    let o = compare(root(), &["why", a, b]);
    assert!(o.status.success(), "{}", stderr(&o));
    stdout(&o)
}

/// `compare why A` on the seeds, which must succeed: its output.
fn why_on_seeds_one(a: &str) -> String {
    let o = compare(root(), &["why", a]);
    assert!(o.status.success(), "{}", stderr(&o));
    stdout(&o)
}

/// The Thursday broadcast of 000 and 003's paraphrase of it: blocking proposes the pair
/// and the topic is shared, but the similarity is far below `align.min_similarity`, so
/// they stay two single-source statements.
#[test]
fn a_paraphrase_below_the_similarity_floor_says_so() {
    let out = why_on_seeds("000_ad269960ebcb6093-s6", "003_542dd368f5c3bf23-s4");
    assert!(
        out.contains("  similarity    ✗ 0.127 < 0.3 (align.min_similarity)"),
        "{out}"
    );
    assert!(
        out.contains("  result        different statements; A's date-000_ad269960ebcb6093-s6 stands alone, B's date-003_542dd368f5c3bf23-s4 stands alone"),
        "{out}"
    );
    insta::assert_snapshot!("why_thursday_paraphrase", out);
}

/// The fenced block after `intro` in the document at `doc` (its lines without the
/// indent of their list item), each line of which must be a line of `out`; a line cut
/// short with `…` is the start of one.
fn example_is_output(doc: &str, intro: &str, out: &str) {
    let text = std::fs::read_to_string(root().join(doc)).expect(doc);
    let from = text
        .find(intro)
        .unwrap_or_else(|| panic!("{intro} in {doc}"));
    let block = &text[from..];
    let start = block.find("```").expect("the example's fence");
    let block = &block[start..];
    let block = &block[block.find('\n').expect("the fence's line") + 1..];
    let block = &block[..block.find("```").expect("the example's end")];
    let indent = block.len() - block.trim_start_matches(' ').len();
    let lines: Vec<&str> = out.lines().collect();
    let mut checked = 0;
    for line in block.lines().filter(|l| !l.trim().is_empty()) {
        let line = line.get(indent..).unwrap_or(line);
        let found = match line.strip_suffix('…') {
            Some(start) => lines.iter().any(|l| l.starts_with(start)),
            None => lines.contains(&line),
        };
        assert!(found, "{doc}: line not in the output: {line}\n{out}");
        checked += 1;
    }
    assert!(checked >= 8, "{doc}: {block}");
}

/// The examples of README.md and docs/rules.md are what `compare why` prints.
#[test]
fn the_documented_examples_are_the_real_output() {
    example_is_output(
        "README.md",
        "stay apart on similarity",
        &why_on_seeds("000_ad269960ebcb6093-s6", "003_542dd368f5c3bf23-s4"),
    );
    example_is_output(
        "docs/rules.md",
        "or without a claim type in common say so instead",
        &why_on_seeds("000_ad269960ebcb6093-s13", "004_71888a1a17af4fa9-s4"),
    );
}

/// Three outlets' end of the US agreement: every test passes, and the result names the
/// statement's three sentences.
#[test]
fn an_agreement_passes_every_test_and_names_its_sentences() {
    let out = why_on_seeds("000_ad269960ebcb6093-s13", "004_71888a1a17af4fa9-s4");
    assert!(!out.contains('✗'), "{out}");
    insta::assert_snapshot!("why_agreement", out);
}

/// With one sentence, `why` lists for each of its claim types the nearest sentences of
/// the story's other articles, most similar first, and says which are in its statement:
/// 003's mid-March is with 000's and 004's, 004's below the similarity floor (it joined
/// through 000's, on average).
#[test]
fn one_sentence_lists_its_nearest_most_similar_first() {
    let out = why_on_seeds_one("003_542dd368f5c3bf23-s29");
    let date = &out[out.find("\ndate  A ").expect("a date section")..];
    let date = &date[..date.find("\n\n").expect("its end")];
    assert!(
        date.contains(
            "  statement     date-000_ad269960ebcb6093-s13 (A's, with 000_ad269960ebcb6093-s13, 004_71888a1a17af4fa9-s4)"
        ),
        "{date}"
    );
    let rows: Vec<(&str, f64, &str)> = date
        .lines()
        .filter(|l| l.starts_with("    "))
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            (f[0], f[1].parse().expect("similarity"), f[3])
        })
        .collect();
    assert_eq!(rows.len(), compare::explain::NEAREST, "{date}");
    assert!(rows.windows(2).all(|w| w[0].1 >= w[1].1), "{rows:?}");
    let with_a: Vec<&str> = rows.iter().filter(|r| r.2 == "one").map(|r| r.0).collect();
    assert_eq!(
        with_a,
        ["000_ad269960ebcb6093-s13", "004_71888a1a17af4fa9-s4"],
        "{date}"
    );
    assert!(rows[1].1 < 0.3, "004's joined below the floor: {rows:?}");
    insta::assert_snapshot!("why_nearest", out);
}

/// `why` groups and names statements as the build does: for every statement of the
/// seeds' report, its first two members are that statement, by its id; two single-source
/// statements of one type (the first twelve such pairs from two articles) are not one,
/// each named by its own id.
#[test]
fn why_answers_as_the_build_groups() {
    let rules = compare::rules::load(&root().join("rules.toml")).expect("rules");
    let seeds = root().join("seeds");
    let outcome = compare::analyse(&seeds, &rules, Default::default()).expect("seeds");
    let id = |m: &compare::render::MemberOut| format!("{}-s{}", m.doc, m.sentence);
    let result_of = |out: &str, kind: &str| -> String {
        let at = out
            .find(&format!("\n{kind}  A "))
            .unwrap_or_else(|| panic!("no {kind} section: {out}"));
        out[at..]
            .lines()
            .find(|l| l.starts_with("  result"))
            .expect("a result line")
            .to_string()
    };
    let mut checked = (0, 0);
    for s in &outcome.report.statements {
        if let [a, b, ..] = &s.members[..] {
            let out =
                compare::explain::pair(&seeds, &rules, &id(a), Some(&id(b)), Default::default())
                    .expect("why");
            let result = result_of(&out, &s.kind);
            let said = format!("one statement, {}, with", s.id);
            assert!(result.contains(&said), "{}: {result}", s.id);
            checked.0 += 1;
        }
    }
    let singles: Vec<_> = outcome
        .report
        .statements
        .iter()
        .filter(|s| s.members.len() == 1)
        .collect();
    let apart = singles.iter().enumerate().flat_map(|(i, x)| {
        singles[i + 1..]
            .iter()
            .filter(move |y| y.kind == x.kind && y.members[0].doc != x.members[0].doc)
            .map(move |y| (x, y))
    });
    for (x, y) in apart.take(12) {
        let (a, b) = (&x.members[0], &y.members[0]);
        let out = compare::explain::pair(&seeds, &rules, &id(a), Some(&id(b)), Default::default())
            .expect("why");
        let result = result_of(&out, &x.kind);
        let said = format!("A's {} stands alone, B's {} stands alone", x.id, y.id);
        assert!(result.contains(&said), "{result}");
        checked.1 += 1;
    }
    assert_eq!(checked, (5, 12));
}

/// A sentence split between two statements of one type (40 killed, 65 wounded) that
/// anchors both: `why` names the second by the number of its first claim in the
/// sentence, `-2`, as the report does.
#[test]
fn a_split_sentence_anchoring_two_statements_names_both_as_the_report_does() {
    let fixture = root().join("tests/fixtures/casualties");
    let read = |f: &str| std::fs::read(fixture.join(f)).expect(f);
    // c.md, whose one sentence gives both counts, first by id.
    let seeds = common::seeds_from(&[
        ("0.md", read("c.md")),
        ("a.md", read("a.md")),
        ("b.md", read("b.md")),
        ("d.md", read("d.md")),
    ]);
    let rules = compare::rules::load(&root().join("rules.toml")).expect("rules");
    let report = compare::analyse(seeds.path(), &rules, Default::default())
        .expect("fixture")
        .report;
    let ids: Vec<&str> = report.statements.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["people-0-s2", "people-0-s2-2"]);
    for s in &report.statements {
        let b = &s.members[1];
        let out = compare::explain::pair(
            seeds.path(),
            &rules,
            "0-s2",
            Some(&format!("{}-s{}", b.doc, b.sentence)),
            Default::default(),
        )
        .expect("why");
        let said = format!("one statement, {}, with", s.id);
        assert!(out.contains(&said), "{said}\n{out}");
    }
}

/// Sentences of two stories, two of one article, and two without a claim type in common
/// are never one statement, each for its own reason.
#[test]
fn sentences_that_cannot_meet_say_why() {
    let seeds = common::seeds_from(&[
        (
            "a.md",
            "+++\noutlet = \"وكالة أ\"\npublished = 2024-04-12\nstory = \"one\"\n+++\nوصل 100 جندي روسي إلى نيامي يوم الخميس.\n\nوقال مسؤول إن الزيارة تستمر يومين.\n",
        ),
        (
            "b.md",
            "+++\noutlet = \"صحيفة ب\"\npublished = 2024-04-12\nstory = \"two\"\n+++\nوصل 100 جندي روسي إلى نيامي يوم الخميس.\n",
        ),
        (
            "c.md",
            "+++\noutlet = \"موقع ج\"\npublished = 2024-04-12\nstory = \"one\"\n+++\nوقال مسؤول إن الزيارة تستمر يومين.\n",
        ),
    ]);
    let dir = seeds.path();
    let rules = root().join("rules.toml");
    let why = |a: &str, b: &str| {
        let o = compare(
            dir,
            &[
                "why",
                a,
                b,
                "--seeds",
                ".",
                "--rules",
                rules.to_str().unwrap(),
            ],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        stdout(&o)
    };
    let out = why("a-s1", "b-s1");
    assert!(
        out.contains("A is of story «one» and B of story «two»"),
        "{out}"
    );
    let out = why("a-s1", "a-s2");
    assert!(out.contains("both are of one article"), "{out}");
    let out = why("a-s1", "c-s1");
    assert!(
        out.contains("A holds claims of type troops, date and B holds no claim"),
        "{out}"
    );
}

/// A sentence id that is malformed, names no article or a sentence past the article's
/// last is a usage error (exit 2) that says what is wrong and what an id looks like.
#[test]
fn a_wrong_sentence_id_is_an_error_that_says_what_an_id_is() {
    for (a, says) in [
        ("nonsense", "«nonsense» is not a sentence id"),
        ("000_ad269960ebcb6093-sX", "«X» is not a number"),
        ("missing-s1", "no article of seeds has the id «missing»"),
        (
            "000_ad269960ebcb6093-s99",
            "000_ad269960ebcb6093 has 14 sentences (s1 to s14), not s99",
        ),
    ] {
        let o = compare(root(), &["why", a, "004_71888a1a17af4fa9-s4"]);
        assert_eq!(o.status.code(), Some(2), "{a}: {}", stderr(&o));
        assert!(stderr(&o).contains(says), "{a}: {}", stderr(&o));
        assert!(stdout(&o).is_empty(), "{a}");
    }
}
