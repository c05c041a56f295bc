//! Stage 11, write the site: all files go into a temporary folder beside `--out`, which is
//! then swapped in whole, so a failed or interrupted build leaves the previous site as it was.
//!
//! Never writes outside `--out` (and its temporary siblings); refuses an `--out` that is
//! `/`, the home folder, a repository root, the seeds folder or a folder containing it,
//! and refuses to replace a non-empty folder it did not create (no marker file) unless
//! forced.

use anyhow::{bail, Context, Result};
use std::path::{Component, Path, PathBuf};

/// The file that marks a folder as written by compare.
pub const MARKER: &str = ".compare-site";

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
    // Resolve symlinks of the existing part, so `site -> seeds` is caught.
    Ok(std::fs::canonicalize(&out).unwrap_or(out))
}

/// Check that `out` is a folder compare may replace.
pub fn check_out(out: &Path, seeds: &Path, force: bool) -> Result<()> {
    let abs = absolute(out)?;
    let seeds_abs = absolute(seeds)?;
    let shown = out.display();
    if abs.parent().is_none() {
        bail!("refusing to write the site to {shown}: it is the file system root\n  = help: pass --out with a folder of its own, such as site");
    }
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from) {
        if absolute(&home).ok().as_deref() == Some(abs.as_path()) {
            bail!("refusing to write the site to {shown}: it is the home folder\n  = help: pass --out with a folder of its own, such as site");
        }
    }
    if seeds_abs.starts_with(&abs) {
        bail!("refusing to write the site to {shown}: it is or contains the seeds folder {}\n  = help: pass --out with a folder outside the articles", seeds.display());
    }
    if abs.join(".git").exists() || abs.join("Cargo.toml").exists() {
        bail!("refusing to write the site to {shown}: it looks like a repository root\n  = help: pass --out with a folder of its own, such as site");
    }
    if abs.exists() {
        if !abs.is_dir() {
            bail!("refusing to write the site to {shown}: it is a file\n  = help: pass --out with a folder");
        }
        let empty = std::fs::read_dir(&abs)
            .with_context(|| format!("cannot list {shown}"))?
            .next()
            .is_none();
        if !empty && !abs.join(MARKER).exists() && !force {
            bail!("refusing to replace {shown}: it is not empty and was not written by compare (no {MARKER} file)\n  = help: pass --force to replace it, or choose another --out");
        }
    }
    Ok(())
}

/// Where the pages of a build go: a temporary folder beside `--out`, swapped in whole when
/// every page is written. Safe to share between threads: pages are written in parallel.
pub struct Sink {
    dir: PathBuf,
    /// `COMPARE_FAIL_AFTER_WRITE=report.md` fails the build right after writing that
    /// file, to test that a failed build leaves the previous site as it was.
    fail_after: Option<String>,
    /// Nanoseconds threads spent writing files, for `--timings`.
    busy: std::sync::atomic::AtomicU64,
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
            std::fs::create_dir_all(p).with_context(|| format!("cannot create {}", p.display()))?;
        }
        Ok(path)
    }

    fn written(&self, rel: &str) -> Result<()> {
        if self.fail_after.as_deref() == Some(rel) {
            bail!("injected write failure after {rel} (COMPARE_FAIL_AFTER_WRITE)");
        }
        Ok(())
    }

    /// Write one file of the site.
    pub fn put(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let t = std::time::Instant::now();
        let path = self.path(rel)?;
        std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
        self.count(t);
        self.written(rel)
    }

    fn count(&self, since: std::time::Instant) {
        let nanos = u64::try_from(since.elapsed().as_nanos()).unwrap_or(u64::MAX);
        self.busy
            .fetch_add(nanos, std::sync::atomic::Ordering::Relaxed);
    }

    /// Stream one file of the site through `fill` (for report.json, which is large).
    pub fn stream(
        &self,
        rel: &str,
        fill: impl FnOnce(&mut dyn std::io::Write) -> Result<()>,
    ) -> Result<()> {
        use std::io::Write as _;
        let t = std::time::Instant::now();
        let path = self.path(rel)?;
        let file = std::fs::File::create(&path)
            .with_context(|| format!("cannot write {}", path.display()))?;
        let mut w = std::io::BufWriter::with_capacity(1 << 20, file);
        fill(&mut w)?;
        w.flush()
            .with_context(|| format!("cannot write {}", path.display()))?;
        self.count(t);
        self.written(rel)
    }
}

/// Build the site with `fill` into a temporary folder, then swap it in place of `out`.
/// When `fill` or any write fails, the temporary folder is removed and `out` is untouched.
/// Returns the time threads spent writing (summed over threads).
pub fn write(out: &Path, fill: impl FnOnce(&Sink) -> Result<()>) -> Result<std::time::Duration> {
    let abs = absolute(out)?;
    let parent = abs
        .parent()
        .context("output folder has no parent")?
        .to_path_buf();
    let name = abs
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "site".into());
    std::fs::create_dir_all(&parent)
        .with_context(|| format!("cannot create {}", parent.display()))?;
    let pid = std::process::id();
    let tmp = parent.join(format!(".{name}.compare-new-{pid}"));
    let old = parent.join(format!(".{name}.compare-old-{pid}"));
    let _ = std::fs::remove_dir_all(&tmp);
    let sink = Sink {
        dir: tmp.clone(),
        fail_after: std::env::var("COMPARE_FAIL_AFTER_WRITE").ok(),
        busy: std::sync::atomic::AtomicU64::new(0),
    };
    let written = std::fs::create_dir_all(&tmp)
        .with_context(|| format!("cannot create {}", tmp.display()))
        .and_then(|()| fill(&sink))
        .and_then(|()| {
            sink.put(
                MARKER,
                b"This folder is written by `compare build` and replaced whole on every build.\n",
            )
        });
    if let Err(e) = written {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(e.context(format!(
            "the site was not written; {} is unchanged",
            out.display()
        )));
    }
    let had_old = abs.exists();
    if had_old {
        std::fs::rename(&abs, &old).with_context(|| {
            let _ = std::fs::remove_dir_all(&tmp);
            format!(
                "cannot move the old site {} aside; it is unchanged",
                out.display()
            )
        })?;
    }
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
    let t = std::time::Instant::now();
    if had_old {
        let _ = std::fs::remove_dir_all(&old);
    }
    sink.count(t);
    Ok(std::time::Duration::from_nanos(
        sink.busy.load(std::sync::atomic::Ordering::Relaxed),
    ))
}
