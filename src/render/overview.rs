//! The overview pages: `index.html`; for a corpus of several stories, one page per story
//! (`stories/<story>.html`); and the numbered pages a long list continues on
//! (`lists/…-2.html`).
//!
//! An overview answers "where do the outlets disagree, and where is the evidence?": its
//! corpus line, then conflicts, agreements and single-source statements, the name spellings,
//! the coverage matrix and the documents. A corpus without `story` keys is one story, and
//! its index is that story's overview. A corpus of several stories gets an index with the
//! conflicts of every story and a table of stories, and each story its own overview; the
//! coverage matrix lives on the story pages, where its columns are that story's outlets.
//!
//! Every list shows [`PAGE`] items and continues on numbered pages, so no page grows with
//! the corpus; the pager links the first, last and nearby pages only.

use super::html::{
    bdi, bdi_into, date_or_unknown, date_or_unknown_into, esc, excerpt, excerpt_into, lang_dir,
    mixed, put_page, value_list, value_list_into, value_list_upto, verdict_badge, verdict_symbol,
    Ctx, Nav,
};
use super::markdown::corpus_line;
use super::{grouped, slug, statement_title, story_name, values_text, StatementOut, PAGE, WIDE};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// One overview: the corpus index, or a story's page.
pub(super) struct Overview<'a> {
    pub ctx: &'a Ctx<'a>,
    /// The page's path from the site root: `index.html` or `stories/<slug>.html`.
    pub path: String,
    /// What the list pages of this overview are called: `lists/{prefix}{list}-{n}.html`.
    pub prefix: String,
    /// The story, on a story page.
    pub story: Option<&'a str>,
    /// The stories with their counts, on the index of a corpus with several.
    pub stories: Vec<StoryRow<'a>>,
}

/// A story's line in the index's table of stories.
pub(super) struct StoryRow<'a> {
    pub id: &'a str,
    pub articles: usize,
    pub outlets: usize,
    /// Its articles of unknown outlet, counted apart from the outlets.
    pub outlet_unknown: usize,
    pub claims: usize,
    pub conflicts: usize,
    pub agreements: usize,
    pub singles: usize,
    pub first_published: Option<String>,
    pub last_published: Option<String>,
}

/// The page of one story, from the site root.
pub(super) fn story_path(story: &str) -> String {
    format!("stories/{}.html", super::story_slug(story))
}

/// Page `n` (from 2) of a list (`agreements`, `singles`…) of the overview whose list pages
/// are named with `prefix` (empty for the corpus overview), from the site root.
pub(super) fn list_page(prefix: &str, list: &str, n: usize) -> String {
    format!("lists/{prefix}{list}-{n}.html")
}

/// The timeline of one story, from the site root: a section at the end of its page.
pub(super) fn story_timeline_path(story: &str) -> String {
    format!("stories/{}.html#timeline", super::story_slug(story))
}

/// The lists of an overview, in page order.
#[derive(Clone, Copy, PartialEq)]
enum List {
    Stories,
    Conflicts,
    Agreements,
    Singles,
    Coverage,
    Documents,
}

impl List {
    fn id(self) -> &'static str {
        match self {
            List::Stories => "stories",
            List::Conflicts => "conflicts",
            List::Agreements => "agreements",
            List::Singles => "singles",
            List::Coverage => "coverage",
            List::Documents => "documents",
        }
    }

    fn heading(self) -> &'static str {
        match self {
            List::Stories => "Stories",
            List::Conflicts => "Conflicts",
            List::Agreements => "Agreements",
            List::Singles => "Single-source statements",
            List::Coverage => "Coverage",
            List::Documents => "Articles",
        }
    }
}

/// What the agreements list says when it is empty, as cards or as a table.
const NO_AGREEMENTS: &str = "No statement is reported by two outlets.";

/// `../` repeated for a page `depth` folders below the root.
fn up(depth: usize) -> String {
    "../".repeat(depth)
}

impl<'a> Overview<'a> {
    fn multi(&self) -> bool {
        !self.stories.is_empty()
    }

    fn depth(&self) -> usize {
        self.path.matches('/').count()
    }

