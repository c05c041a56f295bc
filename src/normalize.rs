//! Stage 3: normalisation for matching only (docs: ARABIC.md §4).
//!
//! Input: an original article text (UTF-8; LF line breaks expected, CR tolerated).
//! Output: a [`Normalized`] match key for rules and comparison, plus a map from every key byte
//! back to the original byte offset it came from, so that reports highlight the original text.
//!
//! Steps, in one pass, char by char:
//! 1. NFC, only where needed: text that passes the NFC quick check (done inside the same pass)
//!    is taken as is; otherwise NFC runs per cluster (a starter, its combining marks, and any
//!    deleted format control or tatweel between them), all its output mapped to the cluster
//!    start. So ا + U+0654 becomes أ before marks go, and ؤ/ئ survive when written decomposed.
//! 2. Delete format controls (RLM, LRM, ALM, ZW*, bidi embeddings and isolates, BOM, soft hyphen).
//! 3. Tab, NBSP and the other wide/thin spaces become ' '; runs of spaces collapse to one, also
//!    across deleted chars. `\n` is kept, `\r` becomes `\n` (`\r\n` becomes one `\n`). No trimming.
//! 4. Arabic presentation forms (U+FB50–FDFF, U+FE70–FEFF): NFKC of that one char (﷼ → ريال).
//!    Full-text NFKC is never applied: it would turn `…` into `...` and move sentence ends.
//! 5. Digits ٠-٩ ۰-۹ → 0-9; ٫ between digits → `.`; ٬ between digits deleted; ٪ → %; dashes → `-`.
//! 6. ؟ ؛ ، ۔ → ? ; , . and « » “ ” „ → `"`.
//! 7. Delete tatweel and Arabic diacritics (U+064B–065F, U+0670, U+0610–061A, U+06D6–06ED).
//! 8. Fold letters: أ إ آ ٱ → ا, ى ی → ي, ة ہ ھ ە ۀ → ه, ک گ → ك, پ → ب, ڤ → ف, چ → ج.
//!
//! Invariants (checked by property tests):
//! - `normalize(n.key()).key() == n.key()` (idempotent);
//! - origins are non-decreasing, within the original and on its char boundaries;
//! - [`Normalized::to_original`] returns a char-boundary range of the original;
//! - no input panics.
//!
//! Offsets are stored as `u32` to halve the map's memory; a text over 4 GiB saturates rather than
//! panics (its tail then maps to `u32::MAX`, which callers must clamp), far beyond any article.

use std::ops::Range;

use unicode_normalization::char::{canonical_combining_class, decompose_canonical};
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// A match key built from an original text, with a map back to original byte offsets.
#[derive(Debug, Clone, PartialEq)]
pub struct Normalized {
    key: String,
    /// Where each key char came from, as runs: `(key offset, original offset)` starts a run
    /// in which every key char's origin is as far into the original as the char is into
    /// the key (a char copied or folded to one of the same length). A char that breaks the
    /// step (after a deletion, a digit folded to ASCII, the second char of a ligature)
    /// starts a new run. Sorted by key offset; the first run starts at key offset 0. Most
    /// text needs a few runs per line instead of an offset per key byte.
    runs: Vec<(u32, u32)>,
    /// The original's length: where `origin(key.len())` points.
    end: u32,
    /// The original offset of every key byte, kept in tests to check the runs against.
    #[cfg(test)]
    dense: Vec<u32>,
    /// `(key offset, original offset)`: where the output unit ending before that key offset really
    /// ended in the original, when deleted format controls or collapsed spaces follow it. Lets
    /// `to_original` stop before an invisible RLM instead of running on to the next kept char.
    /// Sorted by key offset; absent entries mean "the next unit's origin".
    gaps: Vec<(u32, u32)>,
    /// Built by the char path (the text was NFC, one unit per char), not by NFC clusters:
    /// only such keys are joined by [`joined_lines`].
    by_char: bool,
}

impl Normalized {
    /// The next key char comes from original offset `o` (see [`step_to`]).
    fn step_to(&mut self, o: usize) {
        step_to(&mut self.runs, self.key.len(), o);
    }

    /// Append the key of a line that starts at original offset `at`, its offsets moved
    /// along (for [`joined_lines`]).
    fn append(&mut self, line: Normalized, at: usize) {
        let base = self.key.len();
        let shift = |(k, o): (u32, u32)| (offset(base + k as usize), offset(at + o as usize));
        let mut runs = line.runs.into_iter().map(shift).peekable();
        // The line's first run may carry on the one before the line break.
        if let Some(&(_, o)) = runs.peek().filter(|&&(k, _)| k as usize == base) {
            self.step_to(o as usize);
            runs.next();
        }
        self.runs.extend(runs);
        self.gaps.extend(line.gaps.into_iter().map(shift));
        #[cfg(test)]
        self.dense.extend(
            line.dense[..line.dense.len().saturating_sub(1)]
                .iter()
                .map(|&o| offset(at + o as usize)),
        );
        self.key.push_str(&line.key);
    }

    /// The match key.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The part of the key in `range` (a sentence), borrowed, with its offsets mapped back.
    /// A range past the key is clamped to it.
    pub fn part(&self, range: Range<usize>) -> Part<'_> {
        let end = range.end.min(self.key.len());
        let start = range.start.min(end);
        Part {
            key: &self.key[start..end],
            whole: self,
            at: start,
        }
    }

    /// Original byte offset where key byte `i` came from (i may equal key.len(), mapping to the
    /// original's length / end). Larger `i` are clamped to the end too.
    pub fn origin(&self, i: usize) -> usize {
        if i >= self.key.len() {
            return self.end as usize;
        }
        // All bytes of a char share its origin.
        let mut c = i;
        while !self.key.is_char_boundary(c) {
            c -= 1;
        }
        let after = self.runs.partition_point(|&(k, _)| k as usize <= c);
        match after.checked_sub(1).and_then(|r| self.runs.get(r)) {
            Some(&(k, o)) => o as usize + (c - k as usize),
            None => 0,
        }
    }

    /// Map a byte range of the key to the byte range of the original it covers: from the origin
    /// of its first byte to the end of the original char (or NFC cluster, or presentation form)
    /// that produced its last char, including diacritics and tatweel deleted right after it (a
    /// highlight must not split a letter from its marks) but not a trailing deleted format
    /// control or collapsed space. Out-of-range or reversed input is clamped, never a panic.
    pub fn to_original(&self, range: Range<usize>) -> Range<usize> {
        let len = self.key.len();
        let start = range.start.min(len);
        let end = range.end.clamp(start, len);
        let s = self.origin(start);
        if end == start {
            return s..s;
        }
        // Skip the rest of the unit that produced the last byte (a presentation form or a cluster
        // can yield several key chars with one origin).
        let last = self.origin(end - 1);
        let mut p = end;
        while p < len && self.origin(p) == last {
            p += 1;
        }
        let e = match self.gaps.binary_search_by_key(&p, |&(at, _)| at as usize) {
            Ok(k) => self
                .gaps
                .get(k)
                .map_or(self.origin(p), |&(_, o)| o as usize),
            Err(_) => self.origin(p),
        };
        s..e.max(s)
    }
}

