//! `rules.toml` → a validated, compiled [`RuleSet`].
//!
//! Two layers, as ripgrep treats its flags: [`RulesFile`] mirrors the file with serde
//! (`deny_unknown_fields`, spans kept on every pattern and id), then [`RuleSet::compile`]
//! checks meaning and compiles patterns, collecting *every* problem into one list so a
//! user fixes the file in one pass. Patterns, lexicon words and aliases pass through the
//! same normalisation as the articles, so a rule written with hamza, diacritics or
//! Arabic-Indic digits still matches.
//!
//! Patterns reference shared pieces by name: `{number}` and `{ordinal}` (built in, from
//! the number parser), any `[lexicon.NAME]` (an alternation of its words) and any
//! `[fragments]` entry. A capture named after a lexicon resolves to that lexicon's
//! canonical key (`(?<qualifier>{qualifier})` → `approx`).

use crate::diag::{Diagnostic, Report};
use crate::{dates, extract, normalize, numbers};
use chrono::NaiveDate;
use foldhash::{HashMap, HashSet};
use regex::Regex;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use toml::Spanned;

// ---------------------------------------------------------------------------------------
// Layer 1: the file as written. These doc comments are the reference for each key, and
// docs/rules.md says the same for users: change both together (a test checks that every
// key here is documented there).

/// The whole `rules.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesFile {
    /// Patterns that find the publication date and outlet in articles without front matter.
    #[serde(default)]
    pub metadata: MetadataFile,
    /// Page furniture to set aside before claims are sought.
    #[serde(default)]
    pub boilerplate: BoilerplateFile,
    /// Sentence splitting.
    #[serde(default)]
    pub segment: SegmentFile,
    /// Statement alignment across outlets.
    #[serde(default)]
    pub align: AlignFile,
    /// Settings for running the claim types' examples.
    #[serde(default)]
    pub examples: ExamplesFile,
    /// Named word lists: `[lexicon.NAME]` maps a canonical key to its surface forms.
    #[serde(default)]
    pub lexicon: BTreeMap<Spanned<String>, BTreeMap<String, Vec<Spanned<String>>>>,
    /// Named regex pieces, referenced from patterns as `{name}`.
    #[serde(default)]
    pub fragments: BTreeMap<String, Spanned<String>>,
    /// Claim types.
    #[serde(default)]
    pub claim: Vec<ClaimFile>,
    /// Named people and organisations with their known spellings.
    #[serde(default)]
    pub entity: Vec<EntityFile>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetadataFile {
    /// Line patterns capturing `day`, `month` (number) or `month_name`, `year`, and
    /// optionally `outlet`. The first line that matches gives the publication date.
    #[serde(default)]
    pub published: Vec<Spanned<String>>,
    /// Line patterns capturing `outlet`. The last line that matches gives the outlet
    /// (pages name the agency first and themselves last).
    #[serde(default)]
    pub outlet: Vec<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BoilerplateFile {
    /// From the start of the first line matching one of these to the end of the document.
    #[serde(default)]
    pub cut: Vec<MarkerFile>,
    /// From the match to the end of its line.
    #[serde(default)]
    pub cut_line: Vec<MarkerFile>,
    /// Whole lines matching the pattern.
    #[serde(default)]
    pub drop: Vec<MarkerFile>,
}

/// One boilerplate marker.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkerFile {
    /// A regex on the line's match key.
    pub pattern: Spanned<String>,
    /// Shown to the reader next to what was set aside.
    pub reason: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SegmentFile {
    /// Tokens ending in `.` after which a sentence does not end (`د.`, `م.`).
    #[serde(default)]
    pub abbreviations: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlignFile {
    /// Minimum cosine similarity of two sentences' content words and names to report the
    /// same statement.
    #[serde(default = "default_min_similarity")]
    pub min_similarity: Spanned<f64>,
    /// Minimum cosine similarity of their topic alone (content words, other names,
    /// subjects; not the unit, month or place keys) for two sentences to meet at all.
    #[serde(default = "default_min_topic")]
    pub min_topic: Spanned<f64>,
    /// Words that carry no topic (function words, reporting verbs).
    #[serde(default)]
    pub stopwords: Vec<String>,
    /// A word shared by more sentences than this is too common to propose candidates.
    #[serde(default = "default_max_postings")]
    pub max_postings: usize,
    /// Lexicons whose words tell statements apart: two sentences that each name a word of
    /// such a lexicon (by its key) that the other does not name report different things
    /// (`[lexicon.place]`: the same figure for Mali and for Senegal is two facts). In a
    /// sentence naming several keys of one, each count goes with the keys of its own
    /// clause (40 قتيلا و65 جريحا: two facts).
    #[serde(default)]
    pub distinguish: Vec<Spanned<String>>,
}

impl Default for AlignFile {
    fn default() -> Self {
        AlignFile {
            min_similarity: default_min_similarity(),
            min_topic: default_min_topic(),
            stopwords: Vec::new(),
            max_postings: default_max_postings(),
            distinguish: Vec::new(),
        }
    }
}

fn default_min_similarity() -> Spanned<f64> {
    Spanned::new(0..0, 0.3)
}

fn default_min_topic() -> Spanned<f64> {
    Spanned::new(0..0, 0.1)
}

fn default_max_postings() -> usize {
    200
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExamplesFile {
    /// The publication date that the examples resolve relative dates against (YYYY-MM-DD).
    pub published: Option<Spanned<String>>,
}

/// One claim type.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimFile {
    /// Stable id, used in report.json, file names and pattern ids (`troops#1`): lowercase
    /// ASCII letters, digits, `_`; unique.
    pub id: Spanned<String>,
    /// The value parser: `quantity` (captures `number`, or `one` / `two` around a lone
    /// singular / dual noun; optionally `qualifier`, `unit`, `subject`), `date` (`day`,
    /// `ordinal`, `month`, `year`, `weekday`, `direction`, `period`, `day_offset`, `part`)
    /// or `name` (no patterns: mentions of the `[[entity]]` aliases).
    pub kind: Spanned<String>,
    /// One or two sentences for the rules page and `compare rules` (Markdown); required.
    pub description: Option<String>,
    /// Unit given to every claim of this type, unless a `unit` capture names one.
    pub unit: Option<String>,
    /// How the pages write `unit` for a count other than 1 (`people` for `person`); `unit`
    /// and `s` when not given.
    pub unit_plural: Option<Spanned<String>>,
    /// Relative tolerance when comparing approximate quantities (0.1 = ±10%).
    pub tolerance: Option<Spanned<f64>>,
    /// For quantities without a `subject` capture: how many words before the match to
    /// search for a `[lexicon.subject]` word saying whose (troops). 0 = never.
    #[serde(default)]
    pub subject_window: usize,
    /// How many topic features (content words, other names, subjects) two sentences of
    /// this type must share to be aligned, beyond `align.min_topic`. Default 1.
    pub min_shared_topic: Option<Spanned<i64>>,
    /// For `kind = "name"`: the `[[entity]]` type whose mentions are this claim type.
    pub entity_type: Option<Spanned<String>>,
    /// Regexes on the sentence's match key, `{name}` inserting a lexicon or fragment;
    /// the n-th is reported as `id#n`. Required for `quantity` and `date`.
    #[serde(default)]
    pub patterns: Vec<Spanned<String>>,
    /// Texts with the value they must yield, run by `compare check` and `compare build`.
    #[serde(default)]
    pub examples: Vec<ExampleFile>,
    /// Texts that must yield no claim of this type.
    #[serde(default)]
    pub counter_examples: Vec<Spanned<String>>,
}

/// A rule example: the text alone must give exactly one claim covering it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExampleFile {
    /// The text, alone, as it could appear in an article.
    pub text: Spanned<String>,
    /// The expected value: a number, an ISO date at its precision or an entity id.
    pub value: String,
    /// The expected qualifier (`exact`, `approx`, `at_least`, `at_most`, `vague`), if given.
    pub qualifier: Option<String>,
    /// The expected unit (`USD`), if given.
    pub unit: Option<String>,
    /// The expected subject (`US`), if given.
    pub subject: Option<String>,
}

/// One named person or organisation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntityFile {
    /// Stable id, the value of name claims (`tiani`); unique.
    pub id: Spanned<String>,
    /// `person` or `org` (any word: claim types of kind `name` select by it).
    #[serde(rename = "type")]
    pub kind: Spanned<String>,
    /// The spelling shown as the entity's name (also a known spelling).
    pub canonical: Spanned<String>,
    /// Known spellings in any script (the canonical one is added automatically); a
    /// spelling may belong to one entity only.
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
}

// ---------------------------------------------------------------------------------------
// Layer 2: compiled and checked.

/// What a claim type's value parser is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Quantity,
    Date,
    Name,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Quantity => "quantity",
            Kind::Date => "date",
            Kind::Name => "name",
        }
    }

    /// Captures this kind's value parser understands.
    fn captures(self) -> &'static [&'static str] {
        match self {
            Kind::Quantity => &["number", "one", "two", "qualifier", "unit", "subject"],
            Kind::Date => &[
                "day",
                "ordinal",
                "month",
                "year",
                "weekday",
                "direction",
                "period",
                "day_offset",
                "part",
            ],
            Kind::Name => &[],
        }
    }
}

/// A compiled pattern with where it came from.
#[derive(Debug, Clone)]
pub struct Pattern {
    pub regex: Regex,
    /// The pattern as written in rules.toml.
    pub source: String,
    /// Its line in rules.toml, for `compare explain`.
    pub line: usize,
    /// The pattern has no look-around (`^`, `$`, `\b`, `\B`): its groups in a match depend
    /// on the matched text alone, not on the text around it, so they can be remembered by
    /// that text (see `extract`).
    pub context_free: bool,
}

/// A named word list.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    /// Canonical key → surface forms (match keys).
    pub entries: BTreeMap<String, Vec<String>>,
    lookup: HashMap<String, String>,
}

impl Lexicon {
    /// The canonical key of a surface form (already a match key).
    pub fn canonical(&self, surface: &str) -> Option<&str> {
        self.lookup.get(surface.trim()).map(String::as_str)
    }

    fn alternation(&self) -> String {
        let alts: Vec<String> = longest_first(self.lookup.keys())
            .iter()
            .map(|w| regex::escape(w))
            .collect();
        format!("(?:{})", alts.join("|"))
    }

    /// The words in one automaton, finding what [`Lexicon::alternation`] finds as a regex
    /// without a regex engine's passes: a lexicon is plain words, searched in every
    /// sentence with a claim.
    fn words_automaton(&self) -> Option<aho_corasick::AhoCorasick> {
        longest_first_automaton(self.lookup.keys())
    }
}

/// Words longest first (then by bytes): searched leftmost-first in this order, the
/// longest of those starting at a place is found there.
fn longest_first<'a>(words: impl IntoIterator<Item = &'a String>) -> Vec<&'a String> {
    let mut words: Vec<&String> = words.into_iter().collect();
    words.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    words
}

/// One Aho–Corasick automaton over `words`, leftmost-first over them longest first;
/// `None` if it cannot be built (too large).
fn longest_first_automaton<'a>(
    words: impl IntoIterator<Item = &'a String>,
) -> Option<aho_corasick::AhoCorasick> {
    aho_corasick::AhoCorasick::builder()
        .match_kind(aho_corasick::MatchKind::LeftmostFirst)
        .build(longest_first(words))
        .ok()
}

