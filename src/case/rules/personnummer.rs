//! Finding what looks like a Swedish personnummer in text that will be published.

use std::sync::LazyLock;

use regex::Regex;

/// Strings shaped like a personnummer or samordningsnummer with a valid check digit, in every
/// common writing: `YYMMDD-NNNN`, `YYMMDD+NNNN`, `YYYYMMDD-NNNN`, `YYYYMMDDNNNN`, `YYMMDDNNNN`,
/// with or without spaces around the sign or between the parts.
///
/// This is the one detection for every text that is published.
pub fn personnummer_candidates(text: &str) -> Vec<&str> {
    static PATTERN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(?:\d{2})?\d{6}(?: ?[-+] ?| )?\d{4}\b").expect("a valid pattern")
    });
    PATTERN
        .find_iter(text)
        .map(|m| m.as_str())
        .filter(|s| {
            let digits: Vec<u32> = s.chars().filter_map(|c| c.to_digit(10)).collect();
            if digits.len() == 12 && !matches!(digits[0] * 10 + digits[1], 18..=20) {
                return false;
            }
            // The check digit covers the ten digits YYMMDDNNNN.
            let ten = &digits[digits.len() - 10..];
            luhn_valid(ten) && plausible_date(&ten[..6])
        })
        .collect()
}

/// Every string in a value (a section of the case as JSON), keys left out: names, titles,
/// lists and free text alike, so that no field of a published document is skipped.
pub fn strings_in(value: &serde_json::Value) -> Vec<&str> {
    match value {
        serde_json::Value::String(s) => vec![s.as_str()],
        serde_json::Value::Array(items) => items.iter().flat_map(strings_in).collect(),
        serde_json::Value::Object(map) => map.values().flat_map(strings_in).collect(),
        _ => Vec::new(),
    }
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

    #[test]
    fn every_common_writing_is_found() {
        for written in [
            "121212-1212",
            "121212+1212",
            "19121212-1212",
            "191212121212",
            "1212121212",
            "121212 - 1212",
            "121212 1212",
            "19121212 1212",
        ] {
            assert_eq!(
                personnummer_candidates(&format!("född {written}, bor")),
                [written],
                "{written}"
            );
        }
        // A samordningsnummer adds 60 to the day: 121272-1219 for the 12th.
        assert_eq!(personnummer_candidates("121272-1219"), ["121272-1219"]);
        // Telephone numbers and diarienummer are left alone.
        for other in [
            "08-508 358 39",
            "0142-850 00",
            "AMN 2026-0412-1.3",
            "2020-0428_200324",
        ] {
            assert!(personnummer_candidates(other).is_empty(), "{other}");
        }
    }
}
