//! The HTML pages: overview, one page per statement group, one per document, the rules.
//!
//! Steps: (1) every page is a `<main>` body built from the report; (2) `page` wraps it in
//! the shared layout, which links the one `style.css` of the site (written once, not
//! repeated in every page; no other asset, no JavaScript); (3) links are
//! relative so the site opens from disk. Every string that came from an article or from
//! rules.toml goes through [`esc`] (or [`mixed`], which escapes first); raw HTML comes
//! only from the functions in this file.
//!
//! Direction: the page chrome is English (left to right). Arabic blocks carry
//! `lang="ar" dir="rtl"` (or `dir="auto"` when scripts mix), so numbers and Latin names
//! inside them render in the right order; Arabic inside English sentences (an outlet in a
//! verdict's reason, a phrase in a rule's description) is isolated in `<bdi>`, so a date
//! after an Arabic outlet name is never read backwards.

use super::overview::{self, Overview};
use super::timeline;
use super::{
    grouped, readable, readable_diff, slug, slug_into, statement_title, values_text, verdict_words,
    ClaimOut, DocumentOut, MemberOut, Report, Scope, SmolStr, StatementOut, Stories,
    DOCUMENTS_PER_PAGE, STATEMENTS_PER_PAGE,
};
use crate::diff::Change;
use crate::rules::RuleSet;
use crate::site::Sink;
use crate::verdict::Wording;
use anyhow::Result;
use foldhash::HashMap;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

const STYLE: &str = include_str!("style.css");

/// Escape text for HTML element content and double-quoted attributes.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    esc_into(&mut out, text);
    out
}

/// [`esc`], written at the end of `out`.
pub fn esc_into(out: &mut String, text: &str) {
    // The characters to escape are ASCII and rare in article text: `memchr` finds the next
    // of each kind with SIMD, and the runs between them are copied whole. Each search
    // starts again only past the char it found, so the text is read once.
    let bytes = text.as_bytes();
    let markup = |from: usize| memchr::memchr3(b'&', b'<', b'>', &bytes[from..]).map(|i| from + i);
    let quote = |from: usize| memchr::memchr2(b'"', b'\'', &bytes[from..]).map(|i| from + i);
    let (mut next_markup, mut next_quote) = (markup(0), quote(0));
    let mut from = 0;
    loop {
        let at = match (next_markup, next_quote) {
            (Some(m), Some(q)) => m.min(q),
            (Some(i), None) | (None, Some(i)) => i,
            (None, None) => break,
        };
        let entity = match bytes[at] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        };
        out.push_str(&text[from..at]);
        out.push_str(entity);
        from = at + 1;
        if next_markup == Some(at) {
            next_markup = markup(from);
        } else {
            next_quote = quote(from);
        }
    }
    out.push_str(&text[from..]);
}

/// Which characters of the Arabic block (U+0600–U+06FF) are letters, looked up once:
/// `char::is_alphabetic` is a table search, and every page asks it of every character.
static ARABIC_BLOCK: std::sync::LazyLock<[bool; 256]> = std::sync::LazyLock::new(|| {
    std::array::from_fn(|i| char::from_u32(0x0600 + i as u32).is_some_and(char::is_alphabetic))
});

/// An Arabic letter (or mark): the part of a text that reads right to left.
fn is_arabic(c: char) -> bool {
    match c {
        '\u{0600}'..='\u{06FF}' => ARABIC_BLOCK[c as usize - 0x0600],
        '\u{0750}'..='\u{077F}'
        | '\u{08A0}'..='\u{08FF}'
        | '\u{FB50}'..='\u{FDFF}'
        | '\u{FE70}'..='\u{FEFF}' => c.is_alphabetic(),
        _ => false,
    }
}

/// `lang`/`dir` attributes for a piece of text: Arabic → rtl, mixed scripts → auto.
pub(super) fn lang_dir(text: &str) -> &'static str {
    match script_counts(text) {
        (0, _) => r#"dir="auto""#,
        (_, 0) => r#"lang="ar" dir="rtl""#,
        (a, l) if a >= l * 3 => r#"lang="ar" dir="rtl""#,
        _ => r#"dir="auto""#,
    }
}

/// The Arabic letters and the other letters of `text`, as [`lang_dir`] counts them.
fn script_counts(text: &str) -> (usize, usize) {
    let (mut arabic, mut latin) = (0, 0);
    // Asked of every text a page shows, so it reads bytes: ASCII, and the Arabic block
    // (two bytes led by 0xD8–0xDB) through its table, are told without decoding.
    let block: &[bool; 256] = &ARABIC_BLOCK;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            latin += usize::from(b.is_ascii_alphabetic());
            i += 1;
        } else if (0xD8..=0xDB).contains(&b) && i + 1 < bytes.len() {
            arabic +=
                usize::from(block[(usize::from(b & 0x03) << 6) | usize::from(bytes[i + 1] & 0x3F)]);
            i += 2;
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            if is_arabic(c) {
                arabic += 1;
            } else if c.is_alphabetic() {
                latin += 1;
            }
            i += c.len_utf8();
        }
    }
    (arabic, latin)
}

/// Wrap each run of Arabic in already-escaped HTML in `<bdi lang="ar">`, so it cannot
/// reorder the English text, numbers and punctuation around it. Tags are left alone;
/// entities, digits, spaces and punctuation are neutral and may sit inside a run.
fn isolate_arabic(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + 32);
    // Pending neutral text after the last Arabic letter of an open run.
    let mut open = false;
    let mut pending = String::new();
    let close = |out: &mut String, open: &mut bool, pending: &mut String| {
        if *open {
            out.push_str("</bdi>");
            *open = false;
        }
        out.push_str(pending);
        pending.clear();
    };
    let mut chars = html.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '<' {
            close(&mut out, &mut open, &mut pending);
            out.push(c);
            for t in chars.by_ref() {
                out.push(t);
                if t == '>' {
                    break;
                }
            }
        } else if c == '&' {
            let mut entity = String::from('&');
            while let Some(&t) = chars.peek() {
                entity.push(t);
                chars.next();
                if t == ';' || entity.len() > 10 {
                    break;
                }
            }
            if open {
                pending.push_str(&entity);
            } else {
                out.push_str(&entity);
            }
        } else if is_arabic(c) {
            if !open {
                out.push_str(r#"<bdi lang="ar">"#);
                open = true;
            }
            out.push_str(&pending);
            pending.clear();
            out.push(c);
        } else if c.is_alphabetic()
            || c == ','
            || c == ';'
            || (c == '/' && pending.ends_with(' ') && chars.peek() == Some(&' '))
        {
            // A Latin letter ends a run; so does an ASCII comma or semicolon, which in
            // our English text separates the items of a list: "by العربية, الجزيرة and
            // RT" isolates each outlet, so two of them never read right to left as one.
            // So does a slash between spaces, which separates the values of a title
            // (`person: بوتين / تياني`); a slash within Arabic (مارس/آذار) does not.
            close(&mut out, &mut open, &mut pending);
            out.push(c);
        } else if open {
            pending.push(c);
        } else {
            out.push(c);
        }
    }
    close(&mut out, &mut open, &mut pending);
    out
}