/// A compiled claim type.
#[derive(Debug, Clone)]
pub struct ClaimRule {
    pub id: String,
    pub kind: Kind,
    pub description: String,
    pub unit: Option<String>,
    /// How the pages write `unit` for a count other than 1: its `unit_plural`, else `unit`
    /// and `s`; `None` without a unit.
    pub unit_plural: Option<String>,
    pub tolerance: f64,
    pub subject_window: usize,
    /// Topic features two sentences must share to be aligned (at least 1).
    pub min_shared_topic: usize,
    pub entity_type: Option<String>,
    pub patterns: Vec<Pattern>,
    pub examples: Vec<Example>,
    pub counter_examples: Vec<String>,
    /// Where each counter-example is written in rules.toml.
    pub counter_example_spans: Vec<Range<usize>>,
    /// Line of the `id` in rules.toml, for the rules page.
    pub line: usize,
}

/// A rule example as compiled.
#[derive(Debug, Clone)]
pub struct Example {
    pub text: String,
    pub value: String,
    pub qualifier: Option<String>,
    pub unit: Option<String>,
    pub subject: Option<String>,
    /// Where the example's text is written in rules.toml.
    pub span: Range<usize>,
}

/// A compiled entity.
#[derive(Debug, Clone)]
pub struct EntityRule {
    pub id: String,
    pub kind: String,
    pub canonical: String,
    /// Name keys of every known spelling.
    pub aliases: Vec<String>,
    /// Every known spelling as rules.toml writes it, one per name key, in the same order
    /// as `aliases`: what the rules page shows.
    pub written: Vec<String>,
    /// Line of the `id` in rules.toml, for `compare explain`.
    pub line: usize,
}

/// A boilerplate marker as compiled.
#[derive(Debug, Clone)]
pub struct Marker {
    pub regex: Regex,
    pub reason: String,
}

/// Everything the pipeline needs from rules.toml, checked.
#[derive(Debug, Clone)]
pub struct RuleSet {
    pub published: Vec<Regex>,
    pub outlet: Vec<Regex>,
    pub cut: Vec<Marker>,
    pub cut_line: Vec<Marker>,
    pub drop: Vec<Marker>,
    pub abbreviations: Vec<String>,
    pub min_similarity: f64,
    pub min_topic: f64,
    pub stopwords: HashSet<String>,
    pub max_postings: usize,
    /// `align.distinguish`: each lexicon's name and its words in one automaton (longest
    /// first, leftmost-first).
    pub distinguish: Vec<(String, aho_corasick::AhoCorasick)>,
    pub examples_published: Option<NaiveDate>,
    pub lexicons: BTreeMap<String, Lexicon>,
    pub claims: Vec<ClaimRule>,
    pub entities: Vec<EntityRule>,
    /// All aliases of all entities in one automaton, longest first: at each place the
    /// longest alias found there wins (leftmost-first over the sorted aliases).
    pub names: Option<aho_corasick::AhoCorasick>,
    /// The words of `[lexicon.subject]` in one automaton (longest first, leftmost-first),
    /// for subjects found near a match.
    pub subject_words: Option<aho_corasick::AhoCorasick>,
    /// Alias name key → entity index.
    pub alias_owner: HashMap<String, usize>,
    /// Distinctive alias words that anchor fuzzy name matches.
    pub name_tokens: Vec<crate::entities::NameToken>,
    /// `name_tokens` indexed for fast look-ups.
    pub name_index: crate::entities::NameIndex,
    /// Every pattern of the quantity and date claim types in one set: a single scan of a
    /// sentence says which patterns can match at all, so a sentence with no figure and no
    /// date costs one pass instead of one per pattern. `None` when the set cannot be built
    /// (each pattern is then tried on its own).
    pub pattern_set: Option<regex::RegexSet>,
    /// Every boilerplate marker (`cut`, `cut_line`, `drop`) in one set: a line none of
    /// them matches, as most lines, costs one pass. `None` when the set cannot be built.
    pub marker_set: Option<regex::RegexSet>,
    /// Every `[metadata]` pattern (`published`, then `outlet`) in one set, for the same
    /// reason: most lines are not metadata. `None` when the set cannot be built.
    pub metadata_set: Option<regex::RegexSet>,
    /// The metadata patterns and the boilerplate markers together: one pass over a line
    /// says it is neither metadata nor boilerplate, as most lines are, where the two sets
    /// took a pass each. `None` when the set cannot be built.
    pub line_set: Option<regex::RegexSet>,
    /// For each claim type: where its patterns start in `pattern_set`, which holds the
    /// patterns of every claim type but `name`, each type's consecutive and in their
    /// order in the type (0 for a `name` type).
    pub pattern_start: Vec<usize>,
    /// Warnings found while compiling (the build prints them, `check` lists them).
    pub warnings: Vec<Diagnostic>,
    /// The file's text, for the rules page and diagnostics.
    pub source: String,
}

impl RuleSet {
    /// A lexicon by name (empty when the file defines none).
    pub fn lexicon(&self, name: &str) -> Option<&Lexicon> {
        self.lexicons.get(name)
    }

    pub fn claim(&self, id: &str) -> Option<&ClaimRule> {
        self.claims.iter().find(|c| c.id == id)
    }
}

/// Read and compile a rules file; every problem comes back in one [`Report`].
pub fn load(path: &std::path::Path) -> anyhow::Result<RuleSet> {
    let display = path.display().to_string();
    let source = read(path)?;
    compile(&display, &source).map_err(anyhow::Error::new)
}

/// The text of a rules file, or an error that says what is wrong and what to do: a
/// missing file, a folder, or bytes that are not UTF-8 (with their line and byte).
fn read(path: &std::path::Path) -> anyhow::Result<String> {
    let display = path.display();
    // A pipe would wait for a writer, a device (a link to /dev/zero) never end: only an
    // ordinary file of a rules file's size is read.
    if let Ok(meta) = std::fs::metadata(path) {
        if !meta.is_file() && !meta.is_dir() {
            anyhow::bail!(
                "cannot read rules file {display}: not an ordinary file (a pipe, socket or device)\n  = help: pass --rules with an ordinary file, such as rules.toml"
            );
        }
        if meta.len() > RULES_MAX_BYTES {
            anyhow::bail!(
                "cannot read rules file {display}: it is {} MB, more than the {} MB a rules file may be\n  = help: pass --rules with the rules file itself, such as rules.toml",
                meta.len() / 1_000_000,
                RULES_MAX_BYTES / 1_000_000
            );
        }
    }
    let bytes = std::fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => anyhow::anyhow!(
            "cannot read rules file {display}: {e}\n  = help: pass --rules FILE, or run from the folder that holds rules.toml"
        ),
        _ if path.is_dir() => anyhow::anyhow!(
            "cannot read rules file {display}: it is a folder\n  = help: pass --rules with the rules file itself, such as rules.toml"
        ),
        _ => anyhow::anyhow!(
            "cannot read rules file {display}: {e}\n  = help: check that the file exists and can be read"
        ),
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let at = e.utf8_error().valid_up_to();
        let line = 1 + bytes[..at].iter().filter(|&&b| b == b'\n').count();
        let what = crate::diag::utf8_fault(bytes, at, e.utf8_error().error_len());
        anyhow::anyhow!(
            "{display}:{line}: {what}\n  = help: save the rules file as UTF-8 (it may be Windows-1256 or another legacy encoding)"
        )
    })
}

/// The largest rules file read: thousands of times `rules.toml`'s size.
const RULES_MAX_BYTES: u64 = 64_000_000;

/// Parse and compile rules from text. Errors carry every problem; warnings stay in the set.
pub fn compile(path: &str, source: &str) -> Result<RuleSet, Report> {
    let (set, diagnostics, _) = compile_all(path, source);
    let report = Report {
        path: path.to_string(),
        source: source.to_string(),
        diagnostics,
    };
    match set {
        Some(mut set) if report.errors() == 0 => {
            set.warnings = report.diagnostics;
            Ok(set)
        }
        _ => Err(report),
    }
}

/// What `compare check` found in a rules file.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The compiled rules, only when there is no error at all (warnings allowed).
    pub set: Option<RuleSet>,
    /// Every problem: TOML syntax, unknown keys, meaning, failing examples, sorted by
    /// position in the file.
    pub report: Report,
}

/// Read a rules file, compile it and run every example and counter-example.
///
/// Only an unreadable file is an `Err`; everything wrong inside it is in the report.
pub fn check(path: &std::path::Path) -> anyhow::Result<Checked> {
    let display = path.display().to_string();
    let source = read(path)?;
    Ok(check_source(&display, &source))
}

/// [`check`] on text. Examples run even when other parts of the file are broken, except
/// those of claim types whose own patterns do not compile (their failures would only
/// repeat the pattern error), so one run lists everything to fix.
pub fn check_source(path: &str, source: &str) -> Checked {
    let (set, mut diagnostics, broken) = compile_all(path, source);
    if let Some(set) = &set {
        diagnostics.extend(run_examples(set, &broken));
    }
    sort_diagnostics(&mut diagnostics);
    let report = Report {
        path: path.to_string(),
        source: source.to_string(),
        diagnostics,
    };
    let set = set.filter(|_| report.errors() == 0).map(|mut set| {
        set.warnings = report.diagnostics.clone();
        set
    });
    Checked { set, report }
}

/// Parse and compile as far as the file allows: the rule set (absent when the file cannot
/// be read as rules at all), every diagnostic, and the ids of claim types whose patterns
/// are broken.
fn compile_all(path: &str, source: &str) -> (Option<RuleSet>, Vec<Diagnostic>, BTreeSet<String>) {
    if source.trim().is_empty() {
        let d = Diagnostic::error(None, "the rules file is empty").help(
            "start from the rules.toml shipped with compare; docs/rules.md describes every table",
        );
        return (None, vec![d], BTreeSet::new());
    }
    let (raw, mut diagnostics, left_out) = parse(source);
    let Some(raw) = raw else {
        sort_diagnostics(&mut diagnostics);
        return (None, diagnostics, BTreeSet::new());
    };
    let left_out_errors = diagnostics
        .iter()
        .any(|d| d.severity == crate::diag::Severity::Error);
    if raw.claim.is_empty() && !left_out_errors {
        // `compare build` has nothing to compare without one: `check` says so too.
        diagnostics.push(
            Diagnostic::error(None, "the rules file defines no claim type ([[claim]] table)")
                .help("add claim types, starting from the rules.toml shipped with compare (docs/rules.md describes them)"),
        );
    }
    let mut c = Compiler::new(path, source, &raw);
    c.left_out = left_out;
    let set = c.compile(&raw);
    diagnostics.append(&mut c.diagnostics);
    sort_diagnostics(&mut diagnostics);
    (Some(set), diagnostics, c.broken)
}

/// By position in the file (whole-file problems first), errors before warnings at one
/// place, each problem once (a fragment used by two patterns reports its fault once).
fn sort_diagnostics(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| {
        let key = |d: &Diagnostic| d.span.as_ref().map(|s| (s.start, s.end));
        key(a)
            .cmp(&key(b))
            .then(a.severity.cmp(&b.severity))
            .then(a.message.cmp(&b.message))
    });
    diagnostics.dedup();
}

/// What [`parse`] left out of the file for its shape.
#[derive(Debug, Default)]
struct LeftOut {
    /// Every string inside what was left out: the `{name}` references among them still
    /// count as uses of a fragment.
    strings: Vec<String>,
    /// `(where the table's id is written, key)` for every key that lost its value or part
    /// of it (an example of the wrong type): that it is now empty or absent says nothing
    /// about the file, so "has no examples" and the like are not reported for it.
    keys: BTreeSet<(usize, String)>,
    /// Fragments and lexicons left out whole: a pattern naming one is not checked further,
    /// rather than reported for naming something undefined.
    names: BTreeSet<String>,
    /// `[examples] published` was left out: date examples cannot be run as written.
    published: bool,
}