/// A part of a [`Normalized`] text, such as one sentence: its key, and the original
/// offsets of byte ranges within it.
#[derive(Debug, Clone, Copy)]
pub struct Part<'a> {
    key: &'a str,
    whole: &'a Normalized,
    /// Where `key` starts in the whole key.
    at: usize,
}

impl<'a> Part<'a> {
    /// The match key of the part.
    pub fn key(&self) -> &'a str {
        self.key
    }

    /// Map a byte range of the part's key back to the original text: from the origin of
    /// its first byte to the origin of the byte just past it (the next key char's origin,
    /// so deleted characters in between are covered).
    pub fn original_span(&self, range: Range<usize>) -> Range<usize> {
        debug_assert!(range.end <= self.key.len(), "a range past the part");
        let start = self.whole.origin(self.at + range.start);
        let end = if range.end == 0 {
            start
        } else {
            self.whole.origin(self.at + range.end)
        };
        start..end.max(start)
    }
}

/// The standard match key of `text` (for rules and comparison).
pub fn normalize(text: &str) -> Normalized {
    // Most news text is already NFC: a plain char loop, checking NFC on the way, is then exact.
    // Otherwise (or in the rare case the loop bails out) NFC goes cluster by cluster.
    run_nfc_text(text).unwrap_or_else(|| run_clusters(text))
}

/// Byte ranges of the lines of `text`, without their `\n`: those of `text.split('\n')`
/// (an empty last line after a final `\n` included), the breaks found with `memchr`.
pub fn lines(text: &str) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let mut start = 0;
    memchr::memchr_iter(b'\n', text.as_bytes())
        .chain(std::iter::once(text.len()))
        .map(move |end| {
            let r = start..end;
            start = end + 1;
            r
        })
}

/// [`normalize`] of a text whose lines were normalised already, one by one: `lines[i]` is
/// the key of the `i`-th line of `text.split('\n')`, or `None` for a line to normalise
/// here. The line keys are joined at the line breaks instead of normalising the text
/// again, and the result is the same as `normalize(text)` (property-tested): a line break
/// is kept as it is and is no space, digit or mark, so no step looks across it, except
/// when a line starts with a char that vanishes or joins what precedes it (a format
/// control, a diacritic, tatweel, a combining mark), holds a CR, or was not NFC. The
/// whole text is then normalised at once, as without line keys.
pub fn joined_lines(text: &str, lines: Vec<Option<Normalized>>) -> Normalized {
    if lines.is_empty() || text.contains('\r') {
        return normalize(text);
    }
    let mut known = lines.into_iter();
    let mut out = Normalized {
        key: String::with_capacity(text.len()),
        runs: Vec::new(),
        end: offset(text.len()),
        #[cfg(test)]
        dense: Vec::with_capacity(text.len() + 1),
        gaps: Vec::new(),
        by_char: true,
    };
    for r in self::lines(text) {
        let start = r.start;
        let line = &text[r];
        let starts_cleanly = line.chars().next().is_none_or(|c| {
            c.is_ascii() || !(is_vanishing(c) || is_transparent(c) || is_nonstarter(c))
        });
        let given = known
            .next()
            .flatten()
            .filter(|n| n.end as usize == line.len());
        if start > 0 {
            // The line break before this line: a unit of its own, right after the
            // previous line's last unit.
            out.step_to(start - 1);
            #[cfg(test)]
            out.dense.push(offset(start - 1));
            out.key.push('\n');
        }
        if line.is_empty() {
            continue;
        }
        let n = match given {
            Some(n) if starts_cleanly => n,
            _ if starts_cleanly => normalize(line),
            _ => return normalize(text),
        };
        if !n.by_char {
            return normalize(text);
        }
        out.append(n, start);
    }
    #[cfg(test)]
    out.dense.push(offset(text.len()));
    out
}

/// For property tests: a text of up to `max` chars, each drawn from one of `classes`
/// (regexes of one char each), the classes with equal odds. A regex such as
/// `([a-z]|[\u{0600}-\u{06FF}]|\PC){0,60}` does not do this: its one-char alternatives
/// are merged into one class, whose chars are drawn alike, and the Arabic block, 256 of
/// `\PC`'s 280 000 chars, hardly ever comes up (23 chars in 60 000).
#[cfg(test)]
pub(crate) fn text_from(
    classes: &[&'static str],
    max: usize,
) -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::strategy::Strategy as _;
    let one = proptest::strategy::Union::new(classes.iter().map(|c| {
        proptest::string::string_regex(c)
            .expect("a char class")
            .boxed()
    }));
    proptest::collection::vec(one, 0..=max).prop_map(|chars| chars.concat())
}

/// Shorthand: normalize(text).key, used on rule patterns, aliases and lexicon words at load time.
pub fn key(text: &str) -> String {
    normalize(text).key
}

/// Aggressive key for names: key() plus ؤ → و, ئ → ي, and a lone ء deleted.
///
/// "Lone ء" is the hamza on the line (U+0621, الهمزة المفردة), deleted wherever it stands
/// (علاء → علا); seated hamzas fold to their seat. Spaces left doubled by a deleted
/// free-standing ء are collapsed again.
pub fn name_key(text: &str) -> String {
    let k = key(text);
    let mut out = String::with_capacity(k.len());
    for c in k.chars() {
        match c {
            'ؤ' => out.push('و'),
            'ئ' => out.push('ي'),
            'ء' => {}
            ' ' if out.ends_with(' ') => {}
            _ => out.push(c),
        }
    }
    out
}

