//! The page, its script and its style, compiled into the binary: nothing is loaded from elsewhere.

/// The page.
pub const INDEX_HTML: &str = include_str!("../assets/index.html");
/// The form, generated from the case schema, with its checks and preview.
pub const APP_JS: &str = include_str!("../assets/app.js");
/// The look.
pub const APP_CSS: &str = include_str!("../assets/app.css");
