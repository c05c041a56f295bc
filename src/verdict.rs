//! 8. Verdicts: each statement group → agree, conflict or single, with a one-line reason.
//!
//! Two members are compatible when some claim of one is compatible with some claim of
//! the other (a sentence may carry two dates). Quantities become intervals: exact `v` is
//! `v` within the claim type's tolerance, approximate `v` is `v ± tolerance` (at least
//! ±10%), at least / at most are half-lines, a vague plural (مئات) spans its floor to five
//! times it. Dates compare by the days they cover, or by the fields both know when a
//! publication date is missing. A group agrees when every pair of members is compatible.
//!
//! A name statement that only one outlet makes is one sentence naming someone; its reason
//! also says which outlets name them in other sentences of the story ([`Namers`]), so
//! "Only X reports this (فاغنر)" is not read as "only X names Wagner". A name statement
//! whose outlets name different people says which names they share and what each adds.

use crate::dates;
use crate::extract::format_number;
use crate::model::{Claim, Document, Entity, Group, Qualifier, Sentence, Value, Verdict};
use crate::rules::RuleSet;
use foldhash::HashMap;

/// The outlets that name each entity, per story: entity id → story → outlets, sorted.
pub struct Namers<'a> {
    by: HashMap<&'a str, HashMap<&'a str, Vec<&'a str>>>,
}

impl<'a> Namers<'a> {
    pub fn of(entities: &'a [Entity], claims: &[Claim], docs: &'a [Document]) -> Self {
        use rayon::prelude::*;
        let by = entities
            .par_iter()
            .map(|e| {
                let mut per_story: HashMap<&str, Vec<&str>> = HashMap::default();
                for &c in &e.mentions {
                    let d = &docs[claims[c].doc];
                    per_story
                        .entry(d.story.as_str())
                        .or_default()
                        .push(d.outlet.as_str());
                }
                for outlets in per_story.values_mut() {
                    outlets.sort_unstable();
                    outlets.dedup();
                }
                (e.id.as_str(), per_story)
            })
            .collect();
        Namers { by }
    }

    /// The outlets that name `entity` in `story`.
    fn outlets(&self, entity: &str, story: &str) -> &[&'a str] {
        self.by
            .get(entity)
            .and_then(|per_story| per_story.get(story))
            .map_or(&[], Vec::as_slice)
    }
}

/// What a figure or a date says, to find the same value in other sentences: a figure by
/// its amount, unit and whose it is, whatever its qualifier (نحو 100 and 100 are the
/// same figure, and always compatible); a placed date by the days it covers. A date an
/// article without a publication date cannot place says nothing here: two "Thursday"s of
/// unknown weeks need not be the same day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Said<'a> {
    Figure {
        amount: u64,
        unit: Option<&'a str>,
        subject: Option<&'a str>,
    },
    Days(chrono::NaiveDate, chrono::NaiveDate),
}

impl<'a> Said<'a> {
    fn of(v: &'a Value) -> Option<Self> {
        match v {
            Value::Quantity {
                amount,
                unit,
                subject,
                ..
            } => Some(Said::Figure {
                amount: amount.to_bits(),
                unit: unit.as_deref(),
                subject: subject.as_deref(),
            }),
            Value::Date(d) if d.resolved => d.range.map(|(a, b)| Said::Days(a, b)),
            _ => None,
        }
    }
}

/// The outlets that give the figures and dates of the single-source statements, in any
/// sentence of the story: (story, claim type, value) → outlets, sorted. Only the values
/// of single-source statements are looked for, so the table stays small.
pub struct Givers<'a> {
    by: HashMap<(&'a str, &'a str, Said<'a>), Vec<&'a str>>,
}

impl<'a> Givers<'a> {
    pub fn of(
        groups: &[Group],
        claims: &'a [Claim],
        sentences: &[Sentence],
        docs: &'a [Document],
    ) -> Self {
        let mut by: HashMap<(&str, &str, Said), Vec<&str>> = HashMap::default();
        let outlet = |s: usize| docs[sentences[s].doc].outlet.as_str();
        for g in groups {
            let first = outlet(g.members[0].0);
            if g.members.iter().any(|(s, _)| outlet(*s) != first) {
                continue;
            }
            for (_, cs) in &g.members {
                for &c in cs {
                    let claim = &claims[c];
                    if let Some(said) = Said::of(&claim.value) {
                        let story = docs[claim.doc].story.as_str();
                        by.insert((story, claim.rule.as_str(), said), Vec::new());
                    }
                }
            }
        }
        if !by.is_empty() {
            for claim in claims {
                let Some(said) = Said::of(&claim.value) else {
                    continue;
                };
                let doc = &docs[claim.doc];
                if let Some(outlets) = by.get_mut(&(doc.story.as_str(), claim.rule.as_str(), said))
                {
                    outlets.push(doc.outlet.as_str());
                }
            }
            for outlets in by.values_mut() {
                outlets.sort_unstable();
                outlets.dedup();
            }
        }
        Givers { by }
    }

    /// The outlets that give `claim`'s value in `story`, if it is a figure or a placed date
    /// of a single-source statement.
    fn outlets(&self, story: &'a str, claim: &'a Claim) -> &[&'a str] {
        Said::of(&claim.value)
            .and_then(|said| self.by.get(&(story, claim.rule.as_str(), said)))
            .map_or(&[], Vec::as_slice)
    }
}

/// Why a group has its verdict: the sentence the pages show, and for a single-source
/// statement the other outlets that give its names, figures or dates in other sentences of
/// the story (which the sentence ends with too).
#[derive(Debug, Clone, PartialEq)]
pub struct Reason {
    pub text: String,
    pub elsewhere: Vec<Elsewhere>,
}

/// A value of a single-source statement that other outlets give in other sentences of the
/// story: a name, a figure or a date.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Elsewhere {
    /// As report.json writes values ([`display`]: `wagner`, `100 person`, `2024-04-11`).
    pub value: String,
    /// The outlets, sorted; articles of unknown outlet as the pages name them.
    pub outlets: Vec<String>,
}

