//! 7. Alignment: claims → groups of sentences that report the same thing across outlets.
//!
//! A *fact* is one sentence's claims of one type; or, when the sentence names several
//! keys of an `align.distinguish` lexicon and its counts of the type go with different
//! ones (40 قتيلا و65 جريحا), the counts that go with one (see [`parts`]). Two facts from
//! different documents of the same story are the same statement when their sentences
//! share enough topic: cosine similarity of IDF-weighted features (stemmed content words
//! outside the claims themselves, plus the entities named) at least
//! `align.min_similarity`, and compatible subjects (French troops never join US troops).
//! The numbers and days themselves play no part, so differing values still meet and conflict.
//! The unit, month and place keys weigh in that similarity but cannot make it alone: the
//! pair's topic (content words, other names, subjects) must also reach `align.min_topic`,
//! or an aid package and an arms deal of one story, both in US dollars between the same
//! two countries, would meet and conflict.
//!
//! Candidates come from an inverted index on features, skipping features shared by more
//! than `align.max_postings` facts (blocking, never all pairs). Pairs are merged best
//! first into groups holding at most one sentence per document, and two groups merge only
//! when their members are similar on average (average link), in all features and in topic
//! alone, so a chain of weak links cannot join different events.

use crate::model::{Claim, Document, Group, Sentence, Value};
use crate::normalize;
use crate::rules::{Kind, RuleSet};
use foldhash::HashMap;
use rayon::prelude::*;
use smol_str::{format_smolstr, SmolStr};
use std::collections::{BTreeMap, BTreeSet};

/// One sentence's claims of one type; or of those, the ones that go with one key of an
/// `align.distinguish` lexicon when the sentence names several (see [`parts`]).
#[derive(Debug, Clone)]
struct Fact<'a> {
    sentence: usize,
    doc: usize,
    rule: &'a str,
    claims: Vec<usize>,
}

impl Fact<'_> {
    /// The `align.distinguish` keys the fact names, as `lexicon:key`: its sentence's
    /// marks, or its claims' own when the sentence is split (see [`parts`]). Looked up
    /// rather than held, so a fact stays as small as it was.
    fn marks<'s>(&self, sentences: &'s [Sentence], claims: &[Claim]) -> &'s [String] {
        let s = &sentences[self.sentence];
        if let (Some(parts), Some(&c)) = (s.parts(), self.claims.first()) {
            // `parts` follows the sentence's claims, which are one run of the corpus's.
            let first = claims.partition_point(|d| d.sentence < self.sentence);
            if let Some(own) = parts.get(c - first).filter(|m| !m.is_empty()) {
                return own;
            }
        }
        s.marks()
    }
}

/// What a fact must agree on with another to be one statement: its subjects and its
/// `align.distinguish` words. Made for one story's facts while the story is grouped, not
/// held for every fact of the corpus at once.
#[derive(Debug)]
struct Scope<'a> {
    /// Sorted, each once.
    subjects: Vec<&'a str>,
    /// `align.distinguish` words named, by lexicon: `place` → [`ML`, `NE`]; sorted by
    /// lexicon, each lexicon's keys sorted, each once. Slices of the sentence's marks.
    marks: Vec<(&'a str, Vec<&'a str>)>,
}

impl<'a> Scope<'a> {
    fn of(f: &Fact, claims: &'a [Claim], sentences: &'a [Sentence]) -> Scope<'a> {
        let mut subjects: Vec<&str> = f
            .claims
            .iter()
            .filter_map(|&i| match &claims[i].value {
                Value::Quantity {
                    subject: Some(s), ..
                } => Some(s.as_str()),
                _ => None,
            })
            .collect();
        subjects.sort_unstable();
        subjects.dedup();
        Scope {
            subjects,
            marks: marks_by_lexicon(f.marks(sentences, claims)),
        }
    }
}

/// Statistics of one alignment run, for `--timings` and benchmarks.
#[derive(Debug, Clone, Copy, Default)]
pub struct Stats {
    pub facts: usize,
    pub candidate_pairs: usize,
}

/// Group the corpus's facts into statements; every fact ends up in exactly one group.
pub fn groups(
    rules: &RuleSet,
    docs: &[Document],
    sentences: &[Sentence],
    claims: &[Claim],
) -> (Vec<Group>, Stats) {
    let facts = facts(rules, claims, sentences);
    let ids = feature_ids(sentences, claims, &facts);
    let mut stats = Stats {
        facts: facts.len(),
        candidate_pairs: 0,
    };

    // Facts align only within their story, so each story is grouped on its own, the
    // stories in parallel; the result does not depend on how they are spread over threads.
    let mut by_story: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (fi, f) in facts.iter().enumerate() {
        by_story
            .entry(docs[f.doc].story.as_str())
            .or_default()
            .push(fi);
    }
    let stories: Vec<Vec<usize>> = by_story.into_values().collect();
    let grouped: Vec<(Vec<Vec<usize>>, usize)> = stories
        .par_iter()
        .map(|story| group_story(rules, claims, sentences, &facts, &ids, story))
        .collect();
    let mut members: Vec<Vec<usize>> = Vec::with_capacity(facts.len());
    for (groups, candidates) in grouped {
        stats.candidate_pairs += candidates;
        members.extend(groups);
    }

    let mut out: Vec<Group> = members
        .into_par_iter()
        .filter(|m| !m.is_empty())
        .map(|m| {
            let mut m: Vec<&Fact> = m.iter().map(|&i| &facts[i]).collect();
            m.sort_by(|a, b| {
                let (da, db) = (&docs[a.doc], &docs[b.doc]);
                (da.published.is_none(), da.published, &da.path, a.sentence).cmp(&(
                    db.published.is_none(),
                    db.published,
                    &db.path,
                    b.sentence,
                ))
            });
            Group {
                rule: m[0].rule.to_string(),
                members: m.iter().map(|f| (f.sentence, f.claims.clone())).collect(),
            }
        })
        .collect();
    // Ordered by anchor, as the ids are, so a new article does not reorder the report.
    out.par_sort_by_cached_key(|g| {
        let s = &sentences[anchor(g, docs, sentences)];
        (docs[s.doc].id.clone(), s.ordinal, g.rule.clone())
    });
    (out, stats)
}

