//! The `lexsarah` command: parse the arguments, run, exit with the status.

use std::process::ExitCode;

use clap::Parser;

/// jemalloc keeps a many-threaded batch's memory flat where the system allocator fragments.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    let cli = lexsarah::cli::Cli::parse();
    let status = lexsarah::run(cli, &mut std::io::stdout(), &mut std::io::stderr());
    ExitCode::from(status.code())
}
