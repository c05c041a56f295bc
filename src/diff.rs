//! 9. Word diff of a group member against the group's reference sentence (`similar`).
//!
//! The diff runs on the original words, so a reader sees each outlet's own spelling.
//! Words are Unicode words (UAX #29), which keeps Arabic words and numbers whole; runs of
//! the same change are coalesced. Very long sentences (a scraped page with no
//! punctuation) are not diffed word by word: the result would be unreadable and slow, so
//! they show as one replacement; the cut-off is by length, never by time, so the output
//! stays deterministic.

use similar::{Algorithm, ChangeTag};

/// Longest sentence, in bytes, that is diffed word by word.
const MAX_DIFF_BYTES: usize = 8_000;

/// One run of a word diff.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Op {
    pub op: Change,
    pub text: String,
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
pub fn words(old: &str, new: &str) -> Vec<Op> {
    if old.len() > MAX_DIFF_BYTES || new.len() > MAX_DIFF_BYTES {
        return vec![
            Op {
                op: Change::Delete,
                text: old.to_string(),
            },
            Op {
                op: Change::Insert,
                text: new.to_string(),
            },
        ];
    }
    // Most members of an agreement repeat the reference word for word: one equal run.
    if old == new && !old.is_empty() {
        return vec![Op {
            op: Change::Equal,
            text: new.to_string(),
        }];
    }
    word_by_word(old, new)
}

/// The word diff proper, with runs of the same change coalesced.
fn word_by_word(old: &str, new: &str) -> Vec<Op> {
    let mut out: Vec<Op> = Vec::new();
    for (tag, text) in similar::utils::diff_unicode_words(Algorithm::Patience, old, new) {
        let op = match tag {
            ChangeTag::Equal => Change::Equal,
            ChangeTag::Insert => Change::Insert,
            ChangeTag::Delete => Change::Delete,
        };
        match out.last_mut() {
            Some(last) if last.op == op => last.text.push_str(text),
            _ => out.push(Op {
                op,
                text: text.to_string(),
            }),
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
        let ops = words(a, b);
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
        let ops = words(&a, "ب");
        assert_eq!(ops.len(), 2);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        #[test]
        fn diff_turns_left_into_right(a in "[ا-ي 0-9.]{0,40}", b in "[ا-ي 0-9.]{0,40}") {
            let ops = words(&a, &b);
            proptest::prop_assert_eq!(sides(&ops), (a, b));
        }

        #[test]
        fn a_sentence_against_itself_is_what_the_word_diff_gives(a in "[ا-ي 0-9.،«»]{0,60}|\\PC{0,40}") {
            proptest::prop_assert_eq!(words(&a, &a), word_by_word(&a, &a));
        }
    }
}
