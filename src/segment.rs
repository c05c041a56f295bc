//! Stage 4: sentences (docs: ARABIC.md §6).
//!
//! Input: a match key from stage 3 (LF line breaks, ASCII digits, ؟ folded to `?`, «» folded to
//! `"`) and a list of key-normalized abbreviations ending in `.`.
//! Output: byte ranges of the key, one per sentence.
//!
//! Invariants (checked by property tests): ranges are in order, disjoint, non-empty, within the
//! key, on char boundaries, trimmed of surrounding whitespace, and each holds a letter or digit.
//! No input panics.
//!
//! Rules, in the spirit of LanguageTool's `[\.!؟…]\s` plus what UAX #29 gets right:
//! - always break at `\n` (datelines and headlines have no final punctuation);
//! - within a line, break after a run of `.` `!` `?` `…` (with any `"` `'` `)` `]` right after
//!   it) when whitespace or the line end follows, and after a run glued between two Arabic
//!   letters (scraped `جندي.وأكد`);
//! - never break inside a balanced `"…"` pair, after an abbreviation from the list or a single
//!   letter + `.` (initials), nor before a Latin letter or digit (`3.5`, `aljazeera.net`): the
//!   last two follow from the first rule, since neither whitespace nor an Arabic letter follows.

use std::ops::Range;

/// Split a match key (output of normalize: LF line breaks, ASCII digits, ؟ already folded to ?,
/// «» folded to ") into sentences.
/// Returns byte ranges into `key`, trimmed of surrounding whitespace, in order, disjoint, never
/// empty, on char boundaries.
/// `abbreviations` are key-normalized tokens that end in '.', e.g. "د." "م." "ق.م." "إلخ."
/// (already passed through normalize::key by the caller).
///
/// Lines are scanned as bytes: every terminator, closer, opener and quote but `…` is ASCII,
/// and an ASCII byte in UTF-8 is always a char of its own, so terminators and quotes are
/// found with `memchr`, and only the chars next to a terminator run are decoded.
pub fn sentences(key: &str, abbreviations: &[String]) -> Vec<Range<usize>> {
    let longest = abbreviations.iter().map(String::len).max().unwrap_or(0);
    let mut out = Vec::new();
    // Reused across lines.
    let mut regions: Vec<(usize, usize)> = Vec::new();
    for r in crate::normalize::lines(key) {
        let (line_start, line_end) = (r.start, r.end);
        let line = &key[r];
        let bytes = line.as_bytes();
        // `…`'s first byte leads few other chars in Arabic text (dashes and curly quotes).
        let ellipsis = memchr::memchr(ELLIPSIS[0], bytes).is_some();
        let first = next_terminator(bytes, 0, ellipsis);
        if first == bytes.len() {
            // No terminator: the line is one sentence (or none, if it is blank).
            push_piece(key, line_start..line_end, &mut out);
            continue;
        }
        quote_regions(bytes, &mut regions);
        let line = Line {
            key,
            start: line_start,
            text: line,
            regions: &regions,
            ellipsis,
            abbreviations,
            longest,
        };
        line.split(first, &mut out);
    }
    out
}

const ELLIPSIS: &[u8] = "…".as_bytes();

/// The length in bytes of the terminator (`.` `!` `?` `…`) at byte `i`, or 0.
fn terminator_len(bytes: &[u8], i: usize) -> usize {
    match bytes.get(i) {
        Some(b'.' | b'!' | b'?') => 1,
        Some(&b) if b == ELLIPSIS[0] && bytes[i..].starts_with(ELLIPSIS) => ELLIPSIS.len(),
        _ => 0,
    }
}

/// Where the first terminator at or after byte `from` starts, or the line's length if there
/// is none. `ellipsis` says whether the line holds a `…` at all (most lines do not): the
/// ASCII terminators are found with `memchr3`, and a `…` only before the next of those.
fn next_terminator(bytes: &[u8], from: usize, ellipsis: bool) -> usize {
    let rest = &bytes[from..];
    let ascii = memchr::memchr3(b'.', b'!', b'?', rest).unwrap_or(rest.len());
    let first = if ellipsis {
        memchr::memmem::find(&rest[..ascii], ELLIPSIS).unwrap_or(ascii)
    } else {
        ascii
    };
    from + first
}

fn is_closer(b: u8) -> bool {
    matches!(b, b'"' | b'\'' | b')' | b']')
}

fn is_opener(c: char) -> bool {
    matches!(c, '"' | '\'' | '(' | '[')
}

