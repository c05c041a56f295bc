//! `compare explain`, `compare why` and `compare rules`: the pipeline and the rules, shown
//! as plain text.
//!
//! `explain` runs one article through the same stages as `compare build` (ingest with
//! boilerplate, normalise, segment, extract) and says what each found: the metadata and
//! where it came from, every block set aside and why, then each sentence with its claims
//! (type, surface text, value, the pattern that matched; for names found by similarity,
//! the alias they resemble). A rules author reads it to see why a claim was or was not
//! found. Numbers that no claim covers are listed under their sentence: the usual reason
//! a claim is missing is a pattern that does not expect the words around the number.
//!
//! `why` reads the whole corpus and groups the story of two sentences as `compare build`
//! does, then shows each test alignment applied to them, with its setting in `[align]`.
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
    let (doc, mut warnings) = ingest::document(file, rules, read)?;
    // Shown as it would be read, but said plainly: a build would never see it.
    if ingest::format_of(&file.to_string_lossy()).is_none() {
        warnings.insert(
            0,
            format!(
                "warning: {}: `compare build` reads only .txt, .md and .markdown files and passes this one over; it is read here as plain text",
                file.display()
            ),
        );
    } else if file
        .file_name()
        .is_some_and(|n| ingest::is_readme(n.as_encoded_bytes()))
    {
        warnings.insert(
            0,
            format!(
                "warning: {}: `compare build` passes a README over, as a description of the articles rather than one",
                file.display()
            ),
        );
    }
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

