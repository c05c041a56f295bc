//! Date resolution against the publication date (extraction stage, after a date rule has matched).
//!
//! Input: the [`DateParts`] a rule's captures produced (day, month, year, weekday, a relative period, a
//! direction such as الماضي/المقبل, a part of the month such as أوائل/منتصف/أواخر, whether a future cue
//! stands before it) and the article's publication date P, when known.
//!
//! Output: a [`DateValue`]: ISO 8601 at its precision (`2024-03-26`, `2024-03`, `2023`, `2024-W15`), whether
//! it was resolved, and the inclusive day range it covers; [`compatible`] says whether two values can
//! describe the same moment.
//!
//! Invariants:
//! - HeidelTime's news mode (ARABIC.md §2), never Duckling's future bias: without a direction, a weekday is
//!   the latest one on or before P, a month the latest one not after P, a day and month fall in P's year
//!   unless that lands more than a week after P. After a future cue (سوف, المقرر, ستتواصل) each is
//!   the first one on or after P instead, as HeidelTime's tense rule has it.
//! - Two weekdays joined by و (يومي السبت والأحد) are days in that order within one week
//!   ([`resolve_pair`]), never a Sunday six days before the Saturday it is paired with.
//! - Never a guess: with no P and no explicit year the value is unresolved, its unknown parts spelled `X`
//!   (`XXXX-03-26`, `XXXX-WXX-3`), `resolved == false` and `range == None`.
//! - Parts that cannot hold together (31 April, an explicit year that contradicts العام الماضي, a weekday
//!   the date does not fall on) give `None` rather than a value that silently drops one of them.
//! - Pure: no clock, no locale, no panics whatever the input; years outside 1..=9999 are rejected so the
//!   ISO strings keep four digits.

use chrono::{Datelike, NaiveDate, Weekday};

/// The unit a value is exact to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Precision {
    Day,
    Week,
    Month,
    Year,
}

/// أوائل / منتصف / أواخر: days 1–10, 11–20, 21–end of the month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    Early,
    Mid,
    Late,
}

impl Part {
    /// How a value shows it after its ISO string: `2024-03 (mid)`.
    pub fn suffix(self) -> &'static str {
        match self {
            Part::Early => " (early)",
            Part::Mid => " (mid)",
            Part::Late => " (late)",
        }
    }
}

/// What a date rule recognised, before resolution. Fields come from the rule's captures.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DateParts {
    pub day: Option<u32>,
    pub month: Option<u32>,
    pub year: Option<i32>,
    pub weekday: Option<Weekday>,
    /// relative period: "day" | "week" | "month" | "year" with an offset: -1 last (الماضي), 0 this
    /// (هذا/الحالي/الجاري/اليوم), +1 next (المقبل/القادم)
    pub relative: Option<(Precision, i32)>,
    /// `direction` applied to an absolute month or weekday: Some(-1) for "الماضي" after a month/weekday
    /// (latest strictly before P for weekdays; for months, latest not after P as usual), Some(1) for
    /// "المقبل/القادم" (next one after P), None when absent.
    pub direction: Option<i32>,
    pub part: Option<Part>,
    /// A future cue before the expression (`[lexicon.tense]`: سوف, المقرر, a verb with the future
    /// prefix س-). Without a direction, a weekday, a day or a month is then the first one on or after
    /// P rather than the latest one on or before it.
    pub future: bool,
}

/// A resolved (or knowingly unresolved) date expression.
#[derive(Debug, Clone, PartialEq)]
pub struct DateValue {
    /// ISO 8601 at its precision: "2024-03-26", "2024-03", "2023", ISO week "2024-W15". Unresolved (no
    /// publication date and no explicit year): the same shape with X for unknown parts: "XXXX-03-26",
    /// "XXXX-03", "XXXX", "XXXX-WXX" (relative week), "XXXX-XX" (relative month), "XXXX-XX-XX" (relative
    /// day), and for a bare weekday "XXXX-WXX-N" with N the ISO weekday number (1 = Monday).
    pub iso: String,
    pub precision: Precision,
    pub resolved: bool,
    /// Inclusive day interval the value covers, when resolved (a Part narrows a month to its days).
    pub range: Option<(NaiveDate, NaiveDate)>,
    pub part: Option<Part>,
}

/// How far a relative offset may reach: beyond it the date arithmetic could overflow, and no news text
/// means "ten thousand years ago" through الماضي.
const MAX_OFFSET: i32 = 10_000;

/// How many years back (or forward) a day and month may move to find a valid date: 29 February needs up
/// to eight (1896 → 1904 has no leap year in between).
const YEAR_SEARCH: i32 = 8;

/// Which way from P an absolute month, day or weekday is looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// News mode, no cue: the latest on or before P (a day and month may be up to a week after it).
    Latest,
    /// الماضي: strictly before P (for a month, the latest not after P, as in news mode).
    Before,
    /// A future cue (سوف, س-, المقرر): the first on or after P.
    Ahead,
    /// المقبل/القادم: strictly after P.
    After,
}

impl Mode {
    /// A direction word wins over a future cue: ستعقد الأربعاء المقبل is next Wednesday either way,
    /// and a past-tense direction after a future verb is the text's own choice.
    fn of(direction: Option<i32>, future: bool) -> Mode {
        match direction.map(i32::signum) {
            Some(1) => Mode::After,
            Some(-1) => Mode::Before,
            _ if future => Mode::Ahead,
            _ => Mode::Latest,
        }
    }
}

/// The absolute fields, which the relative period may fill in.
#[derive(Debug, Clone, Copy)]
struct Fields {
    day: Option<u32>,
    month: Option<u32>,
    year: Option<i32>,
    weekday: Option<Weekday>,
}

/// Resolve `parts` against the publication date. None when the parts are inconsistent (day 31 in a 30-day
/// month, a weekday the date does not fall on, no field at all…).
pub fn resolve(parts: &DateParts, published: Option<NaiveDate>) -> Option<DateValue> {
    let fields = Fields {
        day: parts.day,
        month: parts.month,
        year: parts.year,
        weekday: parts.weekday,
    };
    if fields.day.is_some_and(|d| !(1..=31).contains(&d))
        || fields.month.is_some_and(|m| !(1..=12).contains(&m))
        || fields.year.is_some_and(|y| !(1..=9999).contains(&y))
    {
        return None;
    }
    if let (Some(d), Some(m)) = (fields.day, fields.month) {
        // Without a year, 29 February is possible (2000 is a leap year); with one, it must exist then.
        if d > days_in_month(fields.year.unwrap_or(2000), m) {
            return None;
        }
    }
    // A day and a year with no month in between describe nothing a rule means.
    if fields.day.is_some() && fields.year.is_some() && fields.month.is_none() {
        return None;
    }
    // Only the sign matters; Some(0) is "this", which for an absolute month or weekday is the default.
    let mode = Mode::of(parts.direction, parts.future);
    match parts.relative {
        None => absolute(&fields, mode, parts.part, published),
        Some((precision, offset)) => {
            if offset.unsigned_abs() > MAX_OFFSET.unsigned_abs() {
                return None;
            }
            relative(precision, offset, fields, mode, parts.part, published)
        }
    }
}

