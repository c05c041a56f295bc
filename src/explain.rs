//! `compare explain` and `compare rules`: the pipeline and the rules, shown as plain text.
//!
//! `explain` runs one article through the same stages as `compare build` (ingest with
//! boilerplate, normalise, segment, extract) and says what each found: the metadata and
//! where it came from, every block set aside and why, then each sentence with its claims
//! (type, surface text, value, the pattern that matched; for names found by similarity,
//! the alias they resemble). A rules author reads it to see why a claim was or was not
//! found. Numbers that no claim covers are listed under their sentence: the usual reason
//! a claim is missing is a pattern that does not expect the words around the number.
//!
//! Output is deterministic: no clock, no absolute paths beyond the one given.

use crate::extract::at_word_edges;
use crate::ingest::{self, ReadOptions};
use crate::model::{Claim, Document, MatchHow, Value};
use crate::render::markdown::shorten;
use crate::rules::{Kind, RuleSet};
use crate::{extract, numbers, verdict};
use regex::Regex;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::OnceLock;

/// The explanation of one article, as printed by `compare explain FILE`; `rules_path`
/// names the rules file in each claim's rule reference (`rules.toml:331`).
pub fn article(
    file: &Path,
    rules: &RuleSet,
    rules_path: &str,
    read: ReadOptions,
) -> anyhow::Result<String> {
    let (doc, warnings) = ingest::document(file, rules, read)?;
    let mut docs = vec![doc];
    let (texts, mut sentences) = crate::sentences(&mut docs, 0, rules);
    let keys = extract::Keys {
        texts: &texts,
        first_doc: 0,
    };
    let published: Vec<_> = docs.iter().map(|d| d.published).collect();
    let claims = extract::claims(rules, &published, &mut sentences, keys, 0);
    let doc = &docs[0];
    let wording = verdict::Wording::of(rules);
    let mut o = String::new();

    let _ = writeln!(o, "{}", file.display());
    let _ = writeln!(o, "  title      {}", doc.title);
    let outlet = if doc.outlet_source == crate::model::OUTLET_UNKNOWN {
        format!(
            "not found: the pages say «{}»; add `outlet = \"…\"` front matter to name it",
            doc.outlet
        )
    } else {
        format!("{}  (from {})", doc.outlet, outlet_source(doc))
    };
    let _ = writeln!(o, "  outlet     {outlet}");
    let published = match doc.published {
        Some(d) => format!("{d}  (from {})", published_source(doc)),
        None => "not found: relative dates stay unresolved".to_string(),
    };
    let _ = writeln!(o, "  published  {published}");
    if let Some(url) = &doc.url {
        let _ = writeln!(o, "  url        {url}");
    }
    let _ = writeln!(o, "  language   {}", doc.lang);
    for w in &warnings {
        let _ = writeln!(o, "  {w}");
    }

    let _ = writeln!(o);
    let _ = writeln!(o, "set aside: {}", count(doc.excluded.len(), "block"));
    for e in &doc.excluded {
        let (first, last) = (line_of(doc, e.span.start), line_of(doc, e.span.end));
        let lines = if first == last {
            format!("line {first}")
        } else {
            format!("lines {first}-{last}")
        };
        let _ = writeln!(o, "  {lines:<13} {}", e.reason);
        let _ = writeln!(
            o,
            "  {:<13} «{}»",
            "",
            shorten(&doc.text[e.span.clone()], 70)
        );
    }

    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "sentences: {}, claims: {}",
        sentences.len(),
        claims.len()
    );
    for (si, s) in sentences.iter().enumerate() {
        let text = doc.text[s.span.clone()]
            .split_whitespace()
            .collect::<Vec<_>>();
        let _ = writeln!(
            o,
            "s{:<3} line {:<4} «{}»",
            s.ordinal,
            s.line,
            text.join(" ")
        );
        let mine: Vec<&Claim> = claims.iter().filter(|c| c.sentence == si).collect();
        for c in &mine {
            let _ = writeln!(
                o,
                "      {:<8} «{}» → {}  ({}{})",
                c.rule,
                doc.text[c.span.clone()].trim(),
                value_words(&wording, &c.value),
                rule_reference(rules, rules_path, c),
                how(&c.value)
            );
        }
        for n in unclaimed_numbers(rules, doc, &mine, keys.of(s)) {
            let _ = writeln!(
                o,
                "      number   «{n}» yields no claim: no quantity or date pattern matches the words around it"
            );
        }
    }
    Ok(o)
}

/// Where the outlet came from, with the line when it is a metadata line.
fn outlet_source(doc: &Document) -> String {
    if doc.outlet_source != "metadata line" {
        return doc.outlet_source.to_string();
    }
    // The last outlet line wins; a publication-date line can name the outlet too.
    let line = doc
        .excluded
        .iter()
        .rev()
        .find(|e| e.reason == "metadata: outlet")
        .or_else(|| {
            doc.excluded
                .iter()
                .find(|e| e.reason == "metadata: publication date")
        });
    match line {
        Some(e) => format!("metadata line {}", line_of(doc, e.span.start)),
        None => "a metadata line".into(),
    }
}

/// Where the publication date came from.
fn published_source(doc: &Document) -> String {
    match doc
        .excluded
        .iter()
        .find(|e| e.reason == "metadata: publication date")
    {
        Some(e) => format!("metadata line {}", line_of(doc, e.span.start)),
        None => "front matter".into(),
    }
}

