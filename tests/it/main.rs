//! The integration tests: one binary, one module per area, all against real PDFs.

mod access;
mod anmalan;
mod batch;
mod check;
mod common;
mod deadlines;
mod documents;
mod golden;
mod hardening;
mod hostile;
mod lagrum;
mod notis;
mod published;
mod render;
mod serve;
mod signature;
mod signing;
mod sip;
mod structure;
mod summary;
mod swedish;
