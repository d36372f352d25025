#!/usr/bin/env node
// What each way of embedding Kago costs a Leptos app (issue 23; BENCHMARKS.md, "Three ways to
// embed, measured"). The bench app bench/embed/ (a small Leptos 0.8 CSR shop) built by
// bench/embed/build.sh four ways: none (the app alone), tag (the same wasm + Kago's script tag),
// esm (the same wasm + loadKago from kago.mjs) and component (`<Kago/>` compiled in). Each is
// loaded in headless Chromium as a phone on slow 4G (150 ms RTT, 1.6 Mbit/s) with 4× CPU, files
// served brotli q11 as a CDN would (bench/server.mjs), cold cache, the variants interleaved run
// by run. It prints figures and never asserts a timing (exit 1 only when it cannot run).
//
//   bench/embed/build.sh && node bench/embed-cost.mjs [--runs 5] [--warmup 1] [--throttle 4]
//                                                     [--dir target/embed-bench] [--port 8395]
//
// Per variant: the app's own wasm (raw, gzip -9, brotli 11); Kago's bytes transferred for
// requests started before the app's first render (for the component: what it adds to the app's
// wasm and glue, brotli); navigation → the app's first render painted (the app marks
// `app-painted` in the task after the first animation frame after `mount_to_body`), → `load`,
// → `kago:ready`; the first render also from the page's HTML received (responseEnd: without the
// noise of the server's first byte) and as the difference from no Kago's in the same round;
// median (min–max).
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, NETWORKS, PHONE } from './browser.mjs';
import { startServer } from './server.mjs';
import { oneLine, sleep, stats } from './stats.mjs';
import { sizesOf } from './sizes.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..');

const VARIANTS = [
  { name: 'none', label: 'no Kago' },
  { name: 'tag', label: 'script tag (`kago.js` async)' },
  { name: 'esm', label: 'ES module (`loadKago`)' },
  { name: 'component', label: 'Leptos component (`<Kago/>`)' },
];

function parseArgs(argv) {
  const o = {
    runs: 5,
    warmup: 1,
    throttle: 4,
    dir: join(repo, 'target', 'embed-bench'),
    port: 8395,
    timeout: 60_000,
    chromium: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    variants: VARIANTS.map((v) => v.name),
  };
  for (let i = 0; i < argv.length; i++) {
    const take = () => {
      if (i + 1 >= argv.length) usage(`${argv[i]} needs a value`);
      return argv[++i];
    };
    switch (argv[i]) {
      case '--runs': o.runs = Number(take()); break;
      case '--warmup': o.warmup = Number(take()); break;
      case '--throttle': o.throttle = Number(take()); break;
      case '--dir': o.dir = take(); break;
      case '--port': o.port = Number(take()); break;
      case '--variants': o.variants = take().split(','); break;
      case '-h': case '--help': usage(); break;
      default: usage(`unknown option ${argv[i]}`);
    }
  }
  if (!(o.runs >= 1) || !(o.warmup >= 0) || !(o.throttle >= 1)) usage('bad --runs, --warmup or --throttle');
  for (const v of o.variants) if (!VARIANTS.some((x) => x.name === v)) usage(`unknown variant ${v}`);
  return o;
}

function usage(problem) {
  const text = `usage: node bench/embed-cost.mjs [--runs 5] [--warmup 1] [--throttle 4] [--dir target/embed-bench]
                                [--port 8395] [--variants none,tag,esm,component]
Build the variants first: bench/embed/build.sh (KAGO_DIST=<the widget's dist/>, default dist/).`;
  if (problem) {
    console.error(`embed-cost: ${problem}\n${text}`);
    process.exit(2);
  }
  console.log(text);
  process.exit(0);
}

// Observes in the page: long tasks, and kago:ready as a mark.
const PROBE = `(() => {
  const B = (window.__embedBench = { longTasks: [] });
  try {
    new PerformanceObserver((l) => l.getEntries().forEach((e) => B.longTasks.push({ start: e.startTime, duration: e.duration })))
      .observe({ type: 'longtask', buffered: true });
  } catch (_) {}
  addEventListener('kago:ready', () => performance.mark('kago-ready'), { once: true });
})();`;

/** The app's own files in a variant's folder: its wasm and wasm-bindgen glue (Trunk's names). */
function appFiles(dir) {
  const names = readdirSync(dir);
  const wasm = names.filter((n) => n.endsWith('.wasm'));
  const glue = names.filter((n) => n.endsWith('.js'));
  if (wasm.length !== 1 || glue.length !== 1) {
    throw new Error(`${dir}: expected one .wasm and one .js (Trunk's build), found ${wasm.length} and ${glue.length}`);
  }
  const read = (n) => readFileSync(join(dir, n));
  return {
    wasm: { name: wasm[0], ...sizesOf(read(wasm[0])), sha256: createHash('sha256').update(read(wasm[0])).digest('hex') },
    glue: { name: glue[0], ...sizesOf(read(glue[0])) },
  };
}

