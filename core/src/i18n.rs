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
    pub close: &'static str,
    pub empty: &'static str,
    /// The cart panel while its rows and totals are still being built (as the loader's frame).
    pub loading_cart: &'static str,
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
    pub back_to_cart: &'static str,
    pub contact_support: &'static str,
    pub added: &'static str,
    pub capped: &'static str,
    pub removed: &'static str,
    pub cart_full: &'static str,
    pub total_now: &'static str,
    pub step_of: &'static str,
    pub step_contact: &'static str,
    pub step_delivery: &'static str,
    pub step_review: &'static str,
    pub label_email: &'static str,
    pub label_name: &'static str,
    pub label_country: &'static str,
    pub label_postal_code: &'static str,
    pub label_zip: &'static str,
    pub label_region: &'static str,
    pub label_state: &'static str,
    pub label_prefecture: &'static str,
    pub label_city: &'static str,
    pub label_line1: &'static str,
    pub label_line2: &'static str,
    pub label_phone: &'static str,
    pub err_required: &'static str,
    pub err_email: &'static str,
    pub err_postal_jp: &'static str,
    pub err_postal_us: &'static str,
    pub err_postal: &'static str,
    pub err_phone: &'static str,
    pub err_too_long: &'static str,
    pub errors_summary: &'static str,
    pub continue_to_delivery: &'static str,
    pub continue_to_review: &'static str,
    pub back: &'static str,
    pub edit: &'static str,
    pub delivery_heading: &'static str,
    pub payment_heading: &'static str,
    pub standard_shipping: &'static str,
    pub card_payment: &'static str,
    pub discount_toggle: &'static str,
    pub discount_label: &'static str,
    pub apply: &'static str,
    pub remove_code: &'static str,
    pub code_applied: &'static str,
    pub code_unknown: &'static str,
    pub code_minimum: &'static str,
    pub code_not_applied: &'static str,
    pub place_order: &'static str,
    pub placing: &'static str,
    pub retrying: &'static str,
    pub failed: &'static str,
    pub try_again: &'static str,
    pub rejected_default: &'static str,
    /// Above the notices of an order the shop corrected.
    pub corrected: &'static str,
    pub price_changed: &'static str,
    pub shipping_changed: &'static str,
    pub stock_reduced: &'static str,
    pub sold_out: &'static str,
    pub redirecting: &'static str,
    pub not_configured: &'static str,
    pub confirmation_heading: &'static str,
    pub order_number: &'static str,
    pub order_total: &'static str,
    pub order_payment: &'static str,
    pub next_steps: &'static str,
    pub review_items: &'static str,
    pub contact_heading: &'static str,
    pub ship_to: &'static str,
    pub quantity_times: &'static str,
    pub wallet: &'static str,
    pub edit_contact: &'static str,
    pub edit_delivery: &'static str,
    pub exit_question: &'static str,
    pub exit_optional: &'static str,
    pub reason_shipping_cost: &'static str,
    pub reason_payment_missing: &'static str,
    pub reason_just_looking: &'static str,
    pub reason_other: &'static str,
    pub skip: &'static str,
    pub reminder_consent: &'static str,
    pub register_heading: &'static str,
    pub register_incentive_default: &'static str,
    pub label_new_password: &'static str,
    pub show_password: &'static str,
    pub password_too_short: &'static str,
    pub password_weak: &'static str,
    pub password_fair: &'static str,
    pub password_strong: &'static str,
    pub marketing_opt_in: &'static str,
    pub create_account: &'static str,
    pub send_link: &'static str,
    pub no_thanks: &'static str,
    pub register_sending: &'static str,
    pub register_success: &'static str,
    pub link_sent: &'static str,
    pub your_code: &'static str,
    pub account_exists: &'static str,
    pub sign_in: &'static str,
    pub register_rejected: &'static str,
    pub feedback_question: &'static str,
    pub feedback_scale: &'static str,
    pub feedback_rating: &'static str,
    pub feedback_comment: &'static str,
    pub send: &'static str,
    pub feedback_thanks: &'static str,
    pub or_fill_in: &'static str,
    pub wallet_payment: &'static str,
    pub label_name_kana: &'static str,
    pub err_kana: &'static str,
    pub err_prefecture: &'static str,
    pub choose: &'static str,
    pub email_corrected: &'static str,
    pub postal_filled: &'static str,
    pub postal_choose: &'static str,
    pub postal_not_found: &'static str,
    pub delivery_time_heading: &'static str,
    pub delivery_date: &'static str,
    pub delivery_slot: &'static str,
    pub no_preference: &'static str,
    pub delivery_refused: &'static str,
    // Placing an order under real conditions (two tabs, answers without an order number).
    /// Another tab of the shop is placing the order for this cart.
    pub placing_elsewhere: &'static str,
    /// The confirmation when the shop's answer named no order number.
    pub order_received: &'static str,
    /// Said (live region) when this tab shows the order another tab placed.
    pub placed_elsewhere: &'static str,
}

