#!/usr/bin/env node
// Trunk post_build hook (Trunk.toml), after drop-unused-exports and before minify: gives the
// wasm's imports and its closure exports short names. wasm-bindgen names each import after its
// JS function plus a hash (`__wbg_setItem_cfa3cb31f271776a`), all from the module
// "./kago-checkout_bg.js", and each closure entry point after its Rust path plus a hash
// (`wasm_bindgen__convert__closures_____invoke__h5cddc56ae7f8e60e`): some 210 names that the
// wasm and the glue both spell out, and whose hashes no compressor can shrink (about 5.5 KB gzip
// in all). Here the module becomes "k", the imports "a", "b", … "Z", "aa", … and the closure
// exports "i0", "i1", …, in the wasm and in the glue alike. It fails loudly if the glue does not
// spell each name as expected, so a change in wasm-bindgen's output cannot pass unnoticed.
//
//   node scripts/short-wasm-names.mjs [DIR]   (DIR: $TRUNK_STAGING_DIR, else dist)
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = process.argv[2] || process.env.TRUNK_STAGING_DIR || join(repo, 'dist');
const MODULE = 'k';

function fail(message) {
  console.error(`short-wasm-names: ${message}`);
  process.exit(1);
}

if (process.env.TRUNK_PROFILE && process.env.TRUNK_PROFILE !== 'release') {
  console.log(`short-wasm-names: skipped (${process.env.TRUNK_PROFILE} build)`);
  process.exit(0);
}

function readLeb(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return [value, at];
  }
}

function leb(value) {
  const out = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value) byte |= 0x80;
    out.push(byte);
  } while (value);
  return Buffer.from(out);
}

const name = (text) => {
  const bytes = Buffer.from(text, 'utf8');
  return Buffer.concat([leb(bytes.length), bytes]);
};

/** a … z, A … Z, then aa, ab, …: the n-th short name (never a JS keyword or `__proto__`). */
const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
function shortName(n) {
  let out = '';
  for (n += 1; n > 0; n = Math.floor((n - 1) / LETTERS.length)) out = LETTERS[(n - 1) % LETTERS.length] + out;
  return ['do', 'if', 'in'].includes(out) ? `${out}_` : out;
}

// ---- the wasm: rewrite the import section ------------------------------------------------
const wasmPath = join(dir, 'kago-checkout_bg.wasm');
const wasm = readFileSync(wasmPath);
const parts = [wasm.subarray(0, 8)];
const renamed = new Map();
/** Closure entry points the glue calls as `wasm.<name>(…)`. */
const CLOSURE_EXPORT = /^wasm_bindgen__convert__closures_+invoke__h[0-9a-f]{16}(_\d+)?$/;
const exports = new Map();
let module = null;
for (let at = 8; at < wasm.length; ) {
  const id = wasm[at];
  const [size, start] = readLeb(wasm, at + 1);
  let body = wasm.subarray(start, start + size);
  if (id === 7) {
    let [count, p] = readLeb(body, 0);
    const entries = [leb(count)];
    for (; count > 0; count--) {
      const [nameLength, nameStart] = readLeb(body, p);
      const old = body.subarray(nameStart, nameStart + nameLength).toString('utf8');
      const descStart = nameStart + nameLength;
      const [, end] = readLeb(body, descStart + 1); // kind, index
      const short = CLOSURE_EXPORT.test(old) ? `i${exports.size}` : old;
      if (short !== old) exports.set(old, short);
      entries.push(name(short), body.subarray(descStart, end));
      p = end;
    }
    body = Buffer.concat(entries);
  }
  if (id === 2) {
    let [count, p] = readLeb(body, 0);
    const entries = [leb(count)];
    for (; count > 0; count--) {
      const [moduleLength, moduleStart] = readLeb(body, p);
      const from = body.subarray(moduleStart, moduleStart + moduleLength).toString('utf8');
      const [nameLength, nameStart] = readLeb(body, moduleStart + moduleLength);
      const old = body.subarray(nameStart, nameStart + nameLength).toString('utf8');
      const descStart = nameStart + nameLength;
      // The import's description: kind, then a function type index, a table, a memory or a
      // global type.
      let p2 = descStart + 1;
      const kind = body[descStart];
      if (kind === 0) [, p2] = readLeb(body, p2);
      else if (kind === 1 || kind === 2) {
        if (kind === 1) p2 += 1; // reference type
        const flags = body[p2];
        [, p2] = readLeb(body, p2 + 1);
        if (flags & 1) [, p2] = readLeb(body, p2);
      } else if (kind === 3) p2 += 2;
      else fail(`import ${from}.${old} has an unknown kind ${kind}`);
      if (module === null) module = from;
      if (from !== module) fail(`imports come from two modules (${module}, ${from}); expected one`);
      if (renamed.has(old)) fail(`the import ${old} appears twice`);
      renamed.set(old, shortName(renamed.size));
      entries.push(name(MODULE), name(renamed.get(old)), body.subarray(descStart, p2));
      p = p2;
    }
    body = Buffer.concat(entries);
  }
  parts.push(Buffer.from([id]), leb(body.length), body);
  at = start + size;
}
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
if (/\.wasm_bindgen__convert__closures/.test(glue)) {
  fail(`${gluePath} still calls a closure export by its old name: the wasm-bindgen glue changed shape`);
}
// The glue can still define a few imports that wasm-opt removed from the wasm as unused: they
// keep their names and are never called.
writeFileSync(gluePath, glue);
writeFileSync(wasmPath, Buffer.concat(parts));
console.log(`short-wasm-names: ${renamed.size} imports and ${exports.size} exports renamed; wasm ${wasm.length} → ${Buffer.concat(parts).length} bytes`);
