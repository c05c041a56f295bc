//! Reviewing results in CI: what changed between two reports, and what should fail a build.
//!
//! - [`diff`] compares two `report.json` files (schema 1) for `compare diff OLD NEW`:
//!   new and resolved conflicts, other verdict changes, statements added, removed, renamed
//!   or joined by other outlets, claims gained or lost per document and claim type, and
//!   name spellings newly seen. [`text`], [`markdown`] and JSON render it.
//! - [`findings`] decides what `compare build --fail-on` fails on; a *new* conflict is
//!   defined exactly as in the diff, so the gate and the summary never disagree.
//! - [`summary`] is the one JSON object `compare build --format json` prints.
//!
//! Statements are matched between the two reports by their members, not by id: a new
//! statement matches the old one with which it shares the most member sentences (same
//! document and same sentence text, or failing that the same sentence number), one to
//! one, best first. An id that changed anyway (its anchor sentence moved) is reported as
//! renamed, and an edit that shifts sentence numbers does not read as lost and new
//! statements. Claims are compared by document, type, text and value, not by id, for the
//! same reason. Every list is sorted, so the output is as deterministic as the reports.

use crate::render::markdown::escape;
use crate::render::{
    ClaimOut, DocumentOut, MemberOut, Report, SmolStr, StatementOut, ValueWords, SCHEMA,
};
use anyhow::{bail, Context, Result};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::Path;

/// The verdicts, in the order summaries show them.
pub const VERDICTS: [&str; 3] = ["conflict", "agree", "single"];

/// Read a `report.json`, checking its schema; errors name the file. Its values' words are
/// those of its display alone until [`word`] gives them.
pub fn load(path: &Path) -> Result<Report> {
    let shown = path.display();
    // A pipe would wait for a writer, a device (a link to /dev/zero) never end.
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        bail!(
            "cannot read {shown}: not an ordinary file (a pipe, socket or device)\n  = help: pass the path of a report.json written by `compare build`, such as site/report.json"
        );
    }
    let text = std::fs::read_to_string(path).map_err(|e| {
        anyhow::anyhow!(
            "cannot read {shown}: {e}\n  = help: pass the path of a report.json written by `compare build`, such as site/report.json"
        )
    })?;
    let help = "pass the report.json of a site written by `compare build`, such as main's site/report.json";
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        anyhow::anyhow!("{shown} is not JSON ({e}); expected a report.json\n  = help: {help}")
    })?;
    match value.get("schema").and_then(serde_json::Value::as_u64) {
        Some(n) if n == u64::from(SCHEMA) => {}
        Some(n) => bail!(
            "{shown} is report.json schema {n}; this compare reads schema {SCHEMA}\n  = help: rebuild it with this version of compare"
        ),
        None => bail!(
            "{shown} has no `schema` number, so it is not a report.json written by `compare build`\n  = help: {help}"
        ),
    }
    serde_json::from_value(value)
        .with_context(|| format!("{shown} is not a valid report.json (schema {SCHEMA})"))
}

/// Give a report read back from report.json its values' words as the pages show them: names
/// by the report's own entities, counts in the plural of `wording`'s claim types, dates in
/// words ([`ValueWords::of_records`]).
pub fn word(report: &mut Report, wording: &crate::verdict::Wording) {
    report.words = ValueWords::of_records(&report.claims, &report.entities, wording);
}

/// What `compare build --fail-on` fails on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    /// Any conflict in the build.
    Conflict,
    /// Conflicts that are not conflicts in the baseline.
    NewConflict,
}

impl FailOn {
    pub fn as_str(self) -> &'static str {
        match self {
            FailOn::Conflict => "conflict",
            FailOn::NewConflict => "new-conflict",
        }
    }
}

/// The statements that fail the build, in the report's order, each as [`diff`] shows a
/// statement (its title, link, reason and members in words): every conflict, or with a
/// baseline only those that [`diff`] lists as new conflicts. Give the baseline its words
/// first ([`word`]), so its values read as the report's do.
pub fn findings(
    report: &Report,
    fail_on: FailOn,
    baseline: Option<&Report>,
) -> Vec<StatementChange> {
    let conflicts: Vec<&StatementOut> = report
        .statements
        .iter()
        .filter(|s| s.verdict == "conflict")
        .collect();
    if conflicts.is_empty() {
        return Vec::new();
    }
    match (fail_on, baseline) {
        (FailOn::NewConflict, Some(base)) => {
            let order: HashMap<&str, usize> = conflicts
                .iter()
                .enumerate()
                .map(|(i, s)| (s.id.as_str(), i))
                .collect();
            let mut new = diff(base, report).new_conflicts;
            new.sort_by_key(|c| order.get(c.id.as_str()).copied());
            new
        }
        _ => {
            let side = Side::of(report);
            conflicts
                .into_iter()
                .map(|s| change(None, Some((s, &side))))
                .collect()
        }
    }
}

/// The failing statements `build --fail-on` writes out in full, a few lines each; a CI log
/// of a large corpus's tens of thousands of conflicts would be megabytes long.
pub const FINDINGS_SHOWN: usize = 20;

/// What `compare build --fail-on` prints on stderr before exiting 1: how many statements
/// fail, then each as `compare diff` shows it (with `--fail-on new-conflict`, its verdict
/// in the baseline too), its link into the site written to `out`.
pub fn findings_message(
    fail_on: FailOn,
    baseline: Option<&Path>,
    out: &Path,
    found: &[StatementChange],
) -> String {
    let n = found.len();
    let mut o = match (fail_on, baseline) {
        (FailOn::NewConflict, Some(b)) => format!(
            "error: {} absent from the baseline {} (--fail-on new-conflict)\n",
            crate::render::count(n, "conflict", "conflicts"),
            b.display()
        ),
        _ => format!(
            "error: {} (--fail-on {})\n",
            crate::render::count(n, "conflict", "conflicts"),
            fail_on.as_str()
        ),
    };
    for c in found.iter().take(FINDINGS_SHOWN) {
        let was = (fail_on == FailOn::NewConflict).then(|| transition(c));
        let link = out.join(&c.link).display().to_string();
        statement_text(&mut o, c, was.as_deref(), &link);
    }
    if n > FINDINGS_SHOWN {
        let _ = writeln!(
            o,
            "  … and {} more, not written out here: `--format json` lists them all, and {} leads to each",
            n - FINDINGS_SHOWN,
            out.join("index.html").display()
        );
    }
    let _ = writeln!(
        o,
        "  = help: see each statement's page in the site; `compare diff BASELINE REPORT` lists every change"
    );
    o
}

