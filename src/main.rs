//! The `compare` command line: parse flags, call the library, print the one error, exit.
//! Exit codes: 0 success, 1 findings (`check` problems, `build --fail-on`), 2 bad input or
//! usage, 130 a build stopped by Ctrl-C (or SIGTERM, SIGHUP) with the site unchanged.

use clap::{Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// Building a site allocates many short strings on every core; glibc's allocator spent a
/// tenth of a 10 000-article build in `malloc` (docs/benchmark-history.md).
#[global_allocator]
static ALLOCATOR: compare::memory::Mimalloc = compare::memory::Mimalloc;

#[derive(Parser)]
#[command(
    name = "compare",
    version,
    about = "Where news outlets agree and where they differ, claim by claim"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read the articles and rules, write the static site (report.json, report.md, index.html…)
    Build {
        /// Folder of articles (.txt, .md), read recursively in sorted order
        #[arg(long, default_value = "seeds")]
        seeds: PathBuf,
        /// Rules file: claim types, names, boilerplate markers
        #[arg(long, default_value = "rules.toml")]
        rules: PathBuf,
        /// Output folder, replaced whole when the build succeeds
        #[arg(long, default_value = "site")]
        out: PathBuf,
        /// Replace --out even if it is a non-empty folder compare did not create
        #[arg(long)]
        force: bool,
        /// Replace invalid UTF-8 with U+FFFD (with a warning) instead of failing
        #[arg(long)]
        lossy: bool,
        /// Print the wall time of each stage on stderr (rules, ingest, normalise, segment,
        /// extract, align, verdict, diff, render, write) and the candidate pairs alignment
        /// examined. Render and write overlap; write is the rendering threads' file-system
        /// time spread over them, plus the wait for the writer threads at the end. Also
        /// how many files of the site were unchanged from the site it replaced, and so
        /// linked rather than written, how many of those were known unchanged by their
        /// stamps (an extended attribute holding their hash), without reading them, and
        /// how many were written direct (past the page cache, by the writer threads).
        #[arg(long)]
        timings: bool,
        /// `json`: print one JSON object with counts by verdict and type on stdout
        #[arg(long, value_enum, default_value_t = BuildFormat::Text)]
        format: BuildFormat,
        /// Exit 1 when the build finds any conflict, or conflicts absent from --baseline
        #[arg(long, value_enum, value_name = "WHAT")]
        fail_on: Option<FailOn>,
        /// The report.json to compare with for --fail-on new-conflict (e.g. main's)
        #[arg(long, value_name = "REPORT", requires = "fail_on")]
        baseline: Option<PathBuf>,
    },
    /// Compare two report.json files: new and resolved conflicts, changed verdicts, claims
    /// gained or lost, new name spellings
    Diff {
        /// The earlier report.json (e.g. the main branch's)
        old: PathBuf,
        /// The later report.json (e.g. this change's site/report.json)
        new: PathBuf,
        /// `markdown` for a pull-request comment or $GITHUB_STEP_SUMMARY
        #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
        format: DiffFormat,
        /// The rules whose claim types give counts their plural, as the pages write them
        /// (`~1000 soldiers (US)`); by default rules.toml when there is one, else counts
        /// keep report.json's unit (`~1000 soldier (US)`)
        #[arg(long)]
        rules: Option<PathBuf>,
    },
    /// Check rules.toml: compile every pattern and run every example and counter-example
    Check {
        #[arg(long, default_value = "rules.toml")]
        rules: PathBuf,
    },
    /// Show how one article is read: metadata, what is set aside, each sentence's claims
    Explain {
        /// The article (.txt or .md)
        file: PathBuf,
        #[arg(long, default_value = "rules.toml")]
        rules: PathBuf,
        /// Replace invalid UTF-8 with U+FFFD (with a warning) instead of failing
        #[arg(long)]
        lossy: bool,
    },
    /// Show why two sentences are, or are not, one statement: each test of alignment (with
    /// one sentence, the nearest sentences of the story's other articles)
    Why {
        /// A sentence id, as the site's links to a sentence end: the article's id, -s and
        /// the sentence's number (000_ad269960ebcb6093-s6; `compare explain FILE` numbers
        /// an article's sentences)
        a: String,
        /// The other sentence's id; without it, the sentences of the story's other
        /// articles nearest to A, for each of its claim types
        b: Option<String>,
        #[arg(long, default_value = "seeds")]
        seeds: PathBuf,
        #[arg(long, default_value = "rules.toml")]
        rules: PathBuf,
        /// Replace invalid UTF-8 with U+FFFD (with a warning) instead of failing
        #[arg(long)]
        lossy: bool,
    },
    /// List the claim types of rules.toml with their descriptions and example counts
    Rules {
        #[arg(long, default_value = "rules.toml")]
        rules: PathBuf,
    },
    /// Write a generated corpus with ground truth: OUT/seeds/<story>/*.md and OUT/truth.jsonl
    Gen {
        /// Number of stories (events); story i is the same in every corpus of one seed
        #[arg(long)]
        stories: usize,
        /// Seed of the corpus
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Output folder
        #[arg(long)]
        out: PathBuf,
        /// Replace OUT/seeds and OUT/truth.jsonl when they exist
        #[arg(long)]
        force: bool,
        /// Print counts and the time taken on stderr
        #[arg(long)]
        stats: bool,
    },
    /// Score a report's conflicts against the truth.jsonl of a generated corpus
    Score {
        /// The truth.jsonl written by `compare gen`
        #[arg(long)]
        truth: PathBuf,
        /// The report.json to score (compare's, or any tool's of the same shape)
        report: PathBuf,
        #[arg(long, value_enum, default_value_t = ScoreFormat::Text)]
        format: ScoreFormat,
        /// How many examples of each failure to show
        #[arg(long, default_value_t = 5)]
        examples: usize,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ScoreFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum BuildFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum DiffFormat {
    Text,
    Markdown,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum FailOn {
    /// Any conflict
    Conflict,
    /// A conflict that is not a conflict in --baseline
    NewConflict,
}

fn main() -> ExitCode {
    compare::memory::manage();
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!(
                "{}",
                compare::diag::printable(&compare::diag::error_text(&e))
            );
            ExitCode::from(2)
        }
    }
}

/// One line on stderr, for a build stopped by a signal: the terminal may be gone
/// (SIGHUP), and a line that cannot be written is no reason to fail.
fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{}", compare::diag::printable(line));
}

