//! The `lexsarah` command: parse the arguments, run, exit with the status.

use std::process::ExitCode;

/// jemalloc keeps a many-threaded batch's memory flat where the system allocator fragments.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    // Help, the version and usage errors, in Swedish.
    let cli: lexsarah::cli::Cli = match lexsarah::cli::parse_in_swedish() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    let status = lexsarah::run(cli, &mut std::io::stdout(), &mut std::io::stderr());
    ExitCode::from(status.code())
}