/// Arabic letters (not tatweel, digits, punctuation or marks), for the glued-dot rule.
fn is_arabic_letter(c: char) -> bool {
    matches!(
        c,
        '\u{0620}'..='\u{063F}'
            | '\u{0641}'..='\u{064A}'
            | '\u{066E}'..='\u{066F}'
            | '\u{0671}'..='\u{06D3}'
            | '\u{06D5}'
            | '\u{06EE}'..='\u{06EF}'
            | '\u{06FA}'..='\u{06FC}'
            | '\u{06FF}'
            | '\u{0750}'..='\u{077F}'
            | '\u{08A0}'..='\u{08C9}'
    )
}

/// Pair the line's `"` in order into (open, close) byte positions within the line. A line
/// with an odd count has an unmatched quote somewhere and no reliable pairing, so it gets no
/// regions at all.
fn quote_regions(line: &[u8], regions: &mut Vec<(usize, usize)>) {
    regions.clear();
    let mut open = None;
    for q in memchr::memchr_iter(b'"', line) {
        match open.take() {
            None => open = Some(q),
            Some(o) => regions.push((o, q)),
        }
    }
    if open.is_some() {
        regions.clear();
    }
}

/// One line of the key with a terminator in it. Positions are byte offsets into `text`.
struct Line<'a> {
    key: &'a str,
    /// Where the line starts in `key`.
    start: usize,
    text: &'a str,
    regions: &'a [(usize, usize)],
    /// Whether the line holds a `…` (see `next_terminator`).
    ellipsis: bool,
    abbreviations: &'a [String],
    /// The longest abbreviation's length in bytes.
    longest: usize,
}

impl Line<'_> {
    /// The char that starts at byte `i`.
    fn char_at(&self, i: usize) -> Option<char> {
        self.text.get(i..)?.chars().next()
    }

    /// The char that ends at byte `i`.
    fn char_before(&self, i: usize) -> Option<char> {
        self.text.get(..i)?.chars().next_back()
    }

    /// Split the line into `out`; `first` is where its first terminator starts.
    fn split(&self, first: usize, out: &mut Vec<Range<usize>>) {
        let bytes = self.text.as_bytes();
        let mut piece_start = 0;
        let mut i = first;
        while i < bytes.len() {
            let mut k = i;
            while let n @ 1.. = terminator_len(bytes, k) {
                k += n;
            }
            let mut m = k;
            while bytes.get(m).copied().is_some_and(is_closer) {
                m += 1;
            }
            if self.breaks_after(i, k, m) {
                push_piece(self.key, self.start + piece_start..self.start + m, out);
                piece_start = m;
            }
            // The next run is searched from this one's end: its closers are no terminators.
            i = next_terminator(bytes, k, self.ellipsis);
        }
        push_piece(
            self.key,
            self.start + piece_start..self.start + bytes.len(),
            out,
        );
    }

    /// Whether a sentence ends after the terminator run `run..k` and its closers `k..m`.
    fn breaks_after(&self, run: usize, k: usize, m: usize) -> bool {
        let before = self.char_before(run);
        let spaced = self.char_at(m).is_none_or(char::is_whitespace);
        // Scraped text drops the space after a full stop; only between Arabic letters, so
        // `3.5`, `1.500` and `aljazeera.net` never qualify.
        let glued = m == k
            && before.is_some_and(is_arabic_letter)
            && self.char_at(k).is_some_and(is_arabic_letter);
        if !(spaced || glued) {
            return false;
        }
        // Regions are in order and disjoint: only the last one opened before `run` can hold
        // it (a binary search, so a line with many quotations stays linear).
        let opened = self.regions.partition_point(|&(o, _)| o < run);
        if opened > 0 && run < self.regions[opened - 1].1 {
            // A quotation that goes on: `في "إقامة نظام دفاع جوي... لضمان السيطرة" وأضاف`.
            return false;
        }
        let single_dot = k == run + 1 && self.text.as_bytes()[run] == b'.';
        !(single_dot && (self.is_initial(run) || self.is_abbreviation(run)))
    }

    /// A single letter right before the dot at `dot`, itself at a token start or after another
    /// dot: initials `أ.`, `J.`, `J.R.`, and `ق.م.` even when the list lacks it.
    fn is_initial(&self, dot: usize) -> bool {
        let Some(letter) = self
            .char_before(dot)
            .filter(|&c| crate::normalize::is_letter(c))
        else {
            return false;
        };
        match self.char_before(dot - letter.len_utf8()) {
            None => true,
            Some(c) => c.is_whitespace() || c == '.' || is_opener(c),
        }
    }

    /// Whether an abbreviation from the list starts at the token start (after opening quotes or
    /// brackets) and covers the dot at `dot`, so the inner dot of `ق.م.` counts as well.
    fn is_abbreviation(&self, dot: usize) -> bool {
        // The token's first char that is not an opener (the dot itself if there is none). An
        // abbreviation that covers the dot starts fewer than `longest` bytes before it, so the
        // walk back gives up at the first such char that far back: walking to the token start
        // instead costs time quadratic in the length of a long token of glued dots (`بب.بب.`).
        let mut start = dot;
        for (j, c) in self.text[..dot].char_indices().rev() {
            if c.is_whitespace() {
                break;
            }
            if !is_opener(c) {
                if dot - j >= self.longest {
                    return false;
                }
                start = j;
            }
        }
        let from = self.start + start;
        let dot_at = self.start + dot;
        let Some(rest) = self.key.get(from..) else {
            return false;
        };
        self.abbreviations
            .iter()
            .any(|a| !a.is_empty() && rest.starts_with(a.as_str()) && from + a.len() > dot_at)
    }
}

