#!/usr/bin/env node
// Trunk post_build hook (Trunk.toml), run after embed-early-css: minifies what a host page
// downloads besides the wasm — the loader kago.js (a classic script), the wasm-bindgen glue
// kago-checkout.js (an ES module) and kago.css — with esbuild (dev dependency, pinned in
// package.json). Trunk's own `minify` leaves the glue as it is. Release builds only: debug
// builds stay readable.
//
//   node scripts/minify.mjs [DIR]   (DIR: $TRUNK_STAGING_DIR, else dist)
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';
import { releaseOnly } from './wasm-module.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = process.argv[2] || process.env.TRUNK_STAGING_DIR || join(repo, 'dist');

releaseOnly('minify');

// The loader only calls the glue's default export (the async init) and kagoStart: the
// synchronous initSync, exported beside them, is dead code a host page would download.
// Unexported, esbuild's tree shaking removes it. Fails loudly if the glue changed shape.
function withoutInitSync(glue, path) {
  const exportLine = 'export { initSync, __wbg_init as default };';
  if (!glue.includes(exportLine)) {
    console.error(`minify: ${path}: no "${exportLine}": the wasm-bindgen glue changed shape`);
    process.exit(1);
  }
  return glue.replace(exportLine, 'export { __wbg_init as default };');
}

const files = [
  // A classic script: esbuild keeps its top-level names (they could be globals).
  { name: 'kago.js', loader: 'js' },
  { name: 'kago-checkout.js', loader: 'js', format: 'esm' },
  { name: 'kago.css', loader: 'css' },
];

for (const { name, loader, format } of files) {
  const path = join(dir, name);
  let source = readFileSync(path, 'utf8');
  if (name === 'kago-checkout.js') source = withoutInitSync(source, path);
  let code;
  try {
    ({ code } = transformSync(source, {
      loader,
      format,
      minify: true,
      legalComments: 'none',
      // Drops what nothing references any more (initSync, see withoutInitSync).
      treeShaking: format === 'esm',
      // Browsers Kago supports (ES2020 + CSS nesting-free); nothing is down-levelled.
      target: loader === 'css' ? ['chrome100', 'safari15', 'firefox100'] : 'es2020',
    }));
  } catch (err) {
    console.error(`minify: ${path}: ${err.message}`);
    process.exit(1);
  }
  writeFileSync(path, code);
  console.log(`minify: ${name} ${source.length} → ${code.length} bytes`);
}
