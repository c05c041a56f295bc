//! 1. Ingest: the seeds folder → documents, sorted by path.
//!
//! Reads every `.txt`, `.md` and `.markdown` file under the folder (in any case), decodes
//! it (UTF-8, BOM removed, CRLF and lone CR → LF), reads optional TOML front matter between `+++` lines, masks
//! Markdown syntax (pulldown-cmark) so only prose is analysed, finds the publication date
//! and outlet from rules.toml's metadata patterns when the front matter does not give
//! them, sets boilerplate aside (both reading the lines as the file has them, Markdown or
//! not), joins the lines of each Markdown paragraph, and takes the first remaining line as
//! the title.
//!
//! Invariant: `Document::body` has the same length as `Document::text`; every byte of it
//! is either the original byte or a blank (space), with line breaks kept, so a span found
//! in the body is a span of the original.

use crate::boilerplate;
use crate::model::{Document, Excluded, Format};
use crate::normalize::{self, lines};
use crate::rules::RuleSet;
use anyhow::{bail, Result};
use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// Options that change how files are read.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReadOptions {
    /// Replace invalid UTF-8 with U+FFFD (with a warning) instead of failing.
    pub lossy: bool,
}

/// The story documents without a `story` key belong to.
pub const DEFAULT_STORY: &str = "";

/// An article file found under the seeds folder.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Seed {
    /// Its path inside the seeds folder, `/` between folders, a name that is not UTF-8
    /// read with U+FFFD for its stray bytes: the document's path and id come from it, and
    /// messages show it. A `\` in a name is a character of the name, not a separator.
    pub rel: String,
    /// The file, as the system names it.
    pub path: PathBuf,
}

/// The article files under `seeds`, sorted by relative path, and a warning for each
/// symbolic link to a folder, which is not followed. Given up with an error as soon as
/// `stop` is set: a build lists the seeds while it checks the rules and the output
/// folder, and when either is refused the listing's result is not wanted (a mistaken
/// `--seeds /` would take minutes).
pub fn list(seeds: &Path, io: &IoThreads, stop: &AtomicBool) -> Result<(Vec<Seed>, Vec<String>)> {
    if !seeds.is_dir() {
        bail!(
            "seeds folder {} does not exist or is not a folder\n  = help: pass --seeds DIR with the articles (.txt or .md)",
            seeds.display()
        );
    }
    let (mut files, mut links) = io.install(|| collect(seeds, seeds, stop))?;
    files.sort();
    links.sort();
    let links: Vec<String> = links
        .into_iter()
        .map(|skipped| match skipped {
            Skipped::Link(rel) => format!("warning: {}: a symbolic link to a folder is not followed, so the articles in it are not read\n  = help: move or copy the folder into {} (a link to a file is read), or pass it as --seeds", shown(seeds, &rel), seeds.display()),
            Skipped::Site(rel) => format!("warning: {}: a site written by compare is not read as articles\n  = help: keep the site out of the seeds folder (--out), or pass --seeds with the articles' own folder", shown(seeds, &rel)),
            Skipped::Readme(rel) => format!("warning: {}: a README is not read as an article\n  = help: if it is an article, give it another name", shown(seeds, &rel)),
            Skipped::Project(rel) => format!("warning: {}: the folder given as --seeds ({}) holds a folder named `seeds`, as a project folder does: every .txt, .md and .markdown file under it, the project's docs too, is read as an article\n  = help: pass --seeds {} if the articles are there", shown(seeds, &rel), seeds.display(), shown(seeds, &rel)),
        })
        .collect();
    if files.is_empty() {
        let links: String = links.iter().map(|w| format!("\n{w}")).collect();
        bail!(
            "no .txt or .md articles in {}\n  = help: put the articles to compare there, one file each{links}",
            seeds.display()
        );
    }
    Ok((files, links))
}

/// Read some of the listed files from their bytes ([`IoThreads::load`]), in parallel,
/// keeping their order: documents, warnings, and one error message per file that could
/// not be read.
pub fn read(
    seeds: &Path,
    loaded: Vec<(&Seed, Loaded)>,
    rules: &RuleSet,
    opts: ReadOptions,
) -> (Vec<Document>, Vec<String>, Vec<String>) {
    let results: Vec<Result<(Document, Vec<String>), String>> = loaded
        .into_par_iter()
        .map(|(seed, bytes)| parse(&shown(seeds, &seed.rel), &seed.rel, bytes?, rules, opts))
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
///
/// Each message is labelled `error: ` except the first, which `main` labels when it
/// prints the error: the user reads every line with one `error: ` in front.
pub fn fail_on(errors: Vec<String>) -> Result<()> {
    if errors.is_empty() {
        return Ok(());
    }
    let n = errors.len();
    let all = errors
        .iter()
        .map(|e| format!("error: {e}"))
        .collect::<Vec<_>>()
        .join("\n");
    bail!(
        "{}\nerror: {n} article{} could not be read; nothing was written",
        all.strip_prefix("error: ").unwrap_or(&all),
        if n == 1 { "" } else { "s" }
    )
}

/// How messages name a file: the seeds folder as the user gave it joined with the path
/// inside it (`seeds/w.txt`), so the user can open the file from where they ran compare.
pub fn shown(seeds: &Path, rel: &str) -> String {
    let path = if seeds.as_os_str().is_empty() || seeds == Path::new(".") {
        rel.to_string()
    } else {
        seeds.join(rel).display().to_string()
    };
    crate::diag::file_name(&path)
}

/// One article read on its own, exactly as a build reads each file ([`IoThreads::load`],
/// then [`parse`]), for `explain`.
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
    let seed = Seed {
        rel: name,
        path: path.to_path_buf(),
    };
    open_seed(dir, &seed)
        .and_then(|opened| read_opened(dir, &seed, opened))
        .and_then(|bytes| parse(&shown(dir, &seed.rel), &seed.rel, bytes, rules, opts))
        .map_err(|e| anyhow::anyhow!("{e}"))
}

/// Threads that list the seeds folder and read its files ahead of their analysis, which
/// wait on the disk more than on the processor when the files are not in the page
/// cache. With 98 516 articles in 19 417 story folders not in the page cache, a build
/// reached its first article 2.8–2.9 s after it started when listing on one thread,
/// 1.7–1.9 s on two and 0.8–1.4 s on eight (2 cores, a virtual disk); 0.25–0.43 s
/// whichever when the folders were cached.
const IO_THREADS: usize = 8;

/// Threads for the file system, kept while the seeds are read and no longer: each thread
/// keeps some memory with the allocator, and a build's peak comes later.
pub struct IoThreads(Option<rayon::ThreadPool>);

impl IoThreads {
    /// Start them; without them (if they cannot be started) the work runs where it is
    /// called, and nothing is read ahead.
    pub fn start() -> IoThreads {
        IoThreads(
            rayon::ThreadPoolBuilder::new()
                .num_threads(IO_THREADS)
                .thread_name(|i| format!("compare-io-{i}"))
                .build()
                .ok(),
        )
    }

    fn install<T: Send>(&self, f: impl FnOnce() -> T + Send) -> T {
        match &self.0 {
            Some(pool) => pool.install(f),
            None => f(),
        }
    }

    /// Start reading these files' bytes on the I/O threads, without waiting for them:
    /// called for the next chunk of files while this one is analysed, so that its
    /// analysis does not wait on the disk. Each file is opened once, here; one that cannot
    /// be read gets the message `read` reports.
    pub fn load<'a>(&self, seeds: &Path, files: &'a [Seed]) -> Loading<'a> {
        let Some(pool) = &self.0 else {
            return Loading {
                files,
                state: State::Ready(load_all(seeds, files)),
            };
        };
        let asked = std::sync::Arc::new((seeds.to_path_buf(), files.to_vec()));
        let (done, loading) = std::sync::mpsc::sync_channel(1);
        let job = std::sync::Arc::clone(&asked);
        pool.spawn(move || {
            // The receiver is gone only if the build stopped meanwhile: nothing to tell.
            let _ = done.send(load_all(&job.0, &job.1));
        });
        Loading {
            files,
            state: State::Pending(loading, asked),
        }
    }
}

/// An article's bytes, or the message saying why the file could not be read.
pub type Loaded = Result<Vec<u8>, String>;

/// The bytes of a chunk of files, being read ([`IoThreads::load`]).
pub struct Loading<'a> {
    files: &'a [Seed],
    state: State,
}

enum State {
    /// Read where `load` was called (there are no I/O threads).
    Ready(Vec<Loaded>),
    /// Being read on the I/O threads: the seeds folder and the files asked for.
    Pending(
        std::sync::mpsc::Receiver<Vec<Loaded>>,
        std::sync::Arc<(PathBuf, Vec<Seed>)>,
    ),
}

impl<'a> Loading<'a> {
    /// Each file with its bytes, in the order they were asked for, once all are read.
    pub fn wait(self) -> Vec<(&'a Seed, Loaded)> {
        let loaded = match self.state {
            State::Ready(loaded) => loaded,
            // The job sends before it ends, and a job that panics ends the process; were
            // the chunk ever dropped unsent all the same, it is read here, not lost.
            State::Pending(loading, asked) => loading
                .recv()
                .unwrap_or_else(|_| load_all(&asked.0, &asked.1)),
        };
        // `load_all` gives one result a file.
        self.files.iter().zip(loaded).collect()
    }
}

/// How many files one I/O thread opens before it reads them: their reads are all asked
/// of the disk at once (`posix_fadvise`), so a cold cache serves many at a time, while
/// the threads never hold more than `IO_THREADS × LOAD_BATCH` files open.
const LOAD_BATCH: usize = 16;

/// Read files in parallel, keeping their order.
fn load_all(seeds: &Path, files: &[Seed]) -> Vec<Loaded> {
    files
        .par_chunks(LOAD_BATCH)
        .flat_map_iter(|batch| load_batch(seeds, batch))
        .collect()
}

/// Read a few files: open each, ask for all their bytes, then read each.
fn load_batch(seeds: &Path, files: &[Seed]) -> Vec<Loaded> {
    let opened: Vec<Result<(std::fs::File, usize), String>> =
        files.iter().map(|seed| open_seed(seeds, seed)).collect();
    for (file, _) in opened.iter().flatten() {
        will_need(file);
    }
    files
        .iter()
        .zip(opened)
        .map(|(seed, opened)| read_opened(seeds, seed, opened?))
        .collect()
}

/// The bytes of an article [`open_seed`] opened.
fn read_opened(seeds: &Path, seed: &Seed, (mut file, len): (std::fs::File, usize)) -> Loaded {
    use std::io::Read;
    let mut bytes = Vec::with_capacity(len);
    file.read_to_end(&mut bytes)
        .map_err(|e| cannot_read(seeds, seed, e))?;
    Ok(bytes)
}

/// An article opened for reading, and its size, or why it cannot be read.
fn open_seed(seeds: &Path, seed: &Seed) -> Result<(std::fs::File, usize), String> {
    let file = open_article(&seed.path).map_err(|e| cannot_read(seeds, seed, e))?;
    let meta = file.metadata().map_err(|e| cannot_read(seeds, seed, e))?;
    // A pipe, socket or device (or a link to one) named like an article would block the
    // build or never end: refused by what it is, before a byte is read.
    if !meta.is_file() {
        return Err(format!(
            "{}: not an ordinary file (a pipe, socket or device)\n  = help: put the article's text in an ordinary .txt or .md file, or move this out of the seeds folder",
            shown(seeds, &seed.rel)
        ));
    }
    // The size is checked before the bytes are read: a file too large to be one article
    // is refused without being held in memory.
    let len = usize::try_from(meta.len()).unwrap_or(usize::MAX);
    check_size(|| shown(seeds, &seed.rel), len)?;
    Ok((file, len))
}

fn cannot_read(seeds: &Path, seed: &Seed, e: std::io::Error) -> String {
    format!(
        "{}: cannot read: {e}\n  = help: check that the file exists and is readable",
        shown(seeds, &seed.rel)
    )
}

