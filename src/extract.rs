//! 5. Claims: RuleSet × sentences → claims with normalised values.
//!
//! Patterns run on each sentence's match key. Word edges are checked here, not with `\b`
//! (slow on Arabic and blind to proclitics): a match may start after up to two of the
//! proclitics و ف ب ل ك and must end before a non-word character. Within one claim type,
//! overlapping matches keep the earliest, then the longest. Value parsing is code
//! (`numbers`, `dates`); which words make a claim is `rules.toml`.
//!
//! Dates are read with their context: a future cue of `[lexicon.tense]` before a date (سوف, المقرر,
//! a verb with the future prefix س- right before it) resolves it forwards from the publication date;
//! two weekdays joined by و resolve as one ordered pair; a period said to be "previous"
//! (`[lexicon.anaphora]`: العام السابق) counts from the date named just before it in the sentence.

use crate::dates::{self, DateParts};
use crate::model::{Claim, MatchHow, Qualifier, Sentence, Value};
use crate::normalize;
use crate::rules::{self, ClaimRule, EntityRule, Kind, RuleSet};
use crate::{entities, numbers};
use chrono::NaiveDate;
use foldhash::HashMap;
use rayon::prelude::*;
use regex::{CaptureLocations, Regex};
use smol_str::{format_smolstr, SmolStr};
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

/// The normalised bodies of the documents whose sentences are being extracted:
/// `texts[i]` is the body of corpus document `first_doc + i`.
#[derive(Clone, Copy)]
pub struct Keys<'a> {
    pub texts: &'a [normalize::Normalized],
    pub first_doc: usize,
}

impl<'a> Keys<'a> {
    /// A sentence's key, with its offsets mapped back to its document's text. The
    /// sentence must be of one of these documents.
    pub fn of(&self, s: &Sentence) -> normalize::Part<'a> {
        debug_assert!(s.doc >= self.first_doc, "a sentence of an earlier chunk");
        self.texts[s.doc - self.first_doc].part(s.key_range.clone())
    }
}

/// Every claim of every claim type in every sentence, in sentence order. `published` is
/// indexed by corpus document index; `keys` holds the sentences' documents' normalised
/// bodies; `base` is the corpus index of `sentences[0]`. Each sentence with a claim also
/// gets its alignment terms and marks.
#[inline(never)] // counted on its own by `benches/instructions.sh`
pub fn claims(
    rules: &RuleSet,
    published: &[Option<NaiveDate>],
    sentences: &mut [Sentence],
    keys: Keys,
    base: usize,
) -> Vec<Claim> {
    claims_kept(rules, published, sentences, keys, base, &Workers::new())
}

/// [`claims`], with the workers' caches of `workers`, which outlive the call: a build
/// extracts its corpus chunk by chunk with the same ones.
pub fn claims_kept(
    rules: &RuleSet,
    published: &[Option<NaiveDate>],
    sentences: &mut [Sentence],
    keys: Keys,
    base: usize,
    workers: &Workers,
) -> Vec<Claim> {
    let per_sentence: Vec<Vec<Claim>> = sentences
        .par_iter_mut()
        .enumerate()
        .map_init(
            || workers.lend(),
            |lent, (i, s)| sentence_claims(rules, published, keys, base + i, s, &mut lent.caches),
        )
        .collect();
    crate::concat(per_sentence)
}

