//! Number and ordinal value parsing (extraction stage, after normalisation).
//!
//! Input: the *match key* of a span, i.e. text already folded by the Arabic normaliser (ASCII digits only,
//! `٫` → `.`, `٬` between digits deleted, alef variants → ا, ى → ي, ة → ه, no diacritics or tatweel, single
//! spaces). Every Arabic word below is therefore written in its folded form (`ثلاثه`, `مئه`, `الاولي`).
//!
//! Output: [`parse`] turns a whole number expression into a [`Quantity`] (`"3.5 مليار"` → 3.5e9,
//! `"اربعه وعشرون"` → 24, `"مئات الالاف"` → 200 000 vague); [`ordinal`] turns a day ordinal into 1..=31.
//! [`fragment`] and [`ordinal_fragment`] give the matching regex fragments for rule patterns.
//!
//! Invariants:
//! - One grammar per parser, held as data (`G`): the regex fragment is *rendered* from it and the parser
//!   *runs* it, so the fragment's language and the parser's language are the same by construction (the
//!   tests and a property test generating strings from the fragment check it).
//! - The fragment uses non-capturing groups only, no `\b`, no look-around, and spells the space as `\x20` so
//!   it still works inside a user pattern compiled with `(?x)`. Alternatives are rendered longest first, so
//!   the leftmost-first engine prefers `ثلاثمائه` to `ثلاث`.
//! - Word edges and proclitics (`و`, `ب`, `ال`…) around a whole match are the caller's business; the grammar
//!   only knows the `و` that joins the parts of one number.
//! - Terms joined by و must descend strictly (`مليون و500 الف و20`); `10 و20` and `الف والفين` are two
//!   numbers (a range), never one sum. Vague plurals carry their floor and `vague: true`.
//! - One copy of the number fragment compiles to about 0.6 MiB of NFA: fine for a `Regex`, but a
//!   `RegexSet` over many rules that embed it may need a larger `size_limit` than the 10 MiB default.
//! - Nothing here panics, whatever the input; values that do not fit an `f64` are rejected.

use std::sync::OnceLock;

/// A parsed number expression.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quantity {
    pub value: f64,
    /// A vague plural (عشرات, مئات, آلاف, ملايين used alone): `value` is then its floor (20, 200, 2000, 2_000_000).
    pub vague: bool,
    /// `1.500`-style: a dot followed by exactly three digits with no scale word after it; read as 1500 but flagged.
    pub ambiguous: bool,
}

/// Parse a whole number expression (folded key text). None if `text` is not entirely a number expression.
///
/// Surrounding spaces are not part of an expression either: the caller passes the matched span.
pub fn parse(text: &str) -> Option<Quantity> {
    // Most figures in the news are plain digits: read them without the grammar, which
    // tries every reading of a phrase of number words.
    if !text.is_empty() && text.len() <= 15 && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse::<u64>().ok().map(|v| Quantity {
            value: v as f64,
            vague: false,
            ambiguous: false,
        });
    }
    // The grammar tries every reading; the same phrases come back in article after
    // article, so each thread keeps what it has read.
    thread_local! {
        static READ: std::cell::RefCell<foldhash::HashMap<String, Option<Quantity>>> =
            Default::default();
    }
    if let Some(known) = READ.with(|read| read.borrow().get(text).copied()) {
        return known;
    }
    let read = parse_words(text);
    READ.with(|cache| {
        let mut cache = cache.borrow_mut();
        if cache.len() >= 50_000 {
            cache.clear();
        }
        cache.insert(text.to_string(), read);
    });
    read
}

/// [`parse`] through the grammar.
fn parse_words(text: &str) -> Option<Quantity> {
    let sem = full_parse(number_grammar(), text)?;
    // A bare `1.500` is read with the dot as a thousands separator (the usual Arabic news reading) but
    // flagged, because Recognizers-Text and others read it as 1.5.
    let (value, ambiguous) = match sem.dot3 {
        Some(thousands) => (thousands, true),
        None => (sem.value, false),
    };
    value.is_finite().then_some(Quantity {
        value,
        vague: sem.vague,
        ambiguous,
    })
}

/// A regex fragment (for the `regex` crate, non-capturing groups only, no `\b`, no look-around) matching the
/// number expressions `parse` accepts, longest forms first, written on folded text. It will be embedded as
/// `(?<number>FRAGMENT)` in user patterns, so it contains no named groups.
pub fn fragment() -> String {
    static FRAGMENT: OnceLock<String> = OnceLock::new();
    FRAGMENT.get_or_init(|| render(number_grammar())).clone()
}

/// The value of a lone scale word read as the nominative dual in construct state (`الفا` → 2000), for a
/// caller that sees the counted noun right after it (ألفا جندي). None for anything else: `عشرون الفا` is
/// twenty thousand, and the accusative ألفًا stays one thousand before من or at the end of a phrase.
pub fn construct_dual(text: &str) -> Option<f64> {
    CONSTRUCT_DUALS
        .iter()
        .find(|(w, _)| *w == text)
        .map(|(_, v)| *v)
}

/// Ordinal day words (folded) → 1..=31: الاول/الاولي, الثاني/الثانيه, … العاشر, الحادي عشر, الثاني عشر …
/// التاسع عشر, العشرين, الحادي والعشرين … الثلاثين, الحادي والثلاثين; with or without the leading ال.
pub fn ordinal(text: &str) -> Option<u32> {
    let sem = full_parse(ordinal_grammar(), text)?;
    // The grammar only builds 1..=31; the range check keeps that promise explicit.
    let v = sem.value;
    (v.fract() == 0.0 && (1.0..=31.0).contains(&v)).then_some(v as u32)
}