/// Two weekdays joined by و (يومي السبت والأحد, الأربعاء والخميس) name days in that order within one
/// week, so they are resolved together: in news mode the second is the latest such day on or before P
/// and the first the one before it; after a future cue or المقبل the first is the next such day and the
/// second follows it. None when either is more than a bare weekday (a date, a period) or when there is
/// no P: each is then resolved on its own.
pub fn resolve_pair(
    first: &DateParts,
    second: &DateParts,
    published: Option<NaiveDate>,
) -> Option<(DateValue, DateValue)> {
    let bare = |x: &DateParts| {
        x.day.is_none() && x.month.is_none() && x.year.is_none() && x.relative.is_none()
    };
    if !bare(first) || !bare(second) {
        return None;
    }
    let (w1, w2) = (first.weekday?, second.weekday?);
    if w1 == w2 {
        return None;
    }
    let p = published?;
    // A direction after the pair (السبت والأحد المقبلين) applies to both days.
    let mode = Mode::of(
        second.direction.or(first.direction),
        first.future || second.future,
    );
    let (d1, d2) = match mode {
        Mode::Ahead | Mode::After => {
            let d1 = date_for_weekday(w1, p, mode)?;
            (d1, date_for_weekday(w2, d1, Mode::After)?)
        }
        Mode::Latest | Mode::Before => {
            let d2 = date_for_weekday(w2, p, mode)?;
            (date_for_weekday(w1, d2, Mode::Before)?, d2)
        }
    };
    Some((day_value(d1, first.part)?, day_value(d2, second.part)?))
}

/// The day a relative period counts from when it refers back to `antecedent`, a date named just
/// before it (مقارنة بالعام السابق after عام 2023 counts from 2023): the antecedent's first day, if
/// it is resolved and lies within one period (a year counts from a year, a month or a day; a month
/// from a month or a day; a week from a week or a day; a day only from a day). A week is no anchor
/// for a month or a year, which it may straddle.
pub fn anchor(period: Precision, antecedent: &DateValue) -> Option<NaiveDate> {
    use Precision::{Day, Month, Week, Year};
    let within = match (antecedent.precision, period) {
        (Day, _) | (Week, Week) | (Month, Month | Year) | (Year, Year) => true,
        (Week | Month | Year, _) => false,
    };
    if !antecedent.resolved || !within {
        return None;
    }
    antecedent.range.map(|(from, _)| from)
}

/// Whether two date values can describe the same moment: resolved ranges overlap; otherwise compare the
/// fields both know (month with month, day with day, weekday with the weekday of a day-precise date); a
/// value that knows nothing (XXXX-XX) is compatible with anything.
pub fn compatible(a: &DateValue, b: &DateValue) -> bool {
    match (interval(a), interval(b)) {
        (Some(x), Some(y)) => x.0 <= y.1 && y.0 <= x.1,
        (Some(x), None) => some_day_fits(x, &Known::of(b)),
        (None, Some(y)) => some_day_fits(y, &Known::of(a)),
        (None, None) => Known::of(a).agrees(&Known::of(b)),
    }
}

// ---------------------------------------------------------------------------------------------------------
// Resolution.

fn relative(
    precision: Precision,
    offset: i32,
    mut f: Fields,
    mode: Mode,
    part: Option<Part>,
    published: Option<NaiveDate>,
) -> Option<DateValue> {
    let Some(p) = published else {
        // The period cannot be placed without P, but absolute fields next to it (مارس من العام الماضي)
        // still say something, and a weekday in this/last week keeps its weekday.
        if f.day.is_some() || f.month.is_some() || f.year.is_some() {
            return absolute(&f, mode, part, None);
        }
        if let (Some(w), Precision::Day | Precision::Week) = (f.weekday, precision) {
            return Some(unresolved(bare_weekday_iso(w), Precision::Day, part));
        }
        let iso = match precision {
            Precision::Day => "XXXX-XX-XX",
            Precision::Week => "XXXX-WXX",
            Precision::Month => "XXXX-XX",
            Precision::Year => "XXXX",
        };
        return Some(unresolved(iso.to_string(), precision, part));
    };
    // The period supplies the fields above its own level; explicit ones must agree with it.
    match precision {
        Precision::Year => {
            agree(&mut f.year, p.year().checked_add(offset)?)?;
        }
        Precision::Month => {
            let (y, m) = shift_month(p.year(), p.month(), offset)?;
            agree(&mut f.year, y)?;
            agree(&mut f.month, m)?;
        }
        Precision::Day => fill_date(&mut f, add_days(p, i64::from(offset))?)?,
        Precision::Week => {
            let monday = add_days(p, -i64::from(p.weekday().num_days_from_monday()))?;
            let monday = add_days(monday, 7 * i64::from(offset))?;
            if let Some(w) = f.weekday {
                // الأربعاء من الأسبوع الماضي: that weekday inside that week.
                fill_date(
                    &mut f,
                    add_days(monday, i64::from(w.num_days_from_monday()))?,
                )?;
            } else {
                let week = week_value(monday, part)?;
                if f.day.is_none() && f.month.is_none() && f.year.is_none() {
                    return Some(week);
                }
                // A date said to be in that week: keep the date if it is.
                let v = absolute(&f, mode, part, Some(p))?;
                return compatible(&v, &week).then_some(v);
            }
        }
    }
    absolute(&f, mode, part, Some(p))
}

fn absolute(
    f: &Fields,
    mode: Mode,
    part: Option<Part>,
    published: Option<NaiveDate>,
) -> Option<DateValue> {
    match (f.year, f.month, f.day) {
        (Some(y), Some(m), Some(d)) => {
            let date = NaiveDate::from_ymd_opt(y, m, d)?;
            day_value(on_weekday(date, f.weekday)?, part)
        }
        (None, Some(m), Some(d)) => match published {
            // The weekday cannot be checked without a year; the ISO shape has no place for it either.
            None => Some(unresolved(
                format!("XXXX-{m:02}-{d:02}"),
                Precision::Day,
                part,
            )),
            Some(p) => day_value(
                on_weekday(date_for_day_month(m, d, p, mode)?, f.weekday)?,
                part,
            ),
        },
        // A weekday with only a month or a year (a Wednesday in March) narrows nothing: the coarser value.
        (Some(y), Some(m), None) => month_value(y, m, part),
        (None, Some(m), None) => match published {
            None => Some(unresolved(format!("XXXX-{m:02}"), Precision::Month, part)),
            Some(p) => {
                let y = match mode {
                    Mode::After if m > p.month() => p.year(),
                    Mode::Ahead if m >= p.month() => p.year(),
                    Mode::After | Mode::Ahead => p.year() + 1,
                    Mode::Latest | Mode::Before if m <= p.month() => p.year(),
                    Mode::Latest | Mode::Before => p.year() - 1,
                };
                month_value(y, m, part)
            }
        },
        (Some(y), None, None) => year_value(y, part),
        (None, None, Some(d)) => match published {
            None => Some(unresolved(format!("XXXX-XX-{d:02}"), Precision::Day, part)),
            Some(p) => day_value(on_weekday(date_for_day(d, p, mode)?, f.weekday)?, part),
        },
        (Some(_), None, Some(_)) => None,
        (None, None, None) => {
            let w = f.weekday?;
            match published {
                None => Some(unresolved(bare_weekday_iso(w), Precision::Day, part)),
                Some(p) => day_value(date_for_weekday(w, p, mode)?, part),
            }
        }
    }
}

/// Day and month without a year. News mode: P's year, or earlier when that lands more than a week after
/// P (a week of slack for announced events, as HeidelTime's tense rule allows). Before: the latest
/// strictly before P; Ahead: the first on or after P; After: the first strictly after P.
fn date_for_day_month(m: u32, d: u32, p: NaiveDate, mode: Mode) -> Option<NaiveDate> {
    let on = |y: i32| NaiveDate::from_ymd_opt(y, m, d);
    let forward = || (p.year()..=p.year() + YEAR_SEARCH).filter_map(on);
    let back = || (p.year() - YEAR_SEARCH..=p.year()).rev().filter_map(on);
    match mode {
        Mode::After => forward().find(|x| *x > p),
        Mode::Ahead => forward().find(|x| *x >= p),
        Mode::Before => back().find(|x| *x < p),
        Mode::Latest => {
            let limit = add_days(p, 7)?;
            back().find(|x| *x <= limit)
        }
    }
}

