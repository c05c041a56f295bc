//! The timeline page: every resolved dated claim on one axis, one row per outlet, drawn as
//! inline SVG at build time (no JavaScript). A day-precise date is a dot; a month or week
//! is a bar over the days it covers; colour follows the claim's statement verdict and the
//! verdict is also in the tooltip and the table below, so colour is never the only signal.

use super::html::esc;
use super::{slug, Report};
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// A dated claim placed on the axis.
struct Mark<'a> {
    outlet: &'a str,
    from: NaiveDate,
    to: NaiveDate,
    label: String,
    verdict: &'a str,
    statement: Option<&'a str>,
}

fn range_of(iso: &str, precision: &str) -> Option<(NaiveDate, NaiveDate)> {
    match precision {
        "day" => NaiveDate::parse_from_str(iso, "%Y-%m-%d")
            .ok()
            .map(|d| (d, d)),
        "month" => {
            let first = NaiveDate::parse_from_str(&format!("{iso}-01"), "%Y-%m-%d").ok()?;
            let next = first.checked_add_months(chrono::Months::new(1))?;
            Some((first, next.pred_opt()?))
        }
        "year" => {
            let y: i32 = iso.parse().ok()?;
            Some((
                NaiveDate::from_ymd_opt(y, 1, 1)?,
                NaiveDate::from_ymd_opt(y, 12, 31)?,
            ))
        }
        "week" => {
            let (y, w) = iso.split_once("-W")?;
            let monday =
                NaiveDate::from_isoywd_opt(y.parse().ok()?, w.parse().ok()?, chrono::Weekday::Mon)?;
            Some((monday, monday + chrono::Days::new(6)))
        }
        _ => None,
    }
}

/// The timeline page body.
pub fn svg_page(r: &Report) -> String {
    let verdict_of: BTreeMap<&str, &str> = r
        .statements
        .iter()
        .map(|s| (s.id.as_str(), s.verdict.as_str()))
        .collect();
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
        let (Some(iso), Some(p)) = (c.value.as_str(), c.precision.as_deref()) else {
            continue;
        };
        let Some((from, to)) = range_of(iso, p) else {
            continue;
        };
        marks.push(Mark {
            outlet: outlet_of.get(c.doc.as_str()).copied().unwrap_or(&c.doc),
            from,
            to,
            label: format!("{} — {} ({})", c.display, c.text, c.kind),
            verdict: c
                .statement
                .as_deref()
                .and_then(|s| verdict_of.get(s).copied())
                .unwrap_or("single"),
            statement: c.statement.as_deref(),
        });
    }
    let mut o = String::new();
    let _ = writeln!(o, "<h1>Timeline</h1>");
    let unresolved = r
        .claims
        .iter()
        .filter(|c| c.resolved == Some(false))
        .count();
    let _ = writeln!(
        o,
        "<p>Every resolved date claim, one row per outlet. Dots are days, bars are weeks, months or years. {unresolved} date claims could not be resolved (no publication date) and are listed on their documents' pages.</p>"
    );
    if marks.is_empty() {
        let _ = writeln!(o, "<p>No resolved date claims.</p>");
        return o;
    }
    let min = marks.iter().map(|m| m.from).min().unwrap_or_default();
    let max = marks.iter().map(|m| m.to).max().unwrap_or_default();
    let span_days = ((max - min).num_days().max(1)) as f64;
    let outlets: Vec<&str> = {
        let mut v: Vec<&str> = marks.iter().map(|m| m.outlet).collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let (left, width, row) = (170.0, 760.0, 34.0);
    let height = 40.0 + row * outlets.len() as f64 + 30.0;
    let x = |d: NaiveDate| left + width * ((d - min).num_days() as f64) / span_days;
    let _ = writeln!(
        o,
        r#"<figure><svg class="timeline" viewBox="0 0 {w} {height}" role="img" aria-labelledby="tl-title"><title id="tl-title">Dated claims from {min} to {max}, by outlet</title>"#,
        w = left + width + 20.0
    );
    for (i, outlet) in outlets.iter().enumerate() {
        let y = 40.0 + row * i as f64;
        let _ = writeln!(
            o,
            r#"<text x="{}" y="{}" text-anchor="end" dir="auto">{}</text><line class="axis" x1="{left}" y1="{y}" x2="{}" y2="{y}"/>"#,
            left - 8.0,
            y + 4.0,
            esc(outlet),
            left + width
        );
        for m in marks.iter().filter(|m| m.outlet == *outlet) {
            let title = format!("<title>{} · {}</title>", esc(&m.label), esc(m.verdict));
            let shape = if m.from == m.to {
                format!(
                    r#"<circle class="mark {}" cx="{:.1}" cy="{y}" r="6">{title}</circle>"#,
                    esc(m.verdict),
                    x(m.from)
                )
            } else {
                format!(
                    r#"<rect class="mark {}" x="{:.1}" y="{}" width="{:.1}" height="10" rx="3" opacity="0.6">{title}</rect>"#,
                    esc(m.verdict),
                    x(m.from),
                    y - 5.0,
                    (x(m.to) - x(m.from)).max(3.0)
                )
            };
            match m.statement {
                Some(s) => {
                    let _ = writeln!(o, r#"<a href="statements/{}.html">{shape}</a>"#, slug(s));
                }
                None => {
                    let _ = writeln!(o, "{shape}");
                }
            }
        }
    }
    // Month ticks along the bottom.
    let axis_y = 40.0 + row * outlets.len() as f64;
    let mut tick =
        NaiveDate::from_ymd_opt(min.year_ce().1 as i32, min.month0() + 1, 1).unwrap_or(min);
    let step = if span_days > 800.0 {
        6
    } else if span_days > 200.0 {
        2
    } else {
        1
    };
    while tick <= max {
        if tick >= min {
            let _ = writeln!(
                o,
                r#"<text x="{:.1}" y="{}" text-anchor="middle">{}</text>"#,
                x(tick),
                axis_y + 10.0,
                tick.format("%Y-%m")
            );
        }
        match tick.checked_add_months(chrono::Months::new(step)) {
            Some(t) => tick = t,
            None => break,
        }
    }
    let _ = writeln!(
        o,
        "</svg><figcaption>From {min} to {max}.</figcaption></figure>"
    );
    let _ = writeln!(
        o,
        r#"<table><thead><tr><th scope="col">Outlet</th><th scope="col">Date</th><th scope="col">Verdict</th><th scope="col">Claim</th></tr></thead><tbody>"#
    );
    let mut sorted: Vec<&Mark> = marks.iter().collect();
    sorted.sort_by(|a, b| (a.from, a.outlet, &a.label).cmp(&(b.from, b.outlet, &b.label)));
    for m in sorted {
        let _ = writeln!(
            o,
            r#"<tr><td>{}</td><td class="value">{}</td><td>{}</td><td dir="auto">{}</td></tr>"#,
            esc(m.outlet),
            if m.from == m.to {
                m.from.to_string()
            } else {
                format!("{} – {}", m.from, m.to)
            },
            esc(m.verdict),
            esc(&m.label)
        );
    }
    let _ = writeln!(o, "</tbody></table>");
    o
}

use chrono::Datelike as _;