/// The regex fragment matching exactly what [`ordinal`] accepts (same rules as [`fragment`]).
pub fn ordinal_fragment() -> String {
    static FRAGMENT: OnceLock<String> = OnceLock::new();
    FRAGMENT.get_or_init(|| render(ordinal_grammar())).clone()
}

// ---------------------------------------------------------------------------------------------------------
// Word tables (folded forms). A table's second element is the word's value.

type Table = &'static [(&'static str, f64)];

/// 1..=9, alone, before `و` + tens (`اربعه وعشرون`) or before عشر/عشره (13..=19).
const UNITS_1_9: Table = &[
    ("واحد", 1.0),
    ("واحده", 1.0),
    ("اثنان", 2.0),
    ("اثنين", 2.0),
    ("اثنتان", 2.0),
    ("اثنتين", 2.0),
    ("ثلاث", 3.0),
    ("ثلاثه", 3.0),
    ("اربع", 4.0),
    ("اربعه", 4.0),
    ("خمس", 5.0),
    ("خمسه", 5.0),
    ("ست", 6.0),
    ("سته", 6.0),
    ("سبع", 7.0),
    ("سبعه", 7.0),
    ("ثمان", 8.0),
    ("ثماني", 8.0),
    ("ثمانيه", 8.0),
    ("تسع", 9.0),
    ("تسعه", 9.0),
];

/// Heads of 11 and 12 that never stand alone (احد/احدي, the construct اثنا/اثني); 13..=19 use `UNITS_1_9`.
const TEEN_ONLY_HEADS: Table = &[
    ("احد", 1.0),
    ("احدي", 1.0),
    ("اثنا", 2.0),
    ("اثني", 2.0),
    ("اثنتا", 2.0),
    ("اثنتي", 2.0),
];

const TEN: Table = &[("عشر", 10.0), ("عشره", 10.0)];

/// Nominative (ون) and oblique (ين) tens.
const TENS: Table = &[
    ("عشرون", 20.0),
    ("عشرين", 20.0),
    ("ثلاثون", 30.0),
    ("ثلاثين", 30.0),
    ("اربعون", 40.0),
    ("اربعين", 40.0),
    ("خمسون", 50.0),
    ("خمسين", 50.0),
    ("ستون", 60.0),
    ("ستين", 60.0),
    ("سبعون", 70.0),
    ("سبعين", 70.0),
    ("ثمانون", 80.0),
    ("ثمانين", 80.0),
    ("تسعون", 90.0),
    ("تسعين", 90.0),
];

/// Stems of 300..=900, written joined (ثلاثمئه) or apart (ثلاث مئه).
const HUNDRED_STEMS: Table = &[
    ("ثلاث", 3.0),
    ("اربع", 4.0),
    ("خمس", 5.0),
    ("ست", 6.0),
    ("سبع", 7.0),
    ("ثمان", 8.0),
    ("ثماني", 8.0),
    ("تسع", 9.0),
];

/// مئة and مائة (both spellings are current), plus the colloquial ميه/مايه.
const HUNDRED: Table = &[
    ("مئه", 100.0),
    ("مائه", 100.0),
    ("ميه", 100.0),
    ("مايه", 100.0),
];

/// Duals of 100, nominative, oblique and construct (مئتا الف = 200 000).
const TWO_HUNDRED: Table = &[
    ("مئتان", 200.0),
    ("مئتين", 200.0),
    ("مائتان", 200.0),
    ("مائتين", 200.0),
    ("مئتا", 200.0),
    ("مئتي", 200.0),
    ("مائتا", 200.0),
    ("مائتي", 200.0),
    ("ميتين", 200.0),
];

/// نصف as a multiplier (نصف مليون) and after a scale (مليون ونصف).
const HALF: Table = &[("نصف", 0.5)];

/// Scale words after a multiplier: singular, accusative (الفا after 11..99) and plural (after 3..10) all
/// multiply, as Duckling's multiply rule does.
const SCALE_THOUSAND: Table = &[("الف", 1e3), ("الفا", 1e3), ("الاف", 1e3), ("الوف", 1e3)];
const SCALE_MILLION: Table = &[("مليون", 1e6), ("مليونا", 1e6), ("ملايين", 1e6)];
const SCALE_BILLION: Table = &[
    ("مليار", 1e9),
    ("مليارا", 1e9),
    ("مليارات", 1e9),
    ("بليون", 1e9),
    ("بليونا", 1e9),
    ("بلايين", 1e9),
];
const SCALE_TRILLION: Table = &[("تريليون", 1e12), ("تريليونا", 1e12), ("تريليونات", 1e12)];

/// Scale words standing alone: singular = 1×, dual = 2×, the oblique dual in construct state too (قرابة
/// ألفي جندي, ملياري دولار). Plurals alone are vague (see `VAGUE_HEADS`). The accusative الفا is 1× here:
/// only its context tells it from the nominative construct dual (see [`construct_dual`]).
const ALONE_THOUSAND: Table = &[
    ("الف", 1e3),
    ("الفا", 1e3),
    ("الفان", 2e3),
    ("الفين", 2e3),
    ("الفي", 2e3),
];
const ALONE_MILLION: Table = &[
    ("مليون", 1e6),
    ("مليونا", 1e6),
    ("مليونان", 2e6),
    ("مليونين", 2e6),
    ("مليوني", 2e6),
];
const ALONE_BILLION: Table = &[
    ("مليار", 1e9),
    ("مليارا", 1e9),
    ("ملياران", 2e9),
    ("مليارين", 2e9),
    ("ملياري", 2e9),
    ("بليون", 1e9),
    ("بليونا", 1e9),
];