/// Write to stdout; a reader that stops early (`| head`) is not an error.
fn emit(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => Ok(r?),
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Build {
            seeds,
            rules,
            out,
            force,
            lossy,
            timings,
            format,
            fail_on,
            baseline,
        } => {
            let fail_on = fail_on.map(|f| match f {
                FailOn::Conflict => compare::review::FailOn::Conflict,
                FailOn::NewConflict => compare::review::FailOn::NewConflict,
            });
            if fail_on == Some(compare::review::FailOn::NewConflict) && baseline.is_none() {
                anyhow::bail!("--fail-on new-conflict needs --baseline REPORT\n  = help: pass the report.json to compare with, such as the main branch's site/report.json");
            }
            if fail_on == Some(compare::review::FailOn::Conflict) && baseline.is_some() {
                anyhow::bail!("--baseline is read only with --fail-on new-conflict: with --fail-on conflict every conflict fails the build, the baseline's too\n  = help: pass --fail-on new-conflict to fail only on conflicts absent from the baseline, or drop --baseline");
            }
            // Read the baseline first: a bad one fails before anything is written.
            let mut base = baseline
                .as_deref()
                .map(compare::review::load)
                .transpose()
                .map_err(|e| e.context("cannot use the --baseline report"))?;
            if let Err(e) = compare::interrupt::stop_builds_on_signals() {
                say(&format!(
                    "warning: Ctrl-C will end the build without tidying up: {e}"
                ));
            }
            let progress = compare::progress::Progress::on_terminal();
            let built = compare::build_with(
                &compare::Options {
                    seeds,
                    rules,
                    out: out.clone(),
                    force,
                    lossy,
                },
                &progress,
            );
            // A previous site moved back before the build failed: said first, as it happened.
            let built = built.map_err(|e| match e.downcast::<compare::FailedAfterRecovery>() {
                Ok(failed) => {
                    for w in &failed.warnings {
                        say(w);
                    }
                    failed.error
                }
                Err(e) => e,
            });
            let outcome = match built {
                // Whatever step it stopped at (reading, a stage, a file of the site, the
                // stream of report.json), a build that fails before its swap leaves the
                // site as it was. One that fails in the swap says what it did itself.
                Err(_) if compare::interrupt::stopped_before_swap() => {
                    say(&format!(
                        "interrupted: the build stopped; {} is unchanged",
                        out.display()
                    ));
                    return Ok(ExitCode::from(130));
                }
                built => built?,
            };
            for w in &outcome.warnings {
                eprintln!("{}", compare::diag::printable(w));
            }
            // Ctrl-C once the new site was whole: the swap was finished, not cut in half.
            if compare::interrupt::requested() {
                say(&format!(
                    "warning: interrupted after the new site was complete; {} was replaced",
                    out.display()
                ));
            }
            if timings {
                for (stage, d) in &outcome.timings {
                    eprintln!("{stage:>18}: {:>9.3} ms", d.as_secs_f64() * 1000.0);
                }
                eprintln!(
                    "{:>18}: {}",
                    "candidate pairs", outcome.stats.candidate_pairs
                );
                let (files, kept) = outcome.files;
                eprintln!("{:>18}: {kept} of {files}", "unchanged files");
                eprintln!("{:>18}: {}", "known by stamp", outcome.unread);
                eprintln!("{:>18}: {}", "written direct", outcome.direct);
            }
            // The baseline's values, which new conflicts show as they were, read in the
            // words of these rules, as the report's do.
            if let Some(b) = base
                .as_mut()
                .filter(|_| fail_on == Some(compare::review::FailOn::NewConflict))
            {
                compare::review::word(b, &outcome.wording);
            }
            let found = fail_on.map(|f| {
                (
                    f,
                    compare::review::findings(&outcome.report, f, base.as_ref()),
                )
            });
            match format {
                BuildFormat::Json => {
                    let summary = compare::review::summary(
                        &outcome.report,
                        &out,
                        outcome.warnings.len(),
                        found.as_ref().map(|(f, list)| (*f, list.as_slice())),
                    );
                    emit(&format!("{}\n", serde_json::to_string_pretty(&summary)?))?;
                }
                // Progress is for people: quiet when output goes to a file, a pipe or CI.
                BuildFormat::Text => {
                    if std::io::stdout().is_terminal() && std::io::stderr().is_terminal() {
                        eprintln!(
                            "wrote {}: {}",
                            out.display(),
                            compare::render::markdown::corpus_line(&outcome.report.corpus)
                        );
                    }
                }
            }
            let code = match found.filter(|(_, list)| !list.is_empty()) {
                Some((f, list)) => {
                    // File names, outlets and excerpts come from the seeds: their control
                    // characters are written out, not sent to the terminal.
                    eprint!(
                        "{}",
                        compare::diag::printable(&compare::review::findings_message(
                            f,
                            baseline.as_deref(),
                            &out,
                            &list
                        ))
                    );
                    ExitCode::from(1)
                }
                None => ExitCode::SUCCESS,
            };
            // The process ends after this command, and its memory goes back whole.
            // Freeing the reports' millions of strings one by one kept one core busy after
            // the site was written.
            std::mem::forget(outcome);
            std::mem::forget(base);
            Ok(code)
        }
        Command::Diff {
            old,
            new,
            format,
            rules,
        } => {
            let mut before = compare::review::load(&old)?;
            let mut after = compare::review::load(&new)?;
            let rules = match rules {
                Some(path) => Some(compare::rules::load(&path)?),
                // Found, not asked for: rules that do not load (being edited, say) only
                // cost the counts their plural, so the diff goes on with a warning.
                None => {
                    let path = std::path::Path::new("rules.toml");
                    match path.is_file().then(|| compare::rules::load(path)) {
                        Some(Err(_)) => {
                            eprintln!(
                                "warning: rules.toml does not load, so counts keep their unit's singular (1500 soldier)\n  = help: `compare check` says why; or pass --rules FILE"
                            );
                            None
                        }
                        found => found.and_then(Result::ok),
                    }
                }
            };
            let wording = rules
                .as_ref()
                .map(compare::verdict::Wording::of)
                .unwrap_or_default();
            compare::review::word(&mut before, &wording);
            compare::review::word(&mut after, &wording);
            let d = compare::review::diff(&before, &after);
            match format {
                DiffFormat::Text => emit(&compare::diag::printable(&compare::review::text(
                    &d,
                    &old.display().to_string(),
                    &new.display().to_string(),
                )))?,
                DiffFormat::Markdown => {
                    emit(&compare::diag::printable(&compare::review::markdown(&d)))?
                }
                DiffFormat::Json => emit(&format!("{}\n", serde_json::to_string_pretty(&d)?))?,
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { rules } => {
            let checked = compare::rules::check(&rules)?;
            if !checked.report.diagnostics.is_empty() {
                eprintln!("{}", checked.report);
            }
            let Some(set) = checked.set else {
                return Ok(ExitCode::from(1));
            };
            println!(
                "{}",
                compare::explain::check_summary(&rules.display().to_string(), &set)
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Explain { file, rules, lossy } => {
            let set = compare::rules::load(&rules)?;
            let read = compare::ingest::ReadOptions { lossy };
            print!(
                "{}",
                compare::diag::printable(&compare::explain::article(
                    &file,
                    &set,
                    &rules.display().to_string(),
                    read
                )?)
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Why {
            a,
            b,
            seeds,
            rules,
            lossy,
        } => {
            let set = compare::rules::load(&rules)?;
            let read = compare::ingest::ReadOptions { lossy };
            print!(
                "{}",
                compare::diag::printable(&compare::explain::pair(
                    &seeds,
                    &set,
                    &a,
                    b.as_deref(),
                    read
                )?)
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Gen {
            stories,
            seed,
            out,
            force,
            stats,
        } => {
            let started = std::time::Instant::now();
            let s = compare::gen::generate(&compare::gen::GenOptions {
                stories,
                seed,
                out: out.clone(),
                force,
            })?;
            if stats {
                let secs = started.elapsed().as_secs_f64();
                eprintln!(
                    "wrote {}: {} stories, {} articles ({:.1} MB), {} facts, {} truth rows in {secs:.2} s ({:.0} articles/s)",
                    out.display(),
                    s.stories,
                    s.articles,
                    s.bytes as f64 / 1e6,
                    s.facts,
                    s.rows,
                    s.articles as f64 / secs.max(1e-9)
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Score {
            truth,
            report,
            format,
            examples,
        } => {
            let rows = compare::gen::read_truth(&truth)?;
            if rows.is_empty() {
                anyhow::bail!(
                    "{} holds no truth rows: there is nothing to score against\n  = help: pass the truth.jsonl that `compare gen` wrote beside the seeds",
                    truth.display()
                );
            }
            let predicted = compare::score::load_report(&report)?;
            let s = compare::score::score(&rows, &predicted, examples);
            // Every row lies on a statement when report and truth are of one corpus; the
            // truth of another seed with the same story ids meets some lines by chance.
            if s.rows_in_statements == 0 {
                eprintln!(
                    "warning: no truth row of {} lies on a statement of {}: is the report that of this corpus?",
                    truth.display(),
                    report.display()
                );
            } else if s.rows_in_statements * 2 < s.rows {
                eprintln!(
                    "warning: only {} of {} truth rows of {} lie on a statement of {}: is the report that of this corpus (the same --stories and --seed)?",
                    s.rows_in_statements,
                    s.rows,
                    truth.display(),
                    report.display()
                );
            }
            match format {
                ScoreFormat::Text => emit(&compare::score::text(&s))?,
                ScoreFormat::Json => emit(&format!("{}\n", serde_json::to_string_pretty(&s)?))?,
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Rules { rules } => {
            let set = compare::rules::load(&rules)?;
            print!(
                "{}",
                compare::explain::rules(&rules.display().to_string(), &set)
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

#[cfg(test)]
mod tests {
    /// At start-up the binary takes over mimalloc's purge delay (src/memory.rs), unless the
    /// user set it.
    #[test]
    fn the_binary_returns_freed_memory_sooner() {
        let user = compare::memory::user_chose_delay();
        let before = compare::memory::purge_delay();
        compare::memory::manage();
        let after = compare::memory::purge_delay();
        if user {
            assert_eq!(after, before);
        } else {
            assert_eq!(after, compare::memory::SOON_MS);
            let kept = compare::memory::keep_freed();
            assert_eq!(compare::memory::purge_delay(), compare::memory::KEPT_MS);
            drop(kept);
            assert_eq!(compare::memory::purge_delay(), compare::memory::SOON_MS);
        }
    }
}