/// Group the facts of one story (`story`: their indices in `facts`, ascending): the
/// groups as fact indices, and the number of candidate pairs examined.
///
/// Within, a fact is its place in `story` (`story[i]` is its index in `facts`): the
/// story's weights are held only while it is grouped, and the order of places is the
/// order of fact indices, so ties break as they would on the corpus's indices.
fn group_story(
    rules: &RuleSet,
    claims: &[Claim],
    sentences: &[Sentence],
    facts: &[Fact],
    ids: &FeatureIds,
    story: &[usize],
) -> (Vec<Vec<usize>>, usize) {
    let fact = |i: usize| &facts[story[i]];
    let scopes: Vec<Scope> = story
        .iter()
        .map(|&fi| Scope::of(&facts[fi], claims, sentences))
        .collect();
    let Weights {
        all: features,
        topic,
    } = ids.weigh(story);
    let seen = candidate_pairs(
        &features,
        |i| (fact(i).rule, fact(i).doc),
        rules.max_postings,
    );
    let candidates = seen.len();
    let min_shared: HashMap<&str, usize> = rules
        .claims
        .iter()
        .map(|c| (c.id.as_str(), c.min_shared_topic))
        .collect();
    let mut pairs: Vec<(f64, usize, usize)> = seen
        .into_iter()
        .filter(|&(a, b)| compatible(&scopes[a], &scopes[b]))
        .map(|(a, b)| (cosine(&features[a], &features[b]), a, b))
        .filter(|&(s, _, _)| s >= rules.min_similarity)
        .filter(|&(_, a, b)| cosine(&topic[a], &topic[b]) >= rules.min_topic)
        .filter(|&(_, a, b)| {
            let needed = min_shared.get(fact(a).rule).copied().unwrap_or(1);
            needed <= 1 || overlap(&topic[a], &topic[b]).0 >= needed
        })
        .collect();
    pairs.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));

    // Merge best first; a group never holds two sentences of one document. Clusters are
    // numbered by the fact's place in `story`.
    let mut cluster: Vec<usize> = (0..story.len()).collect();
    let mut members: Vec<Vec<usize>> = (0..story.len()).map(|i| vec![i]).collect();
    for (_, a, b) in pairs {
        let (ca, cb) = (cluster[a], cluster[b]);
        if ca == cb {
            continue;
        }
        let docs_a: BTreeSet<usize> = members[ca].iter().map(|&f| fact(f).doc).collect();
        if members[cb].iter().any(|&f| docs_a.contains(&fact(f).doc)) {
            continue;
        }
        if !members[ca].iter().all(|&x| {
            members[cb]
                .iter()
                .all(|&y| compatible(&scopes[x], &scopes[y]))
        }) {
            continue;
        }
        // Average link: the groups must be similar as a whole, so one shared name cannot
        // chain two different events together.
        // The topic floor too: a sentence that meets one member on a shared word but
        // nothing of the others is a different event told near the same words.
        let (mut total, mut on_topic) = (0.0, 0.0);
        for &x in &members[ca] {
            for &y in &members[cb] {
                total += cosine(&features[x], &features[y]);
                on_topic += cosine(&topic[x], &topic[y]);
            }
        }
        let links = (members[ca].len() * members[cb].len()) as f64;
        if total / links < rules.min_similarity || on_topic / links < rules.min_topic {
            continue;
        }
        let moved = std::mem::take(&mut members[cb]);
        for &f in &moved {
            cluster[f] = ca;
        }
        members[ca].extend(moved);
    }
    let members = members
        .into_iter()
        .filter(|m| !m.is_empty())
        .map(|m| m.into_iter().map(|i| story[i]).collect())
        .collect();
    (members, candidates)
}

/// How alignment judged two sentences (`compare why`).
#[derive(Debug)]
pub enum Why {
    /// Sentences of two stories never meet: alignment runs within a story.
    Stories(String, String),
    /// Two sentences of one document are never one statement.
    OneDocument,
    /// For each pair of facts of one claim type, one from each sentence, the tests of
    /// [`groups`] in order; empty when the sentences hold no claim type in common.
    Facts(Vec<FactPair>),
}

/// One fact of each sentence, of one claim type, as [`groups`] judges them.
#[derive(Debug)]
pub struct FactPair {
    pub rule: String,
    /// The two facts' sentences.
    pub sentences: (usize, usize),
    /// The claims of each fact.
    pub claims: (Vec<usize>, Vec<usize>),
    /// The features both hold, by weight in the first (highest first).
    pub shared: Vec<SharedFeature>,
    /// Features of each fact in all.
    pub features: (usize, usize),
    /// Blocking proposed the pair: a shared feature at most `align.max_postings` facts
    /// of the type hold in the story.
    pub candidate: bool,
    /// Subjects and `align.distinguish` words compatible.
    pub compatible: bool,
    /// Cosine similarity of all features, and of the topic alone.
    pub similarity: f64,
    pub topic: f64,
    /// Topic features shared, and how many the type needs (`min_shared_topic`).
    pub shared_topic: usize,
    pub needed_topic: usize,
    /// Whether the two ended in one statement.
    pub together: bool,
    /// The sentences each fact's statement holds in the end (the fact's own first).
    pub groups: (Vec<usize>, Vec<usize>),
    /// Each fact's statement id, as report.json and the pages give it.
    pub statements: (SmolStr, SmolStr),
}

/// A feature two facts share: its name (a stem; `@entity`, `$type:subject`,
/// `=type:unit`, `=month:MM`, `=lexicon:key` and `~stem` for the other kinds), its IDF
/// weight in the story (doubled for names and keys), how many facts of the type hold it
/// in the story, and whether it is topic (not context such as a unit, month or place).
#[derive(Debug)]
pub struct SharedFeature {
    pub name: String,
    pub weight: f64,
    pub postings: usize,
    pub topic: bool,
}

/// Why sentences `a` and `b` (indices in `sentences`) are, or are not, one statement:
/// the story of `a` grouped as [`groups`] groups it, and every test it applies to each
/// pair of their facts.
pub fn why(
    rules: &RuleSet,
    docs: &[Document],
    sentences: &[Sentence],
    claims: &[Claim],
    a: usize,
    b: usize,
) -> Why {
    let (da, db) = (&docs[sentences[a].doc], &docs[sentences[b].doc]);
    if da.story != db.story {
        return Why::Stories(da.story.clone(), db.story.clone());
    }
    if sentences[a].doc == sentences[b].doc {
        return Why::OneDocument;
    }
    let view = StoryView::of(rules, docs, sentences, claims, &da.story);
    let mut out = Vec::new();
    for i in view.places_of(a) {
        for j in view.places_of(b) {
            if view.fact(i).rule == view.fact(j).rule {
                out.push(view.pair(i, j));
            }
        }
    }
    Why::Facts(out)
}

/// For each fact of sentence `a`, the `k` facts of its type in the story's other
/// articles most similar to it, most similar first, each judged as [`why`] judges a pair.
pub fn nearest(
    rules: &RuleSet,
    docs: &[Document],
    sentences: &[Sentence],
    claims: &[Claim],
    a: usize,
    k: usize,
) -> Vec<Vec<FactPair>> {
    let view = StoryView::of(
        rules,
        docs,
        sentences,
        claims,
        &docs[sentences[a].doc].story,
    );
    view.places_of(a)
        .map(|i| {
            let fa = view.fact(i);
            let mut near: Vec<(f64, usize)> = (0..view.story.len())
                .filter(|&j| view.fact(j).rule == fa.rule && view.fact(j).doc != fa.doc)
                .map(|j| (cosine(&view.weights.all[i], &view.weights.all[j]), j))
                .collect();
            near.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
            near.into_iter()
                .take(k)
                .map(|(_, j)| view.pair(i, j))
                .collect()
        })
        .collect()
}

/// One story grouped as [`groups`] groups it, with what explaining a pair of its facts
/// needs: the features' names, weights and posting counts. A fact is known by its place
/// in `story`, as in [`group_story`].
struct StoryView<'a> {
    rules: &'a RuleSet,
    docs: &'a [Document],
    sentences: &'a [Sentence],
    claims: &'a [Claim],
    all: Vec<Fact<'a>>,
    /// By place, the fact's index in `all`.
    story: Vec<usize>,
    /// By place, its group; by group, its places.
    group_of: Vec<usize>,
    members: Vec<Vec<usize>>,
    weights: Weights,
    /// Facts of the type holding each feature, in the story.
    postings: HashMap<(&'a str, u32), usize>,
    /// By feature id, its name, and whether it is context (not topic).
    names: Vec<SmolStr>,
    context: Vec<bool>,
}