/// English text that may carry Arabic (a reason, a label): escaped, Arabic isolated.
pub fn mixed(text: &str) -> String {
    let html = esc(text);
    // ASCII holds no Arabic to isolate (most labels and reasons): nothing changes.
    if html.is_ascii() {
        return html;
    }
    isolate_arabic(&html)
}

/// A name from the data (outlet, file, entity) inside English text, isolated.
pub(super) fn bdi(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    bdi_into(&mut out, text);
    out
}

/// [`bdi`], written at the end of `out`.
pub(super) fn bdi_into(out: &mut String, text: &str) {
    out.push_str("<bdi>");
    esc_into(out, text);
    out.push_str("</bdi>");
}

/// A value as the pages show it (`~1000 soldiers (US)`, `2024-03`, `عبد الرحمن تياني`): our
/// own left-to-right notation, escaped, a name in Arabic isolated.
pub(super) fn value(v: &str) -> String {
    let mut out = String::with_capacity(v.len() + 40);
    value_into(&mut out, v);
    out
}

/// [`value`], written at the end of `out`.
pub(super) fn value_into(out: &mut String, v: &str) {
    out.push_str(r#"<span class="value" dir="ltr">"#);
    out.push_str(&mixed(v));
    out.push_str("</span>");
}

/// A list of values as `values_text` joins them (`2024-04-11, 2024-04-10`), each a
/// [`value`] of its own: a narrow column wraps the list between its values, never inside one.
pub(super) fn value_list(list: &str) -> String {
    value_list_upto(list, usize::MAX)
}

/// [`value_list`], written at the end of `out`.
pub(super) fn value_list_into(out: &mut String, list: &str) {
    value_list_upto_into(out, list, usize::MAX);
}

/// [`value_list`] of at most `shown` values, then how many more (`and 2,990 more`), for a
/// table cell that links to the statement with them all.
pub(super) fn value_list_upto(list: &str, shown: usize) -> String {
    let mut out = String::with_capacity(list.len().min(shown.saturating_mul(40)) + 40);
    value_list_upto_into(&mut out, list, shown);
    out
}

/// [`value_list_upto`], written at the end of `out`.
fn value_list_upto_into(out: &mut String, list: &str, shown: usize) {
    let mut values = list.split(", ");
    for (i, v) in values.by_ref().take(shown).enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        value_into(out, v);
    }
    let more = values.count();
    if more > 0 {
        let _ = write!(out, " and {} more", readable(&more.to_string()));
    }
}

pub(super) fn verdict_badge(v: &str) -> String {
    let (sym, word) = verdict_words(v);
    format!(
        r#"<span class="badge {v}"><span aria-hidden="true">{sym}</span> {word}</span>"#,
        v = esc(v),
        word = esc(word)
    )
}

/// The verdict as a compact badge: its symbol, with the word for screen readers and as a
/// tooltip.
pub(super) fn verdict_symbol(v: &str) -> String {
    let (sym, word) = verdict_words(v);
    format!(
        r#"<span class="badge {v}" title="{word}"><span aria-hidden="true">{sym}</span><span class="sr">{word}</span></span>"#,
        v = esc(v),
        word = esc(word)
    )
}

/// What a rule example yields, as the pages show a claim's value: the claim the rule
/// reads from the whole example text (`≥200 people` for المئات من سكان, `2024-03 (mid)`
/// for منتصف مارس), as `compare check` reads it. An example that yields no single such
/// claim (its rules were not checked) shows its expected value, with its qualifier's sign.
fn example_value(
    rules: &RuleSet,
    wording: &Wording,
    rule: &crate::rules::ClaimRule,
    e: &crate::rules::Example,
) -> String {
    if let Some(one) = crate::rules::example_yields(rules, rule, e) {
        return wording.shown(&one.value);
    }
    let sign = e
        .qualifier
        .as_deref()
        .and_then(crate::model::Qualifier::parse)
        .map_or("", crate::model::Qualifier::sign);
    readable(&format!("{sign}{}", e.value))
}

/// Which page of the top navigation a page is, for `aria-current`.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Nav {
    Overview,
    Timeline,
    Rules,
    Other,
}

/// A page up to its `<main>` content: the document head, the site's navigation (links
/// `depth` folders up, `current` marked) and the opening `<main>`.
fn page_head(title: &str, depth: usize, current: Nav) -> String {
    let up = "../".repeat(depth);
    let link = |nav: Nav, href: &str, text: &str| {
        let cur = if nav == current {
            r#" aria-current="page""#
        } else {
            ""
        };
        format!(r#"<a href="{up}{href}"{cur}>{text}</a>"#)
    };
    format!(
        r##"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>{title} · compare</title>
<link rel="stylesheet" href="{up}style.css">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header><nav aria-label="Site">{} · {} · {} · <a href="{up}report.md">report.md</a> · <a href="{up}report.json">report.json</a></nav></header>
<main id="main">
"##,
        link(Nav::Overview, "index.html", "Overview"),
        link(Nav::Timeline, "timeline.html", "Timeline"),
        link(Nav::Rules, "rules.html", "Rules"),
        title = esc(title),
    )
}

/// What closes every page, after its `<main>` content.
const PAGE_END: &str = "</main>\n</body>\n</html>\n";

/// Write a page to `path`, its head, `<main>` content and end as they are: the content,
/// most of the page, is not copied into one string first.
pub(super) fn put_page(
    sink: &Sink,
    path: &str,
    title: &str,
    depth: usize,
    current: Nav,
    body: &str,
) -> Result<()> {
    let head = page_head(title, depth, current);
    sink.put_parts(
        path,
        &[head.as_bytes(), body.as_bytes(), PAGE_END.as_bytes()],
    )
}

/// Lookups shared by the pages of one scope (the corpus, or one story of several).
pub(super) struct Ctx<'a> {
    pub r: &'a Scope<'a>,
    /// Claims of each document, in report order.
    by_doc: HashMap<&'a str, Vec<&'a ClaimOut>>,
    pub docs: HashMap<&'a str, &'a DocumentOut>,
    /// Claim id → entity id, for names.
    entity_of: HashMap<&'a str, &'a str>,
    /// Statement id → statement, for a claim's link.
    statement_of: HashMap<&'a str, &'a StatementOut>,
    /// Claim id → the listed alias, for names found as a spelling rules.toml does not list.
    pub unlisted: HashMap<&'a str, &'a str>,
    /// Every outlet, in [`super::outlet_order`].
    pub outlets: Vec<&'a str>,
    /// The statements as the overview shows them: conflicts, agreements, singles, each
    /// in report order; sorted once, since every list page needs them.
    ordered: Vec<&'a StatementOut>,
    /// Where the conflicts and the agreements end in `ordered`.
    runs: [usize; 2],
}