/// A day of the month alone (في 15 منه): the same rule one level down, P's month or a nearby one.
fn date_for_day(d: u32, p: NaiveDate, mode: Mode) -> Option<NaiveDate> {
    let in_month = |k: i32| {
        let (y, m) = shift_month(p.year(), p.month(), k)?;
        NaiveDate::from_ymd_opt(y, m, d)
    };
    match mode {
        Mode::After => (0..=12).filter_map(in_month).find(|x| *x > p),
        Mode::Ahead => (0..=12).filter_map(in_month).find(|x| *x >= p),
        Mode::Before => (0..=12).filter_map(|k| in_month(-k)).find(|x| *x < p),
        Mode::Latest => {
            let limit = add_days(p, 7)?;
            (0..=12).filter_map(|k| in_month(-k)).find(|x| *x <= limit)
        }
    }
}

/// Latest: the latest such day on or before P (0..=6 back); Before: strictly before (1..=7 back);
/// Ahead: on or after P (0..=6 forward); After: strictly after (1..=7 forward).
fn date_for_weekday(w: Weekday, p: NaiveDate, mode: Mode) -> Option<NaiveDate> {
    let target = i64::from(w.num_days_from_monday());
    let today = i64::from(p.weekday().num_days_from_monday());
    let back = (today - target).rem_euclid(7);
    let forward = (target - today).rem_euclid(7);
    match mode {
        Mode::Latest => add_days(p, -back),
        Mode::Before => add_days(p, -(if back == 0 { 7 } else { back })),
        Mode::Ahead => add_days(p, forward),
        Mode::After => add_days(p, if forward == 0 { 7 } else { forward }),
    }
}

/// The date, if it falls on the stated weekday (when one is stated).
fn on_weekday(date: NaiveDate, weekday: Option<Weekday>) -> Option<NaiveDate> {
    weekday.is_none_or(|w| date.weekday() == w).then_some(date)
}

/// Record `value` in `slot`, failing if the slot already holds something else.
fn agree<T: PartialEq + Copy>(slot: &mut Option<T>, value: T) -> Option<()> {
    match *slot {
        Some(v) if v != value => None,
        _ => {
            *slot = Some(value);
            Some(())
        }
    }
}

fn fill_date(f: &mut Fields, date: NaiveDate) -> Option<()> {
    agree(&mut f.year, date.year())?;
    agree(&mut f.month, date.month())?;
    agree(&mut f.day, date.day())
}

fn add_days(date: NaiveDate, days: i64) -> Option<NaiveDate> {
    date.checked_add_signed(chrono::TimeDelta::try_days(days)?)
}

fn shift_month(year: i32, month: u32, offset: i32) -> Option<(i32, u32)> {
    let index = i64::from(year) * 12 + i64::from(month) - 1 + i64::from(offset);
    let y = i32::try_from(index.div_euclid(12)).ok()?;
    let m = u32::try_from(index.rem_euclid(12)).ok()? + 1;
    Some((y, m))
}

fn days_in_month(year: i32, month: u32) -> u32 {
    (28..=31)
        .rev()
        .find(|d| NaiveDate::from_ymd_opt(year, month, *d).is_some())
        .unwrap_or(28)
}

// ---------------------------------------------------------------------------------------------------------
// Values.

fn valid_year(y: i32) -> Option<i32> {
    (1..=9999).contains(&y).then_some(y)
}

fn day_value(date: NaiveDate, part: Option<Part>) -> Option<DateValue> {
    let y = valid_year(date.year())?;
    Some(DateValue {
        iso: format!("{y:04}-{:02}-{:02}", date.month(), date.day()),
        precision: Precision::Day,
        resolved: true,
        range: Some((date, date)),
        part,
    })
}

fn week_value(monday: NaiveDate, part: Option<Part>) -> Option<DateValue> {
    let week = monday.iso_week();
    let y = valid_year(week.year())?;
    Some(DateValue {
        iso: format!("{y:04}-W{:02}", week.week()),
        precision: Precision::Week,
        resolved: true,
        range: Some((monday, add_days(monday, 6)?)),
        part,
    })
}

fn month_value(year: i32, month: u32, part: Option<Part>) -> Option<DateValue> {
    let y = valid_year(year)?;
    let last = days_in_month(y, month);
    let (from, to) = part_days(part, last);
    Some(DateValue {
        iso: format!("{y:04}-{month:02}"),
        precision: Precision::Month,
        resolved: true,
        range: Some((
            NaiveDate::from_ymd_opt(y, month, from)?,
            NaiveDate::from_ymd_opt(y, month, to)?,
        )),
        part,
    })
}

/// A part is kept on a year but does not narrow it: أواخر العام has no agreed day boundaries.
fn year_value(year: i32, part: Option<Part>) -> Option<DateValue> {
    let y = valid_year(year)?;
    Some(DateValue {
        iso: format!("{y:04}"),
        precision: Precision::Year,
        resolved: true,
        range: Some((
            NaiveDate::from_ymd_opt(y, 1, 1)?,
            NaiveDate::from_ymd_opt(y, 12, 31)?,
        )),
        part,
    })
}

fn unresolved(iso: String, precision: Precision, part: Option<Part>) -> DateValue {
    DateValue {
        iso,
        precision,
        resolved: false,
        range: None,
        part,
    }
}

fn bare_weekday_iso(w: Weekday) -> String {
    format!("XXXX-WXX-{}", w.number_from_monday())
}

/// A date as a reader sees it. A resolved one is its ISO string, unambiguous at its precision
/// (`2024-03-26`, `2024-03`), its part after it (`2024-03 (mid)`), except an ISO week, whose
/// code few read: it is named by its days, `week of 8–14 April 2024` (`2024-W15`), `week of
/// 29 April – 5 May 2024`, `week of 30 December 2024 – 5 January 2025`. An unresolved one
/// (its article has no publication date) is in words that say what is not known, since its `X`s
/// are a code: `March (year unknown)`, `mid-March (year unknown)`, `26 March (year unknown)`, `the
/// 15th (month unknown)`, `Thursday (date unknown)`, and `a month (date unknown)` for a period
/// counted from the missing date (الشهر الماضي; `late in a month (date unknown)` for أواخر الشهر
/// الماضي). A shape it cannot read stays as it is.
pub fn words(v: &DateValue) -> String {
    // Read from the ISO string and the part alone, as report.json's `display` gives
    // them: the pages find a value's words by its display.
    let unknown = Known::parse(&v.iso)
        .filter(|k| v.iso.starts_with("XXXX") && k.year.is_none() && k.iso_week.is_none());
    let month = |k: &Known| k.month.and_then(month_name);
    let mut s = match unknown {
        Some(k) if k.month.is_some() && month(&k).is_none() => v.iso.clone(),
        Some(k) => match (month(&k), k.day, k.weekday) {
            (Some(m), None, _) => {
                let before = match v.part {
                    Some(Part::Early) => "early ",
                    Some(Part::Mid) => "mid-",
                    Some(Part::Late) => "late ",
                    None => "",
                };
                return format!("{before}{m} (year unknown)");
            }
            (Some(m), Some(d), _) => format!("{d} {m} (year unknown)"),
            (None, Some(d), _) => format!("the {} (month unknown)", ordinal(d)),
            (None, None, Some(w)) => format!(
                "{} (date unknown)",
                WEEKDAYS[w.num_days_from_monday() as usize]
            ),
            (None, None, None) => {
                // A period counted from the missing date: its shape is its precision.
                let period = match v.iso.as_str() {
                    "XXXX-XX-XX" => "day",
                    "XXXX-WXX" => "week",
                    "XXXX-XX" => "month",
                    _ => "year",
                };
                let within = match v.part {
                    Some(Part::Early) => "early in ",
                    Some(Part::Mid) => "in the middle of ",
                    Some(Part::Late) => "late in ",
                    None => "",
                };
                return format!("{within}a {period} (date unknown)");
            }
        },
        None => Known::parse(&v.iso)
            .filter(|k| k.weekday.is_none())
            .and_then(|k| k.iso_week)
            .and_then(|(y, w)| week_words(y, w))
            .unwrap_or_else(|| v.iso.clone()),
    };
    s.push_str(v.part.map_or("", Part::suffix));
    s
}

