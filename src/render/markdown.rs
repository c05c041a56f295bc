//! `report.md`: the overview in GitHub-flavoured Markdown, for repository browsers and CI
//! summaries. Article text is escaped for Markdown so it can never become markup or a link.

use super::{
    by_verdict, count, grouped, statement_title, story_name, values_text, verdict_words, ClaimOut,
    MemberOut, Report, StatementOut, ValueWords, PAGE,
};
use foldhash::HashMap;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// Escape text for a Markdown table cell or paragraph.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~' | '!' | '&' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// `5 articles from 4 outlets (1 article's outlet unknown)`: the articles, the outlets
/// found, and how many articles have no outlet found, which are not counted as outlets
/// (two of them may be one outlet's, or two).
fn sources(articles: usize, outlets: usize, unknown: usize) -> String {
    let all = count(articles, "article", "articles");
    match (outlets, unknown) {
        (_, 0) => format!("{all} from {}", count(outlets, "outlet", "outlets")),
        (0, 1) => format!("{all}, its outlet unknown"),
        (0, _) => format!("{all}, their outlets unknown"),
        (_, 1) => format!(
            "{all} from {} (1 article's outlet unknown)",
            count(outlets, "outlet", "outlets")
        ),
        (_, u) => format!(
            "{all} from {} ({} articles' outlets unknown)",
            count(outlets, "outlet", "outlets"),
            grouped(u)
        ),
    }
}

/// The summary line shared by report.md, index.html and the closing line of a build: the
/// articles compared, then those read with no text to compare, which count in no other
/// number (each page that shows the line points to the list of articles after it).
pub fn corpus_line(c: &super::Corpus) -> String {
    let range = match (&c.first_published, &c.last_published) {
        (Some(a), Some(b)) if a == b => format!(", published {a}"),
        (Some(a), Some(b)) => format!(", published {a} to {b}"),
        _ => String::new(),
    };
    let n = |v: &str| c.by_verdict.get(v).copied().unwrap_or(0);
    let without_text = match c.without_text {
        0 => String::new(),
        1 => "; 1 more article had no text to compare once boilerplate was set aside".into(),
        k => format!(
            "; {} more articles had no text to compare once boilerplate was set aside",
            grouped(k)
        ),
    };
    format!(
        "{}{range}; {} in {}: {}, {}, {} single-source{without_text}",
        sources(c.articles, c.outlets, c.outlet_unknown),
        count(c.claims, "claim", "claims"),
        count(c.statements, "statement", "statements"),
        count(n("conflict"), "conflict", "conflicts"),
        count(n("agree"), "agreement", "agreements"),
        grouped(n("single")),
    )
}

/// Claims by id, for the excerpts.
type Claims<'a> = HashMap<&'a str, &'a ClaimOut>;

/// A sentence excerpt around its claims, the claims in bold.
fn evidence(claims: &Claims, m: &MemberOut, radius: usize) -> String {
    let cs: Vec<&ClaimOut> = m
        .claims
        .iter()
        .filter_map(|id| claims.get(id.as_str()).copied())
        .collect();
    super::excerpt(&m.text, &cs, radius)
        .into_iter()
        .map(|(claim, t)| {
            if claim {
                format!("**{}**", escape(&t))
            } else {
                escape(&t)
            }
        })
        .collect()
}

/// A note that a list goes on past its first page, and where the site shows the rest: the
/// list `list` of index.html, then its numbered pages.
fn more(o: &mut String, total: usize, what: &str, list: &str) {
    if total > PAGE {
        let next = super::overview::list_page("", list, 2);
        let _ = writeln!(
            o,
            "The first {PAGE} of {} {what} are shown; the site lists them all, {PAGE} to a page: [`index.html`](index.html#{list}), then [`{next}`]({next}) and the pages after it.\n",
            grouped(total)
        );
    }
}

fn statement_section(o: &mut String, words: &ValueWords, claims: &Claims, s: &StatementOut) {
    let (sym, word) = verdict_words(&s.verdict);
    let _ = writeln!(o, "### {sym} {}\n", escape(&statement_title(words, s)));
    // An English word first: a renderer that sets each paragraph's direction by its
    // first strong letter (GitHub's `dir="auto"`) would lay out a reason that starts with
    // an Arabic outlet's name right to left.
    let _ = writeln!(
        o,
        "**Verdict: {word}.** {} ([statement page]({}))\n",
        escape(&s.reason),
        s.href(0)
    );
    let _ = writeln!(o, "| Outlet | Published | Value | Evidence |");
    let _ = writeln!(o, "|---|---|---|---|");
    for m in s.members.iter().take(PAGE) {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} |",
            escape(&m.outlet),
            m.published
                .as_deref()
                .map_or("no date found".into(), escape),
            escape(&values_text(&words.list(&m.values))),
            evidence(claims, m, 70)
        );
    }
    let _ = writeln!(o);
    if s.members.len() > PAGE {
        let _ = writeln!(
            o,
            "The first {PAGE} of {} reports are shown; the statement page lists them all.\n",
            grouped(s.members.len())
        );
    }
}

