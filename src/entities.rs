//! 6. Names: mentions in sentences → entities with their spellings.
//!
//! A mention is found by cascade (ARABIC.md §7), on the match key with ؤ → و and ئ → ي:
//! 1. an alias listed in rules.toml (longest first, word edges checked in code);
//! 2. otherwise a word whose consonant skeleton (3+ letters) equals that of a listed
//!    surname or one-word organisation name, or a word of 5+ letters within one edit and
//!    Jaro-Winkler ≥ 0.92 of one.
//!
//! A mention then grows leftwards over words that resemble the earlier words of the
//! entity's longest alias, so `لونوس بك إيفكوروف` is one mention of `يونس بيك إفكوروف`.
//! Unlisted spellings keep the alias they resemble and the score, so a user can promote
//! them into rules.toml. An entity is `variant` when its mentions spell it in more than
//! one way (a shorter form of a longer spelling is the same spelling).

use crate::model::{Claim, Entity, MatchHow, Value};
use crate::normalize;
use crate::rules::{EntityRule, RuleSet};
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

/// Name parts shared by many people: never enough alone to recognise anyone.
const COMMON_PARTS: &[&str] = &[
    "عبد",
    "الرحمن",
    "محمد",
    "احمد",
    "ابو",
    "بن",
    "ابن",
    "الله",
    "علي",
    "حسن",
    "حسين",
    "الدين",
];

/// The key an alias or mention is compared by: the match key with seated hamzas folded
/// (same byte length as the match key, so offsets stay valid).
pub fn fold_name(key: &str) -> String {
    key.chars()
        .map(|c| match c {
            'ؤ' => 'و',
            'ئ' => 'ي',
            c => c,
        })
        .collect()
}

/// The folded key of an alias as written in rules.toml.
pub fn alias_key(alias: &str) -> String {
    fold_name(normalize::key(alias).trim())
}

/// One name mention in a key.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    pub range: Range<usize>,
    pub entity: usize,
    pub how: MatchHow,
}

/// A word of a listed alias that can anchor a fuzzy match.
#[derive(Debug, Clone)]
pub struct NameToken {
    pub text: String,
    pub skeleton: String,
    pub entity: usize,
    /// The alias it comes from.
    pub alias: String,
}

/// The distinctive words of the entities: the last word of each person alias and
/// one-word organisation names, 4+ letters, not shared by two entities.
pub fn name_tokens(entities: &[EntityRule]) -> Vec<NameToken> {
    let mut owners: HashMap<String, Vec<usize>> = HashMap::new();
    let mut out = Vec::new();
    for (i, e) in entities.iter().enumerate() {
        for a in &e.aliases {
            let words: Vec<&str> = a.split(' ').collect();
            let candidate = match (e.kind.as_str(), words.as_slice()) {
                (_, [one]) => Some(*one),
                ("person", [.., last]) => Some(*last),
                _ => None,
            };
            let Some(w) = candidate else { continue };
            if w.chars().count() < 4 || COMMON_PARTS.contains(&w) {
                continue;
            }
            let owner = owners.entry(w.to_string()).or_default();
            if !owner.contains(&i) {
                owner.push(i);
            }
            out.push(NameToken {
                text: w.to_string(),
                skeleton: normalize::skeleton(&normalize::name_key(w)),
                entity: i,
                alias: a.clone(),
            });
        }
    }
    out.retain(|t| owners.get(&t.text).is_some_and(|o| o.len() == 1));
    out.sort_by(|a, b| (a.entity, &a.text, &a.alias).cmp(&(b.entity, &b.text, &b.alias)));
    out.dedup_by(|a, b| a.entity == b.entity && a.text == b.text);
    out
}

/// Fuzzy look-up results by word, kept by one worker across sentences: news text repeats
/// its words, so most look-ups are answered here.
#[derive(Debug, Default)]
pub struct FuzzyCache(HashMap<String, Option<(usize, String, f64, usize)>>);

/// Every name mention in a sentence key, in order, not overlapping.
pub fn mentions(rules: &RuleSet, key: &str) -> Vec<Mention> {
    mentions_cached(rules, key, &mut FuzzyCache::default())
}

