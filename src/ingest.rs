//! 1. Ingest: the seeds folder → documents, sorted by path.
//!
//! Reads every `.txt` and `.md` file under the folder, decodes it (UTF-8, BOM removed,
//! CRLF and lone CR → LF), reads optional TOML front matter between `+++` lines, masks
//! Markdown syntax (pulldown-cmark) so only prose is analysed, finds the publication date
//! and outlet from rules.toml's metadata patterns when the front matter does not give
//! them, sets boilerplate aside, and takes the first remaining line as the title.
//!
//! Invariant: `Document::body` has the same length as `Document::text`; every byte of it
//! is either the original byte or a blank (space), with line breaks kept, so a span found
//! in the body is a span of the original.

use crate::boilerplate;
use crate::model::{Document, Excluded, Format};
use crate::normalize;
use crate::rules::RuleSet;
use anyhow::{bail, Result};
use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// Options that change how files are read.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReadOptions {
    /// Replace invalid UTF-8 with U+FFFD (with a warning) instead of failing.
    pub lossy: bool,
}

/// The story documents without a `story` key belong to.
pub const DEFAULT_STORY: &str = "";

/// Documents found under `seeds`, sorted by relative path, plus warnings for the reader.
pub fn documents(
    seeds: &Path,
    rules: &RuleSet,
    opts: ReadOptions,
) -> Result<(Vec<Document>, Vec<String>)> {
    let files = list(seeds)?;
    let (mut docs, warnings, errors) = read(seeds, &files, rules, opts);
    fail_on(errors)?;
    unique_ids(&mut docs);
    Ok((docs, warnings))
}

/// The article files under `seeds`, as sorted relative paths.
pub fn list(seeds: &Path) -> Result<Vec<String>> {
    if !seeds.is_dir() {
        bail!(
            "seeds folder {} does not exist or is not a folder\n  = help: pass --seeds DIR with the articles (.txt or .md)",
            seeds.display()
        );
    }
    let mut files = Vec::new();
    collect(seeds, seeds, &mut files)?;
    files.sort();
    if files.is_empty() {
        bail!(
            "no .txt or .md articles in {}\n  = help: put the articles to compare there, one file each",
            seeds.display()
        );
    }
    Ok(files)
}

/// Read some of the listed files, in parallel, keeping their order: documents, warnings,
/// and one error message per file that could not be read.
pub fn read(
    seeds: &Path,
    files: &[String],
    rules: &RuleSet,
    opts: ReadOptions,
) -> (Vec<Document>, Vec<String>, Vec<String>) {
    let results: Vec<Result<(Document, Vec<String>), String>> = files
        .par_iter()
        .map(|rel| read_document(seeds, rel, rules, opts))
        .collect();
    let mut docs = Vec::new();
    let mut warnings = Vec::new();
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok((d, w)) => {
                docs.push(d);
                warnings.extend(w);
            }
            Err(e) => errors.push(e),
        }
    }
    (docs, warnings, errors)
}

/// Fail with every file's error at once, when there is any.
pub fn fail_on(errors: Vec<String>) -> Result<()> {
    if errors.is_empty() {
        return Ok(());
    }
    let n = errors.len();
    bail!(
        "{}\nerror: {n} article{} could not be read; nothing was written",
        errors.join("\n"),
        if n == 1 { "" } else { "s" }
    )
}

/// One article read on its own, exactly as [`documents`] reads each file (for `explain`).
pub fn document(
    path: &Path,
    rules: &RuleSet,
    opts: ReadOptions,
) -> Result<(Document, Vec<String>)> {
    let dir = path.parent().unwrap_or(Path::new(""));
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        bail!(
            "{} is not a file\n  = help: pass the path of one article (.txt or .md)",
            path.display()
        );
    };
    if !path.is_file() {
        bail!("article {} does not exist or is not a file\n  = help: pass the path of one article (.txt or .md)", path.display());
    }
    read_document(dir, &name, rules, opts)
        .map_err(|e| anyhow::anyhow!("{}", e.trim_start_matches("error: ")))
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<String>) -> Result<()> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| anyhow::anyhow!("cannot list {}: {e}", dir.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| anyhow::anyhow!("cannot list {}: {e}", dir.display()))?;
        let path = entry.path();
        let file_type = entry
            .file_type()
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
        if file_type.is_dir() {
            collect(root, &path, out)?;
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("txt") | Some("md")
        ) {
            let rel = path.strip_prefix(root).unwrap_or(&path);
            let rel: PathBuf = rel.components().collect();
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
    Ok(())
}