/// A claim's value as the pages show it (`~1000 soldiers (US)`, `عبد الرحمن تياني`), a
/// date with its ISO form when the words are not it (`March (year unknown) = XXXX-03`).
fn value_words(wording: &verdict::Wording, v: &Value) -> String {
    let words = wording.shown(v);
    match v {
        Value::Date(_) => {
            let code = verdict::display(v);
            if words == code {
                words
            } else {
                format!("{words} = {code}")
            }
        }
        _ => words,
    }
}

/// The rule of rules.toml that gave a claim, by its place in the file: the pattern of a
/// claim type (`date pattern 2, rules.toml:331`) or the listed name of an entity (`entity
/// tiani, rules.toml:405`).
fn rule_reference(rules: &RuleSet, rules_path: &str, c: &Claim) -> String {
    if let Value::Name { entity, .. } = &c.value {
        return match rules.entities.iter().find(|e| &e.id == entity) {
            Some(e) => format!("[[entity]] {}, {rules_path}:{}", e.id, e.line),
            None => format!("[[entity]] {entity}"),
        };
    }
    let rule = rules.claim(&c.rule);
    let n = c
        .pattern
        .rsplit_once('#')
        .and_then(|(_, n)| n.parse::<usize>().ok());
    match (rule, n) {
        (Some(r), Some(n)) => match r.patterns.get(n.wrapping_sub(1)) {
            Some(p) => format!("{} pattern {n}, {rules_path}:{}", c.rule, p.line),
            None => format!(
                "{} pattern {n}, [[claim]] at {rules_path}:{}",
                c.rule, r.line
            ),
        },
        (Some(r), None) => format!("[[claim]] {}, {rules_path}:{}", c.rule, r.line),
        _ => c.pattern.to_string(),
    }
}

/// How a claim's value was recognised, when there is more to say than the rule.
fn how(v: &Value) -> String {
    match v {
        Value::Name {
            how: MatchHow::Fuzzy { alias, score },
            ..
        } => format!("; spelling not listed, resembles `{alias}`, score {score:.2}"),
        Value::Name {
            how: MatchHow::Alias,
            ..
        } => "; listed spelling".into(),
        Value::Quantity {
            ambiguous: true, ..
        } => "; ambiguous: `1.500` read as thousands".into(),
        Value::Date(d) if !d.resolved => "; unresolved: no publication date".into(),
        _ => String::new(),
    }
}

/// Numbers in a sentence's key that no quantity or date claim covers, as written.
fn unclaimed_numbers(
    rules: &RuleSet,
    doc: &Document,
    claims: &[&Claim],
    s: crate::normalize::Part,
) -> Vec<String> {
    let key = s.key();
    static NUMBER: OnceLock<Option<Regex>> = OnceLock::new();
    let Some(re) = NUMBER
        .get_or_init(|| Regex::new(&numbers::fragment()).ok())
        .as_ref()
    else {
        return Vec::new();
    };
    let covered: Vec<std::ops::Range<usize>> = claims
        .iter()
        .filter(|c| rules.claim(&c.rule).is_some_and(|r| r.kind != Kind::Name))
        .map(|c| c.span.clone())
        .collect();
    let mut out = Vec::new();
    for m in re.find_iter(key) {
        if m.is_empty() || !at_word_edges(key, m.range()) {
            continue;
        }
        let span = s.original_span(m.range());
        if !covered
            .iter()
            .any(|c| c.start < span.end && span.start < c.end)
        {
            out.push(doc.text[span].trim().to_string());
        }
    }
    out
}

fn line_of(doc: &Document, offset: usize) -> usize {
    doc.text[..offset.min(doc.text.len())].matches('\n').count() + 1
}

fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// The line `compare check` prints when the rules are clean.
pub fn check_summary(path: &str, set: &RuleSet) -> String {
    let examples: usize = set
        .claims
        .iter()
        .map(|c| c.examples.len() + c.counter_examples.len())
        .sum();
    let examples = match examples {
        1 => "1 example passes".to_string(),
        n => format!("{n} examples and counter-examples pass"),
    };
    format!(
        "{path}: {}, {}, {examples}",
        count(set.claims.len(), "claim type"),
        count(set.entities.len(), "name"),
    )
}

/// The claim types and names of a rule set, as printed by `compare rules`.
pub fn rules(path: &str, set: &RuleSet) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{path}: {} (`compare check` runs their examples)",
        count(set.claims.len(), "claim type")
    );
    let width = set.claims.iter().map(|c| c.id.len()).max().unwrap_or(0);
    for c in &set.claims {
        let mut examples = format!(
            "{}, {}",
            count(c.examples.len(), "example"),
            count(c.counter_examples.len(), "counter-example")
        );
        if c.kind == Kind::Name {
            examples = format!(
                "{} of type `{}`, {examples}",
                count(
                    set.entities
                        .iter()
                        .filter(|e| Some(e.kind.as_str()) == c.entity_type.as_deref())
                        .count(),
                    "name"
                ),
                c.entity_type.as_deref().unwrap_or("")
            );
        }
        let _ = writeln!(
            o,
            "\n{:<width$}  {:<8}  {examples}  (line {})",
            c.id,
            c.kind.as_str(),
            c.line
        );
        let _ = writeln!(o, "{:<width$}  {}", "", c.description.trim());
    }
    o
}
