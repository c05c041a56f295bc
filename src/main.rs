//! The `compare` command line: parse flags, call the library, print the one error, exit.
//! Exit codes: 0 success, 1 findings (`check` problems), 2 bad input or usage.

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

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
        /// Print the time spent in each stage on stderr
        #[arg(long)]
        timings: bool,
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
    /// List the claim types of rules.toml with their descriptions and example counts
    Rules {
        #[arg(long, default_value = "rules.toml")]
        rules: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{}", compare::diag::error_text(&e));
            ExitCode::from(2)
        }
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
        } => {
            let outcome = compare::build(&compare::Options {
                seeds,
                rules,
                out: out.clone(),
                force,
                lossy,
            })?;
            for w in &outcome.warnings {
                eprintln!("{w}");
            }
            if timings {
                for (stage, d) in &outcome.timings {
                    eprintln!("{stage:>18}: {:>9.3} ms", d.as_secs_f64() * 1000.0);
                }
                eprintln!(
                    "{:>18}: {}",
                    "candidate pairs", outcome.stats.candidate_pairs
                );
            }
            eprintln!(
                "wrote {}: {}",
                out.display(),
                compare::render::markdown::corpus_line(&outcome.report)
            );
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
            print!("{}", compare::explain::article(&file, &set, read)?);
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
