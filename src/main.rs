//! `rapport`: the server and the operator's commands.

mod cli;

use std::process::ExitCode;

use clap::Parser;

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
