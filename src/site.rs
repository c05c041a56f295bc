//! Stage 11, write the site: all files go into a temporary folder beside `--out`, which is
//! then swapped in whole, so a failed or interrupted build leaves the previous site as it was.
//!
//! A page whose bytes are those of the same page in the site it replaces is not written
//! again: the previous site's file is hard-linked into the new site (see [`Sink::put`]).
//! Each page is stamped with its length and hash (`Stamp`), so that a rebuild knows an
//! unchanged page without reading the previous one back from the disk.
//! A rebuild after a small change then writes only what changed, keeps the unchanged
//! files' modification times (so `rsync` and web servers see what changed), and spares
//! ext4 the cost of creating tens of thousands of files where it has just deleted as many
//! (it scans past recently freed inodes one by one for minutes after a large delete).
//!
//! Larger pages are written by writer threads past the page cache, where the system
//! allows it ([`direct`]), while the build's own threads go on rendering.
//!
//! Never writes outside `--out` (and its temporary siblings); refuses an `--out` that is
//! `/`, the home folder, a repository root, the seeds folder or a folder containing it,
//! and refuses to replace a non-empty folder it did not create (no marker file), or a site
//! holding files it did not write (the marker lists those it wrote), unless forced.

use anyhow::{bail, Context, Result};
use std::path::{Component, Path, PathBuf};

mod direct;

/// The file that marks a folder as written by compare. After its first line it lists
/// the files the build wrote, one a line, after [`LISTED`]: any other file found in the
/// folder is the user's, and the next build refuses to delete it.
pub const MARKER: &str = ".compare-site";

/// The line of the marker file after which the site's files are listed.
const LISTED: &str = "Files it wrote (a build deletes no other file found here without --force):";

/// Absolute, lexically cleaned form of a path that may not exist yet.
fn absolute(p: &Path) -> Result<PathBuf> {
    let base = if p.is_absolute() {
        PathBuf::new()
    } else {
        std::env::current_dir().context("cannot read the current folder")?
    };
    let mut out = PathBuf::new();
    for c in base.join(p).components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            c => out.push(c),
        }
    }
    // Resolve symlinks of the part that exists, so `site -> seeds` and `link/site` are
    // compared by where they really are.
    let mut missing = Vec::new();
    let mut existing = out.as_path();
    loop {
        if let Ok(real) = std::fs::canonicalize(existing) {
            return Ok(missing.iter().rev().fold(real, |p, c| p.join(c)));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                missing.push(name.to_os_string());
                existing = parent;
            }
            _ => return Ok(out),
        }
    }
}

/// Names that mark a folder as a repository or project: never replaced, even forced.
const PROJECT_MARKERS: [&str; 4] = [".git", ".hg", ".svn", "Cargo.toml"];

/// The first folder at or under `dir` that is a repository or project, without following
/// symbolic links (replacing `dir` removes links, not what they point to).
fn repository_in(dir: &Path) -> Option<PathBuf> {
    if PROJECT_MARKERS
        .iter()
        .any(|m| std::fs::symlink_metadata(dir.join(m)).is_ok())
    {
        return Some(dir.to_path_buf());
    }
    std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .find_map(|e| repository_in(&e.path()))
}

/// Check that `out` is a folder compare may replace: not `/`, not the home folder or a
/// folder containing it, not the seeds folder, a folder containing it or a folder inside
/// it, not a folder containing the rules file, not the current folder or a folder
/// containing it, not a repository or a folder containing one, not a file; and, unless
/// `force`, empty or written by compare before.
pub fn check_out(out: &Path, seeds: &Path, rules: &Path, force: bool) -> Result<()> {
    let abs = absolute(out)?;
    let seeds_abs = absolute(seeds)?;
    let rules_abs = absolute(rules)?;
    let shown = out.display();
    let own = "\n  = help: pass --out with a folder of its own, such as site";
    if abs.parent().is_none() {
        bail!("refusing to write the site to {shown}: it is the file system root{own}");
    }
    let home = std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .and_then(|h| absolute(Path::new(&h)).ok());
    if let Some(home) = &home {
        if home == &abs {
            bail!("refusing to write the site to {shown}: it is the home folder{own}");
        }
        if home.starts_with(&abs) {
            bail!(
                "refusing to write the site to {shown}: it contains the home folder {}{own}",
                home.display()
            );
        }
    }
    if seeds_abs.starts_with(&abs) {
        bail!("refusing to write the site to {shown}: it is or contains the seeds folder {}\n  = help: pass --out with a folder outside the articles", seeds.display());
    }
    if abs.starts_with(&seeds_abs) {
        // `--seeds .` in a project folder, whose articles are in `seeds/`.
        // Named as the listing's warning names that folder.
        let inner = seeds_abs.join("seeds");
        let project = if inner.is_dir() && !abs.starts_with(&inner) {
            format!(
                ", or --seeds {} if the articles are there",
                crate::ingest::shown(seeds, "seeds")
            )
        } else {
            String::new()
        };
        bail!("refusing to write the site to {shown}: it is inside the seeds folder {}, so the next build would read the site as articles\n  = help: pass --out with a folder outside the articles{project}", seeds.display());
    }
    if rules_abs.starts_with(&abs) {
        bail!(
            "refusing to write the site to {shown}: it contains the rules file {}{own}",
            rules.display()
        );
    }
    // A build replaces the folder whole: run from inside it, the shell would be left in a
    // folder that no longer exists, showing no files, with the new site beside it.
    if let Ok(here) = std::env::current_dir()
        .map_err(anyhow::Error::from)
        .and_then(|d| absolute(&d))
    {
        if here.starts_with(&abs) {
            let what = if here == abs {
                "the current folder"
            } else {
                "a folder containing the current folder"
            };
            bail!("refusing to write the site to {shown}: it is {what}, which a build replaces whole, leaving the shell in a deleted folder\n  = help: run compare from outside the site, such as the folder above it, with --out naming the site");
        }
    }
    if !abs.exists() {
        // A folder on the way that is a file cannot hold the site: said now, before the
        // articles are read, rather than as the OS's "File exists" when writing.
        if let Some(file) = abs.ancestors().skip(1).find(|a| a.is_file()) {
            let rel = out
                .ancestors()
                .find(|o| absolute(o).is_ok_and(|a| a == file))
                .map_or_else(|| file.display().to_string(), |o| o.display().to_string());
            bail!("refusing to write the site to {shown}: {rel} is a file, not a folder\n  = help: pass --out with a folder, such as site");
        }
        return Ok(());
    }
    if !abs.is_dir() {
        bail!("refusing to write the site to {shown}: it is a file\n  = help: pass --out with a folder");
    }
    if let Some(found) = repository_in(&abs) {
        if found == abs {
            bail!("refusing to write the site to {shown}: it looks like a repository root{own}");
        }
        let inside = found.strip_prefix(&abs).unwrap_or(&found);
        bail!("refusing to write the site to {shown}: it contains a repository, {}, which replacing it would delete{own}", out.join(inside).display());
    }
    let empty = std::fs::read_dir(&abs)
        .with_context(|| format!("cannot list {shown}"))?
        .next()
        .is_none();
    if !empty && !abs.join(MARKER).exists() && !force {
        bail!("refusing to replace {shown}: it is not empty and was not written by compare (no {MARKER} file)\n  = help: pass --force to replace it, or choose another --out");
    }
    if !force {
        let strangers = not_written_by_compare(&abs);
        if let Some(first) = strangers.first() {
            let name = |rel: &String| crate::diag::file_name(&out.join(rel).display().to_string());
            let more = match strangers.len() - 1 {
                0 => String::new(),
                n => format!(
                    " (and {n} more: {})",
                    strangers[1..]
                        .iter()
                        .take(5)
                        .map(name)
                        .collect::<Vec<_>>()
                        .join(", ")
                        + if n > 5 { ", …" } else { "" }
                ),
            };
            let it = if strangers.len() == 1 { "it" } else { "them" };
            bail!("refusing to replace {shown}: {} was not written by compare{more}, and a build replaces the folder whole, which would delete {it}\n  = help: move {it} out of {shown} (keep your own files beside the site, not in it), or pass --force to delete {it}", name(first));
        }
    }
    Ok(())
}