/// Open an article for reading without waiting for a writer: opening a named pipe
/// otherwise blocks until something writes to it. Reading an ordinary file is the same
/// either way.
#[cfg(unix)]
fn open_article(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_article(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

/// Start reading the whole file into the page cache (`posix_fadvise`, `WILLNEED`).
#[cfg(unix)]
fn will_need(file: &std::fs::File) {
    use std::os::fd::AsRawFd;
    // SAFETY: the descriptor is open for the call's duration (`file` is borrowed); the
    // call only advises the kernel and touches no memory of ours.
    unsafe {
        libc::posix_fadvise(file.as_raw_fd(), 0, 0, libc::POSIX_FADV_WILLNEED);
    }
}

#[cfg(not(unix))]
fn will_need(_file: &std::fs::File) {}

/// A file or folder in the seeds that is not read, by its path inside them.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Skipped {
    /// A folder named `seeds` inside the seeds folder: `--seeds .` given in a project.
    Project(String),
    /// A symbolic link to a folder.
    Link(String),
    /// A site written by compare (it holds [`crate::site::MARKER`]).
    Site(String),
    /// A folder's README (`README.md`), which describes the articles and is not one.
    Readme(String),
}

/// A folder of the seeds that cannot be listed, with what to do: the build does not go on
/// without it, as its articles would be missing from every comparison without a word.
fn cannot_list(dir: &Path, e: &std::io::Error) -> anyhow::Error {
    let shown = dir.display();
    let help = if e.kind() == std::io::ErrorKind::PermissionDenied {
        format!("give yourself read access to it (`chmod u+rx {shown}`), or move it out of the seeds folder")
    } else {
        "check that the folder is still there and readable, then build again".to_string()
    };
    anyhow::anyhow!("cannot list {shown}: {e}\n  = help: {help}")
}

/// The articles under `dir`, as paths relative to `root`. A folder's subfolders are
/// listed in parallel: a corpus kept as a folder per story has tens of thousands of them,
/// and listed one after the other they were a serial start to the build. The order is
/// the caller's to make; the error, if any, is the first in the folder's own order.
fn collect(root: &Path, dir: &Path, stop: &AtomicBool) -> Result<(Vec<Seed>, Vec<Skipped>)> {
    if stop.load(Ordering::Relaxed) {
        bail!("the listing of the seeds was stopped");
    }
    let entries = std::fs::read_dir(dir).map_err(|e| cannot_list(dir, &e))?;
    let mut out = Vec::new();
    let mut links = Vec::new();
    let mut folders = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| cannot_list(dir, &e))?;
        let path = entry.path();
        let file_type = entry
            .file_type()
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
        // Not articles: a hidden folder (`.git`, an editor's settings), an editor's lock
        // file (`.#a.txt`, a link to nowhere) or macOS's metadata beside a file (`._a.txt`,
        // binary). A hidden file of any other name (`.a.txt`) is read like any file.
        let name = entry.file_name();
        let name = name.as_encoded_bytes();
        if name.starts_with(b".#")
            || name.starts_with(b"._")
            || name.starts_with(b".") && file_type.is_dir()
        {
            continue;
        }
        let rel = path.strip_prefix(root).unwrap_or(&path);
        let rel: Vec<_> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect();
        let rel = rel.join("/");
        if file_type.is_dir() {
            // A site compare wrote (`--seeds .` beside `site/`): its report.md and pages
            // would be read as one more outlet agreeing with every other.
            if path.join(crate::site::MARKER).exists() {
                links.push(Skipped::Site(rel));
            } else {
                if dir == root && name == b"seeds" {
                    links.push(Skipped::Project(rel.clone()));
                }
                folders.push(path);
            }
        } else if file_type.is_symlink() && path.is_dir() {
            // Followed, a link could lead back up (a cycle) or to a folder read already.
            links.push(Skipped::Link(rel));
        } else if format_of(&path.to_string_lossy()).is_some() {
            if is_readme(name) {
                links.push(Skipped::Readme(rel));
            } else {
                out.push(Seed { rel, path });
            }
        }
    }
    folders.sort();
    let nested: Vec<_> = folders.par_iter().map(|f| collect(root, f, stop)).collect();
    for found in nested {
        let (files, more) = found?;
        out.extend(files);
        links.extend(more);
    }
    Ok((out, links))
}

/// A folder's README (`README.md`, `readme.txt`, in any case): it describes the articles
/// beside it, and read as one it would be one more source of unknown outlet.
pub fn is_readme(name: &[u8]) -> bool {
    name.len() > 7 && name[..7].eq_ignore_ascii_case(b"readme.")
}

/// How a file of this name is read: `.txt` as text, `.md` and `.markdown` as Markdown,
/// in any case (`A.TXT`, `b.MD`); None for any other file, which is not an article.
pub fn format_of(name: &str) -> Option<Format> {
    let ext = Path::new(name).extension()?.to_str()?;
    if ext.eq_ignore_ascii_case("txt") {
        Some(Format::Text)
    } else if ext.eq_ignore_ascii_case("md") || ext.eq_ignore_ascii_case("markdown") {
        Some(Format::Markdown)
    } else {
        None
    }
}