/// The whole report.md: the overview of index.html, each list cut at its first page.
pub fn report(r: &Report) -> String {
    let claims: Claims = r.claims.iter().map(|c| (c.id.as_str(), c)).collect();
    let stories = super::stories(r);
    let multi = stories.len() > 1;
    let mut o = String::new();
    let _ = writeln!(o, "# Source comparison report\n");
    let see = if r.corpus.without_text > 0 {
        ": see Articles below"
    } else {
        ""
    };
    let _ = writeln!(o, "{}{see}.\n", corpus_line(&r.corpus));
    let _ = writeln!(
        o,
        "Open `index.html` for the evidence: each statement's sentences side by side with their provenance, word diffs, the articles with the set-aside boilerplate, and a timeline. Values: `~` approximate, `≥` at least (or the least a vague plural such as ملايين can mean), `≤` at most; dates are ISO 8601 at their precision (`2024-03-26`, `2024-03`), a week by its days (`week of 8–14 April 2024`), and a date in an article with no publication date says what is unknown (`March (year unknown)`, `Thursday (date unknown)`); names are spelt as `rules.toml` lists them.\n"
    );

    for (title, verdict, list_id, empty) in [
        (
            "Conflicts",
            "conflict",
            "conflicts",
            "No conflicts: no two outlets give incompatible values for the same statement.",
        ),
        (
            "Agreements",
            "agree",
            "agreements",
            "No statement is reported by two outlets.",
        ),
    ] {
        let list = by_verdict(&r.statements, verdict);
        let _ = writeln!(o, "## {title} ({})\n", grouped(list.len()));
        if list.is_empty() {
            let _ = writeln!(o, "{empty}\n");
        }
        for s in list.iter().take(PAGE) {
            statement_section(&mut o, &r.words, &claims, s);
        }
        more(&mut o, list.len(), &title.to_lowercase(), list_id);
    }

    let singles = by_verdict(&r.statements, "single");
    let _ = writeln!(
        o,
        "## Single-source statements ({})\n",
        grouped(singles.len())
    );
    if singles.is_empty() {
        let _ = writeln!(o, "Every statement is reported by at least two outlets.\n");
    } else {
        let _ = writeln!(
            o,
            "| Type | Outlet | Value | Elsewhere in the story | Evidence |"
        );
        let _ = writeln!(o, "|---|---|---|---|---|");
        for s in singles.iter().take(PAGE) {
            let m = &s.members[0];
            let elsewhere = if s.elsewhere.is_empty() {
                "—".to_string()
            } else {
                escape(&super::elsewhere_text(s, &r.words))
            };
            let _ = writeln!(
                o,
                "| {} | {} | [{}]({}) | {elsewhere} | {} |",
                escape(&s.kind),
                escape(&m.outlet),
                escape(&values_text(&r.words.list(&m.values))),
                s.href(0),
                evidence(&claims, m, 60)
            );
        }
        let _ = writeln!(o);
        more(&mut o, singles.len(), "single-source statements", "singles");
    }

    let _ = writeln!(o, "## Name spellings ({})\n", grouped(r.entities.len()));
    if r.entities.is_empty() {
        let _ = writeln!(o, "No listed name was found.\n");
    } else {
        let _ = writeln!(o, "| Name | Type | Verdict | Spellings by outlet |");
        let _ = writeln!(o, "|---|---|---|---|");
        let mut entities: Vec<_> = r.entities.iter().collect();
        entities.sort_by_key(|e| super::entity_order(&e.verdict));
        let unlisted = super::unlisted(&r.claims);
        for e in entities {
            let mut by_outlet: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
            for m in &e.mentions {
                by_outlet.entry(&m.outlet).or_default().insert(&m.text);
            }
            // A spelling rules.toml does not list says which listed one it was found near.
            let not_listed = super::unlisted_spellings(&unlisted, e);
            let spelling = |t: &str| match not_listed.get(t) {
                Some(like) => format!("{} (≈ {}, not in rules.toml)", escape(t), escape(like)),
                None => escape(t),
            };
            let cells: Vec<String> = if by_outlet.len() <= super::WIDE {
                by_outlet
                    .iter()
                    .map(|(outlet, texts)| {
                        format!(
                            "{}: {}",
                            escape(outlet),
                            texts
                                .iter()
                                .map(|t| spelling(t))
                                .collect::<Vec<_>>()
                                .join(" / ")
                        )
                    })
                    .collect()
            } else {
                // Many outlets: by spelling, naming a few outlets each, so the cell grows
                // with the spellings rather than the outlets.
                let mut by_spelling: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
                for (outlet, texts) in &by_outlet {
                    for t in texts {
                        by_spelling.entry(t).or_default().push(outlet);
                    }
                }
                by_spelling
                    .iter()
                    .map(|(t, outlets)| {
                        format!(
                            "{}: {}",
                            spelling(t),
                            crate::verdict::outlets_list(outlets, super::WIDE, escape)
                        )
                    })
                    .collect()
            };
            let _ = writeln!(
                o,
                "| {} (`{}`) | {} | {} | {} |",
                escape(&e.canonical),
                e.id.replace('`', "'"),
                escape(&e.kind),
                {
                    let (sym, word) = verdict_words(&e.verdict);
                    format!("{sym} {word}")
                },
                cells.join("<br>")
            );
        }
        let _ = writeln!(o);
    }

    let outlets = super::outlets(&r.documents);
    let _ = writeln!(o, "## Coverage\n");
    if multi {
        let _ = writeln!(
            o,
            "Articles are compared within their story; each story's page has its coverage matrix. {} stories: {}{}.\n",
            stories.len(),
            stories
                .iter()
                .take(PAGE)
                .map(|s| format!("[{}]({})", escape(story_name(s)), super::overview::story_path(s)))
                .collect::<Vec<_>>()
                .join(", "),
            if stories.len() > PAGE { ", …" } else { "" }
        );
    } else if r.statements.is_empty() {
        let _ = writeln!(o, "No statements.\n");
    } else {
        let _ = writeln!(
            o,
            "Each statement's value by outlet; — where the outlet does not report that statement (it may give the value or name in another sentence: for a single-source statement, _elsewhere_ says it does).\n"
        );
        // One column per outlet while the table stays readable; past that, the outlets
        // that report and a count of the silent ones.
        let wide = outlets.len() <= super::WIDE;
        let _ = write!(o, "| Statement |");
        if wide {
            for outlet in &outlets {
                let _ = write!(o, " {} |", escape(outlet));
            }
            let _ = writeln!(o);
            let _ = writeln!(o, "|---|{}", "---|".repeat(outlets.len()));
        } else {
            let _ = writeln!(o, " Reported by | Not reporting |");
            let _ = writeln!(o, "|---|---|---|");
        }
        let (found_total, unknown_total) = super::outlet_counts(outlets.iter().copied());
        let rows: Vec<(&str, &StatementOut)> = ["conflict", "agree", "single"]
            .into_iter()
            .flat_map(|v| {
                by_verdict(&r.statements, v)
                    .into_iter()
                    .map(move |s| (v, s))
            })
            .collect();
        for &(v, s) in rows.iter().take(PAGE) {
            {
                let (sym, _) = verdict_words(v);
                let _ = write!(
                    o,
                    "| {sym} [{}]({}) |",
                    escape(&statement_title(&r.words, s)),
                    s.href(0)
                );
                if !wide {
                    let mut by_outlet: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
                    for m in &s.members {
                        by_outlet
                            .entry(&m.outlet)
                            .or_default()
                            .extend(r.words.list(&m.values));
                    }
                    let cells: Vec<String> = by_outlet
                        .iter()
                        .map(|(outlet, vals)| {
                            format!("{}: {}", escape(outlet), escape(&values_text(vals)))
                        })
                        .collect();
                    let (found_reporting, unknown_reporting) =
                        super::outlet_counts(by_outlet.keys().copied());
                    let _ = writeln!(
                        o,
                        " {} | {} |",
                        cells.join("<br>"),
                        super::not_reporting(
                            found_reporting,
                            found_total,
                            unknown_reporting,
                            unknown_total
                        )
                    );
                    continue;
                }
                for outlet in &outlets {
                    let vals: Vec<&str> = s
                        .members
                        .iter()
                        .filter(|m| m.outlet == *outlet)
                        .flat_map(|m| r.words.list(&m.values))
                        .collect();
                    if vals.is_empty() && s.given_elsewhere_by(outlet) {
                        let _ = write!(o, " _elsewhere_ |");
                    } else if vals.is_empty() {
                        let _ = write!(o, " — |");
                    } else {
                        let _ = write!(o, " {} |", escape(&values_text(&vals)));
                    }
                }
                let _ = writeln!(o);
            }
        }
        let _ = writeln!(o);
        more(&mut o, rows.len(), "statements", "coverage");
    }

    let _ = writeln!(o, "## Articles ({})\n", grouped(r.documents.len()));
    let _ = writeln!(
        o,
        "| Document | Outlet | Published | Sentences | Claims | Set aside |"
    );
    let _ = writeln!(o, "|---|---|---|---|---|---|");
    let mut per_doc: HashMap<&str, usize> = HashMap::default();
    for c in &r.claims {
        *per_doc.entry(&c.doc).or_default() += 1;
    }
    for d in r.documents.iter().take(PAGE) {
        let claims = per_doc.get(d.id.as_str()).copied().unwrap_or(0);
        let sentences = if d.compared() {
            d.sentences.len().to_string()
        } else {
            "0: no text to compare".to_string()
        };
        let _ = writeln!(
            o,
            "| [{}]({}) | {} | {} | {} | {} | {} |",
            escape(&d.path),
            d.href(0),
            escape(&d.outlet),
            d.published
                .as_deref()
                .map_or("no date found".into(), escape),
            sentences,
            claims,
            d.excluded.len()
        );
    }
    if r.documents.len() > PAGE {
        let _ = writeln!(o);
        more(&mut o, r.documents.len(), "articles", "documents");
    }
    let _ = writeln!(
        o,
        "\nThe [rules in force](rules.html) decide what counts as a claim; the [timeline](timeline.html) puts every dated claim on one axis."
    );
    o
}