/// The machine summary of a build: counts by verdict and by type, and the findings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub schema: u32,
    pub out: String,
    /// Articles compared.
    pub articles: usize,
    /// Articles read with no text to compare, not counted in `articles`.
    pub without_text: usize,
    pub outlets: usize,
    /// Articles whose outlet was not found, not counted in `outlets`.
    pub outlet_unknown: usize,
    pub claims: usize,
    pub statements: usize,
    /// Every verdict, zero included.
    pub by_verdict: BTreeMap<String, usize>,
    /// Claims per claim type.
    pub by_type: BTreeMap<String, usize>,
    pub warnings: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fail_on: Option<&'static str>,
    /// Ids of the statements that fail the build under `fail_on`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub findings: Option<Vec<SmolStr>>,
    /// The same statements in words, as `compare diff --format json` gives a statement
    /// (`title`, `link`, `reason`, `members` with outlet, path, line, date, values and
    /// excerpt); `old_verdict` is the baseline's, null with `--fail-on conflict`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finding_statements: Option<Vec<StatementChange>>,
}

/// The summary `compare build --format json` prints.
pub fn summary(
    report: &Report,
    out: &Path,
    warnings: usize,
    fail_on: Option<(FailOn, &[StatementChange])>,
) -> Summary {
    let c = &report.corpus;
    let mut by_verdict: BTreeMap<String, usize> =
        VERDICTS.iter().map(|v| (v.to_string(), 0)).collect();
    by_verdict.extend(c.by_verdict.iter().map(|(k, v)| (k.clone(), *v)));
    Summary {
        schema: report.schema,
        out: out.display().to_string(),
        articles: c.articles,
        without_text: c.without_text,
        outlets: c.outlets,
        outlet_unknown: c.outlet_unknown,
        claims: c.claims,
        statements: c.statements,
        by_verdict,
        by_type: c.by_type.clone(),
        warnings,
        fail_on: fail_on.map(|(f, _)| f.as_str()),
        findings: fail_on.map(|(_, found)| found.iter().map(|s| s.id.clone()).collect()),
        finding_statements: fail_on.map(|(_, found)| found.to_vec()),
    }
}

/// Everything `compare diff` reports.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ReportDiff {
    pub old: Totals,
    pub new: Totals,
    pub documents_added: Vec<DocumentRef>,
    pub documents_removed: Vec<DocumentRef>,
    /// Conflicts in NEW that were not conflicts in OLD (or did not exist).
    pub new_conflicts: Vec<StatementChange>,
    /// Conflicts in OLD that are no longer conflicts in NEW (or no longer exist).
    pub resolved_conflicts: Vec<StatementChange>,
    /// Other verdict changes (agree ↔ single).
    pub verdict_changes: Vec<StatementChange>,
    /// Same verdict, but outlets joined or left or values changed.
    pub changed: Vec<StatementChange>,
    /// New statements that are not conflicts.
    pub added: Vec<StatementChange>,
    /// Gone statements that were not conflicts.
    pub removed: Vec<StatementChange>,
    /// Matched statements whose id changed.
    pub renamed: Vec<Rename>,
    /// Claims gained and lost per claim type (types without change left out).
    pub claims_by_type: Vec<TypeCount>,
    /// Claims gained and lost per document and claim type, with the claims.
    pub claims_by_document: Vec<ClaimChange>,
    /// Name spellings seen in NEW and not in OLD.
    pub new_spellings: Vec<NewSpelling>,
}

impl ReportDiff {
    /// Whether anything a reviewer reads changed.
    pub fn is_empty(&self) -> bool {
        self.documents_added.is_empty()
            && self.documents_removed.is_empty()
            && self.new_conflicts.is_empty()
            && self.resolved_conflicts.is_empty()
            && self.verdict_changes.is_empty()
            && self.changed.is_empty()
            && self.added.is_empty()
            && self.removed.is_empty()
            && self.renamed.is_empty()
            && self.claims_by_document.is_empty()
            && self.new_spellings.is_empty()
    }
}

/// Corpus counts of one report.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Totals {
    /// Articles compared.
    pub articles: usize,
    /// Articles read with no text to compare, not counted in `articles`.
    pub without_text: usize,
    pub outlets: usize,
    /// Articles whose outlet was not found, not counted in `outlets`.
    pub outlet_unknown: usize,
    pub claims: usize,
    pub statements: usize,
    /// Every verdict, zero included.
    pub by_verdict: BTreeMap<String, usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocumentRef {
    pub id: String,
    /// The article's file, from the seeds folder.
    pub path: String,
    pub outlet: String,
    pub published: Option<String>,
}

/// One statement as the diff shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatementChange {
    /// The id in NEW, or in OLD for a statement that is gone.
    pub id: SmolStr,
    /// The id in OLD when it differs (a rename) and the statement exists in both.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_id: Option<SmolStr>,
    #[serde(rename = "type")]
    pub kind: SmolStr,
    /// The statement as its heading reads on the pages: its type and the values the
    /// outlets give, in words (`troops: 1500 soldiers (FR) vs 2000 soldiers (FR)`).
    pub title: String,
    /// Its section in the site, from the site root (`statements/no-story.html#…`).
    pub link: String,
    pub old_verdict: Option<SmolStr>,
    pub new_verdict: Option<SmolStr>,
    /// The reason of the newest verdict.
    pub reason: String,
    pub members: Vec<MemberChange>,
}