/// Two files with the same stem (a.txt, sub/a.md) get ids from their whole paths
/// (`a_txt`, `sub__a_md`). An id so made may still be another file's (a file named
/// `a_txt.md`): the later ones in path order then get `-2`, `-3`… so every id is one
/// document's, and links and anchors never land on another article.
pub fn unique_ids(docs: &mut [Document]) {
    use std::collections::BTreeSet;
    let mut count: foldhash::HashMap<&str, usize> = foldhash::HashMap::default();
    count.reserve(docs.len());
    for d in docs.iter() {
        *count.entry(d.id.as_str()).or_default() += 1;
    }
    let shared: Vec<bool> = docs.iter().map(|d| count[d.id.as_str()] > 1).collect();
    drop(count);
    // Ids from distinct stems are distinct: nothing more to do.
    if !shared.contains(&true) {
        return;
    }
    for (d, shared) in docs.iter_mut().zip(shared) {
        if shared {
            d.id = d.path.replace('/', "__").replace('.', "_");
        }
    }
    // The documents are in the order their files are listed, sorted by path.
    let mut taken = BTreeSet::new();
    for d in docs.iter_mut() {
        let mut id = d.id.clone();
        let mut n = 1;
        while !taken.insert(id.clone()) {
            n += 1;
            id = format!("{}-{n}", d.id);
        }
        d.id = id;
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

impl FrontMatter {
    /// Control characters a TOML escape can put in a value (`"\u0007"`, `"\u0000"`) become
    /// spaces, as NUL does in article text: they would otherwise reach the pages and the
    /// terminal as they are.
    fn without_controls(mut self) -> Self {
        for field in [
            &mut self.title,
            &mut self.outlet,
            &mut self.url,
            &mut self.lang,
            &mut self.story,
        ] {
            if let Some(v) = field.as_mut().filter(|v| v.chars().any(char::is_control)) {
                *v = v
                    .chars()
                    .map(|c| if c.is_control() { ' ' } else { c })
                    .collect();
            }
        }
        self
    }
}

/// Byte signatures of common binary formats that end up in scraped folders.
const SIGNATURES: [(&[u8], &str); 9] = [
    (b"\x7FELF", "an ELF executable"),
    (b"\x89PNG\r\n\x1A\n", "a PNG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xFF\xD8\xFF", "a JPEG image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or a .docx/.odt document)"),
    (b"\x1F\x8B", "a gzip archive"),
    (
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
        "an old Word or Excel document",
    ),
];

/// C0 control characters other than the whitespace ones (tab, line feed, vertical tab,
/// form feed, carriage return), and DEL: text never needs them, binary data is full of them.
fn is_control(b: u8) -> bool {
    (b < 0x20 && !matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r')) || b == 0x7F
}

/// Why `bytes` look like a binary file rather than an article, if they do: a known
/// signature, NUL bytes outnumbering a tenth of the text bytes, or more than 5% control
/// bytes, at least eight (random data has about 11%; scraped text, now and then a stray
/// one).
fn binary_kind(bytes: &[u8], counts: &ByteCounts) -> Option<String> {
    if let Some((_, what)) = SIGNATURES.iter().find(|(sig, _)| bytes.starts_with(sig)) {
        return Some(format!("it starts like {what}"));
    }
    let ByteCounts { nul, control, text } = *counts;
    if nul > 0 && nul * 10 > text {
        return Some(format!("{nul} NUL bytes"));
    }
    let odd = nul + control;
    if odd >= 8 && odd * 20 > bytes.len() {
        return Some(format!(
            "{odd} of its {} bytes are control characters",
            bytes.len()
        ));
    }
    None
}

/// What a file's bytes are made of, for telling text from binary data.
#[derive(Debug, Clone, Copy)]
struct ByteCounts {
    nul: usize,
    /// Control bytes other than NUL and the usual whitespace.
    control: usize,
    /// ASCII letters and digits, and every byte of a non-ASCII character.
    text: usize,
}

impl ByteCounts {
    fn of(bytes: &[u8]) -> Self {
        ByteCounts {
            nul: count_bytes(bytes, |b| b == 0),
            control: count_bytes(bytes, |b| b != 0 && is_control(b)),
            text: count_bytes(bytes, |b| b.is_ascii_alphanumeric() || b >= 0x80),
        }
    }
}

/// How many bytes pass `test`, counted in blocks of 255 with a byte-wide counter, a loop
/// the compiler vectorises.
fn count_bytes(bytes: &[u8], test: impl Fn(u8) -> bool) -> usize {
    bytes
        .chunks(255)
        .map(|block| usize::from(block.iter().fold(0u8, |n, &b| n + u8::from(test(b)))))
        .sum()
}

/// 1-based line of byte offset `at`; a line ends at LF, CRLF or a lone CR, as [`decode`]
/// reads them.
fn line_at(bytes: &[u8], at: usize) -> usize {
    let before = &bytes[..at.min(bytes.len())];
    let breaks = before
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
        .count();
    breaks + 1
}

/// Decode bytes as UTF-8 text with LF line breaks and no BOM. `name` is the file as
/// messages show it; errors come without the `error: ` label, warnings with theirs.
///
/// Binary files are refused even with `--lossy`, which is for text in a wrong encoding.
/// NUL and other control characters in text become spaces, with a warning.
///
/// Valid UTF-8 becomes the text in the bytes' own memory, without a new allocation (a BOM
/// is removed in place).
pub fn decode(
    name: &str,
    mut bytes: Vec<u8>,
    opts: ReadOptions,
) -> Result<(String, Vec<String>), String> {
    let mut warnings = Vec::new();
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(format!(
            "{name}:1: this file is UTF-16 text (it starts with a UTF-16 byte order mark)\n  = help: save it as UTF-8"
        ));
    }
    let counts = ByteCounts::of(&bytes);
    if let Some(why) = binary_kind(&bytes, &counts) {
        return Err(format!(
            "{name}: this looks like a binary file, not an article: {why}\n  = help: remove it from the seeds folder, or rename it to an extension other than .txt or .md"
        ));
    }
    // Offsets in messages count from the start of the file, BOM included, as a hex
    // editor shows them.
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    let bom = if bytes.starts_with(BOM) { BOM.len() } else { 0 };
    // Arabic text is all multi-byte characters, where the standard library's check runs at
    // about 1 GB/s: the SIMD check says whether the bytes are valid, and the standard one
    // says where they are not, for the message.
    let checked = match simdutf8::basic::from_utf8(&bytes[bom..]) {
        Ok(_) => Ok(()),
        Err(_) => std::str::from_utf8(&bytes[bom..]).map(|_| ()),
    };
    let text = match checked {
        Ok(()) => {
            bytes.drain(..bom);
            // SAFETY: the bytes after the BOM were checked to be UTF-8 just above, and
            // removing the BOM, three whole bytes at the front, leaves exactly those.
            unsafe { String::from_utf8_unchecked(bytes) }
        }
        Err(e) => {
            let at = bom + e.valid_up_to();
            let line = line_at(&bytes, at);
            let what = crate::diag::utf8_fault(&bytes, at, e.error_len());
            if opts.lossy {
                warnings.push(format!(
                    "warning: {name}:{line}: {what}; invalid bytes replaced with U+FFFD (--lossy)"
                ));
                String::from_utf8_lossy(&bytes[bom..]).into_owned()
            } else {
                return Err(format!(
                    "{name}:{line}: {what}\n  = help: save the file as UTF-8 (it may be Windows-1256 or another legacy encoding), or pass --lossy to replace bad bytes with U+FFFD"
                ));
            }
        }
    };
    let mut text = if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    };
    // Decoding adds no control byte (U+FFFD is not one, CR becomes LF): text without
    // any in its bytes needs no search.
    let odd = if counts.nul + counts.control > 0 {
        text.bytes().position(|b| b == 0 || is_control(b))
    } else {
        None
    };
    if let Some(at) = odd {
        let line = text.as_bytes()[..at]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        warnings.push(format!(
            "warning: {name}:{line}: NUL or other control characters in the text were replaced with spaces"
        ));
        text = text
            .chars()
            .map(|c| {
                if c.is_ascii() && (c == '\0' || is_control(c as u8)) {
                    ' '
                } else {
                    c
                }
            })
            .collect();
    }
    Ok((text, warnings))
}

/// The most bytes one article may have: the report counts an article's lines and
/// sentences, and places in its text, in 32 bits.
const MAX_ARTICLE_BYTES: usize = u32::MAX as usize;

/// Whether `bytes` fit one article; `name` (the file as messages show it) is made only
/// for the message.
fn check_size(name: impl FnOnce() -> String, bytes: usize) -> Result<(), String> {
    if bytes > MAX_ARTICLE_BYTES {
        let name = name();
        return Err(format!(
            "{name}: {bytes} bytes is more than one article can hold ({MAX_ARTICLE_BYTES} bytes, 4 GiB)\n  = help: split the file into several articles, or leave it out of the seeds folder"
        ));
    }
    Ok(())
}

/// How an article whose outlet was found neither in its front matter nor on a metadata
/// line is named wherever an outlet is (`outlet_source` is then `file name`): by its
/// path in the seeds folder, which no other article shares, so two such articles are
/// never taken for one outlet, and so that no reader takes the file's name for an
/// outlet's.
pub fn unknown_outlet(path: &str) -> String {
    format!("{UNKNOWN_OUTLET}{path}")
}

/// `name` with each bidi embedding, override or isolate control (U+202A to U+202E, U+2066
/// to U+2069) written out as `\u{202e}`. An outlet's name is written into running text
/// (a verdict's reason: "X gives 1500 but Y gives 2000"), where an unbalanced one would
/// turn the rest of the sentence around; shown, it is also seen. Marks (U+200E, U+200F)
/// stay: they reorder nothing around them.
fn bidi_controls_shown(name: String) -> String {
    let is_control = |c: char| matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if !name.contains(is_control) {
        return name;
    }
    name.chars()
        .map(|c| {
            if is_control(c) {
                format!("\\u{{{:x}}}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// What [`unknown_outlet`] puts before the path.
pub const UNKNOWN_OUTLET: &str = "unknown outlet of ";

/// Whether an outlet name is that of an article whose outlet was found nowhere.
pub fn outlet_unknown(outlet: &str) -> bool {
    outlet.starts_with(UNKNOWN_OUTLET)
}

/// Distinct outlet names counted as the corpus header counts them: the outlets found,
/// and apart, the articles of unknown outlet (each may be any outlet's).
pub fn outlet_counts<'a>(outlets: impl IntoIterator<Item = &'a str>) -> (usize, usize) {
    let (mut found, mut unknown) = (0, 0);
    for o in outlets {
        if outlet_unknown(o) {
            unknown += 1;
        } else {
            found += 1;
        }
    }
    (found, unknown)
}

/// The reason given to a date line set aside (`تاريخ النشر: …`).
pub const PUBLICATION_DATE_LINE: &str = "metadata: publication date";

/// A document's note when its file holds no letter or digit outside its front matter.
pub const EMPTY_FILE: &str = "the file holds no text";

/// A document's note when everything in it was set aside (or was markup).
pub const NO_TEXT_LEFT: &str = "no article text left after boilerplate was set aside";

/// Read one article from its bytes: decode, front matter, Markdown masking, metadata,
/// boilerplate, title, outlet, language. `name` is the file as messages show it, `rel`
/// its path inside the seeds folder (the document's id and path come from it).
pub fn parse(
    name: &str,
    rel: &str,
    bytes: Vec<u8>,
    rules: &RuleSet,
    opts: ReadOptions,
) -> Result<(Document, Vec<String>), String> {
    check_size(|| name.to_string(), bytes.len())?;
    let (text, mut warnings) = decode(name, bytes, opts)?;
    let format = format_of(rel).unwrap_or(Format::Text);
    let stem = Path::new(rel)
        .file_stem()
        .map_or_else(|| rel.to_string(), |s| s.to_string_lossy().into_owned());
    let (front, body_start) = front_matter(name, &text)?;
    let mut body = blank(&text, 0..body_start);
    // A Markdown paragraph's lines are joined only once metadata and boilerplate have
    // read them one by one, as in a text article: joined first, a marker line after
    // another line of its paragraph was read as part of it, and so matched nothing (an
    // ad slot then a keyword line, an "إقرأ أيضاً" tail) or took the paragraph with it.
    let mut soft = Vec::new();
    if format == Format::Markdown {
        (body, soft) = mask_markdown(&text, body_start, body);
    }
    let mut doc = Document {
        id: stem,
        path: rel.to_string(),
        format,
        title: String::new(),
        outlet: String::new(),
        outlet_source: crate::model::OUTLET_UNKNOWN,
        url: front.url.clone(),
        published: None,
        published_source: "",
        lang: String::new(),
        // Spaces around or doubled inside a key are a typing slip, not another story.
        story: front.story.as_deref().map_or_else(
            || DEFAULT_STORY.to_string(),
            |s| s.split_whitespace().collect::<Vec<_>>().join(" "),
        ),
        text,
        body,
        excluded: Vec::new(),
        notes: Vec::new(),
        line_keys: Vec::new(),
    };
    let published_front = match &front.published {
        None => None,
        Some(v) => Some(parse_front_date(name, &doc.text, v)?),
    };
    let (found, mut keys, plain) = metadata(&mut doc, rules);
    boilerplate::set_aside_with(&mut doc, rules, &mut keys, &plain);
    join_soft_breaks(&mut doc.body, &soft, &mut keys);
    doc.line_keys = keys;
    doc.published = published_front.or(found.published);
    doc.published_source = match (published_front, found.published) {
        (Some(_), _) => "front matter",
        (None, Some(_)) => "metadata line",
        (None, None) => "",
    };
    // Two dates for one article: the front matter's is used, and the other said, since
    // every relative date of the article moves with it.
    if let (Some(front), Some(line)) = (published_front, found.published) {
        if front != line {
            let at = crate::diag::line_of(&doc.text, found.date_line);
            doc.notes.push(format!(
                "the front matter's date {front} is used; the page's date line (line {at}) says {line}"
            ));
            warnings.push(format!(
                "warning: {name}: front matter says published {front}, but the date line on line {at} says {line}; the front matter's date is used\n  = help: correct whichever is wrong: the date resolves the article's relative dates (يوم الجمعة, الشهر الماضي)"
            ));
        }
    }
    match (front.outlet.clone(), found.outlet) {
        (Some(o), _) if !o.trim().is_empty() => {
            doc.outlet = bounded(o.trim(), OUTLET_CHARS);
            doc.outlet_source = "front matter";
        }
        (_, Some(o)) => {
            doc.outlet = bounded(&o, OUTLET_CHARS);
            doc.outlet_source = "metadata line";
        }
        _ => doc.outlet = unknown_outlet(rel),
    }
    doc.outlet = bidi_controls_shown(doc.outlet);
    doc.title = front
        .title
        .as_deref()
        .filter(|t| !t.trim().is_empty())
        .map_or_else(|| first_line(&doc), |t| bounded(t, TITLE_CHARS));
    doc.lang = front.lang.clone().unwrap_or_else(|| detect_lang(&doc.body));
    // An empty file (or front matter alone) has no dates to resolve and nothing set aside:
    // one warning says so, rather than a missing date and a blamed boilerplate rule.
    if !doc.text[body_start..].chars().any(char::is_alphanumeric) {
        doc.notes.push(EMPTY_FILE.into());
        warnings.push(format!(
            "warning: {name}: empty article: no text{}",
            if body_start > 0 {
                " after its front matter"
            } else {
                ""
            }
        ));
        return Ok((doc, warnings));
    }
    match (doc.published, &found.unread_date) {
        (Some(date), _) if !NEWS_YEARS.contains(&date.year()) => {
            let line = if published_front.is_some() {
                front_published_line(&doc.text)
            } else {
                crate::diag::line_of(&doc.text, found.date_line)
            };
            doc.notes.push(format!(
                "the publication date {date} (line {line}) is far from any news date: a typo in its year? The article's relative dates are counted from it"
            ));
            // A date line in the Hijri calendar (3/10/1445) reads as a year 1445.
            let help = if (1300..1500).contains(&date.year()) {
                "a Hijri date? Give the Gregorian one as `published = YYYY-MM-DD` front matter"
            } else {
                "check the year for a typo"
            };
            warnings.push(format!(
                "warning: {name}:{line}: publication date {date} lies outside the years {}–{}; the article's relative dates (يوم الجمعة, العام المقبل) are counted from it\n  = help: {help}",
                NEWS_YEARS.start(),
                NEWS_YEARS.end()
            ));
        }
        (Some(_), _) => {}
        // A date line was found and set aside: "no date found" would send the user
        // looking for one.
        (None, Some(range)) => {
            let line = crate::diag::line_of(&doc.text, range.start);
            let written = doc.text[range.clone()].trim();
            doc.notes.push(format!(
                "the date line (line {line}) holds no date that could be read: relative dates stay unresolved"
            ));
            warnings.push(format!(
                "warning: {name}:{line}: the date line «{written}» holds no date that could be read (a day the month does not have, or a misspelt month?)\n  = help: correct the line, or add `published = YYYY-MM-DD` front matter to resolve the article's dates"
            ));
        }
        (None, None) => {
            doc.notes
                .push("no publication date found: relative dates stay unresolved".into());
            warnings.push(format!(
                "warning: {name}: no publication date found; add `published = YYYY-MM-DD` front matter to resolve its dates"
            ));
        }
    }
    // No letter or digit left: no sentence to compare (segmentation keeps none), so the
    // article is read and shown but not compared.
    if !doc.body.chars().any(char::is_alphanumeric) {
        doc.notes.push(NO_TEXT_LEFT.into());
        warnings.push(format!(
            "warning: {name}: no article text left after boilerplate was set aside"
        ));
    }
    Ok((doc, warnings))
}

/// The front matter and where the body starts. Only a `+++` line opens it, on the first
/// line or after blank lines.
fn front_matter(name: &str, text: &str) -> Result<(FrontMatter, usize), String> {
    // A fence is a line of `+++`, spaces or tabs after it allowed (an editor's trailing
    // space must not turn the front matter into article text); blank lines may come first.
    let is_fence = |line: &str| line.trim_end_matches([' ', '\t', '\r', '\n']) == "+++";
    let blank = text.len() - text.trim_start_matches(['\n', ' ', '\t']).len();
    let lead = text[..blank].matches('\n').count();
    let opening = text[blank..].split_inclusive('\n').next().unwrap_or("");
    if !(opening.ends_with('\n') && is_fence(opening)) {
        if let Some(end) = yaml_front_matter(text) {
            return Err(format!(
                "{name}:1: front matter between `---` lines (YAML) is not read: lines 1 to {end} would be taken as article text\n  = help: write it as TOML between `+++` lines: `+++`, then `outlet = \"…\"`, `published = 2024-04-12`…, then `+++`"
            ));
        }
        return Ok((FrontMatter::default(), 0));
    }
    let rest_start = blank + opening.len();
    let rest = &text[rest_start..];
    let mut close = None;
    let mut at = 0;
    for line in rest.split_inclusive('\n') {
        if is_fence(line) {
            close = Some((at, at + line.len()));
            break;
        }
        at += line.len();
    }
    let Some((close, after)) = close else {
        return Err(format!(
            "{name}:{}: front matter opened with `+++` is never closed\n  = help: end the front matter with a line holding only `+++`",
            lead + 1
        ));
    };
    let toml_text = &rest[..close];
    let body_start = rest_start + after;
    match toml::from_str::<FrontMatter>(toml_text) {
        Ok(f) => Ok((f.without_controls(), body_start)),
        Err(e) => {
            let in_toml = e.span().map_or(0, |s| {
                toml_text[..s.start.min(toml_text.len())]
                    .matches('\n')
                    .count()
            });
            let line = lead + in_toml + 2;
            let text = toml_text.lines().nth(in_toml).unwrap_or_default();
            let msg = e.message().lines().next().unwrap_or("invalid TOML");
            let keys =
                "front matter keys are title, outlet, url, published (YYYY-MM-DD), lang, story";
            let key = key_of(text);
            Err(match (crate::diag::quoted_suggestion(text), key) {
                // TOML reads an unquoted `niger` as a misspelt `nan`: say what is wrong.
                (Some(quoted), _) => format!(
                    "{name}:{line}: front matter: string values must be quoted\n  = help: write `{quoted}`"
                ),
                (None, Some("published")) if !msg.starts_with("duplicate key") => {
                    not_a_date(name, line, msg)
                }
                (None, Some(key)) if msg.starts_with("duplicate key") => {
                    let first = toml_text.lines().position(|l| key_of(l) == Some(key));
                    let first = first.map_or_else(String::new, |i| {
                        format!(" (first on line {})", lead + i + 2)
                    });
                    format!("{name}:{line}: front matter: `{key}` is given twice{first}\n  = help: keep one `{key} = …` line")
                }
                (None, Some(key)) if msg.starts_with("invalid type:") => {
                    let value = text.split_once('=').map_or("", |(_, v)| v.trim());
                    let quoted = if value.contains(['"', '[', '{']) || value.is_empty() {
                        format!("{key} = \"…\"")
                    } else {
                        format!("{key} = \"{value}\"")
                    };
                    format!(
                        "{name}:{line}: front matter: `{key}` must be text between quotes, not {}\n  = help: write `{quoted}`",
                        toml_type(msg, value)
                    )
                }
                (None, _) => format!("{name}:{line}: front matter: {msg}\n  = help: {keys}"),
            })
        }
    }
}

/// The closing line of YAML front matter (`---`, then `key: value` lines, then `---`), as
/// Jekyll and Hugo write it, when the text opens with one: read as Markdown it would be
/// a heading of its keys, with the outlet and date lost. A `---` rule over ordinary text
/// is not mistaken for it: every line between must be a `key:` line or blank.
fn yaml_front_matter(text: &str) -> Option<usize> {
    let rest = text.strip_prefix("---\n")?;
    let mut keys = 0;
    for (i, line) in rest.lines().enumerate().take(100) {
        if line.trim_end() == "---" {
            return (keys > 0).then_some(i + 2);
        }
        let key = line.split_once(':').map(|(k, _)| k);
        if key.is_some_and(|k| {
            !k.is_empty()
                && k.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        }) {
            keys += 1;
        } else if !line.trim().is_empty() && !line.starts_with([' ', '-']) {
            return None;
        }
    }
    None
}

fn parse_front_date(name: &str, text: &str, v: &toml::Value) -> Result<NaiveDate, String> {
    let s = match v {
        toml::Value::String(s) => s.clone(),
        toml::Value::Datetime(d) => d.to_string(),
        other => other.to_string(),
    };
    let line = front_published_line(text);
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| not_a_date(name, line, &s))
}

/// The line of the front matter's `published` key, quoted or not (1 when there is none to
/// point at).
fn front_published_line(text: &str) -> usize {
    let mut inside = false;
    for (i, line) in text.lines().enumerate() {
        if line.trim() == "+++" {
            if inside {
                break;
            }
            inside = true;
        } else if inside && key_of(line) == Some("published") {
            return i + 1;
        }
    }
    1
}

/// The publication years a news article can have. A date outside them is most likely a
/// typo (`2204`, `0024`), and the article's relative dates would move with it, some of
/// them out of the years a date can be written in (1 to 9999) and so left unresolved.
const NEWS_YEARS: std::ops::RangeInclusive<i32> = 1800..=2100;

/// The key of a front matter line `key = value`, without its quotes (`"published" = …`).
fn key_of(line: &str) -> Option<&str> {
    let (key, _) = line.split_once('=')?;
    let key = key.trim();
    let unquoted = [('"', '"'), ('\'', '\'')]
        .iter()
        .find_map(|&(open, close)| key.strip_prefix(open)?.strip_suffix(close));
    Some(unquoted.unwrap_or(key)).filter(|k| !k.is_empty())
}

/// What TOML read a value as, in a user's words, from its "invalid type: X, expected Y"
/// message: a date is a map to serde (`1979-05-27`, the value, tells it from a table).
fn toml_type(msg: &str, value: &str) -> &'static str {
    let found = msg.trim_start_matches("invalid type:").trim_start();
    if found.starts_with("map") {
        if value.starts_with(|c: char| c.is_ascii_digit()) {
            "a date"
        } else {
            "a table"
        }
    } else if found.starts_with("integer") || found.starts_with("floating point") {
        "a number"
    } else if found.starts_with("boolean") {
        "true or false"
    } else if found.starts_with("sequence") {
        "a list"
    } else {
        "a value of another type"
    }
}

/// The error for a front-matter `published` value that is not a date, quoted or not.
fn not_a_date(name: &str, line: usize, what: &str) -> String {
    format!(
        "{name}:{line}: front matter `published` is not a date: {what}\n  = help: write it as YYYY-MM-DD, e.g. published = 2024-04-12"
    )
}

/// A copy of `text` with `range` blanked (line breaks kept).
fn blank(text: &str, range: std::ops::Range<usize>) -> String {
    let mut out = text.to_string();
    blank_in(&mut out, range);
    out
}

/// Blank a byte range of `body` in place: every char but `\n` becomes as many spaces as it
/// has bytes, so the text stays the same length. A range end inside a char is widened to
/// the whole char. Costs the length of the range, not of the body: a long article with
/// many set-aside lines stays linear.
pub fn blank_in(body: &mut String, range: std::ops::Range<usize>) {
    let mut start = range.start.min(body.len());
    let mut end = range.end.min(body.len());
    while !body.is_char_boundary(start) {
        start -= 1;
    }
    while !body.is_char_boundary(end) {
        end += 1;
    }
    // One line at a time: `\n` is kept, and each piece starts and ends on a boundary.
    while start < end {
        let stop = body.as_bytes()[start..end]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(end, |i| start + i);
        if stop > start {
            // Same length in and out: the rest of the string does not move.
            body.replace_range(start..stop, &" ".repeat(stop - start));
        }
        start = stop + 1;
    }
}

/// A Markdown body masked, and its soft breaks ([`mask_markdown`]).
type Masked = (String, Vec<std::ops::Range<usize>>);

/// Keep only Markdown prose (text and code spans, and the text inside raw HTML, whose
/// tags alone are blanked), and say where the soft line breaks are (the line break
/// between two lines of a paragraph, with any spaces the parser counts in it), in order:
/// [`join_soft_breaks`] makes them spaces, so a paragraph wrapped over lines is one run of
/// text, once its lines have been read one by one.
fn mask_markdown(text: &str, start: usize, masked: String) -> Masked {
    if is_plain_prose(&text[start..]) {
        let soft = soft_breaks(start, &masked);
        (masked, soft)
    } else {
        mask_parsed(text, start, masked)
    }
}

/// [`mask_markdown`] by the Markdown parser's events.
fn mask_parsed(text: &str, start: usize, masked: String) -> Masked {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let src = &text[start..];
    let mut kept = Vec::new();
    let mut soft = Vec::new();
    let parser = Parser::new_ext(src, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH);
    // Inside an inline `<script>` or `<style>` element: its content is no text. One never
    // closed ends with its paragraph, heading or table cell: the rest of the article is
    // the article's.
    let mut in_code = false;
    // The article's text, as opposed to code, whose character references are as written.
    let mut texts = Vec::new();
    for (event, range) in parser.into_offset_iter() {
        match event {
            Event::Text(_) if !in_code => texts.push(range),
            Event::Code(_) if !in_code => kept.push(range),
            Event::InlineHtml(tag) => {
                let tag = tag.to_ascii_lowercase();
                if tag.starts_with("<script") || tag.starts_with("<style") {
                    in_code = !tag.contains("</");
                } else if tag.starts_with("</script") || tag.starts_with("</style") {
                    in_code = false;
                }
            }
            // Raw HTML (a `<br>` line, `<p align="right">` around a paragraph) is the
            // page's markup around the article's own text: the text stays, or the claims
            // in it would be lost without a word.
            // A whole HTML block at once, so a comment or script over several lines is
            // seen whole; its lines come again as `Html` events, passed over.
            Event::Start(Tag::HtmlBlock) => {
                texts.extend(
                    html_text(&src[range.clone()])
                        .map(|r| range.start + r.start..range.start + r.end),
                );
            }
            Event::SoftBreak => soft.push(start + range.start..start + range.end),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::TableCell) => {
                in_code = false;
            }
            _ => {}
        }
    }
    // Character references in the text (`&nbsp;`, `&quot;`, `&#1575;`), each with what it
    // stands for: matched as written, `100&nbsp;جندي` would hold no claim. The parser
    // decodes those of paragraphs but leaves an HTML block's as written: all are read here.
    let references: Vec<_> = texts
        .iter()
        .flat_map(|r| {
            html_references(&src[r.clone()])
                .map(move |(at, len, meant)| (start + r.start + at, len, meant))
        })
        .collect();
    kept.extend(texts);
    kept.sort_by_key(|r| r.start);
    let mut out = masked;
    // Blank what lies between the kept runs, line breaks aside.
    let mut at = 0;
    for r in kept {
        if r.start > at {
            blank_in(&mut out, start + at..start + r.start);
        }
        at = at.max(r.end);
    }
    if at < src.len() {
        blank_in(&mut out, start + at..start + src.len());
    }
    // What a reference stands for takes its place, so offsets stay those of the text (the
    // pages show the text as written), padded to its length with characters matching
    // deletes: spaces would split `&#1580;&#1606;` into letters.
    for (at, len, meant) in references {
        let meant = if meant.chars().any(char::is_control) {
            " "
        } else {
            &*meant
        };
        out.replace_range(
            at..at + len,
            &format!("{meant}{}", invisible_pad(len - meant.len())),
        );
    }
    soft.sort_by_key(|r| r.start);
    (out, soft)
}

/// The character references of some HTML text (`&nbsp;`, `&#1580;`), each as its offset,
/// its length and what it stands for, when that is no longer than the reference.
fn html_references(text: &str) -> impl Iterator<Item = (usize, usize, String)> + '_ {
    memchr::memchr_iter(b'&', text.as_bytes()).filter_map(move |at| {
        // The longest named reference is 33 bytes (`&CounterClockwiseContourIntegral;`).
        let window = &text.as_bytes()[at..text.len().min(at + 34)];
        let end = memchr::memchr(b';', window)?;
        let written = &text[at..=at + end];
        let meant = html_escape::decode_html_entities(written);
        (meant != written && meant.len() <= written.len())
            .then(|| (at, written.len(), meant.into_owned()))
    })
}

/// Padding that matching deletes (soft hyphens, two bytes, and zero-width spaces, three),
/// `n` bytes long; a single byte, which neither fills, is a space.
fn invisible_pad(n: usize) -> String {
    match n {
        1 => " ".into(),
        _ => {
            let threes = n % 2;
            let twos = (n - 3 * threes) / 2;
            let mut pad = String::with_capacity(n);
            pad.extend(std::iter::repeat_n(PAD_SOFT_HYPHEN, twos));
            pad.extend(std::iter::repeat_n(PAD_ZERO_WIDTH, threes));
            pad
        }
    }
}

const PAD_SOFT_HYPHEN: char = '\u{AD}';
const PAD_ZERO_WIDTH: char = '\u{200B}';

/// Text taken from the body to be shown (a title, an outlet's name) without a character
/// reference's padding, and a no-break space (`&nbsp;`) as a space.
fn unpadded(body_text: &str) -> std::borrow::Cow<'_, str> {
    if body_text.contains([PAD_SOFT_HYPHEN, PAD_ZERO_WIDTH, '\u{A0}']) {
        body_text
            .replace([PAD_SOFT_HYPHEN, PAD_ZERO_WIDTH], "")
            .replace('\u{A0}', " ")
            .into()
    } else {
        body_text.into()
    }
}

