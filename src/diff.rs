//! 9. Word diff of a group member against the group's reference sentence (`similar`).
//!
//! Words are Unicode words (UAX #29), which keeps Arabic words and numbers whole. Two
//! words are the same when their match keys are (see `normalize`): a word written with
//! other digits (١٥٠٠ / 1500), diacritics (وقُتل / وقتل), tatweel or another alef form is
//! no change, so a changed number or name stands out. The runs are the original words,
//! an equal run in the member's own writing, so a reader sees each outlet's spelling; runs
//! of the same change are coalesced. Very long sentences (a scraped page with no
//! punctuation) are not diffed word by word: the result would be unreadable and slow, so
//! they show as one replacement; the cut-off is by length, never by time, so the output
//! stays deterministic.

use crate::model::TextSlice;
use crate::normalize;
use similar::{Algorithm, DiffTag};
use std::borrow::Cow;
use std::ops::Range;
use unicode_segmentation::UnicodeSegmentation as _;

/// Longest sentence, in bytes, that is diffed word by word.
const MAX_DIFF_BYTES: usize = 8_000;

/// One run of a word diff: a piece of the member sentence (`equal`, `insert`) or of the
/// reference (`delete`), sharing the article's text rather than a copy of its own (a
/// large report holds millions of runs).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Op {
    pub op: Change,
    pub text: TextSlice,
}

/// What a run of a word diff is: `equal`, `insert` (only in the member) or `delete` (only
/// in the reference), as report.json writes it. One byte, not a string allocated per run:
/// a large report holds millions of runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    Equal,
    Insert,
    Delete,
}

/// The member sentence `new` against the reference `old`.
#[inline(never)] // counted on its own by `benches/instructions.sh --build`
pub fn words(old: &TextSlice, new: &TextSlice) -> Vec<Op> {
    if old.len() > MAX_DIFF_BYTES || new.len() > MAX_DIFF_BYTES {
        return vec![
            Op {
                op: Change::Delete,
                text: old.clone(),
            },
            Op {
                op: Change::Insert,
                text: new.clone(),
            },
        ];
    }
    // Most members of an agreement repeat the reference word for word: one equal run.
    if old.as_str() == new.as_str() && !old.is_empty() {
        return vec![Op {
            op: Change::Equal,
            text: new.clone(),
        }];
    }
    word_by_word(old, new)
}

/// The word diff proper, with runs of the same change coalesced. The words of a diff
/// cover both sentences in order, so each run is the next piece of the member (equal,
/// insert) or of the reference (delete).
fn word_by_word(old: &TextSlice, new: &TextSlice) -> Vec<Op> {
    let (old_words, old_keys) = words_and_keys(old.as_str());
    let (new_words, new_keys) = words_and_keys(new.as_str());
    let mut out: Vec<Op> = Vec::new();
    let mut push = |op: Change, side: &TextSlice, words: &[Range<usize>]| {
        let (Some(first), Some(last)) = (words.first(), words.last()) else {
            return;
        };
        let piece = side.sub(first.start..last.end);
        match out.last_mut() {
            Some(run) if run.op == op => run.text.join(&piece),
            _ => out.push(Op { op, text: piece }),
        }
    };
    for d in similar::capture_diff_slices(Algorithm::Patience, &old_keys, &new_keys) {
        let (tag, in_old, in_new) = d.as_tag_tuple();
        match tag {
            DiffTag::Equal => push(Change::Equal, new, &new_words[in_new]),
            DiffTag::Delete => push(Change::Delete, old, &old_words[in_old]),
            DiffTag::Insert => push(Change::Insert, new, &new_words[in_new]),
            DiffTag::Replace => {
                push(Change::Delete, old, &old_words[in_old]);
                push(Change::Insert, new, &new_words[in_new]);
            }
        }
    }
    out
}

/// A sentence's words (UAX #29 word bounds, spaces and punctuation included, so they
/// cover it) as byte ranges, and the key each is compared by: the word itself when it is
/// ASCII, which normalisation leaves alone, else its match key.
fn words_and_keys(text: &str) -> (Vec<Range<usize>>, Vec<Cow<'_, str>>) {
    text.split_word_bound_indices()
        .map(|(at, w)| {
            let key = if w.is_ascii() {
                Cow::Borrowed(w)
            } else {
                Cow::Owned(normalize::key(w))
            };
            (at..at + w.len(), key)
        })
        .unzip()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Applying the diff's equal+insert runs gives the new text, equal+delete the old.
    fn sides(ops: &[Op]) -> (String, String) {
        let mut old = String::new();
        let mut new = String::new();
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
    fn arabic_words_diff_whole() {
        let a = "زهاء ألف جندي أميركي";
        let b = "نحو ألف جندي أميركي هناك";
        let ops = words(&a.into(), &b.into());
        assert_eq!(sides(&ops), (a.to_string(), b.to_string()));
        assert!(ops
            .iter()
            .any(|o| o.op == Change::Delete && o.text.contains("زهاء")));
        assert!(ops
            .iter()
            .any(|o| o.op == Change::Insert && o.text.contains("نحو")));
        assert!(ops
            .iter()
            .any(|o| o.op == Change::Equal && o.text.contains("ألف جندي أميركي")));
    }

    /// Another script of digits, diacritics, tatweel or alef form is the same word: only
    /// the changed figure is marked, and equal runs are the member's own writing.
    #[test]
    fn words_that_differ_only_in_writing_are_equal() {
        let ops = words(
            &"وقُتل 1500 شخص في أُمبيري، وجُرح 40.".into(),
            &"وقتل ١٥٠٠ شخص في امبيري، وجرح ٦٥.".into(),
        );
        let runs: Vec<(Change, &str)> = ops.iter().map(|o| (o.op, o.text.as_str())).collect();
        assert_eq!(
            runs,
            [
                (Change::Equal, "وقتل ١٥٠٠ شخص في امبيري، وجرح "),
                (Change::Delete, "40"),
                (Change::Insert, "٦٥"),
                (Change::Equal, "."),
            ]
        );
        // A name spelt otherwise is a change: the reader must see تياني against تشياني.
        let ops = words(&"الجنرال تياني".into(), &"الجنرال تشياني".into());
        assert!(ops
            .iter()
            .any(|o| o.op == Change::Insert && o.text.as_str() == "تشياني"));
    }

    #[test]
    fn long_sentences_are_one_replacement() {
        let a = "ا ".repeat(5000);
        let ops = words(&a.into(), &"ب".into());
        assert_eq!(ops.len(), 2);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        #[test]
        fn diff_turns_left_into_right(a in "[ا-ي 0-9.]{0,40}", b in "[ا-ي 0-9.]{0,40}") {
            let (old, new) = (TextSlice::from(a.as_str()), TextSlice::from(b.as_str()));
            let ops = words(&old, &new);
            // The member exactly; the reference as matching reads it, since an equal run
            // is the member's writing of the reference's word.
            let (was, is) = sides(&ops);
            proptest::prop_assert_eq!(is, b);
            proptest::prop_assert_eq!(normalize::key(&was), normalize::key(&a));
            // Each run is a piece of its own sentence, not a copy.
            for o in &ops {
                let side = if o.op == Change::Delete { &old } else { &new };
                proptest::prop_assert!(o.text.is_piece_of(side), "{:?} copied", o);
            }
        }

        #[test]
        fn a_sentence_against_itself_is_what_the_word_diff_gives(a in "[ا-ي 0-9.،«»]{0,60}|\\PC{0,40}") {
            let a = TextSlice::from(a);
            proptest::prop_assert_eq!(words(&a, &a), word_by_word(&a, &a));
        }
    }
}