const EN: Strings = Strings {
    cart_button_one: "Cart, {count} item",
    cart_button_many: "Cart, {count} items",
    cart_dialog: "Cart",
    cart_heading: "Your cart",
    close: "Close",
    empty: "Your cart is empty.",
    loading_cart: "Loading your cart…",
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
    back_to_cart: "Back to cart",
    contact_support: "Contact support",
    added: "Added {item} to your cart.",
    capped: "{item}: at most {count} per order.",
    removed: "Removed {item} from your cart.",
    cart_full: "Your cart is full. Remove an item to add another.",
    total_now: "Total {amount}",
    step_of: "Step {n} of {count}",
    step_contact: "Contact & address",
    step_delivery: "Delivery & payment",
    step_review: "Review",
    label_email: "Email",
    label_name: "Full name",
    label_country: "Country",
    label_postal_code: "Postal code",
    label_zip: "ZIP code",
    label_region: "Region (optional)",
    label_state: "State",
    label_prefecture: "Prefecture",
    label_city: "City",
    label_line1: "Street address",
    label_line2: "Apartment, suite, building (optional)",
    label_phone: "Phone",
    err_required: "Please fill this in.",
    err_email: "Enter an e-mail address like name@example.com.",
    err_postal_jp: "Enter a 7-digit postal code like 150-0001.",
    err_postal_us: "Enter a 5-digit ZIP code like 10001.",
    err_postal: "Enter a valid postal code.",
    err_phone: "Enter a phone number with 7 to 15 digits.",
    err_too_long: "This is too long.",
    errors_summary: "Please check the highlighted fields.",
    continue_to_delivery: "Continue to delivery",
    continue_to_review: "Review order",
    back: "Back",
    edit: "Edit",
    delivery_heading: "Delivery",
    payment_heading: "Payment",
    standard_shipping: "Standard shipping",
    card_payment: "Card (secure payment page)",
    discount_toggle: "Add a discount code",
    discount_label: "Discount code",
    apply: "Apply",
    remove_code: "Remove code {code}",
    code_applied: "Code {code} applied.",
    code_unknown: "This code is not valid.",
    code_minimum: "This code needs a subtotal of at least {amount}.",
    code_not_applied: "Code {code} is not applied now.",
    place_order: "Place order",
    placing: "Placing your order…",
    retrying: "Connection problem. Trying again in {seconds} s…",
    failed: "We could not reach the shop. Your details are kept.",
    try_again: "Try again",
    rejected_default: "The shop could not accept this order.",
    corrected: "The shop updated your order. Check it and place the order again.",
    price_changed: "{item} is now {now} (was {was}).",
    shipping_changed: "Shipping is now {now} (was {was}).",
    stock_reduced: "Only {count} of {item} left: your cart now has {count}.",
    sold_out: "{item} is sold out and was removed from your cart.",
    redirecting: "Continuing to the payment page…",
    not_configured: "Checkout is not set up for this shop yet. Your cart is saved; please contact the shop to order.",
    confirmation_heading: "Thank you for your order",
    order_number: "Order number: {id}",
    order_total: "Total: {amount}",
    order_payment: "Payment: {method}",
    next_steps: "The shop will send a confirmation to {email}. Keep your order number for any questions.",
    review_items: "Items",
    contact_heading: "Contact",
    ship_to: "Ship to",
    quantity_times: "{quantity} × {price}",
    wallet: "Pay with wallet",
    edit_contact: "Edit contact & address",
    edit_delivery: "Edit delivery & payment",
    exit_question: "Before you go: what stopped you?",
    exit_optional: "Optional, one tap.",
    reason_shipping_cost: "Shipping cost",
    reason_payment_missing: "My payment option is missing",
    reason_just_looking: "Just looking",
    reason_other: "Something else",
    skip: "Skip",
    reminder_consent: "E-mail me a reminder if I don't finish this order",
    register_heading: "Save your details for next time",
    register_incentive_default: "Create an account to check out faster and see your orders.",
    label_new_password: "Create a password",
    show_password: "Show password",
    password_too_short: "Use at least {n} characters.",
    password_weak: "Weak: add more characters, numbers or symbols.",
    password_fair: "Fair: a longer password is safer.",
    password_strong: "Strong password.",
    marketing_opt_in: "Send me news and offers by e-mail",
    create_account: "Create account",
    send_link: "E-mail me a sign-in link",
    no_thanks: "No thanks",
    register_sending: "One moment…",
    register_success: "Your account is ready.",
    link_sent: "We sent a sign-in link to {email}.",
    your_code: "Your code: {code}",
    account_exists: "You already have an account with this e-mail.",
    sign_in: "Sign in",
    register_rejected: "The shop could not create the account.",
    feedback_question: "How easy was checkout?",
    feedback_scale: "1 = very hard, 5 = very easy",
    feedback_rating: "{n} of 5",
    feedback_comment: "Anything we could do better? (optional)",
    send: "Send",
    feedback_thanks: "Thank you for your feedback.",
    or_fill_in: "or enter your details",
    wallet_payment: "Wallet",
    label_name_kana: "Name (phonetic)",
    err_kana: "Enter the reading of your name in katakana, like ヤマダ ハナコ.",
    err_prefecture: "Choose a prefecture.",
    choose: "Choose",
    email_corrected: "We changed the full-width ＠ to @.",
    postal_filled: "Address filled in from the postal code: {address}",
    postal_choose: "Choose your area for this postal code",
    postal_not_found: "We could not fill in the address from this postal code. Please enter it below.",
    delivery_time_heading: "Delivery date and time",
    delivery_date: "Delivery date",
    delivery_slot: "Delivery time",
    no_preference: "No preference",
    delivery_refused: "The delivery date or time you chose can no longer be chosen. Please choose again.",
    placing_elsewhere: "This order is being placed in another tab…",
    order_received: "The shop has received your order. It did not send an order number; its confirmation will have one.",
    placed_elsewhere: "This order was placed in another tab.",
};

