//! What Japanese shoppers type, made uniform (full-width digits, postal codes, a full-width ＠,
//! phone numbers, kana readings), and the 47 prefectures in their standard order.

use crate::i18n::Locale;

/// Full-width digits (`０`–`９`) and the hyphens and dashes a Japanese keyboard types (`－`, `‐`,
/// `−`, `–`, `—`) to ASCII. The prolonged sound mark `ー` (and half-width `ｰ`) becomes `-` only
/// after a digit (`１ー２` → `1-2`), since after kana it is part of a word (`コーポ`). Every
/// other character stays as it is.
pub fn normalize_digits(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut after_digit = false;
    for c in text.chars() {
        let mapped = match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '－' | '‐' | '−' | '–' | '—' => '-',
            'ー' | 'ｰ' if after_digit => '-',
            _ => c,
        };
        after_digit = mapped.is_ascii_digit();
        out.push(mapped);
    }
    out
}

/// A Japanese postal code: seven ASCII digits.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PostalCodeJp(String);

impl PostalCodeJp {
    /// The seven digits without the hyphen (`1500001`): the key in a postal file.
    pub fn key(&self) -> &str {
        &self.0
    }

    /// The first three digits (`150`): the postal file `postal/150.json` holds the code.
    pub fn prefix(&self) -> &str {
        &self.0[..3]
    }
}

/// As Japanese addresses write it: `150-0001`.
impl std::fmt::Display for PostalCodeJp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{}", &self.0[..3], &self.0[3..])
    }
}

/// Reads a Japanese postal code typed in any width: `１５０－０００１`, `150-0001`, `1500001`
/// and `〒150-0001` all give `150-0001`. `None` for anything else (a wrong number of digits,
/// the hyphen elsewhere, letters, spaces inside).
pub fn normalize_postal_code_jp(text: &str) -> Option<PostalCodeJp> {
    let text = normalize_digits(text.trim());
    let text = text.strip_prefix('〒').unwrap_or(&text).trim_start();
    let digits = match text.split_once('-') {
        Some((head, tail)) if head.len() == 3 && tail.len() == 4 => format!("{head}{tail}"),
        Some(_) => return None,
        None => text.to_owned(),
    };
    (digits.len() == 7 && digits.bytes().all(|b| b.is_ascii_digit()))
        .then_some(PostalCodeJp(digits))
}

/// A value after a correction the shopper should be told about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Corrected {
    pub value: String,
    /// Whether `value` differs from what was typed (the UI says what it changed).
    pub corrected: bool,
}

/// The full-width `＠` a Japanese keyboard types in an e-mail address, as `@`; nothing else
/// changes.
pub fn normalize_email_at(text: &str) -> Corrected {
    Corrected {
        value: text.replace('＠', "@"),
        corrected: text.contains('＠'),
    }
}

/// A phone number typed in any width, in ASCII: digits and hyphens ([`normalize_digits`]),
/// `＋`, `（`, `）` and the full-width space; trimmed. It checks nothing (`validate_field` does).
pub fn normalize_phone(text: &str) -> String {
    normalize_digits(text)
        .chars()
        .map(|c| match c {
            '＋' => '+',
            '（' => '(',
            '）' => ')',
            '\u{3000}' => ' ',
            _ => c,
        })
        .collect::<String>()
        .trim()
        .to_owned()
}