/// Lone scale words in ا that are also the nominative dual in construct state: ألفا جندي is two
/// thousand soldiers, where ألفًا (accusative) alone or before من is one thousand.
const CONSTRUCT_DUALS: Table = &[
    ("الفا", 2e3),
    ("مليونا", 2e6),
    ("مليارا", 2e9),
    ("بليونا", 2e9),
];
const ALONE_TRILLION: Table = &[("تريليون", 1e12), ("تريليونا", 1e12)];

/// Vague plurals with their floor: the smallest count the plural can mean (ARABIC.md §8 counts a plural from 2).
const VAGUE_HEADS: Table = &[
    ("عشرات", 20.0),
    ("مئات", 200.0),
    ("الاف", 2e3),
    ("الوف", 2e3),
    ("ملايين", 2e6),
    ("مليارات", 2e9),
];
/// The genitive plural after a vague head (مئات الالاف, عشرات الملايين): a plain multiplier.
const VAGUE_TAILS: Table = &[
    ("الاف", 1e3),
    ("الوف", 1e3),
    ("ملايين", 1e6),
    ("مليارات", 1e9),
];

// Ordinal tables (without ال; the grammar adds an optional ال in front).
const ORD_1_10: Table = &[
    ("اول", 1.0),
    ("اولي", 1.0),
    ("ثاني", 2.0),
    ("ثانيه", 2.0),
    ("ثالث", 3.0),
    ("ثالثه", 3.0),
    ("رابع", 4.0),
    ("رابعه", 4.0),
    ("خامس", 5.0),
    ("خامسه", 5.0),
    ("سادس", 6.0),
    ("سادسه", 6.0),
    ("سابع", 7.0),
    ("سابعه", 7.0),
    ("ثامن", 8.0),
    ("ثامنه", 8.0),
    ("تاسع", 9.0),
    ("تاسعه", 9.0),
    ("عاشر", 10.0),
    ("عاشره", 10.0),
];
/// Heads of 11..=19: حادي replaces اول in compounds.
const ORD_TEEN_HEADS: Table = &[
    ("حادي", 1.0),
    ("حاديه", 1.0),
    ("ثاني", 2.0),
    ("ثانيه", 2.0),
    ("ثالث", 3.0),
    ("ثالثه", 3.0),
    ("رابع", 4.0),
    ("رابعه", 4.0),
    ("خامس", 5.0),
    ("خامسه", 5.0),
    ("سادس", 6.0),
    ("سادسه", 6.0),
    ("سابع", 7.0),
    ("سابعه", 7.0),
    ("ثامن", 8.0),
    ("ثامنه", 8.0),
    ("تاسع", 9.0),
    ("تاسعه", 9.0),
];
/// Heads of 21..=29: as for the teens, plus الواحد (الواحد والعشرين is also current).
const ORD_TWENTIES_HEADS: Table = &[
    ("حادي", 1.0),
    ("حاديه", 1.0),
    ("واحد", 1.0),
    ("واحده", 1.0),
    ("ثاني", 2.0),
    ("ثانيه", 2.0),
    ("ثالث", 3.0),
    ("ثالثه", 3.0),
    ("رابع", 4.0),
    ("رابعه", 4.0),
    ("خامس", 5.0),
    ("خامسه", 5.0),
    ("سادس", 6.0),
    ("سادسه", 6.0),
    ("سابع", 7.0),
    ("سابعه", 7.0),
    ("ثامن", 8.0),
    ("ثامنه", 8.0),
    ("تاسع", 9.0),
    ("تاسعه", 9.0),
];
/// Only 31 exists past 30 in a month.
const ORD_THIRTIES_HEADS: Table = &[("حادي", 1.0), ("حاديه", 1.0), ("واحد", 1.0), ("واحده", 1.0)];
const ORD_TWENTY: Table = &[("عشرين", 20.0), ("عشرون", 20.0)];
const ORD_THIRTY: Table = &[("ثلاثين", 30.0), ("ثلاثون", 30.0)];
const ORD_TENS: Table = &[
    ("عشرين", 20.0),
    ("عشرون", 20.0),
    ("ثلاثين", 30.0),
    ("ثلاثون", 30.0),
];

// ---------------------------------------------------------------------------------------------------------
// The grammar: one tree, rendered as a regex and run as a list-of-successes parser.

/// The meaning carried up the tree while parsing.
#[derive(Debug, Clone, Copy)]
struct Sem {
    /// The value, reading any dot as a decimal point.
    value: f64,
    /// The magnitude of the scale word this piece ends with (1 when none): what a trailing ونصف halves.
    scale: f64,
    /// For a bare `1.500`: the thousands reading. Dropped as soon as the digits combine with anything else.
    dot3: Option<f64>,
    vague: bool,
    /// False for literals and absent optional parts, which combining functions skip.
    present: bool,
}

impl Sem {
    const ABSENT: Sem = Sem {
        value: 0.0,
        scale: 1.0,
        dot3: None,
        vague: false,
        present: false,
    };

    fn number(value: f64, scale: f64) -> Sem {
        Sem {
            value,
            scale,
            ..Sem::ABSENT
        }
        .mark()
    }

    fn mark(mut self) -> Sem {
        self.present = true;
        self
    }
}

type Combine = fn(&[Sem]) -> Option<Sem>;

