//! Helpers shared by the test binaries (each includes this module with `mod common;`).

use std::path::Path;

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
