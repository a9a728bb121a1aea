//! The `lexsarah` command: parse the arguments, run, exit with the status.

use std::process::ExitCode;

use clap::Parser;

/// jemalloc keeps a many-threaded batch's memory flat where the system allocator fragments.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    let cli = match lexsarah::cli::Cli::try_parse() {
        Ok(cli) => cli,
        // Help, the version and usage errors, in Swedish.
        Err(e) => {
            let text = lexsarah::cli::swedish(&e.render().to_string());
            return if e.use_stderr() {
                eprint!("{text}");
                ExitCode::from(2)
            } else {
                print!("{text}");
                ExitCode::SUCCESS
            };
        }
    };
    let status = lexsarah::run(cli, &mut std::io::stdout(), &mut std::io::stderr());
    ExitCode::from(status.code())
}