/// [`mentions`] with a worker's cache of fuzzy look-ups.
pub fn mentions_cached(rules: &RuleSet, key: &str, cache: &mut FuzzyCache) -> Vec<Mention> {
    let folded = fold_name(key);
    let words = crate::align::word_ranges(&folded);
    let mut found: Vec<Mention> = Vec::new();
    if let Some(re) = &rules.names {
        let mut pos = 0;
        while let Some(m) = re.find_at(&folded, pos) {
            if crate::extract::at_word_edges(&folded, m.range()) {
                if let Some(&entity) = rules.alias_owner.get(m.as_str()) {
                    found.push(Mention {
                        range: m.range(),
                        entity,
                        how: MatchHow::Alias,
                    });
                }
                pos = m.end();
            } else {
                pos = m.start() + m.as_str().chars().next().map_or(1, char::len_utf8);
            }
            if pos >= folded.len() {
                break;
            }
        }
    }
    // Fuzzy anchors on words not already covered. The alias mentions are in text order and
    // so are the words: one cursor over the mentions keeps this linear in a long sentence.
    let aliases = found.len();
    let mut next = 0;
    for w in &words {
        while next < aliases && found[next].range.end <= w.start {
            next += 1;
        }
        if found[next..aliases]
            .iter()
            .take_while(|m| m.range.start < w.end)
            .any(|m| w.start < m.range.end)
        {
            continue;
        }
        let word = &folded[w.clone()];
        if cache.0.len() > 200_000 {
            cache.0.clear();
        }
        let hit = match cache.0.get(word) {
            Some(hit) => hit.clone(),
            None => {
                let hit = best_fuzzy(rules, word);
                cache.0.insert(word.to_string(), hit.clone());
                hit
            }
        };
        if let Some((entity, alias, score, start_in_word)) = hit {
            found.push(Mention {
                range: w.start + start_in_word..w.end,
                entity,
                how: MatchHow::Fuzzy { alias, score },
            });
        }
    }
    found.sort_by_key(|m| m.range.start);
    // Grow each mention leftwards over words resembling its entity's longest alias.
    for m in &mut found {
        extend_left(rules, &folded, &words, m);
    }
    let mut kept: Vec<Mention> = Vec::new();
    for m in found {
        if kept.last().is_some_and(|k| m.range.start < k.range.end) {
            continue;
        }
        kept.push(m);
    }
    kept
}

/// Name tokens indexed for fuzzy look-ups: by skeleton (exact), and by first letter for
/// the one-edit path, so each word is compared with a handful of tokens, not all of them.
#[derive(Debug, Clone, Default)]
pub struct NameIndex {
    by_skeleton: HashMap<String, Vec<usize>>,
    by_first: HashMap<char, Vec<usize>>,
}

impl NameIndex {
    pub fn new(tokens: &[NameToken]) -> Self {
        let mut index = NameIndex::default();
        for (i, t) in tokens.iter().enumerate() {
            if t.skeleton.chars().count() >= 3 {
                index
                    .by_skeleton
                    .entry(t.skeleton.clone())
                    .or_default()
                    .push(i);
            }
            if let Some(c) = t.text.chars().next() {
                index.by_first.entry(c).or_default().push(i);
            }
        }
        index
    }
}

/// The best fuzzy anchor for one word: (entity, alias, score, byte offset after a proclitic).
fn best_fuzzy(rules: &RuleSet, word: &str) -> Option<(usize, String, f64, usize)> {
    let mut candidates = vec![(word, 0)];
    if let Some(c) = word.chars().next() {
        if ['و', 'ب', 'ل', 'ف', 'ك'].contains(&c) && word.chars().count() > 4 {
            candidates.push((&word[c.len_utf8()..], c.len_utf8()));
        }
    }
    let mut best: Option<(usize, String, f64, usize)> = None;
    let mut consider = |t: &NameToken, w: &str, offset: usize| {
        let jw = strsim::jaro_winkler(w, &t.text);
        if best.as_ref().is_none_or(|b| jw > b.2) {
            best = Some((t.entity, t.alias.clone(), jw, offset));
        }
    };
    for (w, offset) in candidates {
        let chars = w.chars().count();
        if chars < 4 || COMMON_PARTS.contains(&w) {
            continue;
        }
        let skel = normalize::skeleton(&normalize::name_key(w));
        if let Some(list) = rules.name_index.by_skeleton.get(&skel) {
            for &i in list {
                consider(&rules.name_tokens[i], w, offset);
            }
        }
        if chars >= 5 {
            let first = w.chars().next().unwrap_or(' ');
            for &i in rules.name_index.by_first.get(&first).into_iter().flatten() {
                let t = &rules.name_tokens[i];
                if t.text.chars().count().abs_diff(chars) <= 1
                    && strsim::levenshtein(w, &t.text) <= 1
                    && strsim::jaro_winkler(w, &t.text) >= 0.92
                {
                    consider(t, w, offset);
                }
            }
        }
    }
    best
}