impl LeftOut {
    /// Whether the key of the table whose id is written at `id` lost anything.
    fn lost(&self, id: &Range<usize>, key: &str) -> bool {
        self.keys.contains(&(id.start, key.to_string()))
    }
}

/// The file's serde mirror, or why it cannot be had, and what was left out of it.
///
/// Syntax errors come back together (the TOML parser recovers after each) and stop here:
/// past a syntax error the file's structure cannot be trusted, so nothing more is checked.
/// Shape errors come from serde one at a time, so each is reported, mended and the file
/// read again, until it reads: an unknown key is read as the known key it resembles
/// (`descriptoin` as `description`, the "did you mean" of its message) or dropped; a value
/// of the wrong type is dropped (an optional key then takes its default); a table missing
/// a required key (or whose required key was dropped) is left out whole. Every shape error
/// shows in one run, and the meaning checks still run on the tables that remain.
fn parse(source: &str) -> (Option<RulesFile>, Vec<Diagnostic>, LeftOut) {
    use serde::Deserialize as _;
    let mut left_out = LeftOut::default();
    let (mut table, errors) = toml::de::DeTable::parse_recoverable(source);
    if !errors.is_empty() {
        return (None, syntax_diagnostics(source, &errors), left_out);
    }
    let names = |under: &str| -> BTreeSet<String> {
        match table.get_ref().get(under).map(|v| v.get_ref()) {
            Some(toml::de::DeValue::Table(t)) => {
                t.keys().map(|k| k.get_ref().to_string()).collect()
            }
            _ => BTreeSet::new(),
        }
    };
    let written: BTreeSet<String> = names("fragments")
        .into_iter()
        .chain(names("lexicon"))
        .collect();
    let published_written = names("examples").contains("published");
    let mut out: Vec<Diagnostic> = Vec::new();
    // The key dropped last for its wrong type, with the span of its table: serde then says
    // the table lacks it, which only repeats the first error.
    let mut dropped_key: Option<(String, Range<usize>)> = None;
    // Each round removes a key or a value, so this ends; the bound is a guard, not a
    // limit users meet.
    for _ in 0..1000 {
        let e = match RulesFile::deserialize(toml::de::Deserializer::from(table.clone())) {
            Ok(raw) => {
                left_out.names = written
                    .into_iter()
                    .filter(|n| {
                        !raw.fragments.contains_key(n)
                            && !raw.lexicon.keys().any(|l| l.get_ref() == n)
                    })
                    .collect();
                left_out.published = published_written && raw.examples.published.is_none();
                return (Some(raw), out, left_out);
            }
            Err(e) => e,
        };
        let d = toml_diagnostic(&e, source);
        let Some(span) = e.span() else {
            out.push(d);
            return (None, out, left_out);
        };
        let table_span = table.span();
        let root = table.get_mut();
        if e.message().starts_with("unknown field") {
            let meant = d
                .help
                .as_deref()
                .and_then(|h| h.strip_prefix("did you mean `"))
                .and_then(|h| h.split('`').next())
                .map(str::to_string);
            out.push(d);
            dropped_key = None;
            if !fix_key(root, &span, meant.as_deref(), &mut left_out) {
                return (None, out, left_out);
            }
            continue;
        }
        let repeat = dropped_key.as_ref().is_some_and(|(key, at)| {
            *at == span && e.message().starts_with(&format!("missing field `{key}`"))
        });
        match (out.last_mut(), &dropped_key) {
            (Some(first), Some((key, _))) if repeat => {
                // The key was required: say what its table's absence means.
                first.help = Some(format!(
                    "`{key}` is required, so this table is left out of the other checks until it is fixed; docs/rules.md gives the type of every key"
                ));
            }
            _ => out.push(d),
        }
        let mut removal = Removal {
            span,
            exact: true,
            left_out: &mut left_out,
        };
        let dropped = removal.in_table(root, &table_span).or_else(|| {
            removal.exact = false;
            removal.in_table(root, &table_span)
        });
        match dropped {
            Some(Dropped::Key(key, at)) => dropped_key = Some((key, at)),
            Some(Dropped::Item) => dropped_key = None,
            None => return (None, out, left_out),
        }
    }
    (None, out, left_out)
}

/// What [`Removal`] removed.
enum Dropped {
    /// A key, with the span of the table that held it.
    Key(String, Range<usize>),
    /// An item of an array (a value, an inline table, a `[[claim]]` table).
    Item,
}

/// Removes the value that a serde error at `span` is about: the innermost key whose value
/// is written exactly there, or array item written there (a table missing a key is
/// reported at its header or braces); failing that (`exact` false), the innermost key or
/// item that encloses `span`.
struct Removal<'a> {
    span: Range<usize>,
    exact: bool,
    left_out: &'a mut LeftOut,
}

impl Removal<'_> {
    fn hits(&self, at: &Range<usize>) -> bool {
        if self.exact {
            *at == self.span
        } else {
            at.start <= self.span.start && self.span.end <= at.end && *at != self.span
        }
    }

    /// Remove from `table` (written at `table_span`) or below it.
    fn in_table(
        &mut self,
        table: &mut toml::de::DeTable<'_>,
        table_span: &Range<usize>,
    ) -> Option<Dropped> {
        let id = table.get("id").map(|v| v.span().start);
        let mut hit = None;
        for (k, v) in table.iter_mut() {
            let value_span = v.span();
            if let Some(d) = self.in_value(v.get_mut(), &value_span) {
                if let Some(id) = id {
                    self.left_out.keys.insert((id, k.get_ref().to_string()));
                }
                return Some(d);
            }
            if hit.is_none() && (self.hits(&value_span) || self.hits(&k.span())) {
                hit = Some(k.clone());
            }
        }
        let key = hit?;
        let value = table.remove(&key)?;
        strings_in(value.get_ref(), &mut self.left_out.strings);
        if let Some(id) = id {
            self.left_out.keys.insert((id, key.get_ref().to_string()));
        }
        Some(Dropped::Key(key.get_ref().to_string(), table_span.clone()))
    }

    fn in_value(
        &mut self,
        value: &mut toml::de::DeValue<'_>,
        value_span: &Range<usize>,
    ) -> Option<Dropped> {
        match value {
            toml::de::DeValue::Table(t) => self.in_table(t, value_span),
            toml::de::DeValue::Array(a) => {
                let items: &mut [_] = a;
                for (i, item) in items.iter_mut().enumerate() {
                    let item_span = item.span();
                    if let Some(d) = self.in_value(item.get_mut(), &item_span) {
                        return Some(d);
                    }
                    if self.hits(&item_span) {
                        // A DeArray has no `remove`: rebuild it without the item.
                        let all = std::mem::replace(a, toml::de::DeArray::new());
                        let mut kept = toml::de::DeArray::new();
                        for (j, item) in all.into_iter().enumerate() {
                            if j == i {
                                strings_in(item.get_ref(), &mut self.left_out.strings);
                            } else {
                                kept.push(item);
                            }
                        }
                        *a = kept;
                        return Some(Dropped::Item);
                    }
                }
                None
            }
            _ => None,
        }
    }
}

/// Every string under a value.
fn strings_in(value: &toml::de::DeValue<'_>, out: &mut Vec<String>) {
    match value {
        toml::de::DeValue::String(s) => out.push(s.to_string()),
        toml::de::DeValue::Table(t) => {
            for (_, v) in t.iter() {
                strings_in(v.get_ref(), out);
            }
        }
        toml::de::DeValue::Array(a) => {
            for v in a.iter() {
                strings_in(v.get_ref(), out);
            }
        }
        _ => {}
    }
}

/// Rename the key written at `span` to `meant` (unless the table has that key already) or
/// remove it, wherever it is in the tree. The strings of a removed value are left out.
fn fix_key(
    table: &mut toml::de::DeTable<'_>,
    span: &Range<usize>,
    meant: Option<&str>,
    left_out: &mut LeftOut,
) -> bool {
    if let Some(key) = table.keys().find(|k| k.span() == *span).cloned() {
        if let Some(value) = table.remove(&key) {
            match meant.filter(|m| !table.contains_key(*m)) {
                Some(m) => {
                    let renamed =
                        Spanned::new(span.clone(), std::borrow::Cow::Owned(m.to_string()));
                    table.insert(renamed, value);
                }
                None => strings_in(value.get_ref(), &mut left_out.strings),
            }
        }
        return true;
    }
    table
        .iter_mut()
        .any(|(_, v)| fix_in_value(v.get_mut(), span, meant, left_out))
}

fn fix_in_value(
    value: &mut toml::de::DeValue<'_>,
    span: &Range<usize>,
    meant: Option<&str>,
    left_out: &mut LeftOut,
) -> bool {
    match value {
        toml::de::DeValue::Table(t) => fix_key(t, span, meant, left_out),
        toml::de::DeValue::Array(a) => a
            .iter_mut()
            .any(|v| fix_in_value(v.get_mut(), span, meant, left_out)),
        _ => false,
    }
}

/// Run every example and counter-example; one diagnostic per failure.
pub fn check_examples(set: &RuleSet) -> Vec<Diagnostic> {
    run_examples(set, &BTreeSet::new())
}

/// Run the examples of every claim type not in `skip`.
/// The claims of `found` that cover the whole of an example's match `key`: what the
/// example yields.
fn covering<'f>(found: &'f [extract::Found], key: &str) -> Vec<&'f extract::Found> {
    let end = key.trim_end().len();
    found
        .iter()
        .filter(|c| c.key_range.start == 0 && c.key_range.end == end)
        .collect()
}

/// What an example yields, as `compare check` reads it: the one claim of its rule that
/// covers its whole text, or `None` (no claim, a part only, or several).
pub fn example_yields(set: &RuleSet, rule: &ClaimRule, ex: &Example) -> Option<extract::Found> {
    let found = extract::in_text(set, rule, &ex.text, set.examples_published);
    match covering(&found, &normalize::key(&ex.text)).as_slice() {
        [one] => Some((*one).clone()),
        _ => None,
    }
}

fn run_examples(set: &RuleSet, skip: &BTreeSet<String>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for rule in set.claims.iter().filter(|r| !skip.contains(&r.id)) {
        for ex in &rule.examples {
            let found = extract::in_text(set, rule, &ex.text, set.examples_published);
            let key = normalize::key(&ex.text);
            let whole = covering(&found, &key);
            let problem = match whole.as_slice() {
                [] if found.is_empty() => Some(format!(
                    "example of `{}` yields no claim: {}",
                    rule.id, ex.text
                )),
                [] => Some(format!(
                    "example of `{}` yields claims that do not cover the whole text ({}): {}",
                    rule.id,
                    found
                        .iter()
                        .map(|c| format!("`{}`", &key[c.key_range.clone()]))
                        .collect::<Vec<_>>()
                        .join(", "),
                    ex.text
                )),
                [one] => example_mismatch(ex, one),
                _ => Some(format!(
                    "example of `{}` is ambiguous: {} claims cover it",
                    rule.id,
                    whole.len()
                )),
            };
            if let Some(message) = problem {
                out.push(Diagnostic::error(Some(ex.span.clone()), message).help(
                    "fix the pattern so the example yields exactly this value, or fix the example",
                ));
            }
        }
        for (text, span) in rule
            .counter_examples
            .iter()
            .zip(&rule.counter_example_spans)
        {
            let found = extract::in_text(set, rule, text, set.examples_published);
            if let Some(c) = found.first() {
                let key = normalize::key(text);
                out.push(
                    Diagnostic::error(
                        Some(span.clone()),
                        format!(
                            "counter-example of `{}` yields a claim `{}` = {}: {}",
                            rule.id,
                            &key[c.key_range.clone()],
                            c.value_text(),
                            text
                        ),
                    )
                    .help("narrow the pattern (a word edge, a required unit) so this text yields nothing"),
                );
            }
        }
    }
    out
}

