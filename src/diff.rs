//! 9. Word diff of a group member against the group's reference sentence (`similar`).
//!
//! The diff runs on the original words, so a reader sees each outlet's own spelling.
//! Words are Unicode words (UAX #29), which keeps Arabic words and numbers whole; runs of
//! the same change are coalesced. Very long sentences (a scraped page with no
//! punctuation) are not diffed word by word: the result would be unreadable and slow, so
//! they show as one replacement; the cut-off is by length, never by time, so the output
//! stays deterministic.

use crate::model::TextSlice;
use similar::{Algorithm, ChangeTag};

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
    let mut out: Vec<Op> = Vec::new();
    let (mut at_old, mut at_new) = (0, 0);
    for (tag, text) in
        similar::utils::diff_unicode_words(Algorithm::Patience, old.as_str(), new.as_str())
    {
        let (op, side, at) = match tag {
            ChangeTag::Equal => {
                at_old += text.len();
                (Change::Equal, new, &mut at_new)
            }
            ChangeTag::Insert => (Change::Insert, new, &mut at_new),
            ChangeTag::Delete => (Change::Delete, old, &mut at_old),
        };
        let range = *at..*at + text.len();
        *at = range.end;
        // Never taken: the words are the sentences' own pieces, in order.
        let piece = if side.get(range.clone()) == Some(text) {
            side.sub(range)
        } else {
            TextSlice::from(text)
        };
        match out.last_mut() {
            Some(last) if last.op == op => last.text.join(&piece),
            _ => out.push(Op { op, text: piece }),
        }
    }
    out
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
            proptest::prop_assert_eq!(sides(&ops), (a, b));
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