fn extend_left(rules: &RuleSet, folded: &str, words: &[Range<usize>], m: &mut Mention) {
    let Some(alias) = rules.entities[m.entity]
        .aliases
        .iter()
        .max_by_key(|a| (a.split(' ').count(), a.len()))
    else {
        return;
    };
    let alias_words: Vec<&str> = alias.split(' ').collect();
    // Words the mention touches: `لفيلق` counts although its proclitic lies outside.
    // Words are in text order: found by bisection, since a long sentence has many
    // mentions and many words.
    let first = words.partition_point(|w| w.end <= m.range.start);
    let covered = words[first..]
        .iter()
        .take_while(|w| w.start < m.range.end)
        .count()
        .max(1);
    if alias_words.len() <= covered {
        return;
    }
    if first == words.len() {
        return;
    }
    let mut start = m.range.start;
    let mut grew = false;
    let mut ai = alias_words.len() - covered;
    let mut wi = first;
    while ai > 0 && wi > 0 {
        let prev = &words[wi - 1];
        // Only across a single space: a name does not span punctuation.
        if &folded[prev.end..words[wi].start] != " " {
            break;
        }
        let w = &folded[prev.clone()];
        let a = alias_words[ai - 1];
        // Compared without the article: الاولي and الفيلق share nothing but ال.
        let bare = |x: &'_ str| -> String {
            x.strip_prefix("ال")
                .filter(|r| r.chars().count() >= 2)
                .unwrap_or(x)
                .to_string()
        };
        let similar = w == a
            || strsim::normalized_levenshtein(&bare(w), &bare(a)) >= 0.5
            || normalize::skeleton(&normalize::name_key(w))
                == normalize::skeleton(&normalize::name_key(a));
        if !similar {
            break;
        }
        start = prev.start;
        grew |= w != a;
        ai -= 1;
        wi -= 1;
    }
    if start < m.range.start {
        m.range.start = start;
        if grew {
            let score = strsim::jaro_winkler(&folded[m.range.clone()], alias);
            m.how = MatchHow::Fuzzy {
                alias: alias.clone(),
                score,
            };
        }
    }
}

/// Group name claims by entity, with their distinct spellings.
pub fn group(
    rules: &RuleSet,
    claims: &[Claim],
    spelling: impl Fn(&Claim) -> String,
) -> Vec<Entity> {
    let mut by: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, c) in claims.iter().enumerate() {
        if let Value::Name { entity, .. } = &c.value {
            by.entry(entity.as_str()).or_default().push(i);
        }
    }
    let mut out = Vec::new();
    for e in &rules.entities {
        let Some(mentions) = by.remove(e.id.as_str()) else {
            continue;
        };
        let mut forms: Vec<String> = mentions.iter().map(|&i| spelling(&claims[i])).collect();
        forms.sort();
        forms.dedup();
        let spellings = distinct_spellings(&forms);
        out.push(Entity {
            id: e.id.clone(),
            kind: e.kind.clone(),
            canonical: e.canonical.clone(),
            mentions,
            spellings,
        });
    }
    out
}

/// Fold shorter forms into the longer spellings that contain them word for word.
pub fn distinct_spellings(forms: &[String]) -> Vec<String> {
    let contains = |long: &str, short: &str| {
        let l: Vec<&str> = long.split(' ').collect();
        let s: Vec<&str> = short.split(' ').collect();
        s.len() < l.len() && l.windows(s.len()).any(|w| w == s.as_slice())
    };
    forms
        .iter()
        .filter(|f| !forms.iter().any(|g| contains(g, f)))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shorter_forms_fold_into_longer_spellings() {
        let forms: Vec<String> = ["بوتين", "فلاديمير بوتين"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            distinct_spellings(&forms),
            vec!["فلاديمير بوتين".to_string()]
        );
        let forms: Vec<String> = ["عبد الرحمن تياني", "عبد الرحمن تشياني", "تياني"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(distinct_spellings(&forms).len(), 2);
    }

    #[test]
    fn seated_hamza_folds_without_moving_offsets() {
        let k = "مؤتمر رئيس";
        assert_eq!(fold_name(k).len(), k.len());
        assert_eq!(fold_name(k), "موتمر رييس");
    }
}

#[cfg(test)]
mod extension_tests {
    use crate::model::MatchHow;

    fn rules() -> crate::rules::RuleSet {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules.toml");
        crate::rules::load(&path).expect("shipped rules")
    }

    #[test]
    fn a_mention_does_not_swallow_the_word_before_it() {
        let r = rules();
        let key = crate::normalize::key("وصلت الرحلة الأولى لفيلق أفريقيا ومتطوعيه");
        let m = super::mentions(&r, &key);
        assert_eq!(m.len(), 1, "{m:?}");
        assert_eq!(&key[m[0].range.clone()], "فيلق افريقيا");
        assert_eq!(m[0].how, MatchHow::Alias);
    }

    #[test]
    fn an_unlisted_spelling_grows_over_its_first_names() {
        let r = rules();
        let key = crate::normalize::key("نائب وزير الدفاع لونوس بك إيفكوروف برئيس الحكومة");
        let m = super::mentions(&r, &key);
        assert_eq!(&key[m[0].range.clone()], "لونوس بك ايفكوروف");
        assert!(matches!(m[0].how, MatchHow::Fuzzy { .. }));
    }
}
