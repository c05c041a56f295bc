//! Plain data shared by the pipeline stages.
//!
//! Every stage reads what earlier stages produced and returns new values; nothing here
//! knows about files, rules or rendering. Spans are byte ranges into a document's
//! original (decoded) text, so evidence always shows the outlet's own words.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use smol_str::SmolStr;
use std::ops::Range;
use std::sync::Arc;

/// A byte range in a document's original text.
pub type Span = Range<usize>;

/// Index of a document in the corpus (sorted by path).
pub type DocIdx = usize;

/// How a document's body was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
}

/// The `outlet_source` of an article whose outlet was not found, which is then named by
/// its file.
pub const OUTLET_UNKNOWN: &str = "file name";

/// One article as ingested.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The file stem: stable, human-readable, unique in the corpus.
    pub id: String,
    /// Path relative to the seeds folder, with `/` separators.
    pub path: String,
    pub format: Format,
    pub title: String,
    /// The outlet's name; when none was found, `unknown outlet of {path}`
    /// ([`crate::ingest::unknown_outlet`]).
    pub outlet: String,
    /// Where the outlet came from: `front matter`, `metadata line`, or `file name` when
    /// none was found and `outlet` names the file instead.
    pub outlet_source: &'static str,
    pub url: Option<String>,
    pub published: Option<NaiveDate>,
    /// Where the date came from: `front matter` or `metadata line`; empty when none.
    pub published_source: &'static str,
    pub lang: String,
    /// Alignment happens within a story only; documents without one share the default story.
    pub story: String,
    /// The decoded file (BOM removed, line endings as LF). Spans point into it.
    pub text: String,
    /// A copy of `text` with the same byte length where everything that is not article
    /// prose (front matter, Markdown syntax, set-aside boilerplate) is blanked with spaces.
    /// Keeping the length identical means offsets never need translating.
    pub body: String,
    /// What was set aside, in text order.
    pub excluded: Vec<Excluded>,
    /// Warnings a reader should see on the document's page (no date found, …).
    pub notes: Vec<String>,
    /// The match keys of the body's lines that ingest read them by (`line_keys[i]` for
    /// line *i* of `body`, `None` where a line was not normalised or was blanked since),
    /// for normalisation to join rather than normalise the body again; it takes them.
    /// Whatever changes a line of `body` must clear its key: a key is checked against its
    /// line's length only, which blanking keeps.
    pub(crate) line_keys: Vec<Option<crate::normalize::Normalized>>,
}

/// A run of text set aside as boilerplate or metadata, kept for the report.
#[derive(Debug, Clone, PartialEq)]
pub struct Excluded {
    pub span: Span,
    pub reason: String,
}

/// One sentence of a document's body.
#[derive(Debug, Clone, PartialEq)]
pub struct Sentence {
    pub doc: DocIdx,
    /// 1-based ordinal within its document.
    pub ordinal: usize,
    /// Byte range in the document's original text.
    pub span: Span,
    /// 1-based line of the sentence start in the file.
    pub line: usize,
    /// Byte range of the sentence in its document's match key (see
    /// [`crate::normalize::Normalized::part`]). The key itself is held only while its
    /// document is analysed, so a large corpus is not held twice.
    pub key_range: Range<usize>,
    /// What alignment compares the sentence by: filled by extraction for sentences with
    /// any claim, and dropped once statements are formed. One optional box, because most
    /// sentences hold no claim and a corpus has millions of sentences.
    pub words: Option<Box<Words>>,
}

impl Sentence {
    /// Its [`Words::terms`], none when it holds no claim.
    pub fn terms(&self) -> &[SmolStr] {
        self.words.as_ref().map_or(&[], |w| &w.terms)
    }

    /// Its [`Words::marks`], none when it holds no claim.
    pub fn marks(&self) -> &[String] {
        self.words.as_ref().map_or(&[], |w| &w.marks)
    }

