#!/usr/bin/env bash
# Builds the bench app of bench/embed-cost.mjs four ways, in release, as a Leptos developer
# builds an app with Trunk (README, "In a Leptos app"), into $OUT (default target/embed-bench/):
#   none/       the app alone (index.html)
#   tag/        the same wasm, and Kago's script tag (tag.html)
#   esm/        the same wasm, and loadKago from kago.mjs (esm.html)
#   component/  `<Kago/>` compiled into the app (component.html: feature `kago`)
#   kago/       a copy of the widget's release build, $KAGO_DIST (default dist/: scripts/build)
# RUSTFLAGS is $APP_RUSTFLAGS, empty by default: the repository's .cargo/config.toml (Kago's own
# `erase_components`) would otherwise apply, and an app in its own repository has none of it.
# APP_RUSTFLAGS="--cfg erase_components" builds the app with Leptos's type erasure (use another
# CARGO_TARGET_DIR, or every crate is rebuilt each time the flags change).
#   bench/embed/build.sh && node bench/embed-cost.mjs
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/env.sh"   # PATH; cd to the repository

kago_dist="${KAGO_DIST:-$repo/dist}"
out="${OUT:-$repo/target/embed-bench}"
[ -f "$kago_dist/kago.js" ] || die "no kago.js in $kago_dist: run scripts/build, or set KAGO_DIST"
mkdir -p "$out"
rm -rf "$out/kago"
cp -r "$kago_dist" "$out/kago"

cd "$repo/bench/embed"
for page in index tag esm component; do
  name=$page
  [ "$page" = index ] && name=none
  say "trunk build --release --offline $page.html → $out/$name/"
  RUSTFLAGS="${APP_RUSTFLAGS:-}" trunk build --release --offline=true "$page.html" --dist "$out/$name" --public-url "/$name/"
done
say "wasm of each variant"
for name in none tag esm component; do
  sha256sum "$out/$name"/*.wasm
done
