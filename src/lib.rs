//! `compare`: claim-level comparison of news articles across outlets.
//!
//! The pipeline, one module per stage, in order:
//! rules → ingest (with boilerplate) → normalize → segment → extract → entities → align →
//! verdict → diff → render → site. [`build`] runs it end to end; [`analyse`] stops
//! before writing, for `explain`, tests and benchmarks. Beside the stages, [`memory`] says
//! how long the allocator keeps what a stage frees.

pub mod align;
pub mod boilerplate;
pub mod dates;
pub mod diag;
pub mod diff;
pub mod entities;
pub mod explain;
pub mod extract;
pub mod gen;
pub mod ingest;
pub mod interrupt;
pub mod memory;
pub mod model;
pub mod normalize;
pub mod numbers;
pub mod progress;
pub mod render;
pub mod review;
pub mod rules;
pub mod score;
pub mod segment;
pub mod site;
pub mod verdict;

use model::{Document, Sentence};
use progress::Progress;
use rayon::prelude::*;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Documents analysed together before their working copies are dropped.
const CHUNK: usize = 2048;

/// What `compare build` was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    pub seeds: PathBuf,
    pub rules: PathBuf,
    pub out: PathBuf,
    /// Replace a non-empty `--out` that compare did not create.
    pub force: bool,
    /// Replace invalid UTF-8 instead of failing.
    pub lossy: bool,
}

/// The result of a run, before or after writing.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub report: render::Report,
    /// Warnings for stderr (`warning: seeds/x.txt: …`).
    pub warnings: Vec<String>,
    /// Wall time per stage, in pipeline order.
    pub timings: Vec<(&'static str, Duration)>,
    pub stats: align::Stats,
    /// Files in the site written, and how many of them were kept (linked) unchanged from
    /// the site it replaced; both zero when nothing was written.
    pub files: (u64, u64),
    /// Of the files kept, how many were known unchanged by their stamps (an extended
    /// attribute with their hash), without being read back.
    pub unread: u64,
    /// Files written past the page cache (the site's larger pages, on a Linux file
    /// system that allows it).
    pub direct: u64,
    /// How the rules word values (names, plurals), for reading another report, such as a
    /// `--baseline`, in the same words ([`review::word`]).
    pub wording: verdict::Wording,
}

/// A corpus read and analysed up to alignment: every document, sentence and claim.
pub struct Corpus {
    pub docs: Vec<Document>,
    pub sentences: Vec<Sentence>,
    pub claims: Vec<model::Claim>,
    /// Warnings of ingest, not yet sorted.
    pub warnings: Vec<String>,
    /// Wall time of ingest, normalise, segment and extract.
    pub timings: Vec<(&'static str, Duration)>,
}

/// A seeds folder listed: its article files, sorted, the warnings of the listing, and the
/// I/O threads that go on to read the files.
pub struct Listing {
    io: ingest::IoThreads,
    files: Vec<ingest::Seed>,
    warnings: Vec<String>,
    /// Wall time the listing added to the build: counted in ingest.
    took: Duration,
}

impl Listing {
    /// List the article files of a seeds folder.
    pub fn of(seeds: &std::path::Path) -> anyhow::Result<Listing> {
        Listing::until(seeds, &AtomicBool::new(false))
    }

