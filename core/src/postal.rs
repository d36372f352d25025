//! Japan's postal-code lookup: one `postal/NNN.json` file (written by scripts/postal-data.mjs)
//! read into a [`PostalFile`], and what a found code fills in without overwriting what the
//! shopper typed.
//!
//! The file is JSON: `{"1500001":[["東京都","渋谷区","神宮前"]],…}`, keys the seven digits of
//! codes sharing their first three, each with one or more `[prefecture, city, town]` (README,
//! "Postal data"). [`PostalFile`] implements `Deserialize`, so the edge reads it with
//! `serde_json::from_str` (or from a `JsValue`) and gets either the whole file, checked, or an
//! error.

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};

use crate::japan::{PostalCodeJp, Prefecture, PREFECTURES};

/// One address a postal code stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PostalAddress {
    pub prefecture: &'static Prefecture,
    /// The city, ward, town or village, with its county or designated city (`札幌市中央区`).
    pub city: String,
    /// The town (町域, `神宮前`); empty when the code covers the rest of the city.
    pub town: String,
}

impl PostalAddress {
    /// The address on one line, as a list of choices shows it: `東京都渋谷区神宮前`.
    pub fn text(&self) -> String {
        format!("{}{}{}", self.prefecture.name, self.city, self.town)
    }
}

/// One postal file: the codes that share their first three digits, and their addresses.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PostalFile {
    /// Sorted by code (a sorted list and a binary search: no map code in the wasm).
    codes: Vec<(String, Vec<PostalAddress>)>,
}

impl PostalFile {
    /// The addresses of `code`, in Japan Post's order; empty when the file has no such code.
    pub fn lookup(&self, code: &PostalCodeJp) -> &[PostalAddress] {
        self.codes
            .binary_search_by(|(key, _)| key.as_str().cmp(code.key()))
            .map_or(&[], |i| &self.codes[i].1)
    }

    /// How many codes the file holds.
    pub fn len(&self) -> usize {
        self.codes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }
}

/// Reads a whole file or refuses it: every key seven ASCII digits with the same first three,
/// in ascending order (as the build writes them, so the wasm needs no sort), each key once,
/// each with at least one `[prefecture, city, town]`, the prefecture one of the 47 as Japan
/// Post writes it and the city not empty.
impl<'de> Deserialize<'de> for PostalFile {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(PostalFileVisitor)
    }
}

struct PostalFileVisitor;

impl<'de> Visitor<'de> for PostalFileVisitor {
    type Value = PostalFile;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(r#"a postal file: {"1500001": [["東京都", "渋谷区", "神宮前"]], …}"#)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<PostalFile, A::Error> {
        let mut codes: Vec<(String, Vec<PostalAddress>)> = Vec::new();
        while let Some(code) = map.next_key::<String>()? {
            if code.len() != 7 || !code.bytes().all(|b| b.is_ascii_digit()) {
                return Err(de::Error::custom(format!(
                    "postal code \"{code}\" is not seven digits"
                )));
            }
            if let Some((first, _)) = codes.first() {
                if first[..3] != code[..3] {
                    return Err(de::Error::custom(format!(
                        "postal code {code} does not start like {first}: one file holds one prefix"
                    )));
                }
            }
            if let Some((last, _)) = codes.last().filter(|(last, _)| *last >= code) {
                return Err(de::Error::custom(match *last == code {
                    true => format!("postal code {code} is listed twice"),
                    false => format!("postal code {code} comes after {last}: codes ascend"),
                }));
            }
            let rows: Vec<(String, String, String)> = map.next_value()?;
            if rows.is_empty() {
                return Err(de::Error::custom(format!(
                    "postal code {code} has no address"
                )));
            }
            let mut addresses = Vec::with_capacity(rows.len());
            for (prefecture, city, town) in rows {
                let Some(prefecture) = PREFECTURES.iter().find(|p| p.name == prefecture) else {
                    return Err(de::Error::custom(format!(
                        "postal code {code}: \"{prefecture}\" is not a prefecture"
                    )));
                };
                if city.is_empty() {
                    return Err(de::Error::custom(format!("postal code {code} has no city")));
                }
                addresses.push(PostalAddress {
                    prefecture,
                    city,
                    town,
                });
            }
            codes.push((code, addresses));
        }
        Ok(PostalFile { codes })
    }
}

