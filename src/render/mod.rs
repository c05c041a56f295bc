//! Stage 10, render: pipeline results → the page model ([`Report`], which is also
//! `report.json` schema 1) → `report.md` and the HTML pages.
//!
//! Steps: build the report once from documents, sentences, claims, entities and groups
//! (diffs included); serialise it as JSON; render the Markdown overview and every HTML
//! page from it. Renderers see only the report, so `compare diff` and other tools read
//! exactly what the pages show, values as ids and codes (`display`) where the pages give
//! names and words (`shown`, which report.json leaves out). Every list is sorted; nothing depends on the clock, the
//! machine or the order files were listed in.

pub mod html;
pub mod markdown;
mod overview;
pub mod timeline;

use crate::diff::{self, Change, Op};
use crate::extract::{format_number, value_text};
pub use crate::ingest::{outlet_counts, outlet_unknown};
pub use crate::model::TextSlice;
use crate::model::{Claim, Document, Entity, Group, MatchHow, Sentence, Span, Value, Verdict};
use crate::verdict;
pub use crate::verdict::{readable, unknown_articles, values_text};
use foldhash::HashMap;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use smol_str::format_smolstr;
pub use smol_str::SmolStr;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::ops::Range;
use std::sync::Arc;

/// The version of report.json's shape; bumped on any incompatible change.
pub const SCHEMA: u32 = 1;

/// Everything the report says, in the shape of report.json.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub schema: u32,
    pub corpus: Corpus,
    pub documents: Vec<DocumentOut>,
    #[serde(serialize_with = "one_per_line")]
    pub claims: Vec<ClaimOut>,
    pub entities: Vec<EntityOut>,
    pub statements: Vec<StatementOut>,
    /// Each value as the pages show it, by its `display`; not in report.json.
    #[serde(skip)]
    pub words: ValueWords,
}

/// The values as the pages and report.md show them, in names and words (`~1000 soldiers
/// (US)`, `mid-March (year unknown)`, `عبد الرحمن تياني`: [`verdict::Wording::shown`]),
/// by the `display` that report.json keeps (`~1000 soldier (US)`, `XXXX-03 (mid)`,
/// `tiani`). A value's words follow from its display alone, so one entry serves every
/// claim and statement member that gives the value, where a copy on each took 50 MB at
/// 100 000 articles; a display missing here (its words are the same, or the report was
/// read back from report.json) is shown as it is. Shared by each story's report.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ValueWords(Arc<HashMap<SmolStr, SmolStr>>);

impl ValueWords {
    /// The words of the claims' values, where they differ from their display. Made
    /// before the claims are given up, so that no list of a word per claim is held
    /// beside them at the report's largest moment.
    fn of_claims(claims: &[Claim], wording: &verdict::Wording) -> ValueWords {
        let mut map = claims
            .par_iter()
            .fold(HashMap::<SmolStr, SmolStr>::default, |mut map, c| {
                let display = verdict::display(&c.value);
                if !map.contains_key(display.as_str()) {
                    let words = wording.shown(&c.value);
                    if words != display {
                        map.insert(display.into(), words.into());
                    }
                }
                map
            })
            .reduce(HashMap::default, |mut a, b| {
                a.extend(b);
                a
            });
        map.shrink_to_fit();
        ValueWords(Arc::new(map))
    }

    /// The words of the values of a report read back from report.json, which keeps only
    /// their display (`compare diff`): each claim's value is made again from its record
    /// (its number, qualifier, unit and subject; its ISO date, precision and part; its
    /// entity, named as the report's `entities` name it, else as `wording` does) and
    /// worded as the pages word it. A record that does not give its display back is
    /// shown as it is.
    pub fn of_records(
        claims: &[ClaimOut],
        entities: &[EntityOut],
        wording: &verdict::Wording,
    ) -> ValueWords {
        let wording = wording.with_names(
            entities
                .iter()
                .map(|e| (e.id.as_str(), e.canonical.as_str())),
        );
        let mut map: HashMap<SmolStr, SmolStr> = HashMap::default();
        for c in claims {
            if map.contains_key(&c.display) {
                continue;
            }
            let Some(value) = claim_value(c) else {
                continue;
            };
            if verdict::display(&value) != c.display {
                continue;
            }
            let words = wording.shown(&value);
            if words != c.display {
                map.insert(c.display.clone(), words.into());
            }
        }
        ValueWords(Arc::new(map))
    }

    /// A value's words, by its display.
    pub fn of<'a>(&'a self, display: &'a str) -> &'a str {
        self.0.get(display).map_or(display, SmolStr::as_str)
    }

    /// The words of a list of values (a statement member's), in order.
    pub fn list<'a, S: AsRef<str>>(&'a self, displays: &'a [S]) -> Vec<&'a str> {
        displays.iter().map(|d| self.of(d.as_ref())).collect()
    }
}

/// What a single-source statement's "Elsewhere in the story" says: each of its values
/// other outlets give in other sentences, in words, with them (`فاغنر by العربية; 100
/// people by B`).
pub fn elsewhere_text(s: &StatementOut, words: &ValueWords) -> String {
    let parts: Vec<String> = s
        .elsewhere
        .iter()
        .map(|e| e.told(words.of(&e.value)))
        .collect();
    parts.join("; ")
}

/// Serialise a list of records (claims, sentences, diff runs…) with each record compact on
/// a line of its own, however deep the list is indented: a record is then one line of
/// report.json, which keeps a diff of two reports readable (the changed line carries its
/// record's id) and the file a fifth smaller than with every field on a line.
fn one_per_line<S: serde::Serializer, T: Serialize>(items: &[T], s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::{Error, SerializeSeq};
    let mut seq = s.serialize_seq(Some(items.len()))?;
    for item in items {
        seq.serialize_element(&serde_json::value::to_raw_value(item).map_err(S::Error::custom)?)?;
    }
    seq.end()
}

/// Serialise a short list of values (claim ids, values, spellings) compact, on one line.
fn on_one_line<S: serde::Serializer, T: Serialize>(item: &T, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::Error;
    serde_json::value::to_raw_value(item)
        .map_err(S::Error::custom)?
        .serialize(s)
}

/// Counts for the overview line and CI summaries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Corpus {
    /// Articles compared: those with any text left once boilerplate was set aside.
    pub articles: usize,
    /// Articles read but not compared: empty, or nothing but boilerplate (set aside). They
    /// are in `documents` with their set-aside text and a note, and count in no other
    /// number here (`articles + without_text` is the length of `documents`).
    #[serde(default)]
    pub without_text: usize,
    /// Distinct outlets of the articles compared; an article whose outlet was not found is
    /// not one of them, and is counted in `outlet_unknown` instead.
    pub outlets: usize,
    /// Articles compared whose outlet was not found (their `outlet_source` is `file
    /// name`): each could be from any outlet, another article's included.
    #[serde(default)]
    pub outlet_unknown: usize,
    /// Earliest and latest publication date of the articles compared, when any is known.
    pub first_published: Option<String>,
    pub last_published: Option<String>,
    pub claims: usize,
    pub statements: usize,
    pub by_verdict: BTreeMap<String, usize>,
    pub by_type: BTreeMap<String, usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentOut {
    /// The file stem.
    pub id: String,
    /// Path relative to the seeds folder.
    pub path: String,
    pub title: String,
    /// The outlet's name, or `unknown outlet of {path}` when none was found: one per
    /// article, so two articles of unknown outlet are never taken for one outlet.
    pub outlet: String,
    /// `front matter`, `metadata line`, or `file name` when no outlet was found (and
    /// `outlet` names the file).
    pub outlet_source: String,
    pub published: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub lang: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub story: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    pub sentences: Sentences,
    #[serde(serialize_with = "one_per_line")]
    pub excluded: Vec<ExcludedOut>,
    /// The site page that shows it, from the site root: its story's documents page
    /// (`documents/{story}.html`, then `documents/{story}.p2.html`…), which holds
    /// [`DOCUMENTS_PER_PAGE`] of the story's articles in id order. The article is the
    /// section `#{slug(id)}` of that page, its sentence *n* `#{slug(id)}-s{n}`.
    #[serde(default)]
    pub page: String,
}

impl DocumentOut {
    /// Whether it was compared: it has a sentence, some text left once boilerplate was
    /// set aside. An article without is read and shown, but counts as no article.
    pub fn compared(&self) -> bool {
        !self.sentences.is_empty()
    }

    /// Whether its outlet was found (in front matter or on a metadata line), rather than
    /// named after its file.
    pub fn outlet_known(&self) -> bool {
        self.outlet_source != crate::model::OUTLET_UNKNOWN
    }

    /// Its link from a page `depth` folders below the site root.
    pub fn href(&self, depth: usize) -> String {
        let mut out = String::with_capacity(3 * depth + self.page.len() + self.id.len() + 16);
        anchor_href_into(&mut out, depth, &self.page, &self.id);
        out
    }

    /// The link to its sentence `n` from a page `depth` folders below the site root,
    /// written at the end of `out`.
    pub fn sentence_href_into(&self, out: &mut String, depth: usize, n: usize) {
        anchor_href_into(out, depth, &self.page, &self.id);
        let _ = write!(out, "-s{n}");
    }
}

/// At most this many articles share a documents page (see [`STATEMENTS_PER_PAGE`]).
pub const DOCUMENTS_PER_PAGE: usize = 20;

/// A document's sentences as the report holds them: one copy of their text, and each
/// sentence's id, line and place in it, rather than a record with a text of its own per
/// sentence (millions in a large corpus). Read one at a time as [`SentenceOut`]s;
/// serialised as a list of them, one to a line.
#[derive(Clone)]
pub struct Sentences {
    text: Arc<str>,
    /// Per sentence: its id, its line, and its byte range in `text`, all `u32`: 16 bytes
    /// a sentence where `usize` offsets took 24 (a large corpus has millions).
    spans: Vec<(u32, u32, Range<u32>)>,
}

