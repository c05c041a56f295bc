//! The timeline page: every resolved dated claim on one axis, one row per outlet, drawn as
//! inline SVG at build time (no JavaScript).
//!
//! A day is a dot, a week or month a bar over the days it covers. Shape and fill carry the
//! verdict as well as colour: a filled circle or bar agrees, a diamond conflicts, a hollow
//! mark is single-source. Dates reported by more than one outlet get a number, drawn at
//! each outlet's mark and joined by a dashed line, so a reader sees where outlets put the
//! same event and where their dates part; the numbered list and the full table below say
//! the same in words.
//!
//! The axis covers the day, week and month claims; a year (`2012`) would stretch it over a
//! decade and crush the rest, so years and anything outside that window are listed below
//! the chart instead of drawn.

use super::html::{esc, lang_dir, mixed};
use super::{grouped, statement_title, values_text, DocumentOut, Scope, StatementOut};
use crate::dates;
use chrono::{Datelike as _, NaiveDate};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// A dated claim placed on the axis.
struct Mark<'a> {
    outlet: &'a str,
    doc: &'a str,
    from: NaiveDate,
    to: NaiveDate,
    precision: &'a str,
    /// The date as the pages show it: its ISO form, a week by its days.
    shown: &'a str,
    text: &'a str,
    verdict: &'a str,
    statement: Option<&'a StatementOut>,
}

/// Geometry of the chart, in SVG user units.
const LEFT: f64 = 190.0;
const WIDTH: f64 = 860.0;
const ROW: f64 = 44.0;
const TOP: f64 = 34.0;

/// Tick dates and their labels for an axis from `min` to `max`, at least ~70 units apart.
fn ticks(min: NaiveDate, max: NaiveDate, per_day: f64) -> Vec<(NaiveDate, String)> {
    let mut out = Vec::new();
    let days_between = 70.0 / per_day;
    if days_between <= 14.0 {
        let step = [1u64, 2, 7, 14]
            .into_iter()
            .find(|&s| s as f64 >= days_between)
            .unwrap_or(14);
        let mut t = min;
        while t <= max {
            out.push((t, t.format("%Y-%m-%d").to_string()));
            t = t + chrono::Days::new(step);
        }
        return out;
    }
    let months_between = days_between / 30.4;
    let step = [1u32, 2, 3, 6, 12, 24, 60, 120]
        .into_iter()
        .find(|&s| f64::from(s) >= months_between)
        .unwrap_or(120);
    let mut t = NaiveDate::from_ymd_opt(min.year(), min.month(), 1).unwrap_or(min);
    while (t.year() * 12 + t.month0() as i32) % step as i32 != 0 {
        match t.checked_add_months(chrono::Months::new(1)) {
            Some(n) => t = n,
            None => return out,
        }
    }
    while t <= max {
        if t >= min {
            let label = if step >= 12 {
                t.format("%Y").to_string()
            } else {
                t.format("%Y-%m").to_string()
            };
            out.push((t, label));
        }
        match t.checked_add_months(chrono::Months::new(step)) {
            Some(n) => t = n,
            None => break,
        }
    }
    out
}

/// A story's timeline as the last section of its page (`#timeline`), for a page `depth`
/// folders below the site root: [`svg_page`] one heading level down.
pub fn story_section(r: &Scope, depth: usize) -> String {
    let mut o = String::from(
        "<section id=\"timeline\" aria-labelledby=\"h-timeline\"><h2 id=\"h-timeline\">Timeline</h2>\n",
    );
    timeline_into(&mut o, r, depth, 3);
    o.push_str("</section>\n");
    o
}

/// The timeline page body, for a page `depth` folders below the site root.
pub fn svg_page(r: &Scope, depth: usize) -> String {
    let mut o = String::from("<h1>Timeline</h1>\n");
    timeline_into(&mut o, r, depth, 2);
    o
}

