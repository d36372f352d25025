// A small static server for the benchmark, so it does not depend on the Rust demo server.
// 127.0.0.1 on a random port (or `port`). Serves files from an ordered list of roots plus path-prefix
// mounts, with the right MIME types (application/wasm for the wasm), compressed the way a
// CDN would (brotli q11 or gzip -9 when the browser accepts it, cached in memory), and a
// stub order endpoint: POST /api/orders → 201 {"order_id":"B-<n>"}, and POST /api/events
// (the demo page's funnel events) → 204.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.ts': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.wasm', '.json', '.map', '.svg', '.ts', '.txt']);

// The Content-Security-Policy kago-server sends with the demo pages: the benchmark loads
// Kago under the same strict policy a careful shop would use.
export const STRICT_CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'";

export function compress(buffer, encoding) {
  if (encoding === 'br') {
    return brotliCompressSync(buffer, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_SIZE_HINT]: buffer.length,
      },
    });
  }
  if (encoding === 'gzip') return gzipSync(buffer, { level: 9 });
  return buffer;
}

/**
 * @param {object} options
 * @param {string[]} options.roots        directories searched in order for a path
 * @param {Record<string,string>} [options.mounts]  URL prefix ('/peers/x/') → directory
 * @param {'br'|'gzip'|'identity'} [options.encoding]  best encoding offered
 * @param {(path:string)=>boolean} [options.csp]  whether to send STRICT_CSP with a page
 * @param {number} [options.port]  0 (default): any free port
 */
export async function startServer({ roots, mounts = {}, encoding = 'br', csp = () => false, port: listenPort = 0 }) {
  const cache = new Map(); // file + mtime + encoding → body
  const log = []; // every response: {path, status, bytes, encoding}
  let orders = 0;

  async function body(file, enc) {
    const info = await stat(file);
    const key = `${file}\0${info.mtimeMs}\0${info.size}\0${enc}`;
    if (!cache.has(key)) cache.set(key, compress(await readFile(file), enc));
    return cache.get(key);
  }

  async function find(urlPath) {
    const candidates = [];
    for (const [prefix, dir] of Object.entries(mounts)) {
      if (urlPath.startsWith(prefix)) candidates.push([dir, urlPath.slice(prefix.length)]);
    }
    for (const dir of roots) candidates.push([dir, urlPath.replace(/^\/+/, '')]);
    for (const [dir, rel] of candidates) {
      const base = resolve(dir);
      const file = resolve(base, normalize(rel || 'index.html'));
      if (file !== base && !file.startsWith(base + sep)) continue; // no way out of the root
      try {
        const info = await stat(file);
        if (info.isFile()) return file;
        if (info.isDirectory()) {
          const index = join(file, 'index.html');
          if ((await stat(index).catch(() => null))?.isFile()) return index;
        }
      } catch {
        // not in this root
      }
    }
    return null;
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const path = decodeURIComponent(url.pathname);
    try {
      if (path === '/api/orders') {
        if (req.method !== 'POST') {
          res.writeHead(405, { Allow: 'POST' }).end();
          return;
        }
        let size = 0;
        for await (const chunk of req) size += chunk.length;
        orders += 1;
        const answer = JSON.stringify({ order_id: `B-${orders}` });
        res.writeHead(201, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(answer);
        log.push({ path, status: 201, bytes: answer.length, encoding: 'identity', requestBytes: size });
        return;
      }
      if (path === '/api/events') {
        // The demo page's funnel-event endpoint (data-endpoint): accept and drop the batches.
        let size = 0;
        for await (const chunk of req) size += chunk.length;
        res.writeHead(req.method === 'POST' ? 204 : 405, { 'Cache-Control': 'no-store' }).end();
        log.push({ path, status: req.method === 'POST' ? 204 : 405, bytes: 0, encoding: 'identity', requestBytes: size });
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { Allow: 'GET, HEAD' }).end();
        return;
      }
      const file = await find(path);
      if (!file) {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
        log.push({ path, status: 404, bytes: 9, encoding: 'identity' });
        return;
      }
      const ext = extname(file).toLowerCase();
      const accepts = String(req.headers['accept-encoding'] || '');
      let enc = 'identity';
      if (COMPRESSIBLE.has(ext)) {
        if (encoding === 'br' && /\bbr\b/.test(accepts)) enc = 'br';
        else if (encoding !== 'identity' && /\bgzip\b/.test(accepts)) enc = 'gzip';
      }
      const data = await body(file, enc);
      const headers = {
        'Content-Type': MIME[ext] || 'application/octet-stream',
        'Content-Length': data.length,
        'Cache-Control': 'no-cache',
        'Access-Control-Allow-Origin': '*',
        Vary: 'Accept-Encoding',
      };
      if (enc !== 'identity') headers['Content-Encoding'] = enc;
      if (ext === '.html' && csp(path)) headers['Content-Security-Policy'] = STRICT_CSP;
      res.writeHead(200, headers);
      res.end(req.method === 'HEAD' ? undefined : data);
      log.push({ path, status: 200, bytes: data.length, encoding: enc, file });
    } catch (err) {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(String(err));
    }
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(listenPort, '127.0.0.1', ok);
  });
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    log,
    /** Compresses every file once ahead of the runs, so no run waits for brotli q11. */
    warm: async (urlPaths) => {
      for (const p of urlPaths) {
        const file = await find(p);
        if (file && COMPRESSIBLE.has(extname(file).toLowerCase())) await body(file, encoding);
      }
    },
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections?.();
        server.close(() => ok());
      }),
  };
}