/// Hiragana to katakana as the shopper types a reading (`やまだ たろう` → `ヤマダ タロウ`),
/// for a フリガナ field that wants katakana; every other character stays as it is.
pub fn to_katakana(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            // ぁ…ゖ and the iteration marks ゝゞ sit 0x60 below ァ…ヶ and ヽヾ.
            'ぁ'..='ゖ' | 'ゝ' | 'ゞ' => char::from_u32(c as u32 + 0x60).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Whether `text` is a reading in katakana: katakana, the prolonged sound mark `ー`, the middle
/// dot `・` (between the parts of a foreign name) and spaces, half- or full-width; at least one
/// katakana letter. An empty value is not a reading (the caller decides whether one is required).
pub fn is_katakana_reading(text: &str) -> bool {
    let is_letter = |c: char| matches!(c, 'ァ'..='ヺ' | 'ヽ' | 'ヾ');
    text.chars().any(is_letter)
        && text
            .chars()
            .all(|c| is_letter(c) || matches!(c, 'ー' | '・' | ' ' | '\u{3000}'))
}

/// One of Japan's 47 prefectures.
#[derive(Debug, PartialEq, Eq)]
pub struct Prefecture {
    /// The JIS X 0401 code, 1 (北海道) to 47 (沖縄県).
    pub code: u8,
    /// The name as Japan Post and addresses write it: `東京都`.
    pub name: &'static str,
    /// The romanised name for English labels, without macrons or suffix: `Tokyo`.
    pub name_en: &'static str,
}

impl Prefecture {
    /// The label a list of prefectures shows in `locale`.
    pub fn label(&self, locale: Locale) -> &'static str {
        match locale {
            Locale::Ja => self.name,
            Locale::En => self.name_en,
        }
    }
}

macro_rules! prefectures {
    ($($code:literal $name:literal $en:literal),* $(,)?) => {
        [$(Prefecture { code: $code, name: $name, name_en: $en }),*]
    };
}

/// The 47 prefectures in JIS X 0401 order (north to south), the order Japanese forms list them.
pub const PREFECTURES: [Prefecture; 47] = prefectures![
    1 "北海道" "Hokkaido", 2 "青森県" "Aomori", 3 "岩手県" "Iwate", 4 "宮城県" "Miyagi",
    5 "秋田県" "Akita", 6 "山形県" "Yamagata", 7 "福島県" "Fukushima", 8 "茨城県" "Ibaraki",
    9 "栃木県" "Tochigi", 10 "群馬県" "Gunma", 11 "埼玉県" "Saitama", 12 "千葉県" "Chiba",
    13 "東京都" "Tokyo", 14 "神奈川県" "Kanagawa", 15 "新潟県" "Niigata", 16 "富山県" "Toyama",
    17 "石川県" "Ishikawa", 18 "福井県" "Fukui", 19 "山梨県" "Yamanashi", 20 "長野県" "Nagano",
    21 "岐阜県" "Gifu", 22 "静岡県" "Shizuoka", 23 "愛知県" "Aichi", 24 "三重県" "Mie",
    25 "滋賀県" "Shiga", 26 "京都府" "Kyoto", 27 "大阪府" "Osaka", 28 "兵庫県" "Hyogo",
    29 "奈良県" "Nara", 30 "和歌山県" "Wakayama", 31 "鳥取県" "Tottori", 32 "島根県" "Shimane",
    33 "岡山県" "Okayama", 34 "広島県" "Hiroshima", 35 "山口県" "Yamaguchi", 36 "徳島県" "Tokushima",
    37 "香川県" "Kagawa", 38 "愛媛県" "Ehime", 39 "高知県" "Kochi", 40 "福岡県" "Fukuoka",
    41 "佐賀県" "Saga", 42 "長崎県" "Nagasaki", 43 "熊本県" "Kumamoto", 44 "大分県" "Oita",
    45 "宮崎県" "Miyazaki", 46 "鹿児島県" "Kagoshima", 47 "沖縄県" "Okinawa",
];

/// The prefecture a name means: as Japan Post writes it (`東京都`), without its 都/道/府/県
/// (`東京`, as some autofill profiles keep it), or its English name in any case (`tokyo`).
/// Surrounding spaces are ignored.
pub fn prefecture_by_name(name: &str) -> Option<&'static Prefecture> {
    let name = name.trim();
    if name.is_empty() {
        return None;
    }
    PREFECTURES.iter().find(|p| {
        p.name == name
            || p.name.strip_suffix(['都', '道', '府', '県']) == Some(name)
            || p.name_en.eq_ignore_ascii_case(name)
    })
}

