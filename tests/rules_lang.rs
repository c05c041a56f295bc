//! The rules language end to end: `compare check` reports every problem of `rules.toml`
//! in one run, each pinned here as the user reads it (one test per kind of mistake);
//! `compare build` refuses broken rules and leaves the previous site byte for byte; a claim
//! type added in TOML only, with the very snippets of docs/rules.md, reaches report.json
//! and the pages; `explain` and `rules` print what they promise; every key is documented;
//! and mangled rules files give errors, never a panic.
//!
//! CLI tests run the real binary in a temporary folder.

mod common;

use common::{compare, stderr, stdout};
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn shipped_rules() -> String {
    std::fs::read_to_string(root().join("rules.toml")).expect("rules.toml")
}

/// Run the compare binary in `dir`.
/// A small clean rules file; each snapshot test breaks it one way.
const BASE: &str = r#"[examples]
published = "2024-04-12"

[fragments]
soldier = 'جندي|جنود'

[[claim]]
id = "troops"
kind = "quantity"
description = "Counts of soldiers"
patterns = ['(?<number>{number})\s+(?:{soldier})']
examples = [{ text = "1500 جندي", value = "1500" }]
counter_examples = ["1500 شخص"]

[[entity]]
id = "tiani"
type = "person"
canonical = "عبد الرحمن تياني"
aliases = ["تياني", "تشياني"]

[[entity]]
id = "bazoum"
type = "person"
canonical = "محمد بازوم"
aliases = ["بازوم"]

[[claim]]
id = "person"
kind = "name"
description = "People named"
entity_type = "person"
"#;

/// What `compare check` prints for BASE with these replacements (first occurrence each).
fn check(replacements: &[(&str, &str)]) -> String {
    let mut src = BASE.to_string();
    for (from, to) in replacements {
        assert!(src.contains(from), "the base rules lack {from:?}");
        src = src.replacen(from, to, 1);
    }
    compare::rules::check_source("rules.toml", &src)
        .report
        .to_string()
}

#[test]
fn the_base_rules_are_clean() {
    let checked = compare::rules::check_source("rules.toml", BASE);
    assert!(checked.report.diagnostics.is_empty(), "{}", checked.report);
    assert!(checked.set.is_some());
}

// ---------------------------------------------------------------------------------------
// One snapshot per kind of mistake.

