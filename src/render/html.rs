//! The HTML pages: overview, one page per statement group, one per document, the rules.
//!
//! Steps: (1) every page is a `<main>` body built from the report; (2) `page` wraps it in
//! the shared layout with inline CSS (no external assets, no JavaScript); (3) links are
//! relative so the site opens from disk. Every string that came from an article or from
//! rules.toml goes through [`esc`]; raw HTML comes only from the functions in this file.
//! Arabic text carries `lang="ar" dir="rtl"` (or `dir="auto"` when scripts mix), so
//! numbers and Latin names inside it render in the right order.

use super::markdown::{corpus_line, shorten};
use super::{by_verdict, slug, ClaimOut, DocumentOut, Report, StatementOut};
use crate::rules::RuleSet;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

const STYLE: &str = include_str!("style.css");

/// Escape text for HTML element content and double-quoted attributes.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `lang`/`dir` attributes for a piece of text: Arabic → rtl, mixed scripts → auto.
fn lang_dir(text: &str) -> &'static str {
    let (mut arabic, mut latin) = (0, 0);
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        if ('\u{0600}'..='\u{06FF}').contains(&c) || ('\u{FB50}'..='\u{FEFF}').contains(&c) {
            arabic += 1;
        } else {
            latin += 1;
        }
    }
    match (arabic, latin) {
        (0, _) => r#"dir="auto""#,
        (_, 0) => r#"lang="ar" dir="rtl""#,
        (a, l) if a >= l * 3 => r#"lang="ar" dir="rtl""#,
        _ => r#"dir="auto""#,
    }
}

fn verdict_badge(v: &str) -> String {
    let (sym, word) = match v {
        "conflict" => ("✗", "conflict"),
        "agree" => ("✓", "agree"),
        "single" => ("○", "single source"),
        "variant" => ("≠", "variant spellings"),
        "same" => ("=", "same spelling"),
        other => ("·", other),
    };
    format!(
        r#"<span class="badge {v}"><span aria-hidden="true">{sym}</span> {word}</span>"#,
        v = esc(v),
        word = esc(word)
    )
}

fn page(title: &str, depth: usize, body: &str) -> String {
    let up = "../".repeat(depth);
    format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
{STYLE}</style>
</head>
<body>
<header><nav aria-label="Site"><a href="{up}index.html">Overview</a> · <a href="{up}timeline.html">Timeline</a> · <a href="{up}rules.html">Rules</a> · <a href="{up}report.json">report.json</a> · <a href="{up}report.md">report.md</a></nav></header>
<main>
{body}</main>
</body>
</html>
"#,
        title = esc(title),
    )
}

/// Every page, by relative path.
pub fn pages(r: &Report, rules: &RuleSet) -> Vec<(String, String)> {
    let mut out = vec![
        (
            "index.html".to_string(),
            page("Source comparison", 0, &index(r)),
        ),
        (
            "rules.html".to_string(),
            page("Rules in force", 0, &rules_page(rules)),
        ),
        (
            "timeline.html".to_string(),
            page("Timeline", 0, &super::timeline::svg_page(r)),
        ),
    ];
    for s in &r.statements {
        out.push((
            format!("statements/{}.html", slug(&s.id)),
            page(&format!("Statement {}", s.id), 1, &statement(r, s)),
        ));
    }
    for d in &r.documents {
        out.push((
            format!("documents/{}.html", slug(&d.id)),
            page(&d.title, 1, &document(r, d)),
        ));
    }
    out
}

fn statement_link(s: &StatementOut, depth: usize) -> String {
    format!(
        r#"<a href="{}statements/{}.html">{} statement {}</a>"#,
        "../".repeat(depth),
        slug(&s.id),
        esc(&s.kind),
        esc(&s.id)
    )
}