#[derive(Clone)]
enum G {
    /// One of the table's words; every word gets the table-wide scale.
    Words(Table, f64),
    /// An ASCII digit numeral (`1500`, `1,500`, `1.500.000`, `3.5`).
    Digits,
    /// Fixed text with no value (a space, the joining و, the article ال).
    Lit(&'static str),
    Seq(Vec<G>, Combine),
    /// Alternatives, highest regex priority first.
    Alt(Vec<G>),
    Opt(Box<G>),
}

fn words(table: Table) -> G {
    G::Words(table, 1.0)
}
fn scaled(table: Table, scale: f64) -> G {
    G::Words(table, scale)
}
fn lit(s: &'static str) -> G {
    G::Lit(s)
}
fn seq(parts: Vec<G>, combine: Combine) -> G {
    G::Seq(parts, combine)
}
fn alt(options: Vec<G>) -> G {
    G::Alt(options)
}
fn opt(g: G) -> G {
    G::Opt(Box::new(g))
}

/// The joining و: attached to the next word or spaced (`اربعه وعشرون`, `اربعه و عشرون`), always after a space.
fn joiner() -> G {
    seq(vec![lit(" و"), opt(lit(" "))], sum)
}

/// `J X`, valued as X.
fn joined(g: G) -> G {
    seq(vec![joiner(), g], sum)
}

fn sum(parts: &[Sem]) -> Option<Sem> {
    let present = parts.iter().filter(|p| p.present);
    let mut out = Sem::number(0.0, 1.0);
    for p in present {
        out.value += p.value;
        out.scale = out.scale.max(p.scale);
    }
    Some(out)
}

fn product(parts: &[Sem]) -> Option<Sem> {
    let mut out = Sem::number(1.0, 1.0);
    for p in parts.iter().filter(|p| p.present) {
        out.value *= p.value;
        out.scale = out.scale.max(p.scale);
    }
    Some(out)
}

/// A single present part passes through untouched (keeps `dot3`): used where a part may be only digits.
fn pass(parts: &[Sem]) -> Option<Sem> {
    let mut present = parts.iter().filter(|p| p.present);
    match (present.next(), present.next()) {
        (Some(only), None) => Some(*only),
        _ => sum(parts),
    }
}

/// `<scaled term> (و نصف)?`: the half is half of the term's scale word (ثلاثه ملايين ونصف = 3.5e6).
fn term_with_half(parts: &[Sem]) -> Option<Sem> {
    let term = parts.first()?;
    let half = parts.get(1).filter(|h| h.present).map_or(0.0, |h| h.value);
    Some(Sem::number(term.value + half * term.scale, term.scale))
}

fn vague_product(parts: &[Sem]) -> Option<Sem> {
    let mut out = product(parts)?;
    out.vague = true;
    Some(out)
}

/// 1..=99 in words. Tens come first because a unit can be a prefix of a ten (ست/ستون); a unit then takes
/// its longest continuation. The unit table appears once: the fragment is embedded in many user patterns,
/// and its compiled size adds up in a `RegexSet`.
fn below_hundred() -> G {
    alt(vec![
        words(TENS),
        seq(
            vec![
                words(UNITS_1_9),
                opt(alt(vec![
                    joined(words(TENS)),
                    seq(vec![lit(" "), words(TEN)], sum),
                ])),
            ],
            sum,
        ),
        seq(vec![words(TEEN_ONLY_HEADS), lit(" "), words(TEN)], sum),
        words(TEN),
    ])
}

fn hundreds() -> G {
    alt(vec![
        seq(
            vec![words(HUNDRED_STEMS), opt(lit(" ")), words(HUNDRED)],
            product,
        ),
        words(TWO_HUNDRED),
        words(HUNDRED),
    ])
}

/// 1..=999 in words.
fn small() -> G {
    alt(vec![
        seq(vec![hundreds(), opt(joined(below_hundred()))], sum),
        below_hundred(),
    ])
}

/// A number without a scale word: digits or 1..=999 in words.
fn plain() -> G {
    alt(vec![G::Digits, small()])
}

/// `<multiplier> <scale>` or a scale word alone, optionally followed by ونصف.
fn term(scale: Table, alone: Table, magnitude: f64) -> G {
    let multiplier = alt(vec![
        // A proclitic-free digit run may touch the scale word (100مليون) or be spaced from it.
        seq(vec![G::Digits, opt(lit(" "))], pass),
        seq(vec![alt(vec![small(), words(HALF)]), lit(" ")], pass),
    ]);
    seq(
        vec![
            alt(vec![
                seq(vec![multiplier, scaled(scale, magnitude)], product),
                scaled(alone, magnitude),
            ]),
            opt(joined(words(HALF))),
        ],
        term_with_half,
    )
}

fn number_grammar() -> &'static G {
    static GRAMMAR: OnceLock<G> = OnceLock::new();
    GRAMMAR.get_or_init(|| {
        let trillions = || term(SCALE_TRILLION, ALONE_TRILLION, 1e12);
        let billions = || term(SCALE_BILLION, ALONE_BILLION, 1e9);
        let millions = || term(SCALE_MILLION, ALONE_MILLION, 1e6);
        let thousands = || term(SCALE_THOUSAND, ALONE_THOUSAND, 1e3);
        // Terms joined by و must descend strictly (مليون و500 الف و20): nesting the levels gives every
        // descending subsequence without letting `10 و20` (a range, not a sum) read as one number.
        let down_to_billions = alt(vec![
            seq(vec![trillions(), opt(joined(billions()))], sum),
            billions(),
        ]);
        let down_to_millions = alt(vec![
            seq(vec![down_to_billions, opt(joined(millions()))], sum),
            millions(),
        ]);
        let down_to_thousands = alt(vec![
            seq(vec![down_to_millions, opt(joined(thousands()))], sum),
            thousands(),
        ]);
        let vague = seq(
            vec![
                words(VAGUE_HEADS),
                opt(seq(
                    vec![lit(" "), opt(lit("ال")), words(VAGUE_TAILS)],
                    product,
                )),
            ],
            vague_product,
        );
        alt(vec![
            vague,
            seq(vec![down_to_thousands, opt(joined(plain()))], sum),
            seq(vec![plain()], pass),
        ])
    })
}

