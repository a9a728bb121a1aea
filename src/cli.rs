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
    /// Check cases against the format and the rules of the process, without rendering.
    Check(CheckArgs),
    /// Print a new case file with every field and a comment on what goes there.
    New(NewArgs),
    /// Print the JSON Schema of the case file, for editors.
    Schema,
    /// List the built-in organisation profiles, or print one as a starting point.
    Profiles(ProfilesArgs),
}

/// Arguments of `lexsarah new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// The profile the new case names: a built-in name or a profile file.
    #[arg(
        long = "profile",
        value_name = "NAME|FILE",
        default_value = "stockholm"
    )]
    pub profile: String,
}

/// Arguments of `lexsarah profiles`.
#[derive(Debug, Args)]
pub struct ProfilesArgs {
    /// `show NAME` prints a built-in profile; without it, the built-in profiles are listed.
    #[command(subcommand)]
    pub action: Option<ProfilesAction>,
}

/// What `lexsarah profiles` does.
#[derive(Debug, Subcommand)]
pub enum ProfilesAction {
    /// Print a built-in profile, to save and change for your own organisation.
    Show {
        /// The built-in profile's name.
        name: String,
    },
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
    pub rules: RuleArgs,

    #[command(flatten)]
    pub pdf: PdfArgs,

    #[command(flatten)]
    pub typst: TypstArgs,
}

/// The templates as a plain Typst project.
#[derive(Debug, Args)]
pub struct TypstArgs {
    /// Also write each document as a Typst project: DIR/<stem>-<doc>/main.typ with its data.
    #[arg(long = "emit-typst", value_name = "DIR")]
    pub emit_typst: Option<PathBuf>,

    /// Render with your own copy of the templates (a folder with main.typ, as --emit-typst writes).
    #[arg(long = "templates", value_name = "DIR")]
    pub templates: Option<PathBuf>,
}

/// Arguments of `lexsarah check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The case files (YAML).
    #[arg(required = true, value_name = "CASE.yaml")]
    pub cases: Vec<PathBuf>,

    #[command(flatten)]
    pub profile: ProfileArgs,

    #[command(flatten)]
    pub rules: RuleArgs,

    /// How problems are printed: for people, or as one JSON array on standard output.
    #[arg(long = "diagnostic-format", value_enum, default_value = "human")]
    pub diagnostic_format: FormatArg,
}

/// How strictly the rules are applied.
#[derive(Debug, Args)]
pub struct RuleArgs {
    /// Treat warnings as errors: a case with any warning is refused.
    #[arg(long)]
    pub strict: bool,
}

/// A `--diagnostic-format` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// For people: the place, the line and a marker under the value.
    Human,
    /// One JSON array of diagnostic objects, for editors and scripts.
    Json,
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
    ///
    /// Default: a-2b, and a-2a,ua-1 for the tjänsteskrivelse, which is published.
    #[arg(long = "pdf-standard", value_name = "LIST")]
    pub pdf_standard: Option<String>,
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
