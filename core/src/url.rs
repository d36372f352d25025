//! The one rule for every URL a merchant (or a merchant's endpoint) gives Kago: images, links,
//! endpoints and the order answer's `redirect_url`.
//!
//! The core cannot parse URLs the way browsers do (`/\evil.example/x` is a path to a reader and
//! `http://evil.example/x` to a browser), so it never tries: the edge resolves the text with the
//! browser's own parser against the page (`new URL(text, document.baseURI)`) and hands the
//! parts to [`check_url`], which decides by what the browser will actually load or open.
//!
//! | use | allowed after resolution |
//! |---|---|
//! | [`UrlUse::Image`], [`UrlUse::Link`] | `http:` or `https:`, any origin (a CDN, a help site) |
//! | [`UrlUse::Endpoint`], [`UrlUse::Redirect`] | the page's own origin, or any `https:` origin |
//!
//! Whatever the use, text written like a path (`/\host/…`, `\\host`) that the browser reads as
//! another host is refused: a reader (and the merchant) takes it for a path on this site.

use std::fmt;

/// What the browser's URL parser made of a text, resolved against the page's base URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolvedUrl {
    /// The whole absolute URL (`https://cdn.example.com/x.jpg`).
    pub href: String,
    /// The scheme with its colon, lower case, as `URL.protocol` gives it (`https:`).
    pub protocol: String,
    /// `URL.origin` (`https://cdn.example.com`; `null` for opaque origins).
    pub origin: String,
}

/// Resolves URL text the way the page's browser does; implemented by the browser edge (and by
/// tests with a few fixed answers).
pub trait ResolveUrl {
    /// `new URL(text, document.baseURI)`, or `None` when the parser throws.
    fn resolve(&self, text: &str) -> Option<ResolvedUrl>;
    /// The page's own origin (`location.origin`), which a `<base href>` does not change.
    fn page_origin(&self) -> String;
}

/// What a URL is for; each use has its rule (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UrlUse {
    /// A product's thumbnail.
    Image,
    /// A page the shopper may open (support page, sign-in page).
    Link,
    /// Where Kago sends data (orders, events, registrations).
    Endpoint,
    /// Where an order answer sends the shopper (hosted payment).
    Redirect,
}

/// Why a URL is refused; `Display` ends the sentence "…, which …".
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UrlProblem {
    /// The browser's parser cannot read it.
    Unreadable,
    /// It resolves to a scheme other than `http:`/`https:` (`javascript:`, `data:`, `mailto:`).
    Scheme { protocol: String },
    /// Plain `http:` on another origin than the page's, for an endpoint or a redirect.
    Insecure { href: String },
    /// Written like a path, read by the browser as another host.
    LooksLikePath { href: String },
}

impl fmt::Display for UrlProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UrlProblem::Unreadable => write!(f, "is not a URL the browser can read"),
            UrlProblem::Scheme { protocol } => {
                write!(f, "is a {protocol} URL, not http: or https:")
            }
            UrlProblem::Insecure { href } => write!(
                f,
                "resolves to {href}: plain http: on another site than this page's (use https:)"
            ),
            UrlProblem::LooksLikePath { href } => write!(
                f,
                "looks like a path on this site, but the browser reads it as {href}, another site"
            ),
        }
    }
}

/// Whether `text` starts like a path (a slash or backslash) but its first two characters make
/// the browser read a host: `/\host`, `\/host`, `\\host`. (`//host` is the usual way to write a
/// protocol-relative URL, and allowed.) Tabs and newlines are dropped first, as the parser does.
fn path_that_names_a_host(text: &str) -> bool {
    let mut start = text
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'));
    match (start.next(), start.next()) {
        (Some(a), Some(b)) => {
            matches!(a, '/' | '\\') && matches!(b, '/' | '\\') && (a == '\\' || b == '\\')
        }
        _ => false,
    }
}