impl Elsewhere {
    /// `فاغنر by العربية and RT`, the value in `words` (as the pages show it), up to four
    /// outlets, past that three and how many more.
    pub fn told(&self, words: &str) -> String {
        const SHOWN: usize = 3;
        let outlets: Vec<&str> = self.outlets.iter().map(String::as_str).collect();
        format!(
            "{words} by {}",
            outlets_list(&outlets, SHOWN, str::to_string)
        )
    }
}

/// The verdict on one group and why.
pub fn judge(
    group: &Group,
    claims: &[Claim],
    sentences: &[Sentence],
    docs: &[Document],
    namers: &Namers,
    givers: &Givers,
    wording: &Wording,
) -> (Verdict, Reason) {
    let outlet = |s: usize| docs[sentences[s].doc].outlet.as_str();
    let mut outlets: Vec<&str> = group.members.iter().map(|(s, _)| outlet(*s)).collect();
    outlets.sort_unstable();
    outlets.dedup();
    // A member's values as the pages list them (see `values_text`).
    let shown = |cs: &[usize]| {
        let values: Vec<String> = cs
            .iter()
            .map(|&c| wording.shown(&claims[c].value))
            .collect();
        values_text(&values)
    };
    if outlets.len() < 2 {
        let (s, cs) = &group.members[0];
        let doc = &docs[sentences[*s].doc];
        let story = doc.story.as_str();
        // "Only unknown outlet of x.txt reports this" would read as if that were a name.
        let who = if doc.outlet_source == crate::model::OUTLET_UNKNOWN {
            format!("the article {}, of unknown outlet,", doc.path)
        } else {
            doc.outlet.clone()
        };
        let named = named_elsewhere(namers, wording, cs, claims, story, outlet(*s));
        let given = given_elsewhere(givers, wording, cs, claims, story, outlet(*s));
        let tail = |what: &str, found: &[(String, Elsewhere)]| {
            if found.is_empty() {
                return String::new();
            }
            let parts: Vec<String> = found.iter().map(|(words, e)| e.told(words)).collect();
            format!("; also {what} in other sentences: {}", parts.join("; "))
        };
        let text = format!(
            "Only {who} reports this ({}){}{}",
            shown(cs),
            tail("named", &named),
            tail("given", &given)
        );
        let elsewhere = named.into_iter().chain(given).map(|(_, e)| e).collect();
        return (Verdict::Single, Reason { text, elsewhere });
    }
    let (ref_s, ref_c) = &group.members[0];
    for (i, (sa, ca)) in group.members.iter().enumerate() {
        for (sb, cb) in &group.members[i + 1..] {
            let Some(apart) = members_apart(ca, cb, claims) else {
                continue;
            };
            // Of two dates in one sentence, the one they share is said apart from the
            // one they do not: "A gives 2024-04-10 but B gives 2024-04-09 (…); both
            // give 2024-04-11".
            let both = if apart.shared.is_empty() {
                String::new()
            } else {
                format!("; both give {}", shown(&apart.shared))
            };
            let text = format!(
                "{} gives {} but {} gives {}{}{both}",
                outlet(*sa),
                shown(&apart.a),
                outlet(*sb),
                shown(&apart.b),
                why_apart(&apart.a, &apart.b, claims)
            );
            return (
                Verdict::Conflict,
                Reason {
                    text,
                    elsewhere: Vec::new(),
                },
            );
        }
    }
    let values: Vec<String> = group.members.iter().map(|(_, cs)| shown(cs)).collect();
    let all_same = values.iter().all(|v| *v == values[0]);
    let reason = if all_same {
        format!("{} give {}", outlets_count(&outlets), values[0])
    } else if let Some(shared) = names_shared(&group.members, claims, wording, outlet) {
        shared
    } else {
        let others: Vec<String> = group.members[1..]
            .iter()
            .map(|(s, cs)| format!("{} ({})", shown(cs), outlet(*s)))
            .collect();
        format!(
            "{} ({}) is compatible with {}{}",
            shown(ref_c),
            outlet(*ref_s),
            and_list(&others),
            tolerance_note(ref_c, &group.members, claims)
        )
    };
    (
        Verdict::Agree,
        Reason {
            text: reason,
            elsewhere: Vec::new(),
        },
    )
}

/// Outlets in a list that stays short: all of them while there are at most `shown + 1`
/// (naming the last takes no more room than "and 1 more outlet"), else the first `shown`
/// and how many more: `a, b, c and 4 more outlets`, the articles of unknown outlet among
/// them counted apart (`a, b, c and 2 more outlets and 1 article of unknown outlet`).
/// Every list of outlets that can grow with the corpus (reasons, name spellings) follows
/// this one rule; `show` writes an outlet's name for the page.
pub fn outlets_list(outlets: &[&str], shown: usize, show: impl Fn(&str) -> String) -> String {
    if outlets.len() <= shown + 1 {
        let named: Vec<String> = outlets.iter().map(|o| show(o)).collect();
        return and_list(&named);
    }
    let first: Vec<String> = outlets[..shown].iter().map(|o| show(o)).collect();
    let (found, unknown) = crate::ingest::outlet_counts(outlets[shown..].iter().copied());
    let articles = unknown_articles(unknown, unknown);
    let more = match (found, unknown) {
        (n, 0) => format!("{n} more outlets"),
        (0, _) => articles,
        (1, _) => format!("1 more outlet and {articles}"),
        (n, _) => format!("{n} more outlets and {articles}"),
    };
    format!("{} and {more}", first.join(", "))
}

/// Some of the articles of unknown outlet: `1 article of unknown outlet`, `2 articles of
/// unknown outlet` when they are all of them, else `1 of 3 articles of unknown outlet`.
pub fn unknown_articles(n: usize, of: usize) -> String {
    match (n, of) {
        (1, 1) => "1 article of unknown outlet".to_string(),
        (n, of) if n == of => format!("{n} articles of unknown outlet"),
        (n, of) => format!("{n} of {of} articles of unknown outlet"),
    }
}

/// `a`, `a and b`, `a, b and c`.
fn and_list<S: std::borrow::Borrow<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.borrow().to_string(),
        [rest @ .., last] => format!("{} and {}", rest.join(", "), last.borrow()),
    }
}

