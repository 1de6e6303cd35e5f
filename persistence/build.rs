//! Rebuilds when a migration changes, and fingerprints the PostgreSQL migrations so test
//! templates made from an older set are never reused.

use std::fs;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=../migrations");
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut files = Vec::new();
    collect(Path::new("../migrations/postgres"), &mut files);
    files.sort();
    for file in files {
        for byte in file
            .to_string_lossy()
            .bytes()
            .chain(fs::read(&file).unwrap_or_default())
        {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    println!("cargo:rustc-env=RAPPORT_PG_MIGRATIONS_HASH={hash:016x}");
}

fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        println!("cargo:rerun-if-changed={}", path.display());
        if path.is_dir() {
            collect(&path, out);
        } else {
            out.push(path);
        }
    }
}
