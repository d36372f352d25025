//! Every shopper-facing string, in English and Japanese, from one table per locale.

/// A language the widget speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Locale {
    En,
    Ja,
}

impl Locale {
    /// Reads a BCP 47 tag by its primary subtag (`ja`, `ja-JP`, `EN-us`).
    pub fn from_tag(tag: &str) -> Option<Locale> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or("");
        match primary.to_ascii_lowercase().as_str() {
            "en" => Some(Locale::En),
            "ja" => Some(Locale::Ja),
            _ => None,
        }
    }

    /// The tag handed to `Intl` and written into orders and events.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Ja => "ja",
        }
    }

    pub fn strings(self) -> &'static Strings {
        match self {
            Locale::En => &EN,
            Locale::Ja => &JA,
        }
    }
}

/// One locale's strings. `{name}` placeholders are filled with [`fill`].
pub struct Strings {
    pub cart_button_one: &'static str,
    pub cart_button_many: &'static str,
    pub cart_dialog: &'static str,
    pub cart_heading: &'static str,
    pub close_cart: &'static str,
    pub empty: &'static str,
    pub continue_shopping: &'static str,
    pub items_list: &'static str,
    pub unit_price: &'static str,
    pub quantity_of: &'static str,
    pub decrease: &'static str,
    pub increase: &'static str,
    pub remove: &'static str,
    pub summary: &'static str,
    pub subtotal: &'static str,
    pub discount: &'static str,
    pub shipping: &'static str,
    pub free: &'static str,
    pub tax: &'static str,
    pub total: &'static str,
    pub tax_included: &'static str,
    pub free_shipping_hint: &'static str,
    pub checkout: &'static str,
    pub checkout_heading: &'static str,
    pub checkout_unavailable: &'static str,
    pub back_to_cart: &'static str,
    pub contact_support: &'static str,
    pub added: &'static str,
    pub capped: &'static str,
    pub removed: &'static str,
    pub cart_full: &'static str,
    pub total_now: &'static str,
}

const EN: Strings = Strings {
    cart_button_one: "Cart, {count} item",
    cart_button_many: "Cart, {count} items",
    cart_dialog: "Cart",
    cart_heading: "Your cart",
    close_cart: "Close cart",
    empty: "Your cart is empty.",
    continue_shopping: "Continue shopping",
    items_list: "Items in your cart",
    unit_price: "{price} each",
    quantity_of: "Quantity of {item}",
    decrease: "Decrease quantity of {item}",
    increase: "Increase quantity of {item}",
    remove: "Remove {item}",
    summary: "Order summary",
    subtotal: "Subtotal",
    discount: "Discount",
    shipping: "Shipping",
    free: "Free",
    tax: "Tax",
    total: "Total",
    tax_included: "incl. {amount} tax",
    free_shipping_hint: "Add {amount} more for free shipping.",
    checkout: "Checkout",
    checkout_heading: "Checkout",
    checkout_unavailable:
        "Online checkout is not available here yet. Your cart is saved on this device.",
    back_to_cart: "Back to cart",
    contact_support: "Contact support",
    added: "Added {item} to your cart.",
    capped: "{item}: at most {count} per order.",
    removed: "Removed {item} from your cart.",
    cart_full: "Your cart is full. Remove an item to add another.",
    total_now: "Total {amount}",
};

const JA: Strings = Strings {
    cart_button_one: "カート、{count}点",
    cart_button_many: "カート、{count}点",
    cart_dialog: "カート",
    cart_heading: "ショッピングカート",
    close_cart: "カートを閉じる",
    empty: "カートに商品はありません。",
    continue_shopping: "買い物を続ける",
    items_list: "カート内の商品",
    unit_price: "単価 {price}",
    quantity_of: "{item}の数量",
    decrease: "{item}の数量を減らす",
    increase: "{item}の数量を増やす",
    remove: "{item}を削除",
    summary: "ご注文内容",
    subtotal: "小計",
    discount: "割引",
    shipping: "送料",
    free: "無料",
    tax: "消費税",
    total: "合計",
    tax_included: "（うち消費税 {amount}）",
    free_shipping_hint: "あと{amount}のお買い上げで送料無料です。",
    checkout: "ご購入手続きへ",
    checkout_heading: "ご購入手続き",
    checkout_unavailable: "このショップではまだオンライン購入手続きをご利用いただけません。カートはこの端末に保存されています。",
    back_to_cart: "カートに戻る",
    contact_support: "お問い合わせ",
    added: "{item}をカートに追加しました。",
    capped: "{item}は1回のご注文で{count}点までです。",
    removed: "{item}をカートから削除しました。",
    cart_full: "カートがいっぱいです。商品を削除してから追加してください。",
    total_now: "合計 {amount}",
};

/// Replaces each `{key}` in `template` with its value.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (key, value) in values {
        out = out.replace(&format!("{{{key}}}"), value);
    }
    out
}

/// "Cart, 3 items": the cart button's accessible name.
pub fn cart_button_label(locale: Locale, count: u32) -> String {
    let s = locale.strings();
    let template = if count == 1 {
        s.cart_button_one
    } else {
        s.cart_button_many
    };
    fill(template, &[("count", &count.to_string())])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locale_tags_are_read_by_primary_subtag() {
        assert_eq!(Locale::from_tag("ja-JP"), Some(Locale::Ja));
        assert_eq!(Locale::from_tag("EN_us"), Some(Locale::En));
        assert_eq!(Locale::from_tag("fr"), None);
        assert_eq!(Locale::from_tag(""), None);
    }

    #[test]
    fn cart_label_is_pluralised() {
        assert_eq!(cart_button_label(Locale::En, 1), "Cart, 1 item");
        assert_eq!(cart_button_label(Locale::En, 3), "Cart, 3 items");
        assert_eq!(cart_button_label(Locale::Ja, 3), "カート、3点");
    }

    #[test]
    fn fill_replaces_every_placeholder_and_leaves_values_alone() {
        assert_eq!(
            fill("{a} and {a}, {b}", &[("a", "x"), ("b", "{a}")]),
            "x and x, {a}"
        );
    }

    #[test]
    fn both_locales_use_the_same_placeholders() {
        let placeholders = |s: &str| {
            let mut keys: Vec<String> = s
                .split('{')
                .skip(1)
                .filter_map(|p| p.split_once('}'))
                .map(|(k, _)| k.into())
                .collect();
            keys.sort();
            keys
        };
        let (en, ja) = (Locale::En.strings(), Locale::Ja.strings());
        let pairs = [
            (en.unit_price, ja.unit_price),
            (en.quantity_of, ja.quantity_of),
            (en.decrease, ja.decrease),
            (en.increase, ja.increase),
            (en.remove, ja.remove),
            (en.tax_included, ja.tax_included),
            (en.free_shipping_hint, ja.free_shipping_hint),
            (en.added, ja.added),
            (en.capped, ja.capped),
            (en.removed, ja.removed),
            (en.total_now, ja.total_now),
            (en.cart_button_many, ja.cart_button_many),
        ];
        for (e, j) in pairs {
            assert_eq!(placeholders(e), placeholders(j), "{e} / {j}");
        }
    }
}