/// The byte ranges of `html` that are text: outside tags (`<p align="right">`, `</div>`),
/// comments, and `<script>` or `<style>` elements, none of which a reader sees. A `<` that
/// opens no tag (`<500 جندي`) is text. A tag left open at the end (a Markdown HTML block
/// comes a line at a time) runs to the end; a comment, script or style element never
/// closed ends with its line, so a stray `<!-- ad` cannot take the rest of an article.
fn html_text(html: &str) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let lower = html.to_ascii_lowercase();
    let mut at = 0;
    let mut from = 0;
    std::iter::from_fn(move || {
        while at < html.len() {
            let Some(open) = html[from..].find('<').map(|i| from + i) else {
                let text = at..html.len();
                at = html.len();
                return Some(text);
            };
            let rest = &lower[open..];
            // As HTML reads it: a tag starts with a letter, `/`, `!` or `?`.
            if !rest[1..].starts_with(|c: char| c.is_ascii_alphabetic() || "/!?".contains(c)) {
                from = open + 1;
                continue;
            }
            let line_end = || Some(rest.find('\n').map_or(rest.len(), |i| i + 1));
            let close = if rest.starts_with("<!--") {
                rest.find("-->").map(|i| i + 3).or_else(line_end)
            } else if rest.starts_with("<script") || rest.starts_with("<style") {
                let end = if rest.starts_with("<script") {
                    "</script"
                } else {
                    "</style"
                };
                rest.find(end)
                    .and_then(|i| rest[i..].find('>').map(|j| i + j + 1))
                    .or_else(line_end)
            } else {
                rest.find('>').map(|i| i + 1)
            };
            let text = at..open;
            at = close.map_or(html.len(), |c| open + c);
            from = at;
            if !text.is_empty() {
                return Some(text);
            }
        }
        None
    })
}