/// The prefecture with a JIS X 0401 code (1–47).
pub fn prefecture_by_code(code: u8) -> Option<&'static Prefecture> {
    PREFECTURES.get(usize::from(code).checked_sub(1)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn full_width(ascii: &str) -> String {
        ascii
            .chars()
            .map(|c| match c {
                '0'..='9' => char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap(),
                '-' => '－',
                _ => c,
            })
            .collect()
    }

    #[test]
    fn full_width_digits_and_hyphens_become_ascii() {
        assert_eq!(normalize_digits("０１２３４５６７８９"), "0123456789");
        for dash in ["－", "‐", "−", "–", "—"] {
            assert_eq!(normalize_digits(&format!("03{dash}1234")), "03-1234");
        }
        assert_eq!(normalize_digits("１ー２ー３"), "1-2-3");
        assert_eq!(normalize_digits("1ｰ2"), "1-2");
    }

    #[test]
    fn a_prolonged_sound_mark_in_a_word_stays() {
        assert_eq!(normalize_digits("コーポ１０１"), "コーポ101");
        assert_eq!(normalize_digits("ー１"), "ー1");
        assert_eq!(
            normalize_digits("神宮前１ー２ー３ ハイツ・ローズ"),
            "神宮前1-2-3 ハイツ・ローズ"
        );
    }

    #[test]
    fn postal_codes_in_any_width_read_as_the_same_code() {
        for typed in [
            "１５０－０００１",
            "150-0001",
            "1500001",
            "１５００００１",
            "150ー0001",
            " 150-0001 ",
            "\u{3000}１５０－０００１\u{3000}",
            "〒150-0001",
            "〒 １５０－０００１",
        ] {
            let code = normalize_postal_code_jp(typed).unwrap_or_else(|| panic!("{typed:?}"));
            assert_eq!(code.key(), "1500001", "{typed:?}");
            assert_eq!(code.prefix(), "150");
            assert_eq!(code.to_string(), "150-0001");
        }
    }

    #[test]
    fn anything_but_seven_digits_is_not_a_postal_code() {
        for typed in [
            "",
            "150",
            "150-001",
            "150-00001",
            "15000001",
            "1500-001",
            "150--0001",
            "150 0001",
            "-1500001",
            "1500001-",
            "150-000a",
            "〒",
            "１５０－０００１〒",
            "150-0001 東京都",
        ] {
            assert_eq!(normalize_postal_code_jp(typed), None, "{typed:?}");
        }
    }

    #[test]
    fn a_full_width_at_sign_is_corrected_and_reported() {
        assert_eq!(
            normalize_email_at("hanako＠example.jp"),
            Corrected {
                value: "hanako@example.jp".into(),
                corrected: true
            }
        );
        assert_eq!(
            normalize_email_at("hanako@example.jp"),
            Corrected {
                value: "hanako@example.jp".into(),
                corrected: false
            }
        );
        // Only the ＠: other full-width letters are the e-mail check's business.
        assert_eq!(
            normalize_email_at("ｈａｎａｋｏ＠x.jp").value,
            "ｈａｎａｋｏ@x.jp"
        );
    }

    #[test]
    fn phone_numbers_typed_full_width_become_ascii() {
        assert_eq!(normalize_phone("０３－１２３４－５６７８"), "03-1234-5678");
        assert_eq!(
            normalize_phone(" ０９０ー１２３４ー５６７８ "),
            "090-1234-5678"
        );
        assert_eq!(
            normalize_phone("＋８１\u{3000}（３）１２３４"),
            "+81 (3)1234"
        );
    }

    #[test]
    fn hiragana_becomes_katakana_and_the_rest_stays() {
        assert_eq!(to_katakana("やまだ たろう"), "ヤマダ タロウ");
        assert_eq!(to_katakana("ぁゖゝゞ"), "ァヶヽヾ");
        assert_eq!(to_katakana("すずき　ゆーじ"), "スズキ　ユージ");
        assert_eq!(to_katakana("山田 Taro カナ ・"), "山田 Taro カナ ・");
    }

    #[test]
    fn katakana_readings_are_recognised() {
        for ok in [
            "ヤマダ タロウ",
            "スズキ　ユージ",
            "ジョン・スミス",
            "ヴァン",
            "ヶ",
        ] {
            assert!(is_katakana_reading(ok), "{ok:?}");
        }
        for bad in [
            "",
            " ",
            "ー",
            "・",
            "やまだ",
            "山田",
            "Yamada",
            "ﾔﾏﾀﾞ",
            "ヤマダ1",
            "ヤマダ-タロウ",
        ] {
            assert!(!is_katakana_reading(bad), "{bad:?}");
        }
    }

    #[test]
    fn the_47_prefectures_run_from_hokkaido_to_okinawa_in_jis_order() {
        assert_eq!(PREFECTURES.len(), 47);
        for (i, p) in PREFECTURES.iter().enumerate() {
            assert_eq!(usize::from(p.code), i + 1, "{}", p.name);
            assert!(p.name.ends_with(['都', '道', '府', '県']), "{}", p.name);
            assert!(
                p.name_en.chars().all(|c| c.is_ascii_alphabetic()),
                "{}",
                p.name_en
            );
        }
        assert_eq!(PREFECTURES[0].name, "北海道");
        assert_eq!(PREFECTURES[12].name, "東京都");
        assert_eq!(PREFECTURES[46].name_en, "Okinawa");
        let mut names: Vec<_> = PREFECTURES.iter().map(|p| p.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 47);
        assert_eq!(PREFECTURES[26].label(Locale::Ja), "大阪府");
        assert_eq!(PREFECTURES[26].label(Locale::En), "Osaka");
    }

    #[test]
    fn a_prefecture_is_found_by_its_japan_post_name_short_name_or_english_name() {
        for p in &PREFECTURES {
            assert_eq!(prefecture_by_name(p.name), Some(p));
            assert_eq!(prefecture_by_name(&p.name_en.to_uppercase()), Some(p));
            assert_eq!(prefecture_by_code(p.code), Some(p));
        }
        assert_eq!(prefecture_by_name(" 東京 ").map(|p| p.code), Some(13));
        assert_eq!(prefecture_by_name("京都").map(|p| p.code), Some(26));
        assert_eq!(
            prefecture_by_name("\u{3000}神奈川県").map(|p| p.code),
            Some(14)
        );
        for unknown in ["", "東京市", "Tokio", "渋谷区", "都"] {
            assert_eq!(prefecture_by_name(unknown), None, "{unknown:?}");
        }
        assert_eq!(prefecture_by_code(0), None);
        assert_eq!(prefecture_by_code(48), None);
    }

    proptest! {
        #[test]
        fn normalizing_digits_twice_changes_nothing_more(text in "[0-9０-９ー－ｰ‐a-zあ-んア-ン ]{0,20}") {
            let once = normalize_digits(&text);
            prop_assert_eq!(normalize_digits(&once), once.clone());
            prop_assert_eq!(once.chars().count(), text.chars().count());
            prop_assert!(!once.chars().any(|c| ('０'..='９').contains(&c)));
        }

        #[test]
        fn every_seven_digit_code_reads_back_in_every_width(
            digits in "[0-9]{7}",
            hyphen in any::<bool>(),
            wide in any::<bool>(),
        ) {
            let typed = if hyphen { format!("{}-{}", &digits[..3], &digits[3..]) } else { digits.clone() };
            let typed = if wide { full_width(&typed) } else { typed };
            let code = normalize_postal_code_jp(&typed);
            prop_assert_eq!(code.as_ref().map(PostalCodeJp::key), Some(digits.as_str()));
            let shown = code.map(|c| c.to_string());
            prop_assert_eq!(shown, Some(format!("{}-{}", &digits[..3], &digits[3..])));
        }

        #[test]
        fn a_code_of_another_length_is_refused(digits in "[0-9]{0,6}|[0-9]{8,12}") {
            prop_assert_eq!(normalize_postal_code_jp(&digits), None);
            prop_assert_eq!(normalize_postal_code_jp(&full_width(&digits)), None);
        }

        #[test]
        fn typed_hiragana_always_makes_a_katakana_reading(text in "[ぁ-ゖ]{1,8}( [ぁ-ゖー]{1,8})?") {
            let reading = to_katakana(&text);
            prop_assert!(is_katakana_reading(&reading), "{:?}", reading);
            prop_assert_eq!(to_katakana(&reading), reading.clone());
            prop_assert_eq!(reading.chars().count(), text.chars().count());
        }

        #[test]
        fn to_katakana_leaves_everything_but_hiragana(text in "[a-zA-Z0-9ア-ン漢字 ー・]{0,20}") {
            prop_assert_eq!(to_katakana(&text), text);
        }
    }
}
