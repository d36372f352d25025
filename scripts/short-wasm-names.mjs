#!/usr/bin/env node
// Trunk post_build hook (Trunk.toml), after drop-unused-exports and before minify: gives the
// wasm's imports and its closure exports short names. wasm-bindgen names each import after its
// JS function plus a hash (`__wbg_setItem_cfa3cb31f271776a`), all from the module
// "./kago-checkout_bg.js", and each closure entry point after its crate hash and argument types
// (`wasm_bindgen_12a3a5db797ff8b5___convert__closures_____invoke___…_JsValue__bool__true_`):
// some 215 names that the wasm and the glue both spell out, and whose hashes no compressor can
// shrink (about 6 KB gzip in all). Here the module becomes "k", the imports "a", "b", … "Z",
// "aa", … and the closure exports "i0", "i1", …, in the wasm and in the glue alike. It fails
// loudly if the glue does not spell each name as expected, or a closure export is named in a way
// it does not know, so a change in wasm-bindgen's output cannot pass unnoticed.
//
//   node scripts/short-wasm-names.mjs [DIR]   (DIR: $TRUNK_STAGING_DIR, else dist)
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  EXPORT_SECTION,
  IMPORT_SECTION,
  failWith,
  leb,
  name,
  readExports,
  readLeb,
  readName,
  releaseOnly,
  rewriteSections,
  writeExports,
} from './wasm-module.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = process.argv[2] || process.env.TRUNK_STAGING_DIR || join(repo, 'dist');
const MODULE = 'k';

const fail = failWith('short-wasm-names');
releaseOnly('short-wasm-names');

/** a … z, A … Z, then aa, ab, …: the n-th short name (never a JS keyword or `__proto__`). */
const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
function shortName(n) {
  let out = '';
  for (n += 1; n > 0; n = Math.floor((n - 1) / LETTERS.length)) out = LETTERS[(n - 1) % LETTERS.length] + out;
  return ['do', 'if', 'in'].includes(out) ? `${out}_` : out;
}

// ---- the wasm: rewrite the import and export sections -------------------------------------
const wasmPath = join(dir, 'kago-checkout_bg.wasm');
const wasm = readFileSync(wasmPath);
const renamed = new Map();
/** Closure entry points the glue calls as `wasm.<name>(…)`: `wasm_bindgen__convert__closures_
 * ____invoke__h<hash>` from older wasm-bindgen, `wasm_bindgen_<crate hash>___convert__closures_
 * ____invoke___<argument types>__true_` from 0.2.10x. */
const CLOSURE_EXPORT = /^wasm_bindgen(_[0-9a-f]{16})?_+convert__closures_+invoke_\w*$/;
const exports = new Map();
let module = null;
const rewritten = rewriteSections(wasm, (id, body) => {
  if (id === EXPORT_SECTION) {
    return writeExports(
      readExports(body).map((e) => {
        if (!CLOSURE_EXPORT.test(e.name)) {
          // A closure export spelled some new way would silently keep its long name.
          if (/convert__closures/.test(e.name)) fail(`the closure export ${e.name} has a name this script does not know`);
          return e;
        }
        exports.set(e.name, `i${exports.size}`);
        return { name: exports.get(e.name), desc: e.desc };
      }),
    );
  }
  if (id !== IMPORT_SECTION) return body;
  let [count, p] = readLeb(body, 0);
  const entries = [leb(count)];
  for (; count > 0; count--) {
    const [from, nameStart] = readName(body, p);
    const [old, descStart] = readName(body, nameStart);
    // The import's description: kind, then a function type index, a table, a memory or a
    // global type.
    let end = descStart + 1;
    const kind = body[descStart];
    if (kind === 0) [, end] = readLeb(body, end);
    else if (kind === 1 || kind === 2) {
      if (kind === 1) end += 1; // reference type
      const flags = body[end];
      [, end] = readLeb(body, end + 1);
      if (flags & 1) [, end] = readLeb(body, end);
    } else if (kind === 3) end += 2;
    else fail(`import ${from}.${old} has an unknown kind ${kind}`);
    if (module === null) module = from;
    if (from !== module) fail(`imports come from two modules (${module}, ${from}); expected one`);
    if (renamed.has(old)) fail(`the import ${old} appears twice`);
    renamed.set(old, shortName(renamed.size));
    entries.push(name(MODULE), name(renamed.get(old)), body.subarray(descStart, end));
    p = end;
  }
  return Buffer.concat(entries);
});
if (module === null) fail(`${wasmPath} has no imports`);
if (module === MODULE) {
  console.log('short-wasm-names: already short');
  process.exit(0);
}

// ---- the glue: the same names as keys of its import object --------------------------------
const gluePath = join(dir, 'kago-checkout.js');
let glue = readFileSync(gluePath, 'utf8');
const once = (pattern, replacement, what) => {
  let hits = 0;
  glue = glue.replace(pattern, (...match) => {
    hits++;
    return replacement(...match);
  });
  if (hits !== 1) fail(`${gluePath} has ${hits} ${what}, expected 1: the wasm-bindgen glue changed shape`);
};
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
once(new RegExp(`(["'])${escape(module)}\\1(\\s*:)`, 'g'), (_, _quote, colon) => MODULE + colon, `keys "${module}"`);
for (const [old, short] of renamed) {
  once(new RegExp(`(?<![\\w$])${escape(old)}(\\s*:\\s*function\\b)`, 'g'), (_, rest) => short + rest, `keys ${old}`);
}
for (const [old, short] of exports) {
  let hits = 0;
  glue = glue.replace(new RegExp(`\\.${escape(old)}(?![\\w$])`, 'g'), () => {
    hits++;
    return `.${short}`;
  });
  if (hits === 0) fail(`${gluePath} never calls the export ${old}: the wasm-bindgen glue changed shape`);
}
// (The glue's own wrapper functions have the same names: local, esbuild shortens those.)
if (/\.wasm_bindgen(_[0-9a-f]{16})?_+convert__closures/.test(glue)) {
  fail(`${gluePath} still calls a closure export by its old name: the wasm-bindgen glue changed shape`);
}
// The glue can still define a few imports that wasm-opt removed from the wasm as unused: they
// keep their names and are never called.
writeFileSync(gluePath, glue);
writeFileSync(wasmPath, rewritten);
console.log(`short-wasm-names: ${renamed.size} imports and ${exports.size} exports renamed; wasm ${wasm.length} → ${rewritten.length} bytes`);
