//! `report.md`: the overview in GitHub-flavoured Markdown, for repository browsers and CI
//! summaries. Article text is escaped for Markdown so it can never become markup or a link.

use super::{by_verdict, slug, Report, StatementOut};
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

/// The summary line shared by report.md and index.html.
pub fn corpus_line(r: &Report) -> String {
    let c = &r.corpus;
    let range = match (&c.first_published, &c.last_published) {
        (Some(a), Some(b)) if a == b => format!(", published {a}"),
        (Some(a), Some(b)) => format!(", published {a} to {b}"),
        _ => String::new(),
    };
    let count = |v: &str| c.by_verdict.get(v).copied().unwrap_or(0);
    format!(
        "{} articles from {} outlets{range}; {} claims in {} statements: {} conflicts, {} agreements, {} single-source",
        c.articles,
        c.outlets,
        c.claims,
        c.statements,
        count("conflict"),
        count("agree"),
        count("single"),
    )
}

fn values_by_outlet(s: &StatementOut) -> String {
    s.members
        .iter()
        .map(|m| format!("{}: {}", escape(&m.outlet), escape(&m.values.join(", "))))
        .collect::<Vec<_>>()
        .join("<br>")
}

/// The whole report.md.
pub fn report(r: &Report) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "# Source comparison report\n");
    let _ = writeln!(o, "{}.\n", corpus_line(r));
    let _ = writeln!(
        o,
        "Open `index.html` for the evidence: each statement's sentences side by side, word diffs and the set-aside boilerplate.\n"
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
            continue;
        }
        let _ = writeln!(o, "| Statement | Type | Values by outlet | Reason |");
        let _ = writeln!(o, "|---|---|---|---|");
        for s in list {
            let _ = writeln!(
                o,
                "| [{}](statements/{}.html) | {} | {} | {} |",
                escape(&s.id),
                slug(&s.id),
                escape(&s.kind),
                values_by_outlet(s),
                escape(&s.reason)
            );
        }
        let _ = writeln!(o);
    }

    let singles = by_verdict(r, "single");
    let _ = writeln!(o, "## Single-source claims ({})\n", singles.len());
    if singles.is_empty() {
        let _ = writeln!(o, "Every statement is reported by at least two outlets.\n");
    } else {
        let _ = writeln!(o, "| Statement | Type | Outlet | Value | Sentence |");
        let _ = writeln!(o, "|---|---|---|---|---|");
        for s in singles {
            let m = &s.members[0];
            let _ = writeln!(
                o,
                "| [{}](statements/{}.html) | {} | {} | {} | {} |",
                escape(&s.id),
                slug(&s.id),
                escape(&s.kind),
                escape(&m.outlet),
                escape(&m.values.join(", ")),
                escape(&shorten(&m.text, 120))
            );
        }
        let _ = writeln!(o);
    }

    let _ = writeln!(o, "## Name spellings ({})\n", r.entities.len());
    if r.entities.is_empty() {
        let _ = writeln!(o, "No listed name was found.\n");
    } else {
        let _ = writeln!(o, "| Entity | Type | Verdict | Spellings by outlet |");
        let _ = writeln!(o, "|---|---|---|---|");
        for e in &r.entities {
            let mut by_outlet: std::collections::BTreeMap<&str, std::collections::BTreeSet<&str>> =
                Default::default();
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
                "| {} ({}) | {} | {} | {} |",
                escape(&e.canonical),
                escape(&e.id),
                escape(&e.kind),
                if e.verdict == "variant" {
                    "variant ≠"
                } else {
                    "same ="
                },
                cells.join("<br>")
            );
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
            d.published.as_deref().unwrap_or("no date found"),
            d.sentences.len(),
            claims,
            d.excluded.len()
        );
    }
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