const JA: Strings = Strings {
    cart_button_one: "カート、{count}点",
    cart_button_many: "カート、{count}点",
    cart_dialog: "カート",
    cart_heading: "ショッピングカート",
    close: "閉じる",
    empty: "カートに商品はありません。",
    loading_cart: "カートを読み込んでいます…",
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
    back_to_cart: "カートに戻る",
    contact_support: "お問い合わせ",
    added: "{item}をカートに追加しました。",
    capped: "{item}は1回のご注文で{count}点までです。",
    removed: "{item}をカートから削除しました。",
    cart_full: "カートがいっぱいです。商品を削除してから追加してください。",
    total_now: "合計 {amount}",
    step_of: "ステップ {n}/{count}",
    step_contact: "連絡先・お届け先",
    step_delivery: "配送・お支払い",
    step_review: "ご注文内容の確認",
    label_email: "メールアドレス",
    label_name: "お名前",
    label_country: "国・地域",
    label_postal_code: "郵便番号",
    label_zip: "郵便番号（ZIP）",
    label_region: "地域（任意）",
    label_state: "州",
    label_prefecture: "都道府県",
    label_city: "市区町村",
    label_line1: "番地",
    label_line2: "建物名・部屋番号（任意）",
    label_phone: "電話番号",
    err_required: "入力してください。",
    err_email: "メールアドレスを name@example.com の形式で入力してください。",
    err_postal_jp: "郵便番号を7桁で入力してください（例: 150-0001）。",
    err_postal_us: "5桁のZIPコードを入力してください（例: 10001）。",
    err_postal: "正しい郵便番号を入力してください。",
    err_phone: "電話番号を7〜15桁の数字で入力してください。",
    err_too_long: "文字数が多すぎます。",
    errors_summary: "入力内容をご確認ください。",
    continue_to_delivery: "配送・お支払いへ進む",
    continue_to_review: "注文内容を確認する",
    back: "戻る",
    edit: "変更",
    delivery_heading: "配送方法",
    payment_heading: "お支払い方法",
    standard_shipping: "通常配送",
    card_payment: "クレジットカード（決済ページ）",
    discount_toggle: "クーポンコードを入力",
    discount_label: "クーポンコード",
    apply: "適用",
    remove_code: "コード {code} を削除",
    code_applied: "コード {code} を適用しました。",
    code_unknown: "このコードは無効です。",
    code_minimum: "このコードは小計{amount}以上でご利用いただけます。",
    code_not_applied: "コード {code} は現在適用されていません。",
    place_order: "注文を確定する",
    placing: "ご注文を送信しています…",
    retrying: "接続に問題があります。{seconds}秒後に再試行します…",
    failed: "ショップに接続できませんでした。入力内容は保持されています。",
    try_again: "もう一度試す",
    rejected_default: "ご注文を受け付けできませんでした。",
    corrected: "ショップがご注文内容を更新しました。内容をご確認のうえ、もう一度ご注文ください。",
    price_changed: "{item}は{now}になりました（変更前 {was}）。",
    shipping_changed: "送料は{now}になりました（変更前 {was}）。",
    stock_reduced: "{item}は残り{count}点のため、カートの数量を{count}点にしました。",
    sold_out: "{item}は売り切れのため、カートから削除しました。",
    redirecting: "決済ページへ移動しています…",
    not_configured: "このショップではまだ購入手続きが設定されていません。カートは保存されています。ご注文はショップにお問い合わせください。",
    confirmation_heading: "ご注文ありがとうございます",
    order_number: "注文番号: {id}",
    order_total: "合計: {amount}",
    order_payment: "お支払い方法: {method}",
    next_steps: "確認メールを {email} にお送りします。お問い合わせの際は注文番号をお知らせください。",
    review_items: "商品",
    contact_heading: "連絡先",
    ship_to: "お届け先",
    quantity_times: "{quantity} × {price}",
    wallet: "ウォレットで支払う",
    edit_contact: "連絡先・お届け先を変更",
    edit_delivery: "配送・お支払いを変更",
    exit_question: "よろしければ、購入をやめた理由を教えてください。",
    exit_optional: "任意・ワンタップで回答できます。",
    reason_shipping_cost: "送料が高い",
    reason_payment_missing: "希望の支払い方法がない",
    reason_just_looking: "見ているだけ",
    reason_other: "その他",
    skip: "回答しない",
    reminder_consent: "購入手続きが完了しなかった場合にリマインドメールを受け取る",
    register_heading: "次回のお買い物をもっとスムーズに",
    register_incentive_default: "アカウントを作成すると、次回から入力が簡単になり、注文履歴も確認できます。",
    label_new_password: "パスワードを作成",
    show_password: "パスワードを表示",
    password_too_short: "{n}文字以上にしてください。",
    password_weak: "弱い：文字数を増やすか、数字や記号を加えてください。",
    password_fair: "普通：もう少し長いとより安全です。",
    password_strong: "強いパスワードです。",
    marketing_opt_in: "お得な情報をメールで受け取る",
    create_account: "アカウントを作成",
    send_link: "ログイン用リンクをメールで受け取る",
    no_thanks: "今回は作成しない",
    register_sending: "送信しています…",
    register_success: "アカウントを作成しました。",
    link_sent: "{email} にログイン用リンクをお送りしました。",
    your_code: "クーポンコード: {code}",
    account_exists: "このメールアドレスのアカウントは既にあります。",
    sign_in: "ログイン",
    register_rejected: "アカウントを作成できませんでした。",
    feedback_question: "購入手続きは簡単でしたか？",
    feedback_scale: "1＝とても難しい、5＝とても簡単",
    feedback_rating: "5段階中{n}",
    feedback_comment: "ご意見があればお聞かせください（任意）",
    send: "送信",
    feedback_thanks: "ご意見ありがとうございます。",
    or_fill_in: "または以下に入力",
    wallet_payment: "ウォレット",
    label_name_kana: "フリガナ",
    err_kana: "フリガナはカタカナで入力してください（例: ヤマダ ハナコ）。",
    err_prefecture: "都道府県を選択してください。",
    choose: "選択してください",
    email_corrected: "全角の「＠」を半角の「@」に変換しました。",
    postal_filled: "郵便番号から住所を入力しました: {address}",
    postal_choose: "この郵便番号の地域を選択してください",
    postal_not_found: "この郵便番号から住所を入力できませんでした。お手数ですが、住所をご入力ください。",
    delivery_time_heading: "配達日時指定",
    delivery_date: "お届け希望日",
    delivery_slot: "お届け時間帯",
    no_preference: "指定なし",
    delivery_refused: "選択された配達日時は現在お選びいただけません。もう一度お選びください。",
    placing_elsewhere: "このご注文は別のタブで送信中です…",
    order_received: "ご注文を受け付けました。注文番号はショップからの確認メールでお知らせします。",
    placed_elsewhere: "このご注文は別のタブで確定しました。",
};

