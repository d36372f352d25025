//! Console reporting for merchant and transport mistakes: `console::warn("Kago: ...")`.

/// A problem the merchant should fix; the widget goes on with a default.
pub fn warn(message: &str) {
    web_sys::console::warn_1(&message.into());
}

/// Something that stops a part of the widget.
pub fn error(message: &str) {
    web_sys::console::error_1(&message.into());
}