/// What a site folder holds that the build which wrote it did not write (a note, a folder
/// the user added), by path inside it: files not listed in its marker, and folders that
/// hold no listed file (named as a whole). Empty for a folder whose marker lists nothing
/// (written before compare listed its files, or no marker at all).
fn not_written_by_compare(dir: &Path) -> Vec<String> {
    let Ok(marker) = std::fs::read_to_string(dir.join(MARKER)) else {
        return Vec::new();
    };
    let Some((_, listed)) = marker.split_once(&format!("{LISTED}\n")) else {
        return Vec::new();
    };
    let files: std::collections::HashSet<&str> = listed.lines().collect();
    let folders: std::collections::HashSet<&str> = files
        .iter()
        .flat_map(|f| f.match_indices('/').map(|(i, _)| &f[..i]))
        .collect();
    let mut found = Vec::new();
    let mut todo = vec![String::new()];
    while let Some(rel) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(dir.join(&rel)) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = if rel.is_empty() {
                name
            } else {
                format!("{rel}/{name}")
            };
            let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            if is_dir && folders.contains(path.as_str()) {
                todo.push(path);
            } else if (is_dir || !files.contains(path.as_str())) && path != MARKER {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// The folders a build keeps beside `--out` while it runs: `.site.compare-new-PID` (the
/// site being written) and `.site.compare-old-PID` (the previous site, between the two
/// renames of the swap).
struct Siblings {
    parent: PathBuf,
    name: String,
}

impl Siblings {
    fn of(abs: &Path) -> Result<Siblings> {
        let parent = abs
            .parent()
            .context("output folder has no parent")?
            .to_path_buf();
        let name = abs
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "site".into());
        Ok(Siblings { parent, name })
    }

    fn new_dir(&self, pid: &str) -> PathBuf {
        self.parent
            .join(format!(".{}.compare-new-{pid}", self.name))
    }

    fn old_dir(&self, pid: &str) -> PathBuf {
        self.parent
            .join(format!(".{}.compare-old-{pid}", self.name))
    }

    /// Left-over folders of earlier builds: (kind, pid), kind `new` or `old`.
    fn found(&self) -> Vec<(&'static str, String)> {
        let Ok(entries) = std::fs::read_dir(&self.parent) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for entry in entries.flatten() {
            let file = entry.file_name().to_string_lossy().into_owned();
            let Some(rest) = file
                .strip_prefix('.')
                .and_then(|f| f.strip_prefix(self.name.as_str()))
            else {
                continue;
            };
            for kind in ["new", "old"] {
                if let Some(pid) = rest.strip_prefix(&format!(".compare-{kind}-")) {
                    if !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()) {
                        out.push((kind, pid.to_string()));
                    }
                }
            }
        }
        out.sort();
        out
    }

    /// Whether the build that made `.site.compare-new-PID` still runs: it holds a lock on
    /// the marker file inside for as long as it runs, and the system releases the lock
    /// when it dies, however it dies. A folder without a marker is a build that has just
    /// begun, or one that died at once: it counts as running for a minute.
    fn running(&self, pid: &str) -> bool {
        let dir = self.new_dir(pid);
        let marker = dir.join(MARKER);
        match std::fs::File::open(&marker) {
            Ok(f) => match f.try_lock() {
                Ok(()) => false,
                Err(std::fs::TryLockError::WouldBlock) => true,
                // No locks on this file system: leave the folder alone.
                Err(std::fs::TryLockError::Error(_)) => true,
            },
            Err(_) => std::fs::metadata(&dir)
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age < std::time::Duration::from_secs(60)),
        }
    }
}

/// Tidy what interrupted builds left beside `out`: remove the half-written sites of
/// builds that no longer run, and when a build died between the two renames of its swap
/// (`out` moved aside, the new site not yet in place), move the previous site back.
/// Returns a warning for each site moved back.
pub fn recover(out: &Path) -> Result<Vec<String>> {
    let abs = absolute(out)?;
    let sib = Siblings::of(&abs)?;
    let mut warnings = Vec::new();
    let found = sib.found();
    for (kind, pid) in &found {
        if sib.running(pid) {
            continue;
        }
        if *kind == "new" {
            let _ = std::fs::remove_dir_all(sib.new_dir(pid));
            continue;
        }
        let old = sib.old_dir(pid);
        if !abs.exists() && std::fs::rename(&old, &abs).is_ok() {
            warnings.push(format!(
                "warning: {} was missing after an interrupted build; the previous site was moved back from {}",
                out.display(),
                match (out.file_name(), old.file_name()) {
                    (Some(_), Some(o)) => out.with_file_name(o).display().to_string(),
                    _ => old.display().to_string(),
                }
            ));
        } else {
            let _ = std::fs::remove_dir_all(&old);
        }
    }
    Ok(warnings)
}

/// Where the pages of a build go: a temporary folder beside `--out`, swapped in whole when
/// every page is written. Safe to share between threads: pages are written in parallel.
pub struct Sink {
    dir: PathBuf,
    /// The site being replaced, whose unchanged files are linked rather than written.
    prev: Option<PathBuf>,
    /// Files written, and how many of them were the previous site's, linked.
    files: std::sync::atomic::AtomicU64,
    kept: std::sync::atomic::AtomicU64,
    /// Of the files linked, how many were known unchanged by their [`Stamp`], unread.
    unread: std::sync::atomic::AtomicU64,
    /// `COMPARE_FAIL_AFTER_WRITE=report.md` fails the build right after writing that
    /// file, to test that a failed build leaves the previous site as it was.
    fail_after: Option<String>,
    /// `COMPARE_STALL_AFTER_WRITE=report.md` stops the build right after writing that
    /// file (`(swap)`: between the two renames) until it is killed or interrupted, so a
    /// test can stop a build at a known point.
    stall_after: Option<String>,
    /// Set when the file system refused a [`Stamp`]: no other file is stamped.
    unstamped: std::sync::atomic::AtomicBool,
    /// Set when direct writes ([`direct`]) do not suit the file system, or it refused
    /// one: every other file is written through the page cache.
    buffered: std::sync::atomic::AtomicBool,
    /// Pages for the writer threads ([`Writers`]) to write, while the build has them.
    queue: std::sync::Mutex<Option<std::sync::mpsc::SyncSender<Job>>>,
    /// Buffers the writers are done with, for the next pages.
    spare: std::sync::Mutex<Vec<Vec<u8>>>,
    /// The first error of a writer thread; set, the build stops at the next page.
    failed: std::sync::Mutex<Option<anyhow::Error>>,
    /// Nanoseconds the build's threads spent writing files, for `--timings`.
    busy: std::sync::atomic::AtomicU64,
    /// Files the writer threads wrote past the page cache.
    direct: std::sync::atomic::AtomicU64,
    /// The folders made so far: most pages go to a few folders, which need not be made
    /// (two system calls each) for every page.
    made: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
    /// Every file written, by path inside the site: listed in the marker file.
    names: std::sync::Mutex<Vec<String>>,
    /// The files so far, written or linked, for the build's progress line.
    counted: crate::progress::Files,
}