impl<'a> StoryView<'a> {
    fn of(
        rules: &'a RuleSet,
        docs: &'a [Document],
        sentences: &'a [Sentence],
        claims: &'a [Claim],
        story_name: &str,
    ) -> StoryView<'a> {
        // The corpus's facts and feature ids, as `groups` makes them, so that the story
        // is grouped exactly as in the build (ids order the sums of the similarities).
        let all = facts(rules, claims, sentences);
        let (ids, named) = feature_ids_named(sentences, claims, &all);
        let mut names = vec![SmolStr::default(); named.len()];
        for (n, i) in named {
            names[i as usize] = n;
        }
        let story: Vec<usize> = (0..all.len())
            .filter(|&f| docs[all[f].doc].story == story_name)
            .collect();
        let (grouped, _) = group_story(rules, claims, sentences, &all, &ids, &story);
        let place: HashMap<usize, usize> = story.iter().enumerate().map(|(i, &f)| (f, i)).collect();
        let members: Vec<Vec<usize>> = grouped
            .iter()
            .map(|m| m.iter().map(|f| place[f]).collect())
            .collect();
        let mut group_of = vec![0; story.len()];
        for (g, m) in members.iter().enumerate() {
            for &f in m {
                group_of[f] = g;
            }
        }
        let weights = ids.weigh(&story);
        let mut postings: HashMap<(&str, u32), usize> = HashMap::default();
        for (&f, fv) in story.iter().zip(&weights.all) {
            for &(t, _) in fv {
                *postings.entry((all[f].rule, t)).or_default() += 1;
            }
        }
        StoryView {
            rules,
            docs,
            sentences,
            claims,
            all,
            story,
            group_of,
            members,
            weights,
            postings,
            names,
            context: ids.context,
        }
    }

    fn fact(&self, place: usize) -> &Fact<'a> {
        &self.all[self.story[place]]
    }

    /// The places of sentence `s`'s facts.
    fn places_of(&self, s: usize) -> impl Iterator<Item = usize> + '_ {
        (0..self.story.len()).filter(move |&i| self.fact(i).sentence == s)
    }

    /// The sentences of the statement the fact at `place` ended in, its own first.
    fn sentences_of(&self, place: usize) -> Vec<usize> {
        let own = self.fact(place).sentence;
        let mut v: Vec<usize> = self.members[self.group_of[place]]
            .iter()
            .map(|&g| self.fact(g).sentence)
            .collect();
        v.sort_by_key(|&s| (s != own, s));
        v
    }

    /// The id of the statement the fact at `place` ended in, as the report makes it
    /// ([`statement_id`]).
    fn statement_id(&self, place: usize) -> SmolStr {
        let (docs, sentences) = (self.docs, self.sentences);
        let members = &self.members[self.group_of[place]];
        let si = anchor_of(
            members.iter().map(|&p| self.fact(p).sentence),
            docs,
            sentences,
        );
        // The k-th claim of its type in its sentence: claims are in sentence and text
        // order, so those before it in its sentence are just before it.
        let nth = |c: usize| {
            let rule = &self.claims[c].rule;
            1 + self.claims[..c]
                .iter()
                .rev()
                .take_while(|d| d.sentence == si)
                .filter(|d| &d.rule == rule)
                .count()
        };
        let k = members
            .iter()
            .filter(|&&p| self.fact(p).sentence == si)
            .flat_map(|&p| self.fact(p).claims.iter().map(|&c| nth(c)))
            .min()
            .unwrap_or(1);
        let s = &sentences[si];
        statement_id(self.fact(place).rule, &docs[s.doc].id, s.ordinal, k)
    }

    /// The facts at places `i` and `j`, of one type, judged as [`group_story`] judges
    /// a pair.
    fn pair(&self, i: usize, j: usize) -> FactPair {
        let (rules, claims, sentences) = (self.rules, self.claims, self.sentences);
        let (fa, fb) = (self.fact(i), self.fact(j));
        let (wa, wb) = (&self.weights.all[i], &self.weights.all[j]);
        let (ta, tb) = (&self.weights.topic[i], &self.weights.topic[j]);
        let mut shared: Vec<SharedFeature> = wa
            .iter()
            .filter(|(t, _)| wb.binary_search_by_key(t, |x| x.0).is_ok())
            .map(|&(t, w)| SharedFeature {
                name: self.names[t as usize].to_string(),
                weight: w,
                postings: self.postings[&(fa.rule, t)],
                topic: !self.context[t as usize],
            })
            .collect();
        shared.sort_by(|x, y| y.weight.total_cmp(&x.weight).then(x.name.cmp(&y.name)));
        let needed = rules
            .claims
            .iter()
            .find(|c| c.id == fa.rule)
            .map_or(1, |c| c.min_shared_topic);
        FactPair {
            rule: fa.rule.to_string(),
            sentences: (fa.sentence, fb.sentence),
            claims: (fa.claims.clone(), fb.claims.clone()),
            candidate: shared.iter().any(|f| f.postings <= rules.max_postings),
            shared,
            features: (wa.len(), wb.len()),
            compatible: compatible(
                &Scope::of(fa, claims, sentences),
                &Scope::of(fb, claims, sentences),
            ),
            similarity: cosine(wa, wb),
            topic: cosine(ta, tb),
            shared_topic: overlap(ta, tb).0,
            needed_topic: needed,
            together: self.group_of[i] == self.group_of[j],
            groups: (self.sentences_of(i), self.sentences_of(j)),
            statements: (self.statement_id(i), self.statement_id(j)),
        }
    }
}

/// The pairs of facts worth a similarity check (blocking, never all pairs): `(a, b)` with
/// `a < b`, each once, by `a` (the caller orders them by score), where facts `a` and `b` are of two documents and share a
/// feature of their rule that at most `cap` facts hold. `owner(i)` is fact `i`'s rule and
/// document; `features[i]` its features.
fn candidate_pairs<'a>(
    features: &[Vec<(u32, f64)>],
    owner: impl Fn(usize) -> (&'a str, usize),
    cap: usize,
) -> Vec<(usize, usize)> {
    // Inverted index, per rule: feature id → facts, ascending.
    let mut postings: HashMap<(&str, u32), Vec<usize>> = HashMap::default();
    for (i, fv) in features.iter().enumerate() {
        for &(feat, _) in fv {
            postings.entry((owner(i).0, feat)).or_default().push(i);
        }
    }
    // Each pair once: the facts after `a` that share an uncapped feature with it, marked as
    // they are met so that a second shared feature does not list them again. (Posting
    // lists are ascending, so the facts after `a` are a list's tail.)
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut met_by: Vec<usize> = vec![usize::MAX; features.len()];
    for (a, fv) in features.iter().enumerate() {
        let (rule, doc) = owner(a);
        for &(feat, _) in fv {
            let Some(list) = postings.get(&(rule, feat)) else {
                continue;
            };
            if list.len() > cap {
                continue;
            }
            for &b in &list[list.partition_point(|&b| b <= a)..] {
                if met_by[b] != a && doc != owner(b).1 {
                    met_by[b] = a;
                    pairs.push((a, b));
                }
            }
        }
    }
    pairs
}

/// The sentence a group's id is derived from: the member with the smallest (document id,
/// sentence ordinal). Unlike the reference (the earliest published member), it does not
/// move when a publication date is corrected or an article named later is added, so the
/// id `{type}-{doc}-s{ordinal}` stays put and `compare diff` stays small.
pub fn anchor(group: &Group, docs: &[Document], sentences: &[Sentence]) -> usize {
    anchor_of(group.members.iter().map(|(si, _)| *si), docs, sentences)
}

/// [`anchor`] of a statement whose members are the sentences `members`.
fn anchor_of(
    members: impl Iterator<Item = usize>,
    docs: &[Document],
    sentences: &[Sentence],
) -> usize {
    members
        .min_by(|&a, &b| {
            let (sa, sb) = (&sentences[a], &sentences[b]);
            (docs[sa.doc].id.as_str(), sa.ordinal).cmp(&(docs[sb.doc].id.as_str(), sb.ordinal))
        })
        .expect("a group has at least one member")
}

/// A statement's id: `{type}-{article}-s{n}` of its anchor sentence (see [`anchor`]),
/// with `-{k}` when the anchor's first claim of the type in the statement is its k-th
/// claim of the type (k > 1: a sentence split between statements of one type).
pub fn statement_id(rule: &str, doc_id: &str, ordinal: usize, k: usize) -> SmolStr {
    if k > 1 {
        format_smolstr!("{rule}-{doc_id}-s{ordinal}-{k}")
    } else {
        format_smolstr!("{rule}-{doc_id}-s{ordinal}")
    }
}