/// Checks `text` for `use_` and returns the absolute URL to use (so a relative image path keeps
/// pointing where it did on the page that added it).
pub fn check_url(text: &str, use_: UrlUse, urls: &dyn ResolveUrl) -> Result<String, UrlProblem> {
    let resolved = urls.resolve(text).ok_or(UrlProblem::Unreadable)?;
    if !matches!(resolved.protocol.as_str(), "http:" | "https:") {
        return Err(UrlProblem::Scheme {
            protocol: resolved.protocol,
        });
    }
    if path_that_names_a_host(text) {
        return Err(UrlProblem::LooksLikePath {
            href: resolved.href,
        });
    }
    let sends_or_sends_to = matches!(use_, UrlUse::Endpoint | UrlUse::Redirect);
    if sends_or_sends_to && resolved.protocol == "http:" && resolved.origin != urls.page_origin() {
        return Err(UrlProblem::Insecure {
            href: resolved.href,
        });
    }
    Ok(resolved.href)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A stand-in for the browser's parser on `http://shop.example/products/tee.html`: it gives
    /// the answers real browsers give for the texts these tests use (the browser test suite and
    /// the e2e tests check the real parser).
    pub(crate) struct Page;

    fn parts(protocol: &str, rest: &str) -> ResolvedUrl {
        let host = rest.split('/').next().unwrap_or("");
        let path = &rest[host.len()..];
        let path = if path.is_empty() { "/" } else { path };
        ResolvedUrl {
            href: format!("{protocol}//{host}{path}"),
            protocol: protocol.into(),
            origin: format!("{protocol}//{host}"),
        }
    }

    impl ResolveUrl for Page {
        fn resolve(&self, text: &str) -> Option<ResolvedUrl> {
            let text = text.trim();
            if text.is_empty() || text.contains(' ') {
                return None;
            }
            // Special schemes read a backslash as a slash.
            let slashed = text.replace('\\', "/");
            if let Some(rest) = slashed.strip_prefix("//") {
                return Some(parts("http:", rest));
            }
            if let Some((scheme, rest)) = text.split_once(':') {
                if !scheme.is_empty() && scheme.chars().all(|c| c.is_ascii_alphabetic()) {
                    let protocol = format!("{}:", scheme.to_ascii_lowercase());
                    return Some(match protocol.as_str() {
                        "http:" | "https:" => parts(&protocol, rest.trim_start_matches('/')),
                        _ => ResolvedUrl {
                            href: format!("{protocol}{rest}"),
                            protocol,
                            origin: "null".into(),
                        },
                    });
                }
            }
            let path = match slashed.strip_prefix("../") {
                Some(up) => format!("/{up}"),
                None if slashed.starts_with('/') => slashed,
                None => format!("/products/{slashed}"),
            };
            Some(parts("http:", &format!("shop.example{path}")))
        }

        fn page_origin(&self) -> String {
            "http://shop.example".into()
        }
    }

    #[test]
    fn relative_paths_and_protocol_relative_cdn_urls_resolve_against_the_page() {
        for (text, href) in [
            ("img/tote.png", "http://shop.example/products/img/tote.png"),
            ("../img/tote.png", "http://shop.example/img/tote.png"),
            ("/img/tote.png", "http://shop.example/img/tote.png"),
            ("//cdn.example.com/x.jpg", "http://cdn.example.com/x.jpg"),
        ] {
            assert_eq!(
                check_url(text, UrlUse::Image, &Page),
                Ok(href.into()),
                "{text}"
            );
        }
    }

    #[test]
    fn a_path_the_browser_reads_as_another_host_is_refused_for_every_use() {
        for text in ["/\\evil.example/x", "\\\\evil.example/x"] {
            for use_ in [
                UrlUse::Image,
                UrlUse::Link,
                UrlUse::Endpoint,
                UrlUse::Redirect,
            ] {
                assert_eq!(
                    check_url(text, use_, &Page),
                    Err(UrlProblem::LooksLikePath {
                        href: "http://evil.example/x".into()
                    }),
                    "{text} as {use_:?}"
                );
            }
        }
        assert!(!path_that_names_a_host("//cdn.example.com/x.jpg"));
        assert!(path_that_names_a_host(" /\t\\evil.example"));
        assert!(!path_that_names_a_host("/"));
    }

    #[test]
    fn only_http_and_https_pass_whatever_the_text_looked_like() {
        for (text, protocol) in [
            ("JavaScript:alert(1)", "javascript:"),
            ("data:text/html,x", "data:"),
            ("mailto:a@b.co", "mailto:"),
        ] {
            assert_eq!(
                check_url(text, UrlUse::Link, &Page),
                Err(UrlProblem::Scheme {
                    protocol: protocol.into()
                })
            );
        }
        assert_eq!(
            check_url("no such", UrlUse::Image, &Page),
            Err(UrlProblem::Unreadable)
        );
        assert_eq!(
            check_url("JavaScript:alert(1)", UrlUse::Redirect, &Page),
            Err(UrlProblem::Scheme {
                protocol: "javascript:".into()
            }),
            "never a script, whatever the use"
        );
    }

    #[test]
    fn endpoints_and_redirects_stay_on_the_page_origin_or_go_https() {
        for use_ in [UrlUse::Endpoint, UrlUse::Redirect] {
            assert_eq!(
                check_url("/api/orders", use_, &Page),
                Ok("http://shop.example/api/orders".into())
            );
            assert_eq!(
                check_url("https://pay.example/s/1", use_, &Page),
                Ok("https://pay.example/s/1".into())
            );
            assert_eq!(
                check_url("http://pay.example/s/1", use_, &Page),
                Err(UrlProblem::Insecure {
                    href: "http://pay.example/s/1".into()
                })
            );
        }
        assert_eq!(
            check_url("http://pay.example/s/1", UrlUse::Link, &Page),
            Ok("http://pay.example/s/1".into()),
            "a link may be plain http: elsewhere"
        );
        let problem = check_url("/\\evil.example/x", UrlUse::Image, &Page).unwrap_err();
        assert_eq!(
            problem.to_string(),
            "looks like a path on this site, but the browser reads it as http://evil.example/x, another site"
        );
    }
}