impl Sink {
    fn path(&self, rel: &str) -> Result<PathBuf> {
        // Paths come from our own renderer, but check anyway: nothing may escape the folder.
        let rel_path = Path::new(rel);
        if rel.is_empty()
            || rel_path
                .components()
                .any(|c| !matches!(c, Component::Normal(_)))
        {
            bail!("internal error: refusing to write outside the site: {rel}");
        }
        let path = self.dir.join(rel_path);
        if let Some(p) = path.parent() {
            // A poisoned lock only means another thread panicked: the set is still right.
            let mut made = self.made.lock().unwrap_or_else(|e| e.into_inner());
            if !made.contains(p) {
                std::fs::create_dir_all(p)
                    .with_context(|| format!("cannot create {}", p.display()))?;
                made.insert(p.to_path_buf());
            }
        }
        Ok(path)
    }

    /// One more file of the site, written or linked: for [`Written`] and for the
    /// build's progress line.
    fn one_more(&self) {
        self.files
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.counted.wrote();
    }

    fn written(&self, rel: &str) -> Result<()> {
        self.names
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(rel.to_string());
        if self.fail_after.as_deref() == Some(rel) {
            bail!("injected write failure after {rel} (COMPARE_FAIL_AFTER_WRITE)");
        }
        self.stall(rel);
        // Ctrl-C: the build stops before its next file, and `write` removes this folder.
        crate::interrupt::check()?;
        Ok(())
    }

    /// At the stall point, wait until the build is killed or interrupted.
    fn stall(&self, at: &str) {
        if self.stall_after.as_deref() == Some(at) {
            while !crate::interrupt::requested() {
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
        }
    }

    /// Write one file of the site. When the site being replaced has this file with these
    /// very bytes, its file is linked into the new site instead.
    pub fn put(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        self.put_parts(rel, &[bytes])
    }

    /// Write one file of the site from its parts, in order, as one write where the system
    /// allows: a page's parts need not be joined in memory first. As [`Sink::put`], an
    /// unchanged file is linked from the previous site.
    pub fn put_parts(&self, rel: &str, parts: &[&[u8]]) -> Result<()> {
        use std::io::{IoSlice, Write as _};
        let t = std::time::Instant::now();
        let path = self.path(rel)?;
        self.one_more();
        let stamp = Stamp::of(parts);
        if self.keep_same(rel, &path, parts, &stamp) {
            self.count(t);
            return self.written(rel);
        }
        if self.queued(rel, &path, parts, &stamp)? {
            self.count(t);
            return Ok(());
        }
        let cannot = || format!("cannot write {}", path.display());
        let mut file = create(&path).with_context(cannot)?;
        let mut slices: Vec<IoSlice> = parts.iter().map(|p| IoSlice::new(p)).collect();
        let mut left: &mut [IoSlice] = &mut slices;
        while !left.is_empty() {
            match file.write_vectored(left) {
                Ok(0) => {
                    return Err(std::io::Error::from(std::io::ErrorKind::WriteZero))
                        .with_context(cannot)
                }
                Ok(n) => IoSlice::advance_slices(&mut left, n),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e).with_context(cannot),
            }
        }
        self.stamp(&file, &stamp);
        self.count(t);
        self.written(rel)
    }

    /// Hand a page to the writer threads, to be written past the page cache
    /// ([`direct`]); whether it did. A small page, any page once the file system has
    /// refused a direct write, and any outside [`write`]'s writers, are left to the
    /// caller to write.
    fn queued(&self, rel: &str, path: &Path, parts: &[&[u8]], stamp: &Stamp) -> Result<bool> {
        use std::sync::atomic::Ordering::Relaxed;
        if let Some(e) = &*self.failed.lock().unwrap_or_else(|e| e.into_inner()) {
            bail!("stopped: {e:#}");
        }
        if stamp.len < direct::MIN_LEN || self.buffered.load(Relaxed) {
            return Ok(false);
        }
        let Some(queue) = self.queue.lock().unwrap_or_else(|e| e.into_inner()).clone() else {
            return Ok(false);
        };
        let buf = self
            .spare
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .pop()
            .unwrap_or_default();
        let job = Job {
            rel: rel.to_string(),
            path: path.to_path_buf(),
            block: direct::Block::new(buf, parts),
            stamp: *stamp,
        };
        // The writers stop only once the queue is closed, after the last page.
        queue
            .send(job)
            .map_err(|_| anyhow::anyhow!("internal error: the writer threads stopped"))?;
        Ok(true)
    }

    /// A writer thread: write the queue's pages until it is closed. After an error the
    /// rest are taken and dropped, so that no page waits for a place in the queue.
    fn drain(&self, jobs: &std::sync::Mutex<std::sync::mpsc::Receiver<Job>>) {
        loop {
            let job = jobs.lock().unwrap_or_else(|e| e.into_inner()).recv();
            let Ok(job) = job else {
                return;
            };
            let stopped = self
                .failed
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .is_some();
            if !stopped {
                if let Err(e) = self.write_job(&job) {
                    self.failed
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .get_or_insert(e);
                }
            }
            self.spare
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(job.block.into_buf());
        }
    }

    /// Write one page of the queue: direct, or the usual way where that is refused.
    fn write_job(&self, job: &Job) -> Result<()> {
        use std::io::Write as _;
        let cannot = || format!("cannot write {}", job.path.display());
        let mut file = create(&job.path).with_context(cannot)?;
        if job.block.write(&file).with_context(cannot)? {
            self.direct
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        } else {
            self.buffered
                .store(true, std::sync::atomic::Ordering::Relaxed);
            file.write_all(job.block.bytes()).with_context(cannot)?;
        }
        self.stamp(&file, &job.stamp);
        self.written(&job.rel)
    }

    /// Record on a file just written what its bytes were ([`Stamp`]), for the next build.
    /// Best effort: a file system without extended attributes only means the next build
    /// reads the file back, and after the first refusal no other file is tried.
    fn stamp(&self, file: &std::fs::File, stamp: &Stamp) {
        use std::sync::atomic::Ordering::Relaxed;
        if self.unstamped.load(Relaxed) {
            return;
        }
        let set = file.metadata().is_ok_and(|m| stamp.put(file, &m));
        if !set {
            self.unstamped.store(true, Relaxed);
        }
    }