fn facts<'a>(rules: &RuleSet, claims: &'a [Claim], sentences: &'a [Sentence]) -> Vec<Fact<'a>> {
    // The claims of each (sentence, type), in claim order (the claim's index is the last
    // field of the key).
    let mut keyed: Vec<(usize, &str, usize)> = claims
        .par_iter()
        .enumerate()
        .filter(|(_, c)| {
            matches!(
                rules.claim(&c.rule).map(|r| r.kind),
                Some(Kind::Quantity) | Some(Kind::Date) | Some(Kind::Name)
            )
        })
        .map(|(i, c)| (c.sentence, c.rule.as_str(), i))
        .collect();
    keyed.par_sort_unstable();
    // One fact per run of the same (sentence, type), made on every core: the facts are
    // fresh memory, whose first touch is most of their cost.
    let starts: Vec<usize> = (0..keyed.len())
        .into_par_iter()
        .filter(|&i| i == 0 || (keyed[i - 1].0, keyed[i - 1].1) != (keyed[i].0, keyed[i].1))
        .collect();
    let facts: Vec<Fact> = (0..starts.len())
        .into_par_iter()
        .map(|j| {
            let run = &keyed[starts[j]..starts.get(j + 1).copied().unwrap_or(keyed.len())];
            Fact {
                sentence: run[0].0,
                doc: sentences[run[0].0].doc,
                rule: run[0].1,
                claims: run.iter().map(|k| k.2).collect(),
            }
        })
        .collect();
    // A sentence whose claims of one type go with different keys (40 قتيلا و65 جريحا) is
    // one fact per key. Rare: the common path only looks.
    let split = |f: &Fact| f.claims.len() > 1 && sentences[f.sentence].parts().is_some();
    if !facts.iter().any(split) {
        return facts;
    }
    let mut out = Vec::with_capacity(facts.len() + 1);
    for f in facts {
        let parts = match sentences[f.sentence].parts() {
            Some(parts) if f.claims.len() > 1 => parts,
            _ => {
                out.push(f);
                continue;
            }
        };
        // `parts` follows the sentence's claims, which are one run of the corpus's. The
        // claims with the same marks (empty: the sentence's) are one fact.
        let first = claims.partition_point(|c| c.sentence < f.sentence);
        let own = |c: usize| parts.get(c - first).map_or(&[][..], Vec::as_slice);
        let at = out.len();
        for &c in &f.claims {
            match out[at..]
                .iter_mut()
                .find(|g: &&mut Fact| own(g.claims[0]) == own(c))
            {
                Some(g) => g.claims.push(c),
                None => out.push(Fact {
                    sentence: f.sentence,
                    doc: f.doc,
                    rule: f.rule,
                    claims: vec![c],
                }),
            }
        }
    }
    out
}

/// A sentence's marks (`lexicon:key`) by lexicon, as [`Scope::marks`] holds them.
fn marks_by_lexicon(marks: &[String]) -> Vec<(&str, Vec<&str>)> {
    let mut pairs: Vec<(&str, &str)> = marks.iter().filter_map(|m| m.split_once(':')).collect();
    pairs.sort_unstable();
    pairs.dedup();
    let mut by: Vec<(&str, Vec<&str>)> = Vec::new();
    for (lexicon, key) in pairs {
        match by.last_mut() {
            Some((l, keys)) if *l == lexicon => keys.push(key),
            _ => by.push((lexicon, vec![key])),
        }
    }
    by
}

/// Whether two facts may be one statement: compatible subjects, and no `distinguish`
/// word on each side that the other lacks (4200 troops to Mali, 6200 to Senegal).
fn compatible(a: &Scope, b: &Scope) -> bool {
    // Both lists are sorted.
    let within = |xs: &[&str], ys: &[&str]| xs.iter().all(|x| ys.binary_search(x).is_ok());
    let subjects = a.subjects.is_empty()
        || b.subjects.is_empty()
        || a.subjects
            .iter()
            .any(|x| b.subjects.binary_search(x).is_ok());
    // Per lexicon both name, one side's words must include the other's (a lexicon one
    // side does not name is the empty set there, a subset of anything).
    let marks = a.marks.iter().all(|(lexicon, xs)| {
        match b.marks.binary_search_by(|(l, _)| l.cmp(lexicon)) {
            Ok(j) => within(xs, &b.marks[j].1) || within(&b.marks[j].1, xs),
            Err(_) => true,
        }
    });
    subjects && marks
}

/// Where a sentence's key names words of the `align.distinguish` lexicons: (index in
/// `rules.distinguish`, byte range), whole words only. [`marks`] and [`terms`] share them.
pub fn distinguished(rules: &RuleSet, key: &str) -> Vec<(usize, std::ops::Range<usize>)> {
    let mut out = Vec::new();
    for (i, (_, words)) in rules.distinguish.iter().enumerate() {
        out.extend(
            words
                .find_iter(key)
                .map(|m| m.range())
                .filter(|r| crate::extract::at_word_edges(key, r.clone()))
                .map(|r| (i, r)),
        );
    }
    out
}

/// The `align.distinguish` lexicon keys a sentence names, as `lexicon:key`, from its
/// [`distinguished`] words.
pub fn marks(
    rules: &RuleSet,
    key: &str,
    distinguished: &[(usize, std::ops::Range<usize>)],
) -> Vec<String> {
    let mut out = BTreeSet::new();
    for (i, r) in distinguished {
        let Some(name) = rules.distinguish.get(*i).map(|(name, _)| name) else {
            continue;
        };
        let Some(lex) = rules.lexicon(name) else {
            continue;
        };
        if let Some(k) = key.get(r.clone()).and_then(|w| lex.canonical(w)) {
            out.insert(format!("{name}:{k}"));
        }
    }
    out.into_iter().collect()
}

/// The lexicon of a mark (`place` of `place:ML`).
fn lexicon(mark: &str) -> &str {
    mark.split_once(':').map_or("", |(l, _)| l)
}

/// Punctuation that ends a clause, for [`parts`].
const CLAUSE_ENDS: [char; 5] = ['،', '؛', ',', ';', ':'];

