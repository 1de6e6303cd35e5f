//! `rapport`: the server and the operator's commands.

mod cli;

use std::process::ExitCode;

use clap::Parser;

/// mimalloc: the server allocates and frees small buffers on every request from two or more
/// threads; glibc's malloc spent several percent of the CPU of a cached read in its
/// bookkeeping (`_int_malloc`, `malloc_consolidate`, `unlink_chunk`). See BENCHMARKS.md.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // One line, as operators' scripts expect: the error and its causes.
            let causes: Vec<String> = err.chain().map(ToString::to_string).collect();
            eprintln!("rapport: {}", causes.join(": "));
            ExitCode::FAILURE
        }
    }
}
