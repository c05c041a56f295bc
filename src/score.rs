//! `compare score`: a report's conflicts measured against a generated corpus's truth.
//!
//! The report may come from compare or from any tool that writes the same shape; only
//! `statements[].verdict` and `statements[].members[].{doc, line}` are read (plus `id`,
//! `type` and `reason` when present, for examples). A member is matched to a truth row by
//! its document id and the line its sentence starts on. `docs/benchmarks.md` defines the
//! scores:
//!
//! - A conflict statement is a true positive when every member lies on a truth row of one
//!   fact whose expected verdict is `conflict`, and the members include a changed value
//!   (a must-flag row) and an unchanged one. Precision = true positives / conflicts.
//! - Recall = conflict facts with at least one true-positive statement / conflict facts.
//! - False-positive rate of a class = facts not expected to conflict that carry a row of
//!   that class and that a conflict statement touches (any member on one of their rows) /
//!   facts of that class. `none` counts the facts whose rows are all unchanged.

use crate::gen::{Class, TruthRow};
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::Path;

/// The part of report.json scoring reads.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Predicted {
    pub statements: Vec<PredictedStatement>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PredictedStatement {
    #[serde(default)]
    pub id: String,
    #[serde(default, rename = "type")]
    pub kind: String,
    pub verdict: String,
    #[serde(default)]
    pub reason: String,
    pub members: Vec<PredictedMember>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PredictedMember {
    pub doc: String,
    /// 1-based line of the file where the member's sentence starts.
    pub line: usize,
}

/// Read the statements of a report.json; errors name the file.
pub fn load_report(path: &Path) -> Result<Predicted> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        anyhow::anyhow!(
            "cannot read report {}: {e}\n  = help: pass the report.json that `compare build` wrote for the generated corpus",
            path.display()
        )
    })?;
    serde_json::from_str(&text).with_context(|| {
        format!(
            "{}: not a report (scoring needs statements[].verdict and statements[].members[].doc and .line)",
            path.display()
        )
    })
}