/// Two files with the same stem (a.txt, sub/a.md) get ids from their whole paths.
pub fn unique_ids(docs: &mut [Document]) {
    let mut count = std::collections::BTreeMap::<String, usize>::new();
    for d in docs.iter() {
        *count.entry(d.id.clone()).or_default() += 1;
    }
    for d in docs.iter_mut() {
        if count[&d.id] > 1 {
            d.id = d.path.replace('/', "__").replace('.', "_");
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    title: Option<String>,
    outlet: Option<String>,
    url: Option<String>,
    published: Option<toml::Value>,
    lang: Option<String>,
    story: Option<String>,
}

/// Decode bytes as UTF-8 text with LF line breaks and no BOM.
pub fn decode(rel: &str, bytes: &[u8], opts: ReadOptions) -> Result<(String, Vec<String>), String> {
    let mut warnings = Vec::new();
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.to_string(),
        Err(e) => {
            let at = e.valid_up_to();
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            if opts.lossy {
                warnings.push(format!(
                    "warning: {rel}:{line}: invalid UTF-8 at byte {at}; replaced with U+FFFD (--lossy)"
                ));
                String::from_utf8_lossy(bytes).into_owned()
            } else {
                return Err(format!(
                    "error: {rel}:{line}: invalid UTF-8 at byte {at}\n  = help: save the file as UTF-8 (it may be Windows-1256), or pass --lossy to replace bad bytes"
                ));
            }
        }
    };
    if text.contains('\0') {
        let at = text.find('\0').unwrap_or(0);
        let line = text[..at].matches('\n').count() + 1;
        let letters = text.chars().filter(|c| c.is_alphabetic()).count();
        let nuls = text.matches('\0').count();
        if nuls * 10 > letters {
            return Err(format!(
                "error: {rel}:{line}: this looks like a binary file, not an article (NUL bytes)\n  = help: remove it from the seeds folder or rename it away from .txt/.md"
            ));
        }
        warnings.push(format!(
            "warning: {rel}:{line}: NUL bytes in the text were replaced with spaces"
        ));
    }
    let text = text
        .replace("\r\n", "\n")
        .replace(['\r'], "\n")
        .replace('\0', " ");
    Ok((text, warnings))
}

fn read_document(
    seeds: &Path,
    rel: &str,
    rules: &RuleSet,
    opts: ReadOptions,
) -> Result<(Document, Vec<String>), String> {
    let bytes =
        std::fs::read(seeds.join(rel)).map_err(|e| format!("error: {rel}: cannot read: {e}"))?;
    let (text, mut warnings) = decode(rel, &bytes, opts)?;
    let format = if rel.ends_with(".md") {
        Format::Markdown
    } else {
        Format::Text
    };
    let stem = Path::new(rel)
        .file_stem()
        .map_or_else(|| rel.to_string(), |s| s.to_string_lossy().into_owned());
    let (front, body_start) = front_matter(rel, &text)?;
    let mut body = blank(&text, 0..body_start);
    if format == Format::Markdown {
        body = mask_markdown(&text, body_start, body);
    }
    let mut doc = Document {
        id: stem.clone(),
        path: rel.to_string(),
        format,
        title: String::new(),
        outlet: String::new(),
        outlet_source: "file name",
        url: front.url.clone(),
        published: None,
        lang: String::new(),
        story: front
            .story
            .clone()
            .unwrap_or_else(|| DEFAULT_STORY.to_string()),
        text,
        body,
        excluded: Vec::new(),
        notes: Vec::new(),
    };
    let published_front = match &front.published {
        None => None,
        Some(v) => Some(parse_front_date(rel, &doc.text, v)?),
    };
    let found = metadata(&mut doc, rules);
    boilerplate::set_aside(&mut doc, rules);
    doc.published = published_front.or(found.published);
    match (front.outlet.clone(), found.outlet) {
        (Some(o), _) if !o.trim().is_empty() => {
            doc.outlet = o.trim().to_string();
            doc.outlet_source = "front matter";
        }
        (_, Some(o)) => {
            doc.outlet = o;
            doc.outlet_source = "metadata line";
        }
        _ => doc.outlet = stem,
    }
    doc.title = front
        .title
        .clone()
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| first_line(&doc));
    doc.lang = front.lang.clone().unwrap_or_else(|| detect_lang(&doc.body));
    if doc.published.is_none() {
        doc.notes
            .push("no publication date found: relative dates stay unresolved".into());
        warnings.push(format!(
            "warning: {rel}: no publication date found; add `published = YYYY-MM-DD` front matter to resolve its dates"
        ));
    }
    if doc.body.trim().is_empty() {
        doc.notes
            .push("no article text left after boilerplate was set aside".into());
        warnings.push(format!(
            "warning: {rel}: no article text (empty, or only boilerplate)"
        ));
    }
    Ok((doc, warnings))
}

