//! Rules about text a merchant or shopper typed: e-mail shape, full-width input, and the
//! "did you mean" distance for misspelt setting names.

/// A plausible address: one `@`, something before it, a dot in the domain, no spaces.
pub fn is_email(text: &str) -> bool {
    match text.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.bytes().any(|b| b == b'@')
                && domain.bytes().any(|b| b == b'.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !text.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    }
}

/// An absolute `http:`/`https:` URL or a same-site path; never `javascript:` or `data:`.
pub fn is_web_url(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    let valid_rest =
        |rest: &str| !rest.is_empty() && !rest.chars().any(|c| c.is_whitespace() || c.is_control());
    if let Some(rest) = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
    {
        return valid_rest(rest);
    }
    text.starts_with('/') && !text.starts_with("//") && valid_rest(text)
}

/// Full-width ASCII (typed with a Japanese IME) to its half-width form.
pub fn half_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            'ー' | '‐' | '−' | '–' | '—' => '-',
            _ => c,
        })
        .collect()
}

/// Levenshtein distance in bytes (setting names are ASCII), for "did you mean" hints.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b = b.as_bytes();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.bytes().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = (previous + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(current + 1);
            previous = current;
        }
    }
    row[b.len()]
}

/// The known name closest to `name`, if it is a near miss (at most two edits away).
pub fn near_miss<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    known
        .into_iter()
        .map(|k| (edit_distance(k, name), k))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_emails_are_checked() {
        assert!(is_web_url("https://shop.example/help"));
        assert!(is_web_url("/help"));
        assert!(!is_web_url("//evil.example"));
        assert!(!is_web_url("JavaScript:alert(1)"));
        assert!(!is_web_url("https://"));
        assert!(is_email("a@b.co"));
        assert!(!is_email("a@b"));
        assert!(!is_email("a b@c.de"));
    }

    #[test]
    fn near_misses_are_found_and_far_names_are_not() {
        let known = ["currency", "tax_rate", "shipping_methods"];
        assert_eq!(near_miss("curency", known), Some("currency"));
        assert_eq!(
            near_miss("shiping_methods", known),
            Some("shipping_methods")
        );
        assert_eq!(near_miss("colour", known), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn full_width_input_becomes_half_width() {
        assert_eq!(half_width("１５０ー０００１"), "150-0001");
        assert_eq!(half_width("ａ＠ｂ．ｃｏ"), "a@b.co");
    }
}
