#!/usr/bin/env node
// Trunk post_build hook (Trunk.toml): moves the "early-button" part of src/ui/kago.css (the
// cart button and the drawer's frame) into the loader kago.js in Trunk's staging dir, so kago.js
// can draw them the moment it runs, before the stylesheet and the wasm arrive. The staged
// kago.css keeps the rest only: kago.js hands the widget its part and the file's, in that order
// (the stylesheet as written), so a host page downloads those rules once (−1 KB gzip). One
// source for the styles: src/ui/kago.css (whole in <Kago/>, which has no loader).
//
//   node scripts/embed-early-css.mjs [DIR]   (DIR: $TRUNK_STAGING_DIR, else dist)
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = process.argv[2] || process.env.TRUNK_STAGING_DIR || join(repo, 'dist');
const PLACEHOLDER = '"__KAGO_EARLY_CSS__"';

function fail(message) {
  console.error(`embed-early-css: ${message}`);
  process.exit(1);
}

const css = readFileSync(join(repo, 'src/ui/kago.css'), 'utf8');
const part = css.match(/\/\* early-button: begin[\s\S]*?\*\/([\s\S]*?)\/\* early-button: end \*\//);
if (!part) fail('src/ui/kago.css has no "/* early-button: begin … */ … /* early-button: end */" part');
// Minified as kago.css is (scripts/minify.mjs): a string in kago.js is not minified later.
const early = transformSync(part[1], {
  loader: 'css',
  minify: true,
  legalComments: 'none',
  target: ['chrome100', 'safari15', 'firefox100'],
}).code.trim();

const loader = join(dir, 'kago.js');
const js = readFileSync(loader, 'utf8');
if (!js.includes(PLACEHOLDER)) fail(`${loader} has no ${PLACEHOLDER} to replace`);
const sheetPath = join(dir, 'kago.css');
const sheet = readFileSync(sheetPath, 'utf8');
if (!sheet.includes(part[0])) fail(`${sheetPath} does not hold the early part of src/ui/kago.css as it is there`);
writeFileSync(loader, js.replace(PLACEHOLDER, JSON.stringify(early)));
writeFileSync(sheetPath, sheet.replace(part[0], '/* early-button: in kago.js */'));
console.log(`embed-early-css: ${early.length} bytes of early-button CSS moved from ${sheetPath} into ${loader}`);
