#!/usr/bin/env node
// Trunk post_build hook (Trunk.toml), run before minify: removes the ReadableStream/WritableStream
// adapters that leptos → server_fn → wasm-streams export from every Leptos wasm
// (`IntoUnderlyingSource`, `IntoUnderlyingByteSource`, `IntoUnderlyingSink`). Kago never uses
// them, but as wasm exports they keep their code alive. The script drops those exports from
// kago-checkout_bg.wasm, runs wasm-opt -Oz again (with --low-memory-unused, see below) so their
// code goes too, and removes their classes from the glue. It fails loudly if the glue no longer has the expected shape.
//
//   node scripts/drop-unused-exports.mjs [DIR]   (DIR: $TRUNK_STAGING_DIR, else dist)
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXPORT_SECTION, failWith, readExports, releaseOnly, rewriteSections, writeExports } from './wasm-module.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = process.argv[2] || process.env.TRUNK_STAGING_DIR || join(repo, 'dist');
const UNUSED = /intounderlying/i;

const fail = failWith('drop-unused-exports');
releaseOnly('drop-unused-exports');

// ---- the wasm: rewrite the export section without the unused exports ----------------------
const wasmPath = join(dir, 'kago-checkout_bg.wasm');
const wasm = readFileSync(wasmPath);
const dropped = [];
const rewritten = rewriteSections(wasm, (id, body) => {
  if (id !== EXPORT_SECTION) return body;
  const exports = readExports(body);
  for (const e of exports) if (UNUSED.test(e.name)) dropped.push(e.name);
  return writeExports(exports.filter((e) => !UNUSED.test(e.name)));
});
if (dropped.length > 0) writeFileSync(wasmPath, rewritten);
// Now unreferenced, their code goes in a second -Oz pass (binaryen 132 from npm, as Trunk's).
// `--low-memory-unused` lets it fold constant offsets into loads and stores (-2 KB gzip): the
// first 1 KB of memory is never used, since the data starts at 1 MiB and the 1 MiB stack below
// it grows down from there (it would be at its last kilobyte only when overflowing anyway).
// `--flatten --rereloop` first rebuilds every function's control flow from scratch, which the
// two -Oz passes after it then shrink further than -Oz alone does (-1.3 KB gzip; BENCHMARKS.md).
const wasmOpt = join(repo, 'node_modules', '.bin', 'wasm-opt');
// This is the last wasm-opt run: the `producers` and `target_features` sections it would keep
// are of no use to a browser, so they go too.
const passes = ['--flatten', '--rereloop', '-Oz', '-Oz', '--low-memory-unused', '--strip-producers', '--strip-target-features'];
execFileSync(wasmOpt, [...passes, wasmPath, '-o', wasmPath], { stdio: 'inherit' });
if (dropped.length === 0) {
  console.log('drop-unused-exports: nothing to drop');
  process.exit(0);
}

// ---- the glue: remove the three classes and their finalization registries -----------------
const gluePath = join(dir, 'kago-checkout.js');
let glue = readFileSync(gluePath, 'utf8');
glue = glue
  .replace(/^export class IntoUnderlying\w+ \{\n[\s\S]*?\n\}\n/gm, '')
  .replace(/^if \(Symbol\.dispose\) IntoUnderlying\w+\.prototype\[Symbol\.dispose\][^\n]*\n/gm, '')
  .replace(/^const IntoUnderlying\w+Finalization = [\s\S]*?;\n/gm, '');
if (/IntoUnderlying|intounderlying/.test(glue)) {
  fail(`${gluePath} still mentions IntoUnderlying* after the cut: the wasm-bindgen glue changed shape`);
}
writeFileSync(gluePath, glue);
const after = readFileSync(wasmPath).length;
console.log(`drop-unused-exports: ${dropped.length} exports dropped; wasm ${wasm.length} → ${after} bytes`);