/// The claims of one sentence, `si` in the corpus, and its alignment terms and marks
/// when it has one, with a worker's caches (see [`claims`]).
fn sentence_claims(
    rules: &RuleSet,
    published: &[Option<NaiveDate>],
    keys: Keys,
    si: usize,
    s: &mut Sentence,
    caches: &mut Caches,
) -> Vec<Claim> {
    let published = published.get(s.doc).copied().flatten();
    let part = keys.of(s);
    let key = part.key();
    let mut out = Vec::new();
    // Names are found once per sentence and shared by every `name` claim type.
    let mentions = entities::mentions_cached(rules, key, &mut caches.fuzzy);
    let mut has_fact = false;
    // Which patterns can match this sentence at all, in one scan: only those are
    // searched for their captures. Most sentences match no pattern: `is_match`
    // says so without the slower overlapping search that tells which.
    let possible: Option<Vec<bool>> = rules.pattern_set.as_ref().map(|set| {
        let mut possible = vec![false; set.len()];
        if set.is_match(key) {
            for i in set.matches(key).iter() {
                possible[i] = true;
            }
        }
        possible
    });
    for (ri, rule) in rules.claims.iter().enumerate() {
        let found = if rule.kind == Kind::Name {
            names(rules, rule, &mentions)
        } else {
            let only = possible
                .as_deref()
                .map(|p| &p[rules.pattern_start[ri]..][..rule.patterns.len()]);
            if only.is_some_and(|only| !only.contains(&true)) {
                Vec::new()
            } else {
                let first = rules.pattern_start[ri];
                in_key_of(
                    rules,
                    rule,
                    key,
                    published,
                    only,
                    Some((first, &mut caches.groups)),
                )
            }
        };
        has_fact |= !found.is_empty();
        for f in found {
            out.push(Claim {
                rule: SmolStr::from(rule.id.as_str()),
                pattern: format_smolstr!("{}#{}", rule.id, f.pattern + 1),
                doc: s.doc,
                sentence: si,
                span: part.original_span(f.key_range.clone()),
                value: f.value,
            });
        }
    }
    out.sort_by_key(|c| (c.span.start, c.span.end, c.rule.clone()));
    if has_fact {
        let spans: Vec<_> = out.iter().map(|c| c.span.clone()).collect();
        let places = crate::align::distinguished(rules, key);
        let marks = crate::align::marks(rules, key, &places);
        let parts = crate::align::parts(rules, part, &out, &places, &marks);
        s.words = Some(Box::new(crate::model::Words {
            terms: crate::align::terms(rules, part, &spans, &places),
            marks,
            parts,
        }));
    }
    out
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
    in_key_of(rules, rule, key, published, None, None)
}

/// A worker's caches, kept across the sentences it extracts.
#[derive(Default)]
struct Caches {
    fuzzy: entities::FuzzyCache,
    groups: GroupCache,
}

/// The caches of extraction's workers, one per thread, for one rule set: made by a
/// build once, for all its chunks. Rayon splits each chunk's sentences into dozens of
/// parts; each part borrows its thread's caches and gives them back when it is done,
/// so a part starts with what the thread's earlier parts read, not with empty caches.
/// The caches only spare work: any part may start empty, with the same claims.
pub struct Workers(Vec<std::sync::Mutex<Caches>>);

impl Workers {
    /// Empty caches for each thread of the current pool.
    pub fn new() -> Self {
        Workers(
            (0..rayon::current_num_threads().max(1))
                .map(|_| std::sync::Mutex::default())
                .collect(),
        )
    }

    /// The current thread's caches, until the [`Lent`] is dropped. A part that finds
    /// them lent already (by a part it interrupted) starts with empty ones.
    fn lend(&self) -> Lent<'_> {
        let slot = &self.0[rayon::current_thread_index().unwrap_or(0) % self.0.len()];
        let caches = slot
            .lock()
            .map(|mut kept| std::mem::take(&mut *kept))
            .unwrap_or_default();
        Lent { caches, slot }
    }
}

impl Default for Workers {
    fn default() -> Self {
        Workers::new()
    }
}

/// A thread's caches, lent to one part of an extraction.
struct Lent<'a> {
    caches: Caches,
    slot: &'a std::sync::Mutex<Caches>,
}

impl Drop for Lent<'_> {
    fn drop(&mut self) {
        if let Ok(mut kept) = self.slot.lock() {
            *kept = std::mem::take(&mut self.caches);
        }
    }
}

/// The groups of matches already read, by pattern (its index in `RuleSet::pattern_set`)
/// and matched text. Only for patterns whose groups depend on the matched text alone
/// (`Pattern::context_free`). Outlets repeat each other's figures and dates (عام 2024,
/// الشهر الماضي, 1500 جندي), and finding a match's groups costs about as much again as
/// finding the match: the regex engine runs a backtracking search over the expanded
/// pattern (the `{number}` grammar alone is some 9 000 states), after clearing one bit
/// per state and byte of the match.
#[derive(Default)]
struct GroupCache(Vec<KnownGroups>);

/// One pattern's groups by matched text, as ranges from the match start.
type KnownGroups = HashMap<Box<str>, Box<[Option<(u32, u32)>]>>;

impl GroupCache {
    /// Entries kept per pattern before its map starts again, to bound memory.
    const LIMIT: usize = 1 << 14;

    fn of(&mut self, pattern: usize) -> &mut KnownGroups {
        if self.0.len() <= pattern {
            self.0.resize_with(pattern + 1, HashMap::default);
        }
        &mut self.0[pattern]
    }
}