/// The timeline under its heading, at the end of `o`: the axis, the table of dates given
/// by more than one outlet and the table of every date, those two headed `<h{sub}>`.
fn timeline_into(o: &mut String, r: &Scope, depth: usize, sub: u8) {
    let statement_of: BTreeMap<&str, &StatementOut> =
        r.statements.iter().map(|s| (s.id.as_str(), s)).collect();
    let doc_of: BTreeMap<&str, &DocumentOut> =
        r.documents.iter().map(|d| (d.id.as_str(), d)).collect();
    let outlet_of: BTreeMap<&str, &str> = r
        .documents
        .iter()
        .map(|d| (d.id.as_str(), d.outlet.as_str()))
        .collect();
    let mut marks: Vec<Mark> = Vec::new();
    for c in &r.claims {
        if c.resolved != Some(true) {
            continue;
        }
        let (true, Some(p)) = (c.value.is_string(), c.precision.as_deref()) else {
            continue;
        };
        let Some((from, to)) = dates::display_interval(&c.display) else {
            continue;
        };
        let statement = c
            .statement
            .as_deref()
            .and_then(|s| statement_of.get(s).copied());
        marks.push(Mark {
            outlet: outlet_of.get(c.doc.as_str()).copied().unwrap_or(&c.doc),
            doc: &c.doc,
            from,
            to,
            precision: p,
            shown: r.words.of(&c.display),
            text: &c.text,
            verdict: statement.map_or("single", |s| s.verdict.as_str()),
            statement,
        });
    }
    marks.sort_by(|a, b| (a.from, a.to, a.outlet, a.text).cmp(&(b.from, b.to, b.outlet, b.text)));

    let _ = writeln!(
        o,
        "<p>Every date the articles give for an event, placed on one axis, one row per outlet. Dates reported by more than one outlet are numbered: follow a number down the rows to see whether the outlets put the event on the same day.</p>"
    );
    let unresolved: BTreeMap<&str, usize> = r
        .claims
        .iter()
        .filter(|c| c.resolved == Some(false))
        .fold(BTreeMap::new(), |mut m, c| {
            *m.entry(c.doc.as_str()).or_default() += 1;
            m
        });
    if marks.is_empty() {
        let _ = writeln!(o, r#"<p class="none">No resolved date claims.</p>"#);
        o.push_str(&unresolved_note(r, &unresolved, depth));
        return;
    }

    // The window: day, week and month claims (all claims when there are only years).
    let core: Vec<&Mark> = marks.iter().filter(|m| m.precision != "year").collect();
    let pool: Vec<&Mark> = if core.is_empty() {
        marks.iter().collect()
    } else {
        core
    };
    let lo = pool.iter().map(|m| m.from).min().unwrap_or_default();
    let hi = pool.iter().map(|m| m.to).max().unwrap_or_default();
    let pad = chrono::Days::new((((hi - lo).num_days() as f64) * 0.03).ceil().max(2.0) as u64);
    let (min, max) = (lo - pad, hi + pad);
    let span_days = ((max - min).num_days().max(1)) as f64;
    let per_day = WIDTH / span_days;
    let x = |d: NaiveDate| LEFT + WIDTH * ((d - min).num_days() as f64) / span_days;
    let drawn: Vec<&Mark> = marks
        .iter()
        .filter(|m| m.precision != "year" || pool.len() == marks.len())
        .filter(|m| m.from >= min && m.to <= max)
        .collect();
    let off_axis: Vec<&Mark> = marks
        .iter()
        .filter(|m| {
            !(m.precision != "year" || pool.len() == marks.len()) || m.from < min || m.to > max
        })
        .collect();

    // Statements dated by more than one outlet, numbered by their earliest drawn date.
    let mut keyed: Vec<&StatementOut> = Vec::new();
    let mut numbers: BTreeMap<&str, usize> = BTreeMap::new();
    for m in &drawn {
        if let Some(s) = m.statement {
            if s.verdict != "single" && !numbers.contains_key(s.id.as_str()) {
                keyed.push(s);
                numbers.insert(&s.id, keyed.len());
            }
        }
    }
    let key_of = |s: &StatementOut| numbers.get(s.id.as_str()).copied();

    let outlets: Vec<&str> = {
        let mut v: Vec<&str> = drawn.iter().map(|m| m.outlet).collect();
        v.sort_unstable_by_key(|o| super::outlet_order(o));
        v.dedup();
        v
    };
    let rows: BTreeMap<&str, usize> = outlets.iter().enumerate().map(|(i, o)| (*o, i)).collect();
    let row_of = |outlet: &str| rows.get(outlet).copied().unwrap_or(0);
    let y_of = |row: usize| TOP + 20.0 + ROW * row as f64;
    let axis_y = y_of(outlets.len()) - ROW / 2.0 + 8.0;
    let height = axis_y + 26.0;
    let _ = writeln!(
        o,
        r#"<figure class="timeline"><p class="scroll-hint" aria-hidden="true">Scroll the chart sideways to see all of it →</p><div class="scroll"><svg class="timeline" viewBox="0 0 {w} {height}" role="img" aria-labelledby="tl-title tl-desc"><title id="tl-title">Dated claims from {lo} to {hi}, one row per outlet</title><desc id="tl-desc">{n} drawn; the table below lists each with its outlet and verdict.</desc>"#,
        w = LEFT + WIDTH + 50.0,
        n = super::count(drawn.len(), "date", "dates"),
    );
    // Grid and ticks first, under everything else.
    for (t, label) in ticks(min, max, per_day) {
        let tx = x(t);
        let _ = writeln!(
            o,
            r#"<line class="grid" x1="{tx:.1}" y1="{}" x2="{tx:.1}" y2="{axis_y}"/><text class="tick" x="{tx:.1}" y="{}" text-anchor="middle">{label}</text>"#,
            TOP - 6.0,
            axis_y + 16.0,
        );
    }
    for (i, outlet) in outlets.iter().enumerate() {
        let y = y_of(i);
        let _ = writeln!(
            o,
            r#"<text x="{}" y="{}" text-anchor="end">{}</text><line class="axis" x1="{LEFT}" y1="{y}" x2="{}" y2="{y}"/>"#,
            LEFT - 10.0,
            y + 4.0,
            esc(outlet),
            LEFT + WIDTH
        );
    }
    // Dashed links between the outlets' marks of one numbered statement.
    // The marks of each statement, gathered once rather than searched for each statement.
    let mut marks_of: BTreeMap<&str, Vec<&Mark>> = BTreeMap::new();
    for m in &drawn {
        if let Some(s) = m.statement {
            marks_of.entry(s.id.as_str()).or_default().push(m);
        }
    }
    for s in &keyed {
        let mut pts: Vec<(f64, f64)> = marks_of
            .get(s.id.as_str())
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|m| {
                (
                    x(m.from) + (x(m.to) - x(m.from)) / 2.0,
                    y_of(row_of(m.outlet)),
                )
            })
            .collect();
        pts.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.total_cmp(&b.0)));
        if pts.len() > 1 {
            let path: Vec<String> = pts
                .iter()
                .map(|(px, py)| format!("{px:.1},{py:.1}"))
                .collect();
            let _ = writeln!(
                o,
                r#"<polyline class="link {}" points="{}"/>"#,
                esc(&s.verdict),
                path.join(" ")
            );
        }
    }
    for m in &drawn {
        let y = y_of(row_of(m.outlet));
        let v = esc(m.verdict);
        let title = format!(
            "<title>{} — {} ({}): {}</title>",
            esc(m.outlet),
            esc(m.shown),
            esc(m.verdict),
            esc(m.text)
        );
        let (x0, x1) = (x(m.from), x(m.to));
        let shape = if m.from == m.to {
            if m.verdict == "conflict" {
                format!(
                    r#"<path class="mark {v}" d="M{:.1} {} l7 7 l-7 7 l-7 -7 z">{title}</path>"#,
                    x0,
                    y - 7.0
                )
            } else {
                format!(r#"<circle class="mark {v}" cx="{x0:.1}" cy="{y}" r="6">{title}</circle>"#)
            }
        } else {
            let h = if m.verdict == "conflict" { 14.0 } else { 10.0 };
            format!(
                r#"<rect class="mark {v}" x="{x0:.1}" y="{}" width="{:.1}" height="{h}" rx="3" fill-opacity="0.55">{title}</rect>"#,
                y - h / 2.0,
                (x1 - x0).max(4.0)
            )
        };
        let key = m
            .statement
            .and_then(&key_of)
            .map(|k| {
                format!(
                    r#"<text class="key {v}" x="{:.1}" y="{}" text-anchor="middle" stroke="none">{k}</text>"#,
                    (x0 + x1) / 2.0,
                    y - 11.0
                )
            })
            .unwrap_or_default();
        match m.statement {
            Some(s) => {
                let _ = writeln!(o, r#"<a href="{}">{shape}{key}</a>"#, s.href(depth));
            }
            None => {
                let href = doc_of
                    .get(m.doc)
                    .map_or_else(String::new, |d| d.href(depth));
                let _ = writeln!(o, r#"<a href="{href}">{shape}</a>"#);
            }
        }
    }
    let _ = writeln!(
        o,
        r#"</svg></div><figcaption class="timeline-key">From {lo} to {hi}. <span aria-hidden="true">●</span> agree, <span aria-hidden="true">◆</span> conflict, <span aria-hidden="true">○</span> single source; a dot is a day, a bar a week or month. Each mark links to its statement.</figcaption></figure>"#
    );

    if !keyed.is_empty() {
        let _ = writeln!(
            o,
            r#"<h{sub}>Dated by more than one outlet</h{sub}><div class="scroll"><table><thead><tr><th scope="col">No.</th><th scope="col">Verdict</th><th scope="col">Statement</th><th scope="col">Dates by outlet</th></tr></thead><tbody>"#
        );
        // A member none of whose dates is drawn has no mark to follow its number to.
        let on_chart: BTreeSet<(&str, &str)> = drawn
            .iter()
            .filter_map(|m| Some((m.statement?.id.as_str(), m.doc)))
            .collect();
        for (i, s) in keyed.iter().enumerate() {
            let dates: Vec<String> = s
                .members
                .iter()
                .map(|m| {
                    let absent = if on_chart.contains(&(s.id.as_str(), m.doc.as_str())) {
                        ""
                    } else if m.values.iter().all(|v| v.starts_with("XXXX")) {
                        r#" <span class="muted">(not on the chart: no publication date to place it)</span>"#
                    } else {
                        r#" <span class="muted">(not on the chart: see below)</span>"#
                    };
                    format!(
                        r#"<bdi>{}</bdi>: <span class="value" dir="ltr">{}</span>{absent}"#,
                        esc(&m.outlet),
                        esc(&values_text(&r.words.list(&m.values)))
                    )
                })
                .collect();
            let _ = writeln!(
                o,
                r#"<tr><td class="num">{}</td><td>{}</td><td><a href="{}">{}</a></td><td>{}</td></tr>"#,
                i + 1,
                badge(&s.verdict),
                s.href(depth),
                mixed(&statement_title(r.words, s)),
                dates.join("<br>")
            );
        }
        let _ = writeln!(o, "</tbody></table></div>");
    }

    if !off_axis.is_empty() {
        let _ = writeln!(
            o,
            r#"<p>Not drawn (a whole year, or outside the window): {}. They are in the table below.</p>"#,
            off_axis
                .iter()
                .map(|m| format!(
                    r#"<span class="value" dir="ltr">{}</span> (<bdi>{}</bdi>)"#,
                    esc(m.shown),
                    esc(m.outlet)
                ))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    o.push_str(&unresolved_note(r, &unresolved, depth));

    let _ = writeln!(
        o,
        r#"<h{sub}>Every resolved date</h{sub}><div class="scroll"><table><thead><tr><th scope="col">Date</th><th scope="col">Outlet</th><th scope="col">Words</th><th scope="col">Statement</th></tr></thead><tbody>"#
    );
    for m in &marks {
        let statement = match m.statement {
            Some(s) => format!(
                r#"{} <a href="{}">{}</a>"#,
                badge(&s.verdict),
                s.href(depth),
                match key_of(s) {
                    Some(k) => format!("no. {k}: {}", mixed(&statement_title(r.words, s))),
                    None => mixed(&statement_title(r.words, s)),
                }
            ),
            None => r#"<span class="muted">—</span>"#.to_string(),
        };
        let _ = writeln!(
            o,
            r#"<tr><td class="value" dir="ltr">{}</td><td><bdi>{}</bdi></td><td {}>{}</td><td>{statement}</td></tr>"#,
            esc(m.shown),
            esc(m.outlet),
            lang_dir(m.text),
            esc(m.text),
        );
    }
    let _ = writeln!(o, "</tbody></table></div>");
}

/// The timeline page of a corpus of several stories: each story has its own timeline,
/// since one axis for every story would crowd out all of them.
/// The stories past the first [`super::PAGE`] are on the overview's story list from
/// `rest` on (`lists/stories-2.html`).
pub(super) fn stories_page(stories: &[super::overview::StoryRow], rest: &str) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "<h1>Timeline</h1>");
    let _ = writeln!(
        o,
        r##"<p>This corpus has {} stories. Each has its own timeline, linked from its page (see <a href="index.html#stories">the stories</a>), where that story's outlets are the rows and its dates one axis.</p>"##,
        stories.len()
    );
    let shown = stories.len().min(super::PAGE);
    if shown == stories.len() {
        let _ = writeln!(o, r#"<h2>All {shown} stories</h2><ul class="stories">"#);
    } else {
        let _ = writeln!(
            o,
            r#"<h2>The first {shown} of {} stories</h2><ul class="stories">"#,
            grouped(stories.len())
        );
    }
    for s in &stories[..shown] {
        let _ = writeln!(
            o,
            r#"<li><a href="{}" {}>{}</a> <span class="muted">({}, {})</span></li>"#,
            super::overview::story_timeline_path(s.id),
            lang_dir(super::story_name(s.id)),
            esc(super::story_name(s.id)),
            super::count(s.articles, "article", "articles"),
            super::count(s.conflicts, "conflict", "conflicts")
        );
    }
    let _ = writeln!(o, "</ul>");
    if shown < stories.len() {
        let more = stories.len() - shown;
        let _ = writeln!(
            o,
            r#"<p>The other {} are on <a href="{}">the next pages of the stories list</a>, each linked to its page and its timeline.</p>"#,
            super::count(more, "story", "stories"),
            esc(rest)
        );
    }
    o
}

fn badge(v: &str) -> String {
    let (sym, word) = match v {
        "conflict" => ("✗", "conflict"),
        "agree" => ("✓", "agree"),
        _ => ("○", "single source"),
    };
    format!(
        r#"<span class="badge {}"><span aria-hidden="true">{sym}</span> {word}</span>"#,
        esc(v)
    )
}

fn unresolved_note(r: &Scope, unresolved: &BTreeMap<&str, usize>, depth: usize) -> String {
    if unresolved.is_empty() {
        return String::new();
    }
    let doc_of: BTreeMap<&str, &DocumentOut> =
        r.documents.iter().map(|d| (d.id.as_str(), d)).collect();
    let docs: Vec<String> = unresolved
        .iter()
        .map(|(doc, n)| {
            let d = doc_of.get(doc);
            format!(
                r#"<a href="{}"><code>{}</code></a> ({n})"#,
                d.map_or_else(String::new, |d| d.href(depth)),
                esc(d.map_or(*doc, |d| d.path.as_str()))
            )
        })
        .collect();
    format!(
        "<p>Not placed: {} date claims whose article has no publication date, so relative dates such as <bdi lang=\"ar\">الشهر الماضي</bdi> cannot be resolved: {}.</p>\n",
        unresolved.values().sum::<usize>(),
        docs.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_spaced_and_labelled() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let t = ticks(d("2023-02-01"), d("2024-04-30"), WIDTH / 455.0);
        assert!(t.len() >= 5 && t.len() <= 14, "{t:?}");
        assert!(t.iter().all(|(_, l)| l.len() == 7));
        let short = ticks(d("2023-12-18"), d("2023-12-26"), WIDTH / 8.0);
        assert!(short.iter().all(|(_, l)| l.len() == 10), "{short:?}");
    }

    /// The timeline page of several stories says whether it lists them all, and links to
    /// the rest when it does not; counts of one are in the singular.
    #[test]
    fn the_stories_page_lists_them_all_or_says_where_the_rest_are() {
        let ids: Vec<String> = (0..super::super::PAGE + 2)
            .map(|i| format!("s{i:03}"))
            .collect();
        let rows = |n: usize| -> Vec<super::super::overview::StoryRow> {
            ids[..n]
                .iter()
                .map(|id| super::super::overview::StoryRow {
                    id,
                    articles: 1,
                    outlets: 1,
                    outlet_unknown: 0,
                    claims: 2,
                    conflicts: 1,
                    agreements: 0,
                    singles: 1,
                    first_published: None,
                    last_published: None,
                })
                .collect()
        };
        let few = stories_page(&rows(3), "lists/stories-2.html");
        assert!(few.contains("<h2>All 3 stories</h2>"), "{few}");
        assert!(few.contains("(1 article, 1 conflict)"), "{few}");
        assert!(!few.contains("stories-2.html"), "{few}");
        let many = stories_page(&rows(super::super::PAGE + 2), "lists/stories-2.html");
        let first = format!(
            "<h2>The first {} of {} stories</h2>",
            super::super::PAGE,
            super::super::PAGE + 2
        );
        assert!(many.contains(&first), "{many}");
        assert!(
            many.contains(r#"The other 2 stories are on <a href="lists/stories-2.html">"#),
            "{many}"
        );
    }
}