    /// [`Listing::of`], given up as soon as `stop` is set ([`ingest::list`]).
    fn until(seeds: &std::path::Path, stop: &AtomicBool) -> anyhow::Result<Listing> {
        let t = Instant::now();
        let io = ingest::IoThreads::start();
        let (files, warnings) = ingest::list(seeds, &io, stop)?;
        Ok(Listing {
            io,
            files,
            warnings,
            took: t.elapsed(),
        })
    }
}

/// Read every article of a seeds folder and analyse it up to alignment: ingest,
/// normalise, segment, extract.
pub fn read_corpus(
    seeds: &std::path::Path,
    rules: &rules::RuleSet,
    read: ingest::ReadOptions,
) -> anyhow::Result<Corpus> {
    read_listed(seeds, Listing::of(seeds)?, rules, read, &Progress::hidden())
}

/// [`read_corpus`] of a folder already listed.
fn read_listed(
    seeds: &std::path::Path,
    listing: Listing,
    rules: &rules::RuleSet,
    read: ingest::ReadOptions,
    progress: &Progress,
) -> anyhow::Result<Corpus> {
    // Documents are read and analysed in chunks: each chunk's normalised text is dropped
    // once its claims and alignment terms are known, so memory follows the corpus text,
    // not five times it.
    // Each chunk frees its working copies and the next needs as much again: the allocator
    // mostly keeps them meanwhile, rather than the kernel zeroing fresh pages for every
    // chunk (src/memory.rs).
    let _kept = memory::keep_freed();
    let Listing {
        io,
        files,
        warnings: links,
        took: listed_in,
    } = listing;
    let mut docs: Vec<Document> = Vec::with_capacity(files.len());
    // Each chunk's sentences and claims are moved into one vector each, sized for the
    // whole corpus (see `gather`).
    let mut sentences: Vec<Sentence> = Vec::new();
    let mut claims = Vec::new();
    let mut published = Vec::with_capacity(files.len());
    let (mut warnings, mut errors) = (links, Vec::new());
    let mut timings = vec![
        ("ingest", listed_in),
        ("normalise", Duration::ZERO),
        ("segment", Duration::ZERO),
        ("extract", Duration::ZERO),
    ];
    // Extraction's caches, kept from chunk to chunk (and dropped before alignment).
    let workers = extract::Workers::new();
    progress.reading(files.len());
    // Each chunk's files are read while the chunk before it is analysed.
    let mut chunks = files.chunks(CHUNK);
    let mut next = chunks.next().map(|c| io.load(seeds, c));
    while let Some(loading) = next.take() {
        interrupt::check()?;
        next = chunks.next().map(|c| io.load(seeds, c));
        let t = Instant::now();
        let (mut ds, w, e) = ingest::read(seeds, loading.wait(), rules, read);
        warnings.extend(w);
        errors.extend(e);
        timings[0].1 += t.elapsed();
        let t = Instant::now();
        let normalized = normalise(&mut ds);
        timings[1].1 += t.elapsed();
        let t = Instant::now();
        let mut ss = segment_all(&ds, &normalized, docs.len(), rules);
        timings[2].1 += t.elapsed();
        let t = Instant::now();
        published.extend(ds.iter().map(|d| d.published));
        let keys = extract::Keys {
            texts: &normalized,
            first_doc: docs.len(),
        };
        let found =
            extract::claims_kept(rules, &published, &mut ss, keys, sentences.len(), &workers);
        drop(normalized);
        timings[3].1 += t.elapsed();
        for d in &mut ds {
            d.body = String::new();
        }
        progress.read(ds.len());
        docs.append(&mut ds);
        gather(&mut sentences, ss, docs.len(), files.len());
        gather(&mut claims, found, docs.len(), files.len());
    }
    drop(io);
    drop(workers);
    ingest::fail_on(errors)?;
    ingest::unique_ids(&mut docs);
    Ok(Corpus {
        docs,
        sentences,
        claims,
        warnings,
        timings,
    })
}

/// Run the pipeline on a seeds folder with compiled rules; nothing is written.
pub fn analyse(
    seeds: &std::path::Path,
    rules: &rules::RuleSet,
    read: ingest::ReadOptions,
) -> anyhow::Result<Outcome> {
    analyse_listed(seeds, Listing::of(seeds)?, rules, read, &Progress::hidden())
}

/// [`analyse`] of a folder already listed.
fn analyse_listed(
    seeds: &std::path::Path,
    listing: Listing,
    rules: &rules::RuleSet,
    read: ingest::ReadOptions,
    progress: &Progress,
) -> anyhow::Result<Outcome> {
    let Corpus {
        docs,
        mut sentences,
        claims,
        mut warnings,
        mut timings,
    } = read_listed(seeds, listing, rules, read, progress)?;

    interrupt::check()?;
    progress.step("aligning statements");
    let t = Instant::now();
    let entities = entities::group(rules, &claims, |c| &docs[c.doc].text[c.span.clone()]);
    let (groups, stats) = align::groups(rules, &docs, &sentences, &claims);
    timings.push(("align", t.elapsed()));
    interrupt::check()?;
    progress.step("judging statements");
    let t = Instant::now();
    let namers = verdict::Namers::of(&entities, &claims, &docs);
    let givers = verdict::Givers::of(&groups, &claims, &sentences, &docs);
    let wording = verdict::Wording::of(rules);
    let judged: Vec<_> = groups
        .into_par_iter()
        .map(|g| {
            let (v, reason) =
                verdict::judge(&g, &claims, &sentences, &docs, &namers, &givers, &wording);
            (g, v, reason)
        })
        .collect();
    drop(namers);
    drop(givers);
    timings.push(("verdict", t.elapsed()));
    // The report model: every sentence, claim and statement as the pages show them,
    // with each member's word diff against its statement's reference sentence. It is
    // built from the pipeline's results as they are given up, so the two are not held
    // whole at once.
    interrupt::check()?;
    progress.step("diffing sentences");
    let t = Instant::now();
    sentences.par_iter_mut().for_each(|s| {
        s.words = None;
    });
    let report = render::report(docs, sentences, claims, &entities, judged, &wording);
    timings.push(("diff", t.elapsed()));
    warnings.sort();
    Ok(Outcome {
        report,
        warnings,
        timings,
        stats,
        files: (0, 0),
        unread: 0,
        direct: 0,
        wording,
    })
}

/// One article from its bytes through ingest (decoding, front matter, Markdown, metadata,
/// boilerplate), normalisation, segmentation and extraction, exactly as `build` reads each
/// file: the document, its sentences and its claims, or the message `build` would print
/// for it. `path` names the file in messages and gives the document its id (`x.md` is read
/// as Markdown). Reads no file: for the fuzz target (fuzz/) and tests. The sentences'
/// `key_range`s point into the normalised body, which is not returned.
pub fn analyse_bytes(
    path: &str,
    bytes: &[u8],
    rules: &rules::RuleSet,
    read: ingest::ReadOptions,
) -> Result<(Document, Vec<Sentence>, Vec<model::Claim>), String> {
    let (doc, _warnings) = ingest::parse(path, path, bytes.to_vec(), rules, read)?;
    let published = [doc.published];
    let mut docs = [doc];
    let (texts, mut sentences) = self::sentences(&mut docs, 0, rules);
    let keys = extract::Keys {
        texts: &texts,
        first_doc: 0,
    };
    let claims = extract::claims(rules, &published, &mut sentences, keys, 0);
    let [doc] = docs;
    Ok((doc, sentences, claims))
}

/// Normalise each document's body and split it into sentences, keeping offsets: the
/// normalised bodies (which the sentences' `key` ranges point into) and the sentences.
/// `base` is the corpus index of `docs[0]`.
#[inline(never)] // counted on its own by `benches/instructions.sh`
pub fn sentences(
    docs: &mut [Document],
    base: usize,
    rules: &rules::RuleSet,
) -> (Vec<normalize::Normalized>, Vec<Sentence>) {
    let normalized = normalise(docs);
    let sentences = segment_all(docs, &normalized, base, rules);
    (normalized, sentences)
}

/// Story keys that differ only in capitals (`Niger`, `niger`) are two stories, each
/// compared alone: most likely one story typed two ways, so each such set is named, with
/// an article of each spelling, for the user to make them one.
fn story_keys_alike(docs: &[render::DocumentOut], seeds: &std::path::Path) -> Vec<String> {
    let mut by_folded: std::collections::BTreeMap<String, std::collections::BTreeMap<&str, &str>> =
        std::collections::BTreeMap::new();
    for d in docs {
        by_folded
            .entry(d.story.to_lowercase())
            .or_default()
            .entry(d.story.as_str())
            .or_insert(d.path.as_str());
    }
    by_folded
        .values()
        .filter(|keys| keys.len() > 1)
        .map(|keys| {
            let named: Vec<String> = keys
                .iter()
                .map(|(key, path)| format!("`{key}` (as in {})", seeds.join(path).display()))
                .collect();
            format!(
                "warning: story keys {} differ only in capitals, so they are {} stories, compared apart\n  = help: write the key one way in every article's front matter to compare them as one story",
                named.join(", "),
                keys.len()
            )
        })
        .collect()
}

/// Stage 3: each document's body as clean text and match key, with offsets back. Ingest
/// read most lines by their keys already: those are joined, not made again.
fn normalise(docs: &mut [Document]) -> Vec<normalize::Normalized> {
    docs.par_iter_mut()
        .map(|d| normalize::joined_lines(&d.body, std::mem::take(&mut d.line_keys)))
        .collect()
}

/// Stage 4: each document's sentences, from its normalised text.
fn segment_all(
    docs: &[Document],
    normalized: &[normalize::Normalized],
    base: usize,
    rules: &rules::RuleSet,
) -> Vec<Sentence> {
    let per_doc: Vec<Vec<Sentence>> = docs
        .par_iter()
        .zip(normalized)
        .enumerate()
        .map(|(di, (d, n))| {
            let key = n.key();
            let line_starts: Vec<usize> = std::iter::once(0)
                .chain(d.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect();
            segment::sentences(key, &rules.abbreviations)
                .into_iter()
                .enumerate()
                .map(|(i, r)| {
                    let span = n.to_original(r.clone());
                    let line = line_starts.partition_point(|&s| s <= span.start);
                    Sentence {
                        words: None,
                        doc: base + di,
                        ordinal: i + 1,
                        span,
                        line,
                        key_range: r,
                    }
                })
                .collect()
        })
        .collect();
    concat(per_doc)
}

/// Move a chunk's items (`part`) to the end of `all`, the items of the corpus's first
/// `done` of `total` documents, this chunk's included. When `all` has no room it grows
/// once to what the whole corpus is likely to need at the rate seen so far, plus a
/// tenth, rather than doubling: each doubling copies the vector and holds both copies.
/// Room not yet filled is only reserved, not memory in use. Moving chunk by chunk,
/// rather than all chunks at the end, lets each chunk reuse the memory the one before it
/// gave back: the allocator keeps freed memory for a moment before returning it to the
/// system, and a 100 000-article build held its whole sentence list twice meanwhile.
fn gather<T: Send>(all: &mut Vec<T>, part: Vec<T>, done: usize, total: usize) {
    let needed = all.len() + part.len();
    if all.capacity() < needed {
        let rate = needed as f64 / done.max(1) as f64;
        let expected = (rate * total.max(done) as f64 * 1.1) as usize;
        all.reserve_exact(expected.max(needed) - all.len());
    }
    extend_moved(all, part);
}

/// Move `part` to the end of `all`. A large part is moved on every core: the copy goes
/// into fresh memory, whose pages the kernel zeroes as they are first touched, and on one
/// thread it left the other cores idle.
fn extend_moved<T: Send>(all: &mut Vec<T>, mut part: Vec<T>) {
    const LARGE: usize = 1 << 14;
    if part.len() >= LARGE {
        all.par_extend(part);
    } else {
        all.append(&mut part);
    }
}

/// The parts one after another, moved into one vector of exactly their total length
/// (`flatten().collect()` cannot know it and grows by copying).
pub(crate) fn concat<T: Send>(parts: Vec<Vec<T>>) -> Vec<T> {
    let mut all = Vec::with_capacity(parts.iter().map(Vec::len).sum());
    for part in parts {
        extend_moved(&mut all, part);
    }
    all
}

/// `compare build`: check the rules, analyse the seeds, write the site atomically.
pub fn build(opts: &Options) -> anyhow::Result<Outcome> {
    build_with(opts, &Progress::hidden())
}

/// [`build`], showing its progress (`compare build` on a terminal).
pub fn build_with(opts: &Options, progress: &Progress) -> anyhow::Result<Outcome> {
    // The build runs on the pool's own threads. From any other thread each parallel step
    // is handed to the pool, which must be woken for it, while the thread that asked
    // sleeps until the step is done and must be woken in turn. A 100 000-article build
    // takes thousands of such steps, and the cores idled between them (docs/benchmark-history.md,
    // stop 47).
    let built = rayon::scope(|_| build_on_pool(opts, progress));
    progress.done();
    built
}

fn build_on_pool(opts: &Options, progress: &Progress) -> anyhow::Result<Outcome> {
    let started = Instant::now();
    progress.step("checking the rules, listing the articles");
    // The seeds are listed on the I/O threads while the rules compile on one core and
    // the output folder is checked: listing is mostly waiting on the file system. When
    // the rules or the folder are refused, the listing is stopped, not waited for.
    let stop = AtomicBool::new(false);
    let (prepared, (listing, listed_at)) = rayon::join(
        || {
            let prepared = prepare(opts, started);
            if prepared.is_err() {
                stop.store(true, Ordering::Relaxed);
            }
            (prepared, started.elapsed())
        },
        || (Listing::until(&opts.seeds, &stop), started.elapsed()),
    );
    let (prepared, prepared_at) = prepared;
    let Prepared {
        rules,
        checked_in,
        recovered,
    } = prepared?;
    // Ingest counts the part of the listing that the build waited for, after the rest.
    let waited = listed_at.saturating_sub(prepared_at);
    let built = build_prepared(opts, rules, listing, waited, progress);
    // A site moved back in place is news whatever the build does next: a build that then
    // fails, or is stopped, says so too.
    match built {
        Ok(mut outcome) => {
            outcome.warnings.splice(0..0, recovered);
            outcome.timings.insert(0, ("rules", checked_in));
            outcome.timings.push(("total", started.elapsed()));
            Ok(outcome)
        }
        Err(error) if !recovered.is_empty() => Err(anyhow::Error::new(FailedAfterRecovery {
            warnings: recovered,
            error,
        })),
        Err(error) => Err(error),
    }
}

/// A build that failed after it moved a previous site back in place ([`site::recover`]):
/// its error, and the warnings of that move, which the caller shows too. It reads as the
/// error itself.
#[derive(Debug)]
pub struct FailedAfterRecovery {
    pub warnings: Vec<String>,
    pub error: anyhow::Error,
}

impl std::fmt::Display for FailedAfterRecovery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&self.error, f)
    }
}

