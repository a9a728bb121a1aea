//! The integration tests: one binary, one module per area, all against real PDFs.

mod batch;
mod check;
mod common;
mod documents;
mod hostile;
mod render;
mod signature;
mod structure;
