//! Finding what looks like a Swedish personnummer in text that will be published.

use std::sync::LazyLock;

use regex::Regex;

/// Strings shaped like a personnummer (YYMMDD-NNNN or YYYYMMDDNNNN) with a valid check digit.
pub fn personnummer_candidates(text: &str) -> Vec<&str> {
    static PATTERN: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\b(\d{6}[-+]\d{4}|\d{12})\b").expect("a valid pattern"));
    PATTERN
        .find_iter(text)
        .map(|m| m.as_str())
        .filter(|s| {
            let digits: Vec<u32> = s.chars().filter_map(|c| c.to_digit(10)).collect();
            // The check digit covers the ten digits YYMMDDNNNN.
            let ten = &digits[digits.len() - 10..];
            luhn_valid(ten) && plausible_date(&ten[..6])
        })
        .collect()
}

/// Whether the digits pass the Luhn check used by Swedish personnummer.
fn luhn_valid(digits: &[u32]) -> bool {
    let sum: u32 = digits
        .iter()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 0 {
                let twice = d * 2;
                twice / 10 + twice % 10
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// Whether YYMMDD could be a birth date (samordningsnummer add 60 to the day).
fn plausible_date(yymmdd: &[u32]) -> bool {
    let month = yymmdd[2] * 10 + yymmdd[3];
    let day = yymmdd[4] * 10 + yymmdd[5];
    let day = if day > 60 { day - 60 } else { day };
    (1..=12).contains(&month) && (1..=31).contains(&day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_personnummer_needs_a_valid_check_digit() {
        // 121212-1212 is the test number Skatteverket uses for the invented Tolvan Tolvansson.
        assert_eq!(
            personnummer_candidates("född 121212-1212."),
            ["121212-1212"]
        );
        assert_eq!(personnummer_candidates("191212121212"), ["191212121212"]);
        assert!(personnummer_candidates("121212-1213").is_empty());
        assert!(personnummer_candidates("AMN 2019-0746-1.3 och 190624").is_empty());
    }
}