/// Consonant skeleton of one name word's name_key, for spelling-variant matching (ARABIC.md §7):
/// fold the digraph تش → ت, then drop ا و ي ء after the first letter and an initial ا.
/// Examples: تياني → تن, تشياني → تن, إفكوروف/إيفكوروف → فكرف, أميركي/أمريكي → مرك, تبون → تبن.
///
/// "After the first letter" counts positions in the word, so after an initial ا is dropped the
/// next letter is still dropped when weak (ايفكوروف → فكرف). Given several words, each is
/// reduced on its own and they are joined with one space.
pub fn skeleton(name_key: &str) -> String {
    let mut out = String::with_capacity(name_key.len());
    for (n, word) in name_key.split_whitespace().enumerate() {
        if n > 0 {
            out.push(' ');
        }
        let mut first = true;
        let mut after_ta = false;
        for c in word.chars() {
            if c == 'ش' && after_ta {
                // تش is one sound (ch); spellings with and without ش name the same person.
                after_ta = false;
                continue;
            }
            after_ta = c == 'ت';
            let drop = if first {
                c == 'ا'
            } else {
                matches!(c, 'ا' | 'و' | 'ي' | 'ء')
            };
            first = false;
            if !drop {
                out.push(c);
            }
        }
    }
    out
}

/// `char::is_alphabetic`, read from a table in the Arabic block (U+0600–U+06FF), where the
/// general lookup is a slow table search and where most chars of the corpus are.
pub fn is_letter(c: char) -> bool {
    static ARABIC_BLOCK: std::sync::LazyLock<[bool; 256]> = std::sync::LazyLock::new(|| {
        std::array::from_fn(|i| char::from_u32(0x600 + i as u32).is_some_and(char::is_alphabetic))
    });
    match c {
        '\0'..='\x7f' => c.is_ascii_alphabetic(),
        '\u{0600}'..='\u{06FF}' => ARABIC_BLOCK[c as usize - 0x600],
        _ => c.is_alphabetic(),
    }
}

/// True for characters that count as word characters when checking word edges on a key:
/// letters and digits of any script (`char::is_alphanumeric`). Marks are not word chars, but a
/// key holds no Arabic diacritics, and NFC has composed most Latin ones into their letters.
pub fn is_word_char(c: char) -> bool {
    // Fast paths for the scripts of the corpus: the general lookup is slow on Arabic.
    match c {
        'a'..='z' | 'A'..='Z' | '0'..='9' => true,
        '\0'..='\x7f' => false,
        // Arabic letters (hamza to yeh, and the extended letters), Arabic-Indic digits.
        '\u{0621}'..='\u{063A}'
        | '\u{0641}'..='\u{064A}'
        | '\u{0660}'..='\u{0669}'
        | '\u{0671}'..='\u{06D3}' => true,
        _ => c.is_alphanumeric(),
    }
}

const TATWEEL: char = '\u{0640}';

/// Step 2: invisible format controls, deleted outright (CAMeL turns some into spaces, which
/// splits words and numbers around an RLM).
fn is_format_control(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}'
            | '\u{061C}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
            | '\u{00AD}'
    )
}

/// Step 7: Arabic diacritics and Quranic marks.
fn is_diacritic(c: char) -> bool {
    matches!(
        c,
        '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0610}'..='\u{061A}' | '\u{06D6}'..='\u{06ED}'
    )
}

/// Presentation forms whose NFKC is only tatweel and diacritics, so they vanish entirely
/// (checked against the generic definition in a unit test).
fn is_mark_ligature(c: char) -> bool {
    matches!(
        c,
        '\u{FCF2}'
            ..='\u{FCF4}'
                | '\u{FE71}'
                | '\u{FE77}'
                | '\u{FE79}'
                | '\u{FE7B}'
                | '\u{FE7D}'
                | '\u{FE7F}'
    )
}

/// Chars that leave nothing in the key. Neighbour checks skip them, so that the key's neighbours
/// equal the original's and a second pass decides the same (idempotence).
fn is_vanishing(c: char) -> bool {
    is_format_control(c) || c == TATWEEL || is_diacritic(c) || is_mark_ligature(c)
}

/// Vanishing starters (combining class 0). Deleting one can make two combining marks, or a base
/// and a mark, adjacent: NFC must then treat them as one cluster, or a second pass would compose
/// or reorder what the first left alone. The diacritics listed are the ccc-0 ones of U+06D6–06ED.
fn is_transparent(c: char) -> bool {
    is_format_control(c)
        || c == TATWEEL
        || is_mark_ligature(c)
        || matches!(
            c,
            '\u{06DD}' | '\u{06DE}' | '\u{06E5}' | '\u{06E6}' | '\u{06E9}'
        )
}

/// Digits whose neighbourhood decides ٫ and ٬: ASCII, Arabic-Indic, Extended Arabic-Indic
/// (the scripts this stage folds; others would stay unfolded and not read as numbers anyway).
fn is_fold_digit(c: char) -> bool {
    c.is_ascii_digit()
        || ('\u{0660}'..='\u{0669}').contains(&c)
        || ('\u{06F0}'..='\u{06F9}').contains(&c)
}

/// The key char at key offset `k` comes from original offset `o`: a new run in `runs`
/// unless the last one leads there. Shared by the builder and by [`joined_lines`], so a
/// joined key's runs are the ones the builder would have made.
#[inline(always)]
fn step_to(runs: &mut Vec<(u32, u32)>, k: usize, o: usize) {
    let steps = runs
        .last()
        .is_some_and(|&(rk, ro)| ro as usize + (k - (rk as usize).min(k)) == o);
    if !steps {
        runs.push((offset(k), offset(o)));
    }
}

fn offset(x: usize) -> u32 {
    u32::try_from(x).unwrap_or(u32::MAX)
}

/// The original span of one unit: a char, an NFC cluster, or a presentation form.
#[derive(Clone, Copy)]
struct Span {
    start: usize,
    end: usize,
}

const NO_UNIT: usize = usize::MAX;

struct Builder<'t> {
    text: &'t str,
    key: String,
    runs: Vec<(u32, u32)>,
    #[cfg(test)]
    dense: Vec<u32>,
    gaps: Vec<(u32, u32)>,
    /// Start of the unit that produced the last key char (`NO_UNIT` before any).
    unit: usize,
    /// End of the original covered by the output so far: the last unit's end, extended over
    /// deleted diacritics and tatweel directly after it.
    covered: usize,
    /// The last key char is a space (for collapsing runs across deleted chars).
    space: bool,
}

impl<'t> Builder<'t> {
    fn new(text: &'t str) -> Self {
        Builder {
            text,
            key: String::with_capacity(text.len()),
            runs: Vec::new(),
            #[cfg(test)]
            dense: Vec::new(),
            gaps: Vec::new(),
            unit: NO_UNIT,
            covered: 0,
            space: false,
        }
    }