    /// Link the previous site's `rel` to `path` if its bytes are `parts`, joined (whose
    /// [`Stamp`] is `stamp`); whether it did. Anything unexpected (no previous site, no
    /// such file, another size or content, a link, a file system without hard links)
    /// means the file is written.
    ///
    /// A previous file that carries a stamp still true of it (its size and modification
    /// time those the stamp records) is not read: the stamp's hash stands for its bytes.
    /// Otherwise (no stamp, as after a `git clone` or a copy without extended attributes;
    /// a file changed since it was written) every byte is compared.
    fn keep_same(&self, rel: &str, path: &Path, parts: &[&[u8]], stamp: &Stamp) -> bool {
        let Some(prev) = &self.prev else {
            return false;
        };
        let old = prev.join(rel);
        // The size first, from the folder entry: a changed page usually has another.
        let Some((mut file, meta)) = open_previous(&old, Some(stamp.len)) else {
            return false;
        };
        match Stamp::read(&file, &meta) {
            Some(hash) if hash == stamp.hash => {
                let linked = self.link(&old, path, &meta);
                if linked {
                    self.unread
                        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
                return linked;
            }
            Some(_) => return false,
            None => {}
        }
        let len = stamp.len as usize;
        let mut bytes = Vec::with_capacity(len);
        if std::io::Read::read_to_end(&mut file, &mut bytes).is_err() || bytes.len() != len {
            return false;
        }
        let mut rest = bytes.as_slice();
        for part in parts {
            let (head, tail) = rest.split_at(part.len());
            if head != *part {
                return false;
            }
            rest = tail;
        }
        if !self.link(&old, path, &meta) {
            return false;
        }
        // Now known to hold these bytes: stamped, the next build need not read it. Only
        // its attribute changes, never its bytes or time; if it cannot be stamped (not
        // this build's file, say), it is read again next time.
        if !self.unstamped.load(std::sync::atomic::Ordering::Relaxed) {
            stamp.put(&file, &meta);
        }
        true
    }

    /// Hard-link `old`, whose open file's metadata is `read`, to `new`; whether `new` is
    /// now that very file. The check after the link makes sure the link is the regular
    /// file whose bytes were compared, not a symbolic link or a file put there since.
    fn link(&self, old: &Path, new: &Path, read: &std::fs::Metadata) -> bool {
        if !same_file_linked(old, new, read) {
            return false;
        }
        self.kept.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        true
    }

    fn count(&self, since: std::time::Instant) {
        let nanos = u64::try_from(since.elapsed().as_nanos()).unwrap_or(u64::MAX);
        self.busy
            .fetch_add(nanos, std::sync::atomic::Ordering::Relaxed);
    }

    /// Stream one file of the site through `fill` (for report.json, which is large). The
    /// writer is a concrete type, not `dyn Write`: a serialiser writes a few bytes at a
    /// time, and each write is then an inlined copy into the buffer, not a virtual call.
    ///
    /// While the bytes match the previous site's file, nothing is written; at the first
    /// byte that differs, the file is created with the matching start copied from the
    /// previous file. When every byte matches, the previous file is linked, as in
    /// [`Sink::put`].
    pub fn stream(
        &self,
        rel: &str,
        fill: impl FnOnce(&mut std::io::BufWriter<Streamed>) -> Result<()>,
    ) -> Result<()> {
        let t = std::time::Instant::now();
        let path = self.path(rel)?;
        self.one_more();
        let cannot = || format!("cannot write {}", path.display());
        let old = self.prev.as_ref().map(|p| p.join(rel));
        let direct = !self.buffered.load(std::sync::atomic::Ordering::Relaxed);
        let streamed = Streamed::new(path.clone(), old.as_deref(), direct).with_context(cannot)?;
        let mut w = std::io::BufWriter::with_capacity(1 << 20, streamed);
        fill(&mut w)?;
        let streamed = w
            .into_inner()
            .map_err(|e| e.into_error())
            .with_context(cannot)?;
        if let Some((old, read)) = streamed.finish().with_context(cannot)? {
            if !self.link(&old, &path, &read) {
                let mut from = std::fs::File::open(&old).with_context(cannot)?;
                std::io::copy(&mut from, &mut create(&path).with_context(cannot)?)
                    .with_context(cannot)?;
            }
        }
        self.count(t);
        self.written(rel)
    }

    /// How many files the build wrote, how many of them it linked unchanged from the
    /// previous site, and how many of those it knew by their stamps.
    fn tally(&self) -> (u64, u64, u64) {
        use std::sync::atomic::Ordering::Relaxed;
        (
            self.files.load(Relaxed),
            self.kept.load(Relaxed),
            self.unread.load(Relaxed),
        )
    }
}

/// The previous site's file at `old`, open, with its metadata, if it is a regular file
/// (not a symbolic link) of `len` bytes when a length is given.
fn open_previous(old: &Path, len: Option<u64>) -> Option<(std::fs::File, std::fs::Metadata)> {
    let m = std::fs::symlink_metadata(old).ok()?;
    if !m.is_file() || len.is_some_and(|l| l != m.len()) {
        return None;
    }
    let file = std::fs::File::open(old).ok()?;
    let read = file.metadata().ok()?;
    Some((file, read))
}

/// The extended attribute in which a page records its [`Stamp`].
const STAMP: &str = "user.compare.page";

/// What a page of the site was when it was written: its length and a 128-bit hash of its
/// bytes (XXH3), kept in an extended attribute ([`STAMP`]) with the file's modification
/// time. The next build then knows whether the page it renders is the one already there
/// without reading it, which matters when the previous site is no longer in memory (a
/// 100 000-article site is about 4 GB). The stamp is believed only while the file's size
/// and modification time are those it records: a file changed in place since gets a new
/// time, and is read and compared byte by byte. A copy that keeps extended attributes
/// and times (`cp -a`) keeps the bytes too, so its stamps stay true; one that keeps
/// neither (`git clone`) has none.
#[derive(Clone, Copy)]
struct Stamp {
    len: u64,
    hash: u128,
}

impl Stamp {
    fn of(parts: &[&[u8]]) -> Stamp {
        let mut h = xxhash_rust::xxh3::Xxh3Default::new();
        for p in parts {
            h.update(p);
        }
        Stamp {
            len: parts.iter().map(|p| p.len() as u64).sum(),
            hash: h.digest128(),
        }
    }

    /// The attribute's value for a file of these bytes whose metadata, once written, is
    /// `meta`: a version byte, then the hash, length, seconds and nanoseconds of the
    /// modification time, little-endian. `None` when the file has no such time.
    fn encode(&self, meta: &std::fs::Metadata) -> Option<Vec<u8>> {
        let (secs, nanos) = mtime(meta)?;
        let mut v = Vec::with_capacity(STAMP_LEN);
        v.push(STAMP_VERSION);
        v.extend_from_slice(&self.hash.to_le_bytes());
        v.extend_from_slice(&self.len.to_le_bytes());
        v.extend_from_slice(&secs.to_le_bytes());
        v.extend_from_slice(&nanos.to_le_bytes());
        Some(v)
    }

    /// Stamp `file`, whose metadata is `meta`; whether the file system took it.
    fn put(&self, file: &std::fs::File, meta: &std::fs::Metadata) -> bool {
        self.encode(meta)
            .is_some_and(|v| xattr::FileExt::set_xattr(file, STAMP, &v).is_ok())
    }

    /// The hash a file's stamp vouches for, if it has one and it is still true of the
    /// file (`meta` its metadata): same length, same modification time.
    fn read(file: &std::fs::File, meta: &std::fs::Metadata) -> Option<u128> {
        let v = xattr::FileExt::get_xattr(file, STAMP).ok()??;
        if v.len() != STAMP_LEN || v[0] != STAMP_VERSION {
            return None;
        }
        let hash = u128::from_le_bytes(v[1..17].try_into().ok()?);
        let len = u64::from_le_bytes(v[17..25].try_into().ok()?);
        let secs = u64::from_le_bytes(v[25..33].try_into().ok()?);
        let nanos = u32::from_le_bytes(v[33..37].try_into().ok()?);
        (len == meta.len() && mtime(meta)? == (secs, nanos)).then_some(hash)
    }
}

const STAMP_VERSION: u8 = 1;
const STAMP_LEN: usize = 1 + 16 + 8 + 8 + 4;

/// A file's modification time as seconds and nanoseconds since 1970, if it has one.
fn mtime(meta: &std::fs::Metadata) -> Option<(u64, u32)> {
    let d = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    Some((d.as_secs(), d.subsec_nanos()))
}

/// Create a new file at `path`. A file already there is removed first, never truncated:
/// it may be a link to the previous site's file, which must stay as it was until the swap.
fn create(path: &Path) -> std::io::Result<std::fs::File> {
    let new = || {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
    };
    match new() {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            std::fs::remove_file(path)?;
            new()
        }
        other => other,
    }
}