/// The three address fields a postal code fills: the prefecture list's value (a prefecture's
/// name as Japan Post writes it, `東京都`, or empty), the city, and the field the town goes
/// in — a town field, or line 1 where the town comes before the 番地 (`神宮前1-2-3`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AddressParts {
    pub prefecture: String,
    pub city: String,
    pub town: String,
}

/// How a list of choices names each address: by its town where all share the prefecture and
/// the city (`土崎港相染町`), else in full (`東京都あきる野市`); among towns of one city, the
/// code's rest of the city (no town) by the city's name.
pub fn choice_labels(options: &[PostalAddress]) -> Vec<String> {
    let same_city = options
        .windows(2)
        .all(|pair| pair[0].prefecture == pair[1].prefecture && pair[0].city == pair[1].city);
    options
        .iter()
        .map(|a| match (same_city, a.town.is_empty()) {
            (true, false) => a.town.clone(),
            (true, true) => a.city.clone(),
            (false, _) => a.text(),
        })
        .collect()
}

/// The fields after a lookup (`fields`, to show) and the part of each that Kago put there
/// (`ours`, for the UI to keep and hand to the next lookup). A field whose value is not Kago's
/// was typed by the shopper, and no lookup changes it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filled {
    pub fields: AddressParts,
    pub ours: AddressParts,
}

/// What a postal-code lookup does to the form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PostalFill {
    /// One address: the fields become `fields`.
    Fill(Filled),
    /// Several addresses share the code: what they all agree on is filled now (`filled`, often
    /// the prefecture and city), the rest stays until the shopper picks one of `options`, which
    /// [`fill_address`] then fills in (with `filled.ours`).
    Choose {
        filled: Filled,
        options: Vec<PostalAddress>,
    },
    /// No address has the code: nothing changes, and the postal-code field says so.
    NotFound,
}

/// What the addresses `found` for a postal code fill in, given the fields as they are and what
/// the previous lookup put in them (`ours`; empty parts before any lookup).
///
/// Each field is filled only where it is empty or still holds Kago's value; the town field also
/// where it starts with Kago's town, which is replaced and the rest (the 番地 typed after it)
/// kept, so correcting a mistyped code corrects the town. What the shopper typed stays.
pub fn postal_fill(
    found: &[PostalAddress],
    fields: &AddressParts,
    ours: &AddressParts,
) -> PostalFill {
    match found {
        [] => PostalFill::NotFound,
        [address] => PostalFill::Fill(fill_address(address, fields, ours)),
        [first, rest @ ..] => {
            let same_prefecture = rest.iter().all(|a| a.prefecture == first.prefecture);
            let same_city = same_prefecture && rest.iter().all(|a| a.city == first.city);
            let (prefecture, ours_prefecture) = if same_prefecture {
                merge(
                    &fields.prefecture,
                    &ours.prefecture,
                    first.prefecture.name,
                    false,
                )
            } else {
                (fields.prefecture.clone(), ours.prefecture.clone())
            };
            let (city, ours_city) = if same_city {
                merge(&fields.city, &ours.city, &first.city, false)
            } else {
                (fields.city.clone(), ours.city.clone())
            };
            PostalFill::Choose {
                filled: Filled {
                    fields: AddressParts {
                        prefecture,
                        city,
                        town: fields.town.clone(),
                    },
                    ours: AddressParts {
                        prefecture: ours_prefecture,
                        city: ours_city,
                        town: ours.town.clone(),
                    },
                },
                options: found.to_vec(),
            }
        }
    }
}