/// How many outlets some distinct outlets are (`3 outlets`), an article of unknown outlet
/// counted apart, since two of them may be one outlet's or another outlet's of the list:
/// `1 outlet and 2 articles of unknown outlet`.
pub fn outlets_count(outlets: &[&str]) -> String {
    let (known, unknown) = crate::ingest::outlet_counts(outlets.iter().copied());
    let articles = unknown_articles(unknown, unknown);
    match (known, unknown) {
        (n, 0) => format!("{n} outlet{}", if n == 1 { "" } else { "s" }),
        (0, _) => articles,
        (1, _) => format!("1 outlet and {articles}"),
        (n, _) => format!("{n} outlets and {articles}"),
    }
}

/// For a name statement whose outlets name different sets of people: the names they all
/// give, then what each adds, by their canonical names: `2 outlets name فلاديمير بوتين;
/// صحيفة الاتحاد also names عبد الرحمن تياني`. `None` unless every claim is a name and some
/// name is in every member.
fn names_shared<'d>(
    members: &[(usize, Vec<usize>)],
    claims: &[Claim],
    wording: &Wording,
    outlet: impl Fn(usize) -> &'d str,
) -> Option<String> {
    let mut named: Vec<(&str, Vec<&str>)> = Vec::with_capacity(members.len());
    for (s, cs) in members {
        let mut entities: Vec<&str> = Vec::new();
        for &c in cs {
            let Value::Name { entity, .. } = &claims[c].value else {
                return None;
            };
            if !entities.contains(&entity.as_str()) {
                entities.push(entity);
            }
        }
        // Members of one outlet are told as one.
        match named.iter_mut().find(|(o, _)| *o == outlet(*s)) {
            Some((_, seen)) => {
                for e in entities {
                    if !seen.contains(&e) {
                        seen.push(e);
                    }
                }
            }
            None => named.push((outlet(*s), entities)),
        }
    }
    let common: Vec<&str> = named[0]
        .1
        .iter()
        .copied()
        .filter(|e| named.iter().all(|(_, es)| es.contains(e)))
        .collect();
    if common.is_empty() {
        return None;
    }
    let names = |es: &[&str]| {
        let names: Vec<&str> = es.iter().map(|e| wording.name(e)).collect();
        names.join(", ")
    };
    let outlets: Vec<&str> = named.iter().map(|(o, _)| *o).collect();
    let mut parts = vec![format!(
        "{} name {}",
        outlets_count(&outlets),
        names(&common)
    )];
    for (o, es) in &named {
        let extra: Vec<&str> = es.iter().copied().filter(|e| !common.contains(e)).collect();
        if !extra.is_empty() {
            parts.push(format!("{o} also names {}", names(&extra)));
        }
    }
    Some(parts.join("; "))
}

/// For a single-source statement of figures or dates: the other outlets that give the
/// same value in other sentences of the story (a headline's figure that the body repeats,
/// a figure said again in words the aligner did not match), the reason's `; also given in
/// other sentences: 100 people by B`.
fn given_elsewhere<'a>(
    givers: &Givers<'a>,
    wording: &Wording,
    cs: &[usize],
    claims: &'a [Claim],
    story: &'a str,
    outlet: &str,
) -> Vec<(String, Elsewhere)> {
    let mut found: Vec<(String, Elsewhere)> = Vec::new();
    for &c in cs {
        let outlets: Vec<String> = givers
            .outlets(story, &claims[c])
            .iter()
            .filter(|o| **o != outlet)
            .map(|o| o.to_string())
            .collect();
        let value = display(&claims[c].value);
        if outlets.is_empty() || found.iter().any(|(_, e)| e.value == value) {
            continue;
        }
        found.push((
            wording.shown(&claims[c].value),
            Elsewhere { value, outlets },
        ));
    }
    found
}

/// For a single-source name statement: the other outlets that name its entities in other
/// sentences of the story, the reason's `; also named in other sentences: فاغنر by
/// العربية and RT` (up to four outlets an entity, past that three and how many more).
fn named_elsewhere(
    namers: &Namers,
    wording: &Wording,
    cs: &[usize],
    claims: &[Claim],
    story: &str,
    outlet: &str,
) -> Vec<(String, Elsewhere)> {
    let mut found: Vec<(String, Elsewhere)> = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for &c in cs {
        let Value::Name { entity, .. } = &claims[c].value else {
            continue;
        };
        if seen.contains(&entity.as_str()) {
            continue;
        }
        seen.push(entity);
        let outlets: Vec<String> = namers
            .outlets(entity, story)
            .iter()
            .filter(|o| **o != outlet)
            .map(|o| o.to_string())
            .collect();
        if outlets.is_empty() {
            continue;
        }
        found.push((
            wording.name(entity).to_string(),
            Elsewhere {
                value: display(&claims[c].value),
                outlets,
            },
        ));
    }
    found
}

/// What sets two members' values apart, when they cannot both be right.
#[derive(Debug, PartialEq)]
struct Apart {
    /// The claims of each member that no claim of the other can pair with.
    a: Vec<usize>,
    b: Vec<usize>,
    /// The claims of the first member paired with one of the second's.
    shared: Vec<usize>,
}

