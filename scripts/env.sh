# Sourced by the other scripts: repo root and tool PATH. Not meant to be run.
# npm's binaryen (wasm-opt 132) and cargo-installed tools come before any system copy;
# Debian's binaryen must never be picked up.
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$repo/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
cd "$repo"

# Tool versions that are pinned here rather than in a lock file.
KAGO_TRUNK_VERSION=0.21.14

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf '\033[1;31mFAILED: %s\033[0m\n' "$*" >&2; exit 1; }

# The wasm-bindgen version recorded in Cargo.lock (the CLI must match it exactly).
wasm_bindgen_lock_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$repo/Cargo.lock"
}

# The release wasm is built with std rebuilt for size (BENCHMARKS.md, "std built for size"):
# std and alloc compiled with the rest under opt-level "z" and LTO (-Zbuild-std), panics that
# stop at once without formatting a message or keeping where they happened (nothing shows that
# message in the browser anyway: a panic is a trap), and no `Debug` formatting code (nothing the
# widget shows or sends is a `{:?}`). Those are unstable options of the stable toolchain (1.95),
# enabled with RUSTC_BOOTSTRAP for this build only: tests, clippy and `cargo build` stay on plain
# stable. RUSTFLAGS replaces .cargo/config.toml's wasm rustflags, so it repeats erase_components.
# scripts/setup fetches the crates std needs (`cargo fetch` with these set), for --offline.
release_wasm_env() {
  export RUSTC_BOOTSTRAP=1
  export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
  export CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size
  export RUSTFLAGS="--cfg erase_components -Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none"
}