impl Sentences {
    /// Sentences from `(id, line, range in text)`; each range must lie within `text`, on
    /// character boundaries, and `text` must be shorter than 4 GiB.
    fn new(text: Arc<str>, spans: Vec<(u32, u32, Range<u32>)>) -> Sentences {
        assert!(
            u32::try_from(text.len()).is_ok()
                && spans
                    .iter()
                    .all(|(_, _, r)| text.get(r.start as usize..r.end as usize).is_some()),
            "a sentence lies within its document's text, on character boundaries"
        );
        Sentences { text, spans }
    }

    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// The bytes of the document's text the sentences lie in (what a page that shows
    /// them needs room for).
    pub fn text_len(&self) -> usize {
        self.text.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// The `i`-th sentence (0-based, in the document's order). Panics past the end, as
    /// indexing a list does.
    pub fn at(&self, i: usize) -> SentenceOut {
        let (id, line, range) = &self.spans[i];
        SentenceOut {
            id: *id as usize,
            line: *line as usize,
            // `new` checked every range once.
            text: TextSlice::prechecked(&self.text, range.start as usize..range.end as usize),
        }
    }

    /// The id of the `i`-th sentence, without making the sentence.
    pub fn id(&self, i: usize) -> usize {
        self.spans[i].0 as usize
    }

    /// The line of the `i`-th sentence, without making the sentence.
    pub fn line(&self, i: usize) -> usize {
        self.spans[i].1 as usize
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = SentenceOut> + '_ {
        (0..self.len()).map(|i| self.at(i))
    }
}

impl Default for Sentences {
    /// No sentences.
    fn default() -> Sentences {
        Sentences::new(Arc::from(""), Vec::new())
    }
}

impl PartialEq for Sentences {
    fn eq(&self, other: &Sentences) -> bool {
        self.iter().eq(other.iter())
    }
}

impl std::fmt::Debug for Sentences {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for Sentences {
    /// As [`one_per_line`] writes a list of [`SentenceOut`]s, byte for byte; but a
    /// sentence whose text JSON takes as it is (no quote, backslash or control character:
    /// nearly all) is written here, without serde_json looking at its text one byte at a
    /// time. The sentences' texts are two fifths of a large report.json.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error, SerializeSeq};
        let mut seq = s.serialize_seq(Some(self.len()))?;
        for (i, (id, line, range)) in self.spans.iter().enumerate() {
            let text = &self.text[range.start as usize..range.end as usize];
            let record = if json_plain(text) {
                let (mut id_digits, mut line_digits) = (itoa::Buffer::new(), itoa::Buffer::new());
                let (id, line) = (id_digits.format(*id), line_digits.format(*line));
                let json = [
                    r#"{"id":"#,
                    id,
                    r#","line":"#,
                    line,
                    r#","text":""#,
                    text,
                    r#""}"#,
                ]
                .concat();
                // SAFETY: one JSON object, without whitespace around it: two integers,
                // and a string of text that JSON takes as it is (`json_plain`), between
                // quotes. Debug builds parse it again.
                unsafe { serde_json::value::RawValue::from_string_unchecked(json) }
            } else {
                serde_json::value::to_raw_value(&self.at(i)).map_err(S::Error::custom)?
            };
            seq.serialize_element(&record)?;
        }
        seq.end()
    }
}

/// Whether JSON writes `text` as it is between quotes: no control character, quote or
/// backslash in it. Read 32 bytes at a time without stopping inside a block, which the
/// compiler turns into a few vector instructions a block.
fn json_plain(text: &str) -> bool {
    let plain = |b: &u8| *b >= 0x20 && *b != b'"' && *b != b'\\';
    let mut blocks = text.as_bytes().chunks_exact(32);
    blocks.all(|block| block.iter().fold(true, |all, b| all & plain(b)))
        && blocks.remainder().iter().all(plain)
}

impl<'de> Deserialize<'de> for Sentences {
    /// From a list of sentences, their texts joined into one.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Sentences, D::Error> {
        let list = Vec::<SentenceOut>::deserialize(d)?;
        Sentences::joined(&list, u32::MAX).map_err(serde::de::Error::custom)
    }
}

