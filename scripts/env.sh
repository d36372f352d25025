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