/// Trim a piece and keep it if it holds a letter or digit (drops a lone ". ." or "—").
fn push_piece(key: &str, range: Range<usize>, out: &mut Vec<Range<usize>>) {
    let Some(text) = key.get(range.clone()) else {
        return;
    };
    let trimmed = text.trim_start();
    let start = range.start + (text.len() - trimmed.len());
    let trimmed = trimmed.trim_end();
    // `is_word_char` is `is_alphanumeric`, without its table search on Arabic letters.
    if trimmed.chars().any(crate::normalize::is_word_char) {
        out.push(start..start + trimmed.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn abbreviations() -> Vec<String> {
        ["د.", "م.", "ق.م.", "الخ."]
            .iter()
            .map(|s| s.to_string())
            .collect()
    }

    fn split(key: &str) -> Vec<&str> {
        sentences(key, &abbreviations())
            .into_iter()
            .map(|r| &key[r])
            .collect()
    }

    macro_rules! cases {
        ($($name:ident: $input:expr => [$($expected:expr),* $(,)?];)*) => {
            $(
                #[test]
                fn $name() {
                    let expected: Vec<&str> = vec![$($expected),*];
                    assert_eq!(split($input), expected, "input {:?}", $input);
                }
            )*
        };
    }

    cases! {
        question_mark: "هل انسحبوا? قال لا" => ["هل انسحبوا?", "قال لا"];
        exclamation_and_run: "كفى!! ثم ماذا?! لا" => ["كفى!!", "ثم ماذا?!", "لا"];
        ellipsis_then_space: "انتهى الاجتماع… وبدا اخر" => ["انتهى الاجتماع…", "وبدا اخر"];
        full_stop: "وصل الجنود. وقال الوزير" => ["وصل الجنود.", "وقال الوزير"];
        decimal: "ارتفع 3.5 في المئة" => ["ارتفع 3.5 في المئة"];
        thousands_dot: "نشر 1.500 جندي" => ["نشر 1.500 جندي"];
        thousands_comma: "نشر 1,500 جندي" => ["نشر 1,500 جندي"];
        abbreviation: "قال د. احمد ان" => ["قال د. احمد ان"];
        abbreviation_inner_dot: "عام 300 ق.م.وقال" => ["عام 300 ق.م.وقال"];
        abbreviation_in_parens: "(د. احمد) قال" => ["(د. احمد) قال"];
        listed_long_abbreviation: "دبابات ومدافع الخ. وقال" => ["دبابات ومدافع الخ. وقال"];
        arabic_initial: "قال ا. محمد" => ["قال ا. محمد"];
        latin_initials: "said J.R. Smith" => ["said J.R. Smith"];
        quote_continues: "ستساعد في \"اقامه نظام دفاع جوي... لضمان السيطره\" واضاف"
            => ["ستساعد في \"اقامه نظام دفاع جوي... لضمان السيطره\" واضاف"];
        odd_quotes_fall_back: "قال \"لن ننسحب... ثم مضى. واضاف"
            => ["قال \"لن ننسحب...", "ثم مضى.", "واضاف"];
        closer_after_run: "قال (انتهى.) ثم" => ["قال (انتهى.)", "ثم"];
        glued_dot: "جندي.واكد" => ["جندي.", "واكد"];
        dot_word: "نقلا عن aljazeera.net وغيره" => ["نقلا عن aljazeera.net وغيره"];
        dot_word_twitter: "pic.twitter.com/abc" => ["pic.twitter.com/abc"];
        lines: "واشنطن - (رويترز)\nقال مسؤول\n\nثم" => ["واشنطن - (رويترز)", "قال مسؤول", "ثم"];
        empty: "" => [];
        whitespace_only: "  \n \t \n" => [];
        punctuation_only_dropped: "نعم. . . —" => ["نعم."];
        no_terminator: "عاجل وصول قوات روسية" => ["عاجل وصول قوات روسية"];
        quotes_before_and_after: "قال \"نعم\" ثم مضى. وقال \"لا. ابدا\" واضاف \"كلا\""
            => ["قال \"نعم\" ثم مضى.", "وقال \"لا. ابدا\" واضاف \"كلا\""];
        abbreviation_after_openers: "قال ((د. احمد)) ثم" => ["قال ((د. احمد)) ثم"];
        abbreviation_not_at_token_start: "قال ببد. احمد" => ["قال ببد.", "احمد"];
        real_sentence: "واكد \"فيلق افريقيا\", اليوم الجمعه, وصوله الى النيجر. واورد, عبر تطبيق تلغرام \"وصلت الرحله الاولى لفيلق افريقيا ومتطوعيه الى النيجر\"."
            => [
                "واكد \"فيلق افريقيا\", اليوم الجمعه, وصوله الى النيجر.",
                "واورد, عبر تطبيق تلغرام \"وصلت الرحله الاولى لفيلق افريقيا ومتطوعيه الى النيجر\".",
            ];
    }

    #[test]
    fn unlisted_abbreviation_breaks() {
        let key = "دبابات ومدافع الخ. وقال";
        let got: Vec<&str> = sentences(key, &[]).into_iter().map(|r| &key[r]).collect();
        assert_eq!(got, ["دبابات ومدافع الخ.", "وقال"]);
    }

    #[test]
    fn real_sentence_as_printed() {
        // The same sentence with its original letters (only ، folded), as the brief gives it.
        let key = "وأكد \"فيلق أفريقيا\", اليوم الجمعة, وصوله الى النيجر. وأورد, عبر تطبيق تلغرام \"وصلت الرحلة الأولى لفيلق أفريقيا ومتطوعيه إلى النيجر\".";
        assert_eq!(sentences(key, &abbreviations()).len(), 2);
    }

    /// One 1 MB line of glued dots, and one of 200 000 quotations each holding a full stop:
    /// a step that is quadratic in the line's length (walking back to the token start at each
    /// dot, checking every quotation at each dot) does not finish. Asserts that they finish,
    /// never how fast.
    #[test]
    fn long_lines_of_glued_dots_or_quotations_finish() {
        let n = 200_000;
        let glued = "بب.".repeat(n);
        assert_eq!(sentences(&glued, &abbreviations()).len(), n);
        let quoted = "\"ا. ب\" ".repeat(n);
        assert_eq!(sentences(&quoted, &abbreviations()).len(), 1);
    }

    fn interesting_char() -> impl Strategy<Value = char> {
        prop_oneof![
            any::<char>(),
            proptest::char::range('\u{0621}', '\u{064A}'),
            proptest::sample::select(vec![
                '.', '.', '!', '?', '…', '"', '"', '\'', ')', ']', '(', ' ', ' ', '\n', '\t', '1',
                '5', 'a', 'J', 'د', 'ق', 'م', '\u{00A0}', '\u{3000}',
            ]),
        ]
    }

    fn interesting_text() -> impl Strategy<Value = String> {
        proptest::collection::vec(interesting_char(), 0..64).prop_map(|v| v.into_iter().collect())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn ranges_are_valid(text in interesting_text()) {
            let abbr: Vec<String> = vec![
                "د.".into(), "ق.م.".into(), String::new(), ".".into(), "..".into(), "\"".into(),
            ];
            let mut last_end = 0;
            for r in sentences(&text, &abbr) {
                prop_assert!(last_end <= r.start && r.start < r.end && r.end <= text.len());
                prop_assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
                let s = &text[r.clone()];
                prop_assert_eq!(s, s.trim());
                prop_assert!(s.chars().any(char::is_alphanumeric));
                last_end = r.end;
            }
        }
    }
}