/// The front matter and where the body starts. Only `+++` on the very first line opens it.
fn front_matter(rel: &str, text: &str) -> Result<(FrontMatter, usize), String> {
    let Some(rest) = text.strip_prefix("+++\n") else {
        return Ok((FrontMatter::default(), 0));
    };
    let close = rest
        .match_indices("+++")
        .find(|(i, _)| {
            (*i == 0 || rest.as_bytes()[i - 1] == b'\n') && {
                let after = &rest[i + 3..];
                after.is_empty() || after.starts_with('\n')
            }
        })
        .map(|(i, _)| i);
    let Some(close) = close else {
        return Err(format!(
            "error: {rel}:1: front matter opened with `+++` is never closed\n  = help: end the front matter with a line holding only `+++`"
        ));
    };
    let toml_text = &rest[..close];
    let body_start = (4 + close + 3 + 1).min(text.len());
    match toml::from_str::<FrontMatter>(toml_text) {
        Ok(f) => Ok((f, body_start)),
        Err(e) => {
            let line = e.span().map_or(1, |s| {
                toml_text[..s.start.min(toml_text.len())]
                    .matches('\n')
                    .count()
                    + 1
            }) + 1;
            let msg = e
                .message()
                .lines()
                .next()
                .unwrap_or("invalid TOML")
                .to_string();
            Err(format!(
                "error: {rel}:{line}: front matter: {msg}\n  = help: front matter keys are title, outlet, url, published (YYYY-MM-DD), lang, story"
            ))
        }
    }
}

fn parse_front_date(rel: &str, text: &str, v: &toml::Value) -> Result<NaiveDate, String> {
    let s = match v {
        toml::Value::String(s) => s.clone(),
        toml::Value::Datetime(d) => d.to_string(),
        other => other.to_string(),
    };
    let line = text
        .lines()
        .position(|l| l.trim_start().starts_with("published"))
        .map_or(1, |i| i + 1);
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
        format!(
            "error: {rel}:{line}: front matter `published` is not a date: {s}\n  = help: write it as YYYY-MM-DD, e.g. published = 2024-04-12"
        )
    })
}

/// A copy of `text` with `range` blanked (line breaks kept).
fn blank(text: &str, range: std::ops::Range<usize>) -> String {
    let mut out = text.to_string();
    blank_in(&mut out, range);
    out
}

/// Blank a byte range of `body` in place: every byte but `\n` becomes a space. The range
/// must lie on char boundaries; since a whole char is replaced by as many spaces as it
/// has bytes, the text stays valid UTF-8 and the same length.
pub fn blank_in(body: &mut String, range: std::ops::Range<usize>) {
    let mut bytes = std::mem::take(body).into_bytes();
    for b in &mut bytes[range] {
        if *b != b'\n' {
            *b = b' ';
        }
    }
    // Whole chars were replaced by ASCII spaces, so this cannot fail; fall back to a lossy
    // conversion rather than panic if a caller passed a range inside a char.
    *body = String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
}