impl<'a> Ctx<'a> {
    pub fn new(r: &'a Scope<'a>) -> Self {
        let outlets = super::outlets(&r.documents);
        let mut by_doc: HashMap<&str, Vec<&ClaimOut>> = HashMap::default();
        for c in &r.claims {
            by_doc.entry(&c.doc).or_default().push(c);
        }
        let mut ordered = super::by_verdict(&r.statements, "conflict");
        let conflicts = ordered.len();
        ordered.extend(super::by_verdict(&r.statements, "agree"));
        let runs = [conflicts, ordered.len()];
        ordered.extend(super::by_verdict(&r.statements, "single"));
        Ctx {
            ordered,
            runs,
            r,
            by_doc,
            docs: r.documents.iter().map(|d| (d.id.as_str(), d)).collect(),
            entity_of: r
                .entities
                .iter()
                .flat_map(|e| e.mentions.iter().map(|m| (m.claim.as_str(), e.id.as_str())))
                .collect(),
            outlets,
            statement_of: r.statements.iter().map(|s| (s.id.as_str(), s)).collect(),
            unlisted: super::unlisted(&r.claims),
        }
    }

    /// The statements with a verdict (`conflict`, `agree`, `single`).
    pub fn statements(&self, verdict: &str) -> &[&'a StatementOut] {
        match verdict {
            "conflict" => &self.ordered[..self.runs[0]],
            "agree" => &self.ordered[self.runs[0]..self.runs[1]],
            "single" => &self.ordered[self.runs[1]..],
            _ => &[],
        }
    }

    /// Every statement: conflicts, agreements, singles.
    pub fn ordered(&self) -> &[&'a StatementOut] {
        &self.ordered
    }

    /// A member's claims, in its order. They are claims of its sentence, found among that
    /// sentence's few: a map of every claim by id cost 26 MB at 100 000 articles, at the
    /// end of a build, when its memory peaks.
    pub fn member_claims(&self, m: &MemberOut) -> Vec<&'a ClaimOut> {
        let here = self.sentence_claims(&m.doc, m.sentence);
        m.claims
            .iter()
            .filter_map(|id| here.iter().find(|c| c.id == *id).copied())
            .collect()
    }

    fn sentence_claims(&self, doc: &str, sentence: usize) -> &[&'a ClaimOut] {
        // A document's claims are in sentence order: find the run, do not scan them all
        // (a one-line article has hundreds of thousands of claims and as many pages).
        let all = self.doc_claims(doc);
        let from = all.partition_point(|c| c.sentence < sentence);
        let to = from + all[from..].partition_point(|c| c.sentence == sentence);
        &all[from..to]
    }

    fn doc_claims(&self, doc: &str) -> &[&'a ClaimOut] {
        self.by_doc.get(doc).map_or(&[], Vec::as_slice)
    }

    pub fn claim_count(&self, doc: &str) -> usize {
        self.doc_claims(doc).len()
    }
}

/// Write every HTML page to `sink`, rendering in parallel; each page is written as soon
/// as it is rendered, so memory does not grow with the site. `rules_page` is the main
/// part of rules.html, from [`rules_page`].
pub fn write(r: &Report, rules_page: &str, sink: &Sink) -> Result<()> {
    use rayon::prelude::*;
    sink.put("style.css", STYLE.as_bytes())?;
    put_page(
        sink,
        "rules.html",
        "Rules in force",
        0,
        Nav::Rules,
        rules_page,
    )?;
    let stories = Stories::index(r);
    let ids = stories.ids();
    if ids.len() <= 1 {
        // One story: the index is its overview, the timeline its timeline.
        let whole = Scope::whole(r);
        let ctx = Ctx::new(&whole);
        let overview = Overview {
            ctx: &ctx,
            path: "index.html".into(),
            prefix: String::new(),
            story: None,
            stories: Vec::new(),
        };
        overview.write(sink)?;
        put_page(
            sink,
            "timeline.html",
            "Timeline",
            0,
            Nav::Timeline,
            &timeline::svg_page(&whole, 0),
        )?;
        return scope_pages(&ctx, sink);
    }
    // Several stories: each story's pages from its own report, in parallel; then the
    // index with every story's line (its counts, not the report's whole `Corpus`, held
    // for every story until the end, the build's largest moment). The index's context,
    // one thread's work, is made meanwhile.
    let whole = Scope::whole(r);
    let (rows, ctx) = rayon::join(
        || {
            ids.par_iter()
                .map(|&id| -> Result<overview::StoryRow> {
                    let sub = stories.scope(r, id);
                    let ctx = Ctx::new(&sub);
                    let overview = Overview {
                        ctx: &ctx,
                        path: overview::story_path(id),
                        prefix: format!("story-{}-", super::story_slug(id)),
                        story: Some(id),
                        stories: Vec::new(),
                    };
                    overview.write(sink)?;
                    scope_pages(&ctx, sink)?;
                    Ok(overview::StoryRow::of(id, &sub.corpus))
                })
                .collect::<Result<Vec<_>>>()
        },
        || Ctx::new(&whole),
    );
    let rows = rows?;
    let overview = Overview {
        ctx: &ctx,
        path: "index.html".into(),
        prefix: String::new(),
        story: None,
        stories: overview::story_rows(rows),
    };
    overview.write(sink)?;
    put_page(
        sink,
        "timeline.html",
        "Timeline",
        0,
        Nav::Timeline,
        &timeline::stories_page(&overview.stories, &overview.stories_list_page(2)),
    )
}

/// The statements pages and the document pages of one scope.
fn scope_pages(ctx: &Ctx, sink: &Sink) -> Result<()> {
    use rayon::prelude::*;
    let r = ctx.r;
    let pages = by_page(&r.statements, |s| &s.page);
    let paths: Vec<&str> = pages.iter().map(|(p, _)| *p).collect();
    pages
        .par_iter()
        .enumerate()
        .try_for_each(|(n, (path, list))| {
            let (title, body) = statements_page(ctx, &paths, n, list);
            put_page(sink, path, &title, 1, Nav::Other, &body)
        })?;
    let pages = by_page(&r.documents, |d| &d.page);
    let paths: Vec<&str> = pages.iter().map(|(p, _)| *p).collect();
    pages
        .par_iter()
        .enumerate()
        .try_for_each(|(n, (path, list))| {
            let (title, body) = documents_page(ctx, &paths, n, list);
            put_page(sink, path, &title, 1, Nav::Other, &body)
        })
}