/// Why two sentences of the corpus in `seeds` are, or are not, one statement, as printed
/// by `compare why A B`: each sentence, then for each claim type both hold, every test
/// alignment applies to them in order (blocking, subjects, similarity, topic), with the
/// `[align]` setting each is held to, and where each ended. `a` and `b` are sentence ids
/// as the site's links to a sentence end (`000_ad269960ebcb6093-s6`: the article's id,
/// then `-s` and the sentence's number).
///
/// Without `b`, the sentences of the story's other articles nearest to `a` instead: for
/// each claim type of `a`, the [`NEAREST`] most similar sentences of that type, each
/// with its similarity, topic and whether it is in `a`'s statement.
pub fn pair(
    seeds: &Path,
    rules: &RuleSet,
    a: &str,
    b: Option<&str>,
    read: ReadOptions,
) -> anyhow::Result<String> {
    let corpus = crate::read_corpus(seeds, rules, read)?;
    let (docs, sentences, claims) = (&corpus.docs, &corpus.sentences, &corpus.claims);
    let find = |id: &str| sentence_by_id(seeds, docs, sentences, id);
    let sa = find(a)?;
    let sb = match b {
        Some(b) => Some(find(b)?),
        None => None,
    };
    let wording = verdict::Wording::of(rules);
    let mut o = String::new();
    let described = |o: &mut String, label: &str, si: usize| {
        let s = &sentences[si];
        let d = &docs[s.doc];
        let date = d
            .published
            .map_or("no publication date".to_string(), |p| p.to_string());
        let _ = writeln!(
            o,
            "{label}  {}-s{}: {}, line {}; {}, {date}",
            d.id,
            s.ordinal,
            ingest::shown(seeds, &d.path),
            s.line,
            d.outlet
        );
        let text: Vec<&str> = d.text[s.span.clone()].split_whitespace().collect();
        let _ = writeln!(o, "   «{}»", text.join(" "));
    };
    described(&mut o, "A", sa);
    if let Some(sb) = sb {
        described(&mut o, "B", sb);
    }
    let _ = writeln!(o);
    let claim_list = |cs: &[usize]| -> String {
        cs.iter()
            .map(|&c| {
                let c = &claims[c];
                format!(
                    "«{}» → {}",
                    docs[c.doc].text[c.span.clone()].trim(),
                    value_words(&wording, &c.value)
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    let name = |si: usize| format!("{}-s{}", docs[sentences[si].doc].id, sentences[si].ordinal);
    // The other sentences of a statement whose sentences are `g`, its own first.
    let others = |g: &[usize]| -> Vec<String> { g[1..].iter().map(|&s| name(s)).collect() };
    let Some(sb) = sb else {
        let near = crate::align::nearest(rules, docs, sentences, claims, sa, NEAREST);
        if near.is_empty() {
            let _ = writeln!(
                o,
                "A holds no claim: only sentences with claims are aligned"
            );
        }
        for pairs in &near {
            let Some(first) = pairs.first() else {
                continue;
            };
            let _ = writeln!(o, "{}  A {}", first.rule, claim_list(&first.claims.0));
            let with = others(&first.groups.0);
            let _ = writeln!(
                o,
                "  statement     {} {}",
                first.statements.0,
                if with.is_empty() {
                    "(A's alone)".to_string()
                } else {
                    format!("(A's, with {})", with.join(", "))
                }
            );
            let _ = writeln!(
                o,
                "  nearest       the {} most similar {} sentences of the story's other articles (similarity, topic):",
                pairs.len(),
                first.rule
            );
            for p in pairs {
                let state = if p.together {
                    "one statement with A"
                } else {
                    "apart"
                };
                let _ = writeln!(
                    o,
                    "    {:<28} {:.3}  {:.3}  {state:<20} {}",
                    name(p.sentences.1),
                    p.similarity,
                    p.topic,
                    claim_list(&p.claims.1)
                );
            }
            let _ = writeln!(o);
        }
        if near.iter().any(|p| !p.is_empty()) {
            let _ = writeln!(o, "compare why {a} B shows every test for one of them");
        }
        return Ok(o);
    };
    match crate::align::why(rules, docs, sentences, claims, sa, sb) {
        crate::align::Why::Stories(x, y) => {
            let _ = writeln!(
                o,
                "not one statement: A is of story «{x}» and B of story «{y}», and sentences are aligned only within a story (front matter `story`)"
            );
        }
        crate::align::Why::OneDocument => {
            let _ = writeln!(
                o,
                "not one statement: both are of one article, and a statement holds at most one sentence of each article"
            );
        }
        crate::align::Why::Facts(pairs) if pairs.is_empty() => {
            let types = |si: usize| -> String {
                // Each type once, in the order the sentence first gives it.
                let mut t: Vec<&str> = Vec::new();
                for c in claims.iter().filter(|c| c.sentence == si) {
                    if !t.contains(&c.rule.as_str()) {
                        t.push(c.rule.as_str());
                    }
                }
                if t.is_empty() {
                    "no claim".to_string()
                } else {
                    format!("claims of type {}", t.join(", "))
                }
            };
            let _ = writeln!(
                o,
                "not one statement: A holds {} and B holds {}; a statement is made of claims of one type, and these have none in common",
                types(sa),
                types(sb)
            );
        }
        crate::align::Why::Facts(pairs) => {
            for p in &pairs {
                let _ = writeln!(o, "{}  A {}", p.rule, claim_list(&p.claims.0));
                let _ = writeln!(
                    o,
                    "{:w$}  B {}",
                    "",
                    claim_list(&p.claims.1),
                    w = p.rule.len()
                );
                let shared: Vec<String> = p
                    .shared
                    .iter()
                    .map(|f| {
                        let context = if f.topic { "" } else { ", context" };
                        format!("{} {:.2} ({}{context})", f.name, f.weight, f.postings)
                    })
                    .collect();
                let _ = writeln!(
                    o,
                    "  features      A {}, B {}, {} shared (weight; facts of the type holding it in the story): {}",
                    p.features.0,
                    p.features.1,
                    p.shared.len(),
                    if shared.is_empty() { "none".to_string() } else { shared.join(", ") }
                );
                let mark = |ok: bool| if ok { "✓" } else { "✗" };
                let _ = writeln!(
                    o,
                    "  blocking      {} {}",
                    mark(p.candidate),
                    if p.candidate {
                        format!(
                            "proposed: a shared feature is held by at most {} facts of the type (align.max_postings)",
                            rules.max_postings
                        )
                    } else if p.shared.is_empty() {
                        "never compared: no feature in common".to_string()
                    } else {
                        format!(
                            "never compared: every shared feature is held by more than {} facts of the type (align.max_postings)",
                            rules.max_postings
                        )
                    }
                );
                let _ = writeln!(
                    o,
                    "  subjects      {} {}",
                    mark(p.compatible),
                    if p.compatible {
                        "compatible (whose troops, align.distinguish words)"
                    } else {
                        "incompatible: different subjects (whose troops) or align.distinguish words (places)"
                    }
                );
                // A score against its floor: whether it reaches it, and the line saying so.
                let floor = |o: &mut String, what: &str, score: f64, min: f64, key: &str| {
                    let ok = score >= min;
                    let cmp = if ok { "≥" } else { "<" };
                    let _ = writeln!(
                        o,
                        "  {what:<13} {} {score:.3} {cmp} {min} ({key})",
                        mark(ok)
                    );
                    ok
                };
                let sim_ok = floor(
                    &mut o,
                    "similarity",
                    p.similarity,
                    rules.min_similarity,
                    "align.min_similarity",
                );
                let topic_ok = floor(&mut o, "topic", p.topic, rules.min_topic, "align.min_topic");
                let shared_ok = p.needed_topic <= 1 || p.shared_topic >= p.needed_topic;
                if p.needed_topic > 1 {
                    let _ = writeln!(
                        o,
                        "  topic words   {} {} shared, {} needed (min_shared_topic of {})",
                        mark(shared_ok),
                        p.shared_topic,
                        p.needed_topic,
                        p.rule
                    );
                }
                let passes = p.candidate && p.compatible && sim_ok && topic_ok && shared_ok;
                let together = p.together;
                let with = |id: &str, g: &[usize]| -> String {
                    let others = others(g);
                    if others.is_empty() {
                        format!("{id} stands alone")
                    } else {
                        format!("{id} is with {}", others.join(", "))
                    }
                };
                let result = if together {
                    format!("one statement, {}, with {}", p.statements.0, {
                        let mut all: Vec<String> = p.groups.0.iter().map(|&s| name(s)).collect();
                        all.sort();
                        all.join(", ")
                    })
                } else if passes {
                    let b_doc = sentences[sb].doc;
                    let why = if p.groups.0.iter().any(|&s| sentences[s].doc == b_doc) {
                        "A's statement already holds another sentence of B's article, and a statement holds one sentence an article"
                    } else {
                        "the pair passes, but their statements did not merge: two statements merge only when their sentences are similar on average (align.min_similarity, align.min_topic)"
                    };
                    format!(
                        "different statements: {why}; A's {}, B's {}",
                        with(&p.statements.0, &p.groups.0),
                        with(&p.statements.1, &p.groups.1)
                    )
                } else {
                    format!(
                        "different statements; A's {}, B's {}",
                        with(&p.statements.0, &p.groups.0),
                        with(&p.statements.1, &p.groups.1)
                    )
                };
                let _ = writeln!(o, "  result        {result}");
                let _ = writeln!(o);
            }
        }
    }
    Ok(o)
}

/// How many sentences `compare why A` lists for each claim type of `A`.
pub const NEAREST: usize = 5;

/// The sentence of the corpus with id `id` (`{article id}-s{number}`), or an error that
/// says what is wrong with it.
fn sentence_by_id(
    seeds: &Path,
    docs: &[Document],
    sentences: &[crate::model::Sentence],
    id: &str,
) -> anyhow::Result<usize> {
    let help = "a sentence id is the article's id, -s and the sentence's number, as the site's links to a sentence end (documents/….html#000_ad269960ebcb6093-s6); `compare explain FILE` numbers an article's sentences";
    let Some((doc_id, n)) = id.rsplit_once("-s") else {
        anyhow::bail!("«{id}» is not a sentence id\n  = help: {help}");
    };
    let Ok(n) = n.parse::<usize>() else {
        anyhow::bail!("«{id}» is not a sentence id: «{n}» is not a number\n  = help: {help}");
    };
    // The id as the article's, or as the site's links write it (`b c` is `b-c-88593a34`).
    let Some(d) = docs.iter().position(|d| d.id == doc_id).or_else(|| {
        docs.iter()
            .position(|d| crate::render::slug(&d.id) == doc_id)
    }) else {
        anyhow::bail!(
            "no article of {} has the id «{doc_id}»\n  = help: {help}",
            seeds.display()
        );
    };
    let mine: Vec<usize> = (0..sentences.len())
        .filter(|&s| sentences[s].doc == d)
        .collect();
    mine.iter()
        .copied()
        .find(|&s| sentences[s].ordinal == n)
        .ok_or_else(|| {
            anyhow::anyhow!(
                "{doc_id} has {} (s1 to s{}), not s{n}",
                count(mine.len(), "sentence"),
                mine.len()
            )
        })
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
                .find(|e| e.reason == ingest::PUBLICATION_DATE_LINE)
        });
    match line {
        Some(e) => format!("metadata line {}", line_of(doc, e.span.start)),
        None => "a metadata line".into(),
    }
}

/// Where the publication date came from: the front matter, which wins over a date line,
/// or the date line.
fn published_source(doc: &Document) -> String {
    let line = doc
        .excluded
        .iter()
        .find(|e| e.reason == ingest::PUBLICATION_DATE_LINE);
    match (doc.published_source, line) {
        ("metadata line", Some(e)) => format!("metadata line {}", line_of(doc, e.span.start)),
        _ => "front matter".into(),
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