fn ordinal_grammar() -> &'static G {
    static GRAMMAR: OnceLock<G> = OnceLock::new();
    GRAMMAR.get_or_init(|| {
        let the = || opt(lit("ال"));
        alt(vec![
            seq(
                vec![
                    the(),
                    words(ORD_TWENTIES_HEADS),
                    joiner(),
                    the(),
                    words(ORD_TWENTY),
                ],
                sum,
            ),
            seq(
                vec![
                    the(),
                    words(ORD_THIRTIES_HEADS),
                    joiner(),
                    the(),
                    words(ORD_THIRTY),
                ],
                sum,
            ),
            seq(
                vec![the(), words(ORD_TEEN_HEADS), lit(" "), words(TEN)],
                sum,
            ),
            seq(vec![the(), words(ORD_TENS)], sum),
            seq(vec![the(), words(ORD_1_10)], sum),
        ])
    })
}

// ---------------------------------------------------------------------------------------------------------
// Rendering.

fn render(g: &G) -> String {
    let mut out = String::new();
    render_into(g, &mut out);
    out
}

fn render_into(g: &G, out: &mut String) {
    match g {
        G::Words(table, _) => {
            let mut ws: Vec<&str> = table.iter().map(|(w, _)| *w).collect();
            // Longest first: the regex engine takes the first alternative that leads to a match.
            ws.sort_by(|a, b| b.chars().count().cmp(&a.chars().count()).then(a.cmp(b)));
            ws.dedup();
            out.push_str("(?:");
            for (i, w) in ws.iter().enumerate() {
                if i > 0 {
                    out.push('|');
                }
                push_escaped(w, out);
            }
            out.push(')');
        }
        G::Digits => out.push_str(DIGITS_PATTERN),
        G::Lit(s) => push_escaped(s, out),
        G::Seq(parts, _) => parts.iter().for_each(|p| render_into(p, out)),
        G::Alt(options) => {
            out.push_str("(?:");
            for (i, o) in options.iter().enumerate() {
                if i > 0 {
                    out.push('|');
                }
                render_into(o, out);
            }
            out.push(')');
        }
        G::Opt(inner) => {
            out.push_str("(?:");
            render_into(inner, out);
            out.push_str(")?");
        }
    }
}

/// Comma groups, then dot groups (1.500.000), then a plain or decimal numeral: longest readings first.
const DIGITS_PATTERN: &str =
    r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,3}(?:\.[0-9]{3}){2,}|[0-9]+(?:\.[0-9]+)?)";

fn push_escaped(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            // A literal space would vanish under a user's `(?x)` flag.
            ' ' => out.push_str(r"\x20"),
            c if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
}

// ---------------------------------------------------------------------------------------------------------
// Running: every way `g` can match at `pos`, in regex priority order, as (end, meaning).

fn full_parse(g: &G, text: &str) -> Option<Sem> {
    let mut results = Vec::new();
    run(g, text, 0, &mut results);
    results
        .into_iter()
        .find(|(end, _)| *end == text.len())
        .map(|(_, sem)| sem)
}

fn run(g: &G, s: &str, pos: usize, out: &mut Vec<(usize, Sem)>) {
    let rest = s.get(pos..).unwrap_or("");
    match g {
        G::Words(table, scale) => {
            for (w, v) in table.iter() {
                if rest.starts_with(w) {
                    out.push((pos + w.len(), Sem::number(*v, *scale)));
                }
            }
        }
        G::Digits => digits(rest, pos, out),
        G::Lit(l) => {
            if rest.starts_with(l) {
                out.push((pos + l.len(), Sem::ABSENT));
            }
        }
        G::Seq(parts, combine) => {
            let mut states: Vec<(usize, Vec<Sem>)> = vec![(pos, Vec::new())];
            for part in parts {
                let mut next = Vec::new();
                for (p, sems) in &states {
                    let mut ends = Vec::new();
                    run(part, s, *p, &mut ends);
                    for (e, sem) in ends {
                        let mut sems = sems.clone();
                        sems.push(sem);
                        next.push((e, sems));
                    }
                }
                states = next;
                if states.is_empty() {
                    return;
                }
            }
            for (e, sems) in states {
                if let Some(sem) = combine(&sems) {
                    out.push((e, sem));
                }
            }
        }
        G::Alt(options) => options.iter().for_each(|o| run(o, s, pos, out)),
        G::Opt(inner) => {
            run(inner, s, pos, out);
            out.push((pos, Sem::ABSENT));
        }
    }
}