/// Which keys of the `align.distinguish` lexicons go with each claim of a sentence that
/// names several keys of one lexicon, when that tells two counts of one type apart:
/// `خلف الهجوم 40 قتيلا و65 جريحا` is 40 killed and 65 wounded, not two counts each of
/// the killed or the wounded; `1500 جندي إلى مالي و1000 جندي إلى النيجر` sends 1500 to
/// Mali and 1000 to Niger.
///
/// A word goes with the claim it is part of (قتيلا in `40 قتيلا`); else with the claim
/// before it in its clause (`1500 جندي إلى مالي`), or after it when a clause begins
/// between that one and the word (`وأصيب 65`, `وفي النيجر 1000 جندي`); a word before the
/// first claim or after the last goes with it unless a clause begins between them. A
/// clause begins at `،` `؛` `,` `;` `:` and at a word that is و before a number, a
/// stopword (وفي، وقال) or a word of an `align.distinguish` lexicon, unless that word
/// follows another word of the same lexicon (مالي والنيجر is one list of places).
/// A claim with no word of a lexicon of its own keeps every key the sentence names
/// there, as a sentence of one claim does.
///
/// Per claim of the sentence (`claims`, in order), its marks, empty for a claim that keeps
/// the sentence's; none when no type's claims differ, which is every sentence naming at
/// most one key of each lexicon: those are one fact per type, as ever. Only counts are
/// split: a sentence's dates, and its names, stay one fact of their type.
pub fn parts(
    rules: &RuleSet,
    s: normalize::Part,
    claims: &[Claim],
    distinguished: &[(usize, std::ops::Range<usize>)],
    marks: &[String],
) -> Option<Box<crate::model::Parts>> {
    // The common path allocates nothing: most sentences name at most one key of each
    // lexicon (marks are sorted, so a lexicon's keys are adjacent), or hold no two counts
    // of one type.
    if !marks
        .windows(2)
        .any(|w| lexicon(&w[0]) == lexicon(&w[1]) && !lexicon(&w[0]).is_empty())
    {
        return None;
    }
    let counted = |c: &Claim| {
        rules
            .claim(&c.rule)
            .is_some_and(|r| r.kind == Kind::Quantity)
    };
    if !claims
        .iter()
        .enumerate()
        .any(|(i, a)| counted(a) && claims[i + 1..].iter().any(|b| b.rule == a.rule))
    {
        return None;
    }

    let mut several: Vec<&str> = marks
        .windows(2)
        .filter(|w| lexicon(&w[0]) == lexicon(&w[1]) && !lexicon(&w[0]).is_empty())
        .map(|w| lexicon(&w[0]))
        .collect();
    several.dedup();
    let key = s.key();
    // The words of those lexicons: their mark and original range.
    let words: Vec<(String, std::ops::Range<usize>)> = distinguished
        .iter()
        .filter_map(|(i, r)| {
            let name = rules.distinguish.get(*i)?.0.as_str();
            if !several.contains(&name) {
                return None;
            }
            let k = rules.lexicon(name)?.canonical(key.get(r.clone())?)?;
            Some((format!("{name}:{k}"), s.original_span(r.clone())))
        })
        .collect();
    let breaks = clause_starts(rules, s, distinguished);
    // Whether a clause begins in `from..=to` (original offsets).
    let broken = |from: usize, to: usize| {
        let i = breaks.partition_point(|&b| b < from);
        breaks.get(i).is_some_and(|&b| b <= to)
    };

    let mut out: Vec<Vec<String>> = vec![Vec::new(); claims.len()];
    let mut split = false;
    let mut done: Vec<&str> = Vec::new();
    for (i, c) in claims.iter().enumerate() {
        if !counted(c) || done.contains(&c.rule.as_str()) {
            continue;
        }
        done.push(&c.rule);
        // The type's claims, in text order (they do not overlap).
        let of_type: Vec<usize> = (i..claims.len())
            .filter(|&j| claims[j].rule == c.rule)
            .collect();
        if of_type.len() < 2 {
            continue;
        }
        let spans: Vec<std::ops::Range<usize>> =
            of_type.iter().map(|&j| claims[j].span.clone()).collect();
        let mut own: Vec<Vec<&str>> = vec![Vec::new(); of_type.len()];
        for (mark, w) in &words {
            if let Some(k) = owner(&spans, w, broken) {
                own[k].push(mark);
            }
        }
        // A lexicon a claim has words of keeps only those; the others keep every key.
        let claim_marks: Vec<Vec<String>> = own
            .iter()
            .map(|own| {
                marks
                    .iter()
                    .filter(|m| {
                        own.contains(&m.as_str()) || !own.iter().any(|o| lexicon(o) == lexicon(m))
                    })
                    .cloned()
                    .collect()
            })
            .collect();
        if claim_marks.iter().any(|m| *m != claim_marks[0]) {
            split = true;
            for (&j, m) in of_type.iter().zip(claim_marks) {
                out[j] = m;
            }
        }
    }
    split.then(|| Box::new(crate::model::Parts(out)))
}

/// Which of a type's claims (`spans`, original ranges in text order) the word at `w` goes
/// with, by the rule of [`parts`]; `broken(from, to)` says whether a clause begins in
/// `from..=to`. None: the word is in a clause of no claim.
fn owner(
    spans: &[std::ops::Range<usize>],
    w: &std::ops::Range<usize>,
    broken: impl Fn(usize, usize) -> bool,
) -> Option<usize> {
    if let Some(k) = spans
        .iter()
        .position(|c| c.start < w.end && w.start < c.end)
    {
        return Some(k);
    }
    // The claims before the word, then the claim after it.
    let next = spans.partition_point(|c| c.end <= w.start);
    let before = next
        .checked_sub(1)
        .filter(|&b| !broken(spans[b].end, w.start));
    let after = spans
        .get(next)
        .filter(|n| !broken(w.end, n.start.saturating_sub(1)))
        .map(|_| next);
    before.or(after)
}

/// Where clauses begin in a sentence, by the rule of [`parts`]: original offsets, sorted.
fn clause_starts(
    rules: &RuleSet,
    s: normalize::Part,
    distinguished: &[(usize, std::ops::Range<usize>)],
) -> Vec<usize> {
    let key = s.key();
    let mut out: Vec<usize> = key
        .char_indices()
        .filter(|(_, c)| CLAUSE_ENDS.contains(c))
        .map(|(i, c)| s.original_span(i..i + c.len_utf8()).start)
        .collect();
    let lexicon_at = |w: &std::ops::Range<usize>| {
        distinguished
            .iter()
            .find(|(_, r)| r.start < w.end && w.start < r.end)
            .map(|(i, _)| *i)
    };
    let mut previous = None;
    for w in word_ranges(key) {
        let word = &key[w.clone()];
        let here = lexicon_at(&w);
        if let Some(rest) = word.strip_prefix('و') {
            let joined = rest.is_empty()
                || rest.starts_with(|c: char| c.is_ascii_digit())
                || rules.stopwords.contains(rest)
                || rules.stopwords.contains(word)
                || here.is_some_and(|l| {
                    previous != Some(l)
                        && rules
                            .distinguish
                            .get(l)
                            .and_then(|(name, _)| rules.lexicon(name))
                            .is_some_and(|lex| lex.canonical(rest).is_some())
                });
            if joined {
                out.push(s.original_span(w.clone()).start);
            }
        }
        previous = here;
    }
    out.sort_unstable();
    out
}

/// A sentence's topic words: stems of its words outside the claims (whose values and
/// names enter alignment as keys instead) and outside the stopwords. Words of the
/// `align.distinguish` lexicons (its [`distinguished`] words) come prefixed `~`: they
/// weigh in the similarity but are no topic.
#[inline(never)] // counted on its own by `benches/instructions.sh`
pub fn terms(
    rules: &RuleSet,
    s: crate::normalize::Part,
    claim_spans: &[std::ops::Range<usize>],
    distinguished: &[(usize, std::ops::Range<usize>)],
) -> Vec<SmolStr> {
    let key = s.key();
    let mut out = BTreeSet::new();
    // The claims' spans merged into disjoint runs in text order, passed with one cursor
    // as the words go by: testing every claim for every word is quadratic in a long
    // sentence.
    let mut spans = claim_spans.to_vec();
    spans.sort_by_key(|r| (r.start, r.end));
    let mut covered: Vec<std::ops::Range<usize>> = Vec::new();
    for r in spans {
        match covered.last_mut() {
            Some(last) if r.start < last.end => last.end = last.end.max(r.end),
            _ => covered.push(r),
        }
    }
    let mut next = 0;
    for w in word_ranges(key) {
        let word = &key[w.clone()];
        if rules.stopwords.contains(word) {
            continue;
        }
        let orig = s.original_span(w.clone());
        while next < covered.len() && covered[next].end <= orig.start {
            next += 1;
        }
        if covered[next..]
            .iter()
            .take_while(|r| r.start < orig.end)
            .any(|r| orig.start < r.end)
        {
            continue;
        }
        let st = stem(word);
        if st.chars().count() < 3
            || rules.stopwords.contains(&st)
            || st.chars().all(|c| c.is_ascii_digit())
        {
            continue;
        }
        // Words of the `align.distinguish` lexicons (places) are terms, but marked `~`:
        // they are no topic of their own (see `Weights::topic`).
        if distinguished
            .iter()
            .any(|(_, r)| r.start < w.end && w.start < r.end)
        {
            out.insert(format_smolstr!("~{st}"));
        } else {
            out.insert(SmolStr::from(st));
        }
    }
    out.into_iter().collect()
}

