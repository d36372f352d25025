// Raw, gzip (zlib level 9) and brotli (quality 11) sizes of files, measured in node.
import { readFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export function sizesOf(buffer) {
  return {
    raw: buffer.length,
    gzip: gzipSync(buffer, { level: 9 }).length,
    brotli: brotliCompressSync(buffer, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_SIZE_HINT]: buffer.length,
      },
    }).length,
  };
}

/** [{file, raw, gzip, brotli}] for the given paths (labelled by `label(path)`), plus the total. */
export function fileTable(paths, label = (p) => p) {
  const files = paths.map((p) => ({ file: label(p), ...sizesOf(readFileSync(p)) }));
  const total = files.reduce(
    (t, f) => ({ raw: t.raw + f.raw, gzip: t.gzip + f.gzip, brotli: t.brotli + f.brotli }),
    { raw: 0, gzip: 0, brotli: 0 },
  );
  return { files, total };
}