impl Sentences {
    /// Sentences from a list of them, their texts joined into one of at most `max_text`
    /// bytes: the places are `u32`, so a report is read back only up to 4 GiB of one
    /// document's sentences.
    fn joined(list: &[SentenceOut], max_text: u32) -> Result<Sentences, &'static str> {
        let mut text = String::with_capacity(list.iter().map(|s| s.text.len()).sum());
        let mut spans = Vec::with_capacity(list.len());
        for s in list {
            let (Ok(id), Ok(line)) = (u32::try_from(s.id), u32::try_from(s.line)) else {
                return Err("a sentence id or line past 2^32");
            };
            let start = text.len();
            text.push_str(&s.text);
            let end = text.len();
            if end > max_text as usize {
                return Err("a document's sentences past 4 GiB of text");
            }
            // Both fit: `end` is at most `max_text`.
            spans.push((id, line, start as u32..end as u32));
        }
        Ok(Sentences::new(Arc::from(text), spans))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SentenceOut {
    /// 1-based ordinal within the document.
    pub id: usize,
    pub line: usize,
    pub text: TextSlice,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExcludedOut {
    pub line_start: usize,
    pub line_end: usize,
    pub reason: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimOut {
    /// `{doc}-s{sentence}-{type}-{n}`: stable across unrelated edits.
    pub id: SmolStr,
    pub doc: SmolStr,
    pub sentence: usize,
    pub line: usize,
    #[serde(rename = "type")]
    pub kind: SmolStr,
    /// Exact surface text in the source.
    pub text: SmolStr,
    /// A number for quantities, an ISO string for dates, the canonical id for names.
    pub value: serde_json::Value,
    /// The value in short, with its ids and codes (`~1000 soldier (US)`, `XXXX-03`,
    /// `tiani`): what scripts and `compare diff` read ([`verdict::display`]).
    pub display: SmolStr,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<SmolStr>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<SmolStr>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<SmolStr>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precision: Option<SmolStr>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved: Option<bool>,
    /// Set on `1.500`-style numbers read as thousands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ambiguous: Option<bool>,
    /// For names found by similarity: the listed alias it resembles and the score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub like: Option<SmolStr>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// Which pattern matched (`troops#1`).
    pub pattern: SmolStr,
    /// Byte range of `text` within the sentence's text.
    pub start: usize,
    pub end: usize,
    /// The statement group the claim belongs to, for quantities and dates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement: Option<SmolStr>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntityOut {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub canonical: String,
    /// `single` when one outlet names it; otherwise `variant` when its mentions spell it
    /// more than one way, `same` when they all spell it one way.
    pub verdict: String,
    #[serde(serialize_with = "on_one_line")]
    pub spellings: Vec<String>,
    #[serde(serialize_with = "one_per_line")]
    pub mentions: Vec<MentionOut>,
}

/// An entity's verdict (see [`EntityOut::verdict`]). A name one outlet gives is compared
/// with no other outlet's: it is `single`, even when that outlet writes it two ways (AES
/// and تحالف دول الساحل in one article).
fn entity_verdict(spelled_apart: bool, mentions: &[MentionOut]) -> &'static str {
    if !mentions.iter().any(|m| m.outlet != mentions[0].outlet) {
        "single"
    } else if spelled_apart {
        "variant"
    } else {
        "same"
    }
}

/// A verdict's symbol and words, the same on every page and in report.md: a statement's
/// (conflict, agree, single) or a name's (variant, same, single).
pub(super) fn verdict_words(v: &str) -> (&'static str, &str) {
    match v {
        "conflict" => ("✗", "conflict"),
        "agree" => ("✓", "agree"),
        "single" => ("○", "single source"),
        "variant" => ("≠", "variant spellings"),
        "same" => ("=", "same spelling"),
        other => ("·", other),
    }
}

/// Where a name's verdict puts it in the names tables: names spelled apart first, then
/// names outlets spell alike, then names one outlet gives (a stable sort keeps the rest).
pub(super) fn entity_order(verdict: &str) -> u8 {
    match verdict {
        "variant" => 0,
        "same" => 1,
        _ => 2,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MentionOut {
    pub doc: SmolStr,
    pub outlet: SmolStr,
    pub text: SmolStr,
    pub line: usize,
    pub sentence: usize,
    pub claim: SmolStr,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatementOut {
    /// `{type}-{doc}-s{sentence}` of the member with the smallest (doc id, sentence):
    /// unchanged by adding an article whose id sorts later or by correcting a date.
    pub id: SmolStr,
    #[serde(rename = "type")]
    pub kind: SmolStr,
    pub verdict: SmolStr,
    pub reason: String,
    /// For a single-source statement, the other outlets that give its names, figures or
    /// dates in other sentences of the story (the end of `reason`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub elsewhere: Vec<verdict::Elsewhere>,
    pub members: Vec<MemberOut>,
    /// The site page that shows it, from the site root: its story's statements page
    /// (`statements/{story}.html`, then `statements/{story}.p2.html`…), which holds
    /// [`STATEMENTS_PER_PAGE`] of the story's statements in the report's order. The statement is
    /// the section `#{slug(id)}` of that page.
    #[serde(default)]
    pub page: String,
}

impl StatementOut {
    /// Whether `outlet` gives one of its values in another sentence of the story (for a
    /// single-source statement: see `elsewhere`).
    pub fn given_elsewhere_by(&self, outlet: &str) -> bool {
        self.elsewhere
            .iter()
            .any(|e| e.outlets.iter().any(|o| o == outlet))
    }

    /// Its link from a page `depth` folders below the site root.
    pub fn href(&self, depth: usize) -> String {
        let mut out = String::with_capacity(3 * depth + self.page.len() + self.id.len() + 10);
        self.href_into(&mut out, depth);
        out
    }

    /// [`StatementOut::href`], written at the end of `out`.
    pub fn href_into(&self, out: &mut String, depth: usize) {
        anchor_href_into(out, depth, &self.page, &self.id);
    }
}

/// The link to the section `id` of `page`, from a page `depth` folders below the site
/// root (`../stories/s1.html#slug`), written at the end of `out`.
fn anchor_href_into(out: &mut String, depth: usize, page: &str, id: &str) {
    for _ in 0..depth {
        out.push_str("../");
    }
    out.push_str(page);
    out.push('#');
    slug_into(out, id);
}

/// At most this many statements share a statements page. A story's statements are shown
/// on pages of their own rather than one page each: a file per statement made writing
/// the site the slowest stage of a large build (see docs/benchmark-history.md), and a reader
/// of a story reads its statements together.
pub const STATEMENTS_PER_PAGE: usize = 50;

/// The folder-safe name of a story in page names (`no-story` for articles without one).
/// A story named `no-story` gets the hashed form, so its pages are not those of the
/// articles without a story; so does one with a capital letter, so that `Niger` and
/// `niger` do not share a file on a file system that ignores case.
pub fn story_slug(story: &str) -> String {
    if story.is_empty() {
        return "no-story".to_string();
    }
    let mut out = String::with_capacity(story.len() + 9);
    if story == "no-story" || story.bytes().any(|b| b.is_ascii_uppercase()) {
        hashed_slug_into(&mut out, story);
    } else {
        slug_into(&mut out, story);
    }
    out
}

/// The page of each of `items` (by their `(story, order)`): per story, items in `order`,
/// `per_page` to a page in `folder`. `.` never occurs in a slug, so `x.p2` cannot be the
/// first page of another story.
fn numbered_pages<'a, K: Ord>(
    keys: impl Iterator<Item = (&'a str, K)>,
    folder: &str,
    per_page: usize,
) -> Vec<String> {
    let keys: Vec<(&str, K)> = keys.collect();
    let mut by_story: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, (story, _)) in keys.iter().enumerate() {
        by_story.entry(story).or_default().push(i);
    }
    let mut pages = vec![String::new(); keys.len()];
    for (story, mut ids) in by_story {
        ids.sort_by(|&a, &b| keys[a].1.cmp(&keys[b].1));
        let name = story_slug(story);
        for (n, chunk) in ids.chunks(per_page).enumerate() {
            let page = numbered_page(folder, &name, n + 1);
            for &i in chunk {
                pages[i].clone_from(&page);
            }
        }
    }
    pages
}

/// Each document's `page`: per story, documents in id order, [`DOCUMENTS_PER_PAGE`]
/// to a page.
fn document_pages(documents: &[DocumentOut]) -> Vec<String> {
    numbered_pages(
        documents.iter().map(|d| (d.story.as_str(), d.id.as_str())),
        "documents",
        DOCUMENTS_PER_PAGE,
    )
}

/// Each statement's `page`: per story (the story of its first member's document),
/// statements in the report's order, [`STATEMENTS_PER_PAGE`] to a page.
///
/// The report's order is its anchor's: article, then sentence number, then type. The
/// ids as text would put `s13` before `s3`, and every date of a story before its first
/// troop count.
fn statement_pages(statements: &[StatementOut], documents: &[DocumentOut]) -> Vec<String> {
    let story_of: HashMap<&str, &str> = documents
        .iter()
        .map(|d| (d.id.as_str(), d.story.as_str()))
        .collect();
    numbered_pages(
        statements.iter().enumerate().map(|(i, s)| {
            let doc = s.members.first().map_or("", |m| m.doc.as_str());
            (story_of.get(doc).copied().unwrap_or(""), i)
        }),
        "statements",
        STATEMENTS_PER_PAGE,
    )
}

/// The path of a story's `n`-th page (1-based) in `folder`, from the site root.
fn numbered_page(folder: &str, story_slug: &str, n: usize) -> String {
    if n <= 1 {
        format!("{folder}/{story_slug}.html")
    } else {
        format!("{folder}/{story_slug}.p{n}.html")
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberOut {
    pub doc: SmolStr,
    pub outlet: SmolStr,
    pub published: Option<SmolStr>,
    pub sentence: usize,
    pub line: usize,
    pub text: TextSlice,
    /// Claim ids of the statement's type in this sentence.
    #[serde(serialize_with = "on_one_line")]
    pub claims: Vec<SmolStr>,
    /// Their values in short, as the claims' `display` gives them.
    #[serde(serialize_with = "on_one_line")]
    pub values: Vec<SmolStr>,
    /// Word diff against the first member (the reference); empty for the reference.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        serialize_with = "one_per_line"
    )]
    pub diff: Vec<Op>,
}

/// Build the report from the pipeline's results, giving them up as it goes. What needs the
/// pipeline's documents and sentences (ids, lines, claim texts) is gathered first; then
/// each document's text becomes its part of the report, and the documents and sentences
/// are dropped before the claims and statements, the larger part of the report, are built
/// from the pipeline's claims and groups, which are given up one by one: the pipeline's
/// results and the report are not held whole at once.
pub fn report(
    docs: Vec<Document>,
    sentences: Vec<Sentence>,
    claims: Vec<Claim>,
    entities: &[Entity],
    groups: Vec<(Group, Verdict, verdict::Reason)>,
    wording: &verdict::Wording,
) -> Report {
    let gathered = Gathered::of(&docs, &sentences, &claims, &groups);

    // Each document's sentences, found once: scanning every sentence of the corpus for
    // each document would be quadratic. A sentence is then found in the report by its
    // document and its place among the document's sentences.
    let mut doc_sentences: Vec<Vec<&Sentence>> = vec![Vec::new(); docs.len()];
    for s in &sentences {
        doc_sentences[s.doc].push(s);
    }
    let place = Places::of(&sentences, docs.len());
    let mut documents: Vec<DocumentOut> = docs
        .into_par_iter()
        .zip(doc_sentences)
        .map(|(d, sentences)| document_out(d, &sentences))
        .collect();
    drop(sentences);
    let names: Vec<Names> = documents.par_iter().map(Names::of).collect();
    let shown = Shown {
        documents: &documents,
        names: &names,
        place: &place,
    };
    let (claims_out, entities_out, mut statements, words) =
        claims_and_statements(shown, claims, gathered, entities, groups, wording);
    drop((names, place));
    // Three steps of one thread each, for every document or statement: together they
    // took 0.14 s with the other core idle at 100 000 articles.
    let ((document_pages, statement_pages), corpus) = rayon::join(
        || {
            rayon::join(
                || document_pages(&documents),
                || statement_pages(&statements, &documents),
            )
        },
        || Corpus::of(&documents, &claims_out, &statements),
    );
    for (d, page) in documents.iter_mut().zip(document_pages) {
        d.page = page;
    }
    for (s, page) in statements.iter_mut().zip(statement_pages) {
        s.page = page;
    }

    Report {
        schema: SCHEMA,
        corpus,
        documents,
        claims: claims_out,
        entities: entities_out,
        statements,
        words,
    }
}

/// A count that fits the report's `u32` places: documents, a document's sentences, a
/// file's lines, places in a document's text. Ingest refuses an article over 4 GiB, so
/// none of these passes 2^32.
fn to_u32(i: usize) -> u32 {
    u32::try_from(i).expect("fewer than 2^32 documents, sentences per document and lines")
}

/// Where each of the pipeline's sentences is in the report: its document's index and its
/// place among that document's sentences.
enum Places {
    /// The pipeline gives each document's sentences together, documents in order: per
    /// document, the index of its first sentence is enough (800 KB at 100 000 articles,
    /// where a pair per sentence took 24 MB, held through the report's largest moment).
    Runs(Vec<usize>),
    /// Sentences in any other order: a pair per sentence.
    Pairs(Vec<(u32, u32)>),
}

impl Places {
    fn of(sentences: &[Sentence], docs: usize) -> Places {
        if sentences.is_sorted_by_key(|s| s.doc) {
            let mut first = vec![sentences.len(); docs];
            for (i, s) in sentences.iter().enumerate().rev() {
                first[s.doc] = i;
            }
            // A document without sentences starts where the next one does, so that the
            // starts rise and the last document starting at or before a sentence holds it.
            for d in (0..docs.saturating_sub(1)).rev() {
                first[d] = first[d].min(first[d + 1]);
            }
            return Places::Runs(first);
        }
        let mut count = vec![0usize; docs];
        Places::Pairs(
            sentences
                .iter()
                .map(|s| {
                    let place = (to_u32(s.doc), to_u32(count[s.doc]));
                    count[s.doc] += 1;
                    place
                })
                .collect(),
        )
    }

    /// The document's index and the place in it of the pipeline's sentence `sentence`.
    fn get(&self, sentence: usize) -> (usize, usize) {
        match self {
            Places::Runs(first) => {
                let doc = first.partition_point(|&f| f <= sentence) - 1;
                (doc, sentence - first[doc])
            }
            Places::Pairs(pairs) => {
                let (d, i) = pairs[sentence];
                (d as usize, i as usize)
            }
        }
    }
}

/// The report's documents as its claims and statements find them: each document's names,
/// and where each of the pipeline's sentences is shown.
#[derive(Clone, Copy)]
struct Shown<'a> {
    documents: &'a [DocumentOut],
    /// Per document (by the pipeline's index, the report's too).
    names: &'a [Names],
    /// Where each pipeline sentence is in the report.
    place: &'a Places,
}

impl<'a> Shown<'a> {
    /// The names of the document of the pipeline's sentence `sentence`.
    fn names(&self, sentence: usize) -> &'a Names {
        &self.names[self.place.get(sentence).0]
    }

    /// The pipeline's sentence `sentence` as the report shows it.
    fn sentence(&self, sentence: usize) -> SentenceOut {
        let (d, i) = self.place.get(sentence);
        self.documents[d].sentences.at(i)
    }

    /// The id in the report (its ordinal) of the pipeline's sentence `sentence`.
    fn sentence_id(&self, sentence: usize) -> usize {
        let (d, i) = self.place.get(sentence);
        self.documents[d].sentences.id(i)
    }
}

/// A document's id, outlet and date, made once and shared by each of its claims and
/// statement members (clones of a `SmolStr` share a long one).
struct Names {
    id: SmolStr,
    outlet: SmolStr,
    published: Option<SmolStr>,
}

impl Names {
    fn of(d: &DocumentOut) -> Names {
        Names {
            id: SmolStr::from(&d.id),
            outlet: SmolStr::from(&d.outlet),
            published: d.published.as_deref().map(SmolStr::from),
        }
    }
}

/// What the claims and statements take from the pipeline's documents and sentences,
/// gathered before those are given up.
struct Gathered {
    claim_ids: Vec<SmolStr>,
    statement_ids: Vec<SmolStr>,
    /// Per claim: its line in the file, its text, and its byte range in its sentence.
    claim_texts: Vec<(usize, SmolStr, Span)>,
}

impl Gathered {
    fn of(
        docs: &[Document],
        sentences: &[Sentence],
        claims: &[Claim],
        groups: &[(Group, Verdict, verdict::Reason)],
    ) -> Gathered {
        // Claims are in sentence and text order, so a sentence's claims are one run, and
        // what a claim's id and line need is found within its run: the runs in parallel.
        debug_assert!(claims.windows(2).all(|w| w[0].sentence <= w[1].sentence));
        let (nth, lines): (Vec<usize>, Vec<usize>) = claims
            .par_chunk_by(|a, b| a.sentence == b.sentence)
            .flat_map_iter(|run| {
                let s = &sentences[run[0].sentence];
                let text = &docs[run[0].doc].text;
                // The n-th claim of its type in its sentence, for its id.
                let mut seen: Vec<(&str, usize)> = Vec::new();
                // Its line, counted on from the previous claim of its sentence: scanning
                // from the sentence's start for every claim would be quadratic in a long
                // one-line article.
                let (mut from, mut line) = (s.span.start, s.line);
                run.iter().map(move |c| {
                    let n = match seen.iter_mut().find(|(rule, _)| *rule == c.rule) {
                        Some((_, n)) => {
                            *n += 1;
                            *n
                        }
                        None => {
                            seen.push((&c.rule, 1));
                            1
                        }
                    };
                    if c.span.start < from {
                        // A claim that starts before the one before it: count from the
                        // sentence's start again.
                        (from, line) = (s.span.start, s.line);
                    }
                    let to = c.span.start.max(from);
                    line += text[from..to].matches('\n').count();
                    from = to;
                    (n, line)
                })
            })
            .unzip();
        let claim_ids: Vec<SmolStr> = claims
            .par_iter()
            .zip(&nth)
            .map(|(c, n)| {
                let s = &sentences[c.sentence];
                format_smolstr!("{}-s{}-{}-{}", docs[c.doc].id, s.ordinal, c.rule, n)
            })
            .collect();
        // Statement ids come from the group's anchor (see `align::anchor`), not its
        // reference. A sentence split between statements of one type (40 killed, 65
        // wounded) anchors each part: the one without the sentence's first claim of the
        // type is told apart by its own first claim's number, as in that claim's id.
        let statement_ids: Vec<SmolStr> = groups
            .par_iter()
            .map(|(g, _, _)| {
                let si = crate::align::anchor(g, docs, sentences);
                let s = &sentences[si];
                let n = g
                    .members
                    .iter()
                    .filter(|(m, _)| *m == si)
                    .flat_map(|(_, cs)| cs.iter().map(|&c| nth[c]))
                    .min()
                    .unwrap_or(1);
                crate::align::statement_id(&g.rule, &docs[s.doc].id, s.ordinal, n)
            })
            .collect();
        let claim_texts = claims
            .par_iter()
            .zip(lines)
            .map(|(c, line)| {
                let start = sentences[c.sentence].span.start;
                let text = SmolStr::from(&docs[c.doc].text[c.span.clone()]);
                (line, text, c.span.start - start..c.span.end - start)
            })
            .collect();
        Gathered {
            claim_ids,
            statement_ids,
            claim_texts,
        }
    }
}

/// A document as the report shows it, from the document (whose text it gives up) and its
/// sentences.
fn document_out(d: Document, sentences: &[&Sentence]) -> DocumentOut {
    // One pass over the text for all its set-aside spans, not one per span.
    let line_starts: Vec<usize> = if d.excluded.is_empty() {
        Vec::new()
    } else {
        std::iter::once(0)
            .chain(d.text.match_indices('\n').map(|(i, _)| i + 1))
            .collect()
    };
    let line_of = |at: usize| line_starts.partition_point(|&s| s <= at);
    // The sentences' text, copied once for the whole document (from the first sentence to
    // the last), for each sentence to point into.
    let first = sentences.iter().map(|s| s.span.start).min().unwrap_or(0);
    let last = sentences.iter().map(|s| s.span.end).max().unwrap_or(0);
    let text: Arc<str> = Arc::from(&d.text[first..last.max(first)]);
    let spans = sentences
        .iter()
        .map(|s| {
            let range = to_u32(s.span.start - first)..to_u32(s.span.end - first);
            (to_u32(s.ordinal), to_u32(s.line), range)
        })
        .collect();
    DocumentOut {
        sentences: Sentences::new(text, spans),
        excluded: d
            .excluded
            .iter()
            .map(|e| ExcludedOut {
                line_start: line_of(e.span.start),
                line_end: line_of(e.span.end.saturating_sub(1).max(e.span.start)),
                reason: e.reason.clone(),
                text: d.text[e.span.clone()].to_string(),
            })
            .collect(),
        id: d.id,
        path: d.path,
        title: d.title,
        outlet: d.outlet,
        outlet_source: d.outlet_source.to_string(),
        published: d.published.map(|p| p.to_string()),
        url: d.url,
        lang: d.lang,
        story: d.story,
        notes: d.notes,
        page: String::new(),
    }
}

/// The report's claims, name spellings and statements (with their word diffs), from the
/// pipeline's claims and groups (given up one by one as they are built) and the report's
/// documents.
fn claims_and_statements(
    shown: Shown,
    claims: Vec<Claim>,
    gathered: Gathered,
    entities: &[Entity],
    groups: Vec<(Group, Verdict, verdict::Reason)>,
    wording: &verdict::Wording,
) -> (Vec<ClaimOut>, Vec<EntityOut>, Vec<StatementOut>, ValueWords) {
    let Gathered {
        claim_ids,
        statement_ids,
        claim_texts,
    } = gathered;
    let mut claim_statement: Vec<Option<usize>> = vec![None; claims.len()];
    for (gi, (g, _, _)) in groups.iter().enumerate() {
        for (_, cs) in &g.members {
            for &c in cs {
                claim_statement[c] = Some(gi);
            }
        }
    }

    // Each claim's sentence, by which its name mentions find their document once the
    // claim is given up.
    let claim_sentence: Vec<usize> = claims.iter().map(|c| c.sentence).collect();
    let words = ValueWords::of_claims(&claims, wording);
    let claims_out: Vec<ClaimOut> = claims
        .into_par_iter()
        .zip(claim_texts)
        .zip(claim_ids)
        .enumerate()
        .map(|(ci, ((c, (line, text, span)), id))| {
            let mut out = ClaimOut {
                id,
                doc: shown.names(c.sentence).id.clone(),
                sentence: shown.sentence_id(c.sentence),
                line,
                kind: c.rule.clone(),
                text,
                value: json_value(&c.value),
                display: SmolStr::from(verdict::display(&c.value)),
                qualifier: None,
                unit: None,
                subject: None,
                precision: None,
                resolved: None,
                ambiguous: None,
                like: None,
                score: None,
                pattern: c.pattern.clone(),
                start: span.start,
                end: span.end,
                statement: claim_statement[ci].map(|g| statement_ids[g].clone()),
            };
            match &c.value {
                Value::Quantity {
                    qualifier,
                    unit,
                    subject,
                    ambiguous,
                    ..
                } => {
                    out.qualifier = Some(SmolStr::new_static(qualifier.as_str()));
                    out.unit = unit.as_deref().map(SmolStr::from);
                    out.subject = subject.as_deref().map(SmolStr::from);
                    out.ambiguous = ambiguous.then_some(true);
                }
                Value::Date(dv) => {
                    out.precision = Some(
                        serde_json::to_value(dv.precision)
                            .ok()
                            .and_then(|v| v.as_str().map(SmolStr::from))
                            .unwrap_or_default(),
                    );
                    out.resolved = Some(dv.resolved);
                    out.qualifier = dv.part.map(|p| {
                        serde_json::to_value(p)
                            .ok()
                            .and_then(|v| v.as_str().map(SmolStr::from))
                            .unwrap_or_default()
                    });
                }
                Value::Name { how, .. } => {
                    if let MatchHow::Fuzzy { alias, score } = how {
                        out.like = Some(SmolStr::from(alias));
                        out.score = Some((score * 1000.0).round() / 1000.0);
                    }
                }
            }
            out
        })
        .collect();

    let entities_out: Vec<EntityOut> = entities
        .par_iter()
        .map(|e| {
            let mentions: Vec<MentionOut> = e
                .mentions
                .iter()
                .map(|&ci| {
                    let c = &claims_out[ci];
                    MentionOut {
                        doc: c.doc.clone(),
                        outlet: shown.names(claim_sentence[ci]).outlet.clone(),
                        text: c.text.clone(),
                        line: c.line,
                        sentence: c.sentence,
                        claim: c.id.clone(),
                    }
                })
                .collect();
            EntityOut {
                id: e.id.clone(),
                kind: e.kind.clone(),
                canonical: e.canonical.clone(),
                verdict: entity_verdict(e.spellings.len() > 1, &mentions).to_string(),
                spellings: e.spellings.clone(),
                mentions,
            }
        })
        .collect();
    // Not needed by the statements: given back before they are built, the build's peak.
    drop((claim_statement, claim_sentence));

    let statements: Vec<StatementOut> = groups
        .into_par_iter()
        .enumerate()
        .map(|(gi, (g, v, reason))| {
            let ref_text = shown.sentence(g.members[0].0).text;
            StatementOut {
                id: statement_ids[gi].clone(),
                kind: SmolStr::from(&g.rule),
                verdict: SmolStr::new_static(v.as_str()),
                reason: reason.text,
                elsewhere: reason.elsewhere,
                members: g
                    .members
                    .iter()
                    .enumerate()
                    .map(|(mi, (si, cs))| {
                        let (s, d) = (shown.sentence(*si), shown.names(*si));
                        MemberOut {
                            doc: d.id.clone(),
                            outlet: d.outlet.clone(),
                            published: d.published.clone(),
                            sentence: s.id,
                            line: s.line,
                            diff: if mi == 0 {
                                Vec::new()
                            } else {
                                diff::words(&ref_text, &s.text)
                            },
                            text: s.text,
                            claims: cs.iter().map(|&c| claims_out[c].id.clone()).collect(),
                            values: cs.iter().map(|&c| claims_out[c].display.clone()).collect(),
                        }
                    })
                    .collect(),
                page: String::new(),
            }
        })
        .collect();
    (claims_out, entities_out, statements, words)
}

impl Corpus {
    /// The counts of a set of documents with their claims and statements.
    pub fn of<'a>(
        documents: impl IntoIterator<Item = &'a DocumentOut, IntoIter: ExactSizeIterator>,
        claims: impl IntoIterator<Item = &'a ClaimOut, IntoIter: ExactSizeIterator>,
        statements: impl IntoIterator<Item = &'a StatementOut, IntoIter: ExactSizeIterator>,
    ) -> Corpus {
        let (documents, claims, statements) = (
            documents.into_iter(),
            claims.into_iter(),
            statements.into_iter(),
        );
        let (all, claimed, stated) = (documents.len(), claims.len(), statements.len());
        let compared: Vec<&DocumentOut> = documents.filter(|d| d.compared()).collect();
        let outlets: BTreeSet<&str> = compared
            .iter()
            .filter(|d| d.outlet_known())
            .map(|d| d.outlet.as_str())
            .collect();
        let dates: Vec<&String> = compared
            .iter()
            .filter_map(|d| d.published.as_ref())
            .collect();
        let by_verdict = tally(statements.map(|s| s.verdict.as_str()));
        let by_type = tally(claims.map(|c| c.kind.as_str()));
        Corpus {
            articles: compared.len(),
            without_text: all - compared.len(),
            outlets: outlets.len(),
            outlet_unknown: compared.iter().filter(|d| !d.outlet_known()).count(),
            first_published: dates.iter().min().map(|d| d.to_string()),
            last_published: dates.iter().max().map(|d| d.to_string()),
            claims: claimed,
            statements: stated,
            by_verdict,
            by_type,
        }
    }
}

/// How many times each key occurs: a few keys (verdicts, claim types) among hundreds of
/// thousands of items, counted without a string made for each item.
fn tally<'a>(keys: impl Iterator<Item = &'a str>) -> BTreeMap<String, usize> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for k in keys {
        *counts.entry(k).or_insert(0) += 1;
    }
    counts
        .into_iter()
        .map(|(k, n)| (k.to_string(), n))
        .collect()
}