/// Whether two members of a statement (their claims, `a` and `b`) disagree, and on what.
///
/// One value against several agrees when any of them is compatible with it: an outlet may
/// report less of the sentence. Figures and dates given together (الخميس … ليل الأربعاء,
/// two sums of money) are each paired with a compatible one of the other member, as many
/// pairs as can be made; the members disagree when each still has a value left over,
/// as when both give Thursday but one the night before and the other two nights before.
/// Names keep the first rule: two sentences that name a person in common agree on him,
/// and the names only one of them gives are told as such (see [`names_shared`]).
fn members_apart(a: &[usize], b: &[usize], claims: &[Claim]) -> Option<Apart> {
    let names = |cs: &[usize]| {
        cs.iter()
            .any(|&c| matches!(claims[c].value, Value::Name { .. }))
    };
    let fits = |x: usize, y: usize| compatible(&claims[x].value, &claims[y].value);
    if names(a) || names(b) {
        let any = a.iter().any(|&x| b.iter().any(|&y| fits(x, y)));
        return (!any).then(|| Apart {
            a: a.to_vec(),
            b: b.to_vec(),
            shared: Vec::new(),
        });
    }
    let partner = pairs(a.len(), b.len(), |i, j| fits(a[i], b[j]));
    let mut paired_b = vec![false; b.len()];
    for &j in partner.iter().flatten() {
        paired_b[j] = true;
    }
    let left_a: Vec<usize> = (0..a.len())
        .filter(|&i| partner[i].is_none())
        .map(|i| a[i])
        .collect();
    let left_b: Vec<usize> = (0..b.len())
        .filter(|&j| !paired_b[j])
        .map(|j| b[j])
        .collect();
    if left_a.is_empty() || left_b.is_empty() {
        return None;
    }
    let shared = (0..a.len())
        .filter(|&i| partner[i].is_some())
        .map(|i| a[i])
        .collect();
    Some(Apart {
        a: left_a,
        b: left_b,
        shared,
    })
}

/// As many pairs as can be made between `n` things on the left and `m` on the right, each
/// pair one that `fits`: for each thing on the left, its partner on the right, if any.
/// Augmenting paths (Kuhn's algorithm), tried in order, so the pairs do not depend on
/// anything but the order of the two lists; a member holds a few claims.
fn pairs(n: usize, m: usize, fits: impl Fn(usize, usize) -> bool) -> Vec<Option<usize>> {
    fn find(
        i: usize,
        fits: &dyn Fn(usize, usize) -> bool,
        seen: &mut [bool],
        left_of: &mut [Option<usize>],
    ) -> bool {
        for j in 0..seen.len() {
            if seen[j] || !fits(i, j) {
                continue;
            }
            seen[j] = true;
            if left_of[j].is_none_or(|k| find(k, fits, seen, left_of)) {
                left_of[j] = Some(i);
                return true;
            }
        }
        false
    }
    let mut left_of: Vec<Option<usize>> = vec![None; m];
    for i in 0..n {
        let mut seen = vec![false; m];
        find(i, &fits, &mut seen, &mut left_of);
    }
    let mut partner = vec![None; n];
    for (j, i) in left_of.iter().enumerate() {
        if let Some(i) = i {
            partner[*i] = Some(j);
        }
    }
    partner
}

/// Whether two claim values can both be true of the same thing.
pub fn compatible(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Date(x), Value::Date(y)) => dates::compatible(x, y),
        (
            Value::Quantity {
                amount: va,
                qualifier: qa,
                unit: ua,
                tolerance: ta,
                ..
            },
            Value::Quantity {
                amount: vb,
                qualifier: qb,
                unit: ub,
                tolerance: tb,
                ..
            },
        ) => {
            if ua.is_some() && ub.is_some() && ua != ub {
                return false;
            }
            let t = ta.max(*tb);
            let (la, ha) = interval(*va, *qa, t);
            let (lb, hb) = interval(*vb, *qb, t);
            if *qa == Qualifier::Exact && *qb == Qualifier::Exact {
                return (va - vb).abs() <= t * va.abs().max(vb.abs()) + 1e-9;
            }
            la <= hb + 1e-9 && lb <= ha + 1e-9
        }
        (Value::Name { entity: x, .. }, Value::Name { entity: y, .. }) => x == y,
        _ => false,
    }
}

/// The least tolerance an approximate figure (نحو، زهاء) allows, whatever its type's.
const MIN_APPROX_TOLERANCE: f64 = 0.1;

/// The range of true values a quantity claim allows.
fn interval(v: f64, q: Qualifier, tolerance: f64) -> (f64, f64) {
    match q {
        Qualifier::Exact => (v * (1.0 - tolerance), v * (1.0 + tolerance)),
        Qualifier::Approx => {
            let t = tolerance.max(MIN_APPROX_TOLERANCE);
            (v * (1.0 - t), v * (1.0 + t))
        }
        Qualifier::AtLeast => (v, f64::INFINITY),
        Qualifier::AtMost => (f64::NEG_INFINITY, v),
        Qualifier::Vague => (v, v * 5.0),
    }
}

fn why_apart(a: &[usize], b: &[usize], claims: &[Claim]) -> String {
    match (&claims[a[0]].value, &claims[b[0]].value) {
        (
            Value::Quantity {
                unit: ua,
                tolerance,
                qualifier: qa,
                ..
            },
            Value::Quantity {
                unit: ub,
                qualifier: qb,
                ..
            },
        ) => {
            if ua.is_some() && ub.is_some() && ua != ub {
                " (different units)".into()
            } else {
                // The tolerance `compatible` applied: the type's own for two exact figures,
                // at least ±10% once either is approximate.
                let t = if *qa == Qualifier::Exact && *qb == Qualifier::Exact {
                    *tolerance
                } else {
                    tolerance.max(MIN_APPROX_TOLERANCE)
                };
                format!(" (beyond ±{}%)", format_number((t * 100.0).round()))
            }
        }
        (Value::Date(_), Value::Date(_)) => " (the dates do not overlap)".into(),
        _ => String::new(),
    }
}

fn tolerance_note(a: &[usize], members: &[(usize, Vec<usize>)], claims: &[Claim]) -> String {
    let unplaced = |c: &usize| matches!(&claims[*c].value, Value::Date(d) if !d.resolved);
    match &claims[a[0]].value {
        // A date read without a publication date lacks its year: it agrees only on
        // the parts it gives, which the reader should know.
        Value::Date(_) if members.iter().flat_map(|(_, cs)| cs).any(unplaced) => {
            ": the dates overlap where both are known (an article with no publication date cannot place its date)".into()
        }
        Value::Quantity { tolerance, .. } => {
            // The tolerance `compatible` applied: at least ±10% once a figure is approximate,
            // the type's own between two exact figures that differ; none when only bounds
            // (at least, at most, a vague plural) made them meet, which the values say.
            let mut approx = false;
            let mut exact: Vec<f64> = Vec::new();
            for &c in members.iter().flat_map(|(_, cs)| cs) {
                if let Value::Quantity {
                    amount, qualifier, ..
                } = &claims[c].value
                {
                    match qualifier {
                        Qualifier::Approx => approx = true,
                        Qualifier::Exact => exact.push(*amount),
                        _ => {}
                    }
                }
            }
            let differ = exact.iter().any(|x| *x != exact[0]);
            let t = if approx {
                tolerance.max(MIN_APPROX_TOLERANCE)
            } else if differ {
                *tolerance
            } else {
                return String::new();
            };
            format!(" within ±{}%", format_number((t * 100.0).round()))
        }
        Value::Date(_) => ": the dates overlap".into(),
        _ => String::new(),
    }
}

