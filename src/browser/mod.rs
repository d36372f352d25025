//! The browser edge: thin wrappers that move data between the page and the core.
//! Each module has one job; errors are reported, never unwrapped.

pub mod after_frame;
pub mod console;
pub mod funnel;
pub mod host_events;
pub mod http;
pub mod js_api;
pub mod locks;
pub mod media;
pub mod money_format;
pub mod mount;
pub mod postal;
pub mod product_clicks;
pub mod script_tag;
pub mod session;
pub mod storage;
pub mod url;
pub mod wallet;

/// The shopper's language from `navigator.language`, English when it is neither `en` nor `ja`.
pub fn navigator_locale() -> kago_core::i18n::Locale {
    web_sys::window()
        .and_then(|w| w.navigator().language())
        .and_then(|tag| kago_core::i18n::Locale::from_tag(&tag))
        .unwrap_or(kago_core::i18n::Locale::En)
}

/// A new random id (`crypto.randomUUID`), for idempotency keys and event ids.
pub fn random_id() -> String {
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.random_uuid())
        .unwrap_or_else(|| {
            format!(
                "kago-{}",
                js_sys::Date::now() as u64 ^ (js_sys::Math::random() * 1e15) as u64
            )
        })
}