/// Outlets in the order of table columns and timeline rows: by name, the articles of
/// unknown outlet (each named by its file) after the outlets found.
pub fn outlet_order(outlet: &str) -> (bool, &str) {
    (outlet_unknown(outlet), outlet)
}

/// The outlets of a report's articles compared, each once, in [`outlet_order`]: an
/// outlet whose every article had no text to compare reports nothing.
pub fn outlets<'a>(documents: impl IntoIterator<Item = &'a DocumentOut>) -> Vec<&'a str> {
    let mut outlets: Vec<&str> = documents
        .into_iter()
        .filter(|d| d.compared())
        .map(|d| d.outlet.as_str())
        .collect::<BTreeSet<&str>>()
        .into_iter()
        .collect();
    outlets.sort_by_key(|o| outlet_order(o));
    outlets
}

/// Who reports a statement, in the corpus header's way of counting: `k` of the `outlets`
/// outlets, and `u` of the `unknown` articles of unknown outlet apart, since each may be
/// any outlet's. Without articles of unknown outlet: `Reported by 2 of 5 outlets`.
pub fn reported_by(k: usize, outlets: usize, u: usize, unknown: usize) -> String {
    let plural = if outlets == 1 { "outlet" } else { "outlets" };
    if unknown == 0 {
        return format!("Reported by {k} of {outlets} {plural}");
    }
    match (k, u) {
        (_, 0) => format!("Reported by {k} of {outlets} {plural}"),
        _ if outlets == 0 => format!("Reported by {}", unknown_articles(u, unknown)),
        (0, _) => format!("Reported only by {}", unknown_articles(u, unknown)),
        _ => format!(
            "Reported by {k} of {outlets} {plural} and by {}",
            unknown_articles(u, unknown)
        ),
    }
}

