//! `lexsarah serve`: starts the browser form, `lexsarah-serve`, which is its own program so
//! that lexsarah itself has no web server among its dependencies.

use std::io::Write;
use std::path::PathBuf;
use std::process::Command;

use crate::ExitStatus;
use crate::cli::ServeArgs;

/// The form's program.
const PROGRAM: &str = "lexsarah-serve";

/// Runs `lexsarah-serve` beside this program, or else the one on PATH, with the same arguments.
pub fn run(args: &ServeArgs, err: &mut dyn Write) -> ExitStatus {
    let beside = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(PROGRAM)))
        .filter(|path| path.is_file());
    let program = beside.unwrap_or_else(|| PathBuf::from(PROGRAM));
    let mut command = Command::new(&program);
    if let Some(dir) = &args.dir {
        command.arg(dir);
    }
    if let Some(port) = args.port {
        command.arg("--port").arg(port.to_string());
    }
    for dir in &args.allow_paths {
        command.arg("--allow-path").arg(dir);
    }
    match command.status() {
        Ok(status) if status.success() => ExitStatus::Success,
        Ok(_) => ExitStatus::Error,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let _ = writeln!(
                err,
                "fel: formuläret (programmet {PROGRAM}) är inte installerat\n  = tips: installera det från lexsarahs källkod med `cargo install --path serve`, eller bygg allt med `cargo build --release --workspace`"
            );
            ExitStatus::Error
        }
        Err(e) => {
            let _ = writeln!(
                err,
                "fel: {} kan inte startas: {}",
                program.display(),
                crate::source::io_reason(&e)
            );
            ExitStatus::Error
        }
    }
}