    fn statements(&self, verdict: &str) -> &'a [&'a StatementOut] {
        self.ctx.statements(verdict)
    }

    fn lists(&self) -> Vec<List> {
        // Conflicts first, whatever the corpus: they are what a reader opens it for.
        let mut lists = vec![List::Conflicts];
        if self.multi() {
            lists.push(List::Stories);
        }
        lists.extend([List::Agreements, List::Singles]);
        if !self.multi() {
            lists.push(List::Coverage);
        }
        lists.push(List::Documents);
        lists
    }

    fn len(&self, list: List) -> usize {
        let r = self.ctx.r;
        match list {
            List::Stories => self.stories.len(),
            List::Conflicts => self.statements("conflict").len(),
            List::Agreements => self.statements("agree").len(),
            List::Singles => self.statements("single").len(),
            List::Coverage => r.statements.len(),
            List::Documents => r.documents.len(),
        }
    }

    /// Where page `n` (1-based) of the stories list is, from the site root.
    pub(super) fn stories_list_page(&self, n: usize) -> String {
        self.list_path(List::Stories, n)
    }

    /// Where page `n` (1-based) of a list is, from the site root.
    fn list_path(&self, list: List, n: usize) -> String {
        if n <= 1 {
            format!("{}#{}", self.path, list.id())
        } else {
            list_page(&self.prefix, list.id(), n)
        }
    }

    /// Write the overview page and the numbered pages of its long lists, each as soon as
    /// it is rendered.
    pub fn write(&self, sink: &crate::site::Sink) -> anyhow::Result<()> {
        let title = match self.story {
            Some(s) => format!("Story: {}", story_name(s)),
            None => "Overview".to_string(),
        };
        let nav = if self.story.is_some() {
            Nav::Other
        } else {
            Nav::Overview
        };
        // The page itself is rendered while the numbered pages are: on the index of a
        // large corpus, it is the last page left.
        let (page_written, numbered) = rayon::join(
            || put_page(sink, &self.path, &title, self.depth(), nav, &self.main()),
            || self.write_numbered(sink),
        );
        page_written.and(numbered)
    }

    /// Write the numbered pages of the overview's long lists. On the index of a corpus
    /// they are most of a large site's list pages: rendered on every core, and not held
    /// once written.
    fn write_numbered(&self, sink: &crate::site::Sink) -> anyhow::Result<()> {
        let numbered: Vec<(List, usize, usize)> = self
            .lists()
            .into_iter()
            .flat_map(|list| {
                let pages = self.len(list).div_ceil(PAGE);
                (2..=pages).map(move |n| (list, n, pages))
            })
            .collect();
        numbered.into_par_iter().try_for_each(|(list, n, pages)| {
            let path = self.list_path(list, n);
            let depth = path.matches('/').count();
            let heading = format!("{}, page {n} of {pages}", list.heading());
            let scope = match self.story {
                Some(s) => format!(
                    r#"<p>Of the story <a href="{}{}">{}</a>.</p>"#,
                    up(depth),
                    story_path(s),
                    mixed(story_name(s))
                ),
                None => format!(
                    r#"<p>Of <a href="{}index.html">the whole corpus</a>.</p>"#,
                    up(depth)
                ),
            };
            let body = format!(
                "<h1>{}</h1>\n{scope}\n{}",
                esc(&heading),
                self.section(list, n, depth)
            );
            put_page(sink, &path, &heading, depth, Nav::Other, &body)
        })
    }

    /// The `<main>` content of the overview page itself.
    fn main(&self) -> String {
        let ctx = self.ctx;
        let r = ctx.r;
        let depth = self.depth();
        let mut o = String::new();
        match self.story {
            Some(s) => {
                let _ = writeln!(
                    o,
                    r#"<h1>Story: <span {}>{}</span></h1>"#,
                    lang_dir(story_name(s)),
                    esc(story_name(s))
                );
            }
            None => {
                let _ = writeln!(o, "<h1>Where the outlets agree and differ</h1>");
            }
        }
        let stories = if self.multi() {
            format!("{} stories: ", grouped(self.stories.len()))
        } else {
            String::new()
        };
        let see = if r.corpus.without_text > 0 {
            r##": see <a href="#documents">Articles</a>"##
        } else {
            ""
        };
        let _ = writeln!(
            o,
            r#"<p class="corpus">{}{}{see}.</p>"#,
            esc(&stories),
            mixed(&corpus_line(&r.corpus))
        );
        let mut toc: Vec<String> = Vec::new();
        for list in self.lists() {
            let count = match list {
                List::Coverage => String::new(),
                l => format!(" ({})", grouped(self.len(l))),
            };
            toc.push(format!(
                r##"<a href="#{}">{}{count}</a>"##,
                list.id(),
                list.heading().replace(" claims", "")
            ));
            if list == List::Singles {
                toc.push(format!(
                    r##"<a href="#names">Name spellings ({})</a>"##,
                    grouped(r.entities.len())
                ));
            }
        }
        if let Some(s) = self.story {
            toc.push(format!(
                r#"<a href="{}{}">Timeline</a>"#,
                up(depth),
                story_timeline_path(s)
            ));
        }
        let _ = writeln!(
            o,
            r#"<nav class="toc" aria-label="On this page">{}</nav>"#,
            toc.join(" · ")
        );
        let _ = writeln!(
            o,
            r#"<details class="legend"><summary>How to read this report</summary><ul>
<li>A <strong>statement</strong> is one thing the articles report (a troop count, a date): the sentence of each outlet that reports it, found by matching their sentences, or one outlet's sentence when no other matched; its section of the statements page shows each outlet's sentence, where it comes from and a word diff.</li>
<li>Verdicts: <span class="badge conflict">✗ conflict</span> two outlets give incompatible values; <span class="badge agree">✓ agree</span> all values are compatible; <span class="badge single">○ single source</span> only one outlet reports it.</li>
<li>Values: <code>~</code> approximate (<bdi lang="ar">زهاء، نحو</bdi>), <code>≥</code> at least (<bdi lang="ar">أكثر من</bdi>), or the least a vague plural can mean (<bdi lang="ar">ملايين</bdi>: ≥2,000,000; <bdi lang="ar">مئات</bdi>: ≥200), <code>≤</code> at most; dates are ISO 8601 at their precision (<code>2024-03-26</code>, <code>2024-03</code>), a week by its days (<code>week of 8–14 April 2024</code>); a date in an article with no publication date is placed only as far as the article says, and says what is unknown (<code>March (year unknown)</code>, <code>Thursday (date unknown)</code>); names are spelt as <code>rules.toml</code> lists them.</li>
<li>In excerpts, <mark>marked words</mark> are the claim the value was read from.</li>
</ul></details>"#
        );
        // Each list's first page of cards, rendered on every core.
        let sections: Vec<String> = self
            .lists()
            .into_par_iter()
            .map(|list| {
                let mut section = self.section(list, 1, depth);
                if list == List::Singles {
                    section.push_str(&self.spellings());
                }
                section
            })
            .collect();
        o.reserve(sections.iter().map(String::len).sum::<usize>() + 4096);
        for section in &sections {
            o.push_str(section);
        }
        if self.multi() {
            let _ = writeln!(
                o,
                r#"<p>Each story's page has its coverage matrix (statements × its outlets) and its timeline.</p>"#
            );
        }
        if self.story.is_some() {
            o.push_str(&super::timeline::story_section(self.ctx.r, depth));
        }
        let _ = writeln!(
            o,
            r#"<p><a href="{0}rules.html">The rules in force</a> decide what counts as a claim; <a href="{0}{1}">the timeline</a> puts every dated claim on one axis.</p>"#,
            up(depth),
            match self.story {
                Some(s) => story_timeline_path(s),
                None => "timeline.html".to_string(),
            }
        );
        o
    }

    /// One list as a section: its heading on the overview, page `n` of its items, and the
    /// pager when it runs over several pages.
    fn section(&self, list: List, n: usize, depth: usize) -> String {
        let total = self.len(list);
        let range = ((n - 1) * PAGE).min(total)..(n * PAGE).min(total);
        let pager = self.pager(list, n, total, depth);
        let body = match list {
            List::Stories => self.stories_table(range, depth),
            List::Conflicts => self.cards("conflict", range, depth),
            // Across stories, agreements are many and need no evidence to scan: one row
            // each, with the evidence a click away on the statement's page.
            List::Agreements if self.multi() => self.agreements_table(range, depth),
            List::Agreements => self.cards("agree", range, depth),
            List::Singles => self.singles(range, depth),
            List::Coverage => self.coverage(range, depth),
            List::Documents => self.documents(range, depth),
        };
        let mut o = String::with_capacity(body.len() + 2 * pager.len() + 256);
        if n == 1 {
            let count = if list == List::Coverage {
                String::new()
            } else {
                format!(" ({})", grouped(total))
            };
            let _ = writeln!(
                o,
                r#"<section id="{id}" aria-labelledby="h-{id}"><h2 id="h-{id}">{}{count}</h2>"#,
                list.heading(),
                id = list.id()
            );
        } else {
            let _ = writeln!(o, r#"<section id="{}">"#, list.id());
        }
        o.push_str(&pager);
        o.push_str(&body);
        o.push_str(&pager);
        let _ = writeln!(o, "</section>");
        o
    }

    /// Links to the other pages of a list: previous, next, first, last and the nearby ones.
    fn pager(&self, list: List, n: usize, total: usize, depth: usize) -> String {
        let pages = total.div_ceil(PAGE);
        if pages <= 1 {
            return String::new();
        }
        let href = |k: usize| format!("{}{}", up(depth), self.list_path(list, k));
        let mut shown: BTreeSet<usize> = [1, pages].into_iter().collect();
        shown.extend(n.saturating_sub(2).max(1)..=(n + 2).min(pages));
        let mut links: Vec<String> = Vec::new();
        let mut last = 0;
        for k in shown {
            if k > last + 1 {
                links.push("…".into());
            }
            links.push(if k == n {
                format!(r#"<strong aria-current="page">{k}</strong>"#)
            } else {
                format!(r#"<a href="{}">{k}</a>"#, href(k))
            });
            last = k;
        }
        let prev = if n > 1 {
            format!(r#"<a href="{}" rel="prev">← previous</a> · "#, href(n - 1))
        } else {
            String::new()
        };
        let next = if n < pages {
            format!(r#" · <a href="{}" rel="next">next →</a>"#, href(n + 1))
        } else {
            String::new()
        };
        format!(
            r#"<nav class="pager" aria-label="Pages of {heading}"><span>{heading} {a}–{b} of {total}</span> {prev}page {links}{next}</nav>
"#,
            heading = list.heading().to_lowercase(),
            a = grouped((n - 1) * PAGE + 1),
            b = grouped((n * PAGE).min(total)),
            total = grouped(total),
            links = links.join(" "),
        )
    }

    /// The story a statement belongs to, as a link, on the index of several stories.
    fn story_link(&self, s: &StatementOut, depth: usize) -> String {
        if !self.multi() {
            return String::new();
        }
        let story = self.story_of(s);
        format!(
            r#"<p class="story">Story: <a href="{}{}" {}>{}</a></p>"#,
            up(depth),
            story_path(story),
            lang_dir(story_name(story)),
            esc(story_name(story))
        )
    }

    fn cards(&self, verdict: &str, range: std::ops::Range<usize>, depth: usize) -> String {
        let list = self.statements(verdict);
        // Room for the cards at once: on the generated corpus, a card is 600 bytes and
        // 450 a member or less, but for one card in several thousand.
        let mut o = String::with_capacity(
            list[range.clone()]
                .iter()
                .map(|s| 600 + 450 * s.members.len())
                .sum(),
        );
        if list.is_empty() {
            let none = if verdict == "conflict" {
                "No conflicts: no two outlets give incompatible values for the same statement."
            } else {
                NO_AGREEMENTS
            };
            let _ = writeln!(o, r#"<p class="none">{none}</p>"#);
        }
        for s in &list[range] {
            self.card_into(&mut o, s, depth);
        }
        o
    }

    /// A statement's card, written at the end of `o`: a list page holds a hundred.
    fn card_into(&self, o: &mut String, s: &StatementOut, depth: usize) {
        let _ = writeln!(
            o,
            r#"<article class="card {v}"><h3>{badge} <a href="{href}">{title}</a></h3>{story}<p class="reason">{reason}</p><div class="scroll"><table class="values"><thead><tr><th scope="col">Outlet</th><th scope="col">Published</th><th scope="col">Value</th><th scope="col">Evidence</th></tr></thead><tbody>"#,
            v = esc(&s.verdict),
            badge = verdict_badge(&s.verdict),
            href = statement_href(s, depth),
            title = mixed(&statement_title(self.ctx.r.words, s)),
            story = self.story_link(s, depth),
            reason = mixed(&s.reason)
        );
        for m in &s.members {
            o.push_str(r#"<tr><th scope="row">"#);
            bdi_into(o, &m.outlet);
            o.push_str("</th><td>");
            date_or_unknown_into(o, m.published.as_deref());
            o.push_str("</td><td>");
            value_list_into(o, &values_text(&self.ctx.r.words.list(&m.values)));
            o.push_str("</td><td ");
            o.push_str(lang_dir(&m.text));
            o.push('>');
            excerpt_into(o, &m.text, &self.ctx.member_claims(m), 70);
            o.push_str("</td></tr>\n");
        }
        o.push_str("</tbody></table></div></article>\n");
    }

    fn singles(&self, range: std::ops::Range<usize>, depth: usize) -> String {
        let singles = self.statements("single");
        let mut o = String::new();
        if singles.is_empty() {
            let _ = writeln!(
                o,
                r#"<p class="none">Every statement is reported by at least two outlets.</p>"#
            );
            return o;
        }
        let story_col = if self.multi() {
            r#"<th scope="col">Story</th>"#
        } else {
            ""
        };
        let _ = writeln!(
            o,
            r#"<p>Sentences no other outlet's sentence was matched with, so there is nothing to check their value against. Another outlet may still name the same person or give the same figure or date in another sentence of the story: <em>Elsewhere in the story</em> says which outlets do.</p><div class="scroll"><table><thead><tr>{story_col}<th scope="col">Type</th><th scope="col">Outlet</th><th scope="col">Value</th><th scope="col">Elsewhere in the story</th><th scope="col">Evidence</th></tr></thead><tbody>"#
        );
        for s in &singles[range] {
            let m = &s.members[0];
            let story = if self.multi() {
                self.story_cell(s, depth)
            } else {
                String::new()
            };
            let _ = writeln!(
                o,
                r#"<tr>{story}<td>{}</td><td>{}</td><td class="single-value"><a href="{}">{}</a></td><td class="elsewhere">{}</td><td {}>{}</td></tr>"#,
                esc(&s.kind),
                bdi(&m.outlet),
                statement_href(s, depth),
                value_list_upto(&values_text(&self.ctx.r.words.list(&m.values)), CELL_VALUES),
                elsewhere(s, self.ctx.r.words),
                lang_dir(&m.text),
                excerpt(&m.text, &self.ctx.member_claims(m), 60)
            );
        }
        let _ = writeln!(o, "</tbody></table></div>");
        o
    }

    /// The story of a statement: its first member's document's.
    fn story_of(&self, s: &StatementOut) -> &'a str {
        s.members
            .first()
            .and_then(|m| self.ctx.docs.get(m.doc.as_str()))
            .map_or("", |d| d.story.as_str())
    }

    /// The story of a statement as a table cell linking to the story's page.
    fn story_cell(&self, s: &StatementOut, depth: usize) -> String {
        let id = self.story_of(s);
        format!(
            r#"<td><a href="{}{}" {}>{}</a></td>"#,
            up(depth),
            story_path(id),
            lang_dir(story_name(id)),
            esc(story_name(id))
        )
    }

    /// The agreements of every story, one row each: its story, the statement linked to
    /// its page, and the outlets that report it.
    fn agreements_table(&self, range: std::ops::Range<usize>, depth: usize) -> String {
        let agreements = self.statements("agree");
        let mut o = String::new();
        if agreements.is_empty() {
            let _ = writeln!(o, r#"<p class="none">{NO_AGREEMENTS}</p>"#);
            return o;
        }
        let _ = writeln!(
            o,
            r#"<p>Statements whose outlets all give compatible values, one to a row; each links to its outlets' sentences side by side.</p><div class="scroll"><table><thead><tr><th scope="col">Story</th><th scope="col">Statement</th><th scope="col">Outlets</th><th scope="col">Reported by</th></tr></thead><tbody>"#
        );
        for s in &agreements[range] {
            // An outlet with two articles in the story can report a statement twice.
            let mut outlets: Vec<&str> = Vec::with_capacity(s.members.len());
            for m in &s.members {
                if !outlets.contains(&m.outlet.as_str()) {
                    outlets.push(&m.outlet);
                }
            }
            o.push_str("<tr>");
            o.push_str(&self.story_cell(s, depth));
            // Mostly Arabic names read right to left, with the Arabic comma.
            let dir = lang_dir(&outlets.concat());
            let comma = if dir.contains("rtl") { "، " } else { ", " };
            let count = match super::outlet_counts(outlets.iter().copied()) {
                (found, 0) => found.to_string(),
                (found, u) => format!("{found} + {}", super::unknown_articles(u, u)),
            };
            let _ = write!(
                o,
                r#"<td><a href="{}">{}</a></td><td class="num">{count}</td><td {dir}>"#,
                statement_href(s, depth),
                mixed(&statement_title(self.ctx.r.words, s)),
            );
            for (i, outlet) in outlets.into_iter().enumerate() {
                if i > 0 {
                    o.push_str(comma);
                }
                bdi_into(&mut o, outlet);
            }
            o.push_str("</td></tr>\n");
        }
        let _ = writeln!(o, "</tbody></table></div>");
        o
    }

    fn stories_table(&self, range: std::ops::Range<usize>, depth: usize) -> String {
        let mut o = String::new();
        let _ = writeln!(
            o,
            r#"<p>Articles are compared within their story (the <code>story</code> key of their front matter). Stories with conflicts come first.</p><div class="scroll"><table><thead><tr><th scope="col">Story</th><th scope="col">Articles</th><th scope="col">Outlets</th><th scope="col">Published</th><th scope="col">Claims</th><th scope="col"><span aria-hidden="true">✗</span> Conflicts</th><th scope="col"><span aria-hidden="true">✓</span> Agreements</th><th scope="col"><span aria-hidden="true">○</span> Single-source</th></tr></thead><tbody>"#
        );
        for s in &self.stories[range] {
            let published = match (&s.first_published, &s.last_published) {
                (Some(a), Some(b)) if a == b => date_or_unknown(Some(a)),
                (Some(a), Some(b)) => format!(
                    "{} – {}",
                    date_or_unknown(Some(a)),
                    date_or_unknown(Some(b))
                ),
                _ => date_or_unknown(None),
            };
            // The articles of unknown outlet are counted apart from the outlets, as the
            // header counts them: a story of such articles alone is not of 0 outlets.
            let outlets = match s.outlet_unknown {
                0 => s.outlets.to_string(),
                u => format!("{} + {}", s.outlets, super::unknown_articles(u, u)),
            };
            let _ = writeln!(
                o,
                r#"<tr><th scope="row"><a href="{}{}" {}>{}</a></th><td class="num">{}</td><td class="num">{outlets}</td><td>{published}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td></tr>"#,
                up(depth),
                story_path(s.id),
                lang_dir(story_name(s.id)),
                esc(story_name(s.id)),
                s.articles,
                s.claims,
                s.conflicts,
                s.agreements,
                s.singles,
            );
        }
        let _ = writeln!(o, "</tbody></table></div>");
        o
    }

    fn spellings(&self) -> String {
        let ctx = self.ctx;
        let r = ctx.r;
        let mut o = String::new();
        let _ = writeln!(
            o,
            r#"<section id="names" aria-labelledby="h-names"><h2 id="h-names">Name spellings ({})</h2>"#,
            grouped(r.entities.len())
        );
        if r.entities.is_empty() {
            let _ = writeln!(
                o,
                r#"<p class="none">No listed name was found.</p></section>"#
            );
            return o;
        }
        let _ = writeln!(
            o,
            r#"<p>How each outlet spells each person and organisation. Names outlets spell more than one way come first; a name only one outlet gives is marked single source, however that outlet spells it: there is no other outlet's spelling to compare with. <span class="alt">≠</span> marks a spelling other than the listed name in the first column, and <span class="alt">≈</span> one that rules.toml does not list, found because it is close to a listed spelling (which one, on hover or to a screen reader): check it, and add it to the name's aliases if it is right.</p>"#
        );
        let mut entities: Vec<_> = r.entities.iter().collect();
        entities.sort_by_key(|e| super::entity_order(&e.verdict));
        // One column per outlet while the table stays readable; past that, one cell
        // listing each outlet with its spellings.
        let wide = ctx.outlets.len() <= WIDE;
        let _ = write!(
            o,
            r#"<div class="scroll"><table class="names"><thead><tr><th scope="col">Name</th><th scope="col">Spellings</th>"#
        );
        if wide {
            for outlet in &ctx.outlets {
                let _ = write!(o, r#"<th scope="col">{}</th>"#, bdi(outlet));
            }
        } else {
            let _ = write!(o, r#"<th scope="col">By outlet</th>"#);
        }
        let _ = writeln!(o, "</tr></thead><tbody>");
        for e in entities {
            let id = if self.story.is_some() {
                String::new()
            } else {
                format!(r#" id="entity-{}""#, slug(&e.id))
            };
            let _ = write!(
                o,
                r#"<tr{id}><th scope="row"><span {}>{}</span> <span class="muted">{} · {}</span></th><td>{}</td>"#,
                lang_dir(&e.canonical),
                esc(&e.canonical),
                esc(&e.kind),
                esc(&e.id),
                verdict_badge(&e.verdict)
            );
            let mut by_outlet: std::collections::BTreeMap<&str, BTreeSet<&str>> =
                std::collections::BTreeMap::new();
            for m in &e.mentions {
                by_outlet.entry(&m.outlet).or_default().insert(&m.text);
            }
            let unlisted = super::unlisted_spellings(&ctx.unlisted, e);
            let cell = |texts: &BTreeSet<&str>| {
                texts
                    .iter()
                    .map(|t| {
                        let alt = if let Some(like) = unlisted.get(t) {
                            // The title for the pointer, the hidden text for a screen reader.
                            format!(
                                r#"<span class="alt" title="not in rules.toml; close to {l}"><span aria-hidden="true">≈</span><span class="sr">not in rules.toml; close to {l}:</span></span> "#,
                                l = esc(like)
                            )
                        } else if e.verdict == "variant" && *t != e.canonical {
                            r#"<span class="alt" title="spelled other than the listed name">≠</span> "#
                                .to_string()
                        } else {
                            String::new()
                        };
                        format!(
                            r#"<span class="spelling">{alt}<span {}>{}</span></span>"#,
                            lang_dir(t),
                            esc(t)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            if wide {
                for outlet in &ctx.outlets {
                    match by_outlet.get(outlet) {
                        Some(texts) => {
                            let _ = write!(o, "<td>{}</td>", cell(texts));
                        }
                        None => {
                            let _ = write!(
                                o,
                                r#"<td class="silent"><span aria-hidden="true">—</span><span class="sr">not named</span></td>"#
                            );
                        }
                    }
                }
            } else {
                // By spelling, naming at most WIDE outlets each: the cell grows with the
                // spellings, not with the outlets.
                let mut by_spelling: std::collections::BTreeMap<&str, Vec<&str>> =
                    std::collections::BTreeMap::new();
                for (outlet, texts) in &by_outlet {
                    for t in texts {
                        by_spelling.entry(t).or_default().push(outlet);
                    }
                }
                let lines: Vec<String> = by_spelling
                    .iter()
                    .map(|(t, outlets)| {
                        format!(
                            "{}: {}",
                            cell(&BTreeSet::from([*t])),
                            crate::verdict::outlets_list(outlets, WIDE, bdi)
                        )
                    })
                    .collect();
                let _ = write!(o, "<td>{}</td>", lines.join("<br>"));
            }
            let _ = writeln!(o, "</tr>");
        }
        let _ = writeln!(o, "</tbody></table></div></section>");
        o
    }

    fn coverage(&self, range: std::ops::Range<usize>, depth: usize) -> String {
        let ctx = self.ctx;
        let r = ctx.r;
        let mut o = String::new();
        let _ = writeln!(
            o,
            r#"<p>Every statement (rows: ✗ conflict, ✓ agree, ○ single source) against every outlet (columns): the value an outlet reports, or — where it does not report that statement (it may give the value or name in another sentence: for a single-source statement, <em>elsewhere</em> says it does).</p>"#
        );
        if r.statements.is_empty() {
            let _ = writeln!(o, r#"<p class="none">No statements.</p>"#);
            return o;
        }
        // One column per outlet while the table stays readable; past that, one cell with
        // the outlets that report and one counting the silent ones.
        let wide = ctx.outlets.len() <= WIDE;
        let _ = write!(
            o,
            r#"<div class="scroll"><table class="matrix"><thead><tr><th scope="col">Statement</th>"#
        );
        if wide {
            for outlet in &ctx.outlets {
                let _ = write!(o, r#"<th scope="col">{}</th>"#, bdi(outlet));
            }
        } else {
            let _ = write!(
                o,
                r#"<th scope="col">Reported by</th><th scope="col">Not reporting</th>"#
            );
        }
        let _ = writeln!(o, "</tr></thead><tbody>");
        let (found_total, unknown_total) = super::outlet_counts(ctx.outlets.iter().copied());
        for s in &ctx.ordered()[range] {
            let _ = write!(
                o,
                r#"<tr class="{}"><th scope="row">{} <a href="{}">{}</a></th>"#,
                esc(&s.verdict),
                verdict_symbol(&s.verdict),
                statement_href(s, depth),
                mixed(&statement_title(self.ctx.r.words, s))
            );
            if !wide {
                let mut by_outlet: std::collections::BTreeMap<&str, Vec<&str>> =
                    std::collections::BTreeMap::new();
                for m in &s.members {
                    by_outlet
                        .entry(&m.outlet)
                        .or_default()
                        .extend(ctx.r.words.list(&m.values));
                }
                let lines: Vec<String> = by_outlet
                    .iter()
                    .map(|(outlet, vals)| {
                        format!("{}: {}", bdi(outlet), value_list(&values_text(vals)))
                    })
                    .collect();
                let (found_reporting, unknown_reporting) =
                    super::outlet_counts(by_outlet.keys().copied());
                let _ = writeln!(
                    o,
                    r#"<td class="reports">{}</td><td class="silent">{}</td></tr>"#,
                    lines.join("<br>"),
                    super::not_reporting(
                        found_reporting,
                        found_total,
                        unknown_reporting,
                        unknown_total
                    )
                );
                continue;
            }
            for outlet in &ctx.outlets {
                let vals: Vec<&str> = s
                    .members
                    .iter()
                    .filter(|m| m.outlet == *outlet)
                    .flat_map(|m| ctx.r.words.list(&m.values))
                    .collect();
                if vals.is_empty() && s.given_elsewhere_by(outlet) {
                    let _ = write!(
                        o,
                        r#"<td class="silent"><em>elsewhere</em><span class="sr">: gives it in another sentence</span></td>"#
                    );
                } else if vals.is_empty() {
                    let _ = write!(
                        o,
                        r#"<td class="silent"><span aria-hidden="true">—</span><span class="sr">not reported</span></td>"#
                    );
                } else {
                    let _ = write!(
                        o,
                        r#"<td class="reports">{}</td>"#,
                        value_list(&values_text(&vals))
                    );
                }
            }
            let _ = writeln!(o, "</tr>");
        }
        let _ = writeln!(o, "</tbody></table></div>");
        o
    }

    fn documents(&self, range: std::ops::Range<usize>, depth: usize) -> String {
        let ctx = self.ctx;
        let mut o = String::new();
        let _ = writeln!(
            o,
            r#"<div class="scroll"><table><thead><tr><th scope="col">Article</th><th scope="col">Outlet</th><th scope="col">Published</th><th scope="col">File</th><th scope="col">Claims</th><th scope="col">Set aside</th></tr></thead><tbody>"#
        );
        for d in ctx.r.documents.iter().skip(range.start).take(range.len()) {
            let compared = if d.compared() {
                ""
            } else {
                r#" <span class="missing">no text to compare</span>"#
            };
            let _ = writeln!(
                o,
                r#"<tr><td><a href="{}" {}>{}</a>{compared}</td><td>{}</td><td>{}</td><td><code>{}</code></td><td class="num">{}</td><td class="num">{}</td></tr>"#,
                d.href(depth),
                lang_dir(&d.title),
                esc(&d.title),
                bdi(&d.outlet),
                date_or_unknown(d.published.as_deref()),
                esc(&d.path),
                ctx.claim_count(&d.id),
                d.excluded.len()
            );
        }
        let _ = writeln!(o, "</tbody></table></div>");
        o
    }
}

fn statement_href(s: &StatementOut, depth: usize) -> String {
    s.href(depth)
}

impl<'a> StoryRow<'a> {
    /// The line of story `id`, from its own report's counts.
    pub(super) fn of(id: &'a str, c: &super::Corpus) -> StoryRow<'a> {
        let n = |v: &str| c.by_verdict.get(v).copied().unwrap_or(0);
        StoryRow {
            id,
            articles: c.articles,
            outlets: c.outlets,
            outlet_unknown: c.outlet_unknown,
            claims: c.claims,
            conflicts: n("conflict"),
            agreements: n("agree"),
            singles: n("single"),
            first_published: c.first_published.clone(),
            last_published: c.last_published.clone(),
        }
    }
}

/// The stories' lines in the index's order: most conflicts first, then by id.
pub(super) fn story_rows(mut rows: Vec<StoryRow<'_>>) -> Vec<StoryRow<'_>> {
    rows.sort_by(|a, b| b.conflicts.cmp(&a.conflicts).then(a.id.cmp(b.id)));
    rows
}

/// How many of a statement's values a table cell lists before saying how many more: the
/// cell links to the statement, which lists them all.
const CELL_VALUES: usize = 12;

/// The "Elsewhere in the story" cell of a single-source statement: the other outlets that
/// give its values in other sentences (`فاغنر by العربية`), or a dash.
fn elsewhere(s: &StatementOut, words: &super::ValueWords) -> String {
    if s.elsewhere.is_empty() {
        return r#"<span class="muted">—</span>"#.to_string();
    }
    mixed(&super::elsewhere_text(s, words))
}
