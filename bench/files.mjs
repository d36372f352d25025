// The files a host page downloads for Kago, found in a dist/ directory by what they are: the
// loader kago.js, then the stylesheet, the wasm-bindgen glue and the wasm under their
// content-hashed names (kago-<hash>.css, kago-checkout-<hash>.js, kago-checkout_bg-<hash>.wasm:
// scripts/hash-files.mjs) or, in a build from before hashing, their plain names.
import { readdirSync } from 'node:fs';

export const ROLES = ['loader', 'css', 'glue', 'wasm'];
const PATTERNS = {
  loader: /^kago\.js$/,
  css: /^kago(-[0-9a-f]{16})?\.css$/,
  glue: /^kago-checkout(-[0-9a-f]{16})?\.js$/,
  wasm: /^kago-checkout_bg(-[0-9a-f]{16})?\.wasm$/,
};

/** {loader, css, glue, wasm} → file name in `dir`; throws unless each is there exactly once. */
export function kagoFiles(dir) {
  const names = readdirSync(dir);
  return Object.fromEntries(
    ROLES.map((role) => {
      const found = names.filter((n) => PATTERNS[role].test(n));
      if (found.length !== 1) {
        throw new Error(`${dir}: ${found.length} files for the ${role} (${PATTERNS[role]}), expected 1: run scripts/build`);
      }
      return [role, found[0]];
    }),
  );
}
