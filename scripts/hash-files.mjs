#!/usr/bin/env node
// Trunk post_build hook (Trunk.toml), the last one: content-hashed names and integrity for what
// kago.js loads, so a CDN can cache those files for ever and one integrity hash on the script
// tag covers the whole widget.
//
// - kago.css, kago-checkout.js and kago-checkout_bg.wasm get their content's hash in their
//   names (kago-<hash>.css, kago-checkout-<hash>.js, kago-checkout_bg-<hash>.wasm; <hash> is
//   the first 16 hex digits of the file's sha384): a changed file is a new URL, so each can be
//   served `Cache-Control: public, max-age=31536000, immutable`. kago.js keeps its name (it is
//   what shops reference) and is served with a short lifetime.
// - Their names and sha384 integrity hashes go into kago.js (its "__KAGO_FILES__"), which fetches
//   them with those hashes: a file that was changed or mixed up with another build's is refused.
// - dist/integrity.txt lists the sha384 of kago.js and of the three files (sha384sum style), and
//   the demo pages' <script src="kago.js"> tags get integrity and crossorigin, as a shop's would.
//
// Trunk computes its own SRI before post_build hooks run, and rewrites nothing here: Trunk.toml
// keeps `filehash = false`, and this hook hashes the files as they finally are (after
// embed-early-css, drop-unused-exports, short-wasm-names and minify).
//
//   node scripts/hash-files.mjs [DIR]   (DIR: $TRUNK_STAGING_DIR, else dist)
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { failWith } from './wasm-module.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = process.argv[2] || process.env.TRUNK_STAGING_DIR || join(repo, 'dist');
const PLACEHOLDER = '"__KAGO_FILES__"';
const fail = failWith('hash-files');

/** The loader's key, the built name, and how a hashed name is made from it. */
const FILES = [
  ['css', 'kago.css', (h) => `kago-${h}.css`],
  ['glue', 'kago-checkout.js', (h) => `kago-checkout-${h}.js`],
  ['wasm', 'kago-checkout_bg.wasm', (h) => `kago-checkout_bg-${h}.wasm`],
];

const sha384 = (bytes) => createHash('sha384').update(bytes);
const integrity = (bytes) => `sha384-${sha384(bytes).digest('base64')}`;

const loaderPath = join(dir, 'kago.js');
let loader = readFileSync(loaderPath, 'utf8');
if (!loader.includes(PLACEHOLDER)) fail(`${loaderPath} has no ${PLACEHOLDER} to replace (already hashed?)`);

const manifest = {};
const lines = [];
for (const [key, name, hashed] of FILES) {
  const bytes = readFileSync(join(dir, name));
  const file = hashed(sha384(bytes).digest('hex').slice(0, 16));
  renameSync(join(dir, name), join(dir, file));
  manifest[key] = [file, integrity(bytes)];
  lines.push(`${manifest[key][1]}  ${file}`);
}
// The glue still names the plain wasm as its default (`new URL('kago-checkout_bg.wasm', …)`), used
// only when init is called without a module; kago.js always passes the fetched wasm.
loader = loader.replace(PLACEHOLDER, JSON.stringify(manifest));
writeFileSync(loaderPath, loader);
const loaderIntegrity = integrity(Buffer.from(loader));
lines.unshift(`${loaderIntegrity}  kago.js`);
writeFileSync(join(dir, 'integrity.txt'), `${lines.join('\n')}\n`);

// The demo pages reference kago.js as a shop should: with its integrity and crossorigin.
const TAG = /<script src="kago\.js"(?![^>]*\bintegrity=)/g;
for (const page of readdirSync(dir).filter((f) => f.endsWith('.html'))) {
  const path = join(dir, page);
  const html = readFileSync(path, 'utf8');
  const tagged = html.replace(TAG, `<script src="kago.js" integrity="${loaderIntegrity}" crossorigin="anonymous"`);
  if (tagged !== html) writeFileSync(path, tagged);
}
console.log(`hash-files: ${Object.values(manifest).map(([f]) => f).join(', ')}; kago.js ${loaderIntegrity}`);