/// The fields filled from one address (the only one found, or the shopper's pick), by the
/// rules of [`postal_fill`].
pub fn fill_address(address: &PostalAddress, fields: &AddressParts, ours: &AddressParts) -> Filled {
    let (prefecture, ours_prefecture) = merge(
        &fields.prefecture,
        &ours.prefecture,
        address.prefecture.name,
        false,
    );
    let (city, ours_city) = merge(&fields.city, &ours.city, &address.city, false);
    let (town, ours_town) = merge(&fields.town, &ours.town, &address.town, true);
    Filled {
        fields: AddressParts {
            prefecture,
            city,
            town,
        },
        ours: AddressParts {
            prefecture: ours_prefecture,
            city: ours_city,
            town: ours_town,
        },
    }
}

/// One field: its new value and Kago's part of it. `keep_after`: the field may hold Kago's
/// value followed by the shopper's text (the town before the 番地 in line 1).
fn merge(current: &str, ours: &str, new: &str, keep_after: bool) -> (String, String) {
    let shoppers_rest = match () {
        _ if ours.is_empty() => None,
        _ if keep_after => current.strip_prefix(ours),
        _ => (current == ours).then_some(""),
    };
    match shoppers_rest {
        Some(rest) => (format!("{new}{rest}"), new.to_owned()),
        None if current.trim().is_empty() => (new.to_owned(), new.to_owned()),
        None => (current.to_owned(), String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::japan::{normalize_postal_code_jp, prefecture_by_code};
    use proptest::prelude::*;

    const SHIBUYA: &str = r#"{"1500000":[["東京都","渋谷区",""]],"1500001":[["東京都","渋谷区","神宮前"]],"1500002":[["東京都","渋谷区","渋谷"]]}"#;

    fn file(json: &str) -> Result<PostalFile, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    fn code(text: &str) -> PostalCodeJp {
        normalize_postal_code_jp(text).unwrap()
    }

    fn address(prefecture: u8, city: &str, town: &str) -> PostalAddress {
        PostalAddress {
            prefecture: prefecture_by_code(prefecture).unwrap(),
            city: city.into(),
            town: town.into(),
        }
    }

    fn parts(prefecture: &str, city: &str, town: &str) -> AddressParts {
        AddressParts {
            prefecture: prefecture.into(),
            city: city.into(),
            town: town.into(),
        }
    }

    fn jingumae() -> PostalAddress {
        address(13, "渋谷区", "神宮前")
    }

    #[test]
    fn a_postal_file_is_read_and_looked_up_by_code() {
        let shibuya = file(SHIBUYA).unwrap();
        assert_eq!(shibuya.len(), 3);
        assert_eq!(shibuya.lookup(&code("１５０－０００１")), [jingumae()]);
        assert_eq!(shibuya.lookup(&code("150-0000"))[0].town, "");
        assert_eq!(shibuya.lookup(&code("150-0003")), []);
        assert_eq!(shibuya.lookup(&code("160-0001")), []);
        assert_eq!(jingumae().text(), "東京都渋谷区神宮前");
    }

    #[test]
    fn a_code_shared_by_several_towns_or_prefectures_keeps_them_all_in_order() {
        let yatomi =
            file(r#"{"4980000":[["愛知県","弥富市",""],["三重県","桑名郡木曽岬町",""]]}"#).unwrap();
        let found = yatomi.lookup(&code("498-0000"));
        assert_eq!(
            found,
            [address(23, "弥富市", ""), address(24, "桑名郡木曽岬町", "")]
        );
    }

    #[test]
    fn a_file_that_is_not_the_format_is_refused_whole() {
        for (json, why) in [
            (
                r#"{"150001":[["東京都","渋谷区","神宮前"]]}"#,
                "not seven digits",
            ),
            (
                r#"{"150-0001":[["東京都","渋谷区","神宮前"]]}"#,
                "not seven digits",
            ),
            (
                r#"{"1500001":[["東京都","渋谷区","神宮前"]],"1600001":[["東京都","新宿区",""]]}"#,
                "one prefix",
            ),
            (
                r#"{"1500001":[["東京","渋谷区","神宮前"]]}"#,
                "not a prefecture",
            ),
            (r#"{"1500001":[["東京都","","神宮前"]]}"#, "no city"),
            (r#"{"1500001":[]}"#, "no address"),
            (r#"{"1500001":[["東京都","渋谷区"]]}"#, "invalid length"),
            (
                r#"{"1500001":[["東京都","渋谷区","神宮前","x"]]}"#,
                "trailing",
            ),
            (
                r#"{"1500001":[["東京都","渋谷区","神宮前"]],"1500001":[["東京都","渋谷区","渋谷"]]}"#,
                "listed twice",
            ),
            (
                r#"{"1500002":[["東京都","渋谷区","渋谷"]],"1500001":[["東京都","渋谷区","神宮前"]]}"#,
                "postal code 1500001 comes after 1500002: codes ascend",
            ),
            (r#"[["東京都","渋谷区","神宮前"]]"#, "a postal file"),
        ] {
            let err = file(json).expect_err(json);
            assert!(err.contains(why), "{json}: {err}");
        }
        assert_eq!(file("{}").unwrap(), PostalFile::default());
    }

    #[test]
    fn one_address_fills_the_empty_fields() {
        let PostalFill::Fill(filled) = postal_fill(
            &[jingumae()],
            &AddressParts::default(),
            &AddressParts::default(),
        ) else {
            panic!("one address fills")
        };
        assert_eq!(filled.fields, parts("東京都", "渋谷区", "神宮前"));
        assert_eq!(filled.ours, parts("東京都", "渋谷区", "神宮前"));
    }

    #[test]
    fn what_the_shopper_typed_is_never_overwritten() {
        let typed = parts("大阪府", "渋谷", "神宮前一丁目");
        let filled = fill_address(&jingumae(), &typed, &AddressParts::default());
        assert_eq!(filled.fields, typed);
        assert_eq!(filled.ours, AddressParts::default());
        // The shopper replaced Kago's city with their own: it is theirs now.
        let ours = parts("東京都", "渋谷区", "神宮前");
        let filled = fill_address(
            &address(13, "新宿区", "西新宿"),
            &parts("東京都", "しぶや", ""),
            &ours,
        );
        assert_eq!(filled.fields, parts("東京都", "しぶや", "西新宿"));
        assert_eq!(filled.ours, parts("東京都", "", "西新宿"));
    }

    #[test]
    fn a_corrected_code_replaces_what_the_previous_lookup_filled_and_keeps_the_banchi() {
        let first = fill_address(
            &jingumae(),
            &AddressParts::default(),
            &AddressParts::default(),
        );
        // The shopper types the 番地 after the town in line 1, then corrects the code.
        let mut fields = first.fields.clone();
        fields.town.push_str("1-2-3");
        let second = fill_address(&address(13, "新宿区", "西新宿"), &fields, &first.ours);
        assert_eq!(second.fields, parts("東京都", "新宿区", "西新宿1-2-3"));
        assert_eq!(second.ours, parts("東京都", "新宿区", "西新宿"));
        // A code for the rest of a city has no town: Kago's town goes, the 番地 stays.
        let third = fill_address(&address(14, "横浜市中区", ""), &second.fields, &second.ours);
        assert_eq!(third.fields, parts("神奈川県", "横浜市中区", "1-2-3"));
        assert_eq!(third.ours, parts("神奈川県", "横浜市中区", ""));
    }

    #[test]
    fn several_towns_fill_what_they_share_and_offer_the_list() {
        let towns = [
            address(23, "清須市", "春日明河原"),
            address(23, "清須市", "春日一番割"),
        ];
        let PostalFill::Choose { filled, options } =
            postal_fill(&towns, &AddressParts::default(), &AddressParts::default())
        else {
            panic!("several towns are a choice")
        };
        assert_eq!(filled.fields, parts("愛知県", "清須市", ""));
        assert_eq!(filled.ours, parts("愛知県", "清須市", ""));
        assert_eq!(options, towns);
        let picked = fill_address(&options[1], &filled.fields, &filled.ours);
        assert_eq!(picked.fields, parts("愛知県", "清須市", "春日一番割"));
    }

    #[test]
    fn a_code_across_two_prefectures_fills_nothing_before_the_pick() {
        let both = [address(23, "弥富市", ""), address(24, "桑名郡木曽岬町", "")];
        let before = parts("東京都", "渋谷区", "神宮前");
        let PostalFill::Choose { filled, .. } = postal_fill(&both, &before, &before) else {
            panic!("two prefectures are a choice")
        };
        assert_eq!(filled.fields, before);
        assert_eq!(filled.ours, before);
        let picked = fill_address(&both[1], &filled.fields, &filled.ours);
        assert_eq!(picked.fields, parts("三重県", "桑名郡木曽岬町", ""));
    }

    #[test]
    fn choices_are_named_by_town_when_they_share_a_city_else_in_full() {
        let towns = [
            address(5, "秋田市", "土崎港相染町"),
            address(5, "秋田市", "土崎港古川町"),
        ];
        assert_eq!(choice_labels(&towns), ["土崎港相染町", "土崎港古川町"]);
        let cities = [
            address(13, "あきる野市", ""),
            address(13, "西多摩郡日の出町", ""),
        ];
        assert_eq!(
            choice_labels(&cities),
            ["東京都あきる野市", "東京都西多摩郡日の出町"]
        );
        let rest = [address(5, "秋田市", "土崎港"), address(5, "秋田市", "")];
        assert_eq!(choice_labels(&rest), ["土崎港", "秋田市"]);
    }

    #[test]
    fn an_unknown_code_changes_nothing() {
        let fields = parts("東京都", "", "");
        assert_eq!(postal_fill(&[], &fields, &fields), PostalFill::NotFound);
    }

    fn any_address() -> impl Strategy<Value = PostalAddress> {
        (1u8..=47, "[あ-ん]{1,4}[市区町村]", "[あ-ん]{0,4}")
            .prop_map(|(p, city, town)| address(p, &city, &town))
    }

    proptest! {
        #[test]
        fn fields_the_shopper_filled_survive_any_lookup(
            found in proptest::collection::vec(any_address(), 0..4),
            typed in ("[a-zあ-ん0-9]{1,6}", "[a-zあ-ん0-9]{1,6}", "[a-zあ-ん0-9]{1,6}"),
        ) {
            let fields = parts(&typed.0, &typed.1, &typed.2);
            let unchanged = match postal_fill(&found, &fields, &AddressParts::default()) {
                PostalFill::Fill(filled) | PostalFill::Choose { filled, .. } => filled.fields == fields,
                PostalFill::NotFound => true,
            };
            prop_assert!(unchanged);
        }

        #[test]
        fn a_later_lookup_leaves_the_form_as_if_it_were_the_first(
            // A first code with a town, so the town is Kago's and the 番地 the shopper's.
            a in any_address().prop_filter("a town", |a| !a.town.is_empty()),
            b in any_address(),
            banchi in "[0-9]{1,3}(-[0-9]{1,3}){0,2}",
        ) {
            let first = fill_address(&a, &AddressParts::default(), &AddressParts::default());
            let mut fields = first.fields.clone();
            fields.town.push_str(&banchi);
            let again = fill_address(&b, &fields, &first.ours);
            let fresh = fill_address(&b, &AddressParts::default(), &AddressParts::default());
            prop_assert_eq!(again.fields.prefecture, fresh.fields.prefecture);
            prop_assert_eq!(again.fields.city, fresh.fields.city);
            prop_assert_eq!(again.fields.town, format!("{}{banchi}", b.town));
            prop_assert_eq!(again.ours, fresh.ours);
        }
    }
}