/// The statements of one of compare's own reports, as scoring reads them.
pub fn from_report(report: &crate::render::Report) -> Predicted {
    Predicted {
        statements: report
            .statements
            .iter()
            .map(|s| PredictedStatement {
                id: s.id.to_string(),
                kind: s.kind.to_string(),
                verdict: s.verdict.to_string(),
                reason: s.reason.clone(),
                members: s
                    .members
                    .iter()
                    .map(|m| PredictedMember {
                        doc: m.doc.to_string(),
                        line: m.line,
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// The scores of one report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    /// Conflict statements in the report.
    pub conflicts: usize,
    pub true_positives: usize,
    pub precision: Option<f64>,
    /// Facts expected to conflict, and how many a true positive found.
    pub conflict_facts: usize,
    pub conflict_facts_found: usize,
    pub recall: Option<f64>,
    pub f1: Option<f64>,
    /// Recall by the class of the changed rows.
    pub recall_by_class: Vec<Rate>,
    /// False-positive rate by class, for facts not expected to conflict.
    pub false_positive_rate: Vec<Rate>,
    /// Facts whose rows all land in one statement, with nothing else, and the expected
    /// verdict: by expected verdict.
    pub kept_whole: Vec<Rate>,
    /// Truth rows, and those on a member of some statement.
    pub rows: usize,
    pub rows_in_statements: usize,
    /// Conflict statements with a member on no truth row.
    pub stray_conflicts: usize,
    pub false_positive_examples: Vec<Example>,
    pub missed_examples: Vec<Example>,
}

/// `hits` of `of`, and their share.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rate {
    pub class: String,
    pub of: usize,
    pub hits: usize,
    pub rate: Option<f64>,
}

/// A statement or fact scoring got wrong, with the truth of each of its sentences.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Example {
    /// The statement id (false positives) or fact id (misses).
    pub id: String,
    pub note: String,
    pub members: Vec<ExampleMember>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExampleMember {
    pub doc: String,
    pub line: usize,
    /// `fact class value`, or `-` for a line with no truth row.
    pub truth: String,
}

fn ratio(a: usize, b: usize) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

/// The classes reported for false positives, in order.
const HARMLESS: [Class; 10] = [
    Class::None,
    Class::SpellingVariant,
    Class::Digits,
    Class::NumberFormat,
    Class::Rounding,
    Class::DateForm,
    Class::Paraphrase,
    Class::Boilerplate,
    Class::Confuser,
    Class::SingleOutlet,
];

/// Score `predicted` against `truth`, keeping up to `examples` examples of each failure.
pub fn score(truth: &[TruthRow], predicted: &Predicted, examples: usize) -> Score {
    let at: HashMap<(&str, usize), usize> = truth
        .iter()
        .enumerate()
        .map(|(i, r)| ((r.doc.as_str(), r.line), i))
        .collect();
    let mut facts: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, r) in truth.iter().enumerate() {
        facts.entry(r.fact.as_str()).or_default().push(i);
    }
    let is_flag = |i: usize| Class::parse(&truth[i].class).is_some_and(Class::must_flag);
    let describe = |doc: &str, line: usize| match at.get(&(doc, line)) {
        Some(&i) => {
            let r = &truth[i];
            format!("{} {} {}", r.fact, r.class, r.value)
        }
        None => "-".to_string(),
    };

    let mut tp = 0;
    let mut conflicts = 0;
    let mut stray = 0;
    let mut found: BTreeSet<&str> = BTreeSet::new();
    let mut touched: BTreeSet<&str> = BTreeSet::new();
    let mut in_statements: BTreeSet<usize> = BTreeSet::new();
    let mut statements_of: HashMap<&str, BTreeSet<usize>> = HashMap::new();
    let mut fp_examples = Vec::new();
    for (si, s) in predicted.statements.iter().enumerate() {
        let rows: Vec<Option<usize>> = s
            .members
            .iter()
            .map(|m| at.get(&(m.doc.as_str(), m.line)).copied())
            .collect();
        for &i in rows.iter().flatten() {
            in_statements.insert(i);
            statements_of
                .entry(truth[i].fact.as_str())
                .or_default()
                .insert(si);
        }
        if s.verdict != "conflict" {
            continue;
        }
        conflicts += 1;
        for &i in rows.iter().flatten() {
            touched.insert(truth[i].fact.as_str());
        }
        if rows.iter().any(Option::is_none) {
            stray += 1;
        }
        let matched: Vec<usize> = rows.iter().flatten().copied().collect();
        let one_fact = rows.iter().all(Option::is_some)
            && matched
                .iter()
                .all(|&i| truth[i].fact == truth[matched[0]].fact);
        let ok = one_fact
            && !matched.is_empty()
            && truth[matched[0]].expect == "conflict"
            && matched.iter().any(|&i| is_flag(i))
            && matched.iter().any(|&i| !is_flag(i));
        if ok {
            tp += 1;
            found.insert(truth[matched[0]].fact.as_str());
        } else if fp_examples.len() < examples {
            fp_examples.push(Example {
                id: s.id.clone(),
                note: s.reason.clone(),
                members: s
                    .members
                    .iter()
                    .map(|m| ExampleMember {
                        doc: m.doc.clone(),
                        line: m.line,
                        truth: describe(&m.doc, m.line),
                    })
                    .collect(),
            });
        }
    }

    // Per fact: expected verdict and the classes it carries.
    let mut conflict_facts = 0;
    let mut recall_by: BTreeMap<Class, (usize, usize)> = BTreeMap::new();
    let mut fp_by: BTreeMap<Class, (usize, usize)> = BTreeMap::new();
    let mut whole_by: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut missed_examples = Vec::new();
    for (&fact, rows) in &facts {
        let expect = truth[rows[0]].expect.as_str();
        let classes: BTreeSet<Class> = rows
            .iter()
            .filter_map(|&i| Class::parse(&truth[i].class))
            .collect();
        let hit = touched.contains(fact);
        if expect == "conflict" {
            conflict_facts += 1;
            let got = found.contains(fact);
            for c in classes.iter().filter(|c| c.must_flag()) {
                let e = recall_by.entry(*c).or_default();
                e.0 += 1;
                e.1 += usize::from(got);
            }
            if !got && missed_examples.len() < examples {
                missed_examples.push(Example {
                    id: fact.to_string(),
                    note: if hit {
                        "touched by a conflict that was not this fact alone".into()
                    } else {
                        "in no conflict statement".into()
                    },
                    members: rows
                        .iter()
                        .map(|&i| ExampleMember {
                            doc: truth[i].doc.clone(),
                            line: truth[i].line,
                            truth: describe(&truth[i].doc, truth[i].line),
                        })
                        .collect(),
                });
            }
        } else {
            let mut counted: Vec<Class> = classes.iter().copied().collect();
            if classes.len() == 1 && classes.contains(&Class::None) {
                counted = vec![Class::None];
            } else {
                counted.retain(|c| *c != Class::None);
            }
            for c in counted {
                let e = fp_by.entry(c).or_default();
                e.0 += 1;
                e.1 += usize::from(hit);
            }
        }
        // Kept whole: one statement holding exactly this fact's rows, with its verdict.
        let w = whole_by.entry(expect).or_default();
        w.0 += 1;
        if let Some(ss) = statements_of.get(fact) {
            if ss.len() == 1 {
                let s = &predicted.statements[*ss.iter().next().unwrap_or(&0)];
                let mine: BTreeSet<(&str, usize)> = rows
                    .iter()
                    .map(|&i| (truth[i].doc.as_str(), truth[i].line))
                    .collect();
                let theirs: BTreeSet<(&str, usize)> =
                    s.members.iter().map(|m| (m.doc.as_str(), m.line)).collect();
                if mine == theirs && s.verdict == expect {
                    w.1 += 1;
                }
            }
        }
    }

    let precision = if conflicts == 0 {
        None
    } else {
        ratio(tp, conflicts)
    };
    let recall = ratio(found.len(), conflict_facts);
    let f1 = match (precision, recall) {
        (Some(p), Some(r)) if p + r > 0.0 => Some(2.0 * p * r / (p + r)),
        (Some(_), Some(_)) => Some(0.0),
        _ => None,
    };
    let rate = |class: &str, (of, hits): (usize, usize)| Rate {
        class: class.to_string(),
        of,
        hits,
        rate: ratio(hits, of),
    };
    Score {
        conflicts,
        true_positives: tp,
        precision,
        conflict_facts,
        conflict_facts_found: found.len(),
        recall,
        f1,
        recall_by_class: recall_by
            .iter()
            .map(|(c, &n)| rate(c.as_str(), n))
            .collect(),
        false_positive_rate: HARMLESS
            .iter()
            .map(|c| rate(c.as_str(), fp_by.get(c).copied().unwrap_or_default()))
            .collect(),
        kept_whole: ["agree", "conflict", "single"]
            .iter()
            .map(|v| rate(v, whole_by.get(v).copied().unwrap_or_default()))
            .collect(),
        rows: truth.len(),
        rows_in_statements: in_statements.len(),
        stray_conflicts: stray,
        false_positive_examples: fp_examples,
        missed_examples,
    }
}

/// Zero flags on every must-not-flag class, confusers and single facts included.
pub fn clean(s: &Score) -> bool {
    s.false_positive_rate.iter().all(|r| r.hits == 0)
}

fn fmt_rate(r: Option<f64>) -> String {
    r.map_or_else(|| "n/a".to_string(), |x| format!("{x:.3}"))
}

/// The scores as a reader sees them.
pub fn text(s: &Score) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "conflicts   precision {}  ({} of {} conflict statements are one conflicting fact)",
        fmt_rate(s.precision),
        s.true_positives,
        s.conflicts
    );
    let _ = writeln!(
        out,
        "            recall    {}  ({} of {} conflict facts found)",
        fmt_rate(s.recall),
        s.conflict_facts_found,
        s.conflict_facts
    );
    let _ = writeln!(out, "            F1        {}", fmt_rate(s.f1));
    for r in &s.recall_by_class {
        let _ = writeln!(
            out,
            "  recall    {:<17} {}  ({} of {})",
            r.class,
            fmt_rate(r.rate),
            r.hits,
            r.of
        );
    }
    for (heading, rates) in [
        (
            "false-positive rate (facts touched by a conflict / facts of the class)",
            &s.false_positive_rate,
        ),
        (
            "kept whole (one statement, exactly the fact's sentences, expected verdict)",
            &s.kept_whole,
        ),
    ] {
        let _ = writeln!(out, "{heading}");
        for r in rates {
            let _ = writeln!(
                out,
                "  {:<25} {}  ({} of {})",
                r.class,
                fmt_rate(r.rate),
                r.hits,
                r.of
            );
        }
    }
    let _ = writeln!(
        out,
        "rows in a statement: {} of {}; conflicts with a sentence on no truth row: {}",
        s.rows_in_statements, s.rows, s.stray_conflicts
    );
    for (title, list) in [
        ("false positives", &s.false_positive_examples),
        ("missed conflicts", &s.missed_examples),
    ] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(out, "{title}:");
        for e in list {
            let _ = writeln!(out, "  {}  {}", e.id, e.note);
            for m in &e.members {
                let _ = writeln!(out, "    {}:{}  {}", m.doc, m.line, m.truth);
            }
        }
    }
    out
}