/// Replaces each `{key}` in `template` with its value.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    // One pass, values inserted as they are (a `{…}` inside a value stays). No substring
    // search: that would bring a string searcher's code into the wasm for this alone.
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let known = after.find('}').and_then(|close| {
            let key = &after[..close];
            let value = values.iter().find(|(k, _)| *k == key)?.1;
            Some((close, value))
        });
        match known {
            Some((close, value)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
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
        // Unknown placeholders and stray braces stay as written; any text around them too.
        assert_eq!(fill("{{a}} {c} {a", &[("a", "x"), ("c", "ç")]), "{x} ç {a");
        assert_eq!(fill("「{item}」を削除", &[("item", "T}")]), "「T}」を削除");
        assert_eq!(fill("", &[("a", "x")]), "");
        assert_eq!(fill("{}", &[("", "empty key")]), "empty key");
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
            (en.password_too_short, ja.password_too_short),
            (en.link_sent, ja.link_sent),
            (en.your_code, ja.your_code),
            (en.feedback_rating, ja.feedback_rating),
            (en.step_of, ja.step_of),
            (en.remove_code, ja.remove_code),
            (en.code_applied, ja.code_applied),
            (en.code_minimum, ja.code_minimum),
            (en.code_not_applied, ja.code_not_applied),
            (en.retrying, ja.retrying),
            (en.order_number, ja.order_number),
            (en.order_total, ja.order_total),
            (en.order_payment, ja.order_payment),
            (en.next_steps, ja.next_steps),
            (en.quantity_times, ja.quantity_times),
            (en.cart_button_many, ja.cart_button_many),
            (en.postal_filled, ja.postal_filled),
            (en.price_changed, ja.price_changed),
            (en.shipping_changed, ja.shipping_changed),
            (en.stock_reduced, ja.stock_reduced),
            (en.sold_out, ja.sold_out),
        ];
        for (e, j) in pairs {
            assert_eq!(placeholders(e), placeholders(j), "{e} / {j}");
        }
    }
}