    /// Its [`Words::parts`]: per claim of the sentence, in claim order, the marks of that
    /// claim alone (empty: the sentence's); none when its claims are not told apart.
    pub fn parts(&self) -> Option<&[Vec<String>]> {
        Some(&self.words.as_ref()?.parts.as_ref()?.0)
    }
}

/// A claim-bearing sentence's words, as alignment compares them.
#[derive(Debug, Clone, PartialEq)]
pub struct Words {
    /// Stemmed content words outside the sentence's claims (most are short enough to be
    /// held inline, without an allocation each).
    pub terms: Vec<SmolStr>,
    /// Keys of `align.distinguish` lexicon words in the sentence, as `lexicon:key`.
    pub marks: Vec<String>,
    /// When the sentence names several keys of one `align.distinguish` lexicon and two
    /// counts of one type go with different ones (40 قتيلا و65 جريحا): per claim
    /// of the sentence, in claim order, the marks that go with that claim, empty for a
    /// claim that keeps the sentence's (see [`crate::align::parts`]). Rare: none for
    /// almost every sentence, which pays one pointer.
    pub parts: Option<Box<Parts>>,
}

/// Per claim of a sentence, the `align.distinguish` marks that go with it (see
/// [`Words::parts`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Parts(pub Vec<Vec<String>>);

/// How exact a quantity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Qualifier {
    Exact,
    Approx,
    AtLeast,
    AtMost,
    /// A vague plural (عشرات، مئات): the value is its floor.
    Vague,
}

impl Qualifier {
    pub fn as_str(self) -> &'static str {
        match self {
            Qualifier::Exact => "exact",
            Qualifier::Approx => "approx",
            Qualifier::AtLeast => "at_least",
            Qualifier::AtMost => "at_most",
            Qualifier::Vague => "vague",
        }
    }

    pub fn parse(s: &str) -> Option<Qualifier> {
        Some(match s {
            "exact" => Qualifier::Exact,
            "approx" => Qualifier::Approx,
            "at_least" => Qualifier::AtLeast,
            "at_most" => Qualifier::AtMost,
            "vague" => Qualifier::Vague,
            _ => return None,
        })
    }

    /// The sign a reader sees before the number: `~1000`, `≥8000`.
    pub fn sign(self) -> &'static str {
        match self {
            Qualifier::Exact => "",
            Qualifier::Approx => "~",
            Qualifier::AtLeast => "≥",
            Qualifier::AtMost => "≤",
            Qualifier::Vague => "≥",
        }
    }
}

/// The normalised value of a claim.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Quantity {
        amount: f64,
        qualifier: Qualifier,
        unit: Option<String>,
        /// Whose (troops): a canonical subject such as `US`.
        subject: Option<String>,
        /// Relative tolerance of the claim type for comparisons.
        tolerance: f64,
        /// `1.500`-style numbers read as thousands: shown with a warning.
        ambiguous: bool,
    },
    Date(crate::dates::DateValue),
    /// A canonical entity id.
    Name {
        entity: String,
        how: MatchHow,
    },
}

/// How a name mention was recognised.
#[derive(Debug, Clone, PartialEq)]
pub enum MatchHow {
    /// One of the aliases listed in rules.toml.
    Alias,
    /// An unlisted spelling close to a listed one: the alias it resembles and the score.
    Fuzzy { alias: String, score: f64 },
}

/// One claim found in one sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    /// Claim type id from rules.toml (`troops`, `date`, `person`, …). Short ids are held
    /// inline, as is the pattern: two allocations fewer per claim (700 000 at 100k).
    pub rule: SmolStr,
    /// Which pattern of the rule matched, as `id#n` (1-based).
    pub pattern: SmolStr,
    pub doc: DocIdx,
    /// Index into the corpus-wide sentence list.
    pub sentence: usize,
    /// Byte range in the document's original text.
    pub span: Span,
    pub value: Value,
}

