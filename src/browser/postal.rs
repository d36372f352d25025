//! Fetches one of the Japanese checkout's postal files (`postal/150.json`, README "Postal data")
//! and reads it into the core's [`PostalFile`]:
//! `postal_file("https://shop.example/kago/postal/150.json".into()).await` → `Some(file)`.
//! HTTP 404 is an empty file (no code starts with those digits); a file that cannot be fetched
//! or read is reported in the console and is `None`.

use crate::browser::{console, http};
use kago_core::postal::PostalFile;

pub async fn postal_file(url: String) -> Option<PostalFile> {
    let answer = http::get(url.clone()).await;
    let problem = match answer.status {
        200..=299 => match serde_json::from_str(&answer.body) {
            Ok(file) => return Some(file),
            Err(e) => format!("it is not a postal file: {e}"),
        },
        404 => {
            // Also what a wrong data-postal-lookup gives for every code: say it once per file.
            console::warn(&format!("Kago: there is no postal file {url} (HTTP 404): no postal code starts with these digits, or data-postal-lookup does not point at the folder of the postal files."));
            return Some(PostalFile::default());
        }
        0 => "no answer".into(),
        status => format!("HTTP {status}"),
    };
    console::warn(&format!(
        "Kago: the postal-code lookup could not read {url} ({problem}); shoppers type their address."
    ));
    None
}