/// The "Not reporting" cell of a coverage table too wide for a column per outlet: of
/// the outlets, `37 of 40`, then the articles of unknown outlet that do not report it
/// counted apart: `37 of 40, and 1 of 2 articles of unknown outlet`.
pub fn not_reporting(k: usize, outlets: usize, u: usize, unknown: usize) -> String {
    let silent = unknown - u;
    match (outlets, silent) {
        (_, 0) => format!("{} of {outlets}", outlets - k),
        (0, _) => unknown_articles(silent, unknown),
        _ => format!(
            "{} of {outlets}, and {}",
            outlets - k,
            unknown_articles(silent, unknown)
        ),
    }
}

/// Tables give each outlet a column, and statement pages name the silent outlets, up to
/// this many outlets; past it they list only the outlets that report, and count the rest,
/// so no page grows with the number of outlets.
pub const WIDE: usize = 12;

/// Items on one page of a list (conflicts, documents, stories…): past it, a list goes on
/// over numbered pages, so no page grows with the corpus.
pub const PAGE: usize = 100;

/// The stories of a report, sorted; `[""]` when no article names its story.
pub fn stories(r: &Report) -> Vec<&str> {
    let set: BTreeSet<&str> = r.documents.iter().map(|d| d.story.as_str()).collect();
    set.into_iter().collect()
}

/// `1 agreement`, `2 agreements`: a count and its noun, in the pages, report.md and the
/// review's messages.
pub(crate) fn count(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", grouped(n), if n == 1 { one } else { many })
}

/// A count written as the values are ([`readable`]): from five digits on, its thousands
/// grouped (`44172` → `44,172`, as in `18,669 people`), four digits or fewer as they are
/// (`1168`, as in `1500 soldiers`).
pub(crate) fn grouped(n: usize) -> String {
    readable(&n.to_string())
}

/// A story as a reader sees it named: its `story` key, or a phrase for articles without one.
pub fn story_name(story: &str) -> &str {
    if story.is_empty() {
        "(articles without a story)"
    } else {
        story
    }
}

/// Where each story's parts sit in a report, found in one pass, so a story's [`Scope`] is
/// picked out without scanning the whole corpus once per story.
pub struct Stories<'a> {
    /// Story → indices of its documents, claims and statements, and of the name
    /// mentions it holds per entity.
    parts: BTreeMap<&'a str, StoryParts>,
}

#[derive(Default, PartialEq)]
struct StoryParts {
    documents: Vec<usize>,
    claims: Vec<usize>,
    statements: Vec<usize>,
    mentions: BTreeMap<usize, Vec<usize>>,
}

impl<'a> Stories<'a> {
    pub fn index(r: &'a Report) -> Stories<'a> {
        // The stories are numbered in id order, and each document's story is found once,
        // by its id: the claims, statements and mentions then go to their story's parts
        // by number, without a search among the story ids each.
        let mut ids: Vec<&str> = r.documents.iter().map(|d| d.story.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        let mut parts: Vec<StoryParts> = ids.iter().map(|_| StoryParts::default()).collect();
        let mut story_of: HashMap<&str, usize> = HashMap::default();
        story_of.reserve(r.documents.len());
        for (i, d) in r.documents.iter().enumerate() {
            // Every document's story is one of `ids`.
            let n = ids.binary_search(&d.story.as_str()).unwrap_or_default();
            story_of.insert(&d.id, n);
            parts[n].documents.push(i);
        }
        // What no document owns goes to the story "": its slot if "" is a document's
        // story, else one more slot at the end, kept only if anything went there.
        let orphan = ids.binary_search(&"").unwrap_or(ids.len());
        parts.push(StoryParts::default());
        // Each item's story is looked up on every core (a million lookups at 100 000
        // articles), then the items are put in their stories' parts in order.
        let slot = |doc: &str| story_of.get(doc).copied().unwrap_or(orphan);
        let ((claims, statements), mentions) = rayon::join(
            || {
                rayon::join(
                    || {
                        r.claims
                            .par_iter()
                            .map(|c| slot(&c.doc))
                            .collect::<Vec<_>>()
                    },
                    || {
                        r.statements
                            .par_iter()
                            .map(|s| slot(s.members.first().map_or("", |m| m.doc.as_str())))
                            .collect::<Vec<_>>()
                    },
                )
            },
            || {
                r.entities
                    .par_iter()
                    .map(|e| e.mentions.iter().map(|m| slot(&m.doc)).collect::<Vec<_>>())
                    .collect::<Vec<_>>()
            },
        );
        for (i, n) in claims.into_iter().enumerate() {
            parts[n].claims.push(i);
        }
        for (i, n) in statements.into_iter().enumerate() {
            parts[n].statements.push(i);
        }
        for (ei, slots) in mentions.into_iter().enumerate() {
            for (mi, n) in slots.into_iter().enumerate() {
                parts[n].mentions.entry(ei).or_default().push(mi);
            }
        }
        let orphans = parts.pop().unwrap_or_default();
        let mut parts: BTreeMap<&str, StoryParts> = ids.into_iter().zip(parts).collect();
        if orphans != StoryParts::default() {
            parts.insert("", orphans);
        }
        Stories { parts }
    }

    /// The story ids, sorted.
    pub fn ids(&self) -> Vec<&'a str> {
        self.parts.keys().copied().collect()
    }

    /// The part of the report one story's pages show: its documents, their claims, its
    /// statements and the names it mentions, with counts of its own. Borrowed: only the
    /// names, whose mentions and verdict are the story's own, are made anew.
    pub fn scope<'r>(&self, r: &'r Report, story: &str) -> Scope<'r> {
        let Some(p) = self.parts.get(story) else {
            return Scope {
                corpus: Cow::Owned(Corpus::of([], [], [])),
                documents: Part::Some(Vec::new()),
                claims: Part::Some(Vec::new()),
                statements: Part::Some(Vec::new()),
                entities: Cow::Owned(Vec::new()),
                words: &r.words,
            };
        };
        let documents = Part::pick(&r.documents, &p.documents);
        let claims = Part::pick(&r.claims, &p.claims);
        let statements = Part::pick(&r.statements, &p.statements);
        let entities: Vec<EntityOut> = p
            .mentions
            .iter()
            .map(|(&ei, ms)| {
                let e = &r.entities[ei];
                let mentions: Vec<MentionOut> =
                    ms.iter().map(|&mi| e.mentions[mi].clone()).collect();
                let spellings: BTreeSet<&str> = mentions.iter().map(|m| m.text.as_str()).collect();
                EntityOut {
                    id: e.id.clone(),
                    kind: e.kind.clone(),
                    canonical: e.canonical.clone(),
                    // Variant within this story: its own mentions spell the name apart.
                    verdict: entity_verdict(
                        e.spellings.len() > 1 && spellings.len() > 1,
                        &mentions,
                    )
                    .to_string(),
                    spellings: e.spellings.clone(),
                    mentions,
                }
            })
            .collect();
        Scope {
            corpus: Cow::Owned(Corpus::of(&documents, &claims, &statements)),
            documents,
            claims,
            statements,
            entities: Cow::Owned(entities),
            words: &r.words,
        }
    }
}