/// Hard-link `old` to `new` and check that `new` is now the regular file `read` describes
/// (same device and inode); if not, remove what the link made. On systems without inode
/// numbers nothing is linked.
fn same_file_linked(old: &Path, new: &Path, read: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        if std::fs::hard_link(old, new).is_err() {
            return false;
        }
        match std::fs::symlink_metadata(new) {
            Ok(m) if m.is_file() && m.dev() == read.dev() && m.ino() == read.ino() => true,
            _ => {
                let _ = std::fs::remove_file(new);
                false
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (old, new, read);
        false
    }
}

/// The writer of a streamed file ([`Sink::stream`]): compares what it is given with the
/// previous site's file and writes nothing until the first difference.
pub struct Streamed {
    path: PathBuf,
    /// Whether to write it past the page cache ([`direct`]).
    direct: bool,
    state: Stream,
}

enum Stream {
    /// Every byte so far matched the previous file (`old`, open, `read` its metadata):
    /// `matched` bytes.
    Same {
        old_path: PathBuf,
        old: std::io::BufReader<std::fs::File>,
        read: Box<std::fs::Metadata>,
        matched: u64,
        scratch: Vec<u8>,
    },
    Writing(direct::Writer),
}

impl Streamed {
    /// Compare with the previous file `old` if there is one; written, direct if `direct`.
    fn new(path: PathBuf, old: Option<&Path>, direct: bool) -> std::io::Result<Streamed> {
        let same = old.and_then(|old_path| {
            let (file, read) = open_previous(old_path, None)?;
            Some(Stream::Same {
                old_path: old_path.to_path_buf(),
                old: std::io::BufReader::with_capacity(1 << 20, file),
                read: Box::new(read),
                matched: 0,
                scratch: Vec::new(),
            })
        });
        let state = match same {
            Some(s) => s,
            None => Stream::Writing(direct::Writer::new(create(&path)?, direct)),
        };
        Ok(Streamed {
            path,
            direct,
            state,
        })
    }

    /// Leave comparing: create the file with the `matched` bytes it shares with the
    /// previous file, copied from it.
    fn diverge(&mut self) -> std::io::Result<&mut direct::Writer> {
        if let Stream::Same {
            old_path, matched, ..
        } = &self.state
        {
            let from = std::fs::File::open(old_path)?;
            let mut file = direct::Writer::new(create(&self.path)?, self.direct);
            let copied = std::io::copy(&mut std::io::Read::take(from, *matched), &mut file)?;
            if copied != *matched {
                return Err(std::io::Error::other(format!(
                    "{} changed while it was read",
                    old_path.display()
                )));
            }
            self.state = Stream::Writing(file);
        }
        match &mut self.state {
            Stream::Writing(file) => Ok(file),
            Stream::Same { .. } => Err(std::io::Error::other("internal error: still comparing")),
        }
    }

    /// The end of the stream: the previous file and its metadata when every byte
    /// matched it, for the caller to link; `None` when the file was written.
    fn finish(mut self) -> std::io::Result<Option<(PathBuf, std::fs::Metadata)>> {
        use std::io::Read as _;
        if let Stream::Same { old, .. } = &mut self.state {
            let mut one = [0u8; 1];
            if !matches!(old.read(&mut one), Ok(0)) {
                // The previous file is longer (or cannot be read): write this one.
                self.diverge()?;
            }
        }
        match self.state {
            Stream::Same { old_path, read, .. } => Ok(Some((old_path, *read))),
            Stream::Writing(file) => file.finish().map(|_| None),
        }
    }
}

impl std::io::Write for Streamed {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        use std::io::Read as _;
        // Ctrl-C: report.json, gigabytes at 100 000 articles, stops at its next megabyte.
        if crate::interrupt::requested() {
            return Err(std::io::Error::other(crate::interrupt::Interrupted));
        }
        if let Stream::Same {
            old,
            matched,
            scratch,
            ..
        } = &mut self.state
        {
            scratch.resize(buf.len(), 0);
            // A shorter previous file, or one that cannot be read, is a difference.
            if old.read_exact(scratch).is_ok() && scratch[..] == *buf {
                *matched += buf.len() as u64;
                return Ok(buf.len());
            }
        }
        self.diverge()?.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.state {
            Stream::Writing(file) => file.flush(),
            Stream::Same { .. } => Ok(()),
        }
    }
}

/// Remove a folder and everything in it, its files on every core: a large site has tens
/// of thousands of files, and unlinking them one by one is a serial tail to the build.
/// Links are removed, never followed. Best effort: it removes a replaced site or a failed
/// build's folder, never the site in place, so what cannot be removed is left (the next
/// build removes a failed build's folder again, see [`recover`]).
fn remove_tree(dir: &Path) {
    use rayon::prelude::*;
    let mut files = Vec::new();
    // A folder's marker goes last, with the folder: a removal cut short leaves it, and
    // the next build, finding it unlocked, removes the rest at once (`recover`).
    let marker = dir.join(MARKER);
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(d) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            match e.file_type() {
                Ok(t) if t.is_dir() => dirs.push(e.path()),
                _ if e.path() == marker => {}
                _ => files.push(e.path()),
            }
        }
    }
    files.par_iter().for_each(|f| {
        let _ = std::fs::remove_file(f);
    });
    let _ = std::fs::remove_dir_all(dir);
}