    #[inline(always)]
    fn push(&mut self, c: char, u: Span) {
        self.enter(u);
        self.at(u.start);
        #[cfg(test)]
        self.dense
            .extend(std::iter::repeat_n(offset(u.start), c.len_utf8()));
        self.key.push(c);
        self.space = c == ' ';
    }

    /// A run of chars copied as they are, each a unit of its own: `text[start..end]`,
    /// whose last char starts at `last`. The same as pushing them one by one.
    #[inline(always)]
    fn copy(&mut self, start: usize, last: usize, end: usize) {
        self.enter(Span { start, end });
        self.unit = last;
        self.at(start);
        let run = self.text.get(start..end).unwrap_or("");
        #[cfg(test)]
        for (i, c) in run.char_indices() {
            self.dense
                .extend(std::iter::repeat_n(offset(start + i), c.len_utf8()));
        }
        self.key.push_str(run);
        self.space = run.ends_with(' ');
    }

    /// Start unit `u`, noting a gap when original text was skipped since the last unit.
    #[inline(always)]
    fn enter(&mut self, u: Span) {
        if u.start != self.unit {
            if self.covered < u.start && !self.key.is_empty() {
                self.gaps
                    .push((offset(self.key.len()), offset(self.covered)));
            }
            self.unit = u.start;
            self.covered = u.end;
        }
    }

    /// The next key char comes from original offset `o` (see [`step_to`]).
    #[inline(always)]
    fn at(&mut self, o: usize) {
        step_to(&mut self.runs, self.key.len(), o);
    }

    /// A deleted mark or tatweel right after a kept char belongs to that char's original span.
    fn absorb(&mut self, u: Span) {
        if self.unit != NO_UNIT && u.start == self.covered {
            self.covered = u.end;
        }
    }

    /// Step 4, then the per-char folds.
    fn emit(&mut self, c: char, u: Span) {
        match c {
            // NFKC alone spells it with a Persian ی; step 8 would fold that too, but say it.
            '\u{FDFC}' => {
                for d in "ريال".chars() {
                    self.fold(d, u);
                }
            }
            // U+FEFF (BOM) is a format control, handled by `fold`.
            '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFE}' => {
                // NFKC output is NFKC-stable, so `fold` never meets a presentation form it
                // would have to expand again (unassigned code points come back unchanged).
                for d in std::iter::once(c).nfkc() {
                    self.fold(d, u);
                }
            }
            _ => self.fold(c, u),
        }
    }

    /// Steps 2, 3, 5–8 for one char.
    #[inline]
    fn fold(&mut self, c: char, u: Span) {
        let out = match c {
            ' ' | '\t' | '\u{00A0}' | '\u{202F}' | '\u{2000}'..='\u{200A}' | '\u{3000}' => {
                if !self.space {
                    self.push(' ', u);
                }
                return;
            }
            '\r' => {
                // A CR only ever comes from the original, at the start of its unit; look at the
                // very next byte, not past a cluster's marks (a CR that vanished there would
                // leave marks on both sides adjacent).
                if self.text.as_bytes().get(u.start + 1) == Some(&b'\n') {
                    return;
                }
                '\n'
            }
            '\u{200B}'..='\u{200F}'
            | '\u{061C}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
            | '\u{00AD}' => return,
            '\u{0660}'..='\u{0669}' => ascii_digit(c as u32 - 0x0660),
            '\u{06F0}'..='\u{06F9}' => ascii_digit(c as u32 - 0x06F0),
            '\u{066B}' => {
                if self.between_digits(u.start, c) {
                    '.'
                } else {
                    c
                }
            }
            '\u{066C}' => {
                if self.between_digits(u.start, c) {
                    return;
                }
                c
            }
            '\u{066A}' => '%',
            '\u{2212}' | '\u{2010}'..='\u{2015}' => '-',
            '\u{061F}' => '?',
            '\u{061B}' => ';',
            '\u{060C}' => ',',
            '\u{06D4}' => '.',
            '«' | '»' | '\u{201C}' | '\u{201D}' | '\u{201E}' => '"',
            '\u{0640}'
            | '\u{064B}'..='\u{065F}'
            | '\u{0670}'
            | '\u{0610}'..='\u{061A}'
            | '\u{06D6}'..='\u{06ED}' => {
                self.absorb(u);
                return;
            }
            'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
            'ى' | 'ی' => 'ي',
            'ة' | 'ہ' | 'ھ' | 'ە' | 'ۀ' => 'ه',
            'ک' | 'گ' => 'ك',
            'پ' => 'ب',
            'ڤ' => 'ف',
            'چ' => 'ج',
            _ => c,
        };
        self.push(out, u);
    }

    /// Whether the nearest kept chars of the original on both sides of `c` (an original char at
    /// `at`, the start of its unit) are digits. Looks right after `c` itself, not after its
    /// cluster, so that both NFC paths decide alike.
    fn between_digits(&self, at: usize, c: char) -> bool {
        let before = self
            .text
            .get(..at)
            .and_then(|s| s.chars().rev().find(|&c| !is_vanishing(c)));
        let after = self
            .text
            .get(at + c.len_utf8()..)
            .and_then(|s| s.chars().find(|&c| !is_vanishing(c)));
        matches!((before, after), (Some(a), Some(b)) if is_fold_digit(a) && is_fold_digit(b))
    }

    fn finish(mut self, by_char: bool) -> Normalized {
        if !self.key.is_empty() && self.covered < self.text.len() {
            self.gaps
                .push((offset(self.key.len()), offset(self.covered)));
        }
        #[cfg(test)]
        self.dense.push(offset(self.text.len()));
        Normalized {
            key: self.key,
            runs: self.runs,
            end: offset(self.text.len()),
            #[cfg(test)]
            dense: self.dense,
            gaps: self.gaps,
            by_char,
        }
    }
}

fn ascii_digit(d: u32) -> char {
    char::from_digit(d, 10).unwrap_or('0')
}