/// What one set of pages shows: the whole report, or one story's part of it. Its lists
/// are borrowed from the report, whole or in part, so a story's pages copy none of its
/// records.
pub struct Scope<'a> {
    pub corpus: Cow<'a, Corpus>,
    pub documents: Part<'a, DocumentOut>,
    pub claims: Part<'a, ClaimOut>,
    pub statements: Part<'a, StatementOut>,
    pub entities: Cow<'a, [EntityOut]>,
    pub words: &'a ValueWords,
}

impl<'a> Scope<'a> {
    /// The whole report.
    pub fn whole(r: &'a Report) -> Scope<'a> {
        Scope {
            corpus: Cow::Borrowed(&r.corpus),
            documents: Part::All(&r.documents),
            claims: Part::All(&r.claims),
            statements: Part::All(&r.statements),
            entities: Cow::Borrowed(&r.entities),
            words: &r.words,
        }
    }
}

/// A report's list, whole or some of its items in its order. The whole list is borrowed
/// as it is, not as a list of references to each item: the index's scope is made when a
/// build's memory peaks, and such a list would be 8 MB at 100 000 articles.
pub enum Part<'a, T> {
    All(&'a [T]),
    Some(Vec<&'a T>),
}

impl<'a, T> Part<'a, T> {
    /// The items of `list` at `at`, in that order.
    fn pick(list: &'a [T], at: &[usize]) -> Part<'a, T> {
        Part::Some(at.iter().map(|&i| &list[i]).collect())
    }

    pub fn len(&self) -> usize {
        match self {
            Part::All(all) => all.len(),
            Part::Some(some) => some.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn first(&self) -> Option<&'a T> {
        self.iter().next()
    }

    /// The items, in order.
    pub fn iter(&self) -> PartIter<'a, '_, T> {
        match self {
            Part::All(all) => PartIter::All(all.iter()),
            Part::Some(some) => PartIter::Some(some.iter()),
        }
    }
}

impl<'a, 'p, T> IntoIterator for &'p Part<'a, T> {
    type Item = &'a T;
    type IntoIter = PartIter<'a, 'p, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// The items of a [`Part`].
pub enum PartIter<'a, 'p, T> {
    All(std::slice::Iter<'a, T>),
    Some(std::slice::Iter<'p, &'a T>),
}

impl<'a, T> Iterator for PartIter<'a, '_, T> {
    type Item = &'a T;

    fn next(&mut self) -> Option<&'a T> {
        match self {
            PartIter::All(it) => it.next(),
            PartIter::Some(it) => it.next().copied(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match self {
            PartIter::All(it) => it.size_hint(),
            PartIter::Some(it) => it.size_hint(),
        }
    }

    fn nth(&mut self, n: usize) -> Option<&'a T> {
        match self {
            PartIter::All(it) => it.nth(n),
            PartIter::Some(it) => it.nth(n).copied(),
        }
    }
}

impl<T> ExactSizeIterator for PartIter<'_, '_, T> {}

fn json_value(v: &Value) -> serde_json::Value {
    match v {
        Value::Quantity { amount, .. } => {
            if amount.fract() == 0.0 && amount.abs() < 9e15 {
                serde_json::Value::from(*amount as i64)
            } else {
                serde_json::Number::from_f64(*amount)
                    .map(serde_json::Value::Number)
                    .unwrap_or_else(|| serde_json::Value::String(format_number(*amount)))
            }
        }
        _ => serde_json::Value::String(value_text(v)),
    }
}

/// A claim's value made again from its report.json record, as far as its words need it:
/// `None` for a record whose value is not one `compare build` writes.
fn claim_value(c: &ClaimOut) -> Option<Value> {
    use crate::dates::{DateValue, Part, Precision};
    match &c.value {
        serde_json::Value::Number(n) => Some(Value::Quantity {
            amount: n.as_f64()?,
            qualifier: c.qualifier.as_deref().map_or(
                Some(crate::model::Qualifier::Exact),
                crate::model::Qualifier::parse,
            )?,
            unit: c.unit.as_ref().map(ToString::to_string),
            subject: c.subject.as_ref().map(ToString::to_string),
            tolerance: 0.0,
            ambiguous: c.ambiguous == Some(true),
        }),
        serde_json::Value::String(v) => match c.precision.as_deref() {
            Some(precision) => Some(Value::Date(DateValue {
                iso: v.clone(),
                precision: match precision {
                    "day" => Precision::Day,
                    "week" => Precision::Week,
                    "month" => Precision::Month,
                    "year" => Precision::Year,
                    _ => return None,
                },
                resolved: c.resolved.unwrap_or(false),
                range: None,
                part: match c.qualifier.as_deref() {
                    None => None,
                    Some("early") => Some(Part::Early),
                    Some("mid") => Some(Part::Mid),
                    Some("late") => Some(Part::Late),
                    Some(_) => return None,
                },
            })),
            None => Some(Value::Name {
                entity: v.clone(),
                how: MatchHow::Alias,
            }),
        },
        _ => None,
    }
}

/// A file-name-safe form of an id: ASCII letters, digits, `-` and `_`; anything else
/// becomes `-`, and a short hash keeps two such ids apart.
pub fn slug(id: &str) -> String {
    let mut out = String::with_capacity(id.len() + 9);
    slug_into(&mut out, id);
    out
}

/// [`slug`], written at the end of `out`.
pub fn slug_into(out: &mut String, id: &str) {
    let safe = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
    // Most ids are safe already (every page asks for several): copied whole.
    if !id.is_empty() && id.len() <= SLUG_MAX && id.bytes().all(safe) {
        out.push_str(id);
        return;
    }
    hashed_slug_into(out, id);
}

/// The longest slug kept whole, and the most of an id a hashed slug keeps: a story's slug
/// names its pages (`statements/SLUG.p12.html`), and a file system refuses names past 255
/// bytes.
const SLUG_MAX: usize = 120;

/// The safe characters of `id` (at most [`SLUG_MAX`] of them) and a hash of the whole, at
/// the end of `out`. An id that is safe as it is could still spell a hashed slug
/// (`x-1a2b3c4d`, or `1a2b3c4d` for an id with no safe character): for a given pair, one
/// chance in 2³².
fn hashed_slug_into(out: &mut String, id: &str) {
    let clean: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    // FNV-1a: tiny, stable across platforms and releases.
    let mut h: u32 = 0x811c_9dc5;
    for b in id.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    // `clean` is ASCII: cut anywhere.
    let clean = clean[..clean.len().min(SLUG_MAX)].trim_matches('-');
    // An id with no safe character (an Arabic file name) is its hash alone: a slug that
    // starts with `-` would read as an option to `compare why`.
    if !clean.is_empty() {
        out.push_str(clean);
        out.push('-');
    }
    let _ = write!(out, "{h:08x}");
}

/// The statements ordered as the overview shows them: conflicts, agreements, singles.
pub fn by_verdict<'a>(
    statements: impl IntoIterator<Item = &'a StatementOut>,
    verdict: &str,
) -> Vec<&'a StatementOut> {
    statements
        .into_iter()
        .filter(|s| s.verdict == verdict)
        .collect()
}

/// The words around some claims of a sentence, at most `radius` characters either side,
/// cut at spaces: `(is_claim, text)` pieces, with `…` where the sentence was cut. A short
/// excerpt of a long sentence always shows the evidence.
pub fn excerpt(text: &str, claims: &[&ClaimOut], radius: usize) -> Vec<(bool, String)> {
    let mut spans: Vec<(usize, usize)> = claims
        .iter()
        .filter(|c| {
            c.start < c.end
                && c.end <= text.len()
                && text.is_char_boundary(c.start)
                && text.is_char_boundary(c.end)
        })
        .map(|c| (c.start, c.end))
        .collect();
    spans.sort_unstable();
    let Some(&(first, _)) = spans.first() else {
        return vec![(false, markdown::shorten(text, radius * 2))];
    };
    let last = spans.iter().map(|s| s.1).max().unwrap_or(first);
    let mut from = text[..first]
        .char_indices()
        .rev()
        .nth(radius)
        .map_or(0, |(i, _)| i);
    if from > 0 {
        from = text[from..first].find(' ').map_or(from, |k| from + k + 1);
    }
    let mut to = text[last..]
        .char_indices()
        .nth(radius)
        .map_or(text.len(), |(i, _)| last + i);
    if to < text.len() {
        to = text[last..to].rfind(' ').map_or(to, |k| last + k);
    }
    let mut out = Vec::new();
    let mut plain = String::new();
    if from > 0 {
        plain.push('…');
    }
    let mut pos = from;
    for (s, e) in spans {
        if s < pos {
            continue;
        }
        plain.push_str(&text[pos..s]);
        out.push((false, std::mem::take(&mut plain)));
        out.push((true, text[s..e].to_string()));
        pos = e;
    }
    plain.push_str(&text[pos..to.max(pos)]);
    if to < text.len() {
        plain.push('…');
    }
    out.push((false, plain));
    out.retain(|(_, t)| !t.is_empty());
    out
}

/// The claims found as a spelling rules.toml does not list: claim id → the listed alias
/// it is close to (`like`), which the names tables mark with `≈`.
pub fn unlisted<'a>(claims: impl IntoIterator<Item = &'a ClaimOut>) -> HashMap<&'a str, &'a str> {
    claims
        .into_iter()
        .filter_map(|c| Some((c.id.as_str(), c.like.as_deref()?)))
        .collect()
}

/// An entity's spellings that rules.toml does not list: the text of each mention found
/// as one (see [`unlisted`]) → the listed alias it is close to.
pub fn unlisted_spellings<'a>(
    unlisted: &HashMap<&str, &'a str>,
    e: &'a EntityOut,
) -> BTreeMap<&'a str, &'a str> {
    e.mentions
        .iter()
        .filter_map(|m| Some((m.text.as_str(), *unlisted.get(m.claim.as_str())?)))
        .collect()
}

/// Each member's values, distinct, in member order, in words.
fn distinct_values(words: &ValueWords, s: &StatementOut) -> Vec<String> {
    // Members mostly repeat each other's values: each distinct list is written once.
    let mut lists: Vec<&[SmolStr]> = Vec::with_capacity(s.members.len());
    for m in &s.members {
        if !lists.contains(&m.values.as_slice()) {
            lists.push(&m.values);
        }
    }
    let mut vals: Vec<String> = Vec::with_capacity(lists.len());
    for list in lists {
        let v = values_text(&words.list(list));
        if !vals.contains(&v) {
            vals.push(v);
        }
    }
    vals
}

/// A statement's name for headings and links: its type and the values the outlets give,
/// in words: `troops: 1500 soldiers (FR) vs 2000 soldiers (FR)` for a conflict.
pub fn statement_title(words: &ValueWords, s: &StatementOut) -> String {
    let sep = if s.verdict == "conflict" {
        " vs "
    } else {
        " / "
    };
    let vals = distinct_values(words, s);
    let mut out = String::with_capacity(
        s.kind.len() + 2 + vals.iter().map(|v| v.len() + sep.len()).sum::<usize>(),
    );
    out.push_str(&s.kind);
    out.push_str(": ");
    for (i, v) in vals.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(v);
    }
    out
}