/// One group of a match: its text in the key and where it is.
#[derive(Debug, Clone, Copy)]
struct Group<'k> {
    key: &'k str,
    start: usize,
    end: usize,
}

impl<'k> Group<'k> {
    fn as_str(&self) -> &'k str {
        &self.key[self.start..self.end]
    }
    fn start(&self) -> usize {
        self.start
    }
    fn end(&self) -> usize {
        self.end
    }
}

/// The groups of one match of a pattern in a key (group 0 is the whole match).
struct Groups<'k> {
    key: &'k str,
    regex: &'k Regex,
    ranges: Vec<Option<(usize, usize)>>,
}

impl<'k> Groups<'k> {
    fn get(&self, i: usize) -> Option<Group<'k>> {
        let (start, end) = (*self.ranges.get(i)?)?;
        Some(Group {
            key: self.key,
            start,
            end,
        })
    }

    fn name(&self, name: &str) -> Option<Group<'k>> {
        let i = self.regex.capture_names().position(|n| n == Some(name))?;
        self.get(i)
    }
}

/// The groups of the match `m` of `regex` in `key`. With a cache: remembered there, else
/// found by searching again from the match start, which finds the same match (the
/// leftmost-first match from an earlier position that starts there). Without one: `locs`
/// holds them already, from the search that found `m`.
fn groups_of<'k>(
    regex: &'k Regex,
    key: &'k str,
    m: Range<usize>,
    locs: &mut CaptureLocations,
    cache: Option<&mut KnownGroups>,
) -> Groups<'k> {
    let read = |locs: &CaptureLocations| (0..locs.len()).map(|i| locs.get(i)).collect();
    let Some(cache) = cache else {
        return Groups {
            key,
            regex,
            ranges: read(locs),
        };
    };
    let text = &key[m.clone()];
    if let Some(known) = cache.get(text) {
        let from_start = |(s, e): (u32, u32)| (m.start + s as usize, m.start + e as usize);
        return Groups {
            key,
            regex,
            ranges: known.iter().map(|r| r.map(from_start)).collect(),
        };
    }
    regex.captures_read_at(locs, key, m.start);
    debug_assert_eq!(locs.get(0), Some((m.start, m.end)));
    let ranges: Vec<Option<(usize, usize)>> = read(locs);
    if cache.len() >= GroupCache::LIMIT {
        cache.clear();
    }
    let relative = ranges
        .iter()
        .map(|r| r.map(|(s, e)| ((s - m.start) as u32, (e - m.start) as u32)))
        .collect();
    cache.insert(text.into(), relative);
    Groups { key, regex, ranges }
}

/// [`in_key`], searching only the patterns `only` marks (by index in `rule.patterns`)
/// when it is given: the others are known to match nowhere in the key. `cache` holds the
/// index of the rule's first pattern in `RuleSet::pattern_set` and a worker's groups.
fn in_key_of(
    rules: &RuleSet,
    rule: &ClaimRule,
    key: &str,
    published: Option<NaiveDate>,
    only: Option<&[bool]>,
    mut cache: Option<(usize, &mut GroupCache)>,
) -> Vec<Found> {
    if rule.kind == Kind::Name {
        return names(rules, rule, &entities::mentions(rules, key));
    }
    let mut found = Vec::new();
    for (pi, p) in rule.patterns.iter().enumerate() {
        if only.is_some_and(|only| !only[pi]) {
            continue;
        }
        let mut locs = p.regex.capture_locations();
        // With remembered groups a match is found alone; without, with its groups at once.
        let mut known = match cache.as_mut() {
            Some((first, c)) if p.context_free => Some(c.of(*first + pi)),
            _ => None,
        };
        let mut pos = 0;
        while pos <= key.len() {
            let next = match known {
                Some(_) => p.regex.find_at(key, pos),
                None => p.regex.captures_read_at(&mut locs, key, pos),
            };
            let Some(m) = next else {
                break;
            };
            if m.is_empty() {
                pos = next_char(key, m.end());
                continue;
            }
            if at_word_edges(key, m.range()) {
                let caps = groups_of(&p.regex, key, m.range(), &mut locs, known.as_deref_mut());
                let read = match rule.kind {
                    Kind::Date => date_cue(rules, key, &caps).and_then(|cue| {
                        let v = dates::resolve(&cue.parts, published)?;
                        Some((Value::Date(v), Some(cue)))
                    }),
                    _ => value(rules, rule, key, &caps).map(|v| (v, None)),
                };
                if let Some((value, cue)) = read {
                    found.push((
                        Found {
                            rule: rule.id.clone(),
                            pattern: pi,
                            key_range: trim_range(key, m.range()),
                            value,
                        },
                        cue,
                    ));
                }
                pos = m.end();
            } else {
                pos = next_char(key, m.start());
            }
        }
    }
    // Earliest first, then longest; drop what overlaps an earlier kept match.
    found.sort_by_key(|(f, _)| {
        (
            f.key_range.start,
            std::cmp::Reverse(f.key_range.end),
            f.pattern,
        )
    });
    let mut kept: Vec<(Found, Option<DateCue>)> = Vec::new();
    for f in found {
        if kept
            .last()
            .is_some_and(|(k, _)| f.0.key_range.start < k.key_range.end)
        {
            continue;
        }
        kept.push(f);
    }
    read_dates_together(key, &mut kept, published);
    kept.into_iter().map(|(f, _)| f).collect()
}