/// Build the site with `fill` into a temporary folder, then swap it in place of `out`.
/// When `fill` or any write fails, the temporary folder is removed and `out` is untouched.
/// Call [`recover`] first: this removes only its own temporary folders.
/// Returns the time threads spent writing (summed over threads) and how many files were
/// written and kept from the previous site.
pub fn write(
    out: &Path,
    counted: crate::progress::Files,
    fill: impl FnOnce(&Sink) -> Result<()>,
) -> Result<Written> {
    let abs = absolute(out)?;
    let sib = Siblings::of(&abs)?;
    std::fs::create_dir_all(&sib.parent)
        .with_context(|| format!("cannot create {}", sib.parent.display()))?;
    let pid = std::process::id().to_string();
    let tmp = sib.new_dir(&pid);
    let old = sib.old_dir(&pid);
    let _ = std::fs::remove_dir_all(&tmp);
    let sink = Sink {
        dir: tmp.clone(),
        prev: abs.is_dir().then(|| abs.clone()),
        files: Default::default(),
        kept: Default::default(),
        unread: Default::default(),
        unstamped: Default::default(),
        buffered: Default::default(),
        queue: Default::default(),
        spare: Default::default(),
        failed: Default::default(),
        fail_after: std::env::var("COMPARE_FAIL_AFTER_WRITE").ok(),
        stall_after: std::env::var("COMPARE_STALL_AFTER_WRITE").ok(),
        busy: std::sync::atomic::AtomicU64::new(0),
        direct: Default::default(),
        made: Default::default(),
        names: Default::default(),
        counted,
    };
    // The marker comes first and stays locked while this build runs: a later build that
    // finds this folder can tell a running build from a dead one (see `recover`).
    let marker = std::fs::create_dir_all(&tmp)
        .with_context(|| format!("cannot create {}", tmp.display()))
        .and_then(|()| {
            let path = tmp.join(MARKER);
            let mut f = std::fs::File::create(&path)
                .with_context(|| format!("cannot write {}", path.display()))?;
            // Without locks (some network file systems) a crash only leaves a folder for
            // the user to remove.
            let _ = f.try_lock();
            std::io::Write::write_all(
                &mut f,
                b"This folder is written by `compare build` and replaced whole on every build.\n",
            )
            .with_context(|| format!("cannot write {}", path.display()))?;
            Ok(f)
        });
    let mut tail = std::time::Duration::ZERO;
    let written = marker.and_then(|mut lock| {
        if !direct::suits(&lock) {
            sink.buffered
                .store(true, std::sync::atomic::Ordering::Relaxed);
        }
        tail = Writers::run(&sink, fill)?;
        // The files written, for the next build to tell the user's own from them.
        let mut names = std::mem::take(&mut *sink.names.lock().unwrap_or_else(|e| e.into_inner()));
        names.sort();
        let listed = format!("{LISTED}\n{}\n", names.join("\n"));
        std::io::Write::write_all(&mut lock, listed.as_bytes())
            .with_context(|| format!("cannot write {}", tmp.join(MARKER).display()))?;
        Ok(lock)
    });
    let lock = match written {
        Ok(lock) => lock,
        Err(e) => {
            // A build stopped midway (Ctrl-C, a failed write) may have written most of a
            // large site.
            remove_tree(&tmp);
            return Err(e.context(format!(
                "the site was not written; {} is unchanged",
                out.display()
            )));
        }
    };
    // From here the build finishes, whatever signal comes (see `interrupt`).
    crate::interrupt::swapping();
    let had_old = abs.exists();
    if had_old {
        if let Err(e) = std::fs::rename(&abs, &old) {
            let _ = std::fs::remove_dir_all(&tmp);
            return Err(anyhow::Error::new(e).context(format!(
                "cannot move the old site {} aside; it is unchanged",
                out.display()
            )));
        }
    }
    sink.stall("(swap)");
    if let Err(e) = std::fs::rename(&tmp, &abs) {
        if had_old {
            let _ = std::fs::rename(&old, &abs);
        }
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(anyhow::Error::new(e).context(format!(
            "cannot move the new site into {}; the old site is unchanged",
            out.display()
        )));
    }
    drop(lock);
    let t = std::time::Instant::now();
    if had_old {
        remove_tree(&old);
    }
    sink.count(t);
    let (files, kept, unread) = sink.tally();
    Ok(Written {
        busy: std::time::Duration::from_nanos(sink.busy.load(std::sync::atomic::Ordering::Relaxed)),
        tail,
        direct: sink.direct.load(std::sync::atomic::Ordering::Relaxed),
        files,
        kept,
        unread,
    })
}

/// One page for a writer thread: where it goes, its bytes laid out for a direct write,
/// and its stamp.
struct Job {
    rel: String,
    path: PathBuf,
    block: direct::Block,
    stamp: Stamp,
}

/// The threads that write the site's larger pages past the page cache ([`direct`]),
/// while the build's own threads go on rendering. A direct write waits for the device;
/// on the build's threads, a core would wait with it.
struct Writers;

impl Writers {
    /// How many: a virtual disk takes small writes faster the more of them it is given
    /// at once (40 KB files, direct: about 700 MB/s from 4 threads, 1 100 from 8, 1 200
    /// from 16), and a 100k build with 8 writers took 22.5–23.4 s where it took
    /// 25.0–25.5 s with 4 (docs/benchmark-history.md, "Direct writes").
    const THREADS: usize = 8;
    /// Pages waiting at most: a few megabytes.
    const QUEUE: usize = 32;

    /// Run `fill` with writer threads taking `sink`'s larger pages; done when every
    /// page is written, with the time the build then waited for the writers. The first
    /// error, of `fill` or a writer, is the build's.
    fn run(sink: &Sink, fill: impl FnOnce(&Sink) -> Result<()>) -> Result<std::time::Duration> {
        /// Closes the queue when `fill` is done, or panics: the writers then finish.
        struct Close<'a>(&'a Sink);
        impl Drop for Close<'_> {
            fn drop(&mut self) {
                *self.0.queue.lock().unwrap_or_else(|e| e.into_inner()) = None;
            }
        }
        let (send, receive) = std::sync::mpsc::sync_channel(Self::QUEUE);
        *sink.queue.lock().unwrap_or_else(|e| e.into_inner()) = Some(send);
        let receive = std::sync::Mutex::new(receive);
        let mut waited = std::time::Instant::now();
        let filled = std::thread::scope(|scope| {
            for _ in 0..Self::THREADS {
                scope.spawn(|| sink.drain(&receive));
            }
            let close = Close(sink);
            let filled = fill(sink);
            drop(close);
            waited = std::time::Instant::now();
            // The writers finish the queue (joined as the scope ends): the build waits.
            filled
        });
        // A writer's error first: the build's own error may only say it stopped for it.
        match sink.failed.lock().unwrap_or_else(|e| e.into_inner()).take() {
            Some(e) => Err(e),
            None => filled.map(|()| waited.elapsed()),
        }
    }
}

/// What [`write`] did.
#[derive(Debug, Clone, Copy)]
pub struct Written {
    /// Time the build's threads spent in the file system, summed over threads.
    pub busy: std::time::Duration,
    /// Time the build waited for the writer threads after its last page.
    pub tail: std::time::Duration,
    /// Files the writer threads wrote past the page cache.
    pub direct: u64,
    /// Files in the new site, and how many of them were linked unchanged from the site
    /// it replaced.
    pub files: u64,
    pub kept: u64,
    /// Of the files kept, how many were known unchanged by their stamps, without reading
    /// them back.
    pub unread: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Build a site at `out` with these files, each `put` in two parts and `stream`ed in
    /// chunks of 3 bytes (the files' names say which); what `write` did.
    fn site(out: &Path, files: &[(&str, &[u8])]) -> Written {
        write(out, crate::progress::Files::hidden(), |sink| {
            for (rel, bytes) in files {
                if rel.starts_with("stream") {
                    sink.stream(rel, |w| {
                        for chunk in bytes.chunks(3) {
                            std::io::Write::write_all(w, chunk)?;
                            std::io::Write::flush(w)?;
                        }
                        Ok(())
                    })?;
                } else {
                    let (a, b) = bytes.split_at(bytes.len() / 2);
                    sink.put_parts(rel, &[a, b])?;
                }
            }
            Ok(())
        })
        .expect("site written")
    }

    #[cfg(unix)]
    fn inode(p: &Path) -> u64 {
        std::os::unix::fs::MetadataExt::ino(&std::fs::symlink_metadata(p).expect("file"))
    }