fn index(r: &Report) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "<h1>Source comparison</h1>");
    let _ = writeln!(o, r#"<p class="corpus">{}.</p>"#, esc(&corpus_line(r)));

    let conflicts = by_verdict(r, "conflict");
    let _ = writeln!(
        o,
        r#"<section id="conflicts"><h2>Conflicts ({})</h2>"#,
        conflicts.len()
    );
    if conflicts.is_empty() {
        let _ = writeln!(
            o,
            "<p>No two outlets give incompatible values for the same statement.</p>"
        );
    }
    for s in conflicts {
        let _ = writeln!(o, "{}", statement_card(s));
    }
    let _ = writeln!(o, "</section>");

    let agree = by_verdict(r, "agree");
    let _ = writeln!(
        o,
        r#"<section id="agreements"><h2>Agreements ({})</h2>"#,
        agree.len()
    );
    if agree.is_empty() {
        let _ = writeln!(o, "<p>No statement is reported by two outlets.</p>");
    }
    for s in agree {
        let _ = writeln!(o, "{}", statement_card(s));
    }
    let _ = writeln!(o, "</section>");

    let singles = by_verdict(r, "single");
    let _ = writeln!(
        o,
        r#"<section id="singles"><h2>Single-source claims ({})</h2>"#,
        singles.len()
    );
    if !singles.is_empty() {
        let _ = writeln!(
            o,
            r#"<table><thead><tr><th scope="col">Type</th><th scope="col">Outlet</th><th scope="col">Value</th><th scope="col">Sentence</th></tr></thead><tbody>"#
        );
        for s in singles {
            let m = &s.members[0];
            let _ = writeln!(
                o,
                r#"<tr><td>{}</td><td>{}</td><td class="value">{}</td><td {}><a href="statements/{}.html">{}</a></td></tr>"#,
                esc(&s.kind),
                esc(&m.outlet),
                esc(&m.values.join(", ")),
                lang_dir(&m.text),
                slug(&s.id),
                esc(&shorten(&m.text, 140))
            );
        }
        let _ = writeln!(o, "</tbody></table>");
    }
    let _ = writeln!(o, "</section>");

    let _ = writeln!(o, "{}", spellings(r));
    let _ = writeln!(o, "{}", coverage(r));

    let _ = writeln!(
        o,
        r#"<section id="documents"><h2>Documents ({})</h2><ul>"#,
        r.documents.len()
    );
    for d in &r.documents {
        let _ = writeln!(
            o,
            r#"<li><a href="documents/{}.html"><span {}>{}</span></a> — {}, {} <span class="path">({})</span></li>"#,
            slug(&d.id),
            lang_dir(&d.title),
            esc(&d.title),
            esc(&d.outlet),
            d.published
                .as_deref()
                .map_or("no publication date found".to_string(), esc),
            esc(&d.path)
        );
    }
    let _ = writeln!(o, "</ul><p><a href=\"rules.html\">The rules in force</a> decide what counts as a claim.</p></section>");
    o
}

fn statement_card(s: &StatementOut) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        r#"<article class="card {}"><h3>{} {}</h3><p class="reason">{}</p><table class="values"><thead><tr><th scope="col">Outlet</th><th scope="col">Value</th><th scope="col">Sentence</th></tr></thead><tbody>"#,
        esc(&s.verdict),
        verdict_badge(&s.verdict),
        statement_link(s, 0),
        esc(&s.reason)
    );
    for m in &s.members {
        let _ = writeln!(
            o,
            r#"<tr><td>{}</td><td class="value">{}</td><td {}>{}</td></tr>"#,
            esc(&m.outlet),
            esc(&m.values.join(", ")),
            lang_dir(&m.text),
            esc(&shorten(&m.text, 160))
        );
    }
    let _ = writeln!(o, "</tbody></table></article>");
    o
}

