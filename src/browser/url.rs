//! The browser's URL parser for the core's URL rule (`kago_core::url`): merchant URLs resolved
//! as the page itself resolves them, against `document.baseURI`. Example:
//! `check_url("img/tote.png", UrlUse::Image, &PageUrls)` on `https://shop.example/p/tote.html`
//! gives `Ok("https://shop.example/p/img/tote.png")`.

use kago_core::url::{ResolveUrl, ResolvedUrl};

/// The page's URL parser (`new URL(text, document.baseURI)`) and origin.
#[derive(Clone, Copy, Debug, Default)]
pub struct PageUrls;

impl ResolveUrl for PageUrls {
    fn resolve(&self, text: &str) -> Option<ResolvedUrl> {
        let base = web_sys::window()?.document()?.base_uri().ok()??;
        let url = web_sys::Url::new_with_base(text, &base).ok()?;
        Some(ResolvedUrl {
            href: url.href(),
            protocol: url.protocol(),
            origin: url.origin(),
        })
    }

    fn page_origin(&self) -> String {
        web_sys::window()
            .and_then(|w| w.location().origin().ok())
            .unwrap_or_default()
    }
}
