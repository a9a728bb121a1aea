//! The integration tests: one binary, one module per area, all against real PDFs.

mod check;
mod common;
mod documents;
mod render;
mod signature;
mod structure;