/// At most `n` characters, with an ellipsis when cut.
pub fn shorten(text: &str, n: usize) -> String {
    let t: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.chars().count() <= n {
        t
    } else {
        let mut s: String = t.chars().take(n).collect();
        s.push('…');
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A large corpus's counts have their thousands grouped, as values are written.
    #[test]
    fn large_counts_are_grouped() {
        assert_eq!(
            sources(98_516, 12_000, 10_001),
            "98,516 articles from 12,000 outlets (10,001 articles' outlets unknown)"
        );
        // As values are written: four digits or fewer as they are (`1500 soldiers`).
        assert_eq!(grouped(9_999), "9999");
        assert_eq!(grouped(10_000), "10,000");
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(1_234_567), "1,234,567");
        let mut o = String::new();
        more(&mut o, 44_172, "conflicts", "conflicts");
        assert!(
            o.starts_with("The first 100 of 44,172 conflicts are shown"),
            "{o}"
        );
    }

    /// Articles of unknown outlet are counted apart from the outlets, never as one.
    #[test]
    fn articles_of_unknown_outlet_are_not_counted_as_outlets() {
        assert_eq!(sources(5, 5, 0), "5 articles from 5 outlets");
        assert_eq!(sources(1, 1, 0), "1 article from 1 outlet");
        assert_eq!(
            sources(5, 4, 1),
            "5 articles from 4 outlets (1 article's outlet unknown)"
        );
        assert_eq!(
            sources(6, 4, 2),
            "6 articles from 4 outlets (2 articles' outlets unknown)"
        );
        assert_eq!(sources(1, 0, 1), "1 article, its outlet unknown");
        assert_eq!(sources(2, 0, 2), "2 articles, their outlets unknown");
    }

    /// A list cut at its first page says where the site shows the rest: the list on
    /// index.html, then its numbered pages. A list of one page says nothing.
    #[test]
    fn a_cut_list_points_at_the_pages_that_hold_the_rest() {
        let mut o = String::new();
        more(&mut o, PAGE, "agreements", "agreements");
        assert_eq!(o, "");
        more(&mut o, PAGE + 170, "agreements", "agreements");
        let expected = format!(
            "The first {PAGE} of {} agreements are shown; the site lists them all, {PAGE} to a page: [`index.html`](index.html#agreements), then [`lists/agreements-2.html`](lists/agreements-2.html) and the pages after it.\n\n",
            PAGE + 170
        );
        assert_eq!(o, expected);
    }

    #[test]
    fn markup_in_articles_is_inert() {
        assert_eq!(escape("a|b"), "a\\|b");
        assert_eq!(escape("[x](javascript:y)"), "\\[x\\](javascript:y)");
        assert_eq!(escape("<script>"), "\\<script\\>");
        assert_eq!(escape("a\nb"), "a b");
    }
}