/// What a date match said before resolution, kept so its neighbours can refine the value.
#[derive(Debug, Clone)]
struct DateCue {
    parts: DateParts,
    /// The period's direction word is one of `[lexicon.anaphora]`'s `previous` words (العام السابق).
    previous: bool,
}

/// Dates read with their neighbours in the same key: two weekdays joined only by و (يومي السبت
/// والأحد) resolve as an ordered pair; a `previous` period (مقارنة بالعام السابق) counts from the
/// nearest date before it (عام 2023 → 2022) when that one is resolved and precise enough, and from the
/// publication date otherwise.
fn read_dates_together(
    key: &str,
    found: &mut [(Found, Option<DateCue>)],
    published: Option<NaiveDate>,
) {
    for i in 1..found.len() {
        let (done, rest) = found.split_at_mut(i);
        let (a, b) = (&mut done[i - 1], &mut rest[0]);
        let (Some(ca), Some(cb)) = (&a.1, &b.1) else {
            continue;
        };
        if key[a.0.key_range.end..b.0.key_range.start].trim() != "و" {
            continue;
        }
        if let Some((x, y)) = dates::resolve_pair(&ca.parts, &cb.parts, published) {
            a.0.value = Value::Date(x);
            b.0.value = Value::Date(y);
        }
    }
    for i in 1..found.len() {
        let Some(cue) = found[i].1.as_ref().filter(|c| c.previous) else {
            continue;
        };
        let Some((period, _)) = cue.parts.relative else {
            continue;
        };
        let anchor = match &found[i - 1].0.value {
            Value::Date(antecedent) => dates::anchor(period, antecedent),
            _ => None,
        };
        if let Some(v) = anchor.and_then(|day| dates::resolve(&cue.parts, Some(day))) {
            found[i].0.value = Value::Date(v);
        }
    }
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
                how: shown_how(&rules.entities[m.entity], &m.how),
            },
        })
        .collect()
}

