//! The layers of ARCHITECTURE.md that no crate boundary enforces: `browser/` never imports
//! `ui/`, and `ui/` never imports `browser/` (it gets browser capabilities as `ui::Platform`).
//! The core is its own crate with no web dependency, so the compiler keeps it pure.
#![cfg(not(target_arch = "wasm32"))]

use std::fs;
use std::path::Path;

/// Every `.rs` file under `dir` with a line that names `module` as a path.
fn importers(dir: &str, module: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join(dir)];
    while let Some(path) = stack.pop() {
        for entry in fs::read_dir(&path).expect("a source folder") {
            let path = entry.expect("a folder entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = fs::read_to_string(&path).expect("a source file");
                for (n, line) in text.lines().enumerate() {
                    let code = line.split("//").next().unwrap_or("");
                    if code.contains(&format!("crate::{module}")) {
                        found.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
                    }
                }
            }
        }
    }
    found
}

#[test]
fn browser_never_imports_ui() {
    assert_eq!(importers("src/browser", "ui"), Vec::<String>::new());
}

#[test]
fn ui_never_imports_browser() {
    assert_eq!(importers("src/ui", "browser"), Vec::<String>::new());
}
