//! 5. Claims: RuleSet × sentences → claims with normalised values.
//!
//! Patterns run on each sentence's match key. Word edges are checked here, not with `\b`
//! (slow on Arabic and blind to proclitics): a match may start after up to two of the
//! proclitics و ف ب ل ك and must end before a non-word character. Within one claim type,
//! overlapping matches keep the earliest, then the longest. Value parsing is code
//! (`numbers`, `dates`); which words make a claim is `rules.toml`.

use crate::dates::{self, DateParts};
use crate::model::{Claim, Qualifier, Sentence, Value};
use crate::normalize;
use crate::rules::{self, ClaimRule, Kind, RuleSet};
use crate::{entities, numbers};
use chrono::NaiveDate;
use rayon::prelude::*;
use regex::Captures;
use std::ops::Range;

/// A claim found in one text, before it is attached to a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub rule: String,
    /// 0-based index of the pattern that matched.
    pub pattern: usize,
    /// Byte range in the match key.
    pub key_range: Range<usize>,
    pub value: Value,
}

impl Found {
    /// The value as a rule example spells it: a number, an ISO date or an entity id.
    pub fn value_text(&self) -> String {
        value_text(&self.value)
    }

    /// (value, qualifier, unit, subject) as compared against a rule example.
    pub fn expectable(&self) -> (String, Option<String>, Option<String>, Option<String>) {
        match &self.value {
            Value::Quantity {
                qualifier,
                unit,
                subject,
                ..
            } => (
                self.value_text(),
                Some(qualifier.as_str().to_string()),
                unit.clone(),
                subject.clone(),
            ),
            _ => (self.value_text(), None, None, None),
        }
    }
}

/// The machine form of a value: `1000`, `2024-03-26`, `tiani`.
pub fn value_text(v: &Value) -> String {
    match v {
        Value::Quantity { amount, .. } => format_number(*amount),
        Value::Date(d) => d.iso.clone(),
        Value::Name { entity, .. } => entity.clone(),
    }
}