/// Whether Markdown `src` is prose alone, with no byte a Markdown parser reads as syntax:
/// no emphasis, code, link, HTML, entity, escape, table or strikethrough character
/// anywhere, no tab, carriage return, vertical tab or form feed, and no line that could
/// open a block (a heading, quote, list item, setext underline, thematic break or
/// indented code). Every paragraph of such a text is its lines, as they are: masking it
/// only joins the lines of each paragraph ([`join_paragraph_lines`]). Every generated
/// article is such text, and parsing it was a sixth of reading it. Errs on the side of
/// parsing: a `*` or a line starting with `-` anywhere sends the text to the parser.
///
/// Other control characters are no Markdown: the parser keeps them as text, NUL too (read
/// as U+FFFD), so masking keeps them in place either way (the property test has them).
fn is_plain_prose(src: &str) -> bool {
    // Such bytes are rare in prose: a few `memchr` passes (SIMD) rule them out at a
    // fraction of a test per byte. Besides the syntax characters: the whitespace
    // Markdown reads that is neither a space nor a line break.
    let bytes = src.as_bytes();
    if memchr::memchr3(b'\\', b'`', b'*', bytes).is_some()
        || memchr::memchr3(b'_', b'[', b']', bytes).is_some()
        || memchr::memchr3(b'<', b'&', b'~', bytes).is_some()
        || memchr::memchr3(b'|', b'\t', b'\r', bytes).is_some()
        || memchr::memchr2(0x0B, 0x0C, bytes).is_some()
    {
        return false;
    }
    crate::normalize::lines(src).all(|line| {
        let line = &src.as_bytes()[line];
        let indent = line.iter().take_while(|&&b| b == b' ').count();
        let Some(&first) = line.get(indent) else {
            return true;
        };
        let numbered = || {
            let digits = line[indent..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            matches!(line.get(indent + digits), Some(b'.' | b')'))
        };
        indent < 4 && !matches!(first, b'#' | b'>' | b'-' | b'+' | b'=') && !numbered()
    })
}

/// Masking of plain prose ([`is_plain_prose`]) from byte `start` of `masked` on: the soft
/// breaks, the line break between two lines of a paragraph unless the first line ends in
/// two spaces or more (a hard break); the rest is kept as it is, since what masking
/// would blank of it is spaces already.
fn soft_breaks(start: usize, masked: &str) -> Vec<std::ops::Range<usize>> {
    let src = &masked[start..];
    let mut soft = Vec::new();
    // The line before, when it is not blank (a blank line ends a paragraph).
    let mut before: Option<&[u8]> = None;
    for line in crate::normalize::lines(src) {
        let bytes = &src.as_bytes()[line.clone()];
        let blank = bytes.iter().all(|&b| b == b' ');
        if before.is_some_and(|b| !blank && !b.ends_with(b"  ")) {
            soft.push(start + line.start - 1..start + line.start);
        }
        before = (!blank).then_some(bytes);
    }
    soft
}

/// Join the lines of each Markdown paragraph at its soft breaks (`soft`, in order, from
/// [`mask_markdown`]), once metadata and boilerplate have read the lines one by one: each
/// becomes spaces, its line break included, so the body keeps its length. `keys` (one a
/// line of the body, as [`lines`] counts them) then has one a line of the joined body:
/// a line joined of several, or with a soft break in it, has none (it is normalised
/// again, whole), the others keep theirs.
fn join_soft_breaks(
    body: &mut String,
    soft: &[std::ops::Range<usize>],
    keys: &mut Vec<Option<normalize::Normalized>>,
) {
    // A soft break is whitespace, its line break included; guard all the same.
    let soft: Vec<_> = soft
        .iter()
        .filter(|r| {
            r.start < r.end && body.is_char_boundary(r.start) && body.is_char_boundary(r.end)
        })
        .cloned()
        .collect();
    if soft.is_empty() {
        return;
    }
    let mut joined = Vec::with_capacity(keys.len());
    let mut next = 0;
    // The line before runs on into this one.
    let mut runs_on = false;
    for (i, line) in lines(body).enumerate() {
        let key = keys.get_mut(i).and_then(Option::take);
        while soft.get(next).is_some_and(|r| r.end <= line.start) {
            next += 1;
        }
        // Line `i` with its line break (`line.end`), against the soft breaks from `next` on.
        let touching = soft[next..].iter().take_while(|r| r.start <= line.end);
        let (mut touched, mut breaks) = (false, false);
        for r in touching {
            touched = true;
            breaks |= r.contains(&line.end);
        }
        if runs_on {
            if let Some(last) = joined.last_mut() {
                *last = None;
            }
        } else {
            joined.push(key.filter(|_| !touched));
        }
        runs_on = breaks;
    }
    *keys = joined;
    for r in soft {
        body.replace_range(r.clone(), &" ".repeat(r.len()));
    }
}

/// The longest line, in bytes, that can be a metadata line (dateline, source credit); of
/// a longer line only this much of its start is searched for a dateline.
const METADATA_LINE: usize = 1000;

/// Titles taken from the first line are cut to this many characters: a one-line article's
/// first line is the whole article, and every list of documents shows the title.
const TITLE_CHARS: usize = 200;

/// Outlet names longer than this (in characters) are cut.
const OUTLET_CHARS: usize = 100;

struct Found {
    published: Option<NaiveDate>,
    outlet: Option<String>,
    /// The first date line whose date could not be read (`31st, February 2024`, a
    /// misspelt month), by its byte range in the text, when no line gave a date.
    unread_date: Option<std::ops::Range<usize>>,
    /// Where the line `published` was read from starts, in the text.
    date_line: usize,
}

/// Read the publication date (first matching line) and outlet (last matching line) from
/// the body's metadata lines, and set those lines aside. Also returns, by line number, the
/// match key of each line it read whole and left as it was, for boilerplate to reuse, and
/// whether the line is plain: matched by no metadata pattern and no boilerplate marker.
fn metadata(
    doc: &mut Document,
    rules: &RuleSet,
) -> (Found, Vec<Option<normalize::Normalized>>, Vec<bool>) {
    let mut found = Found {
        published: None,
        outlet: None,
        unread_date: None,
        date_line: 0,
    };
    let mut aside = Vec::new();
    let mut keys = Vec::new();
    let mut plain = Vec::new();
    for (i, line) in lines(&doc.body).enumerate() {
        keys.push(None);
        plain.push(false);
        let raw = &doc.body[line.clone()];
        if raw.trim().is_empty() {
            continue;
        }
        // A metadata line is a short one. A longer line is prose (a whole article on one
        // line, say): a dateline at its start still gives the date, but only the dateline
        // is set aside, and no outlet is read from it.
        let long = raw.len() > METADATA_LINE;
        let head = if long {
            let mut end = METADATA_LINE;
            while !raw.is_char_boundary(end) {
                end -= 1;
            }
            &raw[..end]
        } else {
            raw
        };
        let n = normalize::normalize(head);
        let key = n.key();
        // One pass over a whole line says whether any metadata pattern or boilerplate
        // marker can match it: most lines are prose, which neither reads further.
        if !long
            && rules
                .line_set
                .as_ref()
                .is_some_and(|set| !set.is_match(key))
        {
            plain[i] = true;
            keys[i] = Some(n);
            continue;
        }
        // One pass over the line says whether any metadata pattern can match it: a line
        // that is not metadata is kept for boilerplate as it is.
        if rules
            .metadata_set
            .as_ref()
            .is_some_and(|set| !set.is_match(key))
        {
            if !long {
                keys[i] = Some(n);
            }
            continue;
        }
        // A character reference's padding (`الجزيرة&nbsp;نت` in Markdown) is no part of a
        // name.
        let original = |m: regex::Match| {
            unpadded(&undouble(head[n.to_original(m.range())].trim())).into_owned()
        };
        let mut hit = None;
        let mut span = line.clone();
        // `is_match` first: it never needs the capture engine.
        for re in rules.published.iter().filter(|re| re.is_match(key)) {
            if let Some(c) = re.captures(key) {
                if long {
                    let m = n.to_original(c.get(0).map_or(0..0, |m| m.range()));
                    span = line.start + m.start..line.start + m.end;
                }
                if found.published.is_none() {
                    found.published = date_from(&c, rules);
                    if found.published.is_none() && found.unread_date.is_none() {
                        found.unread_date = Some(span.clone());
                    }
                    if found.published.is_some() {
                        found.date_line = span.start;
                        if let Some(o) = c.name("outlet").filter(|_| !long) {
                            let o = original(o);
                            if !o.is_empty() {
                                found.outlet = Some(o);
                            }
                        }
                    }
                }
                hit = Some(PUBLICATION_DATE_LINE);
                break;
            }
        }
        for re in rules.outlet.iter().filter(|re| !long && re.is_match(key)) {
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
        if let Some(reason) = hit.filter(|_| !span.is_empty()) {
            aside.push(Excluded {
                span,
                reason: reason.to_string(),
            });
        } else if !long {
            keys[i] = Some(n);
        }
    }
    for e in aside {
        blank_in(&mut doc.body, e.span.clone());
        doc.excluded.push(e);
    }
    (found, keys, plain)
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

fn first_line(doc: &Document) -> String {
    lines(&doc.body)
        .map(|r| &doc.body[r])
        .find(|l| !l.trim().is_empty())
        .map(|l| shorten(&unpadded(l), TITLE_CHARS))
        .unwrap_or_else(|| doc.id.clone())
}

/// `s` with each run of whitespace as one space, cut after at most `max` characters at a
/// word boundary and ended with `…` when anything was cut. Reads only what it keeps.
pub fn shorten(s: &str, max: usize) -> String {
    let mut out = String::new();
    let mut n = 0;
    for word in s.split_whitespace() {
        let len = word.chars().count();
        let gap = usize::from(n > 0);
        if n + gap + len > max {
            if n == 0 {
                out.extend(word.chars().take(max));
            }
            out.push('…');
            return out;
        }
        if gap == 1 {
            out.push(' ');
        }
        out.push_str(word);
        n += gap + len;
    }
    out
}

/// A name from the file kept as written unless it is longer than `max` characters.
fn bounded(s: &str, max: usize) -> String {
    if s.chars().nth(max).is_some() {
        shorten(s, max)
    } else {
        s.to_string()
    }
}

/// `ar` when at least a third of the letters are Arabic, else `en` when any, else `und`.
///
/// Run on every article's whole body, so it reads bytes: ASCII, and the basic Arabic
/// letters (ء to ي, tatweel included: U+0620 to U+064A, two bytes led by 0xD8 or 0xD9),
/// are most of any article and are told without decoding; any other character is
/// decoded and classed as [`lang_of_char`] does.
fn detect_lang(body: &str) -> String {
    let (arabic, letters) = letter_counts(body);
    if letters == 0 {
        "und".into()
    } else if arabic * 3 >= letters {
        "ar".into()
    } else {
        "en".into()
    }
}

/// The Arabic letters and all the letters of `body`, as [`detect_lang`] counts them.
fn letter_counts(body: &str) -> (usize, usize) {
    let (mut arabic, mut letters) = (0usize, 0usize);
    let bytes = body.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (letter, in_arabic, width) = if b.is_ascii() {
            (b.is_ascii_alphabetic(), false, 1)
        } else {
            let basic = match (b, bytes.get(i + 1)) {
                (0xD8, Some(&next)) => next >= 0xA0,
                (0xD9, Some(&next)) => next <= 0x8A,
                _ => false,
            };
            if basic {
                (true, true, 2)
            } else {
                let c = body[i..].chars().next().unwrap_or(' ');
                let (letter, in_arabic) = lang_of_char(c);
                (letter, in_arabic, c.len_utf8())
            }
        };
        if letter {
            letters += 1;
            arabic += usize::from(in_arabic);
        }
        i += width;
    }
    (arabic, letters)
}

/// Whether `c` is a letter, and whether it is in an Arabic block, as [`detect_lang`]
/// counts them.
fn lang_of_char(c: char) -> (bool, bool) {
    if c.is_ascii() {
        (c.is_ascii_alphabetic(), false)
    } else if ('\u{0620}'..='\u{064A}').contains(&c) {
        (true, true)
    } else {
        let arabic_block =
            ('\u{0600}'..='\u{06FF}').contains(&c) || ('\u{FB50}'..='\u{FEFF}').contains(&c);
        (normalize::is_letter(c), arabic_block)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_article_over_4_gib_is_refused_with_its_name_and_what_to_do() {
        let name = || "seeds/a.md".to_string();
        assert!(check_size(name, MAX_ARTICLE_BYTES).is_ok());
        let e = check_size(name, MAX_ARTICLE_BYTES + 1).unwrap_err();
        assert!(e.starts_with("seeds/a.md: 4294967296 bytes is more than one article can hold"));
        assert!(e.contains("= help: split the file"));
    }

    /// Files read ahead come back in the order asked for, batch after batch, each with
    /// its own bytes or its own error, whether the I/O threads read them or the caller.
    #[cfg(unix)]
    #[test]
    fn files_read_ahead_keep_their_order_and_their_own_errors() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        let n = LOAD_BATCH * 3 + 5;
        let files: Vec<Seed> = (0..n)
            .map(|i| {
                let rel = format!("{i:03}.txt");
                let path = root.join(&rel);
                // Every seventh is a link to nowhere; the rest hold their number.
                if i % 7 == 3 {
                    std::os::unix::fs::symlink(root.join("gone"), &path).unwrap();
                } else {
                    std::fs::write(&path, i.to_string().repeat(i % 5 + 1)).unwrap();
                }
                Seed { rel, path }
            })
            .collect();
        let gone = std::io::Error::from_raw_os_error(libc::ENOENT);
        let expected: Vec<(&Seed, Loaded)> = files
            .iter()
            .enumerate()
            .map(|(i, seed)| {
                let loaded = if i % 7 == 3 {
                    Err(format!("{}: cannot read: {gone}\n  = help: check that the file exists and is readable", shown(root, &seed.rel)))
                } else {
                    Ok(i.to_string().repeat(i % 5 + 1).into_bytes())
                };
                (seed, loaded)
            })
            .collect();
        let io = IoThreads::start();
        assert!(io.0.is_some(), "the I/O threads start");
        assert_eq!(io.load(root, &files).wait(), expected);
        assert_eq!(IoThreads(None).load(root, &files).wait(), expected);
    }

    /// Folders nested at several depths (listed in parallel) give one sorted list of
    /// articles, with `/` between folders, and nothing else; a folder is never an article.
    #[test]
    fn articles_in_nested_folders_are_listed_sorted() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        for (rel, text) in [
            ("z.md", "z"),
            ("b/s2/x.txt", "x"),
            ("b/s1/y.md", "y"),
            ("b/s1/deep/er/w.txt", "w"),
            ("a/v.md", "v"),
            ("a/notes.json", "{}"),
            ("a/README", "r"),
            ("a/page.html", "h"),
            ("c/A.TXT", "a"),
            ("c/b.markdown", "b"),
            ("c/d.MD", "d"),
        ] {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        std::fs::create_dir_all(root.join("empty/folder.md")).unwrap();
        // Hidden folders, editor locks and macOS metadata files are passed over.
        for rel in [
            ".git/COMMIT_EDITMSG.txt",
            "c/.#d.MD",
            "c/._A.TXT",
            ".obsidian/x.md",
        ] {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "\0\0").unwrap();
        }
        assert_eq!(
            list(root, &IoThreads::start(), &AtomicBool::new(false))
                .unwrap()
                .0
                .into_iter()
                .map(|seed| seed.rel)
                .collect::<Vec<_>>(),
            [
                "a/v.md",
                "b/s1/deep/er/w.txt",
                "b/s1/y.md",
                "b/s2/x.txt",
                "c/A.TXT",
                "c/b.markdown",
                "c/d.MD",
                "z.md"
            ]
        );
        // Read as their extension says, in any case.
        assert_eq!(format_of("c/A.TXT"), Some(Format::Text));
        assert_eq!(format_of("c/b.markdown"), Some(Format::Markdown));
        assert_eq!(format_of("c/d.MD"), Some(Format::Markdown));
        assert_eq!(format_of("a/page.html"), None);
    }

    /// A listing that is no longer wanted (the build's rules or output folder were
    /// refused) stops at the next folder with an error, however large the tree; one that
    /// is wanted lists every article.
    #[test]
    fn a_stopped_listing_gives_up_instead_of_listing_every_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        for rel in ["a/x.md", "b/y.txt", "z.md"] {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x").unwrap();
        }
        let io = IoThreads::start();
        let stopped = list(root, &io, &AtomicBool::new(true)).unwrap_err();
        assert!(stopped.to_string().contains("stopped"), "{stopped}");
        let listed = list(root, &io, &AtomicBool::new(false)).unwrap().0;
        let rels: Vec<_> = listed.into_iter().map(|seed| seed.rel).collect();
        assert_eq!(rels, ["a/x.md", "b/y.txt", "z.md"]);
    }

    #[test]
    fn language_is_the_script_of_most_letters() {
        assert_eq!(detect_lang("قالت وزارة الدفاع إن 1500 جندي وصلوا"), "ar");
        assert_eq!(detect_lang("The ministry said 1,500 troops arrived"), "en");
        // Diacritics, tatweel and presentation forms count as Arabic letters; digits,
        // punctuation and Arabic-Indic digits are not letters at all.
        assert_eq!(detect_lang("ﻻ مـــا قَالَ Reuters AFP ١٢٣ ، ؟"), "ar");
        assert_eq!(detect_lang("Reuters, AFP and TASS: روسيا"), "en");
        assert_eq!(detect_lang("١٢٣ 456 ، . ؟"), "und");
        // One Arabic letter in three is enough.
        assert_eq!(detect_lang("ab ج"), "ar");
        assert_eq!(detect_lang("abc ج"), "en");
    }

    #[test]
    fn doubled_bylines_collapse() {
        assert_eq!(undouble("Công LuậnCông Luận"), "Công Luận");
        assert_eq!(undouble("العربية"), "العربية");
    }

    #[test]
    fn decode_strips_bom_and_crlf() {
        let (t, w) = decode(
            "a.txt",
            b"\xEF\xBB\xBFa\r\nb\rc".to_vec(),
            ReadOptions::default(),
        )
        .unwrap();
        assert_eq!(t, "a\nb\nc");
        assert!(w.is_empty());
    }

    /// The BOM is removed on each path the text takes: valid UTF-8 kept in the file's own
    /// bytes (no CR to replace), and invalid bytes replaced under `--lossy`.
    #[test]
    fn decode_strips_the_bom_whether_the_bytes_are_kept_or_replaced() {
        let (t, w) = decode("a.txt", b"\xEF\xBB\xBFok".to_vec(), ReadOptions::default()).unwrap();
        assert_eq!((t.as_str(), w.len()), ("ok", 0));
        let lossy = ReadOptions { lossy: true };
        let (t, w) = decode("a.txt", b"\xEF\xBB\xBFok\xC7".to_vec(), lossy).unwrap();
        assert_eq!((t.as_str(), w.len()), ("ok\u{FFFD}", 1));
    }

    #[test]
    fn invisible_padding_has_the_length_asked_and_matching_deletes_it() {
        for n in 0..40 {
            let pad = invisible_pad(n);
            assert_eq!(pad.len(), n);
            if n != 1 {
                assert_eq!(crate::normalize::key(&format!("a{pad}b")), "ab", "{n}");
            }
        }
    }

    #[test]
    fn a_folder_that_cannot_be_listed_is_named_with_what_to_do() {
        let dir = Path::new("seeds/locked");
        let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        let msg = cannot_list(dir, &denied).to_string();
        assert!(
            msg.starts_with("cannot list seeds/locked: permission denied\n  = help: give yourself read access to it (`chmod u+rx seeds/locked`), or move it out of the seeds folder"),
            "{msg}"
        );
        let gone = std::io::Error::from(std::io::ErrorKind::NotFound);
        let msg = cannot_list(dir, &gone).to_string();
        assert!(
            msg.contains("\n  = help: check that the folder is still there"),
            "{msg}"
        );
        // Through the listing itself: a folder that is not there.
        let stop = AtomicBool::new(false);
        let missing = std::env::temp_dir().join("compare-no-such-seeds-folder");
        let err = collect(&missing, &missing, &stop).unwrap_err().to_string();
        assert!(
            err.starts_with("cannot list ") && err.contains("= help: "),
            "{err}"
        );
    }

    #[test]
    fn invalid_utf8_names_file_and_byte() {
        let e = decode("x.txt", b"ok\n\xC7\xE1".to_vec(), ReadOptions::default()).unwrap_err();
        assert!(
            e.starts_with("x.txt:2: invalid UTF-8 at byte 3 (0xC7)\n"),
            "{e}"
        );
        let (t, w) = decode("x.txt", b"ok\n\xC7".to_vec(), ReadOptions { lossy: true }).unwrap();
        assert_eq!(t, "ok\n\u{FFFD}");
        assert_eq!(w.len(), 1);
    }

    /// Offsets count from the file's first byte, as a hex editor shows them, BOM included;
    /// lines end at LF, CRLF or a lone CR, as the text is read.
    #[test]
    fn byte_offsets_count_the_bom_and_lines_count_lone_cr() {
        let err = |b: &[u8]| decode("x.txt", b.to_vec(), ReadOptions::default()).unwrap_err();
        let e = err(b"\xEF\xBB\xBFab\xC7");
        assert!(
            e.starts_with("x.txt:1: the file ends inside a UTF-8 character at byte 5 (truncated?)"),
            "{e}"
        );
        let e = err(b"\xEF\xBB\xBFab\xC7x");
        assert!(
            e.starts_with("x.txt:1: invalid UTF-8 at byte 5 (0xC7)"),
            "{e}"
        );
        let e = err(b"a\rb\r\xC7x");
        assert!(e.starts_with("x.txt:3: invalid UTF-8 at byte 4"), "{e}");
        let e = err(b"a\r\nb\r\n\xC7x");
        assert!(e.starts_with("x.txt:3: invalid UTF-8 at byte 6"), "{e}");
        // A truncated Arabic letter (ب is D8 A8) at the end of the file.
        let e = err("نص ب".as_bytes().split_last().unwrap().1);
        assert!(
            e.contains("ends inside a UTF-8 character at byte 5 (truncated?)"),
            "{e}"
        );
        assert!(e.contains("= help: save the file as UTF-8"), "{e}");
    }

    #[test]
    fn binary_files_are_named_binary_even_with_lossy() {
        let lossy = ReadOptions { lossy: true };
        let mut random = Vec::new();
        let mut x: u32 = 1;
        for _ in 0..4096 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            random.push((x >> 16) as u8);
        }
        let mut png = b"\x89PNG\r\n\x1A\n".to_vec();
        png.extend(&random);
        for (bytes, why) in [
            (&b"\x7FELF\x02\x01\x01\0\0\0"[..], "ELF executable"),
            (&png[..], "PNG image"),
            (&b"%PDF-1.7\n"[..], "PDF document"),
            (&[0u8; 64][..], "64 NUL bytes"),
            (&random[..], "bytes are control characters"),
        ] {
            for opts in [ReadOptions::default(), lossy] {
                let e = decode("b.txt", bytes.to_vec(), opts).unwrap_err();
                assert!(
                    e.starts_with("b.txt: this looks like a binary file, not an article")
                        && e.contains(why),
                    "{e}"
                );
            }
        }
        let e = decode("u.txt", b"\xFF\xFEa\0".to_vec(), lossy).unwrap_err();
        assert!(e.contains("UTF-16"), "{e}");
    }

    #[test]
    fn nul_and_control_characters_in_text_become_spaces() {
        let (t, w) = decode(
            "n.txt",
            "سطر\nنص\0مع\x07صفر".as_bytes().to_vec(),
            ReadOptions::default(),
        )
        .unwrap();
        assert_eq!(t, "سطر\nنص مع صفر");
        assert_eq!(
            w,
            ["warning: n.txt:2: NUL or other control characters in the text were replaced with spaces"]
        );
    }

    #[test]
    fn shorten_cuts_at_a_word_and_reads_only_what_it_keeps() {
        assert_eq!(shorten("  a   b\tc ", 10), "a b c");
        assert_eq!(shorten("abc def ghi", 7), "abc def…");
        assert_eq!(shorten("abcdefghij", 4), "abcd…");
        assert_eq!(shorten("", 4), "");
        let line = "كلمة ".repeat(1_000_000);
        let title = shorten(&line, TITLE_CHARS);
        assert!(title.chars().count() <= TITLE_CHARS + 1 && title.ends_with('…'));
    }

    #[test]
    fn blank_in_keeps_length_and_line_breaks_and_widens_to_whole_chars() {
        let mut s = "اب\ncd\nه".to_string();
        let len = s.len();
        blank_in(&mut s, 1..9);
        assert_eq!(s.len(), len);
        assert_eq!(s, "    \n  \n  ");
        let mut s = "abc".to_string();
        blank_in(&mut s, 2..99);
        assert_eq!(s, "ab ");
    }

    /// A line is plain, and read by neither metadata nor boilerplate again, only when no
    /// metadata pattern and no boilerplate marker matches it; the others are still read,
    /// each by its own patterns.
    #[test]
    fn only_lines_no_metadata_or_boilerplate_pattern_matches_are_plain() {
        let rules = crate::rules::shipped();
        // A document of `text` whose metadata and boilerplate are not read yet.
        let fresh = |text: &str| {
            let (mut doc, _) = parse(
                "t.txt",
                "t.txt",
                b"-".to_vec(),
                rules,
                ReadOptions::default(),
            )
            .unwrap();
            doc.text = text.to_string();
            doc.body = text.to_string();
            doc.excluded.clear();
            doc
        };
        let text =
            "أرسلت روسيا 1500 جندي.\nالمصدر: وكالة الأنباء\nكلمات دلالية: روسيا\nوصل الجنود.\n";
        let mut doc = fresh(text);
        let (found, keys, plain) = metadata(&mut doc, rules);
        assert_eq!(plain, [true, false, false, true, false]);
        assert!(keys[0].is_some() && keys[3].is_some());
        assert_eq!(found.outlet.as_deref(), Some("وكالة الأنباء"));
        let mut keys = keys;
        crate::boilerplate::set_aside_with(&mut doc, rules, &mut keys, &plain);
        let aside: Vec<&str> = doc.excluded.iter().map(|e| &text[e.span.clone()]).collect();
        assert_eq!(aside, ["المصدر: وكالة الأنباء", "كلمات دلالية: روسيا"]);
        // A line wrongly taken as plain is not read: the keyword line stays in the body.
        let mut doc = fresh(text);
        let mut keys = vec![None; 5];
        crate::boilerplate::set_aside_with(&mut doc, rules, &mut keys, &[true, true, true]);
        assert!(doc.excluded.is_empty());
        assert!(doc.body.contains("كلمات دلالية"));
    }

    #[test]
    fn a_long_dateline_is_prose_not_metadata() {
        let rules = crate::rules::shipped();
        let short = "تاريخ النشر: 12th, April 2024 GMT\nأرسلت روسيا 1500 جندي.\n";
        let (d, _) = parse(
            "s.txt",
            "s.txt",
            short.as_bytes().to_vec(),
            rules,
            ReadOptions::default(),
        )
        .unwrap();
        assert_eq!(
            d.published.map(|p| p.to_string()).as_deref(),
            Some("2024-04-12")
        );
        assert_eq!(d.excluded.len(), 1);
        let long = format!(
            "تاريخ النشر: 12th, April 2024 GMT {}",
            "أرسلت روسيا 1500 جندي. ".repeat(100)
        );
        let (d, _) = parse(
            "l.txt",
            "l.txt",
            long.as_bytes().to_vec(),
            rules,
            ReadOptions::default(),
        )
        .unwrap();
        assert_eq!(
            d.published.map(|p| p.to_string()).as_deref(),
            Some("2024-04-12")
        );
        let aside: Vec<&str> = d.excluded.iter().map(|e| &d.text[e.span.clone()]).collect();
        assert_eq!(aside, ["تاريخ النشر: 12th, April 2024"]);
        assert!(d.body.contains("1500 جندي"));
        assert!(d.title.chars().count() <= TITLE_CHARS + 1);
    }

    /// The body of Markdown `text` from byte `start` on, masked by `mask` and its
    /// paragraphs' lines joined, as `parse` has it once boilerplate is set aside.
    fn masked(mask: fn(&str, usize, String) -> Masked, text: &str, start: usize) -> String {
        let (mut body, soft) = mask(text, start, text.to_string());
        join_soft_breaks(&mut body, &soft, &mut Vec::new());
        body
    }

    #[test]
    fn markdown_syntax_is_blanked_but_offsets_kept() {
        let text = "# عنوان\n\nنص **مهم** و[رابط](http://x.y).\n";
        let m = masked(mask_markdown, text, 0);
        assert_eq!(m.len(), text.len());
        assert!(m.contains("عنوان"));
        assert!(!m.contains('#') && !m.contains("**") && !m.contains("http"));
        assert!(m.contains("مهم"));
    }

    /// Exactly what is kept: text, and code spans whole (their backticks included), in
    /// place; syntax blanked byte for byte; the line break inside a paragraph (a soft
    /// break) a space, the others kept.
    #[test]
    fn markdown_masking_keeps_text_in_place_and_joins_soft_breaks() {
        let text = "## عنوان\n\nنص **مهم** و`x`\nيتبع.\n\n- بند\n";
        let (m, soft) = mask_markdown(text, 0, text.to_string());
        // Masked, the lines are the file's; the soft break is joined after.
        assert_eq!(m, "   عنوان\n\nنص   مهم   و`x`\nيتبع.\n\n  بند\n");
        let at = text.find("\nيتبع").unwrap();
        assert_eq!((soft.len(), soft.first()), (1, Some(&(at..at + 1))));
        assert_eq!(
            masked(mask_markdown, text, 0),
            "   عنوان\n\nنص   مهم   و`x` يتبع.\n\n  بند\n"
        );
        // From a body start on, what comes before is left as it is.
        let text = "+++\n+++\n*نص*\n";
        assert_eq!(masked(mask_markdown, text, 8), "+++\n+++\n نص \n");
    }

    /// Prose gets the parser's masking without the parser: lines of a paragraph joined,
    /// a hard break (two trailing spaces) and the breaks around blank lines kept.
    #[test]
    fn plain_prose_is_masked_as_the_parser_masks_it() {
        let text = "+++\n+++\nسطر أول\n  يتبع 12.5%، (نص)!  \nبعد فاصل\n\n   \nفقرة ثانية 2024.\n";
        assert!(is_plain_prose(&text[8..]));
        let m = masked(mask_markdown, text, 8);
        assert_eq!(
            m,
            "+++\n+++\nسطر أول   يتبع 12.5%، (نص)!  \nبعد فاصل\n\n   \nفقرة ثانية 2024.\n"
        );
        assert_eq!(m, masked(mask_parsed, text, 8));
    }

    /// Metadata and boilerplate read a Markdown article's lines as the file has them, as
    /// they read a text article's: a marker line right after another line of its
    /// paragraph is set aside alone, with its reason, and the paragraph's lines are joined
    /// only after that. The body's line keys then still give the body's key.
    #[test]
    fn markers_inside_a_markdown_paragraph_are_read_line_by_line() {
        let rules = crate::rules::shipped();
        let text = "أرسلت روسيا 1500 جندي.\nمادة إعلانية\nكلمات دلالية: النيجر\n[إعلان 3]\nوغادر 95 جنديا.\nالصورة: جنود في نيامي.\nوقتل 40 شخصا.\nالمصدر: وكالة أ\nوأصيب 65 شخصا.\nإقرأ أيضاً: خبر\nخبر آخر\n";
        let read = |name: &str| {
            parse(
                name,
                name,
                text.as_bytes().to_vec(),
                rules,
                ReadOptions::default(),
            )
            .unwrap()
            .0
        };
        let aside = |d: &Document| -> Vec<(&str, String)> {
            d.excluded
                .iter()
                .map(|e| (&text[e.span.clone()], e.reason.clone()))
                .collect()
        };
        let (md, txt) = (read("a.md"), read("a.txt"));
        assert_eq!(
            aside(&md),
            [
                ("مادة إعلانية", "advertisement".to_string()),
                ("كلمات دلالية: النيجر", "keyword line (كلمات دلالية)".into()),
                ("[إعلان 3]", "ad slot".into()),
                ("الصورة: جنود في نيامي.", "photo caption (الصورة: …)".into()),
                ("المصدر: وكالة أ", "metadata: outlet".into()),
                (
                    "إقرأ أيضاً: خبر\nخبر آخر",
                    "related stories (إقرأ أيضاً)".into()
                ),
            ]
        );
        assert_eq!(aside(&md), aside(&txt));
        // The story's words are kept, in place, and only they; the paragraph is one line,
        // the title as a Markdown article's first paragraph gives it.
        let words = |d: &Document| d.body.split_whitespace().collect::<Vec<_>>().join(" ");
        let story = "أرسلت روسيا 1500 جندي. وغادر 95 جنديا. وقتل 40 شخصا. وأصيب 65 شخصا.";
        assert_eq!(words(&md), story);
        assert_eq!((md.outlet.as_str(), md.title.as_str()), ("وكالة أ", story));
        assert_eq!(words(&md), words(&txt));
        assert_eq!(md.body.len(), text.len());
        assert_eq!(md.body.matches('\n').count(), 1, "{:?}", md.body);
        assert_eq!(
            normalize::joined_lines(&md.body, md.line_keys.clone()),
            normalize::normalize(&md.body)
        );

        // A marker in a list item, its lazy continuation line, or a heading is read
        // without the Markdown syntax.
        let text = "أرسلت روسيا 1500 جندي.\n\n- كلمات دلالية: النيجر\nمادة إعلانية\n- الصورة: جنود.\n\n## إقرأ أيضاً\n\nخبر\n";
        let (md, _) = parse(
            "b.md",
            "b.md",
            text.as_bytes().to_vec(),
            rules,
            ReadOptions::default(),
        )
        .unwrap();
        let reasons: Vec<(&str, &str)> = md
            .excluded
            .iter()
            .map(|e| (&text[e.span.clone()], e.reason.as_str()))
            .collect();
        assert_eq!(
            reasons,
            [
                ("- كلمات دلالية: النيجر", "keyword line (كلمات دلالية)"),
                ("مادة إعلانية", "advertisement"),
                ("- الصورة: جنود.", "photo caption (الصورة: …)"),
                ("## إقرأ أيضاً\n\nخبر", "related stories (إقرأ أيضاً)"),
            ]
        );
        assert_eq!(md.body.trim(), "أرسلت روسيا 1500 جندي.");
    }

    /// Text inside raw HTML is the article's: only the tags, comments and scripts go.
    #[test]
    fn text_inside_raw_html_is_kept_and_its_tags_blanked() {
        let text = "وصل 1100 جندي.\n\n<br>\nوصل 2100 جندي.\n\n<p align=\"right\">\nوصل 3100 جندي.\n</p>\n\nقتل <b>40</b> شخصا.<!-- ملاحظة 99 --><script>var n = 7;</script>\n\n<div>\n<!--\nملاحظة 98\n-->\n<script>\nvar m = 8;\n</script>\n</div>\n";
        let m = masked(mask_markdown, text, 0);
        assert_eq!(m.len(), text.len());
        for kept in [
            "وصل 1100 جندي.",
            "وصل 2100 جندي.",
            "وصل 3100 جندي.",
            "قتل ",
            "40",
            " شخصا.",
        ] {
            let at = text.find(kept).unwrap();
            assert_eq!(&m[at..at + kept.len()], kept, "{m:?}");
        }
        for gone in [
            "<br>",
            "<p align",
            "</p>",
            "<b>",
            "</b>",
            "ملاحظة 99",
            "var n",
        ] {
            assert!(!m.contains(gone), "{gone} in {m:?}");
        }
        let tags: Vec<&str> = html_text("<td>١</td> و <em>٢</em><!--x")
            .map(|r| &"<td>١</td> و <em>٢</em><!--x"[r])
            .collect();
        assert_eq!(tags, ["١", " و ", "٢"]);
        assert_eq!(html_text("<p").count(), 0);
        assert_eq!(html_text("نص").next(), Some(0.."نص".len()));
        // A `<` that opens no tag is text; a comment or script never closed ends with its
        // line.
        let text = |html: &'static str| -> String { html_text(html).map(|r| &html[r]).collect() };
        assert_eq!(
            text("<div>قتل <500 جندي و 300 جندي</div>"),
            "قتل <500 جندي و 300 جندي"
        );
        assert_eq!(text("a < b"), "a < b");
        assert_eq!(text("<!-- إعلان\nوصل 300 جندي.\n"), "وصل 300 جندي.\n");
        assert_eq!(text("<script>\nوصل 300 جندي."), "وصل 300 جندي.");
        assert_eq!(text("<!-- x -->نص"), "نص");
    }

    /// An inline `<script>` or `<style>` never closed ends with its paragraph: the
    /// paragraphs after it are the article's.
    #[test]
    fn an_unclosed_inline_script_ends_with_its_paragraph() {
        let text = "وصل 1500 جندي <script> x.\n\nغادر 300 جندي.\n\nوصل 200 جندي.\n";
        let m = masked(mask_markdown, text, 0);
        assert!(!m.contains(" x."), "{m:?}");
        for kept in ["وصل 1500 جندي", "غادر 300 جندي.", "وصل 200 جندي."] {
            assert!(m.contains(kept), "{kept} lost: {m:?}");
        }
    }

    #[test]
    fn markdown_syntax_is_not_plain_prose() {
        for text in [
            "نص *مهم*",
            "a_b",
            "`x`",
            "[رابط]",
            "<b>",
            "&amp;",
            "a\\b",
            "~~x~~",
            "a | b",
            "# عنوان",
            "نص\n> اقتباس",
            "- بند",
            "+ بند",
            "نص\n===",
            "1. بند",
            "12) بند",
            "    شيفرة",
            "نص\tجدول",
            "a\u{0B}b",
        ] {
            assert!(!is_plain_prose(text), "{text:?}");
        }
        for text in [
            "باماكو - (وكالات)",
            "نسبة 38% في 2024. ثم",
            "سؤال؟ نعم! 1,500 > 1,400",
        ] {
            assert!(is_plain_prose(text), "{text:?}");
        }
    }

    /// [`letter_counts`] as it was written first, one decoded char at a time.
    fn letter_counts_by_char(body: &str) -> (usize, usize) {
        let (mut arabic, mut letters) = (0usize, 0usize);
        for c in body.chars() {
            let (letter, in_arabic) = lang_of_char(c);
            if letter {
                letters += 1;
                arabic += usize::from(in_arabic);
            }
        }
        (arabic, letters)
    }

    proptest::proptest! {
        /// Reading bytes counts the letters as reading chars does, on any text: ASCII,
        /// the whole Arabic block and its neighbours (the two-byte leads 0xD8 and 0xD9
        /// on both sides of the basic letters), presentation forms, any other char.
        #[test]
        fn letters_are_counted_from_bytes_as_from_chars(
            text in crate::normalize::text_from(
                &["[a-z0-9 .,]", "[\u{05F0}-\u{0700}]", "[\u{FB50}-\u{FEFF}]", "\\PC"],
                60,
            )
        ) {
            proptest::prop_assert_eq!(letter_counts(&text), letter_counts_by_char(&text));
        }
    }

    proptest::proptest! {
        /// Whatever the lines, their indents, trailing spaces and blank lines between them,
        /// prose is masked as the parser would mask it.
        #[test]
        fn plain_prose_masking_is_the_parsers(
            lines in proptest::collection::vec(
                " {0,5}([-+#>=]|[0-9]{1,2}[.)]|[ا-يa-z0-9.,:()%!?؟،\u{00A0}\u{0}\u{1}\u{7F}>-]{1,6})( [ا-ي0-9.)\u{00A0}-]{1,5}){0,3} {0,3}| {0,3}",
                0..8,
            ),
            end in "\n?",
        ) {
            let text = lines.join("\n") + &end;
            proptest::prop_assume!(is_plain_prose(&text));
            proptest::prop_assert_eq!(
                masked(mask_markdown, &text, 0),
                masked(mask_parsed, &text, 0)
            );
        }
    }

    #[test]
    fn yaml_front_matter_is_an_error_that_says_to_write_toml() {
        let e = front_matter(
            "a.md",
            "---\ntitle: \"خبر\"\noutlet: الجزيرة\ntags:\n  - مالي\npublished: 2024-04-12\n---\nنص.\n",
        )
        .unwrap_err();
        assert!(
            e.starts_with("a.md:1: front matter between `---` lines (YAML) is not read: lines 1 to 7 would be taken as article text\n  = help: write it as TOML between `+++` lines"),
            "{e}"
        );
        // A rule over ordinary text, or an opening `---` never closed, is Markdown.
        for text in [
            "---\nنص: عن الخبر ثم.\nنص آخر\n---\n",
            "---\ntitle: x\n",
            "---\n---\nنص\n",
        ] {
            assert!(front_matter("a.md", text).is_ok(), "{text}");
        }
    }

    #[test]
    fn control_characters_in_front_matter_values_become_spaces() {
        let (f, _) = front_matter(
            "a.md",
            "+++\ntitle = \"\\u0007x\\u001b[2J\"\noutlet = \"A\\u0000B\"\nstory = \"s\\n1\"\n+++\nنص\n",
        )
        .unwrap();
        assert_eq!(f.title.as_deref(), Some(" x [2J"));
        assert_eq!(f.outlet.as_deref(), Some("A B"));
        assert_eq!(f.story.as_deref(), Some("s 1"));
    }

    /// A fence with spaces or a tab after `+++`, or front matter after blank lines, is
    /// front matter still: read as text, its outlet and date would be lost without a word.
    #[test]
    fn fences_with_trailing_spaces_and_leading_blank_lines_open_front_matter() {
        for text in [
            "+++ \noutlet = \"A\"\n+++\nنص\n",
            "+++\noutlet = \"A\"\n+++\t\nنص\n",
            "\n\n+++\noutlet = \"A\"\n+++\nنص\n",
            "+++\r\noutlet = \"A\"\r\n+++ \r\nنص\n",
        ] {
            let (f, body) = front_matter("a.md", text).unwrap();
            assert_eq!(f.outlet.as_deref(), Some("A"), "{text:?}");
            assert_eq!(&text[body..], "نص\n", "{text:?}");
        }
        // Errors count the blank lines before it.
        let e = front_matter("a.md", "\n\n+++\noutlet = 5\n+++\n").unwrap_err();
        assert!(e.starts_with("a.md:4: front matter:"), "{e}");
        let e = front_matter("a.md", "\n+++\noutlet = \"A\"\n").unwrap_err();
        assert!(e.starts_with("a.md:2: front matter opened with"), "{e}");
        // A file of `+++` alone is text, as before.
        assert_eq!(front_matter("a.md", "+++").unwrap().1, 0);
    }

    /// An outlet's bidi override or isolate control is written out, not obeyed: in a
    /// verdict's reason it would turn the rest of the sentence around.
    #[test]
    fn bidi_controls_in_an_outlet_name_are_shown() {
        assert_eq!(bidi_controls_shown("Evil\u{202e}".into()), "Evil\\u{202e}");
        assert_eq!(
            bidi_controls_shown("a\u{2066}b\u{2069}".into()),
            "a\\u{2066}b\\u{2069}"
        );
        assert_eq!(bidi_controls_shown("وكالة\u{200f}".into()), "وكالة\u{200f}");
    }

    #[test]
    fn unterminated_front_matter_is_an_error() {
        let e = front_matter("a.md", "+++\ntitle = \"x\"\nbody").unwrap_err();
        assert!(
            e.starts_with("a.md:1: front matter opened with `+++` is never closed"),
            "{e}"
        );
    }
}
