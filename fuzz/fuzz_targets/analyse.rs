//! Arbitrary bytes as an article: ingest (decoding, front matter, Markdown, metadata,
//! boilerplate), normalisation, segmentation and extraction must never panic, and what
//! they return must point inside the text. The first byte picks the file name (`.md` or
//! `.txt`) and `--lossy`, so both readers and both decoders are fuzzed.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn rules() -> &'static compare::rules::RuleSet {
    static RULES: OnceLock<compare::rules::RuleSet> = OnceLock::new();
    RULES.get_or_init(|| {
        compare::rules::compile("rules.toml", include_str!("../../rules.toml"))
            .expect("the shipped rules compile")
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, bytes)) = data.split_first() else {
        return;
    };
    let name = if flags & 1 == 0 { "fuzz.txt" } else { "fuzz.md" };
    let read = compare::ingest::ReadOptions {
        lossy: flags & 2 != 0,
    };
    if let Ok((doc, sentences, claims)) = compare::analyse_bytes(name, bytes, rules(), read) {
        assert_eq!(doc.body.len(), doc.text.len(), "body and text keep one length");
        for s in &sentences {
            assert!(doc.text.get(s.span.clone()).is_some(), "sentence {:?}", s.span);
        }
        for c in &claims {
            assert!(doc.text.get(c.span.clone()).is_some(), "claim {:?}", c.span);
        }
    }
});
