//! Helpers shared by the test binaries (each includes this module with `mod common;`).
// Each binary uses some of them.
#![allow(dead_code)]

use std::path::Path;
use std::process::Output;

/// `compare ARGS` run in `dir`, through the real binary.
pub fn compare(dir: &Path, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_compare"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("compare runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A fresh temporary seeds folder holding `files`, each a path inside it (with `/`
/// between folders, which are made as needed) and the file's text. The folder is the
/// returned directory itself, removed when it is dropped.
pub fn seeds_from<P: AsRef<Path>, T: AsRef<[u8]>>(files: &[(P, T)]) -> tempfile::TempDir {
    let seeds = tempfile::Builder::new()
        .prefix("seeds-")
        .tempdir()
        .expect("temporary seeds folder");
    for (path, text) in files {
        let path = seeds.path().join(path);
        let folder = path.parent().expect("a file in the seeds folder");
        std::fs::create_dir_all(folder)
            .unwrap_or_else(|e| panic!("make {}: {e}", folder.display()));
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }
    seeds
}
