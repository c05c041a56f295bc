//! The analysis stages one by one, on a generated corpus held in memory, on one thread:
//! the best of several repetitions of each stage.
//!
//! Whole builds on a shared machine move by 10–25% from one run to the next, so a change
//! worth a few percent of one stage cannot be seen in them. This reads no file and writes
//! none, uses one thread, and keeps the best time of each stage, which moves by a percent
//! or two.
//!
//! ```sh
//! cargo bench --bench stages                # 194 stories (about 1 000 articles), 10 repetitions
//! cargo bench --bench stages -- 400 5       # STORIES REPETITIONS
//! ```
//!
//! The corpus is `compare gen --seed 1`'s, story by story, so the first N stories are the
//! same whatever N is.

use compare::{align, entities, extract, gen, ingest, rules, verdict};
use std::time::{Duration, Instant};

fn main() -> anyhow::Result<()> {
    // `cargo bench` passes `--bench` to a harness-less target; numbers are ours.
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let stories = args.first().copied().unwrap_or(194);
    let reps = args.get(1).copied().unwrap_or(10).max(1);
    let rules_path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules.toml");
    let rules = rules::load(&rules_path)?;
    let articles: Vec<(String, Vec<u8>)> = (0..stories)
        .flat_map(|i| gen::story(1, i).articles)
        .map(|(path, text)| (path, text.into_bytes()))
        .collect();
    let megabytes = articles.iter().map(|(_, b)| b.len()).sum::<usize>() as f64 / 1e6;
    println!(
        "{stories} stories, {} articles, {megabytes:.1} MB; one thread, best of {reps}",
        articles.len()
    );

    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build()?;
    let mut best = [Duration::MAX; 5];
    let mut counts = (0, 0, 0);
    pool.install(|| -> anyhow::Result<()> {
        for _ in 0..reps {
            let mut stage = 0;
            let mut timed = |t: Instant| {
                best[stage] = best[stage].min(t.elapsed());
                stage += 1;
            };
            // `parse` takes the bytes as a file read gives them, its own to keep as the text.
            let owned: Vec<Vec<u8>> = articles.iter().map(|(_, bytes)| bytes.clone()).collect();
            let t = Instant::now();
            let mut docs = articles
                .iter()
                .zip(owned)
                .map(|((path, _), bytes)| {
                    ingest::parse(path, path, bytes, &rules, ingest::ReadOptions::default())
                        .map(|(doc, _)| doc)
                        .map_err(anyhow::Error::msg)
                })
                .collect::<anyhow::Result<Vec<_>>>()?;
            timed(t);
            let t = Instant::now();
            let (texts, mut sentences) = compare::sentences(&mut docs, 0, &rules);
            timed(t);
            let t = Instant::now();
            let published: Vec<_> = docs.iter().map(|d| d.published).collect();
            let keys = extract::Keys {
                texts: &texts,
                first_doc: 0,
            };
            let claims = extract::claims(&rules, &published, &mut sentences, keys, 0);
            timed(t);
            let t = Instant::now();
            // As `compare::analyse` times them: the names grouped with the alignment.
            let entities = entities::group(&rules, &claims, |c| &docs[c.doc].text[c.span.clone()]);
            let (groups, _) = align::groups(&rules, &docs, &sentences, &claims);
            timed(t);
            let t = Instant::now();
            let namers = verdict::Namers::of(&entities, &claims, &docs);
            let givers = verdict::Givers::of(&groups, &claims, &sentences, &docs);
            let wording = verdict::Wording::of(&rules);
            let judged: Vec<_> = groups
                .iter()
                .map(|g| verdict::judge(g, &claims, &sentences, &docs, &namers, &givers, &wording))
                .collect();
            timed(t);
            counts = (sentences.len(), claims.len(), judged.len());
        }
        Ok(())
    })?;
    let (sentences, claims, statements) = counts;
    println!("{sentences} sentences, {claims} claims, {statements} statements");
    let names = ["ingest", "normalise+segment", "extract", "align", "verdict"];
    for (name, d) in names.iter().zip(best) {
        println!("{name:>18}: {:>9.1} ms", d.as_secs_f64() * 1000.0);
    }
    let total: Duration = best.iter().sum();
    println!(
        "{:>18}: {:>9.1} ms ({:.0} articles/s on one thread)",
        "sum",
        total.as_secs_f64() * 1000.0,
        articles.len() as f64 / total.as_secs_f64()
    );
    Ok(())
}
