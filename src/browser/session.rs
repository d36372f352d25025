//! The checkout draft in `sessionStorage` (key `kago.checkout`), so a reload or an accidental
//! close restores what the shopper typed. Once the order is placed it holds only that order,
//! while its confirmation is open (a reload shows it again).

use crate::browser::console;
use kago_core::checkout::{Draft, DRAFT_KEY};
use web_sys::Storage;

fn session_storage() -> Option<Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// The saved draft, if any; an unreadable one is reported and removed.
pub fn load_draft() -> Option<Draft> {
    let storage = session_storage()?;
    let text = storage.get_item(DRAFT_KEY).ok().flatten()?;
    match serde_json::from_str(&text) {
        Ok(draft) => Some(draft),
        Err(e) => {
            console::warn(&format!(
                "Kago: the saved checkout ({DRAFT_KEY}) is unreadable ({e}); starting afresh."
            ));
            let _ = storage.remove_item(DRAFT_KEY);
            None
        }
    }
}

/// Saves the draft, or removes it with `None`.
pub fn save_draft(draft: Option<&Draft>) {
    let Some(storage) = session_storage() else {
        return;
    };
    match draft {
        Some(d) => {
            let _ = storage.set_item(DRAFT_KEY, &kago_core::wire::to_json(d));
        }
        None => {
            let _ = storage.remove_item(DRAFT_KEY);
        }
    }
}
