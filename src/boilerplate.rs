//! 2. Boilerplate: set aside page furniture by the rules' markers, keeping it for the report.
//!
//! Three kinds of marker, each a regex on a line's match key: `cut` sets aside everything
//! from the first matching line to the end of the document ("إقرأ أيضاً" tails, related
//! stories, comment forms, site footers); `cut_line` from the match to the end of its line
//! (an inline "أخبار ذات صلة" list); `drop` whole lines (keyword lines, ad slots, photo
//! captions, navigation). Set-aside text is blanked in the document body and listed in
//! `Document::excluded` with its reason, so a reader can check nothing of the story was cut.

use crate::ingest::blank_in;
use crate::model::{Document, Excluded};
use crate::normalize::{self, lines, Normalized};
use crate::rules::RuleSet;

/// Blank the boilerplate of one document and record what was set aside. The document's
/// line keys (ingest's) are used and kept up to date.
pub fn set_aside(doc: &mut Document, rules: &RuleSet) {
    let mut keys = std::mem::take(&mut doc.line_keys);
    set_aside_with(doc, rules, &mut keys, &[]);
    doc.line_keys = keys;
}

/// [`set_aside`], given the match keys of the body's lines that are known already
/// (`keys[i]` for line *i*, as [`lines`] counts them; metadata reading leaves them), so a
/// line is normalised once. The keys of the lines read here are added, and those of the
/// lines blanked here removed: what is left is the key of each line as the body now has it.
///
/// `plain[i]` says line *i* is known to match no marker (metadata reading found it so),
/// and is not read again; lines past the end of `plain` are read.
pub fn set_aside_with(
    doc: &mut Document,
    rules: &RuleSet,
    keys: &mut [Option<Normalized>],
    plain: &[bool],
) {
    let mut aside: Vec<Excluded> = Vec::new();
    let all: Vec<std::ops::Range<usize>> = lines(&doc.body).collect();
    let mut cut_from = None;
    for (i, line) in all.iter().enumerate() {
        let raw = &doc.body[line.clone()];
        if raw.trim().is_empty() || plain.get(i).copied().unwrap_or(false) {
            continue;
        }
        let owned;
        let n = match keys.get_mut(i) {
            Some(known) => known.get_or_insert_with(|| normalize::normalize(raw)),
            None => {
                owned = normalize::normalize(raw);
                &owned
            }
        };
        let key = n.key();
        if rules
            .marker_set
            .as_ref()
            .is_some_and(|set| !set.is_match(key))
        {
            continue;
        }
        if let Some(m) = rules.cut.iter().find(|m| m.regex.is_match(key)) {
            cut_from = Some((line.start, m.reason.clone()));
            break;
        }
        if let Some(m) = rules.drop.iter().find(|m| m.regex.is_match(key)) {
            aside.push(Excluded {
                span: line.clone(),
                reason: m.reason.clone(),
            });
            continue;
        }
        for m in &rules.cut_line {
            if let Some(hit) = m.regex.find(key) {
                let start = line.start + n.to_original(hit.range()).start;
                aside.push(Excluded {
                    span: start..line.end,
                    reason: m.reason.clone(),
                });
                break;
            }
        }
    }
    if let Some((start, reason)) = cut_from {
        aside.push(Excluded {
            span: start..doc.body.len(),
            reason,
        });
    }
    // What metadata reading set aside already (an `المصدر:` line inside a cut tail, say)
    // keeps its own reason: a block found here leaves it out, so no text is listed twice.
    let mut taken: Vec<std::ops::Range<usize>> =
        doc.excluded.iter().map(|e| e.span.clone()).collect();
    taken.sort_by_key(|r| r.start);
    for e in aside {
        for piece in outside(e.span, &taken) {
            let span = trim(&doc.text, piece);
            if span.is_empty() {
                continue;
            }
            blank_in(&mut doc.body, span.clone());
            for (line, key) in all.iter().zip(keys.iter_mut()) {
                if line.start <= span.end && span.start <= line.end {
                    *key = None;
                }
            }
            doc.excluded.push(Excluded {
                span,
                reason: e.reason.clone(),
            });
        }
    }
    doc.excluded.sort_by_key(|e| e.span.start);
    merge_adjacent(doc);
}