/// Numbers without a trailing `.0`, and without exponent notation.
pub fn format_number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e17 {
        format!("{}", x as i64)
    } else {
        let s = format!("{x:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// Every claim of every claim type in every sentence, in sentence order. `published` is
/// indexed by corpus document index; `base` is the corpus index of `sentences[0]`. Each
/// sentence also gets its alignment terms, and its key and offset map are then emptied.
pub fn claims(
    rules: &RuleSet,
    published: &[Option<NaiveDate>],
    sentences: &mut [Sentence],
    base: usize,
) -> Vec<Claim> {
    let per_sentence: Vec<Vec<Claim>> = sentences
        .par_iter_mut()
        .enumerate()
        .map_init(entities::FuzzyCache::default, |cache, (i, s)| {
            let si = base + i;
            let published = published.get(s.doc).copied().flatten();
            let mut out = Vec::new();
            // Names are found once per sentence and shared by every `name` claim type.
            let mentions = entities::mentions_cached(rules, &s.key, cache);
            let mut has_fact = false;
            for rule in &rules.claims {
                let found = if rule.kind == Kind::Name {
                    names(rules, rule, &mentions)
                } else {
                    in_key(rules, rule, &s.key, published)
                };
                has_fact |= !found.is_empty();
                for f in found {
                    out.push(Claim {
                        rule: rule.id.clone(),
                        pattern: format!("{}#{}", rule.id, f.pattern + 1),
                        doc: s.doc,
                        sentence: si,
                        span: s.original_span(f.key_range.clone()),
                        value: f.value,
                    });
                }
            }
            out.sort_by_key(|c| (c.span.start, c.span.end, c.rule.clone()));
            if has_fact {
                let spans: Vec<_> = out.iter().map(|c| c.span.clone()).collect();
                s.terms = crate::align::terms(rules, s, &spans);
                s.marks = crate::align::marks(rules, &s.key);
            }
            s.key = String::new();
            s.origin = Vec::new();
            out
        })
        .collect();
    per_sentence.into_iter().flatten().collect()
}

/// Claims of one type in a raw text (normalised here): for rule examples and `explain`.
pub fn in_text(
    rules: &RuleSet,
    rule: &ClaimRule,
    text: &str,
    published: Option<NaiveDate>,
) -> Vec<Found> {
    let n = normalize::normalize(text);
    in_key(rules, rule, n.key(), published)
}

/// Claims of one type in a match key.
pub fn in_key(
    rules: &RuleSet,
    rule: &ClaimRule,
    key: &str,
    published: Option<NaiveDate>,
) -> Vec<Found> {
    if rule.kind == Kind::Name {
        return names(rules, rule, &entities::mentions(rules, key));
    }
    let mut found = Vec::new();
    for (pi, p) in rule.patterns.iter().enumerate() {
        let mut pos = 0;
        while pos <= key.len() {
            let Some(caps) = p.regex.captures_at(key, pos) else {
                break;
            };
            let Some(m) = caps.get(0) else { break };
            if m.is_empty() {
                pos = next_char(key, m.end());
                continue;
            }
            if at_word_edges(key, m.range()) {
                if let Some(value) = value(rules, rule, key, &caps, published) {
                    found.push(Found {
                        rule: rule.id.clone(),
                        pattern: pi,
                        key_range: trim_range(key, m.range()),
                        value,
                    });
                }
                pos = m.end();
            } else {
                pos = next_char(key, m.start());
            }
        }
    }
    // Earliest first, then longest; drop what overlaps an earlier kept match.
    found.sort_by_key(|f| {
        (
            f.key_range.start,
            std::cmp::Reverse(f.key_range.end),
            f.pattern,
        )
    });
    let mut kept: Vec<Found> = Vec::new();
    for f in found {
        if kept
            .last()
            .is_some_and(|k| f.key_range.start < k.key_range.end)
        {
            continue;
        }
        kept.push(f);
    }
    kept
}

/// The mentions of a `name` claim type's entity type.
fn names(rules: &RuleSet, rule: &ClaimRule, mentions: &[entities::Mention]) -> Vec<Found> {
    let kind = rule.entity_type.as_deref().unwrap_or("");
    mentions
        .iter()
        .filter(|m| rules.entities[m.entity].kind == kind)
        .map(|m| Found {
            rule: rule.id.clone(),
            pattern: 0,
            key_range: m.range.clone(),
            value: Value::Name {
                entity: rules.entities[m.entity].id.clone(),
                how: m.how.clone(),
            },
        })
        .collect()
}

fn trim_range(key: &str, r: Range<usize>) -> Range<usize> {
    let s = &key[r.clone()];
    let start = r.start + (s.len() - s.trim_start().len());
    let end = r.end - (s.len() - s.trim_end().len());
    start..end.max(start)
}

fn next_char(s: &str, i: usize) -> usize {
    s[i..]
        .chars()
        .next()
        .map_or(s.len() + 1, |c| i + c.len_utf8())
}

const PROCLITICS: [char; 5] = ['و', 'ف', 'ب', 'ل', 'ك'];

/// A match must start at a word start, or after up to two proclitics that start a word,
/// and end at a word end.
pub fn at_word_edges(key: &str, r: Range<usize>) -> bool {
    let after_ok = key[r.end..]
        .chars()
        .next()
        .is_none_or(|c| !normalize::is_word_char(c));
    if !after_ok {
        return false;
    }
    let mut before = key[..r.start].chars().rev();
    for _ in 0..3 {
        match before.next() {
            None => return true,
            Some(c) if !normalize::is_word_char(c) => return true,
            Some(c) if PROCLITICS.contains(&c) => continue,
            Some(_) => return false,
        }
    }
    false
}

fn value(
    rules: &RuleSet,
    rule: &ClaimRule,
    key: &str,
    caps: &Captures,
    published: Option<NaiveDate>,
) -> Option<Value> {
    let lookup = |name: &str| -> Option<String> {
        let text = caps.name(name)?.as_str();
        let lex = rules.lexicon(rules::lexicon_for_capture(name)?)?;
        lex.canonical(text).map(str::to_string)
    };
    match rule.kind {
        Kind::Quantity => {
            // A singular or dual noun standing alone counts one or two (طائرة شحن روسية).
            let q = match caps.name("number") {
                Some(n) => numbers::parse(n.as_str().trim())?,
                None => numbers::Quantity {
                    value: if caps.name("two").is_some() {
                        2.0
                    } else if caps.name("one").is_some() {
                        1.0
                    } else {
                        return None;
                    },
                    vague: false,
                    ambiguous: false,
                },
            };
            let qualifier = lookup("qualifier")
                .and_then(|q| Qualifier::parse(&q))
                .unwrap_or(if q.vague {
                    Qualifier::Vague
                } else {
                    Qualifier::Exact
                });
            let unit = lookup("unit").or_else(|| rule.unit.clone());
            let subject = lookup("subject").or_else(|| {
                let start = caps.get(0).map_or(0, |m| m.start());
                subject_before(rules, key, start, rule.subject_window)
            });
            Some(Value::Quantity {
                amount: q.value,
                qualifier,
                unit,
                subject,
                tolerance: rule.tolerance,
                ambiguous: q.ambiguous,
            })
        }
        Kind::Date => {
            let mut parts = DateParts::default();
            if let Some(d) = caps.name("day") {
                parts.day = d.as_str().trim().parse().ok();
            }
            if let Some(o) = caps.name("ordinal") {
                parts.day = numbers::ordinal(o.as_str().trim());
            }
            parts.month = lookup("month").and_then(|m| m.parse().ok());
            if let Some(y) = caps.name("year") {
                parts.year = y.as_str().trim().parse().ok();
            }
            parts.weekday = lookup("weekday").and_then(|w| rules::weekday(&w));
            let direction = lookup("direction").and_then(|d| d.parse::<i32>().ok());
            if let Some(p) = lookup("period").and_then(|p| rules::period(&p)) {
                parts.relative = Some((p, direction.unwrap_or(0)));
            } else if let Some(n) = lookup("day_offset").and_then(|d| d.parse::<i32>().ok()) {
                parts.relative = Some((dates::Precision::Day, n));
            } else {
                parts.direction = direction;
            }
            parts.part = lookup("part").and_then(|p| match p.as_str() {
                "early" => Some(dates::Part::Early),
                "mid" => Some(dates::Part::Mid),
                "late" => Some(dates::Part::Late),
                _ => None,
            });
            dates::resolve(&parts, published).map(Value::Date)
        }
        Kind::Name => None,
    }
}

/// The nearest `[lexicon.subject]` word within `window` words before `start`.
fn subject_before(rules: &RuleSet, key: &str, start: usize, window: usize) -> Option<String> {
    if window == 0 {
        return None;
    }
    let lex = rules.lexicon("subject")?;
    let re = rules.subject_regex.as_ref()?;
    let before = &key[..start];
    // Byte offset where the window starts: `window` spaces back.
    let from = before
        .char_indices()
        .rev()
        .filter(|(_, c)| c.is_whitespace())
        .nth(window)
        .map_or(0, |(i, _)| i);
    let mut best = None;
    let mut pos = from;
    while let Some(m) = re.find_at(before, pos) {
        if at_word_edges(before, m.range()) {
            best = lex.canonical(m.as_str()).map(str::to_string).or(best);
        }
        pos = next_char(before, m.start());
        if pos > before.len() {
            break;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_edges_allow_proclitics_only() {
        let k = "وبالف جندي";
        assert!(at_word_edges("الف جندي", 0.."الف جندي".len()));
        assert!(!at_word_edges("الف جنديا", 0.."الف جندي".len()));
        assert!(at_word_edges(k, "وب".len()..k.len()));
        assert!(!at_word_edges("الفيلق", 0.."الف".len()));
        assert!(!at_word_edges("مالف", "م".len().."مالف".len()));
    }

    #[test]
    fn numbers_print_plainly() {
        assert_eq!(format_number(1000.0), "1000");
        assert_eq!(format_number(100_000_000.0), "100000000");
        assert_eq!(format_number(3.5), "3.5");
    }
}