/// An ISO week by its days, Monday to Sunday: `week of 8–14 April 2024`; `None` for a
/// week its year does not have (`2024-W53`).
fn week_words(year: i32, week: u32) -> Option<String> {
    let monday = NaiveDate::from_isoywd_opt(year, week, Weekday::Mon)?;
    let sunday = add_days(monday, 6)?;
    let month = |d: NaiveDate| month_name(d.month()).unwrap_or_default();
    let (a, b) = (monday, sunday);
    Some(if a.year() != b.year() {
        format!(
            "week of {} {} {} – {} {} {}",
            a.day(),
            month(a),
            a.year(),
            b.day(),
            month(b),
            b.year()
        )
    } else if a.month() != b.month() {
        format!(
            "week of {} {} – {} {} {}",
            a.day(),
            month(a),
            b.day(),
            month(b),
            b.year()
        )
    } else {
        format!("week of {}–{} {} {}", a.day(), b.day(), month(b), b.year())
    })
}

/// A month's English name by its number, 1 to 12.
fn month_name(month: u32) -> Option<&'static str> {
    let m = chrono::Month::try_from(u8::try_from(month).ok()?).ok()?;
    Some(m.name())
}

const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// `1st`, `2nd`, `3rd`, `4th`, `11th`, `21st`.
fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// The days of a month a part covers (the whole month without one).
fn part_days(part: Option<Part>, last: u32) -> (u32, u32) {
    match part {
        None => (1, last),
        Some(Part::Early) => (1, 10),
        Some(Part::Mid) => (11, 20),
        Some(Part::Late) => (21, last),
    }
}

// ---------------------------------------------------------------------------------------------------------
// Compatibility.

/// The value's day interval: its range, or for a hand-built resolved value without one, the interval its
/// ISO string names.
fn interval(v: &DateValue) -> Option<(NaiveDate, NaiveDate)> {
    v.range.or_else(|| iso_interval(&v.iso, v.part))
}

/// The day interval an ISO string names, a month narrowed to `part`: `None` for one with
/// an unknown year.
fn iso_interval(iso: &str, part: Option<Part>) -> Option<(NaiveDate, NaiveDate)> {
    let k = Known::parse(iso).unwrap_or_default();
    if let Some((y, w)) = k.iso_week {
        let monday = NaiveDate::from_isoywd_opt(y, w, Weekday::Mon)?;
        return Some((monday, add_days(monday, 6)?));
    }
    match (k.year, k.month, k.day) {
        (Some(y), Some(m), Some(d)) => {
            let date = NaiveDate::from_ymd_opt(y, m, d)?;
            Some((date, date))
        }
        (Some(y), Some(m), None) => {
            let (from, to) = part_days(part, days_in_month(y, m));
            Some((
                NaiveDate::from_ymd_opt(y, m, from)?,
                NaiveDate::from_ymd_opt(y, m, to)?,
            ))
        }
        (Some(y), None, None) if k.weekday.is_none() => Some((
            NaiveDate::from_ymd_opt(y, 1, 1)?,
            NaiveDate::from_ymd_opt(y, 12, 31)?,
        )),
        _ => None,
    }
}

/// The days a date covers, read from its display as report.json gives it: `2024-03-26`,
/// `2024-03 (mid)` (11 to 20 March), `2024-W15`, `2023`; `None` for one with an unknown
/// year (`XXXX-03`).
pub fn display_interval(display: &str) -> Option<(NaiveDate, NaiveDate)> {
    let part = [Part::Early, Part::Mid, Part::Late]
        .into_iter()
        .find(|p| display.ends_with(p.suffix()));
    let iso = part.map_or(display, |p| &display[..display.len() - p.suffix().len()]);
    iso_interval(iso, part)
}

/// The fields an ISO string (with X for unknown parts) and a part pin down.
#[derive(Debug, Default)]
struct Known {
    year: Option<i32>,
    month: Option<u32>,
    day: Option<u32>,
    weekday: Option<Weekday>,
    iso_week: Option<(i32, u32)>,
    /// Days of the month allowed by a part.
    days: Option<(u32, u32)>,
}

impl Known {
    /// Unreadable strings know nothing, which keeps `compatible` permissive rather than wrong.
    fn of(v: &DateValue) -> Known {
        let mut k = Known::parse(&v.iso).unwrap_or_default();
        k.days = v.part.map(|p| part_days(Some(p), 31));
        k
    }

    fn parse(iso: &str) -> Option<Known> {
        let mut k = Known::default();
        let mut pieces = iso.split('-');
        k.year = field(pieces.next()?, 4)?;
        if let Some(second) = pieces.next() {
            if let Some(week) = second.strip_prefix('W') {
                let week: Option<u32> = field(week, 2)?;
                if let Some(third) = pieces.next() {
                    let n: Option<u8> = field(third, 1)?;
                    k.weekday = match n {
                        Some(n) => Some(weekday_from_number(n)?),
                        None => None,
                    };
                }
                k.iso_week = k.year.zip(week);
                if k.iso_week.is_some() {
                    // A known week's year is its ISO week-year, not the calendar year of every day in it.
                    k.year = None;
                }
            } else {
                k.month = field(second, 2)?;
                if let Some(third) = pieces.next() {
                    k.day = field(third, 2)?;
                }
            }
        }
        pieces.next().is_none().then_some(k)
    }

    fn fits(&self, date: NaiveDate) -> bool {
        self.year.is_none_or(|y| y == date.year())
            && self.month.is_none_or(|m| m == date.month())
            && self.day.is_none_or(|d| d == date.day())
            && self.weekday.is_none_or(|w| w == date.weekday())
            && self
                .iso_week
                .is_none_or(|(y, w)| date.iso_week().year() == y && date.iso_week().week() == w)
            && self
                .days
                .is_none_or(|(from, to)| (from..=to).contains(&date.day()))
    }

    fn date(&self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year?, self.month?, self.day?)
    }

    fn agrees(&self, other: &Known) -> bool {
        fn same<T: PartialEq>(a: Option<T>, b: Option<T>) -> bool {
            match (a, b) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            }
        }
        fn day_in(day: Option<u32>, days: Option<(u32, u32)>) -> bool {
            match (day, days) {
                (Some(d), Some((from, to))) => (from..=to).contains(&d),
                _ => true,
            }
        }
        let spans_overlap = match (self.days, other.days) {
            (Some(a), Some(b)) => a.0 <= b.1 && b.0 <= a.1,
            _ => true,
        };
        let weekday_of_date = |a: &Known, b: &Known| match (a.date(), b.weekday) {
            (Some(date), Some(w)) => date.weekday() == w,
            _ => true,
        };
        same(self.year, other.year)
            && same(self.month, other.month)
            && same(self.day, other.day)
            && same(self.weekday, other.weekday)
            && same(self.iso_week, other.iso_week)
            && day_in(self.day, other.days)
            && day_in(other.day, self.days)
            && spans_overlap
            && weekday_of_date(self, other)
            && weekday_of_date(other, self)
    }
}

/// An ISO field of `width` digits, or all X for "unknown". None (outer) when it is neither.
fn field<T: std::str::FromStr>(s: &str, width: usize) -> Option<Option<T>> {
    if s.len() != width {
        return None;
    }
    if s.bytes().all(|b| b == b'X') {
        return Some(None);
    }
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok().map(Some)
}

