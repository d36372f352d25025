#!/usr/bin/env bash
# What splitting the checkout out of the wasm would save (Leptos `#[lazy]`, issue 17 item 5;
# BENCHMARKS.md, "Splitting the checkout out"). Builds the widget's release wasm from the code as
# it is, through one pipeline for both cases, and prints raw, gzip -9 and brotli 11 per piece:
#
#   1. `cargo rustc --release` with Kago's release env (scripts/env.sh `release_wasm_env`:
#      build-std, immediate-abort panics, opt-level z, LTO), the final link with `--emit-relocs`
#      (only the root crate rebuilds for that; the splitter needs the relocations);
#   2. split, if the code has `#[lazy]` split points (imports from `__wasm_split_placeholder__`):
#      `wasm-split-cli` (`cargo install wasm_split_cli_support@0.2.4 --features build-binary`)
#      into a main module, a chunk per split point, chunks shared by several, `__wasm_split.js`;
#   3. `wasm-bindgen --target web` on the (main) module (`--keep-lld-exports` when split: the
#      chunks need the `__indirect_function_table` export);
#   4. on every .wasm, binaryen 132 from node_modules as the release build runs it: `-Oz` (Trunk's
#      pass), then scripts/drop-unused-exports.mjs's final passes (`--flatten --rereloop -Oz -Oz
#      --low-memory-unused`, producers and target features stripped); the main module also loses
#      the three unused `IntoUnderlying*` exports first, as that script does.
#
# Not applied, to either case: short-wasm-names.mjs (it shortens the import names of the main
# module, about 6 KB gzip, and would have to learn the `./__wasm_split.js` imports) and the JS
# minifier: they would take about the same bytes off both cases.
#
# The split points measured are in bench/split-checkout.patch (the checkout panel with "What
# stopped you?", and the confirmation with the registration prompt and feedback, as `#[lazy]`
# functions the drawer renders through `Suspend`):
#
#   bench/split-size.sh /tmp/unsplit                 the code as it is (one module)
#   git apply bench/split-checkout.patch && bench/split-size.sh /tmp/split; git apply -R bench/split-checkout.patch
#
# Each run is one release link (a few minutes when the dependencies are built), of the cdylib alone
# (`--crate-type cdylib`): note that this alone gives a smaller wasm than Trunk's build of both
# crate types (BENCHMARKS.md, "Splitting the checkout out").
# KAGO_LINKED=FILE measures a linked wasm kept from an earlier run (or another build) instead.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"
out="${1:?usage: bench/split-size.sh OUT_DIR}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

linked="${KAGO_LINKED:-$repo/target/wasm32-unknown-unknown/release/kago_checkout.wasm}"
[ -n "${KAGO_LINKED:-}" ] || (
  release_wasm_env
  cargo rustc --release --offline --target wasm32-unknown-unknown -p kago-checkout --lib \
    --crate-type cdylib -- -C link-arg=--emit-relocs
)

rm -rf "$out"/*
if grep -q __wasm_split_placeholder__ "$linked"; then
  say "splitting"
  wasm-split-cli --target web --out-name kago-checkout "$linked" "$out/split"
  main="$out/split/kago-checkout.wasm"
  keep=(--keep-lld-exports)
else
  # Not split: the relocations and the split section are of no use past this point (the splitter
  # drops them itself), and binaryen would carry them into the output unchanged.
  mkdir -p "$out/linked"
  main="$out/linked/kago_checkout.wasm"
  node -e '
    const { readFileSync, writeFileSync } = require("node:fs");
    import(process.argv[3]).then(({ leb, readLeb, readName }) => {
      const wasm = readFileSync(process.argv[1]);
      const parts = [wasm.subarray(0, 8)];
      for (let at = 8; at < wasm.length; ) {
        const [size, start] = readLeb(wasm, at + 1);
        const custom = wasm[at] === 0 ? readName(wasm, start)[0] : "";
        if (!/^(linking|reloc\.|__wasm_split)/.test(custom)) parts.push(wasm.subarray(at, start + size));
        at = start + size;
      }
      writeFileSync(process.argv[2], Buffer.concat(parts));
    });
  ' "$linked" "$main" "$repo/scripts/wasm-module.mjs"
  keep=()
fi

say "wasm-bindgen"
wasm-bindgen --target web --no-typescript "${keep[@]}" --out-name kago-checkout --out-dir "$out" "$main"
pieces=("$out/kago-checkout_bg.wasm")
if [ -d "$out/split" ]; then
  for chunk in "$out"/split/*.wasm; do
    [ "$chunk" = "$main" ] || { cp "$chunk" "$out/"; pieces+=("$out/$(basename "$chunk")"); }
  done
  cp "$out"/split/*.js "$out/" 2>/dev/null || true
fi

say "wasm-opt"
node -e '
  // The main module without the unused IntoUnderlying* exports (scripts/drop-unused-exports.mjs).
  const { readFileSync, writeFileSync } = require("node:fs");
  import(process.argv[2]).then(({ EXPORT_SECTION, readExports, rewriteSections, writeExports }) => {
    const path = process.argv[1];
    writeFileSync(path, rewriteSections(readFileSync(path), (id, body) =>
      id !== EXPORT_SECTION ? body
        : writeExports(readExports(body).filter((e) => !/intounderlying/i.test(e.name)))));
  });
' "$out/kago-checkout_bg.wasm" "$repo/scripts/wasm-module.mjs"
for piece in "${pieces[@]}"; do
  wasm-opt -Oz "$piece" -o "$piece"
  wasm-opt --flatten --rereloop -Oz -Oz --low-memory-unused --strip-producers \
    --strip-target-features "$piece" -o "$piece"
done

say "sizes ($out)"
brotli11() { node -e 'const z = require("node:zlib"); process.stdout.write(String(z.brotliCompressSync(require("node:fs").readFileSync(process.argv[1]), { params: { [z.constants.BROTLI_PARAM_QUALITY]: 11 } }).length))' "$1"; }
printf '%-48s %10s %10s %10s\n' file raw gzip-9 brotli-11
for file in "$out"/*.wasm "$out"/*.js; do
  [ -f "$file" ] || continue
  printf '%-48s %10s %10s %10s\n' "$(basename "$file")" "$(wc -c < "$file")" \
    "$(gzip -9 -n -c "$file" | wc -c)" "$(brotli11 "$file")"
done