/// Light stemming for topic overlap: drop proclitics and the article, then one common
/// suffix and a final long vowel or ت, so هاتفيا / هاتفية, العسكري / العسكرية, قيمة /
/// قيمتها and سحب / سحبت meet.
pub fn stem(word: &str) -> String {
    let mut w: &str = word;
    let len = |s: &str| s.chars().count();
    for p in ["وال", "بال", "فال", "كال", "لل", "ال"] {
        if let Some(rest) = w.strip_prefix(p) {
            if len(rest) >= 3 {
                w = rest;
                break;
            }
        }
    }
    if w == word {
        if let Some(rest) = w.strip_prefix(['و', 'ف', 'ب', 'ل']) {
            if len(rest) >= 4 {
                w = rest;
                if let Some(r2) = w.strip_prefix("ال") {
                    if len(r2) >= 3 {
                        w = r2;
                    }
                }
            }
        }
    }
    for s in ["هما", "ها", "هم", "ات", "ون", "ين", "يه", "يا", "ان"] {
        if let Some(rest) = w.strip_suffix(s) {
            if len(rest) >= 3 {
                w = rest;
                break;
            }
        }
    }
    for s in ["ه", "ي", "ا", "ت"] {
        if let Some(rest) = w.strip_suffix(s) {
            if len(rest) >= 3 {
                w = rest;
                break;
            }
        }
    }
    // Arabic letters have no case: only words with other letters need the lowercase
    // tables, which are slow to search for Arabic.
    if w.chars().all(|c| ('\u{0600}'..='\u{06FF}').contains(&c)) {
        w.to_string()
    } else {
        w.to_lowercase()
    }
}

/// Every fact's features as ids, and what kind of feature each id is.
struct FeatureIds {
    /// Per fact, its distinct feature ids: terms, place words and marks, other names,
    /// claim keys.
    of: Vec<Vec<u32>>,
    /// By id: names and claim keys, which weigh double.
    key: Vec<bool>,
    /// By id: context shared by every statement of a kind (units, months, places), left
    /// out of the topic.
    context: Vec<bool>,
}

/// Per fact of a story, sorted (feature id, weight) lists with IDF weights over the
/// story's facts.
struct Weights {
    /// Every feature.
    all: Vec<Vec<(u32, f64)>>,
    /// The topic alone: what the sentence is about beyond the unit, month and places it
    /// shares with every statement of its kind in the story (terms, other names,
    /// subjects).
    topic: Vec<Vec<(u32, f64)>>,
}

impl FeatureIds {
    /// The weights of the facts of one story (`story`: indices in `facts`), in its order.
    /// Document frequencies are counted within the story: what every sentence of a story
    /// shares (its place, its main actors) says nothing about which of its statements a
    /// sentence is.
    fn weigh(&self, story: &[usize]) -> Weights {
        let n = story.len() as f64;
        let mut df: HashMap<u32, usize> = HashMap::default();
        for &fi in story {
            for &t in &self.of[fi] {
                *df.entry(t).or_default() += 1;
            }
        }
        let all: Vec<Vec<(u32, f64)>> = story
            .iter()
            .map(|&fi| {
                let mut v: Vec<(u32, f64)> = self.of[fi]
                    .iter()
                    .map(|&t| {
                        let idf = (1.0 + n / df[&t] as f64).ln();
                        let boost = if self.key[t as usize] { 2.0 } else { 1.0 };
                        (t, idf * boost)
                    })
                    .collect();
                v.sort_by_key(|x| x.0);
                v
            })
            .collect();
        let topic = all
            .iter()
            .map(|v| {
                v.iter()
                    .copied()
                    .filter(|&(t, _)| !self.context[t as usize])
                    .collect()
            })
            .collect();
        Weights { all, topic }
    }
}

/// Facts whose features are named at once before they get ids.
const NAMING_CHUNK: usize = 16_384;

fn feature_ids(sentences: &[Sentence], claims: &[Claim], facts: &[Fact]) -> FeatureIds {
    feature_ids_named(sentences, claims, facts).0
}

/// [`feature_ids`], and the features' names by id (for `compare why`).
fn feature_ids_named(
    sentences: &[Sentence],
    claims: &[Claim],
    facts: &[Fact],
) -> (FeatureIds, HashMap<SmolStr, u32>) {
    // Names and values enter as language-independent keys (entity ids, subjects,
    // numbers, dates); the words of the sentence are its `terms`.
    // Features are `SmolStr`s: most are short enough to be held inline, without an
    // allocation each (a large corpus names millions).
    let mut entities: HashMap<usize, BTreeSet<SmolStr>> = HashMap::default();
    for c in claims {
        if let Value::Name { entity, .. } = &c.value {
            entities
                .entry(c.sentence)
                .or_default()
                .insert(format_smolstr!("@{entity}"));
        }
    }
    // Each fact's features are found in parallel, a chunk of facts at a time; ids are then
    // given in fact order, as one thread would give them, and the chunk's names dropped.
    let name = |f: &Fact| {
        let s = &sentences[f.sentence];
        let mut feats: BTreeSet<SmolStr> = s.terms().iter().cloned().collect();
        feats.extend(
            f.marks(sentences, claims)
                .iter()
                .map(|m| format_smolstr!("={m}")),
        );
        // For name facts, the fact's own names are left out, so a role filled by another
        // person still meets the original and conflicts with it.
        if let Some(es) = entities.get(&f.sentence) {
            let own: BTreeSet<SmolStr> = f
                .claims
                .iter()
                .filter_map(|&c| match &claims[c].value {
                    Value::Name { entity, .. } => Some(format_smolstr!("@{entity}")),
                    _ => None,
                })
                .collect();
            feats.extend(es.difference(&own).cloned());
        }
        for &c in &f.claims {
            feats.extend(claim_keys(f.rule, &claims[c].value));
        }
        feats
    };
    let mut ids: HashMap<SmolStr, u32> = HashMap::default();
    let mut of: Vec<Vec<u32>> = Vec::with_capacity(facts.len());
    let give =
        |named: Vec<BTreeSet<SmolStr>>, ids: &mut HashMap<SmolStr, u32>, of: &mut Vec<Vec<u32>>| {
            for feats in named {
                let v: Vec<u32> = feats
                    .into_iter()
                    .map(|t| {
                        let n = ids.len() as u32;
                        *ids.entry(t).or_insert(n)
                    })
                    .collect();
                of.push(v);
            }
        };
    // Giving ids is one thread's work: it gives the previous chunk's while the next
    // chunk is named, so no core waits for it but on the last chunk.
    let mut named: Vec<BTreeSet<SmolStr>> = Vec::new();
    for chunk in facts.chunks(NAMING_CHUNK) {
        let previous = std::mem::take(&mut named);
        named = rayon::join(
            || give(previous, &mut ids, &mut of),
            || chunk.par_iter().map(name).collect(),
        )
        .1;
    }
    give(named, &mut ids, &mut of);
    // Names and claim keys say more about what a sentence reports than any one word.
    let mut key = vec![false; ids.len()];
    let mut context = vec![false; ids.len()];
    for (t, &i) in &ids {
        key[i as usize] = t.starts_with(['@', '$', '=']);
        context[i as usize] = t.starts_with(['=', '~']);
    }
    (FeatureIds { of, key, context }, ids)
}

/// Language-independent keys of a claim: whose (troops) and what unit for quantities, the
/// month of a date (known even when the year is not). Never the number itself: a changed
/// figure must still meet the original and conflict with it, not drift away as a new
/// statement.
fn claim_keys(rule: &str, v: &Value) -> Vec<SmolStr> {
    match v {
        Value::Quantity { subject, unit, .. } => {
            let mut k = vec![format_smolstr!("={rule}:{}", unit.as_deref().unwrap_or(""))];
            if let Some(s) = subject {
                k.push(format_smolstr!("${rule}:{s}"));
            }
            k
        }
        Value::Date(d) => {
            let mut k = Vec::new();
            let parts: Vec<&str> = d.iso.split('-').collect();
            if let Some(m) = parts
                .get(1)
                .filter(|m| m.len() == 2 && m.chars().all(|c| c.is_ascii_digit()))
            {
                k.push(format_smolstr!("=month:{m}"));
            }
            k
        }
        Value::Name { .. } => Vec::new(),
    }
}