fn weekday_from_number(n: u8) -> Option<Weekday> {
    Some(match n {
        1 => Weekday::Mon,
        2 => Weekday::Tue,
        3 => Weekday::Wed,
        4 => Weekday::Thu,
        5 => Weekday::Fri,
        6 => Weekday::Sat,
        7 => Weekday::Sun,
        _ => return None,
    })
}

/// Whether some day of `range` satisfies `k`. Every (month, day, weekday) combination, 29 February
/// included, occurs within 28 years, so looking at most that far is exact and keeps the loop bounded.
fn some_day_fits(range: (NaiveDate, NaiveDate), k: &Known) -> bool {
    const WINDOW: usize = 28 * 366;
    range
        .0
        .iter_days()
        .take_while(|d| *d <= range.1)
        .take(WINDOW)
        .any(|d| k.fits(d))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use Weekday::*;

    fn p(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
    }

    /// `name: P, { DateParts fields } => iso, resolved;`
    macro_rules! resolves {
        ($($name:ident: $published:expr, { $($field:ident: $value:expr),* $(,)? } => $iso:expr, $resolved:expr;)*) => {$(
            #[test]
            fn $name() {
                let parts = DateParts { $($field: $value,)* ..DateParts::default() };
                let v = resolve(&parts, $published).expect("resolves");
                assert_eq!((v.iso.as_str(), v.resolved), ($iso, $resolved), "{parts:?}");
                assert_eq!(v.range.is_some(), v.resolved, "a range exactly when resolved");
            }
        )*};
    }

    resolves! {
        // P = Fri 2024-04-12.
        fri_wednesday: p(2024, 4, 12), { weekday: Some(Wed) } => "2024-04-10", true;
        fri_friday_is_today: p(2024, 4, 12), { weekday: Some(Fri) } => "2024-04-12", true;
        fri_today_friday: p(2024, 4, 12), { weekday: Some(Fri), relative: Some((Precision::Day, 0)) } => "2024-04-12", true;
        fri_thursday: p(2024, 4, 12), { weekday: Some(Thu) } => "2024-04-11", true;
        fri_saturday: p(2024, 4, 12), { weekday: Some(Sat) } => "2024-04-06", true;
        fri_march: p(2024, 4, 12), { month: Some(3) } => "2024-03", true;
        fri_26_march: p(2024, 4, 12), { day: Some(26), month: Some(3) } => "2024-03-26", true;
        fri_january: p(2024, 4, 12), { month: Some(1) } => "2024-01", true;
        fri_last_friday: p(2024, 4, 12), { weekday: Some(Fri), direction: Some(-1) } => "2024-04-05", true;
        fri_last_wednesday: p(2024, 4, 12), { weekday: Some(Wed), direction: Some(-1) } => "2024-04-10", true;
        fri_next_friday: p(2024, 4, 12), { weekday: Some(Fri), direction: Some(1) } => "2024-04-19", true;
        fri_next_wednesday: p(2024, 4, 12), { weekday: Some(Wed), direction: Some(1) } => "2024-04-17", true;
        // P = 2023-12-05.
        dec_4_december: p(2023, 12, 5), { day: Some(4), month: Some(12) } => "2023-12-04", true;
        dec_3_december: p(2023, 12, 5), { day: Some(3), month: Some(12) } => "2023-12-03", true;
        dec_july: p(2023, 12, 5), { month: Some(7) } => "2023-07", true;
        dec_february: p(2023, 12, 5), { month: Some(2) } => "2023-02", true;
        dec_next_january: p(2023, 12, 5), { month: Some(1), direction: Some(1) } => "2024-01", true;
        dec_last_july: p(2023, 12, 5), { month: Some(7), direction: Some(-1) } => "2023-07", true;
        // P = 2024-04-24.
        apr_last_month: p(2024, 4, 24), { relative: Some((Precision::Month, -1)) } => "2024-03", true;
        apr_april: p(2024, 4, 24), { month: Some(4) } => "2024-04", true;
        apr_april_direction_zero: p(2024, 4, 24), { month: Some(4), direction: Some(0) } => "2024-04", true;
        apr_next_april: p(2024, 4, 24), { month: Some(4), direction: Some(1) } => "2025-04", true;
        apr_this_month: p(2024, 4, 24), { relative: Some((Precision::Month, 0)) } => "2024-04", true;
        apr_next_month: p(2024, 4, 24), { relative: Some((Precision::Month, 1)) } => "2024-05", true;
        apr_last_year: p(2024, 4, 24), { relative: Some((Precision::Year, -1)) } => "2023", true;
        apr_this_week: p(2024, 4, 24), { relative: Some((Precision::Week, 0)) } => "2024-W17", true;
        apr_last_week: p(2024, 4, 24), { relative: Some((Precision::Week, -1)) } => "2024-W16", true;
        apr_yesterday: p(2024, 4, 24), { relative: Some((Precision::Day, -1)) } => "2024-04-23", true;
        apr_today: p(2024, 4, 24), { relative: Some((Precision::Day, 0)) } => "2024-04-24", true;
        apr_day_before_yesterday: p(2024, 4, 24), { relative: Some((Precision::Day, -2)) } => "2024-04-22", true;
        apr_march_last_year: p(2024, 4, 24), { month: Some(3), relative: Some((Precision::Year, -1)) } => "2023-03", true;
        apr_15th_last_month: p(2024, 4, 24), { day: Some(15), relative: Some((Precision::Month, -1)) } => "2024-03-15", true;
        apr_wednesday_last_week: p(2024, 4, 24), { weekday: Some(Wed), relative: Some((Precision::Week, -1)) } => "2024-04-17", true;
        // January's last month is December of the year before.
        jan_last_month: p(2024, 1, 10), { relative: Some((Precision::Month, -1)) } => "2023-12", true;
        jan_last_week_crosses_year: p(2024, 1, 3), { relative: Some((Precision::Week, -1)) } => "2023-W52", true;
        // ISO week-year differs from the calendar year on 2024-12-30.
        dec_week_of_next_iso_year: p(2024, 12, 30), { relative: Some((Precision::Week, 0)) } => "2025-W01", true;
        // P = Sat 2023-09-16.
        sat_26_july: p(2023, 9, 16), { day: Some(26), month: Some(7) } => "2023-07-26", true;
        sat_friday: p(2023, 9, 16), { weekday: Some(Fri) } => "2023-09-15", true;
        // P = Wed 2025-03-26 (ARABIC.md §8).
        wed_4_december_year_before: p(2025, 3, 26), { day: Some(4), month: Some(12) } => "2024-12-04", true;
        wed_26_march: p(2025, 3, 26), { day: Some(26), month: Some(3) } => "2025-03-26", true;
        wed_2_april_within_a_week: p(2025, 3, 26), { day: Some(2), month: Some(4) } => "2025-04-02", true;
        wed_3_april_past_a_week: p(2025, 3, 26), { day: Some(3), month: Some(4) } => "2024-04-03", true;
        wed_wednesday: p(2025, 3, 26), { weekday: Some(Wed) } => "2025-03-26", true;
        wed_next_4_december: p(2025, 3, 26), { day: Some(4), month: Some(12), direction: Some(1) } => "2025-12-04", true;
        wed_29_february: p(2025, 3, 26), { day: Some(29), month: Some(2) } => "2024-02-29", true;
        wed_day_10_alone: p(2025, 3, 26), { day: Some(10) } => "2025-03-10", true;
        wed_day_31_alone: p(2025, 4, 20), { day: Some(31) } => "2025-03-31", true;
        wed_explicit_year_wins: p(2025, 3, 26), { day: Some(4), month: Some(12), year: Some(2025) } => "2025-12-04", true;
        wed_dated_weekday: p(2025, 3, 26), { day: Some(26), month: Some(3), weekday: Some(Wed) } => "2025-03-26", true;
        // No P.
        none_march: None, { month: Some(3) } => "XXXX-03", false;
        none_26_march: None, { day: Some(26), month: Some(3) } => "XXXX-03-26", false;
        none_monday: None, { weekday: Some(Mon) } => "XXXX-WXX-1", false;
        none_last_month: None, { relative: Some((Precision::Month, -1)) } => "XXXX-XX", false;
        none_last_week: None, { relative: Some((Precision::Week, -1)) } => "XXXX-WXX", false;
        none_yesterday: None, { relative: Some((Precision::Day, -1)) } => "XXXX-XX-XX", false;
        none_last_year: None, { relative: Some((Precision::Year, -1)) } => "XXXX", false;
        none_day_alone: None, { day: Some(15) } => "XXXX-XX-15", false;
        none_year: None, { year: Some(2012) } => "2012", true;
        none_full_date: None, { day: Some(26), month: Some(3), year: Some(2024) } => "2024-03-26", true;
        none_month_year: None, { month: Some(3), year: Some(2024) } => "2024-03", true;
        none_march_last_year: None, { month: Some(3), relative: Some((Precision::Year, -1)) } => "XXXX-03", false;
        none_wednesday_last_week: None, { weekday: Some(Wed), relative: Some((Precision::Week, -1)) } => "XXXX-WXX-3", false;
        // A future cue (ستتواصل, سوف, المقرر): the first on or after P. P = Sat 2023-09-16.
        sat_sunday_news_mode: p(2023, 9, 16), { weekday: Some(Sun) } => "2023-09-10", true;
        sat_future_saturday_is_today: p(2023, 9, 16), { weekday: Some(Sat), future: true } => "2023-09-16", true;
        sat_future_sunday: p(2023, 9, 16), { weekday: Some(Sun), future: true } => "2023-09-17", true;
        sat_future_friday: p(2023, 9, 16), { weekday: Some(Fri), future: true } => "2023-09-22", true;
        sat_future_next_saturday: p(2023, 9, 16), { weekday: Some(Sat), future: true, direction: Some(1) } => "2023-09-23", true;
        sat_future_but_last_sunday: p(2023, 9, 16), { weekday: Some(Sun), future: true, direction: Some(-1) } => "2023-09-10", true;
        // P = Fri 2024-04-12.
        fri_future_wednesday: p(2024, 4, 12), { weekday: Some(Wed), future: true } => "2024-04-17", true;
        fri_future_april: p(2024, 4, 12), { month: Some(4), future: true } => "2024-04", true;
        fri_future_march: p(2024, 4, 12), { month: Some(3), future: true } => "2025-03", true;
        fri_future_may: p(2024, 4, 12), { month: Some(5), future: true } => "2024-05", true;
        fri_future_12_april: p(2024, 4, 12), { day: Some(12), month: Some(4), future: true } => "2024-04-12", true;
        fri_future_26_march: p(2024, 4, 12), { day: Some(26), month: Some(3), future: true } => "2025-03-26", true;
        fri_future_day_10: p(2024, 4, 12), { day: Some(10), future: true } => "2024-05-10", true;
        fri_future_day_20: p(2024, 4, 12), { day: Some(20), future: true } => "2024-04-20", true;
        fri_future_ignores_last_month: p(2024, 4, 12), { relative: Some((Precision::Month, -1)), future: true } => "2024-03", true;
        fri_future_explicit_year: p(2024, 4, 12), { day: Some(26), month: Some(3), year: Some(2024), future: true } => "2024-03-26", true;
        none_future_sunday: None, { weekday: Some(Sun), future: true } => "XXXX-WXX-7", false;
    }

    /// `name: P, (weekday, direction, future), (weekday, direction, future) => (first, second);`
    macro_rules! pairs {
        ($($name:ident: $published:expr, ($w1:expr, $d1:expr, $f1:expr), ($w2:expr, $d2:expr, $f2:expr) => $expected:expr;)*) => {$(
            #[test]
            fn $name() {
                let first = DateParts { weekday: Some($w1), direction: $d1, future: $f1, ..DateParts::default() };
                let second = DateParts { weekday: Some($w2), direction: $d2, future: $f2, ..DateParts::default() };
                let got = resolve_pair(&first, &second, $published)
                    .map(|(a, b)| (a.iso, b.iso));
                let expected: Option<(&str, &str)> = $expected;
                assert_eq!(got, expected.map(|(a, b)| (a.to_string(), b.to_string())));
            }
        )*};
    }

    pairs! {
        // 002: ستتواصل يومي السبت والأحد, P = Sat 2023-09-16.
        pair_future_weekend: p(2023, 9, 16), (Sat, None, true), (Sun, None, false) => Some(("2023-09-16", "2023-09-17"));
        // The same words in news mode end on or before P: the weekend before.
        pair_past_weekend: p(2023, 9, 16), (Sat, None, false), (Sun, None, false) => Some(("2023-09-09", "2023-09-10"));
        pair_past_weekend_on_sunday: p(2023, 9, 17), (Sat, None, false), (Sun, None, false) => Some(("2023-09-16", "2023-09-17"));
        pair_next_weekend: p(2023, 9, 16), (Sat, None, false), (Sun, Some(1), false) => Some(("2023-09-23", "2023-09-24"));
        pair_last_weekend: p(2023, 9, 17), (Sat, None, false), (Sun, Some(-1), false) => Some(("2023-09-09", "2023-09-10"));
        // Not consecutive, still in order: Wednesday and Friday of one week.
        pair_wednesday_friday: p(2024, 4, 12), (Wed, None, false), (Fri, None, false) => Some(("2024-04-10", "2024-04-12"));
        pair_future_wednesday_friday: p(2024, 4, 12), (Wed, None, true), (Fri, None, false) => Some(("2024-04-17", "2024-04-19"));
        // Across the week's turn: Sunday then Monday, P on a Monday.
        pair_sunday_monday: p(2024, 4, 15), (Sun, None, false), (Mon, None, false) => Some(("2024-04-14", "2024-04-15"));
        pair_same_day_twice: p(2024, 4, 12), (Fri, None, false), (Fri, None, false) => None;
        pair_without_p: None, (Sat, None, false), (Sun, None, false) => None;
    }

    #[test]
    fn pair_of_more_than_weekdays_resolves_alone() {
        let first = DateParts {
            weekday: Some(Sat),
            ..DateParts::default()
        };
        let second = DateParts {
            day: Some(17),
            month: Some(9),
            ..DateParts::default()
        };
        assert_eq!(resolve_pair(&first, &second, p(2023, 9, 16)), None);
    }

    /// `name: period, antecedent => anchor day;`
    macro_rules! anchors {
        ($($name:ident: $period:expr, $antecedent:expr => $expected:expr;)*) => {$(
            #[test]
            fn $name() {
                let expected: Option<NaiveDate> = $expected;
                assert_eq!(anchor($period, &$antecedent), expected);
            }
        )*};
    }

    anchors! {
        // 003: في عام 2023 … مقارنة بالعام السابق.
        anchor_year_from_year: Precision::Year, year_value(2023, None).unwrap() => p(2023, 1, 1);
        anchor_year_from_day: Precision::Year, day(2023, 5, 7) => p(2023, 5, 7);
        anchor_month_from_month: Precision::Month, month(2024, 3, None) => p(2024, 3, 1);
        anchor_day_from_day: Precision::Day, day(2024, 3, 26) => p(2024, 3, 26);
        anchor_day_needs_a_day: Precision::Day, month(2024, 3, None) => None;
        anchor_month_needs_a_month: Precision::Month, year_value(2023, None).unwrap() => None;
        anchor_needs_a_resolved_value: Precision::Year, open("XXXX", Precision::Year) => None;
        anchor_month_not_from_a_week: Precision::Month,
            resolve(&DateParts { relative: Some((Precision::Week, 0)), ..DateParts::default() }, p(2024, 4, 30)).unwrap() => None;
        anchor_week_from_a_resolved_week: Precision::Week,
            resolve(&DateParts { relative: Some((Precision::Week, 0)), ..DateParts::default() }, p(2024, 4, 30)).unwrap() => p(2024, 4, 29);
    }

    macro_rules! rejects {
        ($($name:ident: $published:expr, { $($field:ident: $value:expr),* $(,)? };)*) => {$(
            #[test]
            fn $name() {
                let parts = DateParts { $($field: $value,)* ..DateParts::default() };
                assert_eq!(resolve(&parts, $published), None, "{parts:?}");
            }
        )*};
    }

    rejects! {
        reject_nothing: p(2024, 4, 12), {};
        reject_only_direction: p(2024, 4, 12), { direction: Some(-1), part: Some(Part::Mid) };
        reject_31_april: p(2024, 4, 12), { day: Some(31), month: Some(4) };
        reject_31_april_no_p: None, { day: Some(31), month: Some(4) };
        reject_29_february_2023: None, { day: Some(29), month: Some(2), year: Some(2023) };
        reject_day_0: p(2024, 4, 12), { day: Some(0), month: Some(4) };
        reject_month_13: p(2024, 4, 12), { month: Some(13) };
        reject_day_and_year: p(2024, 4, 12), { day: Some(3), year: Some(2024) };
        reject_wrong_weekday: p(2025, 3, 26), { day: Some(26), month: Some(3), weekday: Some(Thu) };
        reject_today_is_not_thursday: p(2024, 4, 12), { weekday: Some(Thu), relative: Some((Precision::Day, 0)) };
        reject_year_contradicts_last_year: p(2024, 4, 12), { year: Some(2020), relative: Some((Precision::Year, -1)) };
        reject_year_10000: None, { year: Some(10_000) };
        reject_huge_offset: p(2024, 4, 12), { relative: Some((Precision::Day, i32::MAX)) };
        reject_offset_past_year_one: p(5, 1, 1), { relative: Some((Precision::Year, -10)) };
    }

    #[test]
    fn mid_march_without_p_keeps_its_part() {
        let parts = DateParts {
            month: Some(3),
            part: Some(Part::Mid),
            ..DateParts::default()
        };
        let v = resolve(&parts, None).unwrap();
        assert_eq!(
            v,
            DateValue {
                iso: "XXXX-03".into(),
                precision: Precision::Month,
                resolved: false,
                range: None,
                part: Some(Part::Mid),
            }
        );
    }

    #[test]
    fn parts_narrow_a_month() {
        let narrowed = |part| {
            let parts = DateParts {
                month: Some(2),
                part: Some(part),
                ..DateParts::default()
            };
            resolve(&parts, p(2024, 4, 12)).unwrap()
        };
        let mid = narrowed(Part::Mid);
        assert_eq!(
            (mid.iso.as_str(), mid.precision),
            ("2024-02", Precision::Month)
        );
        assert_eq!(mid.part, Some(Part::Mid));
        assert_eq!(mid.range, Some((date(2024, 2, 11), date(2024, 2, 20))));
        assert_eq!(
            narrowed(Part::Early).range,
            Some((date(2024, 2, 1), date(2024, 2, 10)))
        );
        assert_eq!(
            narrowed(Part::Late).range,
            Some((date(2024, 2, 21), date(2024, 2, 29)))
        );
    }

    #[test]
    fn precisions_and_ranges() {
        let week = resolve(
            &DateParts {
                relative: Some((Precision::Week, 0)),
                ..DateParts::default()
            },
            p(2024, 4, 12),
        )
        .unwrap();
        assert_eq!(week.precision, Precision::Week);
        assert_eq!(week.range, Some((date(2024, 4, 8), date(2024, 4, 14))));
        let year = resolve(
            &DateParts {
                year: Some(2012),
                ..DateParts::default()
            },
            None,
        )
        .unwrap();
        assert_eq!(year.precision, Precision::Year);
        assert_eq!(year.range, Some((date(2012, 1, 1), date(2012, 12, 31))));
        let monday = resolve(
            &DateParts {
                weekday: Some(Mon),
                ..DateParts::default()
            },
            None,
        )
        .unwrap();
        assert_eq!(monday.precision, Precision::Day);
    }

    #[test]
    fn serialises_snake_case() {
        assert_eq!(serde_json::to_string(&Precision::Day).unwrap(), "\"day\"");
        assert_eq!(serde_json::to_string(&Part::Mid).unwrap(), "\"mid\"");
        assert_eq!(serde_json::to_string(&Part::Early).unwrap(), "\"early\"");
    }

    fn day(y: i32, m: u32, d: u32) -> DateValue {
        day_value(date(y, m, d), None).unwrap()
    }
    fn month(y: i32, m: u32, part: Option<Part>) -> DateValue {
        month_value(y, m, part).unwrap()
    }
    fn open(iso: &str, precision: Precision) -> DateValue {
        unresolved(iso.to_string(), precision, None)
    }

    macro_rules! compatibility {
        ($($name:ident: $a:expr, $b:expr => $expected:expr;)*) => {$(
            #[test]
            fn $name() {
                let (a, b) = ($a, $b);
                assert_eq!(compatible(&a, &b), $expected, "{a:?} vs {b:?}");
                assert_eq!(compatible(&b, &a), $expected, "symmetric: {b:?} vs {a:?}");
            }
        )*};
    }

    compatibility! {
        day_in_month: day(2024, 3, 26), month(2024, 3, None) => true;
        mid_month_in_month: month(2024, 3, Some(Part::Mid)), month(2024, 3, None) => true;
        day_vs_open_month: day(2024, 3, 26), open("XXXX-03", Precision::Month) => true;
        day_vs_other_open_month: day(2024, 3, 26), open("XXXX-04", Precision::Month) => false;
        different_days: day(2024, 3, 26), day(2024, 3, 27) => false;
        nothing_known_vs_day: open("XXXX-XX", Precision::Month), day(2024, 3, 26) => true;
        nothing_known_vs_open_day: open("XXXX-XX", Precision::Month), open("XXXX-03-26", Precision::Day) => true;
        nothing_known_vs_weekday: open("XXXX-XX", Precision::Month), open("XXXX-WXX-2", Precision::Day) => true;
        wednesday_date_vs_wednesday: day(2024, 4, 10), open("XXXX-WXX-3", Precision::Day) => true;
        wednesday_date_vs_thursday: day(2024, 4, 10), open("XXXX-WXX-4", Precision::Day) => false;
        early_vs_late_month: month(2024, 3, Some(Part::Early)), month(2024, 3, Some(Part::Late)) => false;
        day_vs_mid_month: day(2024, 3, 26), month(2024, 3, Some(Part::Mid)) => false;
        open_day_vs_open_month: open("XXXX-03-26", Precision::Day), open("XXXX-03", Precision::Month) => true;
        open_day_vs_other_open_month: open("XXXX-03-26", Precision::Day), open("XXXX-04", Precision::Month) => false;
        open_day_vs_weekday: open("XXXX-03-26", Precision::Day), open("XXXX-WXX-4", Precision::Day) => true;
        open_weekdays_differ: open("XXXX-WXX-3", Precision::Day), open("XXXX-WXX-4", Precision::Day) => false;
        open_day_vs_open_mid: open("XXXX-XX-26", Precision::Day),
            unresolved("XXXX-03".into(), Precision::Month, Some(Part::Mid)) => false;
        year_vs_day: open("2024", Precision::Year), day(2024, 3, 26) => true;
        week_vs_day_inside: open("2024-W13", Precision::Week), day(2024, 3, 26) => true;
        week_vs_day_outside: open("2024-W14", Precision::Week), day(2024, 3, 26) => false;
        garbage_knows_nothing: open("not a date", Precision::Day), day(2024, 3, 26) => true;
    }

    proptest! {
        #[test]
        fn resolve_never_panics(
            day in proptest::option::of(any::<u32>()),
            month in proptest::option::of(0u32..14),
            year in proptest::option::of(any::<i32>()),
            weekday in proptest::option::of(0u8..7),
            relative in proptest::option::of((0u8..4, any::<i32>())),
            direction in proptest::option::of(-3i32..3),
            part in proptest::option::of(0u8..3),
            future in any::<bool>(),
            published in proptest::option::of(-1_000_000i32..1_000_000),
        ) {
            let precisions = [Precision::Day, Precision::Week, Precision::Month, Precision::Year];
            let parts = DateParts {
                day,
                month,
                year,
                weekday: weekday.and_then(|w| weekday_from_number(w + 1)),
                relative: relative.map(|(p, k)| (precisions[usize::from(p)], k)),
                direction,
                part: part.map(|p| [Part::Early, Part::Mid, Part::Late][usize::from(p)]),
                future,
            };
            let published = published.and_then(NaiveDate::from_num_days_from_ce_opt);
            if let Some(v) = resolve(&parts, published) {
                prop_assert_eq!(v.range.is_some(), v.resolved);
                prop_assert!(compatible(&v, &v), "a value is compatible with itself: {:?}", v);
            }
        }

        #[test]
        fn compatible_never_panics(a in "\\PC{0,12}", b in "[X0-9W-]{0,12}") {
            let _ = compatible(&open(&a, Precision::Day), &open(&b, Precision::Day));
        }

        /// News mode: a bare weekday is never after P and at most six days before it.
        #[test]
        fn bare_weekday_is_within_the_week_before(days in 0i32..1_000_000, w in 1u8..=7) {
            let published = NaiveDate::from_num_days_from_ce_opt(days).unwrap();
            let parts = DateParts { weekday: weekday_from_number(w), ..DateParts::default() };
            if let Some(v) = resolve(&parts, Some(published)) {
                let (d, _) = v.range.unwrap();
                prop_assert!(d <= published && published - d <= chrono::TimeDelta::days(6));
            }
        }

        /// After a future cue, a bare weekday is never before P and at most six days after it.
        #[test]
        fn future_weekday_is_within_the_week_after(days in 0i32..1_000_000, w in 1u8..=7) {
            let published = NaiveDate::from_num_days_from_ce_opt(days).unwrap();
            let parts = DateParts { weekday: weekday_from_number(w), future: true, ..DateParts::default() };
            if let Some(v) = resolve(&parts, Some(published)) {
                let (d, _) = v.range.unwrap();
                prop_assert!(d >= published && d - published <= chrono::TimeDelta::days(6));
            }
        }

        /// A pair of weekdays is in order, at most six days apart, and ends on or before P in news mode.
        #[test]
        fn weekday_pairs_are_ordered(days in 0i32..1_000_000, a in 1u8..=7, b in 1u8..=7, future in any::<bool>()) {
            let published = NaiveDate::from_num_days_from_ce_opt(days).unwrap();
            let first = DateParts { weekday: weekday_from_number(a), future, ..DateParts::default() };
            let second = DateParts { weekday: weekday_from_number(b), ..DateParts::default() };
            if let Some((x, y)) = resolve_pair(&first, &second, Some(published)) {
                let (x, y) = (x.range.unwrap().0, y.range.unwrap().0);
                prop_assert!(x < y && y - x <= chrono::TimeDelta::days(6));
                if future {
                    prop_assert!(x >= published);
                } else {
                    prop_assert!(y <= published);
                }
            }
        }
    }

    /// A display names the days it covers, a month's part included; one with an unknown
    /// year names none.
    #[test]
    fn a_display_names_its_days() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let cases = [
            ("2024-03-26", Some((d(2024, 3, 26), d(2024, 3, 26)))),
            ("2024-02", Some((d(2024, 2, 1), d(2024, 2, 29)))),
            ("2024-03 (early)", Some((d(2024, 3, 1), d(2024, 3, 10)))),
            ("2024-03 (mid)", Some((d(2024, 3, 11), d(2024, 3, 20)))),
            ("2024-03 (late)", Some((d(2024, 3, 21), d(2024, 3, 31)))),
            ("2024-W15", Some((d(2024, 4, 8), d(2024, 4, 14)))),
            ("2023", Some((d(2023, 1, 1), d(2023, 12, 31)))),
            ("XXXX-03", None),
            ("XXXX-WXX-4", None),
        ];
        for (display, days) in cases {
            assert_eq!(display_interval(display), days, "{display}");
        }
    }

    #[test]
    fn unresolved_dates_and_weeks_read_as_words_resolved_ones_as_iso() {
        let v = |iso: &str, precision, resolved, part| DateValue {
            iso: iso.into(),
            precision,
            resolved,
            range: None,
            part,
        };
        use Precision::{Day, Month, Week, Year};
        let cases = [
            (v("XXXX-03", Month, false, None), "March (year unknown)"),
            (
                v("XXXX-03", Month, false, Some(Part::Mid)),
                "mid-March (year unknown)",
            ),
            (
                v("XXXX-12", Month, false, Some(Part::Early)),
                "early December (year unknown)",
            ),
            (
                v("XXXX-01", Month, false, Some(Part::Late)),
                "late January (year unknown)",
            ),
            (v("XXXX-03-26", Day, false, None), "26 March (year unknown)"),
            (v("XXXX-XX-01", Day, false, None), "the 1st (month unknown)"),
            (
                v("XXXX-XX-12", Day, false, None),
                "the 12th (month unknown)",
            ),
            (
                v("XXXX-XX-23", Day, false, None),
                "the 23rd (month unknown)",
            ),
            (v("XXXX-WXX-4", Day, false, None), "Thursday (date unknown)"),
            (v("XXXX-WXX-7", Day, false, None), "Sunday (date unknown)"),
            (v("XXXX-WXX", Week, false, None), "a week (date unknown)"),
            (v("XXXX-XX", Month, false, None), "a month (date unknown)"),
            (
                v("XXXX-XX", Month, false, Some(Part::Late)),
                "late in a month (date unknown)",
            ),
            (v("XXXX-XX-XX", Day, false, None), "a day (date unknown)"),
            (v("XXXX", Year, false, None), "a year (date unknown)"),
            // Resolved values are unambiguous ISO 8601 at their precision, but for a week,
            // named by its days, Monday to Sunday.
            (v("2024-03-26", Day, true, None), "2024-03-26"),
            (v("2024-03", Month, true, Some(Part::Mid)), "2024-03 (mid)"),
            (v("2024-W15", Week, true, None), "week of 8–14 April 2024"),
            (
                v("2024-W18", Week, true, None),
                "week of 29 April – 5 May 2024",
            ),
            (
                v("2025-W01", Week, true, None),
                "week of 30 December 2024 – 5 January 2025",
            ),
            (
                v("2020-W53", Week, true, None),
                "week of 28 December 2020 – 3 January 2021",
            ),
            (v("2024-W53", Week, true, None), "2024-W53"),
            (v("2023", Year, true, None), "2023"),
            // A shape that cannot be read stays as it is rather than be guessed at.
            (v("XXXX-13", Month, false, None), "XXXX-13"),
            (v("XXXX-00-05", Day, false, None), "XXXX-00-05"),
            (v("XXXX-WXX-9", Day, false, None), "XXXX-WXX-9"),
            (v("soon", Day, false, None), "soon"),
        ];
        for (value, words) in cases {
            assert_eq!(super::words(&value), words, "{}", value.iso);
        }
    }

    proptest! {
        /// Whatever the value holds, its words come without a panic.
        #[test]
        fn words_never_panic(iso in "[X0-9W-]{0,12}", resolved in any::<bool>()) {
            let v = DateValue { iso, precision: Precision::Day, resolved, range: None, part: None };
            let _ = words(&v);
        }
    }
}