/// Keep only Markdown prose (text and code spans); soft line breaks become spaces so a
/// paragraph wrapped over lines stays one run of text.
fn mask_markdown(text: &str, start: usize, masked: String) -> String {
    use pulldown_cmark::{Event, Options, Parser};
    let src = &text[start..];
    let mut keep = vec![false; src.len()];
    let mut soft = Vec::new();
    let parser = Parser::new_ext(src, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH);
    for (event, range) in parser.into_offset_iter() {
        match event {
            Event::Text(_) | Event::Code(_) => {
                for k in &mut keep[range] {
                    *k = true;
                }
            }
            Event::SoftBreak => soft.push(range),
            _ => {}
        }
    }
    let mut bytes = masked.into_bytes();
    for (i, k) in keep.iter().enumerate() {
        let b = &mut bytes[start + i];
        if !k && *b != b'\n' {
            *b = b' ';
        }
    }
    for r in soft {
        for i in r {
            bytes[start + i] = b' ';
        }
    }
    // Text events cover whole chars, and non-text runs are blanked whole, so the bytes are
    // still UTF-8; fall back rather than panic.
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

struct Found {
    published: Option<NaiveDate>,
    outlet: Option<String>,
}

/// Find the publication date (first matching line) and outlet (last matching line), and
/// set those lines aside as metadata.
fn metadata(doc: &mut Document, rules: &RuleSet) -> Found {
    let mut found = Found {
        published: None,
        outlet: None,
    };
    let mut aside = Vec::new();
    for line in lines(&doc.body) {
        let raw = &doc.body[line.clone()];
        if raw.trim().is_empty() {
            continue;
        }
        let n = normalize::normalize(raw);
        let key = n.key();
        let original = |m: regex::Match| undouble(raw[n.to_original(m.range())].trim());
        let mut hit = None;
        for re in &rules.published {
            if let Some(c) = re.captures(key) {
                if found.published.is_none() {
                    found.published = date_from(&c, rules);
                    if found.published.is_some() {
                        if let Some(o) = c.name("outlet") {
                            let o = original(o);
                            if !o.is_empty() {
                                found.outlet = Some(o);
                            }
                        }
                    }
                }
                hit = Some("metadata: publication date");
                break;
            }
        }
        for re in &rules.outlet {
            if let Some(c) = re.captures(key) {
                if let Some(o) = c.name("outlet") {
                    let o = original(o);
                    if !o.is_empty() {
                        found.outlet = Some(o);
                        hit = Some("metadata: outlet");
                    }
                }
                break;
            }
        }
        if let Some(reason) = hit {
            aside.push(Excluded {
                span: line,
                reason: reason.to_string(),
            });
        }
    }
    for e in aside {
        blank_in(&mut doc.body, e.span.clone());
        doc.excluded.push(e);
    }
    found
}

fn date_from(c: &regex::Captures, rules: &RuleSet) -> Option<NaiveDate> {
    let day: u32 = c.name("day")?.as_str().parse().ok()?;
    let year: i32 = c.name("year")?.as_str().parse().ok()?;
    let month: u32 = match (c.name("month"), c.name("month_name")) {
        (Some(m), _) => m.as_str().parse().ok()?,
        (None, Some(m)) => rules
            .lexicon("month")?
            .canonical(m.as_str())
            .or_else(|| rules.lexicon("month")?.canonical(&capitalise(m.as_str())))?
            .parse()
            .ok()?,
        _ => return None,
    };
    NaiveDate::from_ymd_opt(year, month, day)
}

fn capitalise(s: &str) -> String {
    let lower = s.to_lowercase();
    let mut c = lower.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// Scrapers often repeat a byline (`Công LuậnCông Luận`): keep one copy.
fn undouble(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let n = chars.len();
    if n >= 2 && n.is_multiple_of(2) && chars[..n / 2] == chars[n / 2..] {
        chars[..n / 2].iter().collect::<String>().trim().to_string()
    } else {
        s.to_string()
    }
}

/// Byte ranges of the lines of `text`, without their `\n`.
pub fn lines(text: &str) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let mut start = 0;
    text.split('\n').map(move |l| {
        let r = start..start + l.len();
        start += l.len() + 1;
        r
    })
}

fn first_line(doc: &Document) -> String {
    lines(&doc.body)
        .map(|r| doc.body[r].trim().to_string())
        .find(|l| !l.is_empty())
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| doc.id.clone())
}

/// `ar` when at least a third of the letters are Arabic, else `en` when any, else `und`.
fn detect_lang(body: &str) -> String {
    let (mut arabic, mut letters) = (0usize, 0usize);
    for c in body.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        if ('\u{0600}'..='\u{06FF}').contains(&c) || ('\u{FB50}'..='\u{FEFF}').contains(&c) {
            arabic += 1;
        }
    }
    if letters == 0 {
        "und".into()
    } else if arabic * 3 >= letters {
        "ar".into()
    } else {
        "en".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubled_bylines_collapse() {
        assert_eq!(undouble("Công LuậnCông Luận"), "Công Luận");
        assert_eq!(undouble("العربية"), "العربية");
    }

    #[test]
    fn decode_strips_bom_and_crlf() {
        let (t, w) = decode("a.txt", b"\xEF\xBB\xBFa\r\nb\rc", ReadOptions::default()).unwrap();
        assert_eq!(t, "a\nb\nc");
        assert!(w.is_empty());
    }

    #[test]
    fn invalid_utf8_names_file_and_byte() {
        let e = decode("x.txt", b"ok\n\xC7\xE1", ReadOptions::default()).unwrap_err();
        assert!(e.contains("x.txt:2: invalid UTF-8 at byte 3"), "{e}");
        let (t, w) = decode("x.txt", b"ok\n\xC7", ReadOptions { lossy: true }).unwrap();
        assert_eq!(t, "ok\n\u{FFFD}");
        assert_eq!(w.len(), 1);
    }

    #[test]
    fn markdown_syntax_is_blanked_but_offsets_kept() {
        let text = "# عنوان\n\nنص **مهم** و[رابط](http://x.y).\n";
        let m = mask_markdown(text, 0, text.to_string());
        assert_eq!(m.len(), text.len());
        assert!(m.contains("عنوان"));
        assert!(!m.contains('#') && !m.contains("**") && !m.contains("http"));
        assert!(m.contains("مهم"));
    }

    #[test]
    fn unterminated_front_matter_is_an_error() {
        let e = front_matter("a.md", "+++\ntitle = \"x\"\nbody").unwrap_err();
        assert!(
            e.contains("a.md:1: front matter opened with `+++` is never closed"),
            "{e}"
        );
    }
}