/// What two sorted feature vectors share: how many features, and their dot product.
fn overlap(a: &[(u32, f64)], b: &[(u32, f64)]) -> (usize, f64) {
    let (mut i, mut j, mut n, mut dot) = (0, 0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                dot += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    (n, dot)
}

fn cosine(a: &[(u32, f64)], b: &[(u32, f64)]) -> f64 {
    let (_, dot) = overlap(a, b);
    let norm = |v: &[(u32, f64)]| v.iter().map(|x| x.1 * x.1).sum::<f64>().sqrt();
    let d = norm(a) * norm(b);
    if d == 0.0 {
        0.0
    } else {
        dot / d
    }
}

/// [`normalize::is_word_char`] of every char below U+0800, by code point.
static TWO_BYTE_WORD_CHARS: std::sync::LazyLock<[bool; 0x800]> = std::sync::LazyLock::new(|| {
    std::array::from_fn(|c| {
        u32::try_from(c)
            .ok()
            .and_then(char::from_u32)
            .is_some_and(normalize::is_word_char)
    })
});

/// Word ranges of a key (letters and digits).
///
/// Run on every sentence (the name search) and every sentence with a claim (alignment
/// terms), so it reads bytes: ASCII bytes and two-byte characters (Arabic) are read
/// inline and looked up, where `char_indices` and `is_word_char` cost several times more.
pub fn word_ranges(key: &str) -> Vec<std::ops::Range<usize>> {
    let bytes = key.as_bytes();
    // Words average more than six bytes with their space: one allocation for most keys.
    let mut out = Vec::with_capacity(bytes.len() / 6 + 1);
    // Whether the char at `i` is a word char, and its width. Inlined by force: the two
    // loops below are the whole function, and a call per character doubled its cost
    // in builds where the compiler chose not to inline it.
    #[inline(always)]
    fn class(key: &str, two_byte: &[bool; 0x800], i: usize) -> (bool, usize) {
        let bytes = key.as_bytes();
        let b = bytes[i];
        match b {
            0..0x80 => (b.is_ascii_alphanumeric(), 1),
            // A two-byte character (U+0080 to U+07FF, Arabic among them), read in a table.
            0xC2..0xE0 if i + 1 < bytes.len() => {
                let c = (usize::from(b & 0x1F) << 6) | usize::from(bytes[i + 1] & 0x3F);
                (two_byte[c], 2)
            }
            _ => {
                let c = key[i..].chars().next().unwrap_or(' ');
                (normalize::is_word_char(c), c.len_utf8())
            }
        }
    }
    let two_byte: &[bool; 0x800] = &TWO_BYTE_WORD_CHARS;
    let mut i = 0;
    // Between words, then through a word, each in a loop of its own.
    while i < bytes.len() {
        let (word, width) = class(key, two_byte, i);
        if !word {
            i += width;
            continue;
        }
        let start = i;
        let mut end = bytes.len();
        i += width;
        while i < bytes.len() {
            let (word, width) = class(key, two_byte, i);
            if !word {
                // The char that ends the word is stepped over, not read again.
                end = i;
                i += width;
                break;
            }
            i += width;
        }
        out.push(start..end);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::shipped;

    /// `word_ranges` as it was written first, one decoded char at a time.
    fn word_ranges_by_char(key: &str) -> Vec<std::ops::Range<usize>> {
        let mut out = Vec::new();
        let mut start = None;
        for (i, c) in key.char_indices() {
            match (normalize::is_word_char(c), start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    out.push(s..i);
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = start {
            out.push(s..key.len());
        }
        out
    }

    #[test]
    fn word_ranges_cover_letters_and_digits_of_every_script() {
        let key = "قال 1500 جندي، Niger's ٣٫٥٪ ۱۲ — ÉTÉ żołnierzy 兵士 𐐷x ﷲ.";
        let words: Vec<&str> = word_ranges(key).into_iter().map(|r| &key[r]).collect();
        assert_eq!(
            words.join("|"),
            "قال|1500|جندي|Niger|s|٣|٥|۱۲|ÉTÉ|żołnierzy|兵士|𐐷x|ﷲ"
        );
        assert_eq!(word_ranges(key), word_ranges_by_char(key));
    }

    proptest::proptest! {
        #[test]
        fn word_ranges_read_bytes_as_chars_do(key in crate::normalize::text_from(&["\\PC", "[\u{0600}-\u{06FF}]"], 40)) {
            proptest::prop_assert_eq!(word_ranges(&key), word_ranges_by_char(&key));
        }
    }

    #[test]
    fn stems_meet_across_inflections() {
        assert_eq!(stem("هاتفيا"), stem("هاتفيه"));
        assert_eq!(stem("العسكري"), stem("العسكريه"));
        assert_eq!(stem("بالغاء"), stem("الغاء"));
        assert_eq!(stem("اتفاق"), stem("اتفاقها"));
    }

    #[test]
    fn stems_are_lowercase_in_any_script() {
        assert_eq!(stem("Niger"), "niger");
        assert_eq!(stem("NIGER"), stem("niger"));
        assert_eq!(stem("ΑΘΗΝΑ"), "αθηνα");
        assert_eq!(stem("الجيش"), "جيش");
    }

    #[test]
    fn stems_meet_across_a_final_t() {
        assert_eq!(stem("سحبت"), stem("سحب"));
        assert_eq!(stem("قيمتها"), stem("قيمه"));
    }

    /// One story's articles, as (outlet, body); the statements as (type, verdict, outlets).
    fn statements(rules: &RuleSet, articles: &[(&str, &str)]) -> Vec<(String, String, usize)> {
        let dir = tempfile::tempdir().unwrap();
        for (i, (outlet, body)) in articles.iter().enumerate() {
            let text = format!(
                "+++\noutlet = \"{outlet}\"\npublished = 2024-03-30\nstory = \"s\"\n+++\n\n{body}\n"
            );
            std::fs::write(dir.path().join(format!("a{i}.md")), text).unwrap();
        }
        let outcome =
            crate::analyse(dir.path(), rules, crate::ingest::ReadOptions::default()).unwrap();
        let mut out: Vec<_> = outcome
            .report
            .statements
            .iter()
            .map(|s| (s.kind.to_string(), s.verdict.to_string(), s.members.len()))
            .collect();
        out.sort();
        out
    }

    const AID: &str = "وأعلنت فرنسا عن حزمة مساعدات بقيمة 86 مليون دولار لصالح موريتانيا.";
    const ARRIVAL: &str = "وحطت أولى طائرات النقل العسكري في مطار نواكشوط في 24 مارس.";
    const STORY: &[(&str, &str)] = &[
        ("أ", "وأعلنت فرنسا عن حزمة مساعدات بقيمة 86 مليون دولار لصالح موريتانيا. وحطت أولى طائرات النقل العسكري في مطار نواكشوط في 24 مارس."),
        ("ب", "وأعلنت فرنسا عن حزمة مساعدات بقيمة 86 مليون دولار لصالح موريتانيا. وحطت أولى طائرات النقل العسكري في مطار نواكشوط في 24 مارس."),
        // Another deal, and another date, of the same story, kind, currency and places.
        ("ج", "ووقعت موريتانيا مع فرنسا صفقة أسلحة بقيمة 397 مليون دولار. وأبرمت إيطاليا اتفاقية التعاون العسكري مع موريتانيا في 7 مارس بعد مفاوضات طويلة."),
        // A paraphrase of the aid, sharing one content word with it.
        ("د", "وستحصل موريتانيا على مساعدات من فرنسا تبلغ قيمتها 86 مليون دولار."),
    ];

    #[test]
    fn facts_sharing_only_unit_month_and_places_stay_apart() {
        assert!(STORY[0].1.contains(AID) && STORY[0].1.contains(ARRIVAL));
        let want = [
            ("date", "agree", 2),
            ("date", "single", 1),
            ("money", "agree", 3),
            ("money", "single", 1),
        ]
        .map(|(k, v, n)| (k.to_string(), v.to_string(), n));
        assert_eq!(statements(shipped(), STORY), want);
    }

    #[test]
    fn without_a_topic_floor_they_conflict() {
        // The case above fails without `align.min_topic`: the shared keys carry the pair.
        let mut rules = shipped().clone();
        rules.min_topic = 0.0;
        let got = statements(&rules, STORY);
        assert!(got.iter().any(|s| s.1 == "conflict"), "{got:?}");
    }

    /// A fact's scope with the given subjects and marks (`lexicon:key`).
    fn fact<'a>(subjects: &[&'a str], marks: &'a [String]) -> Scope<'a> {
        let mut subjects = subjects.to_vec();
        subjects.sort_unstable();
        Scope {
            subjects,
            marks: marks_by_lexicon(marks),
        }
    }

    #[test]
    fn marks_are_grouped_by_lexicon_sorted_and_once() {
        let marks = ["place:NE", "power:RU", "place:ML", "place:NE", "bare"].map(String::from);
        assert_eq!(
            marks_by_lexicon(&marks),
            vec![("place", vec!["ML", "NE"]), ("power", vec!["RU"])]
        );
    }

    #[test]
    fn compatible_facts_nest_their_places_and_share_a_subject() {
        let marks = |ms: &[&str]| ms.iter().map(|m| m.to_string()).collect::<Vec<_>>();
        let (ml, ml_ne, ne) = (
            marks(&["place:ML"]),
            marks(&["place:ML", "place:NE"]),
            marks(&["place:NE"]),
        );
        let (ru, none) = (marks(&["power:RU"]), Vec::new());
        // One side's places include the other's, either way round.
        assert!(compatible(&fact(&[], &ml), &fact(&[], &ml_ne)));
        assert!(compatible(&fact(&[], &ml_ne), &fact(&[], &ml)));
        // Mali against Niger: two events.
        assert!(!compatible(&fact(&[], &ml), &fact(&[], &ne)));
        // A lexicon one side does not name constrains nothing.
        assert!(compatible(&fact(&[], &ml), &fact(&[], &ru)));
        assert!(compatible(&fact(&[], &none), &fact(&[], &ne)));
        // Subjects: none on a side, or one in common.
        assert!(compatible(&fact(&["FR"], &none), &fact(&[], &none)));
        assert!(compatible(
            &fact(&["FR", "US"], &none),
            &fact(&["RU", "US"], &none)
        ));
        assert!(!compatible(&fact(&["FR"], &none), &fact(&["RU"], &none)));
    }

    proptest::proptest! {
        /// The pairs are those of every shared, uncapped feature of one rule across two
        /// documents, each once: what listing every posting list's pairs, then sorting
        /// and deduplicating them, gives.
        #[test]
        fn candidate_pairs_are_each_shared_feature_s_pairs_once(
            facts in proptest::collection::vec(
                // A fact's features are distinct ids, as `weigh` gives them.
                (0usize..2, 0usize..4, proptest::collection::btree_set(0u32..6, 0..4)),
                0..24,
            ),
            cap in 1usize..8,
        ) {
            let rules = ["troops", "date"];
            let features: Vec<Vec<(u32, f64)>> = facts
                .iter()
                .map(|(_, _, fv)| fv.iter().map(|&f| (f, 1.0)).collect())
                .collect();
            let owner = |i: usize| (rules[facts[i].0], facts[i].1);
            let mut want = Vec::new();
            for rule in rules {
                for feat in 0..6 {
                    let holders: Vec<usize> = (0..facts.len())
                        .filter(|&i| owner(i).0 == rule && features[i].iter().any(|f| f.0 == feat))
                        .collect();
                    if holders.len() > cap {
                        continue;
                    }
                    for (k, &a) in holders.iter().enumerate() {
                        for &b in &holders[k + 1..] {
                            if owner(a).1 != owner(b).1 {
                                want.push((a, b));
                            }
                        }
                    }
                }
            }
            want.sort_unstable();
            want.dedup();
            // Sorted, but not deduplicated: a pair listed twice would show.
            let mut got = candidate_pairs(&features, owner, cap);
            got.sort_unstable();
            proptest::prop_assert_eq!(got, want);
        }
    }

    /// Each count of a one-sentence article (`text`) with the marks it is aligned by, as
    /// `value: marks`.
    fn count_marks(text: &str) -> Vec<String> {
        let rules = shipped();
        let article = format!("+++\noutlet = \"x\"\npublished = 2024-05-02\n+++\n\n{text}\n");
        let (_, sentences, claims) = crate::analyse_bytes(
            "x.md",
            article.as_bytes(),
            rules,
            crate::ingest::ReadOptions::default(),
        )
        .expect("article");
        claims
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                rules
                    .claim(&c.rule)
                    .is_some_and(|r| r.kind == Kind::Quantity)
            })
            .map(|(i, c)| {
                let s = &sentences[c.sentence];
                let first = claims.partition_point(|d| d.sentence < c.sentence);
                let own = s.parts().map_or(&[][..], |p| p[i - first].as_slice());
                let marks = if own.is_empty() { s.marks() } else { own };
                format!("{}: {}", crate::verdict::display(&c.value), marks.join(" "))
            })
            .collect()
    }

    #[test]
    fn each_count_goes_with_the_keys_of_its_own_clause() {
        let table: &[(&str, &[&str])] = &[
            // The casualty word is part of the count.
            (
                "خلف الهجوم على قرية في شمال بوركينا فاسو 40 قتيلا و65 جريحا.",
                &[
                    "40 person: casualty:killed place:BF",
                    "65 person: casualty:wounded place:BF",
                ],
            ),
            // Before the count: a clause begins at و before a casualty word.
            (
                "أسفر الهجوم عن مقتل 40 شخصا وإصابة 65 شخصا.",
                &["40 person: casualty:killed", "65 person: casualty:wounded"],
            ),
            (
                "قتل 40 شخصا وأصيب 65 شخصا في الهجوم.",
                &["40 person: casualty:killed", "65 person: casualty:wounded"],
            ),
            // The place after its count, up to the next clause (و1000); روسيا, before
            // the first count, goes with it.
            (
                "وأرسلت روسيا 1500 جندي إلى مالي و1000 جندي إلى النيجر.",
                &[
                    "1500 soldier (RU): place:ML place:RU",
                    "1000 soldier (RU): place:NE",
                ],
            ),
            // The place before its count, from the clause's start (وفي).
            (
                "ونشرت روسيا في مالي 1500 جندي وفي النيجر 1000 جندي.",
                &[
                    "1500 soldier (RU): place:ML place:RU",
                    "1000 soldier: place:NE",
                ],
            ),
            // A list of places is one clause: both counts keep both places.
            (
                "ونشرت القوات 1500 جندي و1000 جندي في مالي والنيجر.",
                &[
                    "1500 soldier: place:ML place:NE",
                    "1000 soldier: place:ML place:NE",
                ],
            ),
            // One casualty key, kept by both; two places, one each.
            (
                "قتل 40 شخصا في مالي و12 شخصا في النيجر أمس.",
                &[
                    "40 person: casualty:killed place:ML",
                    "12 person: casualty:killed place:NE",
                ],
            ),
            // One key of each lexicon: nothing to tell apart.
            (
                "قتل 40 شخصا و12 شخصا في هجومين على قرى في مالي.",
                &[
                    "40 person: casualty:killed place:ML",
                    "12 person: casualty:killed place:ML",
                ],
            ),
            // No clause begins before أصيب (فيما is no cue): it goes with the count
            // before it, and the other count, with no word of its own, keeps both.
            (
                "قتل 40 شخصا فيما أصيب 65 شخصا.",
                &[
                    "40 person: casualty:killed casualty:wounded",
                    "65 person: casualty:killed casualty:wounded",
                ],
            ),
        ];
        for (text, want) in table {
            assert_eq!(count_marks(text), *want, "{text}");
        }
    }

    #[test]
    fn cosine_of_identical_is_one() {
        let a = vec![(1, 1.0), (3, 2.0)];
        assert!((cosine(&a, &a) - 1.0).abs() < 1e-9);
        assert_eq!(cosine(&a, &[(2, 1.0)]), 0.0);
    }
}