/// The ends of `DIGITS_PATTERN` at the start of `rest`. Only ends not followed by `[0-9.,]` are produced:
/// nothing in either grammar can continue with those characters, so the other ends could never lead to a
/// full parse, and skipping them keeps the work linear on long digit runs.
fn digits(rest: &str, pos: usize, out: &mut Vec<(usize, Sem)>) {
    let b = rest.as_bytes();
    let run_len = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if run_len == 0 {
        return;
    }
    let at = |i: usize| b.get(i).copied();
    let is_digit = |i: usize| at(i).is_some_and(|c| c.is_ascii_digit());
    let ends_clean = |i: usize| !matches!(at(i), Some(b'0'..=b'9' | b'.' | b','));
    let mut push = |end: usize, value: Option<f64>, dot3: Option<f64>| {
        if let Some(value) = value.filter(|v| v.is_finite()) {
            let sem = Sem {
                dot3,
                ..Sem::number(value, 1.0)
            };
            out.push((pos + end, sem));
        }
    };
    let int_part = &rest[..run_len];

    // Comma thousands groups: 1,500 / 1,500,000.
    if run_len <= 3 {
        let mut i = run_len;
        while at(i) == Some(b',') && (1..=3).all(|k| is_digit(i + k)) && !is_digit(i + 4) {
            i += 4;
            if ends_clean(i) {
                push(i, numeral(&rest[..i], ','), None);
            }
        }
    }
    // Dot thousands groups, at least two (one group is the ambiguous decimal case below).
    if run_len <= 3 {
        let mut i = run_len;
        let mut groups = 0;
        while at(i) == Some(b'.') && (1..=3).all(|k| is_digit(i + k)) && !is_digit(i + 4) {
            i += 4;
            groups += 1;
            if groups >= 2 && ends_clean(i) {
                push(i, numeral(&rest[..i], '.'), None);
            }
        }
    }
    // Plain integer.
    if ends_clean(run_len) {
        push(run_len, int_part.parse::<f64>().ok(), None);
    }
    // Decimal: 3.5, 1.500.
    if at(run_len) == Some(b'.') {
        let frac_len = b[run_len + 1..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        let end = run_len + 1 + frac_len;
        if frac_len > 0 && ends_clean(end) {
            // `1.500`: one to three integer digits without a leading zero and exactly three after the dot
            // is how Arabic news writes thousands; `0.500` or `1234.500` can only be decimals.
            let dot3 = (frac_len == 3 && run_len <= 3 && !int_part.starts_with('0'))
                .then(|| numeral(&rest[..end], '.'))
                .flatten();
            push(end, rest[..end].parse::<f64>().ok(), dot3);
        }
    }
}

/// The integer written with `sep` as thousands separator.
fn numeral(text: &str, sep: char) -> Option<f64> {
    text.chars()
        .filter(|c| *c != sep)
        .collect::<String>()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use regex::Regex;
    use std::sync::LazyLock;

    /// The fragments anchored at both ends, compiled once (the property tests call them thousands of times).
    fn full(fragment: &str) -> &'static Regex {
        static NUMBER: LazyLock<Regex> = LazyLock::new(|| anchored(&super::fragment()));
        static ORDINAL: LazyLock<Regex> = LazyLock::new(|| anchored(&super::ordinal_fragment()));
        if fragment == super::ordinal_fragment() {
            &ORDINAL
        } else {
            &NUMBER
        }
    }

    fn unanchored(fragment: &str) -> &'static Regex {
        static NUMBER: LazyLock<Regex> = LazyLock::new(|| Regex::new(&super::fragment()).unwrap());
        static ORDINAL: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(&super::ordinal_fragment()).unwrap());
        if fragment == super::ordinal_fragment() {
            &ORDINAL
        } else {
            &NUMBER
        }
    }

    fn anchored(fragment: &str) -> Regex {
        Regex::new(&format!("^(?:{fragment})$")).expect("fragment compiles")
    }

    macro_rules! number_cases {
        ($($name:ident: $text:expr => $value:expr $(, $flag:ident)*;)*) => {$(
            #[test]
            fn $name() {
                #[allow(unused_mut)]
                let mut expected = Quantity { value: $value, vague: false, ambiguous: false };
                $(expected.$flag = true;)*
                assert_eq!(parse($text), Some(expected), "parse({:?})", $text);
                assert!(full(&fragment()).is_match($text), "fragment misses {:?}", $text);
                // Longest forms first: an unanchored search takes the whole expression, not a prefix.
                let found = unanchored(&fragment()).find($text).map(|m| m.as_str());
                assert_eq!(found, Some($text), "unanchored match");
            }
        )*};
    }

    number_cases! {
        digits: "1500" => 1500.0;
        comma_groups: "1,500" => 1500.0;
        comma_groups_millions: "1,500,000" => 1_500_000.0;
        dot_groups_millions: "1.500.000" => 1_500_000.0;
        decimal: "3.5" => 3.5;
        dot_three_is_ambiguous: "1.500" => 1500.0, ambiguous;
        dot_three_after_zero_is_decimal: "0.500" => 0.5;
        long_integer_dot_three_is_decimal: "1234.500" => 1234.5;
        decimal_billion: "3.5 مليار" => 3.5e9;
        decimal_billion_1_5: "1.5 مليار" => 1.5e9;
        dot_three_with_scale_is_decimal: "1.500 مليون" => 1.5e6;
        hundred_million: "100 مليون" => 1e8;
        digits_touching_scale: "100مليون" => 1e8;
        ten_thousands: "10 الاف" => 1e4;
        three_millions: "3 ملايين" => 3e6;
        three_thousands_digits: "3 الاف" => 3e3;
        wahid: "واحد" => 1.0;
        wahida: "واحده" => 1.0;
        ithnan: "اثنان" => 2.0;
        thalath: "ثلاث" => 3.0;
        thalatha: "ثلاثه" => 3.0;
        thaman: "ثمان" => 8.0;
        thamani: "ثماني" => 8.0;
        thamaniya: "ثمانيه" => 8.0;
        ashr: "عشر" => 10.0;
        ashra: "عشره" => 10.0;
        eleven: "احد عشر" => 11.0;
        eleven_fem: "احدي عشره" => 11.0;
        twelve_nom: "اثنا عشر" => 12.0;
        twelve_obl: "اثني عشر" => 12.0;
        thirteen: "ثلاثه عشر" => 13.0;
        eighteen: "ثماني عشره" => 18.0;
        twenty_nom: "عشرون" => 20.0;
        twenty_obl: "عشرين" => 20.0;
        ninety: "تسعين" => 90.0;
        twenty_four: "اربعه وعشرون" => 24.0;
        twenty_four_spaced: "اربعه و عشرون" => 24.0;
        hundred: "مئه" => 100.0;
        hundred_alt: "مائه" => 100.0;
        hundred_colloquial: "ميه" => 100.0;
        hundred_colloquial_alef: "مايه" => 100.0;
        two_hundred: "مئتان" => 200.0;
        two_hundred_obl: "مئتين" => 200.0;
        two_hundred_alt: "مائتان" => 200.0;
        two_hundred_alt_obl: "مائتين" => 200.0;
        three_hundred_joined: "ثلاثمئه" => 300.0;
        three_hundred_alt: "ثلاثمائه" => 300.0;
        three_hundred_spaced: "ثلاث مئه" => 300.0;
        nine_hundred: "تسعمائه" => 900.0;
        five_fifty: "خمسمائه وخمسين" => 550.0;
        hundred_twenty_five: "مئه وخمسه وعشرون" => 125.0;
        alf: "الف" => 1e3;
        alf_accusative: "الفا" => 1e3;
        alfan: "الفان" => 2e3;
        alfayn: "الفين" => 2e3;
        alfay_construct: "الفي" => 2e3;
        millionay_construct: "مليوني" => 2e6;
        milyaray_construct: "ملياري" => 2e9;
        three_thousand: "ثلاثه الاف" => 3e3;
        three_thousand_masc: "ثلاث الاف" => 3e3;
        twenty_thousand: "عشرون الفا" => 2e4;
        hundred_thousand: "مئه الف" => 1e5;
        two_hundred_thousand: "مئتا الف" => 2e5;
        million: "مليون" => 1e6;
        million_acc: "مليونا" => 1e6;
        two_million: "مليونان" => 2e6;
        two_million_obl: "مليونين" => 2e6;
        three_million_words: "ثلاثه ملايين" => 3e6;
        billion: "مليار" => 1e9;
        billion_acc: "مليارا" => 1e9;
        billion_b: "بليون" => 1e9;
        billions_after_number: "ثلاثه مليارات" => 3e9;
        thousand_five_hundred: "الف وخمسمئه" => 1500.0;
        million_and_half: "مليون ونصف" => 1.5e6;
        half_million: "نصف مليون" => 5e5;
        descending_terms: "مليون و500 الف" => 1.5e6;
        descending_terms_words: "ثلاثه ملايين وخمسمائه الف وعشرون" => 3_500_020.0;
        tens_vague: "عشرات" => 20.0, vague;
        hundreds_vague: "مئات" => 200.0, vague;
        thousands_vague: "الاف" => 2e3, vague;
        millions_vague: "ملايين" => 2e6, vague;
        billions_vague: "مليارات" => 2e9, vague;
        hundreds_of_thousands: "مئات الالاف" => 2e5, vague;
        tens_of_millions: "عشرات الملايين" => 2e7, vague;
    }

    macro_rules! rejected {
        ($($name:ident: $text:expr;)*) => {$(
            #[test]
            fn $name() {
                assert_eq!(parse($text), None, "parse({:?})", $text);
                assert!(!full(&fragment()).is_match($text), "fragment accepts {:?}", $text);
            }
        )*};
    }

    rejected! {
        reject_empty: "";
        reject_word: "جندي";
        reject_number_and_noun: "1500 جندي";
        reject_range: "10 و20";
        reject_ascending_terms: "الف ومليون";
        reject_bare_ahad: "احد";
        reject_comma_decimal: "1,5";
        reject_proclitic: "ب100";
        reject_negative: "-5";
    }

    macro_rules! construct_duals {
        ($($name:ident: $text:expr => $value:expr;)*) => {$(
            #[test]
            fn $name() {
                let expected: Option<f64> = $value;
                assert_eq!(construct_dual($text), expected, "construct_dual({:?})", $text);
            }
        )*};
    }

    construct_duals! {
        construct_alfa: "الفا" => Some(2e3);
        construct_milyuna: "مليونا" => Some(2e6);
        construct_milyara: "مليارا" => Some(2e9);
        construct_not_singular: "الف" => None;
        construct_not_oblique: "الفي" => None;
        construct_not_after_a_multiplier: "عشرون الفا" => None;
        construct_not_digits: "1000" => None;
    }

    #[test]
    fn fragment_has_no_groups_or_boundaries() {
        for f in [fragment(), ordinal_fragment()] {
            let re = Regex::new(&f).expect("compiles");
            assert_eq!(re.captures_len(), 1, "capturing group in fragment");
            assert!(!f.contains(r"\b") && !f.contains("(?<") && !f.contains("(?P<"));
            let embedded = Regex::new(&format!("(?<number>{f}) جندي")).expect("embeds");
            assert_eq!(embedded.captures_len(), 2);
        }
    }

    /// Rules embed the fragment, often twice (ranges), and a `RegexSet` adds all rules up against the
    /// `regex` crate's 10 MiB default: keep one copy's compiled NFA under 1 MiB (it is about 0.6 MiB).
    #[test]
    fn fragment_stays_small_when_compiled() {
        let built = regex::RegexBuilder::new(&fragment())
            .size_limit(1 << 20)
            .build();
        assert!(built.is_ok(), "{:?}", built.err());
    }

    #[test]
    fn fragment_prefers_longest_forms() {
        let re = Regex::new(&format!("(?<number>{})", fragment())).unwrap();
        let longest = |t: &str| re.captures(t).map(|c| c["number"].to_string());
        assert_eq!(longest("ثلاثمائه جندي").as_deref(), Some("ثلاثمائه"));
        assert_eq!(longest("قتل 3.5 مليار").as_deref(), Some("3.5 مليار"));
        assert_eq!(longest("مئات الالاف من").as_deref(), Some("مئات الالاف"));
        assert_eq!(longest("الف وخمسمئه جندي").as_deref(), Some("الف وخمسمئه"));
    }

    #[test]
    fn fragment_works_in_verbose_patterns() {
        let re = Regex::new(&format!("(?x) (?<number>{}) \\x20 جندي", fragment())).unwrap();
        assert_eq!(&re.captures("ثلاث مئه جندي").unwrap()["number"], "ثلاث مئه");
    }

    macro_rules! ordinal_cases {
        ($($name:ident: $text:expr => $value:expr;)*) => {$(
            #[test]
            fn $name() {
                let expected: Option<u32> = $value;
                assert_eq!(ordinal($text), expected, "ordinal({:?})", $text);
                assert_eq!(
                    full(&ordinal_fragment()).is_match($text),
                    expected.is_some(),
                    "ordinal_fragment on {:?}",
                    $text
                );
                if expected.is_some() {
                    let found = unanchored(&ordinal_fragment()).find($text).map(|m| m.as_str());
                    assert_eq!(found, Some($text), "unanchored match");
                }
            }
        )*};
    }

    ordinal_cases! {
        ord_first: "الاول" => Some(1);
        ord_first_fem: "الاولي" => Some(1);
        ord_first_bare: "اول" => Some(1);
        ord_second: "الثاني" => Some(2);
        ord_second_fem: "الثانيه" => Some(2);
        ord_fourth: "الرابع" => Some(4);
        ord_fourth_fem: "الرابعه" => Some(4);
        ord_fourth_bare: "رابع" => Some(4);
        ord_tenth: "العاشر" => Some(10);
        ord_eleventh: "الحادي عشر" => Some(11);
        ord_eleventh_fem: "الحاديه عشره" => Some(11);
        ord_twelfth: "الثاني عشر" => Some(12);
        ord_nineteenth: "التاسع عشر" => Some(19);
        ord_twentieth: "العشرين" => Some(20);
        ord_twenty_first: "الحادي والعشرين" => Some(21);
        ord_twenty_first_wahid: "الواحد والعشرين" => Some(21);
        ord_twenty_fifth: "الخامس والعشرين" => Some(25);
        ord_twenty_fifth_spaced: "الخامس و العشرين" => Some(25);
        ord_thirtieth: "الثلاثين" => Some(30);
        ord_thirty_first: "الحادي والثلاثين" => Some(31);
        ord_thirty_second: "الثاني والثلاثين" => None;
        ord_bare_ahad: "الحادي" => None;
        ord_cardinal: "اربعه" => None;
    }

    #[test]
    fn ordinal_covers_every_day() {
        let heads = [
            "", "حادي", "ثاني", "ثالث", "رابع", "خامس", "سادس", "سابع", "ثامن", "تاسع",
        ];
        let units = [
            "", "اول", "ثاني", "ثالث", "رابع", "خامس", "سادس", "سابع", "ثامن", "تاسع", "عاشر",
        ];
        for (n, u) in units.iter().enumerate().skip(1) {
            assert_eq!(ordinal(&format!("ال{u}")), Some(n as u32));
        }
        for (n, h) in heads.iter().enumerate().skip(1) {
            assert_eq!(ordinal(&format!("ال{h} عشر")), Some(10 + n as u32));
            assert_eq!(ordinal(&format!("ال{h} والعشرين")), Some(20 + n as u32));
        }
    }

    #[test]
    fn u32_round_trip_edges() {
        for n in [0u32, 1, 999, 1000, 1500, u32::MAX] {
            assert_eq!(parse(&n.to_string()).map(|q| q.value), Some(f64::from(n)));
        }
    }

    #[test]
    fn huge_and_odd_inputs_do_not_panic() {
        let long = "9".repeat(400);
        assert_eq!(parse(&long), None, "does not fit an f64");
        let groups = format!("1{}", ",000".repeat(100));
        assert_eq!(parse(&groups).map(|q| q.value), Some(1e300));
        let too_many = format!("1{}", ",000".repeat(5000));
        assert_eq!(parse(&too_many), None, "does not fit an f64");
        for s in [
            "",
            " ",
            "و",
            " و",
            "1.",
            ".5",
            "1,",
            ",500",
            "1..5",
            "مئه و",
            "الف ونصف ونصف",
        ] {
            let _ = parse(s);
            let _ = ordinal(s);
        }
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC*") {
            let _ = parse(&s);
            let _ = ordinal(&s);
        }

        #[test]
        fn never_panics_on_near_misses(s in "[0-9., وعشرالفمئهثلاتسخبيون]{0,30}") {
            let _ = parse(&s);
            let _ = ordinal(&s);
        }

        #[test]
        fn u32_round_trips(n: u32) {
            prop_assert_eq!(
                parse(&n.to_string()),
                Some(Quantity { value: f64::from(n), vague: false, ambiguous: false })
            );
        }

        /// Every string in the fragment's language parses (the agreement the rules rely on).
        #[test]
        fn fragment_language_parses(s in proptest::string::string_regex(&fragment()).unwrap()) {
            prop_assert!(parse(&s).is_some(), "fragment string {:?} does not parse", s);
        }

        #[test]
        fn ordinal_fragment_language_parses(
            s in proptest::string::string_regex(&ordinal_fragment()).unwrap()
        ) {
            prop_assert!(ordinal(&s).is_some(), "ordinal fragment string {:?} does not parse", s);
        }

        /// And the other way: whatever parses (from near-miss strings) is matched in full by the fragment.
        #[test]
        fn parse_implies_fragment(s in "[0-9., وعشرالفمئهثلاتسخبيونص]{0,24}") {
            if parse(&s).is_some() {
                prop_assert!(full(&fragment()).is_match(&s), "{:?} parses but is not matched", s);
            }
        }
    }
}
