//! Diagnostics that point at the source: `file:line:col`, the offending line and a caret.
//!
//! One renderer serves TOML syntax errors, serde errors and meaning errors found later,
//! so every mistake in `rules.toml` looks alike. Lines and columns are 1-based, columns
//! count characters, carets are as wide as the text they underline (unicode-width), tabs
//! show as four spaces.

use std::fmt::{self, Write as _};
use std::ops::Range;
use unicode_width::UnicodeWidthStr;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem in a source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Byte range in the source; `None` when the problem concerns the whole file.
    pub span: Option<Range<usize>>,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(span: Option<Range<usize>>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            span,
            message: message.into(),
            help: None,
        }
    }

    pub fn warning(span: Option<Range<usize>>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(span, message)
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Render against the source it points into.
    pub fn render(&self, path: &str, source: &str) -> String {
        let mut out = String::new();
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let _ = writeln!(out, "{label}: {}", self.message);
        match &self.span {
            Some(span) => {
                let (line, col) = line_col(source, span.start);
                let gutter = line.to_string().len();
                let pad = " ".repeat(gutter);
                let _ = writeln!(out, "{pad}--> {path}:{line}:{col}");
                let _ = writeln!(out, "{pad} |");
                let line_start = source[..span.start.min(source.len())]
                    .rfind('\n')
                    .map_or(0, |i| i + 1);
                let line_end = source[line_start..]
                    .find('\n')
                    .map_or(source.len(), |i| line_start + i);
                let text = &source[line_start..line_end];
                let _ = writeln!(out, "{line} | {}", expand_tabs(text));
                let start = span.start.clamp(line_start, line_end);
                let end = span.end.clamp(start, line_end);
                let before = expand_tabs(&source[line_start..start]);
                let under = expand_tabs(&source[start..end]);
                let width = under.width().max(1);
                let _ = writeln!(
                    out,
                    "{pad} | {}{}",
                    " ".repeat(before.width()),
                    "^".repeat(width)
                );
                if let Some(help) = &self.help {
                    let _ = writeln!(out, "{pad} = help: {help}");
                }
            }
            None => {
                let _ = writeln!(out, "  --> {path}");
                if let Some(help) = &self.help {
                    let _ = writeln!(out, "  = help: {help}");
                }
            }
        }
        out
    }
}

/// 1-based line and character column of a byte offset.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(source, offset.min(source.len()));
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = source[line_start..offset].chars().count() + 1;
    (line, col)
}

/// 1-based line of a byte offset.
pub fn line_of(source: &str, offset: usize) -> usize {
    line_col(source, offset).0
}

/// For a TOML line `key = word` whose value is a bare word (TOML reads `niger` as a
/// misspelt `nan`, `nato` likewise), the line as it should be written: `key = "word"`.
/// None for a value TOML can read unquoted (numbers, dates, booleans, arrays, tables).
pub fn quoted_suggestion(line: &str) -> Option<String> {
    let (key, value) = line.split_once('=')?;
    let value = value.split('#').next().unwrap_or_default();
    // A word processor's quotes (“الجزيرة”, «…») are not TOML's: the value is inside them.
    let curly = |c: char| matches!(c, '“' | '”' | '„' | '«' | '»' | '‘' | '’');
    let (key, value) = (key.trim(), value.trim().trim_matches(curly).trim());
    let bare_key = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.');
    let first = value.chars().next()?;
    let literal = first.is_ascii_digit()
        || "\"'[{+-".contains(first)
        || ["true", "false", "nan", "inf"].contains(&value);
    (bare_key && !literal && !value.contains(['"', '\''])).then(|| format!("{key} = \"{value}\""))
}