    /// A rebuild links the files whose bytes are unchanged and writes the others, whether
    /// they differ at the start, in the middle, at the end, or in length; what it writes
    /// is byte for byte what a first build writes, and the previous files are never
    /// changed in place.
    #[cfg(unix)]
    #[test]
    fn a_rebuild_links_unchanged_files_and_writes_the_rest() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let out = tmp.path().join("site");
        let before: Vec<(&str, &[u8])> = vec![
            ("same.html", b"unchanged page"),
            ("dir/same.html", b"unchanged too"),
            ("start.html", b"Xhe same length"),
            ("end.html", b"the same lengtX"),
            ("longer.html", b"short"),
            ("shorter.html", b"longer page"),
            ("stream-same.json", b"{\"a\": [1, 2, 3]}"),
            ("stream-start.json", b"[1, 2, 3, 4, 5, 6, 7]"),
            ("stream-middle.json", b"[1, 2, 3, 4, 5, 6, 7]"),
            ("stream-end.json", b"[1, 2, 3, 4, 5, 6, 7]"),
            ("stream-longer.json", b"[1, 2, 3]"),
            ("stream-shorter.json", b"[1, 2, 3, 4, 5, 6, 7]"),
            ("gone.html", b"only in the first build"),
        ];
        let after: Vec<(&str, &[u8])> = vec![
            ("same.html", b"unchanged page"),
            ("dir/same.html", b"unchanged too"),
            ("start.html", b"The same length"),
            ("end.html", b"the same length"),
            ("longer.html", b"short, and then some"),
            ("shorter.html", b"longer"),
            ("stream-same.json", b"{\"a\": [1, 2, 3]}"),
            ("stream-start.json", b"{1, 2, 3, 4, 5, 6, 7]"),
            ("stream-middle.json", b"[1, 2, 3, 9, 5, 6, 7]"),
            ("stream-end.json", b"[1, 2, 3, 4, 5, 6, 7}"),
            ("stream-longer.json", b"[1, 2, 3, 4, 5]"),
            ("stream-shorter.json", b"[1, 2, 3]"),
            ("new.html", b"only in the second build"),
        ];
        let first = site(&out, &before);
        assert_eq!((first.files, first.kept), (13, 0));
        let inodes: Vec<u64> = before.iter().map(|(r, _)| inode(&out.join(r))).collect();
        // A copy of the previous site kept aside through its links: it must not change.
        let aside = tmp.path().join("aside");
        std::fs::create_dir_all(aside.join("dir")).expect("dir");
        for (rel, _) in &before {
            std::fs::hard_link(out.join(rel), aside.join(rel)).expect("link");
        }