async function measure(browser, o, origin, variant) {
  const context = await browser.newContext(PHONE);
  await context.addInitScript({ content: PROBE });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(oneLine(e)));
  try {
    // The renderer is up before the measured navigation (bench/run.mjs does the same), cache cold.
    await page.goto(`${origin}/bench-blank.html`);
    const cdp = await context.newCDPSession(page);
    if (o.throttle > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: o.throttle });
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', NETWORKS.slow4g);
    await page.goto(`${origin}/${variant}/`, { waitUntil: 'load', timeout: o.timeout });
    await page.waitForFunction(() => performance.getEntriesByName('app-painted').length > 0, null, { polling: 50, timeout: o.timeout });
    if (variant !== 'none') {
      await page
        .waitForFunction(() => performance.getEntriesByName('kago-ready').length > 0, null, { polling: 100, timeout: o.timeout })
        .catch((e) => errors.push(`no kago:ready: ${oneLine(e)}`));
    }
    await sleep(300);
    return await page.evaluate(() => {
      const mark = (n) => performance.getEntriesByName(n)[0]?.startTime ?? null;
      const nav = performance.getEntriesByType('navigation')[0];
      const painted = mark('app-painted');
      const resources = performance.getEntriesByType('resource').map((r) => ({
        path: new URL(r.name).pathname,
        start: r.startTime,
        end: r.responseEnd,
        transfer: r.transferSize,
      }));
      const kagoBefore = resources.filter((r) => r.path.startsWith('/kago/') && r.start < painted);
      return {
        rendered: mark('app-rendered'),
        painted,
        html: nav.responseEnd,
        dcl: nav.domContentLoadedEventStart,
        load: nav.loadEventStart,
        kagoReady: mark('kago-ready'),
        fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
        kagoBytesBeforeRender: kagoBefore.reduce((s, r) => s + r.transfer, 0),
        kagoFilesBeforeRender: kagoBefore.map((r) => r.path),
        longBeforeRender: window.__embedBench.longTasks.filter((t) => t.start < painted).reduce((s, t) => s + t.duration, 0),
        resources,
      };
    }).then((r) => ({ ...r, errors }));
  } catch (err) {
    return { errors: [...errors, oneLine(err)] };
  } finally {
    await context.close().catch(() => {});
  }
}

function gitCommit() {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repo, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'core', 'Cargo.toml', 'Cargo.lock', 'bench/embed'], { cwd: repo, encoding: 'utf8' }).trim();
    return dirty ? `${head} + uncommitted changes` : head;
  } catch {
    return 'unknown';
  }
}