/// `items` grouped by the page that shows them, the pages in order: `x.html` sorts after
/// `x.p2.html` as text, so the page numbers give the order.
fn by_page<'a, T: 'a>(
    items: impl IntoIterator<Item = &'a T>,
    page_of: impl Fn(&'a T) -> &'a str,
) -> Vec<(&'a str, Vec<&'a T>)> {
    let mut pages: BTreeMap<&str, Vec<&T>> = BTreeMap::new();
    for item in items {
        pages.entry(page_of(item)).or_default().push(item);
    }
    let mut pages: Vec<(&str, Vec<&T>)> = pages.into_iter().collect();
    pages.sort_by_key(|(p, _)| page_number(p));
    pages
}

/// The title of page `n` (0-based) of a scope's `what` (`Statements`, `Articles`) and,
/// when the scope has several such pages (`siblings`, in order), the pager that links
/// them; the page shows `shown` of the scope's `total` items, `per_page` to a page.
fn scope_heading(
    ctx: &Ctx,
    what: &str,
    siblings: &[&str],
    n: usize,
    (shown, per_page, total): (usize, usize, usize),
) -> (String, String) {
    let path = siblings.get(n).copied().unwrap_or("");
    let story = ctx.r.documents.first().map_or("", |d| d.story.as_str());
    let whose = if story.is_empty() {
        String::new()
    } else {
        format!(": {}", super::story_name(story))
    };
    if siblings.len() <= 1 {
        return (format!("{what}{whose}"), String::new());
    }
    let title = format!("{what}{whose} ({} of {})", n + 1, siblings.len());
    // The pages are siblings in one folder: each links to the others by file name.
    let name = |p: &str| esc(p.rsplit('/').next().unwrap_or(p));
    let links: Vec<String> = siblings
        .iter()
        .enumerate()
        .map(|(i, p)| {
            if *p == path {
                format!(r#"<strong aria-current="page">{}</strong>"#, i + 1)
            } else {
                format!(r#"<a href="{}">{}</a>"#, name(p), i + 1)
            }
        })
        .collect();
    let prev = match n.checked_sub(1).and_then(|k| siblings.get(k)) {
        Some(p) => format!(r#"<a href="{}" rel="prev">← previous</a> · "#, name(p)),
        None => String::new(),
    };
    let next = match siblings.get(n + 1) {
        Some(p) => format!(r#" · <a href="{}" rel="next">next →</a>"#, name(p)),
        None => String::new(),
    };
    let pager = format!(
        r#"<nav class="pager" aria-label="Pages of {lower}"><span>{lower} {}–{} of {total}</span> {prev}page {}{next}</nav>
"#,
        grouped(n * per_page + 1),
        grouped(n * per_page + shown),
        links.join(" "),
        lower = what.to_lowercase(),
        total = grouped(total),
    );
    (title, pager)
}

/// Page `n` of a scope's documents pages (`siblings`, in order): `list` in id order,
/// each article a section to link to.
#[inline(never)] // counted on its own by `benches/instructions.sh --build`
fn documents_page(
    ctx: &Ctx,
    siblings: &[&str],
    n: usize,
    list: &[&DocumentOut],
) -> (String, String) {
    let mut list = list.to_vec();
    list.sort_by(|a, b| a.id.cmp(&b.id));
    let (title, pager) = scope_heading(
        ctx,
        "Articles",
        siblings,
        n,
        (list.len(), DOCUMENTS_PER_PAGE, ctx.r.documents.len()),
    );
    // Room for the page at once: an article's page is about twice its text in markup
    // and links, and a page grown by doubling copies itself several times.
    let mut o = String::with_capacity(
        list.iter()
            .map(|d| {
                let aside: usize = d.excluded.iter().map(|e| e.text.len()).sum();
                2 * (d.sentences.text_len() + aside) + 2048
            })
            .sum(),
    );
    let _ = writeln!(o, r#"<h1 {}>{}</h1>"#, lang_dir(&title), mixed(&title));
    o.push_str(&pager);
    if list.len() > 1 {
        let _ = writeln!(
            o,
            r#"<nav class="toc" aria-label="Articles on this page"><ul>"#
        );
        for d in &list {
            let _ = writeln!(
                o,
                r##"<li><a href="#{}" {}>{}</a> <span class="muted">{}, {}</span></li>"##,
                slug(&d.id),
                lang_dir(&d.title),
                esc(&d.title),
                bdi(&d.outlet),
                date_or_unknown(d.published.as_deref()),
            );
        }
        let _ = writeln!(o, "</ul></nav>");
    }
    for d in &list {
        let _ = writeln!(o, r#"<article class="document" id="{}">"#, slug(&d.id));
        document_into(&mut o, ctx, d);
        let _ = writeln!(o, "</article>");
    }
    // Again at the end, where a reader who reached it goes on.
    o.push_str(&pager);
    (title, o)
}

pub(super) fn date_or_unknown(d: Option<&str>) -> String {
    let mut out = String::with_capacity(48);
    date_or_unknown_into(&mut out, d);
    out
}

/// [`date_or_unknown`], written at the end of `out`.
pub(super) fn date_or_unknown_into(out: &mut String, d: Option<&str>) {
    match d {
        None => out.push_str(r#"<span class="missing">no date found</span>"#),
        Some(d) => {
            out.push_str(r#"<span class="date" dir="ltr">"#);
            esc_into(out, d);
            out.push_str("</span>");
        }
    }
}

/// The words around a member's claims, with the claims marked.
pub(super) fn excerpt(text: &str, claims: &[&ClaimOut], radius: usize) -> String {
    let mut out = String::with_capacity(radius * 6);
    excerpt_into(&mut out, text, claims, radius);
    out
}

/// [`excerpt`], written at the end of `out`.
pub(super) fn excerpt_into(out: &mut String, text: &str, claims: &[&ClaimOut], radius: usize) {
    for (claim, t) in super::excerpt(text, claims, radius) {
        if claim {
            out.push_str("<mark>");
            esc_into(out, &t);
            out.push_str("</mark>");
        } else {
            esc_into(out, &t);
        }
    }
}

/// A sentence with its claims highlighted, each followed by its normalised value, written
/// at the end of `o`; a claim links to its statement (or a name to its spelling row).
/// Claims in `focus` (the statement's own, on its card) are marked strongly and link
/// nowhere; others are marked lightly.
fn highlighted_into(
    o: &mut String,
    ctx: &Ctx,
    text: &str,
    claims: &[&ClaimOut],
    focus: &BTreeSet<&str>,
    depth: usize,
) {
    // Most sentences hold no claim: their text is all there is to write.
    if claims.is_empty() {
        esc_into(o, text);
        return;
    }
    let mut cs: Vec<&&ClaimOut> = claims.iter().collect();
    cs.sort_by_key(|c| (c.start, std::cmp::Reverse(c.end)));
    let mut pos = 0;
    for (i, c) in cs.iter().enumerate() {
        if c.start < pos
            || c.end > text.len()
            || !text.is_char_boundary(c.start)
            || !text.is_char_boundary(c.end)
        {
            continue;
        }
        esc_into(o, &text[pos..c.start]);
        // Written piece by piece into the page: this runs for every claim of every
        // sentence a page shows.
        o.push_str(r#"<mark class="claim t-"#);
        esc_into(o, &c.kind);
        let in_focus = focus.contains(c.id.as_str());
        if in_focus {
            o.push_str(" focus");
        }
        o.push_str(r#"">"#);
        // Whether the claim links somewhere: the link's start is written as it is found.
        // The statement's own claims are shown on its own card: a link would lead back
        // to where the reader already is.
        let linked = match (&c.statement, ctx.entity_of.get(c.id.as_str())) {
            _ if in_focus => false,
            (Some(st), _) => match ctx.statement_of.get(st.as_str()) {
                Some(s) => {
                    o.push_str(r#"<a href=""#);
                    s.href_into(o, depth);
                    true
                }
                None => false,
            },
            (None, Some(e)) => {
                o.push_str(r#"<a href=""#);
                for _ in 0..depth {
                    o.push_str("../");
                }
                o.push_str("index.html#entity-");
                slug_into(o, e);
                true
            }
            (None, None) => false,
        };
        if linked {
            o.push_str(r#"">"#);
        }
        esc_into(o, &text[c.start..c.end]);
        if linked {
            o.push_str("</a>");
        }
        o.push_str("</mark>");
        // The punctuation that closes the claim's word (`"،`, a full stop) stays against it,
        // before the value: after it, the value pushed the punctuation a tag's width away
        // from its word, or onto the next line. It stops where the next claim starts.
        let next = cs[i + 1..]
            .iter()
            .map(|n| n.start)
            .filter(|&s| s >= c.end && text.is_char_boundary(s))
            .min()
            .unwrap_or(text.len());
        let closed = text[c.end..next]
            .find(|ch| !closes_word(ch))
            .map_or(next, |k| c.end + k);
        esc_into(o, &text[c.end..closed]);
        o.push_str(r#"<span class="val" dir="ltr"><span class="kind">"#);
        esc_into(o, &c.kind);
        o.push_str("</span> ");
        o.push_str(&mixed(ctx.r.words.of(&c.display)));
        o.push_str("</span>");
        pos = closed;
    }
    esc_into(o, &text[pos.min(text.len())..]);
}

/// Whether `c` is punctuation that ends a word rather than starts one: written against the
/// word before it, in Arabic as in Latin script.
fn closes_word(c: char) -> bool {
    "\"'.,:;!?)]}»”’›…،؛؟۔".contains(c)
}

/// A word diff, readable: each change is one deletion then one insertion, apart.
fn diff_html(m: &MemberOut) -> String {
    let ops = readable_diff(&m.diff);
    let mut o = String::new();
    for (i, op) in ops.iter().enumerate() {
        let t = op.text.as_str();
        let core = t.trim();
        let start = t.len() - t.trim_start().len();
        let (lead, trail) = (&t[..start], &t[start + core.len()..]);
        match op.op {
            Change::Insert => {
                let _ = write!(o, "{}<ins>{}</ins>{}", esc(lead), esc(core), esc(trail));
            }
            Change::Delete => {
                // A space keeps the deleted and inserted words from joining up.
                let replaced = ops.get(i + 1).is_some_and(|n| n.op == Change::Insert);
                let gap = if replaced && trail.is_empty() {
                    " "
                } else {
                    ""
                };
                let _ = write!(
                    o,
                    "{}<del>{}</del>{}{gap}",
                    esc(lead),
                    esc(core),
                    esc(trail)
                );
            }
            Change::Equal => o.push_str(&esc(t)),
        }
    }
    o
}

/// Page `n` of a scope's statements pages (`siblings`, in order; a scope is one story,
/// or the corpus when it is one story): `list` in the report's order (by article, then
/// sentence number), each a section to link to.
#[inline(never)] // counted on its own by `benches/instructions.sh --build`
fn statements_page(
    ctx: &Ctx,
    siblings: &[&str],
    n: usize,
    list: &[&StatementOut],
) -> (String, String) {
    let (title, pager) = scope_heading(
        ctx,
        "Statements",
        siblings,
        n,
        (list.len(), STATEMENTS_PER_PAGE, ctx.r.statements.len()),
    );
    // Room for the page at once (see `documents_page`): each member's sentence is shown
    // highlighted and in its word diff, with their markup.
    let mut o = String::with_capacity(
        list.iter()
            .map(|s| {
                let texts: usize = s.members.iter().map(|m| 6 * m.text.len() + 512).sum();
                texts + 1024
            })
            .sum(),
    );
    let _ = writeln!(o, r#"<h1 {}>{}</h1>"#, lang_dir(&title), mixed(&title));
    let _ = writeln!(
        o,
        r#"<p class="muted">Each statement below gives its verdict, then every outlet's sentence. The <strong>reference</strong> is the first report (the earliest publication date); the word diff under each other sentence shows <del>words only the reference has</del> and <ins>words only that outlet has</ins>. {} here, in the order of the articles and their sentences.</p>"#,
        if list.len() == 1 {
            "One statement".to_string()
        } else {
            format!("{} statements", grouped(list.len()))
        }
    );
    o.push_str(&pager);
    let _ = writeln!(
        o,
        r#"<nav class="toc" aria-label="Statements on this page"><ul>"#
    );
    for s in list {
        // Where the reference sentence is: statements of one type and value (three
        // sentences of one article naming the EU) are told apart by it.
        let mut at = String::new();
        if let Some(first) = s.members.first() {
            at.push_str(r#" <span class="muted">"#);
            bdi_into(&mut at, &first.outlet);
            let _ = write!(at, ", line {}", first.line);
            let others: BTreeSet<&str> = s
                .members
                .iter()
                .map(|m| m.outlet.as_str())
                .filter(|o| *o != first.outlet.as_str())
                .collect();
            let (found, unknown) = super::outlet_counts(others.iter().copied());
            let articles = super::unknown_articles(unknown, unknown);
            match (found, unknown) {
                (0, 0) => {}
                (0, _) => {
                    let _ = write!(at, ", and {articles}");
                }
                (1, 0) => at.push_str(", and 1 more outlet"),
                (n, 0) => {
                    let _ = write!(at, ", and {n} more outlets");
                }
                (1, _) => {
                    let _ = write!(at, ", and 1 more outlet and {articles}");
                }
                (n, _) => {
                    let _ = write!(at, ", and {n} more outlets and {articles}");
                }
            }
            at.push_str("</span>");
        }
        let _ = writeln!(
            o,
            r##"<li>{} <a href="#{}">{}</a>{at}</li>"##,
            verdict_symbol(&s.verdict),
            slug(&s.id),
            mixed(&statement_title(ctx.r.words, s))
        );
    }
    let _ = writeln!(o, "</ul></nav>");
    for s in list {
        let _ = writeln!(o, r#"<section class="statement" id="{}">"#, slug(&s.id));
        statement_into(&mut o, ctx, s);
        let _ = writeln!(o, "</section>");
    }
    // Again at the end, where a reader who reached it goes on.
    o.push_str(&pager);
    (title, o)
}

/// The number of a statements page: 1 for `x.html`, n for `x.pN.html`.
fn page_number(path: &str) -> usize {
    path.strip_suffix(".html")
        .and_then(|p| p.rsplit_once(".p"))
        .and_then(|(_, n)| n.parse().ok())
        .unwrap_or(1)
}

/// One statement's section body, written at the end of `o` (the page).
fn statement_into(o: &mut String, ctx: &Ctx, s: &StatementOut) {
    let anchor = slug(&s.id);
    let _ = writeln!(
        o,
        r##"<h2>{} <a class="self" href="#{anchor}">{}</a></h2>"##,
        verdict_badge(&s.verdict),
        mixed(&statement_title(ctx.r.words, s))
    );
    let (sym, word) = verdict_words(&s.verdict);
    let _ = writeln!(
        o,
        r#"<p class="verdict {v}"><strong><span aria-hidden="true">{sym}</span> Verdict: {word}.</strong> {}.</p>"#,
        mixed(&s.reason),
        v = esc(&s.verdict),
    );
    let reporting: BTreeSet<&str> = s.members.iter().map(|m| m.outlet.as_str()).collect();
    let (found_total, unknown_total) = super::outlet_counts(ctx.outlets.iter().copied());
    let (found_reporting, unknown_reporting) = super::outlet_counts(reporting.iter().copied());
    let head = super::reported_by(
        found_reporting,
        found_total,
        unknown_reporting,
        unknown_total,
    );
    // The outlets that do not report it are named while there are few outlets; past
    // that, the count says it. They may still give its value or name elsewhere. The
    // articles of unknown outlet that do not report it come after, apart.
    let silent = |of_unknown: bool| -> Vec<String> {
        ctx.outlets
            .iter()
            .filter(|o| !reporting.contains(*o) && super::outlet_unknown(o) == of_unknown)
            .map(|o| bdi(o))
            .collect()
    };
    let not_by = if ctx.outlets.len() <= super::WIDE {
        match (silent(false), silent(true)) {
            (outlets, articles) if articles.is_empty() && outlets.is_empty() => String::new(),
            (outlets, articles) if articles.is_empty() => {
                format!("; not by {}", outlets.join(", "))
            }
            (outlets, articles) if outlets.is_empty() => {
                format!("; not by {}", articles.join(", "))
            }
            (outlets, articles) => format!(
                "; not by {}, nor by {}",
                outlets.join(", "),
                articles.join(", ")
            ),
        }
    } else {
        match (unknown_total, unknown_reporting) {
            (0, _) | (_, 1..) => String::new(),
            (1, 0) => "; not by the article of unknown outlet".to_string(),
            (n, _) => format!("; not by the {n} articles of unknown outlet"),
        }
    };
    let _ = writeln!(o, r#"<p class="muted">{head}{not_by}.</p>"#);
    let _ = writeln!(o, r#"<div class="members">"#);
    for (i, m) in s.members.iter().enumerate() {
        let doc = ctx.docs.get(m.doc.as_str());
        let claims = ctx.sentence_claims(&m.doc, m.sentence);
        let focus: BTreeSet<&str> = m.claims.iter().map(SmolStr::as_str).collect();
        let role = if i == 0 {
            r#" <span class="role">reference</span>"#
        } else {
            ""
        };
        // Written piece by piece: a member card is the bulk of a statements page.
        let reference = if i == 0 { " reference" } else { "" };
        let _ = write!(
            o,
            r#"<section class="member{reference}" aria-labelledby="{anchor}-m{i}"><h3 id="{anchor}-m{i}">"#
        );
        bdi_into(o, &m.outlet);
        o.push_str(role);
        o.push_str(r#"</h3><dl class="prov"><dt>Value</dt><dd>"#);
        // Each value a span of its own: a list of several wraps between them on a narrow
        // screen rather than running off the card.
        value_list_into(o, &values_text(&ctx.r.words.list(&m.values)));
        o.push_str("</dd><dt>Published</dt><dd>");
        date_or_unknown_into(o, m.published.as_deref());
        o.push_str(r#"</dd><dt>Source</dt><dd><a href=""#);
        if let Some(d) = doc {
            d.sentence_href_into(o, 1, m.sentence);
        }
        o.push_str(r#""><code>"#);
        esc_into(o, doc.map_or(m.doc.as_str(), |d| d.path.as_str()));
        let _ = writeln!(o, "</code>, line {}</a></dd></dl>", m.line);
        let dir = lang_dir(&m.text);
        let _ = write!(o, r#"<blockquote class="sentence" {dir}>"#);
        highlighted_into(o, ctx, &m.text, claims, &focus, 1);
        o.push_str("</blockquote>\n");
        // The reference has no diff; a diff without a change would only repeat the
        // sentence above it.
        if m.diff.iter().any(|op| op.op != Change::Equal) {
            let _ = writeln!(
                o,
                r#"<p class="diffhead">Against the reference:</p><p class="diff" {dir}>{}</p>"#,
                diff_html(m)
            );
        } else if !m.diff.is_empty() {
            o.push_str(
                "<p class=\"diffhead\">Against the reference: word for word the same.</p>\n",
            );
        }
        let _ = writeln!(o, "</section>");
    }
    let _ = writeln!(o, "</div>");
}

/// `dir` for a document's language tag.
fn doc_dir(lang: &str) -> &'static str {
    let primary = lang.split(['-', '_']).next().unwrap_or("");
    if matches!(
        primary,
        "ar" | "fa" | "ur" | "he" | "ps" | "ckb" | "yi" | "dv" | "sd" | "ug"
    ) {
        "rtl"
    } else {
        "auto"
    }
}

/// One article's section body, written at the end of `o` (the page).
fn document_into(o: &mut String, ctx: &Ctx, d: &DocumentOut) {
    let anchor = slug(&d.id);
    let _ = writeln!(
        o,
        r##"<h2 {}><a class="self" href="#{anchor}">{}</a></h2>"##,
        lang_dir(&d.title),
        esc(&d.title)
    );
    let claims = ctx.doc_claims(&d.id);
    let url = d
        .url
        .as_deref()
        .map(|u| {
            let safe = u.starts_with("https://") || u.starts_with("http://");
            if safe {
                format!(
                    r#"<dt>URL</dt><dd><a href="{}" rel="noreferrer"><code>{}</code></a></dd>"#,
                    esc(u),
                    esc(u)
                )
            } else {
                format!("<dt>URL</dt><dd><code>{}</code></dd>", esc(u))
            }
        })
        .unwrap_or_default();
    let _ = writeln!(
        o,
        r#"<dl class="meta"><dt>Outlet</dt><dd>{} <span class="muted">({})</span></dd><dt>Published</dt><dd>{}</dd><dt>File</dt><dd><code>{}</code></dd>{url}<dt>Found</dt><dd>{}, {}, {}</dd></dl>"#,
        bdi(&d.outlet),
        if d.outlet_known() {
            format!("from {}", esc(&d.outlet_source))
        } else {
            r#"none found in the article: <code>outlet = "…"</code> front matter names it"#
                .to_string()
        },
        date_or_unknown(d.published.as_deref()),
        esc(&d.path),
        super::count(d.sentences.len(), "sentence", "sentences"),
        super::count(claims.len(), "claim", "claims"),
        super::count(d.excluded.len(), "set-aside block", "set-aside blocks"),
    );
    for n in &d.notes {
        let _ = writeln!(
            o,
            r#"<p class="note" role="note"><span aria-hidden="true">⚠</span> {}</p>"#,
            mixed(n)
        );
    }
    let _ = writeln!(
        o,
        r#"<section class="article" aria-labelledby="{anchor}-text"><h3 id="{anchor}-text">Article as ingested</h3><p class="muted">Line numbers are the file's. Highlighted claims link to their statement; greyed blocks were set aside as page boilerplate, with the reason, and open to show the text.</p><div class="text" lang="{}" dir="{}">"#,
        esc(&d.lang),
        doc_dir(&d.lang)
    );
    // Lines of sentences and set-aside blocks, in file order: a line's sentences first,
    // then the blocks that start on it, in their own order.
    enum Block<'a> {
        Line(usize, &'a [usize]),
        Aside(usize),
    }
    let mut by_line: Vec<usize> = (0..d.sentences.len()).collect();
    by_line.sort_by_key(|&i| d.sentences.line(i));
    let mut blocks: Vec<((usize, usize), Block)> = by_line
        .chunk_by(|&a, &b| d.sentences.line(a) == d.sentences.line(b))
        .map(|run| {
            let line = d.sentences.line(run[0]);
            ((line, 0), Block::Line(line, run))
        })
        .chain(
            d.excluded
                .iter()
                .enumerate()
                .map(|(i, e)| ((e.line_start, 1 + i), Block::Aside(i))),
        )
        .collect();
    blocks.sort_by_key(|&(at, _)| at);
    let none = BTreeSet::new();
    for (_, block) in blocks {
        match block {
            Block::Line(line, run) => {
                // The line number is drawn by the style sheet from `data-line`: it stays
                // out of text a reader copies and out of screen readers, and costs a
                // tenth of the page less than an element of its own.
                // Written piece by piece, numbers with `itoa`: this runs for every line
                // and sentence of every article.
                let mut number = itoa::Buffer::new();
                o.push_str(r#"<p data-line=""#);
                o.push_str(number.format(line));
                o.push_str(r#"">"#);
                for (k, &i) in run.iter().enumerate() {
                    let s = d.sentences.at(i);
                    let cs = ctx.sentence_claims(&d.id, s.id);
                    if k > 0 {
                        o.push(' ');
                    }
                    o.push_str(r#"<span class="sentence" id=""#);
                    o.push_str(&anchor);
                    o.push_str("-s");
                    o.push_str(number.format(s.id));
                    o.push_str(r#"">"#);
                    highlighted_into(o, ctx, &s.text, cs, &none, 1);
                    o.push_str("</span>");
                }
                o.push_str("</p>\n");
            }
            Block::Aside(i) => {
                let e = &d.excluded[i];
                let lines = if e.line_start == e.line_end {
                    format!("line {}", e.line_start)
                } else {
                    format!("lines {}–{}", e.line_start, e.line_end)
                };
                let _ = writeln!(
                    o,
                    r#"<details class="aside" dir="ltr"><summary>Set aside, {lines} — {}</summary><pre {}>{}</pre></details>"#,
                    mixed(&e.reason),
                    lang_dir(&e.text),
                    esc(&e.text)
                );
            }
        }
    }
    let _ = writeln!(o, "</div></section>");
}

/// The main part of rules.html: the claim types and names of the rules in force. Made
/// before the pages are rendered, so the compiled rules can be dropped first (see
/// [`crate::build`]).
pub fn rules_page(rules: &RuleSet) -> String {
    let wording = Wording::of(rules);
    let mut o = String::new();
    let _ = writeln!(
        o,
        r#"<h1>Rules in force</h1><p>The claim types and names defined in <code>rules.toml</code>. Every example must yield its value and every counter-example no claim: <code>compare check</code> runs them, and <code>compare build</code> refuses broken rules.</p><nav class="toc" aria-label="Claim types">{}</nav>"#,
        rules
            .claims
            .iter()
            .map(|c| format!(r##"<a href="#rule-{}">{}</a>"##, slug(&c.id), esc(&c.id)))
            .chain(std::iter::once(
                r##"<a href="#entities">names</a>"##.to_string()
            ))
            .collect::<Vec<_>>()
            .join(" · ")
    );
    for c in &rules.claims {
        let _ = writeln!(
            o,
            r#"<section class="rule" id="rule-{slug}" aria-labelledby="h-rule-{slug}"><h2 id="h-rule-{slug}">{id} <span class="muted">({kind}, <code>rules.toml</code> line {line})</span></h2>{desc}"#,
            slug = slug(&c.id),
            id = esc(&c.id),
            kind = c.kind.as_str(),
            line = c.line,
            desc = isolate_arabic(&markdown_html(&c.description))
        );
        if !c.examples.is_empty() || !c.counter_examples.is_empty() {
            let _ = writeln!(
                o,
                r#"<div class="scroll"><table class="examples"><thead><tr><th scope="col">Text</th><th scope="col">Yields</th></tr></thead><tbody>"#
            );
            for e in &c.examples {
                let mut v = value(&example_value(rules, &wording, c, e));
                if let Some(q) = &e.qualifier {
                    let _ = write!(
                        v,
                        r#" <span class="muted">{}</span>"#,
                        esc(&q.replace('_', " "))
                    );
                }
                let _ = writeln!(
                    o,
                    r#"<tr><td {}>{}</td><td>{v}</td></tr>"#,
                    lang_dir(&e.text),
                    esc(&e.text)
                );
            }
            for t in &c.counter_examples {
                let _ = writeln!(
                    o,
                    r#"<tr class="counter"><td {}>{}</td><td><span aria-hidden="true">∅</span> no claim (counter-example)</td></tr>"#,
                    lang_dir(t),
                    esc(t)
                );
            }
            let _ = writeln!(o, "</tbody></table></div>");
        }
        let _ = writeln!(o, "</section>");
    }
    let _ = writeln!(
        o,
        r#"<section id="entities" aria-labelledby="h-entities"><h2 id="h-entities">Names</h2><p>Listed spellings of people and organisations; spellings close to a listed one are found too.</p><div class="scroll"><table><thead><tr><th scope="col">Id</th><th scope="col">Type</th><th scope="col">Known spellings</th></tr></thead><tbody>"#
    );
    for e in &rules.entities {
        let _ = writeln!(
            o,
            r#"<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>"#,
            esc(&e.id),
            esc(&e.kind),
            e.written
                .iter()
                .map(|a| format!(
                    r#"<span class="spelling" {}>{}</span>"#,
                    lang_dir(a),
                    esc(a)
                ))
                .collect::<Vec<_>>()
                .join(" ")
        );
    }
    let _ = writeln!(o, "</tbody></table></div></section>");
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

    /// A cell lists a statement's values up to its limit and counts the rest.
    #[test]
    fn a_cell_lists_some_values_and_counts_the_rest() {
        let v = |x: &str| format!(r#"<span class="value" dir="ltr">{x}</span>"#);
        assert_eq!(
            value_list_upto("1, 2", 5),
            format!("{}, {}", v("1"), v("2"))
        );
        assert_eq!(
            value_list_upto("1, 2, 3, 4", 2),
            format!("{}, {} and 2 more", v("1"), v("2"))
        );
        assert_eq!(value_list("1, 2, 3"), value_list_upto("1, 2, 3", 3));
    }

    /// `esc` and `lang_dir` as first written, a char at a time.
    fn esc_by_char(text: &str) -> String {
        let mut out = String::new();
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

    fn script_counts_by_char(text: &str) -> (usize, usize) {
        let (mut arabic, mut latin) = (0, 0);
        for c in text.chars() {
            if c.is_ascii() {
                latin += usize::from(c.is_ascii_alphabetic());
            } else if is_arabic(c) {
                arabic += 1;
            } else if c.is_alphabetic() {
                latin += 1;
            }
        }
        (arabic, latin)
    }

    proptest::proptest! {
        #[test]
        fn escaping_and_direction_read_bytes_as_chars_do(
            text in crate::normalize::text_from(&["[<>&\"'a-z ]", "[\u{0600}-\u{06FF}]", "\\PC"], 80)
        ) {
            proptest::prop_assert_eq!(esc(&text), esc_by_char(&text));
            proptest::prop_assert_eq!(script_counts(&text), script_counts_by_char(&text));
        }

        /// `mixed` skips the isolation of ASCII text, which has no Arabic to isolate.
        #[test]
        fn mixed_is_escaping_then_isolation(
            text in crate::normalize::text_from(&["[<>&\"'a-z0-9 ;#]", "[\u{0600}-\u{06FF}]", "\\PC"], 60)
        ) {
            proptest::prop_assert_eq!(mixed(&text), isolate_arabic(&esc(&text)));
        }
    }

    #[test]
    fn a_value_list_wraps_between_its_values_only() {
        assert_eq!(
            value_list("2024-04-11, ~1000 soldier (US) ×2"),
            r#"<span class="value" dir="ltr">2024-04-11</span>, <span class="value" dir="ltr">~1000 soldier (US) ×2</span>"#
        );
        assert_eq!(value_list("≥100000000 USD"), value("≥100000000 USD"));
    }

    #[test]
    fn escaping_makes_markup_inert() {
        assert_eq!(
            esc(r#"<script>"x"&'y'"#),
            "&lt;script&gt;&quot;x&quot;&amp;&#39;y&#39;"
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]
        #[test]
        fn escaping_leaves_no_markup_and_undoes_exactly(text in "[<>&\"'a ب&;#ltampquo]{0,40}|\\PC{0,40}") {
            let e = esc(&text);
            proptest::prop_assert!(!e.contains(['<', '>', '"', '\'']));
            let back = e
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&amp;", "&");
            proptest::prop_assert_eq!(back, text);
        }
    }

    #[test]
    fn direction_follows_script() {
        assert_eq!(lang_dir("زهاء ألف جندي"), r#"lang="ar" dir="rtl""#);
        assert_eq!(lang_dir("RT Arabic"), r#"dir="auto""#);
    }

    #[test]
    fn arabic_inside_english_is_isolated() {
        assert_eq!(
            mixed("2024-04-12 (صحيفة الاتحاد) is compatible"),
            r#"2024-04-12 (<bdi lang="ar">صحيفة الاتحاد</bdi>) is compatible"#
        );
        // Numbers between Arabic words stay inside the run; trailing punctuation does not.
        assert_eq!(
            mixed("e.g. فرنسا التي لديها 1500 جندي, then"),
            r#"e.g. <bdi lang="ar">فرنسا التي لديها 1500 جندي</bdi>, then"#
        );
        // Each item of a list is isolated on its own: one run would read the two
        // outlets right to left, الجزيرة first.
        assert_eq!(
            mixed("by العربية, الجزيرة and RT; المدن"),
            r#"by <bdi lang="ar">العربية</bdi>, <bdi lang="ar">الجزيرة</bdi> and RT; <bdi lang="ar">المدن</bdi>"#
        );
        // So is each value of a statement's title, the reference's first; a slash
        // within Arabic words is theirs.
        assert_eq!(
            mixed("person: فلاديمير بوتين / عبد الرحمن تياني في مارس/آذار"),
            r#"person: <bdi lang="ar">فلاديمير بوتين</bdi> / <bdi lang="ar">عبد الرحمن تياني في مارس/آذار</bdi>"#
        );
        // Tags and entities are never split or wrapped.
        assert_eq!(
            isolate_arabic(r#"<code>أكثر من &quot;100&quot; دولار</code> → x"#),
            r#"<code><bdi lang="ar">أكثر من &quot;100&quot; دولار</bdi></code> → x"#
        );
        assert_eq!(mixed("<b>"), "&lt;b&gt;");
    }

    #[test]
    fn excerpts_keep_the_claim() {
        let text = format!(
            "{} زهاء ألف جندي أميركي {}",
            "كلمة ".repeat(40),
            "أخرى ".repeat(40)
        );
        let start = text.find("زهاء").unwrap();
        let end = start + "زهاء ألف جندي أميركي".len();
        let c = ClaimOut {
            id: "x".into(),
            doc: "d".into(),
            sentence: 1,
            line: 1,
            kind: "troops".into(),
            text: text[start..end].into(),
            value: serde_json::json!(1000),
            display: "~1000".into(),
            qualifier: None,
            unit: None,
            subject: None,
            precision: None,
            resolved: None,
            ambiguous: None,
            like: None,
            score: None,
            pattern: "troops#1".into(),
            start,
            end,
            statement: None,
        };
        let e = excerpt(&text, &[&c], 20);
        assert!(e.contains("<mark>زهاء ألف جندي أميركي</mark>"), "{e}");
        assert!(e.starts_with('…') && e.ends_with('…'), "{e}");
        assert!(e.chars().count() < 80, "{e}");
    }

    #[test]
    fn rule_descriptions_cannot_inject_html() {
        let h = markdown_html("a <script>alert(1)</script> **b**");
        assert!(!h.contains("<script>"), "{h}");
        assert!(h.contains("<strong>b</strong>"));
    }
}
