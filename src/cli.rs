//! The command line: clap types only, turned into a validated config before any work starts.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Turns a lex Sarah case file (YAML) into the official PDF documents of the case.
#[derive(Debug, Parser)]
#[command(name = "lexsarah", version, about, max_term_width = 100)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Render the documents of one or more cases to PDF.
    Render(RenderArgs),
}

/// Arguments of `lexsarah render`.
#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The case files (YAML).
    #[arg(required = true, value_name = "CASE.yaml")]
    pub cases: Vec<PathBuf>,

    /// Render only this document (repeat for several).
    #[arg(long = "doc", value_enum, value_name = "DOC")]
    pub docs: Vec<DocArg>,

    /// Write the PDFs into this folder instead of beside each case.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    #[command(flatten)]
    pub profile: ProfileArgs,

    #[command(flatten)]
    pub pdf: PdfArgs,
}

/// Which organisation profile to use.
#[derive(Debug, Args)]
pub struct ProfileArgs {
    /// Use this profile instead of the one the case names: a built-in name or a profile file.
    #[arg(long = "profile", value_name = "NAME|FILE")]
    pub profile: Option<String>,
}

/// How the PDF is written.
#[derive(Debug, Args)]
pub struct PdfArgs {
    /// PDF standards to meet, comma-separated, as Typst names them (a-1b, a-2b, a-2a, ua-1, ...).
    #[arg(long = "pdf-standard", value_name = "LIST", default_value = "a-2b")]
    pub pdf_standard: String,
}

/// A document, as `--doc` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DocArg {
    /// Lex Sarah-rapport.
    Rapport,
    /// Lex Sarah-utredning.
    Utredning,
    /// Beslut enligt delegation.
    Beslut,
    /// Tjänsteskrivelse (Stockholm: tjänsteutlåtande).
    Tjansteskrivelse,
}