/// A member of a statement and whether it is in OLD, NEW or both.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MemberChange {
    pub doc: SmolStr,
    /// The article's file, from the seeds folder.
    pub path: String,
    pub outlet: SmolStr,
    pub published: Option<SmolStr>,
    pub sentence: usize,
    /// The sentence's line in the article's file.
    pub line: usize,
    /// For a statement in both reports: `kept`, `joined` (only in NEW) or `left` (only
    /// in OLD). Members of a statement that is wholly new or gone are `kept`.
    pub status: &'static str,
    pub values: Vec<SmolStr>,
    /// The values in OLD when they differ.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_values: Option<Vec<SmolStr>>,
    /// `values` as the pages show them, in names and words (`~1000 soldiers (US)`).
    pub shown: Vec<SmolStr>,
    /// `old_values` as the pages show them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_shown: Option<Vec<SmolStr>>,
    /// The words of the sentence around its claims of the statement's type.
    pub excerpt: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rename {
    pub old: SmolStr,
    pub new: SmolStr,
    /// The statement's heading in NEW ([`StatementChange::title`]).
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TypeCount {
    #[serde(rename = "type")]
    pub kind: String,
    pub old: usize,
    pub new: usize,
    pub gained: usize,
    pub lost: usize,
}

/// Claims of one type in one document that only one side has.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClaimChange {
    pub doc: SmolStr,
    /// The article's file and outlet (in NEW, or in OLD when it is gone).
    pub path: String,
    pub outlet: String,
    #[serde(rename = "type")]
    pub kind: SmolStr,
    pub old: usize,
    pub new: usize,
    pub gained: Vec<ClaimRef>,
    pub lost: Vec<ClaimRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClaimRef {
    pub id: SmolStr,
    pub text: SmolStr,
    pub display: SmolStr,
    /// The value as the pages show it.
    pub shown: SmolStr,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewSpelling {
    pub entity: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub canonical: String,
    /// The entity itself is new.
    pub new_entity: bool,
    /// Spellings (normalised name keys) not seen in OLD.
    pub spellings: Vec<String>,
    /// Mentions in NEW whose surface text OLD does not have for this entity.
    pub mentions: Vec<MentionRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MentionRef {
    pub doc: SmolStr,
    /// The article's file, from the seeds folder.
    pub path: String,
    pub outlet: SmolStr,
    pub text: SmolStr,
    pub line: usize,
    /// For a spelling not listed in rules.toml: the listed alias it resembles.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub like: Option<SmolStr>,
}

fn totals(r: &Report) -> Totals {
    let mut by_verdict: BTreeMap<String, usize> =
        VERDICTS.iter().map(|v| (v.to_string(), 0)).collect();
    by_verdict.extend(r.corpus.by_verdict.iter().map(|(k, v)| (k.clone(), *v)));
    Totals {
        articles: r.corpus.articles,
        without_text: r.corpus.without_text,
        outlets: r.corpus.outlets,
        outlet_unknown: r.corpus.outlet_unknown,
        claims: r.corpus.claims,
        statements: r.corpus.statements,
        by_verdict,
    }
}

/// How well two members correspond: same document and same sentence text (2), or the
/// same sentence number when the text changed (1).
fn member_score(a: &MemberOut, b: &MemberOut) -> u32 {
    if a.doc != b.doc {
        0
    } else if a.text == b.text {
        2
    } else if a.sentence == b.sentence {
        1
    } else {
        0
    }
}

fn group_score(a: &StatementOut, b: &StatementOut) -> u32 {
    if a.kind != b.kind {
        return 0;
    }
    a.members
        .iter()
        .map(|x| {
            b.members
                .iter()
                .map(|y| member_score(x, y))
                .max()
                .unwrap_or(0)
        })
        .sum()
}

/// Pairs (old index, new index) of statements that are the same statement, one to one.
fn match_statements(old: &[StatementOut], new: &[StatementOut]) -> Vec<(usize, usize)> {
    // Index NEW members by (type, doc): candidates share at least one document.
    let mut index: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    for (ni, s) in new.iter().enumerate() {
        for m in &s.members {
            index.entry((&s.kind, &m.doc)).or_default().push(ni);
        }
    }
    let mut candidates: Vec<(u32, bool, usize, usize)> = Vec::new();
    for (oi, s) in old.iter().enumerate() {
        let near: BTreeSet<usize> = s
            .members
            .iter()
            .filter_map(|m| index.get(&(s.kind.as_str(), m.doc.as_str())))
            .flatten()
            .copied()
            .collect();
        for ni in near {
            let score = group_score(s, &new[ni]);
            if score > 0 {
                candidates.push((score, s.id == new[ni].id, oi, ni));
            }
        }
    }
    // Best first; on a tie the same id wins, then input order (both reports are sorted).
    candidates.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(b.1.cmp(&a.1))
            .then((a.2, a.3).cmp(&(b.2, b.3)))
    });
    let mut old_taken = vec![false; old.len()];
    let mut new_taken = vec![false; new.len()];
    let mut pairs = Vec::new();
    for (_, _, oi, ni) in candidates {
        if !old_taken[oi] && !new_taken[ni] {
            old_taken[oi] = true;
            new_taken[ni] = true;
            pairs.push((oi, ni));
        }
    }
    pairs.sort_unstable();
    pairs
}

/// One report as the diff reads it: its values' words, its documents and claims by id.
struct Side<'a> {
    words: &'a ValueWords,
    docs: HashMap<&'a str, &'a DocumentOut>,
    claims: HashMap<&'a str, &'a ClaimOut>,
}

/// How many characters of a sentence a member shows either side of its claims.
const EXCERPT_RADIUS: usize = 40;

