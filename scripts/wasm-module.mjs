// What the release post-build scripts (drop-unused-exports, short-wasm-names, minify) share:
// skipping non-release Trunk builds, failing loudly, and reading and rewriting a wasm module's
// sections (LEB128 numbers, names, the export section).

/** Exits quietly unless this is a release Trunk build (or no Trunk build at all). */
export function releaseOnly(tool) {
  if (process.env.TRUNK_PROFILE && process.env.TRUNK_PROFILE !== 'release') {
    console.log(`${tool}: skipped (${process.env.TRUNK_PROFILE} build)`);
    process.exit(0);
  }
}

/** A function that prints `tool: message` and exits 1. */
export function failWith(tool) {
  return (message) => {
    console.error(`${tool}: ${message}`);
    process.exit(1);
  };
}

/** The unsigned LEB128 number at `at`, and the offset after it. */
export function readLeb(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return [value, at];
  }
}

/** `value` as unsigned LEB128. */
export function leb(value) {
  const out = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value) byte |= 0x80;
    out.push(byte);
  } while (value);
  return Buffer.from(out);
}

/** The name (UTF-8 string) at `at`, and the offset after it. */
export function readName(bytes, at) {
  const [length, start] = readLeb(bytes, at);
  return [bytes.subarray(start, start + length).toString('utf8'), start + length];
}

/** `text` as a wasm name: its length, then its UTF-8 bytes. */
export function name(text) {
  const bytes = Buffer.from(text, 'utf8');
  return Buffer.concat([leb(bytes.length), bytes]);
}

/** The module with each section's body replaced by `edit(id, body)` (return `body` to keep it). */
export function rewriteSections(wasm, edit) {
  const parts = [wasm.subarray(0, 8)];
  for (let at = 8; at < wasm.length; ) {
    const id = wasm[at];
    const [size, start] = readLeb(wasm, at + 1);
    const body = edit(id, wasm.subarray(start, start + size));
    parts.push(Buffer.from([id]), leb(body.length), body);
    at = start + size;
  }
  return Buffer.concat(parts);
}

export const EXPORT_SECTION = 7;
export const IMPORT_SECTION = 2;

/** An export section's entries: `{ name, desc }`, `desc` being the kind byte and the index. */
export function readExports(body) {
  let [count, at] = readLeb(body, 0);
  const entries = [];
  for (; count > 0; count--) {
    const [exported, descStart] = readName(body, at);
    [, at] = readLeb(body, descStart + 1);
    entries.push({ name: exported, desc: body.subarray(descStart, at) });
  }
  return entries;
}

/** An export section's body from its entries. */
export function writeExports(entries) {
  return Buffer.concat([leb(entries.length), ...entries.flatMap((e) => [name(e.name), e.desc])]);
}