fn example_mismatch(ex: &Example, got: &extract::Found) -> Option<String> {
    let (value, qualifier, unit, subject) = got.expectable();
    let mut wrong = Vec::new();
    if value != ex.value {
        wrong.push(format!("value {value} (expected {})", ex.value));
    }
    if let Some(q) = &ex.qualifier {
        if qualifier.as_deref() != Some(q.as_str()) {
            wrong.push(format!(
                "qualifier {} (expected {q})",
                qualifier.as_deref().unwrap_or("none")
            ));
        }
    }
    if let Some(u) = &ex.unit {
        if unit.as_deref() != Some(u.as_str()) {
            wrong.push(format!(
                "unit {} (expected {u})",
                unit.as_deref().unwrap_or("none")
            ));
        }
    }
    if let Some(s) = &ex.subject {
        if subject.as_deref() != Some(s.as_str()) {
            wrong.push(format!(
                "subject {} (expected {s})",
                subject.as_deref().unwrap_or("none")
            ));
        }
    }
    if wrong.is_empty() {
        None
    } else {
        Some(format!(
            "example of `{}` yields {}: {}",
            got.rule,
            wrong.join(", "),
            ex.text
        ))
    }
}

/// The candidate a misspelt `word` most likely means, if any is close enough: the
/// "did you mean" of every message about an unknown name.
fn closest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .map(|k| (strsim::jaro_winkler(word, k), k))
        .filter(|(s, _)| *s >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

/// A TOML syntax or shape error, with a "did you mean" hint for unknown keys.
fn toml_diagnostic(e: &toml::de::Error, source: &str) -> Diagnostic {
    let message = e.message().trim().to_string();
    let first_line = message.lines().next().unwrap_or("").to_string();
    // A bare date where text is expected is a date to TOML, a "map" to serde: said so,
    // with the value quoted (how `[examples] published` is written).
    let written = e
        .span()
        .and_then(|r| source.get(r))
        .map(str::trim)
        .filter(|w| !w.is_empty() && !w.contains('\n'));
    if first_line.starts_with("invalid type: map, expected a string") {
        if let Some(date) = written.filter(|w| w.starts_with(|c: char| c.is_ascii_digit())) {
            return Diagnostic::error(e.span(), "expected text between quotes, found a date")
                .help(format!("write it as text: `\"{date}\"`"));
        }
    }
    let mut d = Diagnostic::error(e.span(), first_line.clone());
    if let Some(rest) = first_line.strip_prefix("unknown field `") {
        let field = rest.split('`').next().unwrap_or("");
        let expected: Vec<&str> = first_line
            .split("expected ")
            .nth(1)
            .unwrap_or("")
            .split('`')
            .enumerate()
            .filter(|(i, _)| i % 2 == 1)
            .map(|(_, s)| s)
            .collect();
        d = match closest(field, expected.iter().copied()) {
            Some(k) => d.help(format!("did you mean `{k}`?")),
            None => d.help(format!(
                "known keys here: {}",
                expected
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        };
    } else if let Some(rest) = first_line.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or("");
        d = d.help(format!(
            "add `{field} = …` to this table (docs/rules.md lists the keys each table needs); until then it is left out of the other checks"
        ));
    } else if first_line.starts_with("invalid type") || first_line.starts_with("invalid value") {
        d = d.help("docs/rules.md gives the type of every key");
    } else {
        d = d.help("docs/rules.md describes every table and key");
    }
    d
}

/// TOML syntax errors, at most one per line: after a missing quote the parser recovers
/// but finds more faults on the same line that only repeat the first one.
fn syntax_diagnostics(source: &str, errors: &[toml::de::Error]) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = Vec::new();
    let mut lines = BTreeSet::new();
    let mut errors: Vec<&toml::de::Error> = errors.iter().collect();
    errors.sort_by_key(|e| e.span().map(|s| s.start));
    for e in errors {
        let line = e.span().map(|s| crate::diag::line_of(source, s.start));
        if !lines.insert(line) {
            continue;
        }
        let message = e.message().trim();
        let mut d = Diagnostic::error(e.span(), message.lines().next().unwrap_or("invalid TOML"));
        let text = e.span().map_or("", |s| {
            let start = source[..s.start.min(source.len())]
                .rfind('\n')
                .map_or(0, |i| i + 1);
            let end = source[start..]
                .find('\n')
                .map_or(source.len(), |i| start + i);
            &source[start..end]
        });
        let quotes = text.matches('"').count() - text.matches("\\\"").count();
        let header = e
            .span()
            .filter(|_| message == "duplicate key")
            .and_then(|s| first_header(source, &s));
        d = if let Some((header, line)) = header {
            Diagnostic::error(e.span(), format!("table `{header}` is defined twice"))
                .help(format!(
                    "the first `{header}` header is on line {line}: merge the two tables (move the lines under this header up under the first one and delete this header)"
                ))
        } else if message == "duplicate key" {
            d.help("a key is written once in a table: keep one of the two")
        } else if let Some(quoted) = crate::diag::quoted_suggestion(text) {
            // TOML reads an unquoted `nato` as a misspelt `nan`: say what is wrong.
            Diagnostic::error(e.span(), "string values must be quoted")
                .help(format!("write `{quoted}`"))
        } else if quotes % 2 == 1 {
            d.help(
                "this line has an odd number of `\"`: a string lacks its opening or closing quote",
            )
        } else if quotes == 0 && text.matches('\'').count() % 2 == 1 {
            d.help(
                "this line has an odd number of `'`: a string lacks its opening or closing quote",
            )
        } else {
            d.help("fix the TOML syntax at the caret; docs/rules.md shows every table")
        };
        out.push(d);
    }
    out
}

/// For a duplicate key reported at `at` on a table header (`[fragments]` written a second
/// time), the table's header and the line of the first one.
fn first_header(source: &str, at: &Range<usize>) -> Option<(String, usize)> {
    let line_start = source.get(..at.start)?.rfind('\n').map_or(0, |i| i + 1);
    let line = source[line_start..].lines().next().unwrap_or("");
    let keys = header_keys(line)?;
    let first = source[..line_start]
        .lines()
        .position(|l| header_keys(l).as_ref() == Some(&keys))?;
    Some((format!("[{}]", keys.join(".")), first + 1))
}

/// The keys of a `[table]` header line (`[lexicon . "place"]` → lexicon, place); None for
/// any other line, `[[array]]` headers included.
fn header_keys(line: &str) -> Option<Vec<String>> {
    let keys = line.trim_start().strip_prefix('[')?;
    if keys.starts_with('[') {
        return None;
    }
    let mut path = vec![String::new()];
    let mut quote = None;
    for c in keys.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => path.last_mut()?.push(c),
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '.' => path.push(String::new()),
            None if c == ']' => return Some(path),
            None if c.is_whitespace() => {}
            None => path.last_mut()?.push(c),
        }
    }
    None
}

/// Normalise a pattern written by a user the way article text is normalised, keeping
/// regex syntax intact (an Arabic question mark stays a literal, not a quantifier).
pub fn pattern_key(pattern: &str) -> String {
    normalize::key(&pattern.replace('؟', "\\?"))
}

struct Compiler<'a> {
    path: &'a str,
    source: &'a str,
    /// Claim types whose patterns are broken: their examples are not run.
    broken: BTreeSet<String>,
    /// Fragments some pattern references, to warn about the others.
    used_fragments: BTreeSet<String>,
    /// What was left out of the file for its shape (see [`parse`]).
    left_out: LeftOut,
    diagnostics: Vec<Diagnostic>,
    lexicons: BTreeMap<String, Lexicon>,
    fragments: BTreeMap<String, (String, Range<usize>)>,
}

const BUILTINS: &[&str] = &["number", "ordinal"];

impl<'a> Compiler<'a> {
    fn new(path: &'a str, source: &'a str, raw: &RulesFile) -> Self {
        let mut c = Compiler {
            path,
            source,
            broken: BTreeSet::new(),
            used_fragments: BTreeSet::new(),
            left_out: LeftOut::default(),
            diagnostics: Vec::new(),
            lexicons: BTreeMap::new(),
            fragments: BTreeMap::new(),
        };
        for (spanned_name, entries) in &raw.lexicon {
            let name = spanned_name.get_ref();
            let mut lex = Lexicon::default();
            for (canonical, words) in entries {
                let mut keys = Vec::new();
                for w in words {
                    let k = normalize::key(w.get_ref()).trim().to_string();
                    if k.is_empty() {
                        c.diagnostics.push(
                            Diagnostic::error(
                                Some(w.span()),
                                format!("empty word in lexicon `{name}`"),
                            )
                            .help("remove it"),
                        );
                        continue;
                    }
                    if let Some(prev) = lex.lookup.get(&k) {
                        if prev != canonical {
                            c.diagnostics.push(
                                Diagnostic::error(
                                    Some(w.span()),
                                    format!(
                                        "`{}` is listed under both `{prev}` and `{canonical}` in lexicon `{name}`",
                                        w.get_ref()
                                    ),
                                )
                                .help("a word must resolve to one key: keep it under one of them"),
                            );
                        }
                        continue;
                    }
                    // ل + ال is written لل (للنيجر): match that form too.
                    if let Some(rest) = k.strip_prefix("ال") {
                        lex.lookup
                            .entry(format!("لل{rest}"))
                            .or_insert_with(|| canonical.clone());
                    }
                    lex.lookup.insert(k.clone(), canonical.clone());
                    keys.push(k);
                }
                lex.entries.insert(canonical.clone(), keys);
            }
            if BUILTINS.contains(&name.as_str()) {
                c.diagnostics.push(
                    Diagnostic::error(
                        Some(spanned_name.span()),
                        format!("lexicon `{name}` shadows the built-in fragment `{{{name}}}`"),
                    )
                    .help("rename the lexicon"),
                );
            }
            c.lexicons.insert(name.clone(), lex);
        }
        for (name, text) in &raw.fragments {
            if c.lexicons.contains_key(name) || BUILTINS.contains(&name.as_str()) {
                c.diagnostics.push(
                    Diagnostic::error(
                        Some(text.span()),
                        format!("fragment `{name}` has the name of a lexicon or built-in fragment"),
                    )
                    .help("rename the fragment"),
                );
            }
            if let Some(at) = empty_alternative(text.get_ref()) {
                let (span, bar) = c.locate(&text.span(), text.get_ref(), at);
                c.diagnostics.push(
                    Diagnostic::error(
                        Some(span),
                        format!("empty alternative `{bar}` in fragment `{name}`"),
                    )
                    .help("an empty alternative matches everywhere: remove the extra `|`"),
                );
            }
            if text.get_ref().contains("\\b") {
                let at = c.find_in(&text.span(), "\\b");
                c.diagnostics.push(
                    Diagnostic::warning(Some(at), format!("fragment `{name}` uses `\\b`"))
                        .help("on Arabic text `\\b` is slow and ignores proclitics; compare checks word edges itself, so drop it"),
                );
            }
            c.fragments
                .insert(name.clone(), (text.get_ref().clone(), text.span()));
        }
        c
    }