fn spellings(r: &Report) -> String {
    let mut o = String::new();
    let outlets: BTreeSet<&str> = r.documents.iter().map(|d| d.outlet.as_str()).collect();
    let _ = writeln!(
        o,
        r#"<section id="names"><h2>Name spellings ({})</h2>"#,
        r.entities.len()
    );
    if r.entities.is_empty() {
        let _ = writeln!(o, "<p>No listed name was found.</p></section>");
        return o;
    }
    let _ = write!(
        o,
        r#"<div class="scroll"><table><thead><tr><th scope="col">Entity</th><th scope="col">Verdict</th>"#
    );
    for outlet in &outlets {
        let _ = write!(o, r#"<th scope="col">{}</th>"#, esc(outlet));
    }
    let _ = writeln!(o, "</tr></thead><tbody>");
    for e in &r.entities {
        let _ = write!(
            o,
            r#"<tr><th scope="row"><span {}>{}</span> <span class="path">{}</span></th><td>{}</td>"#,
            lang_dir(&e.canonical),
            esc(&e.canonical),
            esc(&e.id),
            verdict_badge(&e.verdict)
        );
        for outlet in &outlets {
            let texts: BTreeSet<&str> = e
                .mentions
                .iter()
                .filter(|m| m.outlet == *outlet)
                .map(|m| m.text.as_str())
                .collect();
            let cell = texts
                .iter()
                .map(|t| format!(r#"<span {}>{}</span>"#, lang_dir(t), esc(t)))
                .collect::<Vec<_>>()
                .join(" / ");
            let _ = write!(
                o,
                "<td>{}</td>",
                if cell.is_empty() {
                    "—".to_string()
                } else {
                    cell
                }
            );
        }
        let _ = writeln!(o, "</tr>");
    }
    let _ = writeln!(o, "</tbody></table></div></section>");
    o
}

fn coverage(r: &Report) -> String {
    let mut o = String::new();
    let outlets: BTreeSet<&str> = r.documents.iter().map(|d| d.outlet.as_str()).collect();
    let shared: Vec<&StatementOut> = r
        .statements
        .iter()
        .filter(|s| s.verdict != "single")
        .collect();
    let _ = writeln!(
        o,
        r#"<section id="coverage"><h2>Coverage</h2><p>Statements reported by more than one outlet, and who reports them (✓) or is silent (—).</p>"#
    );
    if shared.is_empty() {
        let _ = writeln!(
            o,
            "<p>No statement is reported by two outlets.</p></section>"
        );
        return o;
    }
    let _ = write!(
        o,
        r#"<div class="scroll"><table class="matrix"><thead><tr><th scope="col">Statement</th>"#
    );
    for outlet in &outlets {
        let _ = write!(o, r#"<th scope="col">{}</th>"#, esc(outlet));
    }
    let _ = writeln!(o, "</tr></thead><tbody>");
    for s in shared {
        let _ = write!(
            o,
            r#"<tr><th scope="row">{} {}</th>"#,
            verdict_badge(&s.verdict),
            statement_link(s, 0)
        );
        for outlet in &outlets {
            let vals: Vec<&str> = s
                .members
                .iter()
                .filter(|m| m.outlet == *outlet)
                .flat_map(|m| m.values.iter().map(String::as_str))
                .collect();
            if vals.is_empty() {
                let _ = write!(
                    o,
                    r#"<td class="silent"><span aria-label="silent">—</span></td>"#
                );
            } else {
                let _ = write!(o, r#"<td class="reports">✓ {}</td>"#, esc(&vals.join(", ")));
            }
        }
        let _ = writeln!(o, "</tr>");
    }
    let _ = writeln!(o, "</tbody></table></div></section>");
    o
}

/// A sentence with its claims highlighted; each claim links to its statement.
fn highlighted(text: &str, claims: &[&ClaimOut], depth: usize) -> String {
    let mut cs: Vec<&&ClaimOut> = claims.iter().collect();
    cs.sort_by_key(|c| (c.start, std::cmp::Reverse(c.end)));
    let mut o = String::new();
    let mut pos = 0;
    for c in cs {
        if c.start < pos
            || c.end > text.len()
            || !text.is_char_boundary(c.start)
            || !text.is_char_boundary(c.end)
        {
            continue;
        }
        o.push_str(&esc(&text[pos..c.start]));
        let inner = esc(&text[c.start..c.end]);
        let label = format!("{}: {}", c.kind, c.display);
        let body = match &c.statement {
            Some(st) => format!(
                r#"<a href="{}statements/{}.html">{inner}</a>"#,
                "../".repeat(depth),
                slug(st)
            ),
            None => inner,
        };
        let _ = write!(
            o,
            r#"<mark class="claim t-{}" title="{}">{body}<sub dir="ltr">{}</sub></mark>"#,
            esc(&c.kind),
            esc(&label),
            esc(&label)
        );
        pos = c.end;
    }
    o.push_str(&esc(&text[pos.min(text.len())..]));
    o
}

fn statement(r: &Report, s: &StatementOut) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "<h1>{} {} statement</h1>",
        verdict_badge(&s.verdict),
        esc(&s.kind)
    );
    let _ = writeln!(
        o,
        r#"<p class="reason"><strong>Verdict:</strong> {} — {}</p>"#,
        esc(&s.verdict),
        esc(&s.reason)
    );
    for (i, m) in s.members.iter().enumerate() {
        let doc = r.documents.iter().find(|d| d.id == m.doc);
        let claims: Vec<&ClaimOut> = r
            .claims
            .iter()
            .filter(|c| c.doc == m.doc && c.sentence == m.sentence)
            .collect();
        let role = if i == 0 { "reference" } else { "member" };
        let _ = writeln!(
            o,
            r#"<section class="member {role}"><h2>{} <span class="role">({role})</span></h2><p class="prov"><a href="../documents/{}.html">{}</a>, line {}, published {}. Values: <span class="value">{}</span></p>"#,
            esc(&m.outlet),
            slug(&m.doc),
            esc(doc.map_or(m.doc.as_str(), |d| d.path.as_str())),
            m.line,
            m.published
                .as_deref()
                .map_or("unknown (no date found)".to_string(), esc),
            esc(&m.values.join(", "))
        );
        let _ = writeln!(
            o,
            r#"<blockquote {}>{}</blockquote>"#,
            lang_dir(&m.text),
            highlighted(&m.text, &claims, 1)
        );
        if !m.diff.is_empty() {
            let _ = write!(
                o,
                r#"<p class="diffhead">Word diff against the reference (<del>only in the reference</del>, <ins>only here</ins>):</p><p class="diff" {}>"#,
                lang_dir(&m.text)
            );
            for op in &m.diff {
                match op.op.as_str() {
                    "insert" => {
                        let _ = write!(o, "<ins>{}</ins>", esc(&op.text));
                    }
                    "delete" => {
                        let _ = write!(o, "<del>{}</del>", esc(&op.text));
                    }
                    _ => o.push_str(&esc(&op.text)),
                }
            }
            let _ = writeln!(o, "</p>");
        }
        let _ = writeln!(o, "</section>");
    }
    o
}

fn document(r: &Report, d: &DocumentOut) -> String {
    let mut o = String::new();
    let _ = writeln!(o, r#"<h1 {}>{}</h1>"#, lang_dir(&d.title), esc(&d.title));
    let _ = writeln!(
        o,
        r#"<dl class="meta"><dt>Outlet</dt><dd>{} <span class="path">(from {})</span></dd><dt>Published</dt><dd>{}</dd><dt>File</dt><dd>{}</dd>{}</dl>"#,
        esc(&d.outlet),
        esc(&d.outlet_source),
        d.published
            .as_deref()
            .map_or("no publication date found".to_string(), esc),
        esc(&d.path),
        d.url
            .as_deref()
            .map(|u| format!("<dt>URL</dt><dd>{}</dd>", esc(u)))
            .unwrap_or_default()
    );
    for n in &d.notes {
        let _ = writeln!(o, r#"<p class="note" role="note">⚠ {}</p>"#, esc(n));
    }
    let claims: Vec<&ClaimOut> = r.claims.iter().filter(|c| c.doc == d.id).collect();
    // Lines of sentences and set-aside blocks, in file order.
    let mut blocks: BTreeMap<(usize, usize), String> = BTreeMap::new();
    let mut by_line: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for s in &d.sentences {
        let cs: Vec<&ClaimOut> = claims
            .iter()
            .copied()
            .filter(|c| c.sentence == s.id)
            .collect();
        by_line.entry(s.line).or_default().push(format!(
            r#"<span class="sentence" id="s{}">{}</span>"#,
            s.id,
            highlighted(&s.text, &cs, 1)
        ));
    }
    for (line, sents) in by_line {
        blocks.insert(
            (line, 0),
            format!(
                r#"<p {} data-line="{line}">{}</p>"#,
                lang_dir(&sents.join(" ")),
                sents.join(" ")
            ),
        );
    }
    for (i, e) in d.excluded.iter().enumerate() {
        blocks.insert(
            (e.line_start, 1 + i),
            format!(
                r#"<details class="aside"><summary>Set aside, lines {}–{}: {}</summary><pre {}>{}</pre></details>"#,
                e.line_start,
                e.line_end,
                esc(&e.reason),
                lang_dir(&e.text),
                esc(&e.text)
            ),
        );
    }
    let _ = writeln!(
        o,
        r#"<section class="article"><h2>Article as ingested</h2>"#
    );
    for b in blocks.values() {
        let _ = writeln!(o, "{b}");
    }
    let _ = writeln!(o, "</section>");
    o
}

fn rules_page(rules: &RuleSet) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "<h1>Rules in force</h1><p>Claim types defined in <code>rules.toml</code>; each example is checked by <code>compare check</code>.</p>");
    for c in &rules.claims {
        let _ = writeln!(
            o,
            r#"<section class="rule" id="rule-{id}"><h2>{id} <span class="path">({kind}, rules.toml line {line})</span></h2>{desc}"#,
            id = esc(&c.id),
            kind = c.kind.as_str(),
            line = c.line,
            desc = markdown_html(&c.description)
        );
        if !c.examples.is_empty() {
            let _ = writeln!(
                o,
                r#"<table><thead><tr><th scope="col">Example</th><th scope="col">Value</th></tr></thead><tbody>"#
            );
            for e in &c.examples {
                let mut v = esc(&e.value);
                if let Some(q) = &e.qualifier {
                    let _ = write!(v, " ({})", esc(q));
                }
                let _ = writeln!(
                    o,
                    r#"<tr><td {}>{}</td><td class="value">{v}</td></tr>"#,
                    lang_dir(&e.text),
                    esc(&e.text)
                );
            }
            let _ = writeln!(o, "</tbody></table>");
        }
        if !c.counter_examples.is_empty() {
            let _ = writeln!(o, "<p>Must not match:</p><ul>");
            for t in &c.counter_examples {
                let _ = writeln!(o, r#"<li {}>{}</li>"#, lang_dir(t), esc(t));
            }
            let _ = writeln!(o, "</ul>");
        }
        let _ = writeln!(o, "</section>");
    }
    let _ = writeln!(
        o,
        r#"<section id="entities"><h2>Names</h2><table><thead><tr><th scope="col">Id</th><th scope="col">Type</th><th scope="col">Known spellings</th></tr></thead><tbody>"#
    );
    for e in &rules.entities {
        let _ = writeln!(
            o,
            r#"<tr><td>{}</td><td>{}</td><td dir="auto">{}</td></tr>"#,
            esc(&e.id),
            esc(&e.kind),
            esc(&e.aliases.join(" / "))
        );
    }
    let _ = writeln!(o, "</tbody></table></section>");
    o
}

/// A rule description (Markdown from rules.toml) as HTML, with raw HTML disabled.
fn markdown_html(text: &str) -> String {
    let mut options = comrak::Options::default();
    options.extension.table = true;
    options.render.r#unsafe = false;
    comrak::markdown_to_html(text, &options)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_makes_markup_inert() {
        assert_eq!(
            esc(r#"<script>"x"&'y'"#),
            "&lt;script&gt;&quot;x&quot;&amp;&#39;y&#39;"
        );
    }

    #[test]
    fn direction_follows_script() {
        assert_eq!(lang_dir("زهاء ألف جندي"), r#"lang="ar" dir="rtl""#);
        assert_eq!(lang_dir("RT Arabic"), r#"dir="auto""#);
    }

    #[test]
    fn rule_descriptions_cannot_inject_html() {
        let h = markdown_html("a <script>alert(1)</script> **b**");
        assert!(!h.contains("<script>"), "{h}");
        assert!(h.contains("<strong>b</strong>"));
    }
}