/// The parts of `span` outside every range of `taken` (sorted by start).
fn outside(
    span: std::ops::Range<usize>,
    taken: &[std::ops::Range<usize>],
) -> Vec<std::ops::Range<usize>> {
    let mut parts = Vec::new();
    let mut from = span.start;
    for t in taken {
        if t.end <= from || t.start >= span.end {
            continue;
        }
        if t.start > from {
            parts.push(from..t.start);
        }
        from = from.max(t.end);
    }
    if from < span.end {
        parts.push(from..span.end);
    }
    parts
}

fn trim(text: &str, span: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let s = &text[span.clone()];
    let start = span.start + (s.len() - s.trim_start().len());
    let end = span.end - (s.len() - s.trim_end().len());
    start..end.max(start)
}

/// Consecutive lines set aside for the same reason read better as one block.
fn merge_adjacent(doc: &mut Document) {
    let mut merged: Vec<Excluded> = Vec::new();
    for e in std::mem::take(&mut doc.excluded) {
        if let Some(last) = merged.last_mut() {
            let between = &doc.text[last.span.end.min(e.span.start)..e.span.start];
            if last.reason == e.reason && between.trim().is_empty() {
                last.span.end = e.span.end;
                continue;
            }
        }
        merged.push(e);
    }
    doc.excluded = merged;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{parse, ReadOptions};

    /// A metadata line inside a cut tail is listed once, as metadata: the tail is listed
    /// around it, so the report shows no text twice. It was listed in both.
    #[test]
    fn a_metadata_line_inside_a_cut_tail_is_listed_once() {
        let rules = crate::rules::shipped();
        let text = "قال الجيش إن 1500 جندي وصلوا.\n\nإقرأ أيضاً: عنوان آخر\n\nالمصدر: الجزيرة نت\n\nعنوان ثالث\n";
        let (doc, _) = parse(
            "a.txt",
            "a.txt",
            text.as_bytes().to_vec(),
            rules,
            ReadOptions::default(),
        )
        .expect("parsed");
        let listed: Vec<(&str, &str)> = doc
            .excluded
            .iter()
            .map(|e| (&doc.text[e.span.clone()], e.reason.as_str()))
            .collect();
        assert_eq!(listed.len(), 3, "{listed:?}");
        assert_eq!(listed[0].0, "إقرأ أيضاً: عنوان آخر", "{listed:?}");
        assert_eq!(listed[1].0, "المصدر: الجزيرة نت", "{listed:?}");
        assert!(listed[1].1.starts_with("metadata"), "{listed:?}");
        assert_eq!(listed[2].0, "عنوان ثالث", "{listed:?}");
        assert_eq!(listed[0].1, listed[2].1, "the tail's two parts: {listed:?}");
        for pair in doc.excluded.windows(2) {
            assert!(pair[0].span.end <= pair[1].span.start, "{listed:?}");
        }
    }

    /// A line blanked after ingest keyed it loses its key: the body's key joined from the
    /// line keys stays that of the body as it is.
    #[test]
    fn setting_aside_again_clears_the_keys_of_the_lines_it_blanks() {
        let source = crate::rules::SHIPPED;
        let shipped = crate::rules::shipped();
        let more = source.replacen(
            "drop = [\n",
            "drop = [\n  { pattern = 'سطر للحذف', reason = \"test\" },\n",
            1,
        );
        let stricter =
            crate::rules::compile("rules.toml", &more).expect("rules with one more marker");
        let text = "قال الجيش إن 1500 جندي وصلوا.\nسطر للحذف بعد التحميل\nوغادر 95 جنديا.\n";
        let (mut doc, _) = parse(
            "a.txt",
            "a.txt",
            text.as_bytes().to_vec(),
            shipped,
            ReadOptions::default(),
        )
        .expect("parsed");
        assert!(doc.line_keys.iter().filter(|k| k.is_some()).count() >= 3);
        set_aside(&mut doc, &stricter);
        assert!(!doc.body.contains("سطر للحذف"), "the line is blanked");
        assert!(doc.line_keys[1].is_none(), "and its key is gone");
        let keys = std::mem::take(&mut doc.line_keys);
        assert_eq!(
            normalize::joined_lines(&doc.body, keys),
            normalize::normalize(&doc.body)
        );
    }
}