/// The word diff as a reader can follow it: a run of unchanged text between two changes
/// that is only spaces and punctuation, or one or two words shorter than the changes on
/// both sides, is folded into them, so a rewritten clause reads as one deletion and one
/// insertion instead of a word salad; three shared words or more always stay visible.
/// The result still turns the reference into the member sentence.
pub fn readable_diff(ops: &[Op]) -> Vec<Op> {
    let mut ops: Vec<Op> = coalesce(ops.to_vec());
    loop {
        let mut changed = false;
        let n = ops.len();
        let mut folded: Vec<Op> = Vec::with_capacity(n);
        for i in 0..n {
            let o = &ops[i];
            if o.op == Change::Equal && i > 0 && i + 1 < n {
                let side = |range: &mut dyn Iterator<Item = usize>| {
                    let (mut del, mut ins) = (0, 0);
                    for k in range {
                        match ops[k].op {
                            Change::Delete => del += ops[k].text.chars().count(),
                            Change::Insert => ins += ops[k].text.chars().count(),
                            Change::Equal => break,
                        }
                    }
                    del.max(ins)
                };
                let before = side(&mut (0..i).rev());
                let after = side(&mut (i + 1..n));
                let len = o.text.chars().count();
                let words = o
                    .text
                    .split_whitespace()
                    .filter(|w| w.chars().any(char::is_alphanumeric))
                    .count();
                let short = words == 0 || (words <= 2 && len <= before && len <= after);
                if before > 0 && after > 0 && short {
                    folded.push(Op {
                        op: Change::Delete,
                        text: o.text.clone(),
                    });
                    folded.push(Op {
                        op: Change::Insert,
                        text: o.text.clone(),
                    });
                    changed = true;
                    continue;
                }
            }
            folded.push(o.clone());
        }
        ops = coalesce(folded);
        if !changed {
            return ops;
        }
    }
}

/// Merge each run of changes into at most one deletion then one insertion, and adjacent
/// equal runs into one.
fn coalesce(ops: Vec<Op>) -> Vec<Op> {
    let mut out: Vec<Op> = Vec::new();
    let (mut del, mut ins): (Option<TextSlice>, Option<TextSlice>) = (None, None);
    let flush = |out: &mut Vec<Op>, del: &mut Option<TextSlice>, ins: &mut Option<TextSlice>| {
        for (op, text) in [(Change::Delete, del), (Change::Insert, ins)] {
            if let Some(text) = text.take().filter(|t| !t.is_empty()) {
                out.push(Op { op, text });
            }
        }
    };
    let add = |run: &mut Option<TextSlice>, text: TextSlice| match run {
        Some(run) => run.join(&text),
        None => *run = Some(text),
    };
    for o in ops {
        match o.op {
            Change::Delete => add(&mut del, o.text),
            Change::Insert => add(&mut ins, o.text),
            Change::Equal => {
                flush(&mut out, &mut del, &mut ins);
                match out.last_mut() {
                    Some(last) if last.op == Change::Equal => last.text.join(&o.text),
                    _ => out.push(o),
                }
            }
        }
    }
    flush(&mut out, &mut del, &mut ins);
    out
}

/// Write every file of the site: `report.json` (streamed), `report.md` and the HTML pages,
/// `rules_page` being the rules' own page ([`html::rules_page`]).
pub fn write(report: &Report, rules_page: &str, sink: &crate::site::Sink) -> anyhow::Result<()> {
    // report.json is one large file serialised on one thread: it is written while the
    // other threads render the pages.
    let (json, pages) = rayon::join(
        || {
            sink.stream("report.json", |w| Ok(report_json(w, report)?))?;
            sink.put("report.md", markdown::report(report).as_bytes())
        },
        || html::write(report, rules_page, sink),
    );
    json.and(pages)
}