/// What is wrong at byte `at` of a file that is not UTF-8, given the decoder's
/// `error_len` (None: the bytes end inside a character), as articles and rules files
/// both say it: the byte's offset counts from the file's first byte.
pub fn utf8_fault(bytes: &[u8], at: usize, error_len: Option<usize>) -> String {
    match error_len {
        None => format!("the file ends inside a UTF-8 character at byte {at} (truncated?)"),
        Some(_) => format!("invalid UTF-8 at byte {at} (0x{:02X})", bytes[at]),
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn expand_tabs(s: &str) -> String {
    s.replace('\t', "    ")
}

/// Every problem found in one file, rendered together.
#[derive(Debug, Clone)]
pub struct Report {
    pub path: String,
    pub source: String,
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    pub fn errors(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.diagnostics {
            writeln!(f, "{}", d.render(&self.path, &self.source))?;
        }
        let n = self.errors();
        if n > 0 {
            let s = if n == 1 { "" } else { "s" };
            write!(f, "error: {} has {n} error{s}", self.path)?;
        }
        Ok(())
    }
}

impl std::error::Error for Report {}

/// A report that stops a command, with what that means for it (`nothing was built`).
#[derive(Debug, Clone)]
pub struct Rejected {
    pub report: Report,
    pub consequence: String,
}

impl fmt::Display for Rejected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}; {}", self.report, self.consequence)
    }
}

impl std::error::Error for Rejected {}

/// Text for the terminal: control characters other than line breaks and tabs (an escape
/// sequence in a file name or a title, a BEL, a NUL) are written out as `\u{1b}`, so a
/// name cannot clear the screen or recolour what follows.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    written_out(text, |c| c.is_control() && c != '\n' && c != '\t')
}

/// A file's name in a message, every control character written out, line breaks too: a
/// name holding `\nerror: …` cannot pass for a line of compare's own.
pub fn file_name(name: &str) -> String {
    written_out(name, char::is_control).into_owned()
}

/// `text` with each char `hidden` says written out as its `\u{…}` escape.
fn written_out(text: &str, hidden: impl Fn(char) -> bool) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(&hidden) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if hidden(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out.into()
}

/// The text `main` prints for an error: a report as rendered (it labels its own lines),
/// anything else as `error: ` and the cause chain.
pub fn error_text(e: &anyhow::Error) -> String {
    if let Some(r) = e.downcast_ref::<Rejected>() {
        r.to_string()
    } else if let Some(r) = e.downcast_ref::<Report>() {
        r.to_string()
    } else {
        format!("error: {e:#}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_written_out_for_the_terminal() {
        assert_eq!(printable("a\nb\tc"), "a\nb\tc");
        assert_eq!(printable("x\u{1b}[2Jy\u{7}"), "x\\u{1b}[2Jy\\u{7}");
        assert_eq!(file_name("z\nerror: fine.txt"), "z\\u{a}error: fine.txt");
    }

    #[test]
    fn a_bare_word_value_is_shown_quoted() {
        assert_eq!(
            quoted_suggestion("story = niger").as_deref(),
            Some("story = \"niger\"")
        );
        assert_eq!(
            quoted_suggestion("  unit = nato   # soldiers").as_deref(),
            Some("unit = \"nato\"")
        );
        for readable in [
            "n = 12",
            "d = 2024-02-30",
            "ok = true",
            "x = nan",
            "list = [1]",
            "s = \"niger\"",
            "s = 'niger'",
            "no value",
            "= niger",
            "a b = c",
        ] {
            assert_eq!(quoted_suggestion(readable), None, "{readable}");
        }
    }

    #[test]
    fn caret_under_span_with_arabic_before_it() {
        let src = "a = 1\nid = \"تياني\" # x\n";
        let start = src.find('"').unwrap();
        let end = src[start + 1..].find('"').unwrap() + start + 2;
        let d = Diagnostic::error(Some(start..end), "bad id").help("use ascii");
        insta::assert_snapshot!(d.render("rules.toml", src), @r#"
        error: bad id
         --> rules.toml:2:6
          |
        2 | id = "تياني" # x
          |      ^^^^^^^
          = help: use ascii
        "#);
    }

    #[test]
    fn line_and_column_count_characters() {
        assert_eq!(line_col("ab\nتياني x", 3 + "تياني ".len()), (2, 7));
        assert_eq!(line_col("", 0), (1, 1));
        assert_eq!(line_of("a\nb\nc", 4), 3);
    }
}