impl<'a> Side<'a> {
    fn of(r: &'a Report) -> Side<'a> {
        Side {
            words: &r.words,
            docs: r.documents.iter().map(|d| (d.id.as_str(), d)).collect(),
            claims: r.claims.iter().map(|c| (c.id.as_str(), c)).collect(),
        }
    }

    fn path(&self, doc: &str) -> String {
        self.docs
            .get(doc)
            .map_or_else(|| doc.to_string(), |d| d.path.clone())
    }

    fn shown(&self, values: &[SmolStr]) -> Vec<SmolStr> {
        values.iter().map(|v| self.words.of(v).into()).collect()
    }

    /// The words of a member's sentence around its claims, on one line.
    fn excerpt(&self, m: &MemberOut) -> String {
        let claims: Vec<&ClaimOut> = m
            .claims
            .iter()
            .filter_map(|id| self.claims.get(id.as_str()).copied())
            .collect();
        let text: String = crate::render::excerpt(&m.text, &claims, EXCERPT_RADIUS)
            .into_iter()
            .map(|(_, t)| t)
            .collect();
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    fn claim(&self, c: &ClaimOut) -> ClaimRef {
        ClaimRef {
            id: c.id.clone(),
            text: c.text.clone(),
            display: c.display.clone(),
            shown: self.words.of(&c.display).into(),
            line: c.line,
        }
    }
}

fn change(
    old: Option<(&StatementOut, &Side)>,
    new: Option<(&StatementOut, &Side)>,
) -> StatementChange {
    let (newest, side) = new.or(old).expect("a change has a side");
    let mut members: Vec<MemberChange> = Vec::new();
    let member = |m: &MemberOut, side: &Side, status: &'static str| MemberChange {
        doc: m.doc.clone(),
        path: side.path(&m.doc),
        outlet: m.outlet.clone(),
        published: m.published.clone(),
        sentence: m.sentence,
        line: m.line,
        status,
        values: m.values.clone(),
        old_values: None,
        shown: side.shown(&m.values),
        old_shown: None,
        excerpt: side.excerpt(m),
    };
    if let Some((n, new_side)) = new {
        for m in &n.members {
            let before = old.and_then(|(o, old_side)| {
                o.members
                    .iter()
                    .filter(|x| member_score(x, m) > 0)
                    .max_by_key(|x| member_score(x, m))
                    .map(|b| (b, old_side))
            });
            let status = if before.is_some() || old.is_none() {
                "kept"
            } else {
                "joined"
            };
            let mut c = member(m, new_side, status);
            if let Some((b, old_side)) = before.filter(|(b, _)| b.values != m.values) {
                c.old_values = Some(b.values.clone());
                c.old_shown = Some(old_side.shown(&b.values));
            }
            members.push(c);
        }
    }
    if let Some((o, old_side)) = old {
        for m in &o.members {
            let after = new.map(|(n, _)| n.members.iter().any(|x| member_score(m, x) > 0));
            if after != Some(true) {
                let status = if new.is_none() { "kept" } else { "left" };
                members.push(member(m, old_side, status));
            }
        }
    }
    StatementChange {
        id: newest.id.clone(),
        old_id: match (old, new) {
            (Some((o, _)), Some((n, _))) if o.id != n.id => Some(o.id.clone()),
            _ => None,
        },
        kind: newest.kind.clone(),
        title: crate::render::statement_title(side.words, newest),
        link: newest.href(0),
        old_verdict: old.map(|(s, _)| s.verdict.clone()),
        new_verdict: new.map(|(s, _)| s.verdict.clone()),
        reason: newest.reason.clone(),
        members,
    }
}

/// Compare two reports.
pub fn diff(old: &Report, new: &Report) -> ReportDiff {
    let mut d = ReportDiff {
        old: totals(old),
        new: totals(new),
        ..ReportDiff::default()
    };

    let doc_ids =
        |r: &Report| -> BTreeSet<String> { r.documents.iter().map(|x| x.id.clone()).collect() };
    let (old_docs, new_docs) = (doc_ids(old), doc_ids(new));
    let (old_side, new_side) = (Side::of(old), Side::of(new));
    let doc_ref = |x: &crate::render::DocumentOut| DocumentRef {
        id: x.id.clone(),
        path: x.path.clone(),
        outlet: x.outlet.clone(),
        published: x.published.clone(),
    };
    d.documents_added = new
        .documents
        .iter()
        .filter(|x| !old_docs.contains(&x.id))
        .map(doc_ref)
        .collect();
    d.documents_removed = old
        .documents
        .iter()
        .filter(|x| !new_docs.contains(&x.id))
        .map(doc_ref)
        .collect();

    // Statements.
    let pairs = match_statements(&old.statements, &new.statements);
    let mut old_matched = vec![false; old.statements.len()];
    let mut new_matched = vec![false; new.statements.len()];
    for &(oi, ni) in &pairs {
        old_matched[oi] = true;
        new_matched[ni] = true;
        let (o, n) = (&old.statements[oi], &new.statements[ni]);
        let c = change(Some((o, &old_side)), Some((n, &new_side)));
        if o.id != n.id {
            d.renamed.push(Rename {
                old: o.id.clone(),
                new: n.id.clone(),
                title: c.title.clone(),
            });
        }
        let was = o.verdict == "conflict";
        let is = n.verdict == "conflict";
        if is && !was {
            d.new_conflicts.push(c);
        } else if was && !is {
            d.resolved_conflicts.push(c);
        } else if o.verdict != n.verdict {
            d.verdict_changes.push(c);
        } else if c
            .members
            .iter()
            .any(|m| m.status != "kept" || m.old_values.is_some())
        {
            d.changed.push(c);
        }
    }
    for (ni, n) in new.statements.iter().enumerate() {
        if !new_matched[ni] {
            let c = change(None, Some((n, &new_side)));
            if n.verdict == "conflict" {
                d.new_conflicts.push(c);
            } else {
                d.added.push(c);
            }
        }
    }
    for (oi, o) in old.statements.iter().enumerate() {
        if !old_matched[oi] {
            let c = change(Some((o, &old_side)), None);
            if o.verdict == "conflict" {
                d.resolved_conflicts.push(c);
            } else {
                d.removed.push(c);
            }
        }
    }
    for list in [
        &mut d.new_conflicts,
        &mut d.resolved_conflicts,
        &mut d.verdict_changes,
        &mut d.changed,
        &mut d.added,
        &mut d.removed,
    ] {
        list.sort_by(|a, b| a.id.cmp(&b.id));
    }
    d.renamed
        .sort_by(|a, b| (&a.old, &a.new).cmp(&(&b.old, &b.new)));

    // Claims, as multisets keyed by (doc, type, text, value).
    type Key = (SmolStr, SmolStr, SmolStr, SmolStr);
    let claim_sets = |r: &Report, side: &Side| {
        let mut m: BTreeMap<Key, Vec<ClaimRef>> = BTreeMap::new();
        for c in &r.claims {
            m.entry((
                c.doc.clone(),
                c.kind.clone(),
                c.text.clone(),
                c.display.clone(),
            ))
            .or_default()
            .push(side.claim(c));
        }
        m
    };
    let (old_claims, new_claims) = (claim_sets(old, &old_side), claim_sets(new, &new_side));
    let count = |r: &Report| {
        let mut m: BTreeMap<(SmolStr, SmolStr), usize> = BTreeMap::new();
        for c in &r.claims {
            *m.entry((c.doc.clone(), c.kind.clone())).or_default() += 1;
        }
        m
    };
    let (old_count, new_count) = (count(old), count(new));
    let mut by_doc: BTreeMap<(SmolStr, SmolStr), ClaimChange> = BTreeMap::new();
    let keys: BTreeSet<&Key> = old_claims.keys().chain(new_claims.keys()).collect();
    for key in keys {
        let before = old_claims.get(key).map_or(&[][..], Vec::as_slice);
        let after = new_claims.get(key).map_or(&[][..], Vec::as_slice);
        if before.len() == after.len() {
            continue;
        }
        let dk = (key.0.clone(), key.1.clone());
        let entry = by_doc.entry(dk.clone()).or_insert_with(|| ClaimChange {
            doc: dk.0.clone(),
            path: match new_side.docs.get(dk.0.as_str()) {
                Some(d) => d.path.clone(),
                None => old_side.path(&dk.0),
            },
            outlet: new_side
                .docs
                .get(dk.0.as_str())
                .or_else(|| old_side.docs.get(dk.0.as_str()))
                .map_or_else(String::new, |d| d.outlet.clone()),
            kind: dk.1.clone(),
            old: old_count.get(&dk).copied().unwrap_or(0),
            new: new_count.get(&dk).copied().unwrap_or(0),
            gained: Vec::new(),
            lost: Vec::new(),
        });
        if after.len() > before.len() {
            entry.gained.extend(after[before.len()..].iter().cloned());
        } else {
            entry.lost.extend(before[after.len()..].iter().cloned());
        }
    }
    d.claims_by_document = by_doc.into_values().collect();
    let mut by_type: BTreeMap<String, TypeCount> = BTreeMap::new();
    for k in old.corpus.by_type.keys().chain(new.corpus.by_type.keys()) {
        by_type.entry(k.clone()).or_insert_with(|| TypeCount {
            kind: k.clone(),
            old: old.corpus.by_type.get(k).copied().unwrap_or(0),
            new: new.corpus.by_type.get(k).copied().unwrap_or(0),
            gained: 0,
            lost: 0,
        });
    }
    for c in &d.claims_by_document {
        if let Some(t) = by_type.get_mut(c.kind.as_str()) {
            t.gained += c.gained.len();
            t.lost += c.lost.len();
        }
    }
    d.claims_by_type = by_type
        .into_values()
        .filter(|t| t.gained > 0 || t.lost > 0 || t.old != t.new)
        .collect();

    // Name spellings.
    let old_entities: HashMap<&str, &crate::render::EntityOut> =
        old.entities.iter().map(|e| (e.id.as_str(), e)).collect();
    let like: HashMap<&str, &SmolStr> = new
        .claims
        .iter()
        .filter_map(|c| c.like.as_ref().map(|l| (c.id.as_str(), l)))
        .collect();
    for e in &new.entities {
        let before = old_entities.get(e.id.as_str());
        // Compared by name key: a spelling shown with another hamza or ة than before (the
        // form most articles write changed) is not a new spelling.
        use crate::entities::spelling_key;
        let old_spellings: BTreeSet<String> = before
            .map(|b| b.spellings.iter().map(|s| spelling_key(s)).collect())
            .unwrap_or_default();
        let spellings: Vec<String> = e
            .spellings
            .iter()
            .filter(|s| !old_spellings.contains(&spelling_key(s)))
            .cloned()
            .collect();
        if spellings.is_empty() {
            continue;
        }
        let old_texts: BTreeSet<&str> = before
            .map(|b| b.mentions.iter().map(|m| m.text.as_str()).collect())
            .unwrap_or_default();
        let mut mentions: Vec<MentionRef> = e
            .mentions
            .iter()
            .filter(|m| !old_texts.contains(m.text.as_str()))
            .map(|m| MentionRef {
                doc: m.doc.clone(),
                path: new_side.path(&m.doc),
                outlet: m.outlet.clone(),
                text: m.text.clone(),
                line: m.line,
                like: like.get(m.claim.as_str()).map(|&l| l.clone()),
            })
            .collect();
        mentions.sort_by(|a, b| (&a.doc, &a.text, a.line).cmp(&(&b.doc, &b.text, b.line)));
        mentions.dedup_by(|a, b| (&a.doc, &a.text) == (&b.doc, &b.text));
        d.new_spellings.push(NewSpelling {
            entity: e.id.clone(),
            kind: e.kind.clone(),
            canonical: e.canonical.clone(),
            new_entity: before.is_none(),
            spellings,
            mentions,
        });
    }
    d.new_spellings.sort_by(|a, b| a.entity.cmp(&b.entity));
    d
}

fn signed(old: usize, new: usize) -> String {
    match new.cmp(&old) {
        std::cmp::Ordering::Equal => format!("{new}"),
        std::cmp::Ordering::Greater => format!("{old} → {new} (+{})", new - old),
        std::cmp::Ordering::Less => format!("{old} → {new} (−{})", old - new),
    }
}

fn totals_line(d: &ReportDiff) -> String {
    let mut parts = vec![
        format!("articles {}", signed(d.old.articles, d.new.articles)),
        format!("outlets {}", signed(d.old.outlets, d.new.outlets)),
    ];
    if d.old.without_text + d.new.without_text > 0 {
        parts.insert(
            1,
            format!(
                "articles without text {}",
                signed(d.old.without_text, d.new.without_text)
            ),
        );
    }
    if d.old.outlet_unknown + d.new.outlet_unknown > 0 {
        parts.push(format!(
            "articles of unknown outlet {}",
            signed(d.old.outlet_unknown, d.new.outlet_unknown)
        ));
    }
    parts.push(format!("claims {}", signed(d.old.claims, d.new.claims)));
    parts.push(format!(
        "statements {}",
        signed(d.old.statements, d.new.statements)
    ));
    parts.join(", ")
}

fn verdicts_line(d: &ReportDiff) -> String {
    VERDICTS
        .iter()
        .map(|v| {
            let get = |t: &Totals| t.by_verdict.get(*v).copied().unwrap_or(0);
            format!("{v} {}", signed(get(&d.old), get(&d.new)))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A verdict in the words of the pages (`single source`), or `absent`.
fn verdict_word(v: Option<&str>) -> &str {
    v.map_or("absent", |v| crate::render::verdict_words(v).1)
}

fn symbol(v: Option<&str>) -> &'static str {
    match v {
        Some("conflict") => "✗",
        Some("agree") => "✓",
        Some("single") => "○",
        _ => "·",
    }
}

fn transition(c: &StatementChange) -> String {
    match (&c.old_verdict, &c.new_verdict) {
        (Some(o), Some(n)) if o == n => verdict_word(Some(n)).to_string(),
        (o, n) => format!(
            "{} → {}",
            verdict_word(o.as_deref()),
            verdict_word(n.as_deref())
        ),
    }
}

/// A member as a reviewer reads it: whether it joined or left, its outlet, where it is
/// (the file, unless the outlet's name gives it, and the line), its publication date and
/// its values as the pages show them: `+ Sahel Journal (b_journal.md, line 3, 2023-12-23):
/// 2000 soldiers (FR) (was 1500 soldiers (FR))`.
fn member_line(m: &MemberChange) -> String {
    let sign = match m.status {
        "joined" => "+ ",
        "left" => "− ",
        _ => "",
    };
    let was = m
        .old_shown
        .as_ref()
        .map(|v| format!(" (was {})", crate::render::values_text(v)))
        .unwrap_or_default();
    let file = if m.outlet.ends_with(m.path.as_str()) {
        String::new()
    } else {
        format!("{}, ", m.path)
    };
    let date = m
        .published
        .as_deref()
        .map_or_else(|| ", no date".to_string(), |d| format!(", {d}"));
    format!(
        "{sign}{} ({file}line {}{date}): {}{was}",
        m.outlet,
        m.line,
        crate::render::values_text(&m.shown)
    )
}

/// An article as a reviewer knows it: its outlet and file, or the name of its unknown
/// outlet, which gives the file already.
fn outlet_and_file(outlet: &str, path: &str) -> String {
    if outlet.ends_with(path) {
        outlet.to_string()
    } else {
        format!("{outlet}, {path}")
    }
}

/// A renamed statement's id in OLD, after its link: ` (was date-001_…-s3)`.
fn was_id(c: &StatementChange) -> String {
    c.old_id
        .as_ref()
        .map(|x| format!(" (id was {x})"))
        .unwrap_or_default()
}

/// The sections of a diff that list statements, in reading order.
fn statement_sections(d: &ReportDiff) -> [(&'static str, &[StatementChange]); 6] {
    [
        ("New conflicts", &d.new_conflicts),
        ("Resolved conflicts", &d.resolved_conflicts),
        ("Verdicts changed", &d.verdict_changes),
        ("Outlets or values changed", &d.changed),
        ("New statements", &d.added),
        ("Statements gone", &d.removed),
    ]
}

/// A statement as a reviewer reads it in a terminal or a CI log: its symbol and heading,
/// with `verdicts` in brackets (`agree → conflict`), the reason, each member with the words
/// around its claims, and `at` its link (and its id in OLD, when renamed).
fn statement_text(o: &mut String, c: &StatementChange, verdicts: Option<&str>, link: &str) {
    let _ = write!(
        o,
        "  {} {}",
        symbol(c.new_verdict.as_deref().or(c.old_verdict.as_deref())),
        c.title
    );
    if let Some(v) = verdicts {
        let _ = write!(o, " [{v}]");
    }
    let _ = writeln!(o, "\n    {}", c.reason);
    for m in &c.members {
        let _ = writeln!(o, "    {}", member_line(m));
        let _ = writeln!(o, "      «{}»", m.excerpt);
    }
    let _ = writeln!(o, "    at {link}{}", was_id(c));
}

/// `compare diff` as plain text, for a terminal or a CI log.
pub fn text(d: &ReportDiff, old_name: &str, new_name: &str) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "compare diff {old_name} → {new_name}");
    let _ = writeln!(o, "  {}", totals_line(d));
    let _ = writeln!(o, "  {}", verdicts_line(d));
    if d.is_empty() {
        let _ = writeln!(o, "\nno differences a reviewer would see");
        return o;
    }
    for (title, docs) in [
        ("Articles added", &d.documents_added),
        ("Articles removed", &d.documents_removed),
    ] {
        if !docs.is_empty() {
            let _ = writeln!(o, "\n{title} ({}):", docs.len());
            for x in docs {
                let _ = writeln!(
                    o,
                    "  {}, {}: {}",
                    x.outlet,
                    x.published.as_deref().unwrap_or("no date"),
                    x.path
                );
            }
        }
    }
    for (title, list) in statement_sections(d) {
        if list.is_empty() && !title.contains("conflicts") {
            continue;
        }
        let _ = writeln!(o, "\n{title} ({}):", list.len());
        if list.is_empty() {
            let _ = writeln!(o, "  none");
        }
        for c in list {
            statement_text(&mut o, c, Some(&transition(c)), &c.link);
        }
    }
    if !d.renamed.is_empty() {
        let _ = writeln!(
            o,
            "\nRenamed statements ({}), same statement under a new id:",
            d.renamed.len()
        );
        for r in &d.renamed {
            let _ = writeln!(o, "  {}: {} → {}", r.title, r.old, r.new);
        }
    }
    if !d.claims_by_document.is_empty() {
        let _ = writeln!(o, "\nClaims by type:");
        for t in &d.claims_by_type {
            let _ = writeln!(
                o,
                "  {}: {} (+{} −{})",
                t.kind,
                signed(t.old, t.new),
                t.gained,
                t.lost
            );
        }
        let _ = writeln!(o, "\nClaims gained or lost by document:");
        for c in &d.claims_by_document {
            let _ = writeln!(
                o,
                "  {}: {}: {} (+{} −{})",
                outlet_and_file(&c.outlet, &c.path),
                c.kind,
                signed(c.old, c.new),
                c.gained.len(),
                c.lost.len()
            );
            for (sign, list) in [("+", &c.gained), ("−", &c.lost)] {
                for x in list {
                    let _ = writeln!(
                        o,
                        "    {sign} line {}: «{}» = {} ({})",
                        x.line, x.text, x.shown, x.id
                    );
                }
            }
        }
    }
    if !d.new_spellings.is_empty() {
        let _ = writeln!(
            o,
            "\nName spellings newly seen ({}):",
            d.new_spellings.len()
        );
        for s in &d.new_spellings {
            let _ = writeln!(
                o,
                "  {} ({} {}{}): {}",
                s.canonical,
                s.kind,
                s.entity,
                if s.new_entity { ", new name" } else { "" },
                s.spellings.join(" / ")
            );
            for m in &s.mentions {
                let like = m
                    .like
                    .as_ref()
                    .map(|l| format!(", resembles listed {l}"))
                    .unwrap_or_default();
                let _ = writeln!(
                    o,
                    "    «{}» in {} (line {}{like})",
                    m.text,
                    outlet_and_file(&m.outlet, &m.path),
                    m.line
                );
            }
        }
    }
    o
}

/// An id (made from a file name, so anything) as a Markdown code span that stays one:
/// fenced with more backticks than it holds, line breaks made spaces, and in a table cell
/// `|` escaped, which GitHub reads as a cell's end even inside a code span.
fn code(id: &str, in_table: bool) -> String {
    let mut text = id.replace(['\n', '\r'], " ");
    if in_table {
        text = text.replace('|', "\\|");
    }
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// `compare diff --format markdown`, for a pull-request comment or `$GITHUB_STEP_SUMMARY`.
/// Article text is escaped; ids are code spans ([`code`]).
pub fn markdown(d: &ReportDiff) -> String {
    let mut o = String::new();
    let new_conflicts = d.new_conflicts.len();
    let _ = writeln!(o, "### compare: changes to the report\n");
    let _ = writeln!(
        o,
        "{}\n",
        if new_conflicts > 0 {
            format!(
                "**✗ {} absent from the baseline.**",
                crate::render::count(new_conflicts, "new conflict", "new conflicts")
            )
        } else {
            "✓ No new conflicts.".to_string()
        }
    );
    let _ = writeln!(o, "| | Before | After |");
    let _ = writeln!(o, "|---|---:|---:|");
    let row = |o: &mut String, name: &str, a: usize, b: usize| {
        let delta = match b.cmp(&a) {
            std::cmp::Ordering::Equal => String::new(),
            std::cmp::Ordering::Greater => format!(" (+{})", b - a),
            std::cmp::Ordering::Less => format!(" (−{})", a - b),
        };
        let _ = writeln!(o, "| {name} | {a} | {b}{delta} |");
    };
    row(&mut o, "articles", d.old.articles, d.new.articles);
    if d.old.without_text + d.new.without_text > 0 {
        row(
            &mut o,
            "articles without text",
            d.old.without_text,
            d.new.without_text,
        );
    }
    row(&mut o, "outlets", d.old.outlets, d.new.outlets);
    if d.old.outlet_unknown + d.new.outlet_unknown > 0 {
        row(
            &mut o,
            "articles of unknown outlet",
            d.old.outlet_unknown,
            d.new.outlet_unknown,
        );
    }
    row(&mut o, "claims", d.old.claims, d.new.claims);
    row(&mut o, "statements", d.old.statements, d.new.statements);
    for v in VERDICTS {
        let get = |t: &Totals| t.by_verdict.get(v).copied().unwrap_or(0);
        row(
            &mut o,
            &format!("{} {v}", symbol(Some(v))),
            get(&d.old),
            get(&d.new),
        );
    }
    let _ = writeln!(o);
    if d.is_empty() {
        let _ = writeln!(o, "No differences a reviewer would see.");
        return o;
    }
    for (title, docs) in [
        ("Articles added", &d.documents_added),
        ("Articles removed", &d.documents_removed),
    ] {
        if !docs.is_empty() {
            let _ = writeln!(o, "#### {title} ({})\n", docs.len());
            for x in docs {
                let _ = writeln!(
                    o,
                    "- {}, {}: {}",
                    escape(&x.outlet),
                    x.published.as_deref().unwrap_or("no date"),
                    code(&x.path, false)
                );
            }
            let _ = writeln!(o);
        }
    }
    for (title, list) in statement_sections(d) {
        if list.is_empty() {
            continue;
        }
        // Conflicts stay open; the rest folds away so the summary stays short.
        let open = title.contains("conflicts");
        if open {
            let _ = writeln!(o, "#### {title} ({})\n", list.len());
        } else {
            let _ = writeln!(o, "<details><summary>{title} ({})</summary>\n", list.len());
        }
        let _ = writeln!(o, "| Statement | Verdict | Outlets and values | Reason |");
        let _ = writeln!(o, "|---|---|---|---|");
        for c in list {
            let renamed = c
                .old_id
                .as_ref()
                .map(|x| format!("<br>was {}", code(x, true)))
                .unwrap_or_default();
            let members: Vec<String> = c
                .members
                .iter()
                .map(|m| format!("{}<br>«{}»", escape(&member_line(m)), escape(&m.excerpt)))
                .collect();
            let _ = writeln!(
                o,
                "| {}<br>{}{renamed} | {} {} | {} | {} |",
                escape(&c.title),
                code(&c.id, true),
                symbol(c.new_verdict.as_deref().or(c.old_verdict.as_deref())),
                escape(&transition(c)),
                members.join("<br>"),
                escape(&c.reason)
            );
        }
        let _ = writeln!(o, "{}", if open { "" } else { "\n</details>\n" });
    }
    if !d.renamed.is_empty() {
        let _ = writeln!(
            o,
            "<details><summary>Renamed statements ({})</summary>\n",
            d.renamed.len()
        );
        for r in &d.renamed {
            let _ = writeln!(
                o,
                "- {}: {} → {}",
                escape(&r.title),
                code(&r.old, false),
                code(&r.new, false)
            );
        }
        let _ = writeln!(o, "\n</details>\n");
    }
    if !d.claims_by_document.is_empty() {
        let _ = writeln!(o, "#### Claims gained or lost\n");
        let _ = writeln!(o, "| Type | Before | After | Gained | Lost |");
        let _ = writeln!(o, "|---|---:|---:|---:|---:|");
        for t in &d.claims_by_type {
            let _ = writeln!(
                o,
                "| {} | {} | {} | +{} | −{} |",
                escape(&t.kind),
                t.old,
                t.new,
                t.gained,
                t.lost
            );
        }
        let _ = writeln!(o, "\n<details><summary>By document</summary>\n");
        let _ = writeln!(o, "| Article | Type | Before | After | Claims |");
        let _ = writeln!(o, "|---|---|---:|---:|---|");
        for c in &d.claims_by_document {
            let claims: Vec<String> = c
                .gained
                .iter()
                .map(|x| ("+", x))
                .chain(c.lost.iter().map(|x| ("−", x)))
                .map(|(sign, x)| {
                    format!(
                        "{sign} line {}: {} = {}",
                        x.line,
                        escape(&x.text),
                        escape(&x.shown)
                    )
                })
                .collect();
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} |",
                escape(&outlet_and_file(&c.outlet, &c.path)),
                escape(&c.kind),
                c.old,
                c.new,
                claims.join("<br>")
            );
        }
        let _ = writeln!(o, "\n</details>\n");
    }
    if !d.new_spellings.is_empty() {
        let _ = writeln!(o, "#### Name spellings newly seen\n");
        let _ = writeln!(o, "| Name | New spellings | Where |");
        let _ = writeln!(o, "|---|---|---|");
        for s in &d.new_spellings {
            let where_: Vec<String> = s
                .mentions
                .iter()
                .map(|m| {
                    let like = m
                        .like
                        .as_ref()
                        .map(|l| format!(", resembles listed {}", escape(l)))
                        .unwrap_or_default();
                    format!(
                        "{} in {} (line {}){like}",
                        escape(&m.text),
                        escape(&outlet_and_file(&m.outlet, &m.path)),
                        m.line
                    )
                })
                .collect();
            let _ = writeln!(
                o,
                "| {} {}{} | {} | {} |",
                escape(&s.canonical),
                code(&s.entity, true),
                if s.new_entity { " (new)" } else { "" },
                escape(&s.spellings.join(" / ")),
                where_.join("<br>")
            );
        }
        let _ = writeln!(o);
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::{ClaimOut, Corpus, DocumentOut, EntityOut, MentionOut};
    use smol_str::format_smolstr;

    fn member(doc: &str, sentence: usize, text: &str, value: &str) -> MemberOut {
        MemberOut {
            doc: doc.into(),
            outlet: format_smolstr!("outlet {doc}"),
            published: None,
            sentence,
            line: sentence,
            text: text.into(),
            claims: vec![format_smolstr!("{doc}-s{sentence}-troops-1")],
            values: vec![value.into()],
            diff: Vec::new(),
        }
    }

    fn statement(id: &str, verdict: &str, members: Vec<MemberOut>) -> StatementOut {
        StatementOut {
            id: id.into(),
            kind: "troops".into(),
            verdict: verdict.into(),
            reason: format!("reason of {id}"),
            elsewhere: Vec::new(),
            members,
            page: "statements/no-story.html".into(),
        }
    }

    fn report(statements: Vec<StatementOut>) -> Report {
        let mut by_verdict = BTreeMap::new();
        for s in &statements {
            *by_verdict.entry(s.verdict.to_string()).or_insert(0) += 1;
        }
        let docs: BTreeSet<String> = statements
            .iter()
            .flat_map(|s| s.members.iter().map(|m| m.doc.to_string()))
            .collect();
        let claims: Vec<ClaimOut> = statements
            .iter()
            .flat_map(|s| {
                s.members.iter().map(|m| ClaimOut {
                    id: m.claims[0].clone(),
                    doc: m.doc.clone(),
                    sentence: m.sentence,
                    line: m.line,
                    kind: s.kind.clone(),
                    text: m.values[0].clone(),
                    value: serde_json::Value::Null,
                    display: m.values[0].clone(),
                    qualifier: None,
                    unit: None,
                    subject: None,
                    precision: None,
                    resolved: None,
                    ambiguous: None,
                    like: None,
                    score: None,
                    pattern: "troops#1".into(),
                    start: 0,
                    end: 0,
                    statement: Some(s.id.clone()),
                })
            })
            .collect();
        Report {
            schema: SCHEMA,
            corpus: Corpus {
                articles: docs.len(),
                without_text: 0,
                outlets: docs.len(),
                outlet_unknown: 0,
                first_published: None,
                last_published: None,
                claims: claims.len(),
                statements: statements.len(),
                by_verdict,
                by_type: [("troops".to_string(), claims.len())].into(),
            },
            documents: docs
                .iter()
                .map(|d| DocumentOut {
                    id: d.clone(),
                    path: format!("{d}.txt"),
                    title: String::new(),
                    outlet: format!("outlet {d}"),
                    outlet_source: "file name".into(),
                    published: None,
                    url: None,
                    lang: "ar".into(),
                    story: String::new(),
                    notes: Vec::new(),
                    sentences: Default::default(),
                    excluded: Vec::new(),
                    page: "documents/no-story.html".into(),
                })
                .collect(),
            claims,
            entities: Vec::new(),
            statements,
            words: Default::default(),
        }
    }

    #[test]
    fn identical_reports_have_no_differences() {
        let r = report(vec![statement(
            "troops-a-s1",
            "agree",
            vec![
                member("a", 1, "ألف جندي", "1000"),
                member("b", 2, "ألف جندي", "1000"),
            ],
        )]);
        let d = diff(&r, &r);
        assert!(d.is_empty(), "{d:#?}");
        assert!(text(&d, "old", "new").contains("no differences"));
        assert!(findings(&r, FailOn::NewConflict, Some(&r)).is_empty());
    }

    #[test]
    fn a_new_conflict_is_matched_by_members_even_when_renamed() {
        let old = report(vec![statement(
            "troops-b-s2",
            "agree",
            vec![
                member("b", 2, "ألف جندي", "1000"),
                member("c", 5, "ألف جندي", "1000"),
            ],
        )]);
        // Article `a` joins with another value: the anchor moves to `a`, the id changes,
        // and c's sentence number shifted because an earlier sentence was added.
        let new = report(vec![statement(
            "troops-a-s1",
            "conflict",
            vec![
                member("a", 1, "ألفا جندي", "2000"),
                member("b", 2, "ألف جندي", "1000"),
                member("c", 6, "ألف جندي", "1000"),
            ],
        )]);
        let d = diff(&old, &new);
        assert_eq!(d.new_conflicts.len(), 1, "{d:#?}");
        let c = &d.new_conflicts[0];
        assert_eq!(c.id, "troops-a-s1");
        assert_eq!(c.old_id.as_deref(), Some("troops-b-s2"));
        assert_eq!(c.old_verdict.as_deref(), Some("agree"));
        let status: Vec<(&str, &str)> = c
            .members
            .iter()
            .map(|m| (m.doc.as_str(), m.status))
            .collect();
        assert_eq!(status, [("a", "joined"), ("b", "kept"), ("c", "kept")]);
        assert_eq!(
            d.renamed,
            [Rename {
                old: "troops-b-s2".into(),
                new: "troops-a-s1".into(),
                title: "troops: 2000 vs 1000".into()
            }]
        );
        assert!(d.added.is_empty() && d.removed.is_empty(), "{d:#?}");
        assert_eq!(d.documents_added.len(), 1);
        let found = findings(&new, FailOn::NewConflict, Some(&old));
        assert_eq!(found.len(), 1);
        assert_eq!(findings(&new, FailOn::Conflict, None).len(), 1);
        // Against itself nothing is new, but the conflict is still a conflict.
        assert!(findings(&new, FailOn::NewConflict, Some(&new)).is_empty());
        assert!(markdown(&d).contains("1 new conflict absent from the baseline"));
    }

    #[test]
    fn resolved_conflicts_and_gone_statements() {
        let old = report(vec![
            statement(
                "troops-a-s1",
                "conflict",
                vec![
                    member("a", 1, "ألفا جندي", "2000"),
                    member("b", 2, "ألف جندي", "1000"),
                ],
            ),
            statement(
                "troops-a-s9",
                "single",
                vec![member("a", 9, "مئة جندي", "100")],
            ),
        ]);
        let new = report(vec![statement(
            "troops-a-s1",
            "agree",
            vec![
                member("a", 1, "ألف جندي", "1000"),
                member("b", 2, "ألف جندي", "1000"),
            ],
        )]);
        let d = diff(&old, &new);
        assert_eq!(d.resolved_conflicts.len(), 1);
        let a = &d.resolved_conflicts[0].members[0];
        assert_eq!(a.old_values.as_deref(), Some(&[SmolStr::from("2000")][..]));
        assert_eq!(d.removed.len(), 1);
        assert_eq!(d.removed[0].id, "troops-a-s9");
        let types = &d.claims_by_type;
        assert_eq!(
            (types[0].old, types[0].new, types[0].gained, types[0].lost),
            (3, 2, 1, 2)
        );
        assert!(text(&d, "old", "new").contains("Resolved conflicts (1)"));
    }

    #[test]
    fn new_spellings_are_listed_with_where_they_were_seen() {
        let mut old = report(Vec::new());
        let entity = |spellings: &[&str]| EntityOut {
            id: "tiani".into(),
            kind: "person".into(),
            canonical: "عبد الرحمن تياني".into(),
            verdict: "same".into(),
            spellings: spellings.iter().map(|s| s.to_string()).collect(),
            mentions: spellings
                .iter()
                .enumerate()
                .map(|(i, s)| MentionOut {
                    doc: format_smolstr!("d{i}"),
                    outlet: format_smolstr!("outlet {i}"),
                    text: SmolStr::from(*s),
                    line: 1,
                    sentence: 1,
                    claim: format_smolstr!("d{i}-s1-person-1"),
                })
                .collect(),
        };
        old.entities.push(entity(&["تياني"]));
        let mut new = old.clone();
        new.entities[0] = entity(&["تياني", "تشياني"]);
        let d = diff(&old, &new);
        assert_eq!(d.new_spellings.len(), 1);
        assert_eq!(d.new_spellings[0].spellings, ["تشياني"]);
        assert_eq!(d.new_spellings[0].mentions[0].doc, "d1");
        assert!(!d.new_spellings[0].new_entity);
        assert!(diff(&new, &old).new_spellings.is_empty());
        // A spelling shown as written in one report and as its key in the other (or with
        // another hamza or ة) is the same spelling.
        let mut old = report(Vec::new());
        old.entities
            .push(entity(&["وزاره الدفاع الروسيه", "تياني"]));
        let mut new = old.clone();
        new.entities[0] = entity(&["وزارة الدفاع الروسية", "تشياني"]);
        let d = diff(&old, &new);
        assert_eq!(d.new_spellings[0].spellings, ["تشياني"]);
    }

    /// An id is a file name's: whatever it holds stays inside its code span and its cell.
    #[test]
    fn ids_stay_code_spans_whatever_they_hold() {
        assert_eq!(code("a_b", true), "`a_b`");
        assert_eq!(code("x` | **b** `|y", true), "``x` \\| **b** `\\|y``");
        assert_eq!(code("x` | **b** `|y", false), "``x` | **b** `|y``");
        assert_eq!(code("`a", false), "`` `a ``");
        assert_eq!(code("z\n# HEAD <b>x", false), "`z # HEAD <b>x`");
        let old = report(Vec::new());
        let new = report(vec![statement(
            "troops-x` | [l](http:evil) `|y-s1",
            "conflict",
            vec![member("a", 1, "x", "1"), member("b", 1, "y", "2")],
        )]);
        let md = markdown(&diff(&old, &new));
        let row = md.lines().find(|l| l.contains("evil")).unwrap();
        assert!(
            row.starts_with("| troops: 1 vs 2<br>``troops-x` \\| [l](http:evil) `\\|y-s1`` |"),
            "{row}"
        );
    }

    #[test]
    fn markdown_escapes_article_text() {
        let old = report(Vec::new());
        let new = report(vec![statement(
            "troops-a-s1",
            "conflict",
            vec![member("a", 1, "x", "<script>|"), member("b", 1, "y", "1")],
        )]);
        let md = markdown(&diff(&old, &new));
        assert!(!md.contains("<script>"), "{md}");
        assert!(md.contains("\\<script\\>\\|"), "{md}");
    }
}