        let second = site(&out, &after);
        assert_eq!((second.files, second.kept), (13, 3));
        // The two pages on their stamps where the file system keeps them; the streamed
        // file compared as it was streamed.
        assert!(second.unread == 2 || !stamps_kept(tmp.path()), "{second:?}");
        for (i, (rel, bytes)) in after.iter().enumerate() {
            let path = out.join(rel);
            assert_eq!(std::fs::read(&path).expect("file"), *bytes, "{rel}");
            let same = before.get(i).is_some_and(|(r, b)| r == rel && b == bytes);
            assert_eq!(inode(&path) == inodes[i], same, "{rel}");
        }
        assert!(!out.join("gone.html").exists());
        for (rel, bytes) in &before {
            assert_eq!(
                std::fs::read(aside.join(rel)).expect("kept"),
                *bytes,
                "{rel}"
            );
        }
        // The same bytes as a first build of the second site.
        let fresh = tmp.path().join("fresh");
        site(&fresh, &after);
        for (rel, _) in &after {
            assert_eq!(
                std::fs::read(out.join(rel)).expect("rebuilt"),
                std::fs::read(fresh.join(rel)).expect("fresh"),
                "{rel}"
            );
        }
    }

    /// A symbolic link in the previous site is never linked into the new one, even when
    /// what it points to has the page's bytes: the new site gets a file of its own.
    #[cfg(unix)]
    #[test]
    fn a_rebuild_writes_a_file_where_the_previous_site_had_a_symbolic_link() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let out = tmp.path().join("site");
        site(&out, &[("a.html", b"page"), ("stream.json", b"[1]")]);
        let outside = tmp.path().join("outside");
        std::fs::write(&outside, "page").expect("file");
        for rel in ["a.html", "stream.json"] {
            std::fs::remove_file(out.join(rel)).expect("remove");
            std::os::unix::fs::symlink(&outside, out.join(rel)).expect("symlink");
        }
        std::fs::write(&outside, "page").expect("file");
        let again = site(&out, &[("a.html", b"page"), ("stream.json", b"page")]);
        assert_eq!(again.kept, 0);
        for rel in ["a.html", "stream.json"] {
            let m = std::fs::symlink_metadata(out.join(rel)).expect("file");
            assert!(m.is_file(), "{rel}");
            assert_ne!(inode(&out.join(rel)), inode(&outside), "{rel}");
            assert_eq!(
                std::fs::read(out.join(rel)).expect("file"),
                b"page",
                "{rel}"
            );
        }
        assert_eq!(std::fs::read(&outside).expect("outside"), b"page");
    }

    /// Whether this file system keeps extended attributes (user.*): without them nothing
    /// is stamped, and the stamp tests have nothing to check.
    fn stamps_kept(dir: &Path) -> bool {
        let probe = dir.join("probe");
        std::fs::write(&probe, "x").expect("probe");
        let kept = xattr::set(&probe, "user.compare.probe", b"1").is_ok();
        std::fs::remove_file(&probe).expect("probe");
        if !kept {
            eprintln!("skipped: {} keeps no extended attributes", dir.display());
        }
        kept
    }

    fn mtime_of(p: &Path) -> std::time::SystemTime {
        std::fs::metadata(p)
            .expect("file")
            .modified()
            .expect("time")
    }

    /// Each file of the site at `out` carries a stamp that holds and vouches for `bytes`.
    fn assert_stamped(out: &Path, files: &[(&str, &[u8])]) {
        for (rel, bytes) in files {
            let file = std::fs::File::open(out.join(rel)).expect("file");
            let meta = file.metadata().expect("meta");
            let hash = Stamp::of(&[bytes]).hash;
            assert_eq!(Stamp::read(&file, &meta), Some(hash), "{rel}");
        }
    }

    /// Write `bytes` over the file at `p` in place (same inode, so the same stamp), then
    /// give it modification time `at`.
    fn change_in_place(p: &Path, bytes: &[u8], at: std::time::SystemTime) {
        let f = std::fs::OpenOptions::new()
            .write(true)
            .truncate(true)
            .open(p)
            .expect("open");
        std::io::Write::write_all(&mut &f, bytes).expect("write");
        f.set_modified(at).expect("time");
    }

    /// Every file a build writes is stamped with its length and the hash of its bytes;
    /// the stamp is what the next build believes instead of reading the file, as long as
    /// the file's size and time are those it records.
    #[cfg(unix)]
    #[test]
    fn a_stamped_file_is_linked_on_its_stamp_without_being_read() {
        let tmp = tempfile::tempdir().expect("temp dir");
        if !stamps_kept(tmp.path()) {
            return;
        }
        let out = tmp.path().join("site");
        site(
            &out,
            &[("a.html", b"the page"), ("b.html", b"another page")],
        );
        assert_stamped(
            &out,
            &[("a.html", b"the page"), ("b.html", b"another page")],
        );
        // Bytes changed behind the stamp's back, size and time put back as they were:
        // the stamp still holds, so the file is linked without being read. (Only a tool
        // that restores the time after changing the bytes can do this.)
        let a = out.join("a.html");
        change_in_place(&a, b"THE PAGE", mtime_of(&a));
        let again = site(
            &out,
            &[("a.html", b"the page"), ("b.html", b"another page")],
        );
        assert_eq!((again.kept, again.unread), (2, 2));
        assert_eq!(std::fs::read(&a).expect("a"), b"THE PAGE");
    }

    /// A file changed in place since its build has another modification time: its stamp
    /// no longer holds, so it is compared byte by byte, and written again when it
    /// differs. One that is the same is linked, and stamped anew.
    #[cfg(unix)]
    #[test]
    fn a_file_changed_since_it_was_stamped_is_compared_byte_by_byte() {
        let tmp = tempfile::tempdir().expect("temp dir");
        if !stamps_kept(tmp.path()) {
            return;
        }
        let out = tmp.path().join("site");
        let pages: [(&str, &[u8]); 2] = [("edited.html", b"the page"), ("touched.html", b"same")];
        site(&out, &pages);
        let later = mtime_of(&out.join("edited.html")) + std::time::Duration::from_secs(2);
        change_in_place(&out.join("edited.html"), b"THE PAGE", later);
        change_in_place(&out.join("touched.html"), b"same", later);
        let touched = inode(&out.join("touched.html"));
        let again = site(&out, &pages);
        assert_eq!((again.files, again.kept, again.unread), (2, 1, 0));
        assert_eq!(
            std::fs::read(out.join("edited.html")).expect("edited"),
            b"the page"
        );
        assert_eq!(inode(&out.join("touched.html")), touched);
        assert_stamped(&out, &[("touched.html", b"same")]);
    }

    /// A site without stamps (checked out by git, copied without extended attributes) is
    /// compared byte by byte, and the files found unchanged are stamped for next time.
    #[cfg(unix)]
    #[test]
    fn a_site_without_stamps_is_compared_and_stamped() {
        let tmp = tempfile::tempdir().expect("temp dir");
        if !stamps_kept(tmp.path()) {
            return;
        }
        let out = tmp.path().join("site");
        let pages: [(&str, &[u8]); 2] = [("same.html", b"the page"), ("other.html", b"abcd")];
        site(&out, &pages);
        for (rel, _) in &pages {
            xattr::remove(out.join(rel), STAMP).expect("remove stamp");
        }
        let again = site(&out, &[("same.html", b"the page"), ("other.html", b"abcX")]);
        assert_eq!((again.kept, again.unread), (1, 0));
        assert_eq!(
            std::fs::read(out.join("other.html")).expect("other"),
            b"abcX"
        );
        assert_stamped(&out, &[("same.html", b"the page"), ("other.html", b"abcX")]);
    }

    /// Pages from `MIN_LEN` up go to the writer threads and are written past the page
    /// cache (where the file system allows it), the rest as before: every page comes back
    /// byte for byte, stamped, listed in the marker, and a rebuild knows them all by their
    /// stamps. Streamed files (report.json) are written direct too.
    #[test]
    fn large_pages_are_written_past_the_page_cache_by_the_writer_threads() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("site");
        let min = direct::MIN_LEN as usize;
        let pages: Vec<(String, Vec<u8>)> = (0..40)
            .map(|i| {
                let len = if i % 4 == 0 { 100 + i } else { min + i * 997 };
                let bytes = (0..len).map(|k| ((k * 7 + i) % 251) as u8).collect();
                (format!("pages/p{i:02}.html"), bytes)
            })
            .chain(std::iter::once((
                "stream.json".to_string(),
                (0..3 * min + 5).map(|k| (k % 241) as u8).collect(),
            )))
            .collect();
        let files: Vec<(&str, &[u8])> = pages
            .iter()
            .map(|(r, b)| (r.as_str(), b.as_slice()))
            .collect();
        let large = files
            .iter()
            .filter(|(r, b)| r.starts_with("pages") && b.len() >= min)
            .count();
        let first = site(&out, &files);
        for (rel, bytes) in &files {
            assert_eq!(&std::fs::read(out.join(rel)).expect(rel), bytes, "{rel}");
        }
        if direct::allowed_in(&out) {
            assert_eq!(first.direct, large as u64);
        } else {
            eprintln!("no direct writes here: {} refuses O_DIRECT", out.display());
            assert_eq!(first.direct, 0);
        }
        let marker = std::fs::read_to_string(out.join(MARKER)).expect("marker");
        for (rel, _) in &files {
            assert!(marker.lines().any(|l| l == *rel), "{rel} not listed");
        }
        if stamps_kept(dir.path()) {
            assert_stamped(&out, &files[..files.len() - 1]);
            let again = site(&out, &files);
            assert_eq!((again.kept, again.unread), (41, 40));
        }
    }

    /// On a file system where direct writes do not pay (a tmpfs: memory anyway), every
    /// page is written the usual way, byte for byte.
    #[test]
    fn pages_on_a_tmpfs_are_written_the_usual_way() {
        let Ok(dir) = tempfile::tempdir_in("/dev/shm") else {
            eprintln!("skipped: no /dev/shm");
            return;
        };
        let mounts = std::fs::read_to_string("/proc/mounts").unwrap_or_default();
        if !mounts
            .lines()
            .any(|l| l.split(' ').take(3).eq(["tmpfs", "/dev/shm", "tmpfs"]))
        {
            eprintln!("skipped: /dev/shm is not a tmpfs here");
            return;
        }
        let out = dir.path().join("site");
        let large: Vec<u8> = (0..3 * direct::MIN_LEN).map(|k| (k % 249) as u8).collect();
        let written = site(&out, &[("a.html", &large), ("stream.json", &large)]);
        assert_eq!(written.direct, 0);
        assert_eq!(std::fs::read(out.join("a.html")).expect("page"), large);
        assert_eq!(
            std::fs::read(out.join("stream.json")).expect("stream"),
            large
        );
    }

    /// A page a writer thread cannot write fails the build with that page's error, and
    /// the site is not replaced.
    #[test]
    fn a_writer_threads_failure_fails_the_build() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("site");
        site(&out, &[("index.html", b"old")]);
        let large = vec![b'x'; direct::MIN_LEN as usize];
        let failed = write(&out, crate::progress::Files::hidden(), |sink| {
            sink.put("x/y.html", b"small")?;
            // A folder is where the page should go: it cannot be created.
            sink.put("x", &large)?;
            for i in 0..100 {
                sink.put(&format!("more/{i}.html"), &large)?;
            }
            Ok(())
        })
        .expect_err("the build fails");
        let message = format!("{failed:#}");
        let page = format!("{}x:", std::path::MAIN_SEPARATOR);
        assert!(
            message.contains("cannot write") && message.contains(&page),
            "{message}"
        );
        assert!(!message.contains("stopped"), "{message}");
        assert_eq!(
            std::fs::read(out.join("index.html")).expect("old page"),
            b"old"
        );
        assert!(!out.join("x").exists());
    }

    /// Everything under the folder goes, the folder too; a link is removed, not followed.
    #[test]
    fn remove_tree_removes_all_and_follows_no_link() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let site = tmp.path().join("site");
        let kept = tmp.path().join("kept");
        std::fs::create_dir_all(site.join("documents/deep")).expect("dirs");
        std::fs::create_dir_all(&kept).expect("dir");
        std::fs::write(kept.join("precious.txt"), "keep me").expect("file");
        for (i, dir) in ["", "documents", "documents/deep"].iter().enumerate() {
            for k in 0..20 {
                std::fs::write(site.join(dir).join(format!("{i}-{k}.html")), "x").expect("file");
            }
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink(&kept, site.join("documents/link")).expect("link");
        remove_tree(&site);
        assert!(!site.exists());
        assert_eq!(
            std::fs::read_to_string(kept.join("precious.txt")).expect("kept file"),
            "keep me"
        );
    }
}
