//! One module per subcommand; each turns its arguments into a config and runs it.

pub mod batch;
pub mod bench;
pub mod check;
pub mod profiles;
pub mod render;