/// The fast path, for text already in NFC (the usual case): one unit per char, with the NFC
/// quick check of `is_nfc_quick` done in the same pass rather than a pass of its own. Returns
/// `None`, for the cluster path to take over, at a char the quick check does not pass (No or
/// Maybe), at kept combining marks out of canonical order, or when a deleted transparent char
/// sits before a combining mark (the key could then need reordering or composing).
/// Diacritics are left out of the order check: canonical ordering is a stable sort and they are
/// deleted, so it cannot change the key; the composing ones (U+0653–0655, Maybe) still bail.
fn run_nfc_text(text: &str) -> Option<Normalized> {
    let mut b = Builder::new(text);
    let mut after_transparent = false;
    // Combining class of the last kept char, for the canonical order check.
    let mut last_cc = 0u8;
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < text.len() {
        // The bulk of the text: a run of chars no step changes, copied at once.
        // A space after a char written one by one (a folded letter, say) starts a run.
        let (last, end) = copied_run(bytes, at, b.space);
        if end > at {
            after_transparent = false;
            last_cc = 0;
            b.copy(at, last, end);
            at = end;
            continue;
        }
        let Some(c) = text.get(at..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        let u = Span {
            start: at,
            end: at + c.len_utf8(),
        };
        at = u.end;
        if c.is_ascii() {
            // A space, tab or CR.
            after_transparent = false;
            last_cc = 0;
            b.fold(c, u);
            continue;
        }
        if is_diacritic(c) {
            if matches!(c, '\u{0653}'..='\u{0655}') {
                return None;
            }
            // Deleted diacritics keep the flag: they leave their neighbours adjacent too.
            after_transparent |= is_transparent(c);
        } else if is_transparent(c) {
            after_transparent = true;
        } else {
            // Latin-1 and the rest of the Arabic block are NFC-stable starters (unit-tested).
            let cc = if c < '\u{0300}' || ('\u{0600}'..='\u{06FF}').contains(&c) {
                0
            } else if matches!(is_nfc_quick(std::iter::once(c)), IsNormalized::Yes) {
                canonical_combining_class(c)
            } else {
                return None;
            };
            if cc != 0 && (after_transparent || last_cc > cc) {
                return None;
            }
            after_transparent = false;
            last_cc = cc;
        }
        b.emit(c, u);
    }
    Some(b.finish(true))
}

/// Chars that no step changes and that need no NFC check: ASCII other than space, tab and
/// CR, and most Arabic letters. The bulk of the text, copied without further tests (by
/// [`copied_run`], which reads bytes).
#[cfg(test)]
fn is_copied(c: char) -> bool {
    if c.is_ascii() {
        return !matches!(c, ' ' | '\t' | '\r');
    }
    is_plain_arabic(c as u32)
}

/// The Arabic letters no step changes (code points).
#[inline(always)]
const fn is_plain_arabic(c: u32) -> bool {
    matches!(
        c,
        0x0621 | 0x0624 | 0x0626..=0x0628 | 0x062A..=0x063A | 0x0641..=0x0648 | 0x064A
    )
}

/// [`is_plain_arabic`] of U+0600–U+067F (the chars whose UTF-8 is led by 0xD8 or 0xD9),
/// by their offset from U+0600: one load per letter in [`copied_run`].
const PLAIN_ARABIC: [bool; 128] = {
    let mut table = [false; 128];
    let mut i = 0;
    while i < 128 {
        table[i] = is_plain_arabic(0x0600 + i as u32);
        i += 1;
    }
    table
};

/// The run of text at byte `start` that normalisation copies as it is: chars that
/// [`is_copied`], and the single spaces between them (a space after a kept char is kept;
/// only a second one would be collapsed). `space_before` says whether the key so far ends
/// with a space: a space at `start` is then collapsed, not copied. Returns the start of
/// the run's last char and the run's end; the end is `start` when the char there is not
/// copied. Reads bytes: a plain Arabic letter is two bytes led by 0xD8 or 0xD9.
#[inline(always)]
fn copied_run(bytes: &[u8], start: usize, space_before: bool) -> (usize, usize) {
    let (mut at, mut last) = (start, start);
    while let Some(&b) = bytes.get(at) {
        let width = match b {
            b'\t' | b'\r' => break,
            b' ' if (at == start && space_before) || (at > start && bytes[at - 1] == b' ') => break,
            0..=0x7F => 1,
            0xD8 | 0xD9
                if bytes.get(at + 1).is_some_and(|&next| {
                    PLAIN_ARABIC[(usize::from(b & 0x01) << 6) | usize::from(next & 0x3F)]
                }) =>
            {
                2
            }
            _ => break,
        };
        last = at;
        at += width;
    }
    (last, at)
}

/// The general path: NFC per cluster (a starter, then combining marks, with transparent chars
/// between them taken in), all output of a cluster mapped to its start.
fn run_clusters(text: &str) -> Normalized {
    let mut b = Builder::new(text);
    let mut cluster = String::new();
    let mut scratch = String::new();
    let mut pos = 0;
    while let Some(c) = text.get(pos..).and_then(|s| s.chars().next()) {
        let base_end = pos + c.len_utf8();
        if is_transparent(c) {
            b.emit(
                c,
                Span {
                    start: pos,
                    end: base_end,
                },
            );
            pos = base_end;
            continue;
        }
        // The cluster ends at its last mark: transparent chars after it stay separate units, so
        // to_original can leave a trailing RLM out.
        let mut end = base_end;
        let mut scan = base_end;
        for d in text.get(base_end..).unwrap_or("").chars() {
            if is_nonstarter(d) {
                scan += d.len_utf8();
                end = scan;
            } else if is_transparent(d) {
                scan += d.len_utf8();
            } else {
                break;
            }
        }
        let u = Span { start: pos, end };
        if end == base_end {
            if c.is_ascii() || matches!(is_nfc_quick(std::iter::once(c)), IsNormalized::Yes) {
                b.emit(c, u);
            } else {
                // Singleton decompositions (e.g. U+2126 OHM → Ω).
                for d in std::iter::once(c).nfc() {
                    b.emit(d, u);
                }
            }
        } else {
            nfc_cluster(text.get(pos..end).unwrap_or(""), &mut cluster, &mut scratch);
            for d in cluster.chars() {
                b.emit(d, u);
            }
        }
        pos = end;
    }
    b.finish(false)
}

/// Combining marks, and the few ccc-0 chars whose decomposition starts with one (U+0F73):
/// both must join the preceding cluster, or NFC could leave marks out of canonical order.
fn is_nonstarter(c: char) -> bool {
    if canonical_combining_class(c) != 0 {
        return true;
    }
    if c < '\u{0300}' {
        return false;
    }
    let mut first = None;
    decompose_canonical(c, |d| {
        first.get_or_insert(d);
    });
    first.is_some_and(|d| canonical_combining_class(d) != 0)
}

/// NFC of one cluster without its transparent chars and diacritics, into `out`. Deleting a
/// diacritic can unblock a composition (e + U+0610 + U+0301), so NFC runs again until nothing
/// more is deleted; each round deletes at least one char, and the bound is a belt and braces.
fn nfc_cluster(cluster: &str, out: &mut String, scratch: &mut String) {
    scratch.clear();
    scratch.extend(cluster.chars().filter(|&c| !is_transparent(c)));
    for _ in 0..8 {
        let mut deleted = false;
        out.clear();
        out.extend(scratch.chars().nfc().filter(|&c| {
            let keep = !is_diacritic(c);
            deleted |= !keep;
            keep
        }));
        if !deleted {
            return;
        }
        std::mem::swap(out, scratch);
    }
    std::mem::swap(out, scratch);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    macro_rules! cases {
        ($f:ident: $($name:ident: $input:expr => $expected:expr;)*) => {
            $(
                #[test]
                fn $name() {
                    assert_eq!($f($input), $expected, "input {:?}", $input);
                }
            )*
        };
    }

    #[test]
    fn is_letter_is_is_alphabetic() {
        for c in (0..0x3_0000).filter_map(char::from_u32) {
            assert_eq!(is_letter(c), c.is_alphabetic(), "{c:?} U+{:04X}", c as u32);
        }
    }

    // Steps 1–8 on real examples.
    cases! { key:
        nfc_rebuilds_hamza_then_folds: "ا\u{0654}لف" => "الف";
        nfc_rebuilds_hamza_on_waw: "مسو\u{0654}ول" => "مسؤول";
        nfc_across_deleted_rlm: "e\u{200F}\u{0301}" => "é";
        format_controls_deleted: "\u{200F}1500\u{200F}" => "1500";
        all_format_controls: "\u{FEFF}\u{00AD}\u{061C}\u{200B}\u{200E}\u{202B}\u{202C}\u{2067}\u{2069}x" => "x";
        nbsp_and_tab_to_space: "قال\u{00A0}\u{00A0}إن\tالجيش" => "قال ان الجيش";
        thin_spaces: "a\u{202F}b\u{2009}c\u{3000}d" => "a b c d";
        space_run_across_deleted: "a \u{200F} \u{0640} b" => "a b";
        no_trim: " نعم \n" => " نعم \n";
        cr_to_lf: "a\rb" => "a\nb";
        crlf_to_one_lf: "a\r\nb" => "a\nb";
        lam_alef_ligature: "ﻻ" => "لا";
        ligature_in_word: "اﻷربعاء" => "الاربعاء";
        allah_ligature: "ﷲ" => "الله";
        rial_sign: "100 ﷼" => "100 ريال";
        vanishing_mark_ligature: "ب\u{FE71}ت" => "بت";
        ellipsis_kept: "قال… ثم" => "قال… ثم";
        percent: "٣٨٪" => "38%";
        thousands_separator: "١٬٥٠٠" => "1500";
        decimal_separator: "٣٫٥" => "3.5";
        persian_digits: "۱۵۰۰" => "1500";
        separator_not_between_digits: "أ٫ب ٬ج" => "ا٫ب ٬ج";
        separator_across_rlm: "٣\u{200F}٫٥" => "3.5";
        dashes: "١٠\u{2013}٢٠ \u{2212}٥" => "10-20 -5";
        arabic_punctuation: "لماذا؟ نعم؛ لا، ثم۔" => "لماذا? نعم; لا, ثم.";
        quotes: "«لن ننسحب» “x”„" => "\"لن ننسحب\" \"x\"\"";
        tatweel: "ألـــف" => "الف";
        shadda_and_final_ta: "مقيّدة" => "مقيده";
        all_diacritic_ranges: "ب\u{064B}\u{065F}\u{0670}\u{0610}\u{061A}\u{06D6}\u{06ED}" => "ب";
        persian_yeh: "فی النیجر" => "في النيجر";
        alef_forms: "أ إ آ ٱ" => "ا ا ا ا";
        letter_folds: "ى ة ک گ پ ڤ چ ہ ھ ە ۀ" => "ي ه ك ك ب ف ج ه ه ه ه";
        seated_hamza_kept: "رئيس مسؤول" => "رئيس مسؤول";
        name_with_hamza_alef: "إفكوروف" => "افكوروف";
        plain_name: "ساليفو" => "ساليفو";
        latin_case_kept: "AlJazeera.net" => "AlJazeera.net";
        empty: "" => "";
    }

    cases! { name_key:
        name_waw_hamza: "مسؤول" => "مسوول";
        name_yeh_hamza: "رئيس" => "رييس";
        name_lone_hamza: "علاء" => "علا";
        name_lone_hamza_word: "أ ء ب" => "ا ب";
        name_folds_first: "إيفكوروف" => "ايفكوروف";
    }

    fn skel(name: &str) -> String {
        skeleton(&name_key(name))
    }

    cases! { skel:
        skeleton_tiani: "تياني" => "تن";
        skeleton_tchiani: "تشياني" => "تن";
        skeleton_evkurov: "إفكوروف" => "فكرف";
        skeleton_evkurov_ya: "إيفكوروف" => "فكرف";
        skeleton_american: "أميركي" => "مرك";
        skeleton_american_2: "أمريكي" => "مرك";
        skeleton_tebboune: "تبون" => "تبن";
        skeleton_two_words: "عبد الرحمن" => "عبد لرحمن";
    }

    /// The original text that `needle`'s first occurrence in the key comes from.
    fn original_of(text: &str, needle: &str) -> String {
        let n = normalize(text);
        let at = n.key().find(needle).expect("needle in key");
        let r = n.to_original(at..at + needle.len());
        text[r].to_string()
    }

    #[test]
    fn offsets_word_with_diacritics_and_rlm() {
        let text = "\u{200F}قالَ الجنديُّ\u{200F} إنّ";
        assert_eq!(key(text), "قال الجندي ان");
        assert_eq!(original_of(text, "الجندي"), "الجنديُّ");
        assert_eq!(original_of(text, "قال"), "قالَ");
    }

    #[test]
    fn offsets_number_between_rlms() {
        let text = "قال \u{200F}١٬٥٠٠\u{200F} جندي";
        assert_eq!(original_of(text, "1500"), "١٬٥٠٠");
        assert_eq!(original_of(text, "جندي"), "جندي");
    }

    #[test]
    fn offsets_presentation_forms() {
        let text = "يوم اﻷربعاء ﻻ";
        assert_eq!(original_of(text, "الاربعاء"), "اﻷربعاء");
        // Half of a ligature maps to the whole ligature.
        let n = normalize(text);
        let at = n.key().rfind('ل').expect("lam");
        assert_eq!(&text[n.to_original(at..at + 2)], "ﻻ");
    }

    #[test]
    fn offsets_nfc_cluster_and_ends() {
        let text = "ا\u{0654}\u{064E}مين";
        let n = normalize(text);
        assert_eq!(n.key(), "امين");
        assert_eq!(&text[n.to_original(0..2)], "ا\u{0654}\u{064E}");
        assert_eq!(n.origin(n.key().len()), text.len());
        assert_eq!(n.origin(usize::MAX), text.len());
        let (from, to) = (5, 3);
        assert_eq!(n.to_original(from..to), n.origin(5)..n.origin(5));
    }

    #[test]
    fn offsets_collapsed_spaces() {
        let text = "a   b\u{200F}";
        let n = normalize(text);
        assert_eq!(n.key(), "a b");
        assert_eq!(&text[n.to_original(0..2)], "a ");
        assert_eq!(&text[n.to_original(2..3)], "b");
    }

    #[test]
    fn mark_ligature_list_is_exact() {
        for c in ('\u{FB50}'..='\u{FDFF}').chain('\u{FE70}'..='\u{FEFE}') {
            let vanishes = std::iter::once(c)
                .nfkc()
                .all(|d| d == TATWEEL || is_diacritic(d));
            assert_eq!(is_mark_ligature(c), vanishes, "{:04X}", c as u32);
        }
    }

    #[test]
    fn transparent_list_is_exact() {
        for c in (0..0x11_0000).filter_map(char::from_u32) {
            let expected = is_vanishing(c) && canonical_combining_class(c) == 0;
            assert_eq!(is_transparent(c), expected, "{:04X}", c as u32);
        }
    }

    #[test]
    fn fast_path_ranges_are_nfc_starters() {
        let fast =
            ('\u{0080}'..'\u{0300}').chain(('\u{0600}'..='\u{06FF}').filter(|&c| !is_diacritic(c)));
        for c in fast {
            assert_eq!(canonical_combining_class(c), 0, "{:04X}", c as u32);
            assert!(
                matches!(is_nfc_quick(std::iter::once(c)), IsNormalized::Yes),
                "{:04X}",
                c as u32
            );
        }
        for c in ('\u{0000}'..='\u{064A}').filter(|&c| is_copied(c)) {
            assert_eq!(key(&c.to_string()), c.to_string());
        }
        // The byte scanner copies exactly these chars (a space only when the key does not
        // end with one already).
        for c in '\u{0000}'..='\u{FFFF}' {
            let one = c.to_string();
            let copied = copied_run(one.as_bytes(), 0, true).1 > 0;
            assert_eq!(copied, is_copied(c), "U+{:04X}", c as u32);
            let copied = copied_run(one.as_bytes(), 0, false).1 > 0;
            assert_eq!(copied, is_copied(c) || c == ' ', "U+{:04X}", c as u32);
            let after = format!("a{c}");
            let copied = copied_run(after.as_bytes(), 0, true).1 == after.len();
            assert_eq!(
                copied,
                is_copied(c) || c == ' ',
                "after a: U+{:04X}",
                c as u32
            );
        }
    }

    #[test]
    fn fast_and_cluster_paths_agree() {
        for text in ["قال \u{200F}١٬٥٠٠ جندي، مقيّدة ﻻ…\r\n", "é x\u{0316} ﷺ", ""]
        {
            let fast = run_nfc_text(text).expect("NFC text");
            assert_eq!(fast.key(), run_clusters(text).key());
        }
    }

    #[test]
    fn line_keys_join_where_a_line_break_stops_every_step() {
        let cases = [
            "قال الجيش\nإن 1500 جندي\n\nوصلوا.",
            "\n\nسطر\n",
            // Deleted at a line's end, before the break: the gap is the break's.
            "جندي\u{200F}\nوصل",
            // Deleted or joined at a line's start: the whole text is normalised.
            "جندي\n\u{200F}وصل",
            "جندي\n\u{064E}وصل",
            "جندي\n\u{0640}\u{0640}",
            "e\n\u{0301}x",
            // ٫ between digits only on one line.
            "3\n٫5 و3٫5",
            "  \n\t x \n",
        ];
        for text in cases {
            let keys = text.split('\n').map(|l| Some(normalize(l))).collect();
            assert_eq!(joined_lines(text, keys), normalize(text), "{text:?}");
            let none = text.split('\n').map(|_| None).collect();
            assert_eq!(joined_lines(text, none), normalize(text), "{text:?}");
        }
        // A key given for a line of another length is not used.
        let text = "قال\nالجيش";
        let wrong = vec![Some(normalize("قالت")), Some(normalize("الجيش"))];
        assert_eq!(joined_lines(text, wrong), normalize(text));
    }

    #[test]
    fn word_chars() {
        assert!(is_word_char('ب') && is_word_char('x') && is_word_char('7'));
        assert!(!is_word_char(' ') && !is_word_char('.') && !is_word_char('"'));
    }

    fn interesting_char() -> impl Strategy<Value = char> {
        prop_oneof![
            any::<char>(),
            proptest::char::range('\u{0600}', '\u{06FF}'),
            proptest::char::range('\u{0600}', '\u{06FF}'),
            proptest::char::range('\u{FB50}', '\u{FDFF}'),
            proptest::char::range('\u{FE70}', '\u{FEFF}'),
            proptest::char::range('\u{0300}', '\u{036F}'),
            proptest::sample::select(vec![
                ' ', '\t', '\n', '\r', '1', '5', 'e', 'a', '.', '\u{00A0}', '\u{200B}', '\u{200F}',
                '\u{202B}', '\u{2067}', '\u{FEFF}', '\u{00AD}', '\u{0640}', '\u{0654}', '\u{066B}',
                '\u{066C}', '\u{0301}', '\u{0316}', '\u{0305}', '\u{FE71}', '\u{2013}', '…',
                '\u{0F73}', '\u{1100}', '\u{1161}', '\u{0315}', '\u{2126}',
            ]),
        ]
    }

    fn interesting_text() -> impl Strategy<Value = String> {
        proptest::collection::vec(interesting_char(), 0..48).prop_map(|v| v.into_iter().collect())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn origins_are_valid(text in interesting_text()) {
            let n = normalize(&text);
            let mut last = 0;
            for i in 0..=n.key().len() {
                let o = n.origin(i);
                prop_assert!(o <= text.len());
                prop_assert!(text.is_char_boundary(o));
                prop_assert!(o >= last);
                last = o;
            }
            prop_assert_eq!(n.origin(n.key().len()), text.len());
        }

        /// The runs give every key byte the origin that recording each byte's own would.
        #[test]
        fn runs_give_each_bytes_origin(text in interesting_text()) {
            for n in [normalize(&text), run_clusters(&text)] {
                for i in 0..n.dense.len() {
                    prop_assert_eq!(n.origin(i), n.dense[i] as usize, "key byte {}", i);
                }
                prop_assert_eq!(n.dense.len(), n.key().len() + 1);
            }
        }

        #[test]
        fn idempotent(text in interesting_text()) {
            let k = key(&text);
            prop_assert_eq!(key(&k), k);
        }

        #[test]
        fn to_original_is_valid(text in interesting_text(), a in 0usize..200, b in 0usize..200) {
            let n = normalize(&text);
            let r = n.to_original(a..b);
            prop_assert!(r.start <= r.end && r.end <= text.len());
            prop_assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
            if a < b && a < n.key().len() {
                prop_assert!(r.start < r.end);
            }
        }

        #[test]
        fn fast_path_agrees_with_clusters(text in interesting_text()) {
            if let Some(fast) = run_nfc_text(&text) {
                let slow = run_clusters(&text);
                prop_assert_eq!(fast.key(), slow.key());
                // Without combining marks every unit is one char on both paths, so the
                // runs copied at once must map as the cluster path's chars one by one.
                if !text.chars().any(is_nonstarter) {
                    prop_assert_eq!(&fast.dense, &slow.dense);
                    prop_assert_eq!(&fast.gaps, &slow.gaps);
                }
            }
        }

        /// Joining the keys of a text's lines gives the key of the whole text, whichever
        /// lines' keys are given.
        #[test]
        fn joined_line_keys_are_the_whole_texts(
            lines in proptest::collection::vec(interesting_text(), 0..6),
            given in proptest::collection::vec(any::<bool>(), 0..12),
        ) {
            let text = lines.join("\n");
            let keys = text
                .split('\n')
                .enumerate()
                .map(|(i, l)| given.get(i).copied().unwrap_or(true).then(|| normalize(l)))
                .collect();
            prop_assert_eq!(joined_lines(&text, keys), normalize(&text));
        }

        /// The same on lines of news text, where the keys are joined rather than the whole
        /// text normalised again: words, spaces, digits, and what vanishes or joins at
        /// either end of a line.
        #[test]
        fn joined_line_keys_of_news_lines_are_the_whole_texts(
            words in proptest::collection::vec(
                proptest::sample::select(vec![
                    "قال", "الجيش", "1500", " ", "  ", "\t", "\n", "\n", "\n\n", "أ", "ى", "ة",
                    "٣", "٫", "٬", "\u{200F}", "\u{00A0}", "\u{064E}", "\u{0640}", "\u{0301}",
                    "\u{FE70}", "\u{FEFB}", "abc", ".", "é",
                ]),
                0..32,
            )
        ) {
            let text: String = words.concat();
            let keys = text.split('\n').map(|l| Some(normalize(l))).collect();
            prop_assert_eq!(joined_lines(&text, keys), normalize(&text));
        }

        /// `lines` cuts where `split('\n')` does, an empty last line included.
        #[test]
        fn lines_are_those_of_split(text in "(\n|\r|a|ب| ){0,24}") {
            let by_split: Vec<&str> = text.split('\n').collect();
            let by_memchr: Vec<&str> = lines(&text).map(|r| &text[r]).collect();
            prop_assert_eq!(by_memchr, by_split);
        }

        /// Text made mostly of what is copied at once: words, single and double spaces,
        /// tabs, line breaks, digits, and now and then a char that is not copied.
        #[test]
        fn copied_runs_agree_with_clusters(
            words in proptest::collection::vec(
                proptest::sample::select(vec![
                    "قال", "الجيش", "1500", " ", "  ", "\t", "\n", "\r\n", "أ", "ى", "ة", "٣", "\u{200F}", "\u{00A0}", "abc", ".",
                ]),
                0..24,
            )
        ) {
            let text: String = words.concat();
            let fast = run_nfc_text(&text).expect("NFC text");
            let slow = run_clusters(&text);
            prop_assert_eq!(fast.key(), slow.key());
            prop_assert_eq!(&fast.dense, &slow.dense);
            prop_assert_eq!(&fast.gaps, &slow.gaps);
            for i in 0..=fast.key().len() {
                prop_assert_eq!(fast.origin(i), slow.origin(i));
            }
        }

        #[test]
        fn names_never_panic(text in interesting_text()) {
            let nk = name_key(&text);
            let _ = skeleton(&nk);
            let _ = skeleton(&text);
        }
    }

    /// A part maps a range of its key as a copy of the origins of its own key bytes (plus
    /// the one just past it) would: from the origin of its first byte to the origin of
    /// the byte after its last.
    #[test]
    fn a_part_maps_its_ranges_as_its_own_origins_would() {
        for text in [
            "\u{200F}قالَ الجنديُّ\u{200F} إنّ. وصل ١٬٥٠٠ جندي",
            "ﻻ ١٬٥٠٠ abc",
            "",
            "x",
        ] {
            let n = normalize(text);
            let len = n.key().len();
            let edges: Vec<usize> = (0..=len).filter(|&i| n.key().is_char_boundary(i)).collect();
            for &from in &edges {
                for &to in edges.iter().filter(|&&to| to >= from) {
                    let part = n.part(from..to);
                    assert_eq!(part.key(), &n.key()[from..to]);
                    // What a sentence used to keep: the origins of its own key bytes.
                    let own: Vec<usize> = (from..=to).map(|i| n.origin(i)).collect();
                    for a in edges
                        .iter()
                        .filter(|&&e| e >= from && e <= to)
                        .map(|e| e - from)
                    {
                        for b in edges
                            .iter()
                            .filter(|&&e| e >= from + a && e <= to)
                            .map(|e| e - from)
                        {
                            let end = if b == 0 { own[0] } else { own[b] };
                            assert_eq!(
                                part.original_span(a..b),
                                own[a]..end.max(own[a]),
                                "{text:?} part {from}..{to}, range {a}..{b}"
                            );
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod word_char_fast_path {
    /// The fast paths agree with the general Unicode lookup on the whole Arabic block.
    #[test]
    fn agrees_with_unicode() {
        for c in ('\0'..='\u{07FF}').chain('\u{FB50}'..='\u{FEFF}') {
            assert_eq!(
                super::is_word_char(c),
                c.is_alphanumeric(),
                "{c:?} U+{:04X}",
                c as u32
            );
        }
    }
}
