//! Regular expressions from the schema and the profiles, each compiled once per process.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use regex::Regex;

/// Every pattern compiled so far, by its text.
static COMPILED: LazyLock<Mutex<HashMap<String, Regex>>> = LazyLock::new(Default::default);

/// The compiled form of `pattern`, from the cache when it was compiled before.
pub fn compiled(pattern: &str) -> Result<Regex, regex::Error> {
    let mut cache = COMPILED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(regex) = cache.get(pattern) {
        return Ok(regex.clone());
    }
    let regex = Regex::new(pattern)?;
    cache.insert(pattern.to_owned(), regex.clone());
    Ok(regex)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pattern_compiles_once_and_matches_as_written() {
        let first = compiled(r"^\d{4}$").unwrap();
        let again = compiled(r"^\d{4}$").unwrap();
        assert!(first.is_match("2026") && again.is_match("2026"));
        assert!(!again.is_match("26"));
        assert!(compiled("(").is_err());
    }
}
