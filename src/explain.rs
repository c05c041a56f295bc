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

/// The explanation of one article, as printed by `compare explain FILE`.
pub fn article(file: &Path, rules: &RuleSet, read: ReadOptions) -> anyhow::Result<String> {
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
                "      {:<8} «{}» → {}  {}{}",
                c.rule,
                doc.text[c.span.clone()].trim(),
                verdict::display(&c.value),
                c.pattern,
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

/// How a claim's value was recognised, when there is more to say than the pattern.
fn how(v: &Value) -> String {
    match v {
        Value::Name {
            how: MatchHow::Fuzzy { alias, score },
            ..
        } => format!("  (spelling not listed; resembles `{alias}`, score {score:.2})"),
        Value::Name {
            how: MatchHow::Alias,
            ..
        } => "  (listed alias)".into(),
        Value::Quantity {
            ambiguous: true, ..
        } => "  (ambiguous: `1.500` read as thousands)".into(),
        Value::Date(d) if !d.resolved => "  (unresolved: no publication date)".into(),
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
