//! `report.md`: the overview in GitHub-flavoured Markdown, for repository browsers and CI
//! summaries. Article text is escaped for Markdown so it can never become markup or a link.

use super::{by_verdict, readable, slug, statement_title, MemberOut, Report, StatementOut};
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

/// `1 agreement`, `2 agreements`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The summary line shared by report.md and index.html.
pub fn corpus_line(r: &Report) -> String {
    let c = &r.corpus;
    let range = match (&c.first_published, &c.last_published) {
        (Some(a), Some(b)) if a == b => format!(", published {a}"),
        (Some(a), Some(b)) => format!(", published {a} to {b}"),
        _ => String::new(),
    };
    let n = |v: &str| c.by_verdict.get(v).copied().unwrap_or(0);
    format!(
        "{} from {}{range}; {} in {}: {}, {}, {} single-source",
        count(c.articles, "article", "articles"),
        count(c.outlets, "outlet", "outlets"),
        count(c.claims, "claim", "claims"),
        count(c.statements, "statement", "statements"),
        count(n("conflict"), "conflict", "conflicts"),
        count(n("agree"), "agreement", "agreements"),
        n("single"),
    )
}

/// A sentence excerpt around its claims, the claims in bold.
fn evidence(r: &Report, m: &MemberOut, radius: usize) -> String {
    super::excerpt(&m.text, &super::member_claims(r, m), radius)
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

fn statement_section(o: &mut String, r: &Report, s: &StatementOut) {
    let sym = match s.verdict.as_str() {
        "conflict" => "✗",
        "agree" => "✓",
        _ => "○",
    };
    let _ = writeln!(o, "### {sym} {}\n", escape(&statement_title(s)));
    let _ = writeln!(
        o,
        "{} ([statement page](statements/{}.html))\n",
        escape(&s.reason),
        slug(&s.id)
    );
    let _ = writeln!(o, "| Outlet | Published | Value | Evidence |");
    let _ = writeln!(o, "|---|---|---|---|");
    for m in &s.members {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} |",
            escape(&m.outlet),
            m.published
                .as_deref()
                .map_or("no date found".into(), escape),
            escape(&readable(&m.values.join(", "))),
            evidence(r, m, 70)
        );
    }
    let _ = writeln!(o);
}

