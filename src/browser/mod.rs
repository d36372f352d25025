//! The browser edge: thin wrappers that move data between the page and the core.
//! Each module has one job; errors are reported, never unwrapped.

pub mod console;
pub mod money_format;
pub mod mount;
pub mod product_clicks;
pub mod script_tag;
pub mod storage;

/// The shopper's language from `navigator.language`, English when it is neither `en` nor `ja`.
pub fn navigator_locale() -> crate::core::i18n::Locale {
    web_sys::window()
        .and_then(|w| w.navigator().language())
        .and_then(|tag| crate::core::i18n::Locale::from_tag(&tag))
        .unwrap_or(crate::core::i18n::Locale::En)
}