impl std::error::Error for FailedAfterRecovery {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.error.source()
    }
}

/// The build once its rules are checked and its output folder tidied: the articles read
/// and analysed, the site written. `waited` is how long the build waited for the listing.
fn build_prepared(
    opts: &Options,
    rules: rules::RuleSet,
    listing: anyhow::Result<Listing>,
    waited: Duration,
    progress: &Progress,
) -> anyhow::Result<Outcome> {
    // An error of the listing (no seeds folder, say) comes after those of the rules and
    // of the output folder, in the order of the steps.
    let mut listing = listing?;
    listing.took = waited;
    let mut outcome = analyse_listed(
        &opts.seeds,
        listing,
        &rules,
        ingest::ReadOptions { lossy: opts.lossy },
        progress,
    )?;
    // Each article without text has its own warning; when none has text left and some
    // had text before boilerplate was set aside, the likely cause is a rule.
    let docs = &outcome.report.documents;
    let note = |d: &render::DocumentOut, note: &str| d.notes.iter().any(|n| n == note);
    if docs.len() > 1
        && docs
            .iter()
            .all(|d| note(d, ingest::NO_TEXT_LEFT) || note(d, ingest::EMPTY_FILE))
        && docs.iter().any(|d| note(d, ingest::NO_TEXT_LEFT))
    {
        outcome.warnings.push(format!(
            "warning: no article has any text left after boilerplate was set aside; a [boilerplate] pattern in {} may match every line",
            opts.rules.display()
        ));
    }
    outcome.warnings.extend(story_keys_alike(docs, &opts.seeds));
    let t = Instant::now();
    // The pages need the rules only for their own page. The compiled rules go first:
    // their regex engines keep a cache of states on every thread that ran them, tens of
    // MB at 100 000 articles, which would be held beside the pages for nothing.
    interrupt::check()?;
    let rules_page = render::html::rules_page(&rules);
    drop(rules);
    let writing = site::write(&opts.out, progress.writing(), |sink| {
        render::write(&outcome.report, &rules_page, sink)
    })?;
    // Pages are written as they are rendered, on every core, the larger ones by writer
    // threads beside them: the write share is the time the rendering threads spent in
    // file-system calls, spread over the threads, and the time the build then waited for
    // the writers to finish.
    let both = t.elapsed();
    let threads = u32::try_from(rayon::current_num_threads().max(1)).unwrap_or(1);
    let write = (writing.busy / threads + writing.tail).min(both);
    outcome.files = (writing.files, writing.kept);
    outcome.unread = writing.unread;
    outcome.direct = writing.direct;
    outcome.timings.push(("render", both - write));
    outcome.timings.push(("write", write));
    Ok(outcome)
}