/// The whole report.md.
pub fn report(r: &Report) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "# Source comparison report\n");
    let _ = writeln!(o, "{}.\n", corpus_line(r));
    let _ = writeln!(
        o,
        "Open `index.html` for the evidence: each statement's sentences side by side with their provenance, word diffs, the articles with the set-aside boilerplate, and a timeline. Values: `~` approximate, `≥` at least, `≤` at most; `XXXX` is a year the article leaves unknown.\n"
    );

    for (title, verdict, empty) in [
        (
            "Conflicts",
            "conflict",
            "No conflicts: no two outlets give incompatible values for the same statement.",
        ),
        (
            "Agreements",
            "agree",
            "No statement is reported by two outlets.",
        ),
    ] {
        let list = by_verdict(r, verdict);
        let _ = writeln!(o, "## {title} ({})\n", list.len());
        if list.is_empty() {
            let _ = writeln!(o, "{empty}\n");
        }
        for s in list {
            statement_section(&mut o, r, s);
        }
    }

    let singles = by_verdict(r, "single");
    let _ = writeln!(o, "## Single-source claims ({})\n", singles.len());
    if singles.is_empty() {
        let _ = writeln!(o, "Every statement is reported by at least two outlets.\n");
    } else {
        let _ = writeln!(o, "| Type | Outlet | Value | Evidence |");
        let _ = writeln!(o, "|---|---|---|---|");
        for s in singles {
            let m = &s.members[0];
            let _ = writeln!(
                o,
                "| {} | {} | [{}](statements/{}.html) | {} |",
                escape(&s.kind),
                escape(&m.outlet),
                escape(&readable(&m.values.join(", "))),
                slug(&s.id),
                evidence(r, m, 60)
            );
        }
        let _ = writeln!(o);
    }

    let _ = writeln!(o, "## Name spellings ({})\n", r.entities.len());
    if r.entities.is_empty() {
        let _ = writeln!(o, "No listed name was found.\n");
    } else {
        let _ = writeln!(o, "| Name | Type | Verdict | Spellings by outlet |");
        let _ = writeln!(o, "|---|---|---|---|");
        let mut entities: Vec<_> = r.entities.iter().collect();
        entities.sort_by_key(|e| e.verdict != "variant");
        for e in entities {
            let mut by_outlet: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
            for m in &e.mentions {
                by_outlet.entry(&m.outlet).or_default().insert(&m.text);
            }
            let cells: Vec<String> = by_outlet
                .iter()
                .map(|(outlet, texts)| {
                    format!(
                        "{}: {}",
                        escape(outlet),
                        texts
                            .iter()
                            .map(|t| escape(t))
                            .collect::<Vec<_>>()
                            .join(" / ")
                    )
                })
                .collect();
            let _ = writeln!(
                o,
                "| {} (`{}`) | {} | {} | {} |",
                escape(&e.canonical),
                e.id.replace('`', "'"),
                escape(&e.kind),
                if e.verdict == "variant" {
                    "≠ variant"
                } else {
                    "= same"
                },
                cells.join("<br>")
            );
        }
        let _ = writeln!(o);
    }

    let outlets: BTreeSet<&str> = r.documents.iter().map(|d| d.outlet.as_str()).collect();
    let _ = writeln!(o, "## Coverage\n");
    if r.statements.is_empty() {
        let _ = writeln!(o, "No statements.\n");
    } else {
        let _ = writeln!(
            o,
            "Each statement's value by outlet; — where the outlet is silent.\n"
        );
        let _ = write!(o, "| Statement |");
        for outlet in &outlets {
            let _ = write!(o, " {} |", escape(outlet));
        }
        let _ = writeln!(o);
        let _ = writeln!(o, "|---|{}", "---|".repeat(outlets.len()));
        for v in ["conflict", "agree", "single"] {
            for s in by_verdict(r, v) {
                let sym = match v {
                    "conflict" => "✗",
                    "agree" => "✓",
                    _ => "○",
                };
                let _ = write!(
                    o,
                    "| {sym} [{}](statements/{}.html) |",
                    escape(&statement_title(s)),
                    slug(&s.id)
                );
                for outlet in &outlets {
                    let vals: Vec<&str> = s
                        .members
                        .iter()
                        .filter(|m| m.outlet == *outlet)
                        .flat_map(|m| m.values.iter().map(String::as_str))
                        .collect();
                    if vals.is_empty() {
                        let _ = write!(o, " — |");
                    } else {
                        let _ = write!(o, " {} |", escape(&readable(&vals.join(", "))));
                    }
                }
                let _ = writeln!(o);
            }
        }
        let _ = writeln!(o);
    }

    let _ = writeln!(o, "## Documents ({})\n", r.documents.len());
    let _ = writeln!(
        o,
        "| Document | Outlet | Published | Sentences | Claims | Set aside |"
    );
    let _ = writeln!(o, "|---|---|---|---|---|---|");
    for d in &r.documents {
        let claims = r.claims.iter().filter(|c| c.doc == d.id).count();
        let _ = writeln!(
            o,
            "| [{}](documents/{}.html) | {} | {} | {} | {} | {} |",
            escape(&d.path),
            slug(&d.id),
            escape(&d.outlet),
            d.published
                .as_deref()
                .map_or("no date found".into(), escape),
            d.sentences.len(),
            claims,
            d.excluded.len()
        );
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

    #[test]
    fn markup_in_articles_is_inert() {
        assert_eq!(escape("a|b"), "a\\|b");
        assert_eq!(escape("[x](javascript:y)"), "\\[x\\](javascript:y)");
        assert_eq!(escape("<script>"), "\\<script\\>");
        assert_eq!(escape("a\nb"), "a b");
    }
}
