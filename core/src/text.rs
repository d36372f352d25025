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

/// Free text with every e-mail address replaced by `[email]` and every phone number (a run of
/// digits, spaces, `+ - ( ) .` holding at least 7 digits, full-width ones too) by `[phone]`, so a
/// comment a shopper types never carries their contact details.
pub fn redact_contact(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let width = |c: char| half_width(&c.to_string()).chars().next().unwrap_or(c);
    let local = |c: char| c.is_alphanumeric() || "._%+-'".contains(c);
    let domain = |c: char| c.is_alphanumeric() || ".-".contains(c);
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        // An e-mail address: the longest local part before an `@` and domain after it.
        if width(chars[i]) == '@' {
            let start = (0..i).rev().take_while(|&j| local(width(chars[j]))).last();
            let end = (i + 1..chars.len())
                .take_while(|&j| domain(width(chars[j])))
                .last()
                .map(|j| {
                    // A sentence's full stop after the address is not part of it.
                    (i + 1..=j)
                        .rev()
                        .find(|&k| width(chars[k]) != '.')
                        .unwrap_or(j)
                });
            if let (Some(start), Some(end)) = (start, end) {
                let host: String = chars[i + 1..=end].iter().map(|c| width(*c)).collect();
                if host.contains('.') && !host.starts_with('.') {
                    let kept = out.chars().count() - (i - start);
                    out = out.chars().take(kept).collect();
                    out.push_str("[email]");
                    i = end + 1;
                    continue;
                }
            }
        }
        // A phone number: starts with a digit, `+` or `(`.
        let c = width(chars[i]);
        let before_is_word = i > 0 && width(chars[i - 1]).is_ascii_alphanumeric();
        if (c.is_ascii_digit() || c == '+' || c == '(') && !before_is_word {
            let run = (i..chars.len())
                .take_while(|&j| {
                    let c = width(chars[j]);
                    c.is_ascii_digit() || " +-().".contains(c)
                })
                .last()
                .unwrap_or(i);
            let last_digit = (i..=run).rev().find(|&j| width(chars[j]).is_ascii_digit());
            if let Some(end) = last_digit {
                let digits = (i..=end)
                    .filter(|&j| width(chars[j]).is_ascii_digit())
                    .count();
                if digits >= 7 {
                    out.push_str("[phone]");
                    i = end + 1;
                    continue;
                }
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
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
    fn emails_are_checked() {
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
    fn comments_lose_e_mail_addresses_and_phone_numbers() {
        for (typed, sent) in [
            (
                "Call me on 090-1234-5678 or mail ada.l+shop@example.co.uk.",
                "Call me on [phone] or mail [email].",
            ),
            ("(212) 555-0100, please", "[phone], please"),
            ("+81 3 1234 5678", "[phone]"),
            ("電話は０９０ー１２３４ー５６７８です", "電話は[phone]です"),
            ("ａｄａ＠ｅｘａｍｐｌｅ．ｃｏｍ", "[email]"),
            (
                "Easy! 5 stars, took 2 minutes in 2024",
                "Easy! 5 stars, took 2 minutes in 2024",
            ),
            ("Order 12-34 arrived @ noon", "Order 12-34 arrived @ noon"),
            ("sku ABC1234567 was fine", "sku ABC1234567 was fine"),
            ("", ""),
        ] {
            assert_eq!(redact_contact(typed), sent, "{typed}");
        }
    }

    #[test]
    fn full_width_input_becomes_half_width() {
        assert_eq!(half_width("１５０ー０００１"), "150-0001");
        assert_eq!(half_width("ａ＠ｂ．ｃｏ"), "a@b.co");
    }
}