/// How values read on the pages, in report.md and in reasons, from rules.toml: an entity
/// by its `canonical` name, a claim type's `unit` by its `unit_plural` for a count other
/// than 1.
#[derive(Debug, Clone, Default)]
pub struct Wording {
    /// Entity id → canonical name.
    names: HashMap<String, String>,
    /// Unit → plural.
    plurals: HashMap<String, String>,
}

impl Wording {
    pub fn of(rules: &RuleSet) -> Wording {
        let names = rules
            .entities
            .iter()
            .map(|e| (e.id.clone(), e.canonical.clone()))
            .collect();
        let mut plurals: HashMap<String, String> = HashMap::default();
        for c in &rules.claims {
            if let (Some(u), Some(p)) = (&c.unit, &c.unit_plural) {
                plurals.entry(u.clone()).or_insert_with(|| p.clone());
            }
        }
        Wording { names, plurals }
    }

    /// This wording with other canonical names for some entities (a report's own, as
    /// its `entities` give them), which take the place of the rules' names.
    pub fn with_names<'a>(&self, names: impl IntoIterator<Item = (&'a str, &'a str)>) -> Wording {
        let mut w = self.clone();
        w.names.extend(
            names
                .into_iter()
                .map(|(id, name)| (id.to_string(), name.to_string())),
        );
        w
    }

    /// An entity's canonical name; an id rules.toml does not list, as it is.
    pub fn name<'a>(&'a self, entity: &'a str) -> &'a str {
        self.names.get(entity).map_or(entity, String::as_str)
    }

    /// A value as a reader sees it: the [`display`] that report.json keeps, with names
    /// and words for its ids and codes: `~1000 soldiers (US)`, `≥100,000,000 USD` (digits
    /// grouped as [`readable`] groups them), `mid-March (year unknown)`, `عبد الرحمن تياني`.
    /// A unit no claim type gives (`USD`, from a `unit` capture) is written as it is.
    pub fn shown(&self, v: &Value) -> String {
        written(v, Some(self))
    }
}

/// A value as report.json keeps it, for scripts and `compare diff`: `~1000 soldier (US)`,
/// `≥100000000 USD`, `XXXX-03 (mid)`, `tiani`. The pages show [`Wording::shown`].
pub fn display(v: &Value) -> String {
    written(v, None)
}

/// A value in short ([`display`]), or with a wording as the pages show it.
fn written(v: &Value, wording: Option<&Wording>) -> String {
    match v {
        Value::Quantity {
            amount,
            qualifier,
            unit,
            subject,
            ..
        } => {
            let mut s = qualifier.sign().to_string();
            let number = format_number(*amount);
            match wording {
                Some(_) => s.push_str(&readable(&number)),
                None => s.push_str(&number),
            }
            match unit.as_deref() {
                Some("%") => s.push('%'),
                Some(u) => {
                    let plural = wording.and_then(|w| w.plurals.get(u));
                    s.push(' ');
                    // Singular for a figure that reads 1, whatever digits it was
                    // rounded from: the words follow from the display alone.
                    s.push_str(match plural {
                        Some(p) if number != "1" => p,
                        _ => u,
                    });
                }
                None => {}
            }
            if let Some(sub) = subject {
                s.push_str(&format!(" ({sub})"));
            }
            s
        }
        Value::Date(d) => match wording {
            Some(_) => dates::words(d),
            None => format!("{}{}", d.iso, d.part.map_or("", dates::Part::suffix)),
        },
        Value::Name { entity, .. } => wording
            .map_or(entity.as_str(), |w| w.name(entity))
            .to_string(),
    }
}

/// A list of values as the pages and reasons show it: each value once, in the order of
/// its first appearance, with its count when a sentence gives it more than once (a
/// sentence that names ECOWAS twice gives `إيكواس ×2`; one that sends 1500 soldiers to
/// Mali and 1500 to Niger, `1500 soldiers ×2`), joined by `, `.
pub fn values_text<S: AsRef<str>>(values: &[S]) -> String {
    if let [one] = values {
        return one.as_ref().to_string();
    }
    let mut counted: Vec<(&str, usize)> = Vec::with_capacity(values.len());
    for v in values {
        match counted.iter_mut().find(|(seen, _)| *seen == v.as_ref()) {
            Some((_, n)) => *n += 1,
            None => counted.push((v.as_ref(), 1)),
        }
    }
    let mut out = String::new();
    for (i, (v, n)) in counted.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(v);
        if *n > 1 {
            out.push_str(" ×");
            out.push_str(&n.to_string());
        }
    }
    out
}