/// A name and all its mentions across the corpus.
#[derive(Debug, Clone, PartialEq)]
pub struct Entity {
    pub id: String,
    pub kind: String,
    pub canonical: String,
    /// Indices into the claim list of this entity's mentions.
    pub mentions: Vec<usize>,
    /// Distinct spellings, as the articles write them: told apart by name key, shorter
    /// forms folded into longer ones ([`crate::entities::shown_spellings`]).
    pub spellings: Vec<String>,
}

/// The verdict on a statement group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    Conflict,
    Agree,
    Single,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Conflict => "conflict",
            Verdict::Agree => "agree",
            Verdict::Single => "single",
        }
    }
}

/// Sentences from different documents that report the same thing, for one claim type.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub rule: String,
    /// Members: (sentence index, claim indices of this rule in that sentence), sorted by
    /// publication date then document path; the first is the reference sentence.
    pub members: Vec<(usize, Vec<usize>)>,
}

/// A piece of an article's text that shares one copy with the rest of the article: the
/// sentences of a document point into one text, and each statement member into its
/// sentence's, instead of each holding a string of its own. Reads as a `str`; serialised
/// as one.
#[derive(Clone)]
pub struct TextSlice {
    text: Arc<str>,
    range: Range<usize>,
}

impl TextSlice {
    /// `text[range]`; `range` must lie within `text`, on character boundaries.
    pub fn new(text: &Arc<str>, range: Range<usize>) -> TextSlice {
        assert!(
            text.get(range.clone()).is_some(),
            "a text slice lies within its text, on character boundaries"
        );
        TextSlice {
            text: Arc::clone(text),
            range,
        }
    }

    /// `text[range]` for a range the caller has checked already (a wrong one panics
    /// when read, as indexing does).
    pub(crate) fn prechecked(text: &Arc<str>, range: Range<usize>) -> TextSlice {
        TextSlice {
            text: Arc::clone(text),
            range,
        }
    }

    pub fn as_str(&self) -> &str {
        &self.text[self.range.clone()]
    }

    /// `self[range]`, sharing the same text; `range` is relative to this slice.
    pub fn sub(&self, range: Range<usize>) -> TextSlice {
        TextSlice::new(
            &self.text,
            self.range.start + range.start..self.range.start + range.end,
        )
    }

    /// Whether this is a piece of `whole`'s text within `whole`, not a copy.
    pub fn is_piece_of(&self, whole: &TextSlice) -> bool {
        Arc::ptr_eq(&self.text, &whole.text)
            && whole.range.start <= self.range.start
            && self.range.end <= whole.range.end
    }

    /// `self` followed by `next`. When `next` continues `self` in the same text (the
    /// runs of a word diff do) the slice grows in place; otherwise the two are copied
    /// into a text of their own.
    pub fn join(&mut self, next: &TextSlice) {
        if Arc::ptr_eq(&self.text, &next.text) && self.range.end == next.range.start {
            self.range.end = next.range.end;
        } else if self.range.is_empty() {
            *self = next.clone();
        } else if !next.range.is_empty() {
            *self = TextSlice::from([self.as_str(), next.as_str()].concat());
        }
    }
}

impl std::ops::Deref for TextSlice {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for TextSlice {
    fn from(s: &str) -> TextSlice {
        TextSlice {
            text: Arc::from(s),
            range: 0..s.len(),
        }
    }
}

impl From<String> for TextSlice {
    fn from(s: String) -> TextSlice {
        TextSlice::from(s.as_str())
    }
}

impl PartialEq for TextSlice {
    fn eq(&self, other: &TextSlice) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for TextSlice {}

impl std::fmt::Debug for TextSlice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl std::fmt::Display for TextSlice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for TextSlice {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for TextSlice {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<TextSlice, D::Error> {
        /// Straight from the parsed string into the shared copy, without a `String` between.
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = TextSlice;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<TextSlice, E> {
                Ok(TextSlice::from(s))
            }
        }
        d.deserialize_str(Visitor)
    }
}