/// What a build checks before it reads the articles.
struct Prepared {
    rules: rules::RuleSet,
    /// Time taken by the rules' check, from the build's start.
    checked_in: Duration,
    /// Warnings for sites moved back in place ([`site::recover`]).
    recovered: Vec<String>,
}

/// Check the rules (as `compare check` does: broken rules build nothing), then the
/// output folder, and tidy what interrupted builds left beside it.
fn prepare(opts: &Options, started: Instant) -> anyhow::Result<Prepared> {
    let checked = rules::check(&opts.rules)?;
    let checked_in = started.elapsed();
    let Some(rules) = checked.set else {
        return Err(anyhow::Error::new(diag::Rejected {
            report: checked.report,
            consequence: format!("nothing was built; {} is unchanged", opts.out.display()),
        }));
    };
    // The check refuses a file without a claim type: a site would have nothing to compare.
    site::check_out(&opts.out, &opts.seeds, &opts.rules, opts.force)?;
    let recovered = site::recover(&opts.out)?;
    Ok(Prepared {
        rules,
        checked_in,
        recovered,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Chunks of a steady size are gathered with one allocation, in order; a chunk past
    /// the estimate grows the vector again, to the new rate.
    #[test]
    fn gathering_reserves_for_the_corpus_once() {
        let (chunk, chunks) = (40_000, 5);
        let mut all: Vec<u32> = Vec::new();
        let mut capacities = Vec::new();
        for c in 0..chunks {
            let part: Vec<u32> = (0..chunk).map(|i| (c * chunk + i) as u32).collect();
            gather(&mut all, part, (c + 1) * 10, chunks * 10);
            capacities.push(all.capacity());
        }
        assert_eq!(all, (0..(chunk * chunks) as u32).collect::<Vec<_>>());
        assert!(
            capacities.iter().all(|&c| c == capacities[0]),
            "{capacities:?}"
        );
        assert!(capacities[0] >= chunk * chunks);

        let mut all: Vec<u32> = Vec::new();
        gather(&mut all, vec![1; 10], 1, 4);
        gather(&mut all, vec![2; 100], 2, 4);
        assert_eq!(all.len(), 110);
        assert!(all.capacity() >= 220, "{}", all.capacity());
    }

    #[test]
    fn concatenation_keeps_the_order() {
        let parts = vec![vec![1, 2], Vec::new(), (3..20_000).collect::<Vec<u32>>()];
        assert_eq!(concat(parts), (1..20_000).collect::<Vec<u32>>());
    }
}
