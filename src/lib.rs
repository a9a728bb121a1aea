//! lexsarah: turns a lex Sarah case file into the official PDF/A documents of the case.
//!
//! The binary is a thin shell around [`run`]; the tests call the same library.

pub mod case;
pub mod check;
pub mod cli;
pub mod commands;
pub mod deadlines;
pub mod diagnostics;
pub mod document;
pub mod files;
pub mod fonts;
pub mod lagrum;
pub mod output;
pub mod profile;
pub mod publish;
pub mod render;
pub mod sign;
pub mod sip;
pub mod source;
pub mod summary;

use std::io::Write;

use cli::{Cli, Command};

/// How a run ended, mapped to the process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExitStatus {
    /// Everything asked for was done (exit 0).
    Success,
    /// A case was refused or failed (exit 1).
    Failure,
    /// A usage error, or a failure outside any one case (exit 2).
    Error,
    /// Something is late (exit 3, from `deadlines`), so that a scheduled job can tell.
    Overdue,
}

impl ExitStatus {
    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::Failure => 1,
            ExitStatus::Error => 2,
            ExitStatus::Overdue => 3,
        }
    }
}

/// Runs a parsed command line, writing data to `out` and messages to `err`.
pub fn run(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> ExitStatus {
    match cli.command {
        Command::Render(args) => commands::render::run(args, out, err),
        Command::Batch(args) => commands::batch::run(args, out, err),
        Command::Bench(args) => commands::bench::run(&args, out, err),
        Command::Check(args) => commands::check::run(&args, out, err),
        Command::Deadlines(args) => commands::deadlines::run(&args, out, err),
        Command::Summary(args) => commands::summary::run(&args, out, err),
        Command::New(args) => {
            let _ = write!(out, "{}", case::new_case_text(&args.profile));
            ExitStatus::Success
        }
        Command::Schema => {
            let _ = writeln!(out, "{}", case::schema::case_schema_text());
            ExitStatus::Success
        }
        Command::Profiles(args) => commands::profiles::run(&args, out, err),
        Command::Serve(args) => commands::serve::run(&args, err),
        Command::Sign(args) => commands::sign::run(&args, out, err),
        Command::Verify(args) => commands::verify::run(&args, out, err),
        Command::Sip(args) => commands::sip::run(&args, out, err),
    }
}