/// A value as a reader sees it on the pages and in reasons: long runs of digits grouped
/// by thousands (`≥100000000 USD` → `≥100,000,000 USD`). Runs of four digits or fewer (years, `1500`)
/// and decimals are left alone, so ISO dates never change.
pub fn readable(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = String::with_capacity(value.len() + 8);
    // `value[copied..]` is still to be copied as it is.
    let (mut i, mut copied) = (0, 0);
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        let after_point = start > 0 && bytes[start - 1] == b'.';
        if i - start < 5 || after_point {
            continue;
        }
        out.push_str(&value[copied..start]);
        let run = &value[start..i];
        for (k, c) in run.char_indices() {
            if k > 0 && (run.len() - k).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        copied = i;
    }
    out.push_str(&value[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(amount: f64, qualifier: Qualifier) -> Value {
        Value::Quantity {
            amount,
            qualifier,
            unit: Some("soldier".into()),
            subject: None,
            tolerance: 0.05,
            ambiguous: false,
        }
    }

    #[test]
    fn approximate_values_overlap() {
        assert!(compatible(
            &q(1000.0, Qualifier::Approx),
            &q(1000.0, Qualifier::Approx)
        ));
        assert!(compatible(
            &q(1480.0, Qualifier::Exact),
            &q(1500.0, Qualifier::Approx)
        ));
        assert!(!compatible(
            &q(1500.0, Qualifier::Exact),
            &q(1000.0, Qualifier::Approx)
        ));
        assert!(compatible(
            &q(8000.0, Qualifier::AtLeast),
            &q(9000.0, Qualifier::Exact)
        ));
        assert!(!compatible(
            &q(8000.0, Qualifier::AtMost),
            &q(9000.0, Qualifier::Exact)
        ));
    }

    #[test]
    fn exact_values_meet_within_tolerance_only() {
        assert!(compatible(
            &q(1500.0, Qualifier::Exact),
            &q(1500.0, Qualifier::Exact)
        ));
        assert!(!compatible(
            &q(1500.0, Qualifier::Exact),
            &q(1700.0, Qualifier::Exact)
        ));
    }

    #[test]
    fn long_numbers_are_grouped_dates_are_not() {
        assert_eq!(readable("≥100000000 USD"), "≥100,000,000 USD");
        assert_eq!(readable("~1000 soldier (US)"), "~1000 soldier (US)");
        assert_eq!(readable("2024-03-26"), "2024-03-26");
        assert_eq!(readable("3500000000.5"), "3,500,000,000.5");
        assert_eq!(readable("0.123456"), "0.123456");
        assert_eq!(readable("12345"), "12,345");
        assert_eq!(
            readable("ن 123456.123456 و1234567"),
            "ن 123,456.123456 و1,234,567"
        );
    }

    /// One name claim for each of `names`.
    fn named(names: &[&str]) -> Vec<Claim> {
        names
            .iter()
            .map(|n| Claim {
                rule: "person".into(),
                pattern: "person#1".into(),
                doc: 0,
                sentence: 0,
                span: 0..0,
                value: Value::Name {
                    entity: n.to_string(),
                    how: crate::model::MatchHow::Alias,
                },
            })
            .collect()
    }

    /// Figures given together in one sentence are paired one with one, each with a
    /// compatible figure of the other member; the members disagree only when both keep a
    /// figure no pairing could place. One figure against several is placed by any.
    #[test]
    fn figures_given_together_are_paired_one_with_one() {
        let figures = [
            (1000.0, Qualifier::Approx), // 0: ~1000, 900 to 1100
            (1000.0, Qualifier::Exact),  // 1
            (1000.0, Qualifier::Exact),  // 2
            (1080.0, Qualifier::Exact),  // 3: beyond ±5% of 1000, within ~1000
            (1300.0, Qualifier::Exact),  // 4
        ];
        let claims: Vec<Claim> = figures
            .iter()
            .map(|&(amount, qualifier)| Claim {
                rule: "troops".into(),
                pattern: "troops#1".into(),
                doc: 0,
                sentence: 0,
                span: 0..0,
                value: q(amount, qualifier),
            })
            .collect();
        // Taking the first fit for ~1000 would leave 1000 with nothing: the pairing
        // moves ~1000 to 1080.
        assert_eq!(members_apart(&[0, 1], &[2, 3], &claims), None);
        assert_eq!(members_apart(&[2, 3], &[0, 1], &claims), None);
        // One outlet gives fewer of the figures: it says less, not otherwise.
        assert_eq!(members_apart(&[1], &[2, 4], &claims), None);
        assert_eq!(members_apart(&[0, 4], &[2], &claims), None);
        // Both give 1000; the other figure is 1080 in one and 1300 in the other.
        assert_eq!(
            members_apart(&[1, 3], &[2, 4], &claims),
            Some(Apart {
                a: vec![3],
                b: vec![4],
                shared: vec![1]
            })
        );
        // Nothing in common, one figure or several.
        assert_eq!(
            members_apart(&[4], &[1, 3], &claims),
            Some(Apart {
                a: vec![4],
                b: vec![1, 3],
                shared: vec![]
            })
        );
        assert_eq!(pairs(2, 2, |i, j| i == 0 || j == 0), [Some(1), Some(0)]);
        assert_eq!(pairs(3, 1, |_, _| true), [Some(0), None, None]);
    }

    /// A figure is the same value whatever its qualifier (نحو 100 is 100), and not with
    /// another unit; a placed date is the days it covers; a date an article could not
    /// place is no value to find elsewhere.
    #[test]
    fn the_same_value_elsewhere_is_a_figure_by_its_amount_and_a_date_by_its_days() {
        let exact = q(100.0, Qualifier::Exact);
        assert_eq!(Said::of(&exact), Said::of(&q(100.0, Qualifier::Approx)));
        assert_ne!(Said::of(&exact), Said::of(&q(101.0, Qualifier::Exact)));
        let mut other_unit = q(100.0, Qualifier::Exact);
        if let Value::Quantity { unit, .. } = &mut other_unit {
            *unit = Some("person".into());
        }
        assert_ne!(Said::of(&exact), Said::of(&other_unit));
        let day = |d: u32| chrono::NaiveDate::from_ymd_opt(2024, 4, d).expect("a day");
        let date = |iso: &str, resolved: bool, range: Option<(u32, u32)>| {
            Value::Date(dates::DateValue {
                iso: iso.into(),
                precision: dates::Precision::Day,
                resolved,
                range: range.map(|(a, b)| (day(a), day(b))),
                part: None,
            })
        };
        assert_eq!(
            Said::of(&date("2024-04-11", true, Some((11, 11)))),
            Some(Said::Days(day(11), day(11)))
        );
        assert_eq!(Said::of(&date("XXXX-WXX-4", false, None)), None);
    }

    /// Two sentences naming a person in common agree on him, whatever else each names.
    #[test]
    fn names_given_together_agree_on_any_name_in_common() {
        let claims = named(&["tiani", "putin", "putin", "yevkurov", "bazoum"]);
        assert_eq!(members_apart(&[0, 1], &[2, 3], &claims), None);
        assert!(members_apart(&[0, 1], &[3, 4], &claims).is_some());
    }

    /// The note says the tolerance `compatible` used for the figures at hand.
    #[test]
    fn an_agreement_states_the_tolerance_that_applied() {
        let note = |figures: &[(f64, Qualifier)]| {
            let mut claims = named(&vec!["x"; figures.len()]);
            for (c, &(v, qual)) in claims.iter_mut().zip(figures) {
                c.value = q(v, qual);
            }
            let members: Vec<(usize, Vec<usize>)> =
                (0..figures.len()).map(|i| (i, vec![i])).collect();
            tolerance_note(&[0], &members, &claims)
        };
        use Qualifier::*;
        // Two exact figures: the type's ±5%, not the ±10% of approximate ones.
        assert_eq!(note(&[(1500.0, Exact), (1560.0, Exact)]), " within ±5%");
        assert_eq!(note(&[(1500.0, Approx), (1560.0, Exact)]), " within ±10%");
        assert_eq!(
            note(&[(1480.0, Exact), (1500.0, Approx), (1500.0, Exact)]),
            " within ±10%"
        );
        // Only a bound made them meet: no tolerance to state.
        assert_eq!(note(&[(40.0, AtLeast), (65.0, Exact)]), "");
        assert_eq!(note(&[(200.0, Vague), (350.0, Exact)]), "");
        assert_eq!(
            note(&[(8000.0, AtLeast), (9000.0, Exact), (9000.0, Exact)]),
            ""
        );
        assert_eq!(
            note(&[(8000.0, AtLeast), (9000.0, Exact), (9100.0, Exact)]),
            " within ±5%"
        );
    }

    #[test]
    fn outlets_naming_different_people_are_told_by_what_they_share() {
        let claims = named(&["tiani", "putin", "putin", "goita"]);
        let outlets = ["A", "B", "C", "B"];
        let outlet = |s: usize| outlets[s];
        // A: tiani, putin; B: putin; C: putin, goita.
        let members = vec![(0, vec![0, 1]), (1, vec![2]), (2, vec![2, 3])];
        assert_eq!(
            names_shared(&members, &claims, &Wording::default(), outlet).as_deref(),
            Some("3 outlets name putin; A also names tiani; C also names goita")
        );
        // Two sentences of one outlet are told as one outlet.
        let members = vec![(0, vec![0, 1]), (1, vec![2]), (3, vec![3, 2])];
        assert_eq!(
            names_shared(&members, &claims, &Wording::default(), outlet).as_deref(),
            Some("2 outlets name putin; A also names tiani; B also names goita")
        );
        // No name in every member: the reason is left to the general form.
        let members = vec![(0, vec![0]), (1, vec![1])];
        assert_eq!(
            names_shared(&members, &claims, &Wording::default(), outlet),
            None
        );
        // Not names: not for this form.
        let mut quantities = claims.clone();
        quantities[1].value = q(1000.0, Qualifier::Exact);
        let members = vec![(0, vec![1]), (1, vec![2])];
        assert_eq!(
            names_shared(&members, &quantities, &Wording::default(), outlet),
            None
        );
    }

    /// A wording with two names and a plural, as rules.toml gives them.
    fn wording() -> Wording {
        let pairs = |xs: &[(&str, &str)]| {
            xs.iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect()
        };
        Wording {
            names: pairs(&[("tiani", "عبد الرحمن تياني"), ("putin", "فلاديمير بوتين")]),
            plurals: pairs(&[("soldier", "soldiers"), ("person", "people")]),
        }
    }

    #[test]
    fn values_are_shown_in_names_and_words_and_kept_in_codes() {
        let w = wording();
        let count = |amount: f64, unit: &str, subject: Option<&str>| Value::Quantity {
            amount,
            qualifier: Qualifier::Approx,
            unit: Some(unit.into()),
            subject: subject.map(Into::into),
            tolerance: 0.05,
            ambiguous: false,
        };
        let troops = count(1000.0, "soldier", Some("US"));
        assert_eq!(w.shown(&troops), "~1000 soldiers (US)");
        assert_eq!(display(&troops), "~1000 soldier (US)");
        assert_eq!(w.shown(&count(1.0, "soldier", None)), "~1 soldier");
        assert_eq!(w.shown(&count(1.5, "soldier", None)), "~1.5 soldiers");
        assert_eq!(w.shown(&count(200.0, "person", None)), "~200 people");
        assert_eq!(w.shown(&count(38.0, "%", None)), "~38%");
        // A unit no claim type gives (a currency capture) is written as it is, and long
        // figures are grouped as `readable` groups them.
        assert_eq!(
            w.shown(&count(100_000_000.0, "USD", None)),
            "~100,000,000 USD"
        );
        let name = |id: &str| Value::Name {
            entity: id.into(),
            how: crate::model::MatchHow::Alias,
        };
        assert_eq!(w.shown(&name("tiani")), "عبد الرحمن تياني");
        assert_eq!(display(&name("tiani")), "tiani");
        assert_eq!(w.shown(&name("unlisted")), "unlisted");
        let march = Value::Date(dates::DateValue {
            iso: "XXXX-03".into(),
            precision: dates::Precision::Month,
            resolved: false,
            range: None,
            part: Some(dates::Part::Mid),
        });
        assert_eq!(w.shown(&march), "mid-March (year unknown)");
        assert_eq!(display(&march), "XXXX-03 (mid)");
    }

    #[test]
    fn reasons_name_people_by_their_canonical_names() {
        let claims = named(&["tiani", "putin", "putin"]);
        let outlets = ["A", "B"];
        let members = vec![(0, vec![0, 1]), (1, vec![2])];
        assert_eq!(
            names_shared(&members, &claims, &wording(), |s| outlets[s]).as_deref(),
            Some("2 outlets name فلاديمير بوتين; A also names عبد الرحمن تياني")
        );
        let docs: Vec<Document> = ["A", "B"]
            .iter()
            .map(|o| Document {
                id: o.to_string(),
                path: o.to_string(),
                format: crate::model::Format::Text,
                title: String::new(),
                outlet: o.to_string(),
                outlet_source: "front matter",
                url: None,
                published: None,
                published_source: "",
                lang: "ar".into(),
                story: String::new(),
                text: String::new(),
                body: String::new(),
                excluded: Vec::new(),
                notes: Vec::new(),
                line_keys: Vec::new(),
            })
            .collect();
        let mut claims = named(&["tiani", "tiani"]);
        claims[1].doc = 1;
        let entities = [Entity {
            id: "tiani".into(),
            kind: "person".into(),
            canonical: "عبد الرحمن تياني".into(),
            mentions: vec![0, 1],
            spellings: Vec::new(),
        }];
        let namers = Namers::of(&entities, &claims, &docs);
        let found = named_elsewhere(&namers, &wording(), &[0], &claims, "", "A");
        assert_eq!(
            found,
            [(
                "عبد الرحمن تياني".to_string(),
                Elsewhere {
                    value: "tiani".into(),
                    outlets: vec!["B".into()]
                }
            )]
        );
        assert_eq!(found[0].1.told(&found[0].0), "عبد الرحمن تياني by B");
    }

    #[test]
    fn lists_end_with_and() {
        let list = |xs: &[&str]| and_list(&xs.iter().map(|x| x.to_string()).collect::<Vec<_>>());
        assert_eq!(list(&[]), "");
        assert_eq!(list(&["a"]), "a");
        assert_eq!(list(&["a", "b"]), "a and b");
        assert_eq!(list(&["a", "b", "c"]), "a, b and c");
    }

    /// Articles of unknown outlet are counted apart from the outlets: two of them may be
    /// one outlet's.
    #[test]
    fn articles_of_unknown_outlet_are_counted_apart_from_outlets() {
        assert_eq!(outlets_count(&["a", "b"]), "2 outlets");
        let unknown = ["a", "unknown outlet of x.txt", "unknown outlet of y/x.txt"];
        assert_eq!(
            outlets_count(&unknown),
            "1 outlet and 2 articles of unknown outlet"
        );
        assert_eq!(outlets_count(&unknown[1..]), "2 articles of unknown outlet");
        assert_eq!(
            outlets_count(&["a", "b", "unknown outlet of x.txt"]),
            "2 outlets and 1 article of unknown outlet"
        );
    }

    #[test]
    fn outlet_lists_name_one_more_rather_than_count_it() {
        let abc = ["a", "b", "c", "d", "e", "f"];
        let list = |outlets: &[&str]| outlets_list(outlets, 3, str::to_string);
        assert_eq!(list(&abc[..0]), "");
        assert_eq!(list(&abc[..3]), "a, b and c");
        // "and 1 more outlet" would take the room of the outlet's name.
        assert_eq!(list(&abc[..4]), "a, b, c and d");
        assert_eq!(list(&abc[..5]), "a, b, c and 2 more outlets");
        assert_eq!(list(&abc), "a, b, c and 3 more outlets");
        assert_eq!(
            outlets_list(&abc[..4], 3, |o| format!("<{o}>")),
            "<a>, <b>, <c> and <d>"
        );
    }

    /// The outlets a list does not name count the articles of unknown outlet apart.
    #[test]
    fn outlet_lists_count_articles_of_unknown_outlet_apart() {
        let x = "unknown outlet of x.txt";
        let y = "unknown outlet of y.txt";
        let list = |outlets: &[&str]| outlets_list(outlets, 3, str::to_string);
        assert_eq!(list(&["a", "b", "c", x]), format!("a, b, c and {x}"));
        assert_eq!(
            list(&["a", "b", "c", "d", x]),
            "a, b, c and 1 more outlet and 1 article of unknown outlet"
        );
        assert_eq!(
            list(&["a", "b", "c", "d", "e", x, y]),
            "a, b, c and 2 more outlets and 2 articles of unknown outlet"
        );
        assert_eq!(
            list(&["a", "b", "c", x, y]),
            "a, b, c and 2 articles of unknown outlet"
        );
    }

    proptest::proptest! {
        /// A value's words follow from its display: the pages look them up by it
        /// (`render::ValueWords`), one entry for every claim that gives the value.
        #[test]
        fn values_that_display_alike_read_alike(
            a in 0.0f64..3.0, b in 0.0f64..3.0, unit in "soldier|person|%|USD",
            iso in "(XXXX|2024)(-(0[1-9]|1[0-2]|XX|WXX|W(0[1-9]|[1-4][0-9]|5[0-3]))(-(0[1-9]|XX|[1-7]))?)?",
            part in 0usize..4, resolved in proptest::bool::ANY,
        ) {
            let w = wording();
            let count = |amount: f64| Value::Quantity {
                amount,
                qualifier: Qualifier::Approx,
                unit: Some(unit.clone()),
                subject: None,
                tolerance: 0.05,
                ambiguous: false,
            };
            // Amounts near 1 that round to it are the case to watch.
            for (x, y) in [(a, b), (1.0, 1.0 + a * 1e-9), (a, a + 1e-9)] {
                if display(&count(x)) == display(&count(y)) {
                    proptest::prop_assert_eq!(w.shown(&count(x)), w.shown(&count(y)));
                }
            }
            // A date's words do not depend on what its display leaves out: its
            // precision (a shape such as `XXXX-XX` says it) and whether it was resolved.
            let parts = [None, Some(dates::Part::Early), Some(dates::Part::Mid), Some(dates::Part::Late)];
            let date = |precision, resolved| Value::Date(dates::DateValue {
                iso: iso.clone(),
                precision,
                resolved,
                range: None,
                part: parts[part],
            });
            let first = w.shown(&date(dates::Precision::Day, resolved));
            for p in [dates::Precision::Week, dates::Precision::Month, dates::Precision::Year] {
                for r in [false, true] {
                    proptest::prop_assert_eq!(&w.shown(&date(p, r)), &first);
                }
            }
        }

        /// Grouping only adds commas.
        #[test]
        fn readable_only_adds_commas(v in "[0-9a-z .~≥ن]{0,30}") {
            let r = readable(&v);
            proptest::prop_assert_eq!(r.replace(',', ""), v.clone());
        }
    }
}