    /// The source span of `range` within the string value `text` written at `span`:
    /// exact when the TOML string holds the value verbatim (literal strings, most basic
    /// ones, multi-line ones), else the first place the same text occurs, else the whole
    /// string. Also returns the text found there.
    fn locate(
        &self,
        span: &Range<usize>,
        text: &str,
        range: Range<usize>,
    ) -> (Range<usize>, String) {
        let piece = text.get(range.clone()).unwrap_or("").to_string();
        if let Some(start) = verbatim_start(self.source, span, text) {
            return (start + range.start..start + range.end, piece);
        }
        if piece.is_empty() {
            return (span.clone(), piece);
        }
        (self.find_in(span, &piece), piece)
    }

    fn errors(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == crate::diag::Severity::Error)
            .count()
    }

    fn error(&mut self, span: Range<usize>, message: String, help: &str) {
        self.diagnostics
            .push(Diagnostic::error(Some(span), message).help(help));
    }

    fn compile(&mut self, raw: &RulesFile) -> RuleSet {
        let published = self.line_patterns(
            &raw.metadata.published,
            &[&["day"], &["month", "month_name"], &["year"]],
        );
        let outlet = self.line_patterns(&raw.metadata.outlet, &[&["outlet"]]);
        let cut = self.markers(&raw.boilerplate.cut);
        let cut_line = self.markers(&raw.boilerplate.cut_line);
        let drop = self.markers(&raw.boilerplate.drop);
        let examples_published = raw.examples.published.as_ref().and_then(|p| {
            match NaiveDate::parse_from_str(p.get_ref(), "%Y-%m-%d") {
                Ok(d) => Some(d),
                Err(_) => {
                    self.error(
                        p.span(),
                        format!("`{}` is not a date", p.get_ref()),
                        "write the date as YYYY-MM-DD",
                    );
                    None
                }
            }
        });
        if !(0.0..=1.0).contains(raw.align.min_similarity.get_ref()) {
            self.error(
                raw.align.min_similarity.span(),
                "`min_similarity` must lie between 0 and 1".into(),
                "0.3 suits news sentences",
            );
        }
        if !(0.0..=1.0).contains(raw.align.min_topic.get_ref()) {
            self.error(
                raw.align.min_topic.span(),
                "`min_topic` must lie between 0 and 1".into(),
                "0.1 suits news sentences",
            );
        }
        let claims = self.claims(&raw.claim);
        // Date examples resolve against `[examples] published`: when it is given but
        // unusable (reported above), their failures would only repeat that error.
        if self.left_out.published
            || (raw.examples.published.is_some() && examples_published.is_none())
        {
            for c in claims.iter().filter(|c| c.kind == Kind::Date) {
                self.broken.insert(c.id.clone());
            }
        }
        self.check_date_lexicons(raw);
        let referenced = self.referenced_fragments(raw);
        for (name, (_, span)) in &self.fragments {
            if !self.used_fragments.contains(name) && !referenced.contains(name) {
                self.diagnostics.push(
                    Diagnostic::warning(
                        Some(span.clone()),
                        format!("fragment `{name}` is never used"),
                    )
                    .help(format!(
                        "reference it from a pattern as `{{{name}}}`, or remove it"
                    )),
                );
            }
        }
        let (entities, names, alias_owner) = self.entities(&raw.entity);
        self.check_entity_types(raw);
        let mut distinguish = Vec::new();
        for name in &raw.align.distinguish {
            match self.lexicons.get(name.get_ref()) {
                Some(lex) => {
                    if let Some(words) = lex.words_automaton() {
                        distinguish.push((name.get_ref().clone(), words));
                    }
                }
                None if self.left_out.names.contains(name.get_ref()) => {}
                None => self.error(
                    name.span(),
                    format!(
                        "`align.distinguish` names `{}`, which is not a lexicon",
                        name.get_ref()
                    ),
                    "define `[lexicon.NAME]` or remove it from the list",
                ),
            }
        }
        let subject_words = self
            .lexicons
            .get("subject")
            .and_then(Lexicon::words_automaton);
        let name_tokens = crate::entities::name_tokens(&entities);
        let name_index = crate::entities::NameIndex::new(&name_tokens);
        let mut pattern_start = vec![0; claims.len()];
        let mut set_patterns: Vec<&str> = Vec::new();
        for (ci, c) in claims.iter().enumerate() {
            if c.kind != Kind::Name {
                pattern_start[ci] = set_patterns.len();
                set_patterns.extend(c.patterns.iter().map(|p| p.regex.as_str()));
            }
        }
        let pattern_set = regex_set(set_patterns);
        let metadata: Vec<&str> = published.iter().chain(&outlet).map(Regex::as_str).collect();
        let markers: Vec<&str> = cut
            .iter()
            .chain(&cut_line)
            .chain(&drop)
            .map(|m| m.regex.as_str())
            .collect();
        let marker_set = regex_set(markers.iter().copied());
        let metadata_set = regex_set(metadata.iter().copied());
        let line_set = regex_set(metadata.iter().chain(&markers).copied());
        RuleSet {
            pattern_set,
            marker_set,
            metadata_set,
            line_set,
            pattern_start,
            name_index,
            name_tokens,
            subject_words,
            published,
            outlet,
            cut,
            cut_line,
            drop,
            abbreviations: raw
                .segment
                .abbreviations
                .iter()
                .map(|a| normalize::key(a).trim().to_string())
                .collect(),
            min_similarity: *raw.align.min_similarity.get_ref(),
            min_topic: *raw.align.min_topic.get_ref(),
            stopwords: raw
                .align
                .stopwords
                .iter()
                .map(|w| normalize::key(w).trim().to_string())
                .collect(),
            max_postings: raw.align.max_postings.max(2),
            distinguish,
            examples_published,
            lexicons: std::mem::take(&mut self.lexicons),
            claims,
            entities,
            names,
            alias_owner,
            warnings: Vec::new(),
            source: self.source.to_string(),
        }
    }

    /// Fragments that a pattern references, directly or through other fragments, whether
    /// or not the pattern compiled (one rejected early, or in a claim type rejected for
    /// another fault, still names what it uses), and those referenced from values left out
    /// of the file for their shape: none of these is "never used".
    fn referenced_fragments(&self, raw: &RulesFile) -> BTreeSet<String> {
        let mut texts: Vec<&str> = Vec::new();
        let metadata = raw.metadata.published.iter().chain(&raw.metadata.outlet);
        texts.extend(metadata.map(|p| p.get_ref().as_str()));
        let b = &raw.boilerplate;
        let markers = b.cut.iter().chain(&b.cut_line).chain(&b.drop);
        texts.extend(markers.map(|m| m.pattern.get_ref().as_str()));
        for c in &raw.claim {
            texts.extend(c.patterns.iter().map(|p| p.get_ref().as_str()));
        }
        texts.extend(self.left_out.strings.iter().map(String::as_str));
        let mut todo: Vec<&str> = texts
            .iter()
            .flat_map(|t| references(t).into_iter().map(|(_, n)| n))
            .collect();
        let mut used = BTreeSet::new();
        while let Some(n) = todo.pop() {
            if let Some((text, _)) = self.fragments.get(n) {
                if used.insert(n.to_string()) {
                    todo.extend(references(text).into_iter().map(|(_, n)| n));
                }
            }
        }
        used
    }

    /// Expand `{name}` references, recursively, reporting unknown names at `span`.
    fn expand(&mut self, pattern: &str, span: &Range<usize>, depth: usize) -> Option<String> {
        if depth > 16 {
            self.error(
                span.clone(),
                "fragments reference each other in a cycle".into(),
                "a fragment must not (indirectly) reference itself",
            );
            return None;
        }
        let mut out = String::with_capacity(pattern.len());
        let mut last = 0;
        let mut ok = true;
        for (at, n) in references(pattern) {
            out.push_str(&pattern[last..at.start]);
            last = at.end;
            let body = if n == "number" {
                Some(numbers::fragment())
            } else if n == "ordinal" {
                Some(numbers::ordinal_fragment())
            } else if let Some(lex) = self.lexicons.get(n) {
                Some(lex.alternation())
            } else if let Some((text, at)) = self.fragments.get(n).cloned() {
                self.used_fragments.insert(n.to_string());
                // Faults inside the fragment point at the fragment.
                self.expand(
                    &word_list_longest_first(&pattern_key(&text)),
                    &at,
                    depth + 1,
                )
            } else if self.left_out.names.contains(n) {
                // Defined with a value of the wrong type, already reported.
                None
            } else {
                self.unknown_reference(n, span);
                None
            };
            match body {
                Some(b) => {
                    out.push_str("(?:");
                    out.push_str(&b);
                    out.push(')');
                }
                None => ok = false,
            }
        }
        out.push_str(&pattern[last..]);
        ok.then_some(out)
    }

    /// Report `{name}` that names nothing, with the known name it most resembles.
    fn unknown_reference(&mut self, n: &str, span: &Range<usize>) {
        let mut known: Vec<String> = BUILTINS.iter().map(|s| s.to_string()).collect();
        known.extend(self.lexicons.keys().cloned());
        known.extend(self.fragments.keys().cloned());
        let close = closest(n, known.iter().map(String::as_str)).map(str::to_string);
        // A misspelt reference is why its fragment looks unused: say it once.
        if let Some(k) = &close {
            self.used_fragments.insert(k.clone());
        }
        let hint = close
            .map(|k| format!("did you mean `{{{k}}}`?"))
            .unwrap_or_else(|| {
                format!(
                    "define it under `[fragments]`; known: {}",
                    known
                        .iter()
                        .map(|k| format!("`{{{k}}}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            });
        let at = self.find_in(span, &format!("{{{n}}}"));
        self.diagnostics
            .push(Diagnostic::error(Some(at), format!("unknown fragment `{{{n}}}`")).help(hint));
    }

    /// The span of `needle` inside the TOML string at `span`, or the whole span.
    fn find_in(&self, span: &Range<usize>, needle: &str) -> Range<usize> {
        let hay = self.source.get(span.clone()).unwrap_or("");
        match hay.find(needle) {
            Some(i) => span.start + i..span.start + i + needle.len(),
            None => span.clone(),
        }
    }

    /// Check and compile one user pattern.
    fn pattern(&mut self, p: &Spanned<String>) -> Option<Pattern> {
        let span = p.span();
        let text = p.get_ref();
        if text.trim().is_empty() {
            self.error(span, "empty pattern".into(), "remove it or write the regex");
            return None;
        }
        if let Some(at) = empty_alternative(text) {
            let (at, bar) = self.locate(&span, text, at);
            self.error(
                at,
                format!("empty alternative `{bar}` in pattern"),
                "an empty alternative matches everywhere: remove the extra `|`",
            );
            return None;
        }
        if text.contains("\\b") {
            self.diagnostics.push(
                Diagnostic::warning(Some(self.find_in(&span, "\\b")), "pattern uses `\\b`")
                    .help("on Arabic text `\\b` is slow and ignores proclitics; compare checks word edges itself, so drop it"),
            );
        }
        if text.chars().any(|c| {
            ('\u{FB50}'..='\u{FDFF}').contains(&c) || ('\u{FE70}'..='\u{FEFF}').contains(&c)
        }) {
            self.diagnostics.push(
                Diagnostic::warning(
                    Some(span.clone()),
                    "pattern holds Arabic presentation forms",
                )
                .help("they are folded to base letters before matching; write the base letters"),
            );
        }
        let expanded = self.expand(&pattern_key(text), &span, 0)?;
        match Regex::new(&expanded) {
            Ok(regex) => {
                let hir = regex_syntax::parse(&expanded).ok();
                // Not only `regex.is_match("")`: `\b[0-9]*` matches no empty text alone
                // but empty text at every word edge.
                let empty = hir.as_ref().map_or_else(
                    || regex.is_match(""),
                    |hir| hir.properties().minimum_len() == Some(0),
                );
                if empty {
                    self.error(
                        span,
                        "pattern matches the empty string".into(),
                        "make at least one part required (no `*` or `?` on everything)",
                    );
                    return None;
                }
                let context_free = hir.is_some_and(|hir| hir.properties().look_set().is_empty());
                Some(Pattern {
                    regex,
                    source: text.clone(),
                    line: crate::diag::line_of(self.source, span.start),
                    context_free,
                })
            }
            Err(e) => {
                let msg = match &e {
                    regex::Error::Syntax(s) => s
                        .lines()
                        .rev()
                        .find(|l| l.starts_with("error:"))
                        .unwrap_or("invalid regex")
                        .trim_start_matches("error: ")
                        .to_string(),
                    regex::Error::CompiledTooBig(_) => {
                        "pattern too big once fragments are expanded".into()
                    }
                    _ => e.to_string(),
                };
                let (at, what) = match self.fault(text, &span, 0) {
                    Some((at, None)) => (at, "pattern".to_string()),
                    Some((at, Some(fragment))) => (at, format!("fragment `{fragment}`")),
                    None => (span, "pattern".to_string()),
                };
                self.error(
                    at,
                    format!("{what} does not compile: {msg}"),
                    "see the regex crate's syntax; escape literal ( ) [ ] . ? + * with a backslash",
                );
                None
            }
        }
    }

    /// Where the regex syntax error of the string `text` written at `span` is, in the file:
    /// in its own text, or else in a fragment it references (with that fragment's name).
    /// `None` when no part alone is at fault (two fragments capturing the same name).
    ///
    /// References are stood in for by a character class of the same length, so the
    /// parser's error offsets are offsets in the text as written, once normalised.
    fn fault(
        &self,
        text: &str,
        span: &Range<usize>,
        depth: usize,
    ) -> Option<(Range<usize>, Option<String>)> {
        if depth > 16 {
            return None;
        }
        let written = text.replace('؟', "\\?");
        let normalized = normalize::normalize(&written);
        let key = normalized.key();
        let refs = references(key);
        let mut stand_in = String::with_capacity(key.len());
        let mut last = 0;
        for (at, _) in &refs {
            stand_in.push_str(&key[last..at.start]);
            stand_in.push('[');
            stand_in.push_str(&"x".repeat(at.len() - 2));
            stand_in.push(']');
            last = at.end;
        }
        stand_in.push_str(&key[last..]);
        match regex_syntax::parse(&stand_in) {
            Err(e) => {
                let at = match &e {
                    regex_syntax::Error::Parse(e) => e.span(),
                    regex_syntax::Error::Translate(e) => e.span(),
                    _ => return Some((span.clone(), None)),
                };
                // `؟` was written as the two bytes `\?`: the same length, same offsets.
                let raw = normalized.to_original(at.start.offset..at.end.offset);
                let (at, _) = self.locate(span, text, raw);
                Some((at, None))
            }
            Ok(_) => refs.iter().find_map(|(_, n)| {
                let (text, at) = self.fragments.get(*n)?;
                let (at, _) = self.fault(text, at, depth + 1)?;
                Some((at, Some(n.to_string())))
            }),
        }
    }

    /// Compile metadata line patterns; each must have one capture of every group in `needs`.
    fn line_patterns(&mut self, patterns: &[Spanned<String>], needs: &[&[&str]]) -> Vec<Regex> {
        let mut out = Vec::new();
        for p in patterns {
            let Some(c) = self.pattern(p) else {
                continue;
            };
            let names: Vec<&str> = c.regex.capture_names().flatten().collect();
            let Some(missing) = needs
                .iter()
                .find(|group| !group.iter().any(|n| names.contains(n)))
            else {
                out.push(c.regex);
                continue;
            };
            let wanted = missing
                .iter()
                .map(|n| format!("`(?<{n}>…)`"))
                .collect::<Vec<_>>()
                .join(" or ");
            let help = if names.is_empty() {
                format!("name the part of the line that holds it: {wanted}")
            } else {
                format!(
                    "this pattern captures {}; name the part of the line that holds it {wanted}",
                    names
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            self.error(
                p.span(),
                format!("pattern lacks the capture {wanted}"),
                &help,
            );
        }
        out
    }

    fn markers(&mut self, markers: &[MarkerFile]) -> Vec<Marker> {
        markers
            .iter()
            .filter_map(|m| {
                self.pattern(&m.pattern).map(|p| Marker {
                    regex: p.regex,
                    reason: m.reason.clone(),
                })
            })
            .collect()
    }

    fn claims(&mut self, raw: &[ClaimFile]) -> Vec<ClaimRule> {
        let mut seen: HashMap<String, Range<usize>> = HashMap::default();
        // Each unit's plural and the claim type that first gave it.
        let mut plurals: HashMap<String, (String, String)> = HashMap::default();
        let mut out = Vec::new();
        for c in raw {
            let id = c.id.get_ref().clone();
            if let Some(first) = seen.get(&id) {
                let (line, col) = crate::diag::line_col(self.source, first.start);
                self.error(
                    c.id.span(),
                    format!("duplicate claim type id `{id}`"),
                    &format!(
                        "the first claim type with this id is at {}:{line}:{col}; ids must be unique",
                        self.path
                    ),
                );
                continue;
            }
            seen.insert(id.clone(), c.id.span());
            if id.is_empty()
                || !id
                    .chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_')
            {
                self.error(
                    c.id.span(),
                    format!("claim type id `{id}` must be lowercase ASCII letters, digits or `_`"),
                    "ids become file names and JSON keys",
                );
            }
            // An unknown kind hides none of the table's other errors: they are checked
            // as for the kind it most likely means, or, with none close, all but those
            // that depend on the kind. Its examples are not run.
            let kinds = [Kind::Quantity, Kind::Date, Kind::Name];
            let written = c.kind.get_ref().as_str();
            let kind = match kinds.into_iter().find(|k| k.as_str() == written) {
                Some(kind) => Some(kind),
                None => {
                    let meant = closest(written, kinds.iter().map(|k| k.as_str()));
                    let help = match meant {
                        Some(m) => format!(
                            "did you mean `{m}`? kind is one of `quantity`, `date`, `name` (the rest of this table was checked as `{m}`)"
                        ),
                        None => "kind is one of `quantity`, `date`, `name`".to_string(),
                    };
                    self.error(c.kind.span(), format!("unknown kind `{written}`"), &help);
                    self.broken.insert(id.clone());
                    kinds.into_iter().find(|k| Some(k.as_str()) == meant)
                }
            };
            // Keys that lost a value of the wrong type are not "missing" (it was reported).
            let lost: BTreeSet<&str> = ["description", "entity_type", "patterns", "examples"]
                .into_iter()
                .filter(|key| self.left_out.lost(&c.id.span(), key))
                .collect();
            if c.description.as_deref().unwrap_or("").trim().is_empty()
                && !lost.contains("description")
            {
                self.error(
                    c.id.span(),
                    format!("claim type `{id}` has no description"),
                    "add `description = \"…\"`: it is the user documentation on the rules page",
                );
            }
            if let Some(t) = &c.tolerance {
                if !(0.0..1.0).contains(t.get_ref()) {
                    self.error(
                        t.span(),
                        format!("tolerance of `{id}` must lie in [0, 1)"),
                        "0.1 means ±10%",
                    );
                }
            }
            if let Some(n) = &c.min_shared_topic {
                if !(1..=20).contains(n.get_ref()) {
                    self.error(
                        n.span(),
                        format!(
                            "min_shared_topic of `{id}` must be a whole number from 1 to 20, not {}",
                            n.get_ref()
                        ),
                        "1 (the default) aligns sentences that share one topic word; 2 needs two",
                    );
                }
            }
            let unit_plural = match (&c.unit, &c.unit_plural) {
                (_, Some(p)) if p.get_ref().trim().is_empty() => {
                    self.error(
                        p.span(),
                        format!("unit_plural of `{id}` is empty"),
                        "write the unit as the pages give a count other than 1, such as `unit_plural = \"people\"`",
                    );
                    None
                }
                (None, Some(p)) => {
                    self.error(
                        p.span(),
                        format!("claim type `{id}` has a unit_plural but no unit"),
                        "add the singular as `unit = \"…\"`, or remove unit_plural",
                    );
                    None
                }
                (Some(u), p) => {
                    let p = p
                        .as_ref()
                        .map_or_else(|| format!("{u}s"), |p| p.get_ref().clone());
                    match plurals.get(u) {
                        Some((first, other)) if *first != p => self.error(
                            c.id.span(),
                            format!("unit `{u}` is written `{p}` for more than one in `{id}` but `{first}` in `{other}`"),
                            "a unit reads one way on every page: give both claim types the same unit_plural",
                        ),
                        Some(_) => {}
                        None => {
                            plurals.insert(u.clone(), (p.clone(), id.clone()));
                        }
                    }
                    Some(p)
                }
                (None, None) => None,
            };
            let mut patterns = Vec::new();
            if kind == Some(Kind::Name) {
                if c.entity_type.is_none() && !lost.contains("entity_type") {
                    self.error(
                        c.kind.span(),
                        format!("claim type `{id}` of kind `name` has no `entity_type`"),
                        "add `entity_type = \"person\"` (the [[entity]] type it collects)",
                    );
                }
                if let Some(p) = c.patterns.first() {
                    self.error(
                        p.span(),
                        "patterns of a `name` claim type are not used".into(),
                        "names come from the aliases of [[entity]] tables",
                    );
                }
            } else {
                if c.patterns.is_empty() && kind.is_some() && !lost.contains("patterns") {
                    self.error(
                        c.id.span(),
                        format!("claim type `{id}` has no patterns"),
                        "add `patterns = ['…']`",
                    );
                }
                let errors_before = self.errors();
                let mut failed = false;
                for p in &c.patterns {
                    let Some(compiled) = self.pattern(p) else {
                        failed = true;
                        continue;
                    };
                    if let Some(kind) = kind {
                        self.check_captures(kind, &compiled, p);
                    }
                    patterns.push(compiled);
                }
                // A pattern left out for its type broke the claim type as much as one that
                // does not compile: its examples would only fail for want of it.
                if failed || lost.contains("patterns") || self.errors() > errors_before {
                    self.broken.insert(id.clone());
                }
            }
            if c.examples.is_empty()
                && kind.is_some_and(|k| k != Kind::Name)
                && !lost.contains("examples")
            {
                self.error(
                    c.id.span(),
                    format!("claim type `{id}` has no examples"),
                    "add `examples = [{ text = \"…\", value = \"…\" }]`: they are run by `compare check`",
                );
            }
            let Some(kind) = kind.filter(|k| k.as_str() == c.kind.get_ref()) else {
                continue;
            };
            out.push(ClaimRule {
                id,
                kind,
                description: c.description.clone().unwrap_or_default(),
                unit: c.unit.clone(),
                unit_plural,
                tolerance: c.tolerance.as_ref().map_or(0.0, |t| *t.get_ref()),
                subject_window: c.subject_window,
                min_shared_topic: c
                    .min_shared_topic
                    .as_ref()
                    .and_then(|n| usize::try_from(*n.get_ref()).ok())
                    .unwrap_or(1)
                    .max(1),
                entity_type: c.entity_type.as_ref().map(|t| t.get_ref().clone()),
                patterns,
                examples: c
                    .examples
                    .iter()
                    .map(|e| Example {
                        text: e.text.get_ref().clone(),
                        value: e.value.clone(),
                        qualifier: e.qualifier.clone(),
                        unit: e.unit.clone(),
                        subject: e.subject.clone(),
                        span: e.text.span(),
                    })
                    .collect(),
                counter_examples: c
                    .counter_examples
                    .iter()
                    .map(|s| s.get_ref().clone())
                    .collect(),
                counter_example_spans: c.counter_examples.iter().map(Spanned::span).collect(),
                line: crate::diag::line_of(self.source, c.id.span().start),
            });
        }
        out
    }

    /// Date claims read two lexicons by name, not through a capture: `[lexicon.tense]`
    /// (future cues) and `[lexicon.anaphora]` (directions counted from the date before).
    /// Without them dates would silently resolve the other way, so a file with a date claim
    /// type must define both (an empty list is a choice; a missing table is a mistake), and
    /// their keys are the ones the resolver reads.
    fn check_date_lexicons(&mut self, raw: &RulesFile) {
        let Some(date) = raw.claim.iter().find(|c| c.kind.get_ref() == "date") else {
            return;
        };
        for (name, keys) in DATE_LEXICONS {
            let found = raw.lexicon.iter().find(|(n, _)| n.get_ref() == name);
            let Some((spanned, entries)) = found else {
                self.error(
                    date.kind.span(),
                    format!("date claims read `[lexicon.{name}]`, which is not defined"),
                    &format!(
                        "define `[lexicon.{name}]` with the keys {} (lists may be empty), as in the shipped rules.toml",
                        keys.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
                    ),
                );
                continue;
            };
            for key in entries.keys() {
                if !keys.contains(&key.as_str()) {
                    let hint = closest(key, keys.iter().copied())
                        .map(|k| format!("did you mean `{k}`? "))
                        .unwrap_or_default();
                    self.error(
                        spanned.span(),
                        format!("`[lexicon.{name}]` has a key `{key}` that dates do not read"),
                        &format!(
                            "{hint}its keys are {}",
                            keys.iter()
                                .map(|k| format!("`{k}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    );
                }
            }
        }
    }

    fn check_captures(&mut self, kind: Kind, p: &Pattern, raw: &Spanned<String>) {
        let names: Vec<&str> = p.regex.capture_names().flatten().collect();
        let known = kind.captures();
        for n in &names {
            if !known.contains(n) {
                self.error(
                    self.find_in(&raw.span(), &format!("(?<{n}>")),
                    format!("capture `{n}` means nothing to a `{}` claim", kind.as_str()),
                    &format!(
                        "captures understood here: {}; use (?:…) for a group that only groups",
                        known.join(", ")
                    ),
                );
            }
            if let Some(lex) = lexicon_for_capture(n) {
                if !self.lexicons.contains_key(lex) {
                    self.error(
                        self.find_in(&raw.span(), &format!("(?<{n}>")),
                        format!("capture `{n}` needs a `[lexicon.{lex}]` table"),
                        "define the lexicon that maps its words to keys",
                    );
                }
            }
        }
        let required: &[&str] = match kind {
            Kind::Quantity => &["number", "one", "two"],
            Kind::Date => &[
                "day",
                "ordinal",
                "month",
                "year",
                "weekday",
                "period",
                "day_offset",
            ],
            Kind::Name => &[],
        };
        if !required.is_empty() && !required.iter().any(|r| names.contains(r)) {
            self.error(
                raw.span(),
                format!(
                    "pattern lacks the capture the `{}` parser needs: {}",
                    kind.as_str(),
                    required
                        .iter()
                        .map(|r| format!("`(?<{r}>…)`"))
                        .collect::<Vec<_>>()
                        .join(" or ")
                ),
                match kind {
                    Kind::Quantity => "name the number: `(?<number>{number})`, or `(?<one>…)` / `(?<two>…)` around a singular / dual noun",
                    _ => "name the part that holds the date, e.g. `(?<day>[0-9]{1,2})` or `(?<month>{month})`",
                },
            );
        }
    }

    /// An entity whose `type` no claim type collects is never looked for: a typo there
    /// (`persn`) would lose every mention of the name without a word. Close to a type
    /// that is collected, it is an error with that type; otherwise a warning, once per type.
    fn check_entity_types(&mut self, raw: &RulesFile) {
        let names = raw
            .claim
            .iter()
            .filter(|c| c.kind.get_ref() == Kind::Name.as_str());
        let collected: BTreeSet<&str> = names
            .clone()
            .filter_map(|c| c.entity_type.as_ref().map(|t| t.get_ref().as_str()))
            .collect();
        let typed: BTreeSet<&str> = raw
            .entity
            .iter()
            .map(|e| e.kind.get_ref().as_str())
            .collect();
        let quoted = |set: &BTreeSet<&str>| {
            set.iter()
                .map(|t| format!("`{t}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        // A claim type collecting a type no entity has: its typo, said once, on it.
        let mut orphans = BTreeSet::new();
        for c in names {
            let Some(t) = &c.entity_type else { continue };
            let kind = t.get_ref().as_str();
            if typed.contains(kind) {
                continue;
            }
            orphans.insert(kind);
            // Its examples would only fail for want of names: not run.
            self.broken.insert(c.id.get_ref().clone());
            let help = match closest(kind, typed.iter().copied()) {
                Some(meant) => format!(
                    "did you mean `{meant}`? the [[entity]] types are {}",
                    quoted(&typed)
                ),
                None => format!(
                    "give [[entity]] tables `type = \"{kind}\"`, or collect one of {}",
                    quoted(&typed)
                ),
            };
            self.error(
                t.span(),
                format!("claim type `{}` collects entities of type `{kind}`, but no [[entity]] has that type", c.id.get_ref()),
                &help,
            );
        }
        let mut warned = BTreeSet::new();
        for e in &raw.entity {
            let kind = e.kind.get_ref().as_str();
            // Collected, or the other side of a claim type's typo reported above.
            if collected.contains(kind) || closest(kind, orphans.iter().copied()).is_some() {
                continue;
            }
            let id = e.id.get_ref();
            match closest(kind, collected.iter().copied()) {
                Some(meant) => self.error(
                    e.kind.span(),
                    format!("entity `{id}` has type `{kind}`, which no claim type collects"),
                    &format!(
                        "did you mean `{meant}`? claim types of kind `name` collect {} (their `entity_type`)",
                        quoted(&collected)
                    ),
                ),
                None if warned.insert(kind.to_string()) => {
                    let help = if collected.is_empty() {
                        format!("add a claim type with `kind = \"name\"` and `entity_type = \"{kind}\"` to find these names")
                    } else {
                        format!(
                            "claim types of kind `name` collect {}; add one with `entity_type = \"{kind}\"` to find these names",
                            quoted(&collected)
                        )
                    };
                    self.diagnostics.push(
                        Diagnostic::warning(
                            Some(e.kind.span()),
                            format!("no claim type collects entities of type `{kind}` (`{id}` and any other): their names are not looked for"),
                        )
                        .help(help),
                    );
                }
                None => {}
            }
        }
    }

    fn entities(
        &mut self,
        raw: &[EntityFile],
    ) -> (
        Vec<EntityRule>,
        Option<aho_corasick::AhoCorasick>,
        HashMap<String, usize>,
    ) {
        let mut out = Vec::new();
        let mut owner: HashMap<String, usize> = HashMap::default();
        let mut owner_span: HashMap<String, Range<usize>> = HashMap::default();
        let mut ids: HashMap<String, Range<usize>> = HashMap::default();
        for e in raw {
            let id = e.id.get_ref().clone();
            if let Some(first) = ids.get(&id) {
                let (line, col) = crate::diag::line_col(self.source, first.start);
                self.error(
                    e.id.span(),
                    format!("duplicate entity id `{id}`"),
                    &format!(
                        "the first entity with this id is at {}:{line}:{col}; ids must be unique",
                        self.path
                    ),
                );
                continue;
            }
            ids.insert(id.clone(), e.id.span());
            let idx = out.len();
            let mut aliases = Vec::new();
            let mut written = Vec::new();
            let all = std::iter::once(&e.canonical).chain(&e.aliases);
            for alias in all {
                let key = crate::entities::alias_key(alias.get_ref());
                let span = alias.span();
                if key.is_empty() {
                    self.error(span, "empty alias".into(), "remove it");
                    continue;
                }
                match owner.get(&key) {
                    Some(&o) if o != idx => {
                        let (line, col) =
                            crate::diag::line_col(self.source, owner_span[&key].start);
                        let other = out
                            .get(o)
                            .map_or(String::new(), |x: &EntityRule| x.id.clone());
                        let written = alias.get_ref();
                        let same = if written.trim() == key {
                            String::new()
                        } else {
                            format!(" (as `{key}` once normalised)")
                        };
                        self.error(
                            span,
                            format!(
                                "alias `{written}`{same} is listed under two entities, `{other}` and `{id}`"
                            ),
                            &format!(
                                "a spelling must name one entity: keep it under `{other}` ({}:{line}:{col}) or `{id}`, not both",
                                self.path
                            ),
                        );
                    }
                    Some(_) => {}
                    None => {
                        // ل + ال is written لل (للاتحاد الأوروبي): match that form too.
                        if let Some(rest) = key.strip_prefix("ال") {
                            owner.entry(format!("لل{rest}")).or_insert(idx);
                        }
                        owner.insert(key.clone(), idx);
                        owner_span.insert(key.clone(), span);
                        aliases.push(key);
                        written.push(alias.get_ref().trim().to_string());
                    }
                }
            }
            out.push(EntityRule {
                line: crate::diag::line_of(self.source, e.id.span().start),
                id,
                kind: e.kind.get_ref().clone(),
                canonical: e.canonical.get_ref().clone(),
                aliases,
                written,
            });
        }
        let names = if owner.is_empty() {
            None
        } else {
            longest_first_automaton(owner.keys())
        };
        (out, names, owner)
    }
}

/// One set of the rules' patterns, to say in one pass which can match; `None` when the
/// set is too large to build (each pattern is then tried on its own).
fn regex_set<'a>(patterns: impl IntoIterator<Item = &'a str>) -> Option<regex::RegexSet> {
    regex::RegexSetBuilder::new(patterns)
        .size_limit(64 << 20)
        .dfa_size_limit(64 << 20)
        .build()
        .ok()
}

/// The `{name}` references of a pattern: the byte range of each, braces included, and the
/// name. `\{` is a literal brace and `{2,3}` a repetition, neither a reference.
fn references(pattern: &str) -> Vec<(Range<usize>, &str)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(open) = pattern[from..].find('{').map(|i| from + i) {
        from = open + 1;
        if pattern[..open].ends_with('\\') {
            continue;
        }
        let after = &pattern[open + 1..];
        let Some(close) = after.find('}') else {
            continue;
        };
        let n = &after[..close];
        if n.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
            && n.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            out.push((open..open + close + 2, n));
            from = open + close + 2;
        }
    }
    out
}

/// Where the text of the string value written at `span` starts in `source`, when the
/// string holds `text` verbatim (no escapes): after `'`, `"`, `'''` or `"""`, and after
/// the newline that may follow a multi-line string's opening quotes.
fn verbatim_start(source: &str, span: &Range<usize>, text: &str) -> Option<usize> {
    let written = source.get(span.clone())?;
    let mut starts = Vec::new();
    if written.starts_with("'''") || written.starts_with("\"\"\"") {
        let after = span.start + 3;
        starts.push(after);
        for nl in ["\n", "\r\n"] {
            if source[after..].starts_with(nl) {
                starts.push(after + nl.len());
            }
        }
    } else {
        starts.push(span.start + 1);
    }
    starts
        .into_iter()
        .find(|&s| source.get(s..s + text.len()) == Some(text))
}

/// Where a regex has an empty alternative (`a||b`, `(|a)`, `(a|)`, a leading or trailing
/// `|`): the byte range of the bar with its neighbour. Escapes (`\|`) and character
/// classes (`[|]`) are skipped, so only real alternation counts.
fn empty_alternative(re: &str) -> Option<Range<usize>> {
    let b = re.as_bytes();
    let mut i = 0;
    // True where an alternative starts: at the start, after `(` or `(?:`, after `|`.
    let mut at_start = true;
    // Where the marker of that start begins (`(`, `(?:`, the previous `|`).
    let mut marker = 0;
    let mut class_depth = 0usize;
    while i < b.len() {
        let c = b[i];
        if c == b'\\' {
            i += 2;
            at_start = false;
            continue;
        }
        if class_depth > 0 {
            match c {
                b'[' => class_depth += 1,
                b']' => class_depth -= 1,
                _ => {}
            }
            i += 1;
            continue;
        }
        match c {
            b'[' => {
                class_depth = 1;
                i += 1;
                // A `]` right after `[` or `[^` is a literal.
                if b.get(i) == Some(&b'^') {
                    i += 1;
                }
                if b.get(i) == Some(&b']') {
                    i += 1;
                }
                at_start = false;
                continue;
            }
            b'(' => {
                marker = i;
                i += 1;
                if b.get(i) == Some(&b'?') {
                    // Skip the group's flags or name up to `:`, `>` or `)`.
                    while i < b.len() && !matches!(b[i], b':' | b'>' | b')') {
                        i += 1;
                    }
                    if b.get(i) == Some(&b')') {
                        // `(?i)` sets flags, it opens no alternative.
                        i += 1;
                        continue;
                    }
                    i += 1;
                }
                at_start = true;
                continue;
            }
            b'|' => {
                if at_start {
                    return Some(marker.min(i)..i + 1);
                }
                if i + 1 == b.len() {
                    return Some(i..i + 1);
                }
                if b[i + 1] == b')' {
                    return Some(i..i + 2);
                }
                at_start = true;
                marker = i;
            }
            _ => at_start = false,
        }
        i += 1;
    }
    None
}

/// A fragment that is a plain list of words (`جندي|جنديا|جنود`) is a word list: order it
/// longest first, because the regex takes the first alternative that matches and a word
/// edge check after it would then reject `جندي` inside `جنديا`. Anything with regex
/// syntax is left as written.
fn word_list_longest_first(fragment: &str) -> String {
    let plain = fragment
        .chars()
        .all(|c| c == '|' || c == ' ' || c.is_alphanumeric());
    if !plain || !fragment.contains('|') {
        return fragment.to_string();
    }
    let mut words: Vec<&str> = fragment.split('|').collect();
    words.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    words.dedup();
    words.join("|")
}

/// Lexicons that date resolution reads by name, with the keys it reads.
const DATE_LEXICONS: [(&str, &[&str]); 2] = [
    ("tense", &["future", "future_prefix", "not_future"]),
    ("anaphora", &["previous"]),
];

/// Which lexicon a capture name resolves through (`None` for digits and parsed numbers).
pub fn lexicon_for_capture(name: &str) -> Option<&'static str> {
    Some(match name {
        "qualifier" => "qualifier",
        "unit" => "unit",
        "subject" => "subject",
        "month" | "month_name" => "month",
        "weekday" => "weekday",
        "direction" => "direction",
        "period" => "period",
        "day_offset" => "day_offset",
        "part" => "part",
        _ => return None,
    })
}

/// Parse a date lexicon key (`mon` … `sun`) into a weekday.
pub fn weekday(key: &str) -> Option<chrono::Weekday> {
    key.parse().ok()
}

/// Parse a `[lexicon.period]` key.
pub fn period(key: &str) -> Option<dates::Precision> {
    Some(match key {
        "day" => dates::Precision::Day,
        "week" => dates::Precision::Week,
        "month" => dates::Precision::Month,
        "year" => dates::Precision::Year,
        _ => return None,
    })
}

/// The shipped rules.toml's text, for the crate's tests.
#[cfg(test)]
pub(crate) const SHIPPED: &str = include_str!("../rules.toml");

/// The shipped rules.toml, compiled once for all of the crate's tests (a test that
/// changes a setting clones them).
#[cfg(test)]
pub(crate) fn shipped() -> &'static RuleSet {
    static RULES: std::sync::OnceLock<RuleSet> = std::sync::OnceLock::new();
    RULES.get_or_init(|| compile("rules.toml", SHIPPED).expect("the shipped rules compile"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(src: &str) -> String {
        match compile("rules.toml", src) {
            Ok(_) => "ok".into(),
            Err(r) => r.to_string(),
        }
    }

    #[test]
    fn a_lexicon_automaton_finds_what_its_regex_alternation_finds() {
        let rules = shipped();
        assert!(!rules.lexicons.is_empty());
        for (name, lex) in &rules.lexicons {
            let re = Regex::new(&lex.alternation()).unwrap();
            let words = lex.words_automaton().unwrap();
            // Every word alone, run together (where a shorter word starts inside a longer
            // one) and cut short by one character.
            let mut text = String::new();
            for w in longest_first(lex.lookup.keys()) {
                text.push_str(w);
                text.push(' ');
                text.push_str(w);
                text.push_str(w);
                text.push_str(" x");
                let cut = w.char_indices().last().map_or(0, |(i, _)| i);
                text.push_str(&w[..cut]);
                text.push_str(" . ");
            }
            let by_regex: Vec<_> = re.find_iter(&text).map(|m| m.range()).collect();
            let by_automaton: Vec<_> = words.find_iter(&text).map(|m| m.range()).collect();
            assert!(by_regex.len() >= lex.lookup.len(), "lexicon {name}");
            assert_eq!(by_regex, by_automaton, "lexicon {name}");
        }
    }

    #[test]
    fn word_list_fragments_try_longer_words_first() {
        assert_eq!(
            word_list_longest_first("جندي|جنديا|جنود"),
            "جنديا|جندي|جنود"
        );
        assert_eq!(word_list_longest_first("a(b)|ab"), "a(b)|ab");
    }

    #[test]
    fn empty_alternatives_are_found_outside_escapes_and_classes() {
        let at = |re: &str| empty_alternative(re).map(|r| re[r].to_string());
        assert_eq!(at("a||b").as_deref(), Some("||"));
        assert_eq!(at("(|a)").as_deref(), Some("(|"));
        assert_eq!(at("(?:|a)").as_deref(), Some("(?:|"));
        assert_eq!(at("(a|)").as_deref(), Some("|)"));
        assert_eq!(at("|a").as_deref(), Some("|"));
        assert_eq!(at("a|").as_deref(), Some("|"));
        assert_eq!(at("(?i)|a").as_deref(), Some("(?i)|"));
        for fine in [
            r"a|b",
            r"\||x",
            r"a\|",
            r"[a||b]",
            r"[]|]|x",
            r"(?<n>a|b)",
            r"(?i)a|b",
            "",
        ] {
            assert_eq!(at(fine), None, "{fine}");
        }
    }

    #[test]
    fn references_skip_escaped_braces_and_repetitions() {
        let names = |re: &str| {
            references(re)
                .into_iter()
                .map(|(at, n)| format!("{}={n}", &re[at]))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            names("(?<number>{number})\\s+{soldier}"),
            ["{number}=number", "{soldier}=soldier"]
        );
        assert_eq!(names(r"\{soldier}|a{2,3}|{A}|{}"), Vec::<String>::new());
        assert_eq!(
            names("{year_after}{x1}"),
            ["{year_after}=year_after", "{x1}=x1"]
        );
    }

    #[test]
    fn verbatim_start_finds_the_text_inside_its_quotes() {
        let src = "a = 'x(y'\nb = \"p\\\\q\"\nc = '''\nz('''\n";
        let span = |key: &str| {
            let start = src.find(&format!("{key} = ")).unwrap() + 4;
            start..src[start..].find('\n').map_or(src.len(), |e| start + e)
        };
        assert_eq!(verbatim_start(src, &span("a"), "x(y"), Some(5));
        // An escape: the text is not written as is.
        assert_eq!(verbatim_start(src, &span("b"), "p\\q"), None);
        let c = src.find("c = ").unwrap() + 4;
        let c = c..src.len() - 1;
        assert_eq!(verbatim_start(src, &c, "z("), Some(src.find("z(").unwrap()));
    }

    #[test]
    fn an_unreadable_rules_file_is_named_with_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rules.toml");
        std::fs::write(&path, b"# rules\n[[claim]]\nid = \"x\xE9\"\n").unwrap();
        let e = format!("{:#}", load(&path).unwrap_err());
        assert!(
            e.contains("rules.toml:3: invalid UTF-8 at byte 25 (0xE9)"),
            "{e}"
        );
        assert!(e.contains("save the rules file as UTF-8"), "{e}");
        let e = format!("{:#}", check(dir.path()).unwrap_err());
        assert!(e.contains("it is a folder"), "{e}");
        let e = format!("{:#}", check(&dir.path().join("none.toml")).unwrap_err());
        assert!(e.contains("pass --rules FILE"), "{e}");
    }

    #[test]
    fn empty_file_is_an_error() {
        assert!(errors("  \n").contains("the rules file is empty"));
        // Comments only, or tables but no claim type: `compare build` would refuse it,
        // so `compare check` does too.
        assert!(errors("# only a comment\n").contains("defines no claim type"));
        assert!(errors("[align]\nmin_similarity = 0.3\n").contains("defines no claim type"));
    }

    #[test]
    fn an_unquoted_word_is_told_to_be_quoted() {
        let out = errors("[[claim]]\nid = \"x\"\nkind = \"quantity\"\nunit = nato\n");
        assert!(out.contains("string values must be quoted"), "{out}");
        assert!(out.contains("write `unit = \"nato\"`"), "{out}");
        assert!(out.contains("rules.toml:4:8"), "{out}");
    }

    #[test]
    fn header_keys_read_dotted_and_quoted_headers_only() {
        let keys = |l: &str| header_keys(l).map(|k| k.join("|"));
        assert_eq!(keys("[fragments]").as_deref(), Some("fragments"));
        assert_eq!(
            keys(" [ lexicon . \"a.b\" ] # x").as_deref(),
            Some("lexicon|a.b")
        );
        assert_eq!(keys("[[claim]]"), None);
        assert_eq!(keys("a = [1]"), None);
        assert_eq!(keys("[unclosed"), None);
    }

    #[test]
    fn unknown_key_gets_a_did_you_mean() {
        let out = errors("[[claim]]\nid = \"x\"\nkind = \"quantity\"\ndescriptoin = \"d\"\n");
        assert!(out.contains("unknown field `descriptoin`"), "{out}");
        assert!(out.contains("did you mean `description`?"), "{out}");
        assert!(out.contains("rules.toml:4:1"), "{out}");
    }

    #[test]
    fn date_claims_need_the_lexicons_dates_read_by_name() {
        let shipped = SHIPPED;
        assert_eq!(errors(shipped), "ok");
        let renamed = shipped.replace("[lexicon.tense]", "[lexicon.tenses]");
        let out = errors(&renamed);
        assert!(
            out.contains("date claims read `[lexicon.tense]`, which is not defined"),
            "{out}"
        );
        let misspelt = shipped.replace("\nprevious = [", "\nprevios = [");
        let out = errors(&misspelt);
        assert!(
            out.contains("`[lexicon.anaphora]` has a key `previos` that dates do not read"),
            "{out}"
        );
        assert!(out.contains("did you mean `previous`?"), "{out}");
    }
}