/// How a mention was found, as the report shows it: a spelling found by similarity names
/// the listed alias it resembles as rules.toml writes it (`يونس بيك إفكوروف`), not as its
/// name key (`يونس بيك افكوروف`).
fn shown_how(entity: &EntityRule, how: &MatchHow) -> MatchHow {
    match how {
        MatchHow::Fuzzy { alias, score } => MatchHow::Fuzzy {
            alias: entity
                .aliases
                .iter()
                .position(|a| a == alias)
                .and_then(|i| entity.written.get(i))
                .unwrap_or(alias)
                .clone(),
            score: *score,
        },
        MatchHow::Alias => MatchHow::Alias,
    }
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

/// A capture resolved through the lexicon of the same name.
fn lookup(rules: &RuleSet, caps: &Groups, name: &str) -> Option<String> {
    let text = caps.name(name)?.as_str();
    let lex = rules.lexicon(rules::lexicon_for_capture(name)?)?;
    lex.canonical(text).map(str::to_string)
}

/// The value of a quantity match.
fn value(rules: &RuleSet, rule: &ClaimRule, key: &str, caps: &Groups) -> Option<Value> {
    if rule.kind != Kind::Quantity {
        return None;
    }
    // A singular or dual noun standing alone counts one or two (طائرة شحن روسية).
    let mut q = match caps.name("number") {
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
    if let (Some(n), Some(m)) = (caps.name("number"), caps.get(0)) {
        // الفا/مليونا alone before its counted noun is the construct dual (ألفا جندي = 2000);
        // before من or nothing it is the accusative of one thousand (ألفا من الجنود).
        let next = key[n.end()..m.end()].split_whitespace().next();
        if next.is_some_and(|w| w != "من") {
            if let Some(dual) = numbers::construct_dual(n.as_str().trim()) {
                q.value = dual;
            }
        }
    }
    let qualifier = lookup(rules, caps, "qualifier")
        .and_then(|q| Qualifier::parse(&q))
        .unwrap_or(if q.vague {
            Qualifier::Vague
        } else {
            Qualifier::Exact
        });
    let unit = lookup(rules, caps, "unit").or_else(|| rule.unit.clone());
    let subject = lookup(rules, caps, "subject").or_else(|| {
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

/// The parts of a date match, with the cues around it: a future cue before it, and whether its
/// direction word refers back to a previous date.
fn date_cue(rules: &RuleSet, key: &str, caps: &Groups) -> Option<DateCue> {
    let mut parts = DateParts::default();
    if let Some(d) = caps.name("day") {
        parts.day = d.as_str().trim().parse().ok();
    }
    if let Some(o) = caps.name("ordinal") {
        parts.day = numbers::ordinal(o.as_str().trim());
    }
    // A month by name, through its lexicon, or in digits (12/3/2024).
    parts.month = lookup(rules, caps, "month")
        .and_then(|m| m.parse().ok())
        .or_else(|| {
            let m: u32 = caps.name("month")?.as_str().trim().parse().ok()?;
            (1..=12).contains(&m).then_some(m)
        });
    if let Some(y) = caps.name("year") {
        parts.year = y.as_str().trim().parse().ok();
    }
    parts.weekday = lookup(rules, caps, "weekday").and_then(|w| rules::weekday(&w));
    let direction = lookup(rules, caps, "direction").and_then(|d| d.parse::<i32>().ok());
    if let Some(p) = lookup(rules, caps, "period").and_then(|p| rules::period(&p)) {
        parts.relative = Some((p, direction.unwrap_or(0)));
    } else if let Some(n) = lookup(rules, caps, "day_offset").and_then(|d| d.parse::<i32>().ok()) {
        parts.relative = Some((dates::Precision::Day, n));
    } else {
        parts.direction = direction;
    }
    parts.part = lookup(rules, caps, "part").and_then(|p| match p.as_str() {
        "early" => Some(dates::Part::Early),
        "mid" => Some(dates::Part::Mid),
        "late" => Some(dates::Part::Late),
        _ => None,
    });
    parts.future = future_cue(rules, key, caps.get(0).map_or(0, |m| m.start()));
    let previous = caps.name("direction").is_some_and(|d| {
        rules
            .lexicon("anaphora")
            .and_then(|l| l.canonical(d.as_str()))
            == Some("previous")
    });
    Some(DateCue { parts, previous })
}

/// How many words before a date a `future` word of `[lexicon.tense]` (سوف, المقرر) may stand, within
/// its clause: far enough for من المقرر أن يزور الرئيس مالي الأربعاء, short of the next clause.
const FUTURE_WINDOW: usize = 6;

/// Whether a future cue of `[lexicon.tense]` stands before `start` in the same clause (punctuation
/// ends the search): a `future` word or phrase within [`FUTURE_WINDOW`] words, or right before the date a
/// verb with a `future_prefix` and at least three letters after it (ستتواصل, وسيزور), unless the word
/// is listed as `not_future` (سيارة, سيطرت).
fn future_cue(rules: &RuleSet, key: &str, start: usize) -> bool {
    let Some(lex) = rules.lexicon("tense") else {
        return false;
    };
    // A proclitic glued to the date (والأحد) is not a word of its own.
    let before = key[..start].trim_end_matches(normalize::is_word_char);
    let clause = before
        .rsplit(|c: char| !normalize::is_word_char(c) && !c.is_whitespace())
        .next()
        .unwrap_or("");
    let words: Vec<&str> = clause.split_whitespace().collect();
    let n = words.len();
    for end in (n.saturating_sub(FUTURE_WINDOW)..n).rev() {
        for len in 1..=3.min(end + 1) {
            if lex.canonical(&words[end + 1 - len..=end].join(" ")) == Some("future") {
                return true;
            }
        }
    }
    let Some(word) = words.last() else {
        return false;
    };
    let bare = word
        .strip_prefix(['و', 'ف'])
        .filter(|rest| rest.chars().count() >= 4)
        .unwrap_or(word);
    if [*word, bare]
        .iter()
        .any(|w| lex.canonical(w) == Some("not_future"))
    {
        return false;
    }
    lex.entries
        .get("future_prefix")
        .into_iter()
        .flatten()
        .any(|p| {
            bare.strip_prefix(p.as_str())
                .is_some_and(|rest| rest.chars().count() >= 3)
        })
}

/// The nearest `[lexicon.subject]` word within `window` words before `start`.
fn subject_before(rules: &RuleSet, key: &str, start: usize, window: usize) -> Option<String> {
    if window == 0 {
        return None;
    }
    let lex = rules.lexicon("subject")?;
    let words = rules.subject_words.as_ref()?;
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
    while let Some(m) = words.find(aho_corasick::Input::new(before).range(pos..)) {
        if at_word_edges(before, m.range()) {
            best = lex
                .canonical(&before[m.range()])
                .map(str::to_string)
                .or(best);
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
    use crate::rules::shipped;

    #[test]
    fn word_edges_allow_proclitics_only() {
        let k = "وبالف جندي";
        assert!(at_word_edges("الف جندي", 0.."الف جندي".len()));
        assert!(!at_word_edges("الف جنديا", 0.."الف جندي".len()));
        assert!(at_word_edges(k, "وب".len()..k.len()));
        assert!(!at_word_edges("الفيلق", 0.."الف".len()));
        assert!(!at_word_edges("مالف", "م".len().."مالف".len()));
    }

    /// A build's workers keep their caches from one chunk to the next: a second chunk
    /// starts with the words and figures the first one read, and finds the claims an
    /// extraction with empty caches finds.
    #[test]
    fn workers_keep_their_caches_from_chunk_to_chunk() {
        let rules = shipped();
        let text = "وصل نحو ألف وخمسمئة جندي أميركي إلى نيامي برفقة الجنرال عبد الرحمن تياني.\n\nوقال تشياني إن 1500 جندي وصلوا.\n";
        let (doc, _) = crate::ingest::parse(
            "a.txt",
            "a.txt",
            text.as_bytes().to_vec(),
            rules,
            Default::default(),
        )
        .expect("parses");
        let mut docs = [doc];
        let (texts, sentences) = crate::sentences(&mut docs, 0, rules);
        let keys = || Keys {
            texts: &texts,
            first_doc: 0,
        };
        let published = [None];
        let fresh = claims(rules, &published, &mut sentences.clone(), keys(), 0);
        assert!(fresh.len() >= 3, "{fresh:?}");
        let workers = Workers::new();
        let kept = |workers: &Workers| -> (usize, usize) {
            workers
                .0
                .iter()
                .map(|slot| {
                    let c = slot.lock().expect("not poisoned");
                    (
                        c.fuzzy.len(),
                        c.groups.0.iter().map(HashMap::len).sum::<usize>(),
                    )
                })
                .fold((0, 0), |(a, b), (x, y)| (a + x, b + y))
        };
        assert_eq!(kept(&workers), (0, 0));
        for chunk in 0..2 {
            let found = claims_kept(
                rules,
                &published,
                &mut sentences.clone(),
                keys(),
                0,
                &workers,
            );
            assert_eq!(format!("{found:?}"), format!("{fresh:?}"), "chunk {chunk}");
            let (words, groups) = kept(&workers);
            assert!(
                words > 0 && groups > 0,
                "chunk {chunk}: {words} words, {groups} groups kept"
            );
        }
    }

    /// A match's groups are remembered by its text, as ranges from the match start: the
    /// same figure twice in a sentence, the second time read from the cache, gives the
    /// claims a search without the cache gives, at their own offsets, with the context
    /// after each (whose troops) read again. A pattern with look-around is not cached.
    #[test]
    fn groups_remembered_by_text_give_the_claims_found_afresh() {
        let rules = shipped();
        let key = normalize::key(
            "وصل نحو ألف وخمسمئة جندي أميركي إلى نيامي، وغادر نحو ألف وخمسمئة جندي فرنسي قبل عام 2023 و عام 2023",
        );
        for id in ["troops", "date"] {
            let ri = rules
                .claims
                .iter()
                .position(|r| r.id == id)
                .expect("shipped");
            let rule = &rules.claims[ri];
            assert!(rule.patterns.iter().all(|p| p.context_free), "{id}");
            let fresh = in_key_of(rules, rule, &key, None, None, None);
            assert_eq!(fresh.len(), 2, "{id}: {fresh:?}");
            let mut cache = GroupCache::default();
            let first = rules.pattern_start[ri];
            for _ in 0..2 {
                let cached = in_key_of(rules, rule, &key, None, None, Some((first, &mut cache)));
                assert_eq!(cached, fresh, "{id}");
            }
            assert!(
                cache.0.iter().any(|m| !m.is_empty()),
                "{id}: nothing cached"
            );
        }
        let src = r#"
[[claim]]
id = "t"
kind = "quantity"
description = "troops"
patterns = ['(?<number>[0-9]+) جندي$', '(?<number>[0-9]+) جندي']
examples = [{ text = "وصل 20 جندي", value = "20" }]
"#;
        let set = crate::rules::compile("rules.toml", src).expect("rules");
        let flags: Vec<bool> = set.claims[0]
            .patterns
            .iter()
            .map(|p| p.context_free)
            .collect();
        assert_eq!(flags, [false, true]);
    }

    /// The values of the shipped rule `id`'s claims in `text`, in order.
    fn values_in(id: &str, text: &str) -> Vec<String> {
        let rules = shipped();
        let rule = rules.claim(id).expect("a shipped rule");
        in_text(rules, rule, text, None)
            .iter()
            .map(Found::value_text)
            .collect()
    }

    #[test]
    fn a_share_of_the_population_is_no_count_of_people() {
        // المئة of في المئة is not a hundred people.
        let text = "ويحتاج 83.3 في المئة من سكان البلاد إلى مساعدات إنسانية عاجلة.";
        assert_eq!(values_in("people", text), Vec::<String>::new());
        assert_eq!(values_in("percent", text), ["83.3"]);
        assert!(values_in("people", "40 بالمئة من السكان").is_empty());
        // With the article, a vague plural still counts.
        assert_eq!(values_in("people", "المئات من سكان القرية"), ["200"]);
        assert_eq!(values_in("people", "نزح 300 من السكان"), ["300"]);
    }

    fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    /// The values of the shipped `date` rule's claims in `text`, in order.
    fn dates_in(text: &str, published: Option<NaiveDate>) -> Vec<String> {
        let rules = shipped();
        let rule = rules.claim("date").expect("a date rule");
        in_text(rules, rule, text, published)
            .iter()
            .map(Found::value_text)
            .collect()
    }

    /// `name: text, P => [values];` with the shipped rules.
    macro_rules! date_cases {
        ($($name:ident: $text:expr, $published:expr => [$($value:expr),* $(,)?];)*) => {$(
            #[test]
            fn $name() {
                let expected: Vec<&str> = vec![$($value),*];
                assert_eq!(dates_in($text, $published), expected, "{}", $text);
            }
        )*};
    }

    date_cases! {
        // 002, P = Sat 2023-09-16: future verb, then two weekdays in order.
        future_verb_weekday_pair: "ستتواصل يومي السبت والأحد", day(2023, 9, 16) => ["2023-09-16", "2023-09-17"];
        future_verb_after_waw: "وستتواصل يوم الأحد", day(2023, 9, 16) => ["2023-09-17"];
        past_weekday_pair: "تواصلت يومي السبت والأحد", day(2023, 9, 16) => ["2023-09-09", "2023-09-10"];
        weekday_pair_spaced_waw: "اجتمعوا يوم السبت و يوم الأحد", day(2023, 9, 17) => ["2023-09-16", "2023-09-17"];
        weekday_pair_needs_waw_alone: "اجتمعوا السبت ثم الأحد", day(2023, 9, 16) => ["2023-09-16", "2023-09-10"];
        // P = Fri 2024-04-12.
        sawfa_within_the_clause: "سوف تعقد القمة يوم الأحد", day(2024, 4, 12) => ["2024-04-14"];
        al_muqarrar_far_before: "من المقرر أن يزور الرئيس مالي الأربعاء", day(2024, 4, 12) => ["2024-04-17"];
        future_verb_right_before: "قال إن الوفد سيعود الأربعاء", day(2024, 4, 12) => ["2024-04-17"];
        short_future_verb_listed: "قال إن الوفد سيصل إلى باماكو الأربعاء", day(2024, 4, 12) => ["2024-04-17"];
        future_verb_not_right_before: "سيزور الوفد موسكو الأربعاء", day(2024, 4, 12) => ["2024-04-10"];
        direction_still_decides: "سيزور موسكو الأربعاء المقبل", day(2024, 4, 12) => ["2024-04-17"];
        future_month: "سوف تعقد القمة في يناير", day(2024, 4, 12) => ["2025-01"];
        future_day_and_month: "من المقرر أن يتحدث في 26 مارس", day(2024, 4, 12) => ["2025-03-26"];
        past_day_and_month: "تحدث في 26 مارس", day(2024, 4, 12) => ["2024-03-26"];
        // Words that only begin like a future verb, and cues cut off by punctuation.
        noun_listed_not_future: "انفجرت سيارة الأحد", day(2024, 4, 12) => ["2024-04-07"];
        too_short_for_a_verb: "قتل ستة الأحد", day(2024, 4, 12) => ["2024-04-07"];
        past_verb_sitara: "سيطر الجيش الأحد", day(2024, 4, 12) => ["2024-04-07"];
        cue_in_an_earlier_clause: "سوف نرى، وقد وصل الوفد الأربعاء", day(2024, 4, 12) => ["2024-04-10"];
        // 003: a previous year counts from the year just named, with or without P.
        previous_year_after_a_year: "في عام 2023 مقارنة بالعام السابق", None => ["2023", "2022"];
        previous_year_with_p: "في عام 2020 مقارنة بالعام السابق", day(2024, 4, 12) => ["2020", "2019"];
        previous_month_after_a_month: "في مارس مقارنة بالشهر السابق", day(2024, 4, 12) => ["2024-03", "2024-02"];
        previous_without_antecedent: "مقارنة بالعام السابق", day(2024, 4, 12) => ["2023"];
        last_year_counts_from_p: "في عام 2020 وفي العام الماضي", day(2024, 4, 12) => ["2020", "2023"];
        previous_day_needs_a_day: "في مارس وفي اليوم السابق", day(2024, 4, 12) => ["2024-03", "2024-04-11"];
    }

    /// `name: rule, text => value, qualifier;` with the shipped rules: one claim covering the text.
    macro_rules! quantity_cases {
        ($($name:ident: $rule:expr, $text:expr => $value:expr, $qualifier:expr;)*) => {$(
            #[test]
            fn $name() {
                let rules = shipped();
                let found = in_text(rules, rules.claim($rule).expect("rule"), $text, None);
                assert_eq!(found.len(), 1, "{}: {found:?}", $text);
                let (value, qualifier, _, _) = found[0].expectable();
                assert_eq!((value.as_str(), qualifier.as_deref()), ($value, Some($qualifier)), "{}", $text);
            }
        )*};
    }

    quantity_cases! {
        // Every approximator issue 2 names.
        approx_zuhaa: "troops", "زهاء ألف جندي" => "1000", "approx";
        approx_nahw: "troops", "نحو ألف جندي" => "1000", "approx";
        approx_hawali: "people", "حوالي 500 شخص" => "500", "approx";
        approx_hawala: "people", "حوالى 500 شخص" => "500", "approx";
        approx_qurabat: "troops", "قرابة 300 جندي" => "300", "approx";
        approx_ma_yaqrubu_min: "people", "ما يقرب من 300 شخص" => "300", "approx";
        at_least_akthar_min: "people", "أكثر من 8000 شخص" => "8000", "at_least";
        at_least_ma_la_yaqillu_an: "people", "ما لا يقل عن 50 شخصا" => "50", "at_least";
        at_most_aqall_min: "people", "أقل من 100 شخص" => "100", "at_most";
        // The dual in construct state, and the accusative thousand it is spelt like.
        oblique_construct_dual: "troops", "قرابة ألفي جندي" => "2000", "approx";
        nominative_construct_dual: "troops", "ألفا جندي" => "2000", "exact";
        accusative_thousand_before_min: "troops", "ألفا من الجنود" => "1000", "exact";
        accusative_after_a_multiplier: "troops", "عشرون ألفا من الجنود" => "20000", "exact";
        two_million_dollars: "money", "مليونا دولار" => "2000000", "exact";
        two_million_dollars_oblique: "money", "مليوني دولار" => "2000000", "exact";
        two_billion_dollars: "money", "ملياري دولار" => "2000000000", "exact";
    }

    #[test]
    fn numbers_print_plainly() {
        assert_eq!(format_number(1000.0), "1000");
        assert_eq!(format_number(100_000_000.0), "100000000");
        assert_eq!(format_number(3.5), "3.5");
    }
}