/// report.json: the report, pretty-printed, and a final newline.
#[inline(never)] // counted on its own by `benches/instructions.sh --build`
fn report_json(w: &mut impl std::io::Write, report: &Report) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, report)?;
    w.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A document's sentences are written to report.json as a list of `SentenceOut`
    /// records one to a line ([`one_per_line`]) writes them, byte for byte, compact and
    /// pretty, whatever their texts hold: quotes, backslashes, control characters, Arabic,
    /// marks, any character, short texts and texts past a 32-byte block.
    mod sentences_json {
        use super::*;
        use proptest::prelude::*;

        #[derive(Serialize)]
        struct AsRecords {
            #[serde(serialize_with = "one_per_line")]
            sentences: Vec<SentenceOut>,
        }

        #[derive(Serialize)]
        struct AsSentences {
            sentences: Sentences,
        }

        fn same(pieces: &[(String, u32, u32)]) -> Result<(), TestCaseError> {
            let mut text = String::new();
            let mut spans = Vec::new();
            for (piece, id, line) in pieces {
                let start = text.len() as u32;
                text.push_str(piece);
                spans.push((*id, *line, start..text.len() as u32));
            }
            let sentences = Sentences::new(Arc::from(text), spans);
            let records = AsRecords {
                sentences: sentences.iter().collect(),
            };
            let ours = AsSentences { sentences };
            prop_assert_eq!(
                serde_json::to_string_pretty(&ours).unwrap(),
                serde_json::to_string_pretty(&records).unwrap()
            );
            prop_assert_eq!(
                serde_json::to_string(&ours).unwrap(),
                serde_json::to_string(&records).unwrap()
            );
            Ok(())
        }

        #[test]
        fn every_character_below_128_and_none() {
            let mut pieces: Vec<(String, u32, u32)> = (0u8..128)
                .map(|b| (format!("نص {} آخر", char::from(b)), u32::from(b), 1))
                .collect();
            pieces.push((String::new(), 0, 0));
            pieces.push(("ق".repeat(40), u32::MAX, u32::MAX));
            same(&pieces).unwrap();
            same(&[]).unwrap();
        }

        proptest! {
            #[test]
            fn any_text(pieces in proptest::collection::vec(
                (any::<String>(), any::<u32>(), any::<u32>()), 0..6)) {
                same(&pieces)?;
            }

            #[test]
            fn arabic_with_what_json_escapes(pieces in proptest::collection::vec(
                ("[\\u{0600}-\\u{06ff} a-z\\x00-\\x1f\"\\\\\\u{200f}]{0,90}", any::<u32>(), 0u32..500), 0..6)) {
                same(&pieces)?;
            }
        }
    }

    /// Who reports a statement is counted as the corpus header counts: the outlets
    /// found, the articles of unknown outlet apart.
    #[test]
    fn reports_count_articles_of_unknown_outlet_apart_from_outlets() {
        assert_eq!(reported_by(1, 5, 0, 0), "Reported by 1 of 5 outlets");
        assert_eq!(reported_by(1, 1, 0, 0), "Reported by 1 of 1 outlet");
        assert_eq!(reported_by(1, 4, 0, 1), "Reported by 1 of 4 outlets");
        assert_eq!(reported_by(1, 1, 0, 2), "Reported by 1 of 1 outlet");
        assert_eq!(
            reported_by(1, 4, 1, 1),
            "Reported by 1 of 4 outlets and by 1 article of unknown outlet"
        );
        assert_eq!(
            reported_by(2, 4, 1, 3),
            "Reported by 2 of 4 outlets and by 1 of 3 articles of unknown outlet"
        );
        assert_eq!(
            reported_by(0, 4, 1, 1),
            "Reported only by 1 article of unknown outlet"
        );
        assert_eq!(
            reported_by(0, 0, 2, 2),
            "Reported by 2 articles of unknown outlet"
        );
        assert_eq!(not_reporting(3, 40, 0, 0), "37 of 40");
        assert_eq!(not_reporting(3, 40, 2, 2), "37 of 40");
        assert_eq!(
            not_reporting(3, 40, 0, 1),
            "37 of 40, and 1 article of unknown outlet"
        );
        assert_eq!(
            not_reporting(40, 40, 1, 3),
            "0 of 40, and 2 of 3 articles of unknown outlet"
        );
        assert_eq!(
            not_reporting(0, 0, 1, 13),
            "12 of 13 articles of unknown outlet"
        );
    }

    /// A name is `single` when one outlet names it, however often and however spelled;
    /// otherwise `variant` when spelled apart and `same` when not.
    #[test]
    fn entity_verdicts_need_two_outlets_to_agree() {
        let mention = |outlet: &str| MentionOut {
            doc: "d".into(),
            outlet: outlet.into(),
            text: "تياني".into(),
            line: 1,
            sentence: 1,
            claim: "c".into(),
        };
        let one = [mention("RT Arabic"), mention("RT Arabic")];
        let two = [mention("RT Arabic"), mention("العربية")];
        assert_eq!(entity_verdict(false, &one), "single");
        assert_eq!(entity_verdict(false, &two), "same");
        assert_eq!(entity_verdict(true, &one), "single");
        assert_eq!(entity_verdict(true, &two), "variant");
        assert_eq!(entity_verdict(false, &[]), "single");
    }

    /// Each sentence's document and place, as [`Places`] gives them, against counting.
    fn places_agree_with_counting(docs: usize, sentence_docs: &[usize]) {
        let sentences: Vec<Sentence> = sentence_docs
            .iter()
            .map(|&doc| Sentence {
                doc,
                ordinal: 1,
                span: 0..0,
                line: 1,
                key_range: 0..0,
                words: None,
            })
            .collect();
        let places = Places::of(&sentences, docs);
        let mut count = vec![0; docs];
        for (i, &doc) in sentence_docs.iter().enumerate() {
            assert_eq!(
                places.get(i),
                (doc, count[doc]),
                "sentence {i} of {sentence_docs:?}"
            );
            count[doc] += 1;
        }
    }

    #[test]
    fn a_sentence_is_found_in_its_document_whatever_the_order() {
        // In document order, with documents without sentences first, between and last.
        places_agree_with_counting(7, &[1, 1, 1, 2, 4, 4, 5]);
        places_agree_with_counting(1, &[0, 0, 0]);
        places_agree_with_counting(3, &[]);
        assert!(matches!(Places::of(&[], 2), Places::Runs(_)));
        // Out of document order.
        places_agree_with_counting(3, &[2, 0, 2, 1, 0]);
    }

    #[test]
    fn slugs_are_url_safe_and_distinct() {
        assert_eq!(slug("000_ad26"), "000_ad26");
        let a = slug("مقال أول");
        let b = slug("مقال ثاني");
        assert_ne!(a, b);
        // No safe character: the hash alone, not `-` and the hash.
        assert_eq!(a.len(), 8, "{a}");
        assert!(a
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        assert!(slug("../x").starts_with("x-") || !slug("../x").contains('/'));
        // A long story names its pages in bounds, and two that share their start differ.
        let long = |end: &str| format!("{}{end}", "niger russia cooperation ".repeat(12));
        let (a, b) = (story_slug(&long("a")), story_slug(&long("b")));
        assert_ne!(a, b);
        for s in [
            &a,
            &b,
            &slug(&"x".repeat(300)),
            &story_slug(&"ب".repeat(300)),
        ] {
            assert!(s.len() <= SLUG_MAX + 9, "{s}");
        }
        assert_ne!(slug(&"x".repeat(300)), slug(&"x".repeat(301)));
    }

    #[test]
    fn text_slices_read_as_their_piece_and_round_trip_through_json() {
        let text: Arc<str> = Arc::from("أولى. قال \"نعم\" ثم مضى.");
        let at = text.find('ق').unwrap();
        let piece = TextSlice::new(&text, at..text.len());
        assert_eq!(piece.as_str(), "قال \"نعم\" ثم مضى.");
        assert_eq!(&*piece, &text[at..]);
        let json = serde_json::to_string(&piece).unwrap();
        assert_eq!(json, r#""قال \"نعم\" ثم مضى.""#);
        let back: TextSlice = serde_json::from_str(&json).unwrap();
        assert_eq!(back, piece);
        assert_eq!(
            format!("{back}|{back:?}"),
            format!("{}|{:?}", &text[at..], &text[at..])
        );
    }

    #[test]
    fn a_documents_sentences_share_its_text_and_read_back_from_json() {
        let text: Arc<str> = Arc::from("أولى.\nثانية هنا.");
        let second = text.find('ث').unwrap();
        let sentences = Sentences::new(
            Arc::clone(&text),
            vec![
                (1, 1, 0..second as u32 - 1),
                (2, 2, second as u32..text.len() as u32),
            ],
        );
        assert_eq!(sentences.len(), 2);
        assert_eq!((sentences.id(1), sentences.line(1)), (2, 2));
        let second_out = sentences.at(1);
        assert_eq!((second_out.id, second_out.text.as_str()), (2, "ثانية هنا."));
        let json = serde_json::to_string(&sentences).unwrap();
        let list: Vec<SentenceOut> = sentences.iter().collect();
        assert_eq!(json, serde_json::to_string(&list).unwrap());
        let back: Sentences = serde_json::from_str(&json).unwrap();
        assert_eq!(back, sentences);
        assert_eq!(back.at(0).text.as_str(), "أولى.");
    }

    /// A report is read back only while a document's sentences fit the `u32` places: past
    /// that, an error, never a wrapped offset. The 4 GiB limit is tried with a small one.
    #[test]
    fn sentences_past_the_u32_places_are_refused_when_read_back() {
        let list: Vec<SentenceOut> = serde_json::from_str(
            r#"[{"id": 1, "line": 1, "text": "أولى."}, {"id": 2, "line": 2, "text": "ثانية."}]"#,
        )
        .unwrap();
        let first = "أولى.".len() as u32;
        let both = first + "ثانية.".len() as u32;
        assert_eq!(Sentences::joined(&list, both).unwrap().len(), 2);
        assert_eq!(
            Sentences::joined(&list, both - 1).unwrap_err(),
            "a document's sentences past 4 GiB of text"
        );
        assert_eq!(Sentences::joined(&list[..1], first).unwrap().len(), 1);
        let past = r#"[{"id": 4294967296, "line": 1, "text": "أولى."}]"#;
        let e = serde_json::from_str::<Sentences>(past).unwrap_err();
        assert!(e.to_string().contains("past 2^32"), "{e}");
        let line_past = r#"[{"id": 1, "line": 4294967296, "text": "أولى."}]"#;
        assert!(serde_json::from_str::<Sentences>(line_past).is_err());
    }

    #[test]
    #[should_panic(expected = "within its text")]
    fn a_text_slice_never_splits_a_char() {
        let text: Arc<str> = Arc::from("نعم");
        TextSlice::new(&text, 0..1);
    }

    #[test]
    fn a_value_given_twice_is_listed_once_with_its_count() {
        assert_eq!(
            values_text(&["wagner", "ecowas", "ecowas"]),
            "wagner, ecowas ×2"
        );
        // Two figures that read the same are still two: 1500 to Mali and 1500 to Niger.
        assert_eq!(
            values_text(&["1500 soldier", "2000 soldier", "1500 soldier"]),
            "1500 soldier ×2, 2000 soldier"
        );
        assert_eq!(values_text::<&str>(&[]), "");
        let member = MemberOut {
            doc: "a".into(),
            outlet: "A".into(),
            published: None,
            sentence: 1,
            line: 1,
            text: TextSlice::from("فاغنر وإيكواس والمجموعة الاقتصادية لدول غرب أفريقيا"),
            claims: vec!["c1".into(), "c2".into(), "c3".into()],
            values: vec!["wagner".into(), "ecowas".into(), "ecowas".into()],
            diff: Vec::new(),
        };
        let s = StatementOut {
            id: "org-a-s1".into(),
            kind: "org".into(),
            verdict: "single".into(),
            reason: String::new(),
            elsewhere: Vec::new(),
            members: vec![member],
            page: String::new(),
        };
        let words = ValueWords(Arc::new(
            [("wagner", "فاغنر"), ("ecowas", "إيكواس")]
                .into_iter()
                .map(|(id, name)| (SmolStr::from(id), SmolStr::from(name)))
                .collect(),
        ));
        // Titled by the names the pages show, not the ids report.json keeps.
        assert_eq!(statement_title(&words, &s), "org: فاغنر, إيكواس ×2");
        // A report read back from report.json has no words: its ids are shown.
        assert_eq!(
            statement_title(&ValueWords::default(), &s),
            "org: wagner, ecowas ×2"
        );
    }

    fn sides(ops: &[Op]) -> (String, String) {
        let (mut old, mut new) = (String::new(), String::new());
        for o in ops {
            if o.op != Change::Insert {
                old.push_str(&o.text);
            }
            if o.op != Change::Delete {
                new.push_str(&o.text);
            }
        }
        (old, new)
    }

    #[test]
    fn readable_diff_folds_short_equal_runs() {
        let old = "وفي مارس الماضي، أعلنت النيجر إلغاء اتفاق التعاون العسكري";
        let new = "وأعلن المجلس العسكري الحاكم في النيجر الشهر الماضي إنهاء اتفاق التعاون العسكري";
        let raw = diff::words(&old.into(), &new.into());
        let clean = readable_diff(&raw);
        assert_eq!(sides(&clean), (old.to_string(), new.to_string()));
        assert!(clean.len() < raw.len(), "{clean:#?}");
        assert!(clean
            .iter()
            .any(|o| o.op == Change::Equal && o.text.contains("اتفاق التعاون العسكري")));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        #[test]
        fn readable_diff_still_turns_left_into_right(a in "[ا-ي 0-9.]{0,40}", b in "[ا-ي 0-9.]{0,40}") {
            let (old, new) = (TextSlice::from(a.as_str()), TextSlice::from(b.as_str()));
            let ops = readable_diff(&diff::words(&old, &new));
            // The member exactly; the reference as matching reads it (an equal run is the
            // member's writing of a word, ـ2 and 2 alike).
            let (was, is) = sides(&ops);
            proptest::prop_assert_eq!(is, b);
            proptest::prop_assert_eq!(crate::normalize::key(&was), crate::normalize::key(&a));
            // A run the fold did not touch still shares its sentence's text.
            for o in ops.iter().filter(|o| o.op == Change::Insert) {
                proptest::prop_assert!(o.text.is_piece_of(&new), "{:?} copied", o);
            }
        }
    }
}