const ms = (x) => (x == null ? '–' : `${(x / 1000).toFixed(2)} s`);
const range = (s) => (s.median == null ? '–' : `${ms(s.median)} (${ms(s.min)}–${ms(s.max)})`);
const plus = (x) => `${x >= 0 ? '+' : '−'}${(Math.abs(x) / 1000).toFixed(2)} s`;
const signed = (s) => (s.median == null ? '–' : `${plus(s.median)} (${plus(s.min)} to ${plus(s.max)})`);
const kib = (b) => `${(b / 1024).toFixed(1)} KiB`;
const bytes = (b) => b.toLocaleString('en-US');

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (!existsSync(o.chromium)) {
    console.error(`embed-cost: no Chromium at ${o.chromium} (set CHROMIUM_PATH)`);
    process.exit(1);
  }
  const builds = {};
  for (const v of o.variants) {
    const dir = join(o.dir, v);
    if (!existsSync(dir)) {
      console.error(`embed-cost: no ${dir}: run bench/embed/build.sh`);
      process.exit(1);
    }
    builds[v] = appFiles(dir);
  }
  if (o.variants.some((v) => v === 'tag' || v === 'esm') && !existsSync(join(o.dir, 'kago', 'kago.js'))) {
    console.error(`embed-cost: no ${join(o.dir, 'kago', 'kago.js')}: run bench/embed/build.sh`);
    process.exit(1);
  }
  writeFileSync(join(o.dir, 'bench-blank.html'), '<!doctype html><title>blank</title>\n');

  const server = await startServer({ roots: [o.dir], encoding: 'br', port: o.port });
  const paths = ['/bench-blank.html'];
  for (const v of o.variants) paths.push(`/${v}/`, `/${v}/${builds[v].wasm.name}`, `/${v}/${builds[v].glue.name}`);
  if (existsSync(join(o.dir, 'kago'))) for (const n of readdirSync(join(o.dir, 'kago'))) paths.push(`/kago/${n}`);
  await server.warm(paths);

  const loadBefore = loadavg();
  const browser = await chromium.launch({ executablePath: o.chromium, args: CHROMIUM_ARGS, headless: true });
  const chromiumVersion = browser.version();
  const runs = Object.fromEntries(o.variants.map((v) => [v, []]));
  try {
    const total = o.warmup + o.runs;
    for (let i = 0; i < total; i++) {
      // Interleaved, and each run starts with another variant.
      const order = o.variants.map((_, k) => o.variants[(k + i) % o.variants.length]);
      for (const v of order) {
        const r = await measure(browser, o, server.origin, v);
        const warm = i < o.warmup;
        console.log(
          `embed-cost: ${warm ? 'warm-up' : `run ${i - o.warmup + 1}/${o.runs}`} ${v.padEnd(9)} painted ${ms(r.painted)}, load ${ms(r.load)}, kago:ready ${ms(r.kagoReady)}${r.errors.length ? `; ${r.errors.join('; ')}` : ''}`,
        );
        if (!warm) runs[v].push(r);
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const loadAfter = loadavg();

  const none = builds.none;
  const rows = o.variants.map((v) => {
    const b = builds[v];
    const rs = runs[v];
    const s = (k) => stats(rs.map((r) => r[k]));
    let kagoBytes;
    if (v === 'none') kagoBytes = '0';
    else if (v === 'component') {
      kagoBytes = none
        ? `+${bytes(b.wasm.brotli + b.glue.brotli - none.wasm.brotli - none.glue.brotli)} in the app's wasm and glue (br)`
        : 'in the app\'s wasm';
    } else {
      const k = s('kagoBytesBeforeRender');
      const files = [...new Set(rs.flatMap((r) => r.kagoFilesBeforeRender || []))].map((p) => p.replace('/kago/', ''));
      kagoBytes = `${bytes(k.median)} (${files.join(', ') || 'none'})`;
    }
    return {
      variant: v,
      wasm: `${bytes(b.wasm.raw)} / ${bytes(b.wasm.gzip)} / ${bytes(b.wasm.brotli)}`,
      kagoBytes,
      painted: s('painted'),
      // Paired: this variant's first render minus no Kago's in the same round (the load on the
      // machine changes less within a round than across rounds).
      vsNone: v === 'none' || !runs.none ? null : stats(rs.map((r, i) => {
        const base = runs.none[i]?.painted;
        return Number.isFinite(r.painted) && Number.isFinite(base) ? r.painted - base : null;
      })),
      afterHtml: stats(rs.map((r) => (Number.isFinite(r.painted) && Number.isFinite(r.html) ? r.painted - r.html : null))),
      load: s('load'),
      ready: s('kagoReady'),
      errors: rs.flatMap((r) => r.errors),
    };
  });
  const sameWasm = o.variants.filter((v) => v !== 'component').map((v) => builds[v].wasm.sha256);
  const header = [
    `${o.runs} runs (+${o.warmup} warm-up) of each variant, interleaved; slow 4G (150 ms RTT, 1.6 Mbit/s down, CDP), ${o.throttle}× CPU, 412×915 phone, cold cache, files served brotli q11;`,
    `Chromium ${chromiumVersion}; commit ${gitCommit()};`,
    `load average ${loadBefore.map((x) => x.toFixed(2)).join(' ')} before, ${loadAfter.map((x) => x.toFixed(2)).join(' ')} after, ${cpus().length} cores.`,
  ].join(' ');
  const table = [
    '| variant | app\'s own wasm: raw / gzip -9 / brotli 11 (bytes) | Kago bytes before the app\'s first render | navigation → app\'s first render painted | (from the page\'s HTML received) | first render − no Kago\'s, same round | → `load` | → `kago:ready` |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${VARIANTS.find((x) => x.name === r.variant).label} | ${r.wasm} | ${r.kagoBytes} | ${range(r.painted)} | ${range(r.afterHtml)} | ${r.vsNone ? signed(r.vsNone) : '–'} | ${range(r.load)} | ${r.variant === 'none' ? '–' : range(r.ready)} |`),
  ].join('\n');
  console.log(`\n${header}\nMedian (min–max).\n\n${table}\n`);
  if (sameWasm.length > 1) console.log(`embed-cost: none/tag/esm wasm ${new Set(sameWasm).size === 1 ? 'identical' : 'DIFFER'} (sha256 ${sameWasm[0].slice(0, 12)}…)`);
  if (none && builds.component) {
    const d = (k) => builds.component.wasm[k] - none.wasm[k];
    console.log(`embed-cost: <Kago/> adds to the app's wasm ${bytes(d('raw'))} raw, ${bytes(d('gzip'))} gzip (${kib(d('gzip'))}), ${bytes(d('brotli'))} brotli (${kib(d('brotli'))})`);
  }
  for (const r of rows) if (r.errors.length) console.log(`embed-cost: ${r.variant}: ${r.errors.length} error(s): ${[...new Set(r.errors)].join(' | ')}`);
  const out = join(o.dir, 'results.json');
  writeFileSync(out, `${JSON.stringify({ options: o, header, builds, runs, loadBefore, loadAfter }, null, 2)}\n`);
  console.log(`embed-cost: every run in ${out}`);
}

main().catch((err) => {
  console.error(`embed-cost: ${err && err.stack ? err.stack : err}`);
  process.exit(1);
});