#[test]
fn a_pattern_that_does_not_compile() {
    let out = check(&[(
        r#"(?<number>{number})\s+(?:{soldier})"#,
        r#"(?<number>{number})\s+(?:{soldier}"#,
    )]);
    insta::assert_snapshot!(out, @r#"
    error: pattern does not compile: unclosed group
      --> rules.toml:11:36
       |
    11 | patterns = ['(?<number>{number})\s+(?:{soldier}']
       |                                    ^
       = help: see the regex crate's syntax; escape literal ( ) [ ] . ? + * with a backslash

    error: rules.toml has 1 error
    "#);
}

#[test]
fn an_undefined_fragment_is_underlined_with_a_did_you_mean() {
    let out = check(&[(r#"(?:{soldier})"#, r#"(?:{soldiers})"#)]);
    insta::assert_snapshot!(out, @r#"
    error: unknown fragment `{soldiers}`
      --> rules.toml:11:39
       |
    11 | patterns = ['(?<number>{number})\s+(?:{soldiers})']
       |                                       ^^^^^^^^^^
       = help: did you mean `{soldier}`?

    error: rules.toml has 1 error
    "#);
}

#[test]
fn a_capture_the_parser_needs_is_missing() {
    let out = check(&[(r#"(?<number>{number})\s+"#, r#"(?:{number})\s+"#)]);
    insta::assert_snapshot!(out, @r#"
    error: pattern lacks the capture the `quantity` parser needs: `(?<number>…)` or `(?<one>…)` or `(?<two>…)`
      --> rules.toml:11:13
       |
    11 | patterns = ['(?:{number})\s+(?:{soldier})']
       |             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
       = help: name the number: `(?<number>{number})`, or `(?<one>…)` / `(?<two>…)` around a singular / dual noun

    error: rules.toml has 1 error
    "#);
}

#[test]
fn a_duplicate_id_points_at_the_second_and_names_the_first() {
    let out = check(&[(
        "[[entity]]\nid = \"tiani\"",
        r#"[[claim]]
id = "troops"
kind = "quantity"
description = "Again"
patterns = ['(?<number>{number})\s+جنود']
examples = [{ text = "3 جنود", value = "3" }]

[[entity]]
id = "tiani""#,
    )]);
    insta::assert_snapshot!(out, @r#"
    error: duplicate claim type id `troops`
      --> rules.toml:16:6
       |
    16 | id = "troops"
       |      ^^^^^^^^
       = help: the first claim type with this id is at rules.toml:8:6; ids must be unique

    error: rules.toml has 1 error
    "#);
}

#[test]
fn an_unknown_kind_hides_no_other_error_of_its_table() {
    let out = check(&[
        (r#"kind = "quantity""#, r#"kind = "quantit""#),
        ("description = \"Counts of soldiers\"\n", ""),
        (r#"(?:{soldier})"#, r#"(?:{soldier}"#),
        (
            "examples = [{ text = \"1500 جندي\", value = \"1500\" }]\n",
            "",
        ),
    ]);
    // The kind is taken as the one it resembles for the other checks (`has no examples`).
    insta::assert_snapshot!(out, @r#"
    error: claim type `troops` has no description
     --> rules.toml:8:6
      |
    8 | id = "troops"
      |      ^^^^^^^^
      = help: add `description = "…"`: it is the user documentation on the rules page

    error: claim type `troops` has no examples
     --> rules.toml:8:6
      |
    8 | id = "troops"
      |      ^^^^^^^^
      = help: add `examples = [{ text = "…", value = "…" }]`: they are run by `compare check`

    error: unknown kind `quantit`
     --> rules.toml:9:8
      |
    9 | kind = "quantit"
      |        ^^^^^^^^^
      = help: did you mean `quantity`? kind is one of `quantity`, `date`, `name` (the rest of this table was checked as `quantity`)

    error: pattern does not compile: unclosed group
      --> rules.toml:10:36
       |
    10 | patterns = ['(?<number>{number})\s+(?:{soldier}']
       |                                    ^
       = help: see the regex crate's syntax; escape literal ( ) [ ] . ? + * with a backslash

    error: rules.toml has 4 errors
    "#);
}

#[test]
fn an_unknown_kind_like_no_kind_is_checked_for_the_rest() {
    let out = check(&[
        (r#"kind = "quantity""#, r#"kind = "money""#),
        ("description = \"Counts of soldiers\"\n", ""),
        (r#"(?<number>{number})\s+"#, r#"(?<numbr>{numbr})\s+"#),
    ]);
    // Resembling no kind, it is checked for all that does not depend on the kind: not the
    // captures its parser needs.
    insta::assert_snapshot!(out, @r#"
    error: claim type `troops` has no description
     --> rules.toml:8:6
      |
    8 | id = "troops"
      |      ^^^^^^^^
      = help: add `description = "…"`: it is the user documentation on the rules page

    error: unknown kind `money`
     --> rules.toml:9:8
      |
    9 | kind = "money"
      |        ^^^^^^^
      = help: kind is one of `quantity`, `date`, `name`

    error: unknown fragment `{numbr}`
      --> rules.toml:10:23
       |
    10 | patterns = ['(?<numbr>{numbr})\s+(?:{soldier})']
       |                       ^^^^^^^
       = help: did you mean `{number}`?

    error: rules.toml has 3 errors
    "#);
}

#[test]
fn a_table_defined_twice_names_the_first_header_and_says_to_merge() {
    let out = check(&[
        (
            "[[entity]]\nid = \"tiani\"",
            "[ fragments ] # more\nsoldiers = 'جنود'\n\n[[entity]]\nid = \"tiani\"",
        ),
        (
            "canonical = \"محمد بازوم\"\n",
            "canonical = \"محمد بازوم\"\ncanonical = \"بازوم\"\n",
        ),
    ]);
    insta::assert_snapshot!(out, @r#"
    error: table `[fragments]` is defined twice
      --> rules.toml:15:3
       |
    15 | [ fragments ] # more
       |   ^^^^^^^^^
       = help: the first `[fragments]` header is on line 4: merge the two tables (move the lines under this header up under the first one and delete this header)

    error: duplicate key
      --> rules.toml:28:1
       |
    28 | canonical = "بازوم"
       | ^^^^^^^^^
       = help: a key is written once in a table: keep one of the two

    error: rules.toml has 2 errors
    "#);
}

#[test]
fn an_alias_under_two_entities() {
    let out = check(&[(r#"aliases = ["بازوم"]"#, r#"aliases = ["بازوم", "تشياني"]"#)]);
    insta::assert_snapshot!(out, @r#"
    error: alias `تشياني` is listed under two entities, `tiani` and `bazoum`
      --> rules.toml:25:21
       |
    25 | aliases = ["بازوم", "تشياني"]
       |                     ^^^^^^^^
       = help: a spelling must name one entity: keep it under `tiani` (rules.toml:19:21) or `bazoum`, not both

    error: rules.toml has 1 error
    "#);
}

#[test]
fn a_fragment_that_uses_a_word_boundary() {
    let out = check(&[(r#"soldier = 'جندي|جنود'"#, r#"soldier = '\bجندي|جنود\b'"#)]);
    insta::assert_snapshot!(out, @r#"
    warning: fragment `soldier` uses `\b`
     --> rules.toml:5:12
      |
    5 | soldier = '\bجندي|جنود\b'
      |            ^^
      = help: on Arabic text `\b` is slow and ignores proclitics; compare checks word edges itself, so drop it
    "#);
}

#[test]
fn an_empty_alternative_in_a_fragment() {
    let out = check(&[(r#"soldier = 'جندي|جنود'"#, r#"soldier = 'جندي||جنود'"#)]);
    insta::assert_snapshot!(out, @r#"
    error: empty alternative `||` in fragment `soldier`
     --> rules.toml:5:16
      |
    5 | soldier = 'جندي||جنود'
      |                ^^
      = help: an empty alternative matches everywhere: remove the extra `|`

    error: rules.toml has 1 error
    "#);
}

#[test]
fn a_pattern_that_matches_the_empty_string() {
    let out = check(&[(
        r#"(?<number>{number})\s+(?:{soldier})"#,
        r#"(?<number>{number})?\s*(?:{soldier})?"#,
    )]);
    insta::assert_snapshot!(out, @r#"
    error: pattern matches the empty string
      --> rules.toml:11:13
       |
    11 | patterns = ['(?<number>{number})?\s*(?:{soldier})?']
       |             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
       = help: make at least one part required (no `*` or `?` on everything)

    error: rules.toml has 1 error
    "#);
}

#[test]
fn a_pattern_that_matches_empty_text_at_word_edges() {
    // `\b` matches nowhere in "", so the pattern matches no empty string alone, but it
    // matches empty text at every word edge of an article.
    let out = check(&[(
        r#"(?<number>{number})\s+(?:{soldier})"#,
        r#"(?:{soldier})?\b(?<number>[0-9]*)"#,
    )]);
    insta::assert_snapshot!(out, @r#"
    error: pattern matches the empty string
      --> rules.toml:11:13
       |
    11 | patterns = ['(?:{soldier})?\b(?<number>[0-9]*)']
       |             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
       = help: make at least one part required (no `*` or `?` on everything)

    warning: pattern uses `\b`
      --> rules.toml:11:28
       |
    11 | patterns = ['(?:{soldier})?\b(?<number>[0-9]*)']
       |                            ^^
       = help: on Arabic text `\b` is slow and ignores proclitics; compare checks word edges itself, so drop it

    error: rules.toml has 1 error
    "#);
}

#[test]
fn a_fault_inside_a_pattern_is_underlined_where_it_is() {
    let out = check(&[(
        r#"(?<number>{number})\s+(?:{soldier})"#,
        r#"(?<number>{number})\s+(?:{soldier})\s+قوات{3,2}"#,
    )]);
    insta::assert_snapshot!(out, @r#"
    error: pattern does not compile: invalid repetition count range, the start must be <= the end
      --> rules.toml:11:56
       |
    11 | patterns = ['(?<number>{number})\s+(?:{soldier})\s+قوات{3,2}']
       |                                                        ^^^^^
       = help: see the regex crate's syntax; escape literal ( ) [ ] . ? + * with a backslash

    error: rules.toml has 1 error
    "#);
}

#[test]
fn a_fault_inside_a_fragment_points_at_the_fragment() {
    let out = check(&[(r#"soldier = 'جندي|جنود'"#, r#"soldier = 'جندي|(جنود'"#)]);
    insta::assert_snapshot!(out, @r#"
    error: fragment `soldier` does not compile: unclosed group
     --> rules.toml:5:17
      |
    5 | soldier = 'جندي|(جنود'
      |                 ^
      = help: see the regex crate's syntax; escape literal ( ) [ ] . ? + * with a backslash

    error: rules.toml has 1 error
    "#);
}

#[test]
fn an_empty_alternative_in_a_pattern() {
    // Only the empty alternative: the fragment the rejected pattern names is not reported
    // as never used.
    let out = check(&[(r#"(?:{soldier})"#, r#"(?:{soldier}||جيش)"#)]);
    insta::assert_snapshot!(out, @r#"
    error: empty alternative `||` in pattern
      --> rules.toml:11:48
       |
    11 | patterns = ['(?<number>{number})\s+(?:{soldier}||جيش)']
       |                                                ^^
       = help: an empty alternative matches everywhere: remove the extra `|`

    error: rules.toml has 1 error
    "#);
}

#[test]
fn a_duplicate_claim_type_does_not_make_its_fragments_unused() {
    let out = check(&[
        ("[fragments]\n", "[fragments]\nperson = 'شخص|أشخاص'\n"),
        (
            "[[entity]]\nid = \"tiani\"",
            r#"[[claim]]
id = "troops"
kind = "quantity"
description = "People"
patterns = ['(?<number>{number})\s+(?:{person})']
examples = [{ text = "3 أشخاص", value = "3" }]

[[entity]]
id = "tiani""#,
        ),
    ]);
    insta::assert_snapshot!(out, @r#"
    error: duplicate claim type id `troops`
      --> rules.toml:17:6
       |
    17 | id = "troops"
       |      ^^^^^^^^
       = help: the first claim type with this id is at rules.toml:9:6; ids must be unique

    error: rules.toml has 1 error
    "#);
}

#[test]
fn a_misspelt_table_does_not_make_its_fragments_unused() {
    // `[[claims]]` beside a `[[claim]]` cannot be read as meant: it is left out, and the
    // fragment only it uses is still not "never used".
    let out = check(&[
        ("[fragments]\n", "[fragments]\nperson = 'شخص|أشخاص'\n"),
        (
            "[[entity]]\nid = \"tiani\"",
            r#"[[claims]]
id = "people"
kind = "quantity"
description = "People"
patterns = ['(?<number>{number})\s+(?:{person})']
examples = [{ text = "3 أشخاص", value = "3" }]

[[entity]]
id = "tiani""#,
        ),
    ]);
    insta::assert_snapshot!(out, @r#"
    error: unknown field `claims`, expected one of `metadata`, `boilerplate`, `segment`, `align`, `examples`, `lexicon`, `fragments`, `claim`, `entity`
      --> rules.toml:16:3
       |
    16 | [[claims]]
       |   ^^^^^^
       = help: did you mean `claim`?

    error: rules.toml has 1 error
    "#);
}

#[test]
fn wrong_types_and_missing_keys_are_reported_with_everything_else() {
    // The audit's case: a wrong type used to hide every later problem.
    let out = check(&[
        (
            "description = \"Counts of soldiers\"\n",
            "description = \"Counts of soldiers\"\ntolerance = \"0.05\"\n",
        ),
        (r#"(?:{soldier})"#, r#"(?:{soldjer})"#),
        ("canonical = \"محمد بازوم\"\n", ""),
    ]);
    insta::assert_snapshot!(out, @r#"
    error: invalid type: string "0.05", expected f64
      --> rules.toml:11:13
       |
    11 | tolerance = "0.05"
       |             ^^^^^^
       = help: docs/rules.md gives the type of every key

    error: unknown fragment `{soldjer}`
      --> rules.toml:12:39
       |
    12 | patterns = ['(?<number>{number})\s+(?:{soldjer})']
       |                                       ^^^^^^^^^
       = help: did you mean `{soldier}`?

    error: missing field `canonical`
      --> rules.toml:22:1
       |
    22 | [[entity]]
       | ^^^^^^^^^^
       = help: add `canonical = …` to this table (docs/rules.md lists the keys each table needs); until then it is left out of the other checks

    error: rules.toml has 3 errors
    "#);
}

#[test]
fn a_required_key_of_the_wrong_type_is_one_error() {
    // Not also "missing field `id`": the table is left out, and the rest still checked.
    let out = check(&[
        ("id = \"bazoum\"", "id = 7"),
        (r#"text = "1500 جندي""#, r#"text = 1500"#),
        (
            r#"counter_examples = ["1500 شخص"]"#,
            r#"counter_examples = ["1500 شخص", "3 جنود"]"#,
        ),
    ]);
    insta::assert_snapshot!(out, @r#"
    error: invalid type: integer `1500`, expected a string
      --> rules.toml:12:22
       |
    12 | examples = [{ text = 1500, value = "1500" }]
       |                      ^^^^
       = help: `text` is required, so this table is left out of the other checks until it is fixed; docs/rules.md gives the type of every key

    error: counter-example of `troops` yields a claim `3 جنود` = 3: 3 جنود
      --> rules.toml:13:33
       |
    13 | counter_examples = ["1500 شخص", "3 جنود"]
       |                                 ^^^^^^^^
       = help: narrow the pattern (a word edge, a required unit) so this text yields nothing

    error: invalid type: integer `7`, expected a string
      --> rules.toml:22:6
       |
    22 | id = 7
       |      ^
       = help: `id` is required, so this table is left out of the other checks until it is fixed; docs/rules.md gives the type of every key

    error: rules.toml has 3 errors
    "#);
}

#[test]
fn a_fragment_of_the_wrong_type_is_one_error() {
    // Not also "unknown fragment" where a pattern uses it, nor a failing example.
    let out = check(&[(r#"soldier = 'جندي|جنود'"#, r#"soldier = ['جندي', 'جنود']"#)]);
    insta::assert_snapshot!(out, @r#"
    error: invalid type: sequence, expected a string
     --> rules.toml:5:11
      |
    5 | soldier = ['جندي', 'جنود']
      |           ^^^^^^^^^^^^^^^^
      = help: docs/rules.md gives the type of every key

    error: rules.toml has 1 error
    "#);
}

#[test]
fn a_pattern_of_the_wrong_type_is_one_error() {
    // Not also "has no patterns", nor examples failing for want of the pattern.
    let out = check(&[(
        r#"patterns = ['(?<number>{number})\s+(?:{soldier})']"#,
        "patterns = [1500]",
    )]);
    // The warning is true: no pattern text names `{soldier}` any more.
    insta::assert_snapshot!(out, @r#"
    warning: fragment `soldier` is never used
     --> rules.toml:5:11
      |
    5 | soldier = 'جندي|جنود'
      |           ^^^^^^^^^^^
      = help: reference it from a pattern as `{soldier}`, or remove it

    error: invalid type: integer `1500`, expected a string
      --> rules.toml:11:13
       |
    11 | patterns = [1500]
       |             ^^^^
       = help: docs/rules.md gives the type of every key

    error: rules.toml has 1 error
    "#);
}

#[test]
fn an_unusable_publication_date_does_not_fail_the_date_examples() {
    // Date examples resolve `أمس` against `[examples] published`: when that is broken, it
    // is the one error, not every date example as well.
    let date_claim = r#"[lexicon.day_offset]
"-1" = ["أمس"]

[lexicon.tense]
future = []

[lexicon.anaphora]
previous = []

[[claim]]
id = "date"
kind = "date"
description = "Days"
patterns = ['(?<day_offset>{day_offset})']
examples = [{ text = "أمس", value = "2024-04-11" }]

[[entity]]
id = "tiani""#;
    for published in [r#""12 April 2024""#, "2024-04-12T10:00:00"] {
        let out = check(&[
            ("[[entity]]\nid = \"tiani\"", date_claim),
            (
                r#"published = "2024-04-12""#,
                &format!("published = {published}"),
            ),
        ]);
        assert!(out.ends_with("error: rules.toml has 1 error"), "{out}");
        assert!(!out.contains("example of `date`"), "{out}");
    }
    let out = check(&[
        ("[[entity]]\nid = \"tiani\"", date_claim),
        (
            r#"published = "2024-04-12""#,
            r#"published = "12 April 2024""#,
        ),
    ]);
    insta::assert_snapshot!(out, @r#"
    error: `12 April 2024` is not a date
     --> rules.toml:2:13
      |
    2 | published = "12 April 2024"
      |             ^^^^^^^^^^^^^^^
      = help: write the date as YYYY-MM-DD

    error: rules.toml has 1 error
    "#);
}

#[test]
fn min_shared_topic_is_a_whole_number_from_one() {
    for bad in ["0", "-1", "21"] {
        let out = check(&[(
            r#"description = "Counts of soldiers""#,
            &format!("min_shared_topic = {bad}\ndescription = \"Counts of soldiers\""),
        )]);
        assert!(
            out.contains(&format!(
                "error: min_shared_topic of `troops` must be a whole number from 1 to 20, not {bad}"
            )),
            "{out}"
        );
    }
    let out = check(&[(
        r#"description = "Counts of soldiers""#,
        "min_shared_topic = 2\ndescription = \"Counts of soldiers\"",
    )]);
    assert!(!out.contains("error"), "{out}");
}

/// A typo in an entity's `type`, or in a name claim type's `entity_type`, would lose every
/// mention of those names without a word: each is an error with the type meant; a type no
/// claim type collects, close to none, is a warning once.
#[test]
fn an_entity_type_no_claim_type_collects_is_reported() {
    let second = "type = \"person\"\ncanonical = \"محمد بازوم\"";
    insta::assert_snapshot!(check(&[(second, "type = \"persn\"\ncanonical = \"محمد بازوم\"")]), @r#"
    error: entity `bazoum` has type `persn`, which no claim type collects
      --> rules.toml:23:8
       |
    23 | type = "persn"
       |        ^^^^^^^
       = help: did you mean `person`? claim types of kind `name` collect `person` (their `entity_type`)

    error: rules.toml has 1 error
    "#);
    // The typo on the claim type's side: said once, there, and its entities not blamed.
    let out = check(&[("entity_type = \"person\"", "entity_type = \"persons\"")]);
    assert!(
        out.starts_with("error: claim type `person` collects entities of type `persons`, but no [[entity]] has that type\n  --> rules.toml:31:15\n")
            && out.contains("= help: did you mean `person`? the [[entity]] types are `person`")
            && out.trim_end().ends_with("error: rules.toml has 1 error"),
        "{out}"
    );
    // A type close to none collected: a warning, and the rules still load.
    let src = BASE.replacen(second, "type = \"place\"\ncanonical = \"محمد بازوم\"", 1);
    let checked = compare::rules::check_source("rules.toml", &src);
    let out = checked.report.to_string();
    assert!(
        out.starts_with("warning: no claim type collects entities of type `place` (`bazoum` and any other): their names are not looked for\n")
            && out.contains("add one with `entity_type = \"place\"` to find these names"),
        "{out}"
    );
    assert!(checked.set.is_some(), "{out}");
}

/// A date left unquoted where text is expected (as front matter writes `published`) is
/// named a date, with the quoted form; TOML's own words were "invalid type: map".
#[test]
fn an_unquoted_date_where_text_is_expected_is_named() {
    insta::assert_snapshot!(check(&[("published = \"2024-04-12\"", "published = 2024-04-12")]), @r#"
    error: expected text between quotes, found a date
     --> rules.toml:2:13
      |
    2 | published = 2024-04-12
      |             ^^^^^^^^^^
      = help: write it as text: `"2024-04-12"`

    error: rules.toml has 1 error
    "#);
}

/// A number out of range is pointed at where it is written, not at the claim type's id.
#[test]
fn a_tolerance_out_of_range_is_pointed_at_on_its_line() {
    for bad in ["-0.1", "1", "nan"] {
        let out = check(&[(
            r#"description = "Counts of soldiers""#,
            &format!("tolerance = {bad}\ndescription = \"Counts of soldiers\""),
        )]);
        assert!(
            out.contains(&format!(
                "error: tolerance of `troops` must lie in [0, 1)\n  --> rules.toml:10:13\n   |\n10 | tolerance = {bad}\n"
            )),
            "{out}"
        );
    }
    let out = check(&[(
        r#"description = "Counts of soldiers""#,
        "tolerance = 0.1\ndescription = \"Counts of soldiers\"",
    )]);
    assert!(!out.contains("error"), "{out}");
}

#[test]
fn unit_plural_needs_a_unit_and_one_plural_a_unit() {
    let with = |keys: &str| {
        check(&[(
            r#"description = "Counts of soldiers""#,
            &format!("{keys}\ndescription = \"Counts of soldiers\""),
        )])
    };
    assert!(!with("unit = \"soldier\"\nunit_plural = \"soldiers\"").contains("error"));
    insta::assert_snapshot!(with("unit_plural = \"soldiers\""), @r#"
    error: claim type `troops` has a unit_plural but no unit
      --> rules.toml:10:15
       |
    10 | unit_plural = "soldiers"
       |               ^^^^^^^^^^
       = help: add the singular as `unit = "…"`, or remove unit_plural

    error: rules.toml has 1 error
    "#);
    assert!(with("unit = \"soldier\"\nunit_plural = \" \"")
        .contains("error: unit_plural of `troops` is empty"),);
    // Two claim types that count one unit write its plural one way, given or default.
    let mut src = BASE.replacen(
        r#"description = "Counts of soldiers""#,
        "unit = \"person\"\nunit_plural = \"people\"\ndescription = \"Counts of soldiers\"",
        1,
    );
    src.push_str(
        "\n[[claim]]\nid = \"crowds\"\nkind = \"quantity\"\ndescription = \"Crowds\"\nunit = \"person\"\npatterns = ['(?<number>{number})\\s+شخص']\nexamples = [{ text = \"1500 شخص\", value = \"1500\" }]\n",
    );
    let out = compare::rules::check_source("rules.toml", &src)
        .report
        .to_string();
    assert!(
        out.contains("error: unit `person` is written `persons` for more than one in `crowds` but `people` in `troops`"),
        "{out}"
    );
}

#[test]
fn an_unknown_key_gets_a_did_you_mean_and_is_read_as_meant() {
    let out = check(&[(r#"description ="#, r#"descriptoin ="#)]);
    insta::assert_snapshot!(out, @r#"
    error: unknown field `descriptoin`, expected one of `id`, `kind`, `description`, `unit`, `unit_plural`, `tolerance`, `subject_window`, `min_shared_topic`, `entity_type`, `patterns`, `examples`, `counter_examples`
      --> rules.toml:10:1
       |
    10 | descriptoin = "Counts of soldiers"
       | ^^^^^^^^^^^
       = help: did you mean `description`?

    error: rules.toml has 1 error
    "#);
}

#[test]
fn failing_examples_and_counter_examples() {
    let out = check(&[
        (r#"value = "1500""#, r#"value = "1501""#),
        (
            r#"counter_examples = ["1500 شخص"]"#,
            r#"counter_examples = ["1500 شخص", "3 جنود"]"#,
        ),
    ]);
    insta::assert_snapshot!(out, @r#"
    error: example of `troops` yields value 1500 (expected 1501): 1500 جندي
      --> rules.toml:12:22
       |
    12 | examples = [{ text = "1500 جندي", value = "1501" }]
       |                      ^^^^^^^^^^^
       = help: fix the pattern so the example yields exactly this value, or fix the example

    error: counter-example of `troops` yields a claim `3 جنود` = 3: 3 جنود
      --> rules.toml:13:33
       |
    13 | counter_examples = ["1500 شخص", "3 جنود"]
       |                                 ^^^^^^^^
       = help: narrow the pattern (a word edge, a required unit) so this text yields nothing

    error: rules.toml has 2 errors
    "#);
}

#[test]
fn a_missing_quote_is_one_error_with_a_hint() {
    let out = check(&[(r#"text = "1500 جندي""#, r#"text = "1500 جندي"#)]);
    insta::assert_snapshot!(out, @r#"
    error: missing comma between key-value pairs, expected `,`
      --> rules.toml:12:43
       |
    12 | examples = [{ text = "1500 جندي, value = "1500" }]
       |                                           ^
       = help: this line has an odd number of `"`: a string lacks its opening or closing quote

    error: rules.toml has 1 error
    "#);
}

#[test]
fn every_kind_of_problem_is_reported_in_one_run_sorted_by_line() {
    let out = check(&[
        (
            "[fragments]",
            r#"[metadata]
outlet = ['المصدر:\s*(?<outlt>.*)']

[fragments]"#,
        ),
        (r#"value = "1500""#, r#"value = "1501""#),
        (r#"aliases = ["بازوم"]"#, r#"aliases = ["بازوم", "تياني"]"#),
        (
            r#"type = "person"
canonical = "محمد"#,
            r#"typ = "person"
canonical = "محمد"#,
        ),
    ]);
    insta::assert_snapshot!(out, @r#"
    error: pattern lacks the capture `(?<outlet>…)`
     --> rules.toml:5:11
      |
    5 | outlet = ['المصدر:\s*(?<outlt>.*)']
      |           ^^^^^^^^^^^^^^^^^^^^^^^^
      = help: this pattern captures `outlt`; name the part of the line that holds it `(?<outlet>…)`

    error: example of `troops` yields value 1500 (expected 1501): 1500 جندي
      --> rules.toml:15:22
       |
    15 | examples = [{ text = "1500 جندي", value = "1501" }]
       |                      ^^^^^^^^^^^
       = help: fix the pattern so the example yields exactly this value, or fix the example

    error: unknown field `typ`, expected one of `id`, `type`, `canonical`, `aliases`
      --> rules.toml:26:1
       |
    26 | typ = "person"
       | ^^^
       = help: did you mean `type`?

    error: alias `تياني` is listed under two entities, `tiani` and `bazoum`
      --> rules.toml:28:21
       |
    28 | aliases = ["بازوم", "تياني"]
       |                     ^^^^^^^
       = help: a spelling must name one entity: keep it under `tiani` (rules.toml:22:12) or `bazoum`, not both

    error: rules.toml has 4 errors
    "#);
}

// ---------------------------------------------------------------------------------------
// The shipped rules and the commands.

#[test]
fn the_shipped_rules_pass_check() {
    let out = compare(root(), &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).is_empty(), "warnings: {}", stderr(&out));
    assert!(
        stdout(&out).starts_with("rules.toml: ")
            && stdout(&out).contains("examples and counter-examples pass"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn check_exits_1_and_prints_the_report_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("rules.toml"),
        BASE.replacen("(?:{soldier})", "(?:{soldiers})", 1),
    )
    .unwrap();
    let out = compare(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).is_empty());
    assert!(
        stderr(&out).contains("--> rules.toml:11:39"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out)
        .trim_end()
        .ends_with("error: rules.toml has 1 error"));
}

/// Every file under `dir`, by relative path.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                let rel = path.strip_prefix(base).unwrap().to_path_buf();
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

#[test]
fn build_on_broken_rules_exits_2_and_leaves_the_site_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = root().join("seeds");
    let seeds = seeds.to_str().unwrap();
    std::fs::write(dir.path().join("rules.toml"), shipped_rules()).unwrap();
    let out = compare(dir.path(), &["build", "--seeds", seeds, "--out", "site"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let before = tree(&dir.path().join("site"));
    assert!(before.contains_key(Path::new("report.json")));

    // A failing example, an unknown key and a bad pattern: all reported, nothing built.
    let broken = shipped_rules()
        .replacen(
            r#"value = "1500", qualifier = "exact""#,
            r#"value = "1501""#,
            1,
        )
        .replacen("max_postings =", "max_posting =", 1)
        .replacen(
            "(?<day_offset>{day_offset})",
            "(?<day_offset>{day_ofset})",
            1,
        );
    std::fs::write(dir.path().join("bad.toml"), broken).unwrap();
    let out = compare(
        dir.path(),
        &[
            "build", "--seeds", seeds, "--rules", "bad.toml", "--out", "site",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.starts_with("error: unknown field `max_posting`"),
        "{err}"
    );
    assert!(err.contains("error: example of `troops` yields value 1500 (expected 1501)"));
    assert!(err.contains("error: unknown fragment `{day_ofset}`"));
    assert!(
        err.trim_end()
            .ends_with("error: bad.toml has 3 errors; nothing was built; site is unchanged"),
        "{err}"
    );
    assert!(tree(&dir.path().join("site")) == before, "the site changed");
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| !n.contains(".compare-")),
        "temporary folders left behind: {names:?}"
    );
}

/// The TOML inside ```toml fences between `<!-- NAME:start -->` and `<!-- NAME:end -->` in
/// docs/rules.md.
fn docs_snippet(name: &str) -> String {
    let docs = std::fs::read_to_string(root().join("docs/rules.md")).unwrap();
    let start = format!("<!-- {name}:start -->");
    let end = format!("<!-- {name}:end -->");
    let block = docs
        .split(&start)
        .nth(1)
        .and_then(|rest| rest.split(&end).next())
        .unwrap_or_else(|| panic!("docs/rules.md lacks the {name} markers"));
    let toml = block
        .split("```toml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .unwrap_or_else(|| panic!("the {name} snippet has no ```toml block"));
    toml.to_string()
}

#[test]
fn a_claim_type_added_in_toml_only_reaches_report_json_and_the_site() {
    let dir = tempfile::tempdir().unwrap();
    // Exactly what docs/rules.md tells a user to do: a fragment line under [fragments],
    // a claim type and a name at the end of the file.
    let rules = shipped_rules().replacen(
        "[fragments]\n",
        &format!("[fragments]\n{}", docs_snippet("aircraft-fragment")),
        1,
    ) + "\n"
        + &docs_snippet("aircraft-claim")
        + "\n"
        + &docs_snippet("shoigu-entity");
    std::fs::write(dir.path().join("rules.toml"), rules).unwrap();
    let seeds = dir.path().join("seeds");
    std::fs::create_dir(&seeds).unwrap();
    let seed = "000_ad269960ebcb6093.txt";
    std::fs::copy(root().join("seeds").join(seed), seeds.join(seed)).unwrap();
    std::fs::write(
        seeds.join("wire.txt"),
        "+++\noutlet = \"Test Wire\"\npublished = 2024-04-13\n+++\nوصلت ثلاث طائرات شحن روسية إلى مطار نيامي، بحسب سيرجي شويجو.\n",
    )
    .unwrap();

    let out = compare(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("8 claim types, 21 names"),
        "{}",
        stdout(&out)
    );
    let out = compare(dir.path(), &["rules"]);
    assert!(
        stdout(&out).contains("aircraft  quantity  3 examples, 3 counter-examples"),
        "{}",
        stdout(&out)
    );
    let out = compare(dir.path(), &["build"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    let json = std::fs::read_to_string(dir.path().join("site/report.json")).unwrap();
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    let mut aircraft: Vec<String> = report["claims"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["type"] == "aircraft")
        .map(|c| {
            format!(
                "{} «{}» {} {} {}",
                c["doc"].as_str().unwrap(),
                c["text"].as_str().unwrap(),
                c["value"],
                c["subject"].as_str().unwrap_or("-"),
                c["pattern"].as_str().unwrap()
            )
        })
        .collect();
    aircraft.sort();
    assert_eq!(
        aircraft,
        [
            "000_ad269960ebcb6093 «طائرة شحن روسية» 1 RU aircraft#2",
            "wire «ثلاث طائرات شحن روسية» 3 RU aircraft#1",
        ]
    );
    let shoigu = report["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "shoigu")
        .expect("the new name is in report.json");
    assert_eq!(shoigu["mentions"][0]["text"], "سيرجي شويجو");

    let page = std::fs::read_to_string(dir.path().join("site/documents/no-story.html")).unwrap();
    // The claim is marked, linked to its statement, and followed by the value it was read as.
    assert!(
        page.contains(
            r#"<mark class="claim t-aircraft"><a href="../statements/no-story.html#aircraft-"#
        ),
        "{page}"
    );
    assert!(
        page.contains(r#"<span class="kind">aircraft</span> 3 aircraft (RU)</span>"#),
        "{page}"
    );
    let rules_page = std::fs::read_to_string(dir.path().join("site/rules.html")).unwrap();
    assert!(rules_page.contains(r#"id="rule-aircraft""#));
}

/// `compare explain`'s output with each rule it cites by its line in rules.toml checked to
/// be at that line, and the line then shown as `rules.toml:[line]`: an entity by its
/// `id = "…"` line, pattern K of a claim type by the K-th line of that type's `patterns`.
/// An edit that moves lines in rules.toml then changes no snapshot, and a wrong line still
/// fails here.
fn rule_lines_checked(text: &str) -> String {
    let source = std::fs::read_to_string(root().join("rules.toml")).expect("rules.toml");
    let lines: Vec<&str> = source.lines().collect();
    let id_line = |block: &str, id: &str| {
        (1..lines.len())
            .find(|&i| lines[i - 1].trim() == block && lines[i].trim() == format!("id = \"{id}\""))
            .unwrap_or_else(|| panic!("no {block} with id {id} in rules.toml"))
    };
    let cited = regex::Regex::new(
        r"\((?:\[\[entity\]\] (?<entity>\S+)|(?<claim>\S+) pattern (?<k>\d+)), rules\.toml:(?<line>\d+)",
    )
    .expect("pattern");
    let mut seen = 0;
    for c in cited.captures_iter(text) {
        seen += 1;
        let line: usize = c["line"].parse().expect("a line number");
        let want = match (c.name("entity"), c.name("claim")) {
            (Some(entity), _) => id_line("[[entity]]", entity.as_str()) + 1,
            (None, Some(claim)) => {
                let at = id_line("[[claim]]", claim.as_str());
                let patterns = (at..lines.len())
                    .find(|&i| lines[i].starts_with("patterns = ["))
                    .unwrap_or_else(|| panic!("claim type {} has no patterns", claim.as_str()));
                let k: usize = c["k"].parse().expect("a pattern number");
                // The k-th line of the array that is a pattern, not blank or a comment.
                let at = (patterns + 1..lines.len())
                    .filter(|&i| !lines[i].trim().is_empty() && !lines[i].trim().starts_with('#'))
                    .nth(k - 1)
                    .unwrap_or_else(|| panic!("{} has no pattern {k}", claim.as_str()));
                at + 1
            }
            (None, None) => unreachable!("the pattern has one of the two"),
        };
        assert_eq!(line, want, "{} cites the wrong line", &c[0]);
    }
    assert!(seen > 0 || !text.contains("rules.toml:"), "{text}");
    regex::Regex::new(r"rules\.toml:\d+")
        .expect("pattern")
        .replace_all(text, "rules.toml:[line]")
        .into_owned()
}

#[test]
#[should_panic(expected = "cites the wrong line")]
fn a_rule_cited_at_the_wrong_line_fails_the_check() {
    rule_lines_checked(
        "«بوتين» → فلاديمير بوتين  ([[entity]] putin, rules.toml:1; listed spelling)",
    );
}

#[test]
fn explain_shows_metadata_set_aside_text_and_each_sentences_claims() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("article.txt"),
        "روسيا ترسل مدربين إلى النيجر\nتاريخ النشر: 12th, April 2024\nوصل زهاء ألف جندي روسي إلى نيامي أمس، بحسب إيفكوروف.\nوقال المسؤول إن ثلاث طائرات وصلت.\nإقرأ أيضاً: خبر آخر\nرابط آخر\n",
    )
    .unwrap();
    std::fs::copy(root().join("rules.toml"), dir.path().join("rules.toml")).unwrap();
    let out = compare(dir.path(), &["explain", "article.txt"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!(rule_lines_checked(&stdout(&out)), @r#"
    article.txt
      title      روسيا ترسل مدربين إلى النيجر
      outlet     not found: the pages say «unknown outlet of article.txt»; add `outlet = "…"` front matter to name it
      published  2024-04-12  (from metadata line 2)
      language   ar

    set aside: 2 blocks
      line 2        metadata: publication date
                    «تاريخ النشر: 12th, April 2024»
      lines 5-6     related stories (إقرأ أيضاً)
                    «إقرأ أيضاً: خبر آخر رابط آخر»

    sentences: 3, claims: 3
    s1   line 1    «روسيا ترسل مدربين إلى النيجر»
    s2   line 3    «وصل زهاء ألف جندي روسي إلى نيامي أمس، بحسب إيفكوروف.»
          troops   «زهاء ألف جندي روسي» → ~1000 soldiers (RU)  (troops pattern 1, rules.toml:[line])
          date     «أمس» → 2024-04-11  (date pattern 6, rules.toml:[line])
          person   «إيفكوروف» → يونس بك يفكوروف  ([[entity]] yevkurov, rules.toml:[line]; spelling not listed, resembles `إفكوروف`, score 0.96)
    s3   line 4    «وقال المسؤول إن ثلاث طائرات وصلت.»
          number   «ثلاث» yields no claim: no quantity or date pattern matches the words around it
    "#);
}

/// `compare explain` shows each value as the pages do (a name as rules.toml's `canonical`
/// spells it, a count in its plural, a date in words with its ISO form) and the rule that
/// gave it by its place in rules.toml (checked, see [`rule_lines_checked`]), on a seed and on
/// a fixture.
#[test]
fn explain_shows_values_in_words_and_rules_by_their_line() {
    for (name, file) in [
        ("explain_seed_000", "seeds/000_ad269960ebcb6093.txt"),
        ("explain_seed_003", "seeds/003_542dd368f5c3bf23.txt"),
        (
            "explain_fixture_c_daily",
            "tests/fixtures/conflict/c_daily.txt",
        ),
        ("explain_fixture_week", "tests/fixtures/weeks/a.md"),
    ] {
        let out = compare(root(), &["explain", file]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let text = stdout(&out);
        assert!(!text.contains("#1"), "{text}");
        insta::assert_snapshot!(name, rule_lines_checked(&text));
    }
}

#[test]
fn explain_of_a_missing_file_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let rules = root().join("rules.toml");
    let out = compare(
        dir.path(),
        &["explain", "nope.txt", "--rules", rules.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(2));
    insta::assert_snapshot!(stderr(&out), @r#"
    error: article nope.txt does not exist or is not a file
      = help: pass the path of one article (.txt or .md)
    "#);
}

#[test]
fn rules_lists_every_claim_type_with_its_description() {
    let out = compare(root(), &["rules"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let set = compare::rules::load(&root().join("rules.toml")).unwrap();
    assert!(text.starts_with(&format!("rules.toml: {} claim types", set.claims.len())));
    for c in &set.claims {
        let line = text
            .lines()
            .position(|l| l.starts_with(&format!("{} ", c.id)))
            .unwrap_or_else(|| panic!("no line for {}: {text}", c.id));
        let next = text.lines().nth(line + 1).unwrap();
        assert_eq!(next.trim(), c.description.trim());
    }
    assert!(
        text.contains("troops   quantity  10 examples, 3 counter-examples"),
        "{text}"
    );
    assert!(
        text.contains(
            "person   name      9 names of type `person`, 4 examples, 2 counter-examples"
        ),
        "{text}"
    );
    // Every claim type documents itself with examples, name types included.
    for c in &set.claims {
        assert!(
            !c.examples.is_empty() && !c.counter_examples.is_empty(),
            "{} has no examples or counter-examples",
            c.id
        );
    }
}

// ---------------------------------------------------------------------------------------
// Documentation.

/// The keys a table of the file accepts, as the serde structs list them in their own
/// "unknown field" message.
fn accepted_keys(table: &str) -> Vec<String> {
    let report = compare::rules::check_source("rules.toml", table).report;
    let message = report
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .find(|m| m.starts_with("unknown field `zzz`"))
        .unwrap_or_else(|| panic!("no unknown-field error for {table:?}: {report}"));
    message
        .split("expected")
        .nth(1)
        .unwrap()
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

#[test]
fn docs_describe_every_key() {
    let docs = std::fs::read_to_string(root().join("docs/rules.md")).unwrap();
    let tables = [
        "zzz = 1",
        "[examples]\nzzz = 1",
        "[metadata]\nzzz = 1",
        "[boilerplate]\nzzz = 1",
        "[boilerplate]\ncut = [{ zzz = 1 }]",
        "[segment]\nzzz = 1",
        "[align]\nzzz = 1",
        "[[claim]]\nzzz = 1",
        "[[claim]]\nexamples = [{ zzz = 1 }]",
        "[[entity]]\nzzz = 1",
    ];
    let mut keys: Vec<String> = tables.iter().flat_map(|t| accepted_keys(t)).collect();
    assert!(keys.len() > 30, "{keys:?}");
    // And every key the shipped file uses, lexicon names included.
    let shipped: toml::Table = toml::from_str(&shipped_rules()).unwrap();
    fn walk(t: &toml::Table, under: &str, out: &mut Vec<String>) {
        for (k, v) in t {
            if under != "fragments" && !under.starts_with("lexicon.") {
                out.push(k.clone());
            }
            let path = if under.is_empty() {
                k.clone()
            } else {
                format!("{under}.{k}")
            };
            match v {
                toml::Value::Table(t) => walk(t, &path, out),
                toml::Value::Array(a) => {
                    for v in a {
                        if let toml::Value::Table(t) = v {
                            walk(t, &path, out);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    walk(&shipped, "", &mut keys);
    keys.sort();
    keys.dedup();
    let missing: Vec<&String> = keys
        .iter()
        .filter(|k| {
            // A key as `key`, a table as `[key]`, `[[key]]` or `[key.NAME]`.
            ![
                format!("`{k}`"),
                format!("`[{k}]`"),
                format!("`[[{k}]]`"),
                format!("`[{k}."),
            ]
            .iter()
            .any(|form| docs.contains(form.as_str()))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "docs/rules.md does not describe {missing:?}"
    );
}

#[test]
fn the_docs_snippets_load_as_rules() {
    for name in ["aircraft-fragment", "aircraft-claim", "shoigu-entity"] {
        let snippet = docs_snippet(name);
        let text = if name == "aircraft-fragment" {
            format!("[fragments]\n{snippet}")
        } else {
            snippet
        };
        toml::from_str::<toml::Table>(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

// ---------------------------------------------------------------------------------------
// Mangled files: errors, never a panic.

/// Spans in the shipped file of what a mutation may break.
#[derive(Default)]
struct Spans {
    /// Keys that belong to the schema (not names a user picks).
    keys: Vec<std::ops::Range<usize>>,
    /// Names a user picks and patterns reference: each `[lexicon.NAME]` and fragment name.
    names: Vec<std::ops::Range<usize>>,
    /// Every string value, with its quotes.
    strings: Vec<std::ops::Range<usize>>,
}

fn spans(source: &str) -> Spans {
    use toml::de::{DeTable, DeValue};
    /// Where a table sits: in the schema, directly under `lexicon` or `fragments` (its keys
    /// are names), or deeper (lexicon entries: free keys).
    #[derive(Clone, Copy, PartialEq)]
    enum At {
        Schema,
        Names,
        Free,
    }
    fn table(t: &DeTable, at: At, out: &mut Spans) {
        for (k, v) in t.iter() {
            match at {
                At::Schema => out.keys.push(k.span()),
                At::Names => out.names.push(k.span()),
                At::Free => {}
            }
            let below = match at {
                At::Schema if k.get_ref() == "lexicon" || k.get_ref() == "fragments" => At::Names,
                At::Schema => At::Schema,
                _ => At::Free,
            };
            value(v.get_ref(), v.span(), below, out);
        }
    }
    fn value(v: &DeValue, span: std::ops::Range<usize>, at: At, out: &mut Spans) {
        match v {
            DeValue::String(_) => out.strings.push(span),
            DeValue::Table(t) => table(t, at, out),
            DeValue::Array(a) => {
                for item in a.iter() {
                    value(item.get_ref(), item.span(), at, out);
                }
            }
            _ => {}
        }
    }
    let root = DeTable::parse(source).expect("shipped rules parse");
    let mut out = Spans::default();
    table(root.get_ref(), At::Schema, &mut out);
    out
}

#[test]
fn the_mutation_spans_cover_names() {
    let source = shipped_rules();
    let s = spans(&source);
    let names: Vec<&str> = s.names.iter().map(|r| &source[r.clone()]).collect();
    for name in ["qualifier", "subject", "month", "soldier", "year_after"] {
        assert!(names.contains(&name), "{name} in {names:?}");
    }
    assert!(s.keys.len() > 50 && s.strings.len() > 200);
}

fn assert_error(source: &str) -> Result<(), TestCaseError> {
    let checked = compare::rules::check_source("rules.toml", source);
    let text = checked.report.to_string();
    prop_assert!(checked.report.errors() > 0, "no error for the mutation");
    prop_assert!(checked.set.is_none());
    prop_assert!(text.contains("--> rules.toml:"), "{}", text);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn a_renamed_key_is_an_error(pick in any::<prop::sample::Index>(), at in any::<prop::sample::Index>(), letter in "[a-z]") {
        let source = shipped_rules();
        let keys = spans(&source).keys;
        let key = &keys[pick.index(keys.len())];
        let cut = key.start + at.index(key.len() + 1);
        let mutated = format!("{}{letter}{}", &source[..cut], &source[cut..]);
        assert_error(&mutated)?;
    }

    #[test]
    fn a_renamed_lexicon_or_fragment_is_an_error(pick in any::<prop::sample::Index>(), at in any::<prop::sample::Index>(), letter in "[a-z]") {
        // Every lexicon and fragment of the shipped file is used, so renaming one leaves a
        // reference (or `align.distinguish`) naming nothing.
        let source = shipped_rules();
        let names = spans(&source).names;
        let name = &names[pick.index(names.len())];
        let cut = name.start + at.index(name.len() + 1);
        let mutated = format!("{}{letter}{}", &source[..cut], &source[cut..]);
        assert_error(&mutated)?;
    }

    #[test]
    fn a_deleted_quote_is_an_error(pick in any::<prop::sample::Index>(), closing: bool) {
        let source = shipped_rules();
        let strings = spans(&source).strings;
        let s = &strings[pick.index(strings.len())];
        let at = if closing { s.end - 1 } else { s.start };
        prop_assert!(matches!(&source[at..at + 1], "\"" | "'"));
        let mutated = format!("{}{}", &source[..at], &source[at + 1..]);
        assert_error(&mutated)?;
    }

    #[test]
    fn any_deleted_character_never_panics(at in any::<prop::sample::Index>()) {
        let source = shipped_rules();
        let chars: Vec<(usize, char)> = source.char_indices().collect();
        let (i, c) = chars[at.index(chars.len())];
        let mutated = format!("{}{}", &source[..i], &source[i + c.len_utf8()..]);
        let checked = compare::rules::check_source("rules.toml", &mutated);
        let _ = checked.report.to_string();
    }
}
