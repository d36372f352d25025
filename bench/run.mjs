#!/usr/bin/env node
// Kago benchmark: bytes, load cost, interaction latency, layout shift, long tasks and memory
// of the release widget in dist/, in headless Chromium on a phone profile with CPU
// throttling; what Kago costs a page while it loads on a slow-4G phone; and Lighthouse 12.8
// mobile with and without Kago. It prints figures and never fails on timing (exit 1 only when
// it cannot run at all: no dist/, no Chromium). Run it with scripts/bench; see BENCHMARKS.md.
//
//   node bench/run.mjs [--runs 5] [--warmup 1] [--throttle 4] [--encoding br|gzip|identity]
//                      [--network none|slow4g] [--step-timeout 20000] [--no-peers] [--no-write]
//                      [--lighthouse-only | --loading-only | --no-lighthouse] [--before DIR]
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, NETWORKS, PHONE } from './browser.mjs';
import { startServer } from './server.mjs';
import { median, oneLine, sleep, stats } from './stats.mjs';
import { fileTable } from './sizes.mjs';
import { PEERS, ensurePeer, peerPage } from './peers.mjs';
import { ROLES, kagoFiles } from './files.mjs';
import { LH_MODES, runLighthouse } from './lighthouse.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..');
const dist = join(repo, 'dist');
const cacheDir = join(repo, 'target', 'kago-bench');
/** What each of Kago's files is called in the report (their names carry a content hash). */
const ROLE_LABEL = { loader: 'kago.js', css: 'stylesheet', glue: 'JS glue', wasm: 'wasm' };
/** {loader, css, glue, wasm} → file name in the dist/ being measured (set in main). */
let KAGO_FILES = null;

// Targets (BENCHMARKS.md explains them).
const TARGETS = {
  gzipBytes: 60 * 1024,
  cartAfterDclMs: 150,
  interactionMs: 50,
  layoutShift: 0,
};

// ---- options -------------------------------------------------------------------------------
function parseArgs(argv) {
  const o = {
    runs: 5,
    warmup: 1,
    throttle: 4,
    encoding: 'br',
    network: 'none',
    stepTimeout: 20_000,
    peers: true,
    write: true,
    lighthouse: true,
    phone: true,
    loading: true,
    before: null,
    chromium: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  };
  const value = (i, name) => {
    if (i + 1 >= argv.length) usage(`${name} needs a value`);
    return argv[i + 1];
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.includes('=') ? a.split(/=(.*)/s) : [a, undefined];
    const take = () => (inline !== undefined ? inline : value(i++, flag));
    switch (flag) {
      case '--runs': o.runs = int(take(), flag, 1); break;
      case '--warmup': o.warmup = int(take(), flag, 0); break;
      case '--throttle': o.throttle = Number(take()); if (!(o.throttle >= 1)) usage('--throttle must be ≥ 1'); break;
      case '--encoding': o.encoding = take(); if (!['br', 'gzip', 'identity'].includes(o.encoding)) usage('--encoding: br, gzip or identity'); break;
      case '--network': o.network = take(); if (!NETWORKS[o.network]) usage(`--network: ${Object.keys(NETWORKS).join(', ')}`); break;
      case '--step-timeout': o.stepTimeout = int(take(), flag, 1000); break;
      case '--no-peers': o.peers = false; break;
      case '--no-write': o.write = false; break;
      case '--lighthouse-only': o.phone = false; o.loading = false; o.peers = false; break;
      case '--loading-only': o.phone = false; o.peers = false; break;
      case '--no-lighthouse': o.lighthouse = false; break;
      case '--before': o.before = take(); break;
      case '-h': case '--help': usage(); break;
      default: usage(`unknown argument ${a}`);
    }
  }
  return o;
}
function int(text, name, min) {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) usage(`${name} must be an integer ≥ ${min}`);
  return n;
}
function usage(problem) {
  const text = `usage: scripts/bench [--runs N] [--warmup N] [--throttle X] [--encoding br|gzip|identity]
                     [--network none|slow4g] [--step-timeout MS] [--no-peers] [--no-write]
                     [--lighthouse-only | --loading-only | --no-lighthouse] [--before DIR]
  --runs N          measured runs (default 5) of each part; medians and min–max over them
  --warmup N        runs done first and thrown away (default 1)
  --throttle X      CPU slowdown via CDP Emulation.setCPUThrottlingRate (default 4)
  --encoding E      what the bench server compresses with when the browser accepts it (default br)
  --network P       none (loopback, default) or slow4g (150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up)
  --no-peers        skip the other widgets (npm pack)
  --no-write        print only; leave bench/results*.json and BENCHMARKS.md alone
  --lighthouse-only only Lighthouse, with and without Kago (about 30 s a page and mode)
  --loading-only    only what Kago costs a page while it loads: the slow-4G part and Lighthouse
  --no-lighthouse   skip Lighthouse
  --before DIR      also measure another build's dist/ (e.g. one from before a change) in the
                    slow-4G and Lighthouse parts, interleaved with this one
Environment: KAGO_BENCH_NO_BUILD=1 (scripts/bench) uses dist/ as it is; CHROMIUM_PATH.`;
  if (problem) {
    console.error(`bench: ${problem}\n${text}`);
    process.exit(2);
  }
  console.log(text);
  process.exit(0);
}

// ---- helpers -------------------------------------------------------------------------------
function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** obj at a dotted path; `\\.` is a dot inside a key (file names). */
function get(obj, path) {
  const keys = path.match(/(\\\.|[^.])+/g).map((k) => k.replace(/\\\./g, '.'));
  return keys.reduce((o, k) => (o == null ? undefined : o[k]), obj);
}
const num = (x) => (typeof x === 'number' && Number.isFinite(x) ? x : null);
const diff = (a, b) => (num(a) !== null && num(b) !== null ? a - b : null);

// The 200-line cart, in the stored format of core/src/persist.rs.
function bigCart(lines = 200) {
  return JSON.stringify({
    v: 1,
    currency: 'USD',
    next_id: lines + 1,
    lines: Array.from({ length: lines }, (_, i) => ({
      id: i + 1,
      sku: `S${i + 1}`,
      name: `P${i + 1}`,
      unit_price: 1000,
      quantity: 1,
    })),
  });
}

const CHECKOUT_VALUES = {
  email: 'bench@example.com',
  name: 'Bench Shopper',
  line1: '1 Main Street',
  city: 'Springfield',
  region: 'IL',
  postal_code: '62701',
  country: 'US',
  phone: '+1 555 010 0000',
};

// ---- one browser page ------------------------------------------------------------------------
async function openPage(browser, o, probe, { origin, seedCart, throttle = o.throttle, blockOutside = false } = {}) {
  const context = await browser.newContext(PHONE);
  await context.addInitScript({ content: probe });
  if (seedCart) {
    await context.addInitScript({
      content: `try { localStorage.setItem('kago.cart', ${JSON.stringify(seedCart)}); } catch (e) {}`,
    });
  }
  const blocked = [];
  if (blockOutside) {
    await context.route(
      (url) => url.hostname !== '127.0.0.1',
      (route) => {
        blocked.push(route.request().url());
        return route.abort();
      },
    );
  }
  const page = await context.newPage();
  page.setDefaultTimeout(o.stepTimeout);
  page.setDefaultNavigationTimeout(o.stepTimeout * 2);
  // Start from an empty page of the same origin: the renderer process is up before the
  // measured navigation (as when a shopper comes from another page of the shop), so process
  // start-up is not counted, and the throttling below applies to the process that loads the
  // measured page. The HTTP cache stays cold: every part gets a new context.
  if (origin) await page.goto(`${origin}/bench-blank.html`);
  const cdp = await context.newCDPSession(page);
  if (throttle > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
  if (NETWORKS[o.network]) {
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', NETWORKS[o.network]);
  }
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(oneLine(e)));
  return { context, page, cdp, pageErrors, blocked };
}

async function heapAfterGc(cdp) {
  try {
    await cdp.send('HeapProfiler.collectGarbage');
    const usage = await cdp.send('Runtime.getHeapUsage');
    return usage.usedSize;
  } catch {
    return null;
  }
}

/** Navigation, paint, LCP, layout shift, long tasks and Kago's own marks, read in the page. */
function readLoad(page, kagoFiles = KAGO_FILES) {
  return page.evaluate((kagoFiles) => {
    const B = window.__kagoBench;
    const nav = performance.getEntriesByType('navigation')[0];
    const fcp = performance.getEntriesByName('first-contentful-paint')[0];
    const lcp = B.lcp.length ? B.lcp[B.lcp.length - 1] : null;
    const resources = performance.getEntriesByType('resource');
    const files = {};
    for (const [role, name] of Object.entries(kagoFiles)) {
      const r = resources.find((e) => new URL(e.name).pathname.endsWith('/' + name));
      files[role] = r
        ? {
            transfer: r.transferSize,
            encoded: r.encodedBodySize,
            decoded: r.decodedBodySize,
            start: r.startTime,
            end: r.responseEnd,
          }
        : null;
    }
    const pageTransfer =
      (nav ? nav.transferSize : 0) + resources.reduce((sum, r) => sum + (r.transferSize || 0), 0);
    const longTasks = B.longTasks;
    return {
      dcl: nav ? nav.domContentLoadedEventStart : null,
      load: nav ? nav.loadEventStart : null,
      fcp: fcp ? fcp.startTime : null,
      lcp: lcp ? lcp.start : null,
      lcpElement: lcp ? lcp.element : null,
      cls: B.shifts.filter((s) => !s.hadRecentInput).reduce((sum, s) => sum + s.value, 0),
      shifts: B.shifts,
      longTaskMs: longTasks.reduce((sum, t) => sum + t.duration, 0),
      longTaskCount: longTasks.length,
      blockingMs: longTasks.reduce((sum, t) => sum + Math.max(0, t.duration - 50), 0),
      longestTaskMs: longTasks.reduce((m, t) => Math.max(m, t.duration), 0),
      longTasks,
      cartInDom: B.marks.cartInDom ?? null,
      cartVisible: B.marks.cartVisible ?? null,
      cartVisibleFrame: B.marks.cartVisibleFrame ?? null,
      kagoReady: B.marks.kagoReady ?? null,
      files,
      pageTransfer,
      wasmMemory: B.memories.length ? B.wasmMemoryBytes() : null,
    };
  }, kagoFiles);
}

async function loadPage(session, url, o, { kago }) {
  const { page } = session;
  await page.goto(url, { waitUntil: 'load' });
  if (kago) {
    await page.waitForFunction(() => window.__kagoBench.marks.cartVisibleFrame !== undefined, null, {
      polling: 250,
      timeout: o.stepTimeout,
    });
  }
  await sleep(1000); // let late long tasks, shifts and LCP candidates arrive
  const load = await readLoad(page);
  load.cartAfterDcl = diff(load.cartVisible, load.dcl);
  load.jsHeap = await heapAfterGc(session.cdp);
  return load;
}

/** A shopper's pause before each tap: Kago defers work to idle moments, as a phone has them. */
const THINK_MS = 1000;

/** A tap measured in the page: {dom, frame} ms. `target` and `done` run in the page. */
async function timedTap(page, target, done, o) {
  await sleep(THINK_MS);
  return page.evaluate(
    async ({ target, done, timeout }) => {
      const B = window.__kagoBench;
      const el = new Function('B', `return (${target})(B);`)(B);
      const check = new Function('B', `return (${done})(B);`);
      return B.tapAndWait(el, () => check(B), timeout);
    },
    { target: target.toString(), done: done.toString(), timeout: o.stepTimeout },
  );
}

// ---- the three parts of a run --------------------------------------------------------------
async function runPlain(browser, o, probe, origin) {
  const s = await openPage(browser, o, probe, { origin });
  try {
    const load = await withTimeout(loadPage(s, `${origin}/bench-plain.html`, o, { kago: false }), o.stepTimeout * 3, 'plain page load');
    return { load, pageErrors: s.pageErrors };
  } finally {
    await s.context.close().catch(() => {});
  }
}

async function runKago(browser, o, probe, origin) {
  const s = await openPage(browser, o, probe, { origin });
  const { page } = s;
  const out = { interactions: {}, errors: [], pageErrors: s.pageErrors };
  try {
    out.load = await withTimeout(loadPage(s, `${origin}/index.html`, o, { kago: true }), o.stepTimeout * 3, 'Kago page load');
    const step = async (name, target, done) => {
      try {
        out.interactions[name] = await withTimeout(timedTap(page, target, done, o), o.stepTimeout + 5000, name);
      } catch (err) {
        const detail = await page.evaluate(() => window.__kagoBench.errors()).catch(() => []);
        out.errors.push(`${name}: ${oneLine(err)}${detail.length ? ` (shown: ${detail.join(' | ')})` : ''}`);
        throw err;
      }
    };
    await step(
      'addToCart',
      () => document.querySelector('[data-kago-add][data-sku="TEE-001"]'),
      (B) => B.badgeText() === '1',
    );
    await step('cartOpen', (B) => B.cartButton(), (B) => B.isVisible(B.dialog(), { opaque: false }));
    await step(
      'openCheckout',
      (B) => B.button('Checkout'),
      (B) => B.stepText() === 'Step 1 of 3' && !!B.root().querySelector('form.kago-form input'),
    );
    const filled = await page.evaluate((values) => window.__kagoBench.fillForm(values), CHECKOUT_VALUES);
    if (!filled.length) throw new Error('checkout form: no input found to fill');
    await step(
      'continueToDelivery',
      (B) => B.button('Continue to delivery'),
      (B) => B.stepText() === 'Step 2 of 3' && B.isVisible(B.root().querySelector('.kago-steps'), { hitTest: false }),
    );
    await step('continueToReview', (B) => B.button('Review order'), (B) => B.stepText() === 'Step 3 of 3');
    await step('placeOrder', (B) => B.button('Place order'), (B) => !!B.root().querySelector('.kago-order-id'));
    out.orderId = await page.evaluate(() => window.__kagoBench.root().querySelector('.kago-order-id').textContent.trim());
    await sleep(500);
    out.afterPurchase = {
      wasmMemory: await page.evaluate(() => window.__kagoBench.wasmMemoryBytes()),
      jsHeap: await heapAfterGc(s.cdp),
    };
  } catch (err) {
    if (!out.errors.length) out.errors.push(oneLine(err));
    await failureShot(page, 'kago');
  } finally {
    await s.context.close().catch(() => {});
  }
  return out;
}

async function runBigCart(browser, o, probe, origin) {
  const s = await openPage(browser, o, probe, { origin, seedCart: bigCart(200) });
  const { page } = s;
  const out = { interactions: {}, errors: [], pageErrors: s.pageErrors };
  try {
    out.load = await withTimeout(loadPage(s, `${origin}/index.html`, o, { kago: true }), o.stepTimeout * 3, '200-line page load');
    const badge = await page.evaluate(() => window.__kagoBench.badgeText());
    if (badge !== '200') throw new Error(`the seeded 200-line cart was not loaded (badge shows ${badge})`);
    const step = async (name, target, done) => {
      try {
        out.interactions[name] = await withTimeout(timedTap(page, target, done, o), o.stepTimeout + 5000, name);
      } catch (err) {
        throw new Error(`${name}: ${oneLine(err)}`);
      }
    };
    await step(
      'bigCartOpen',
      (B) => B.cartButton(),
      (B) => B.isVisible(B.dialog(), { opaque: false }) && B.root().querySelectorAll('.kago-lines li').length >= 200,
    );
    await page.evaluate(() => {
      window.__kagoBench.totalBefore = window.__kagoBench.totalText();
    });
    await step(
      'bigQuantity',
      (B) => B.button('Increase quantity of P1'),
      (B) => B.totalText() !== null && B.totalText() !== B.totalBefore,
    );
    out.totals = await page.evaluate(() => [window.__kagoBench.totalBefore, window.__kagoBench.totalText()]);
    out.after = { wasmMemory: await page.evaluate(() => window.__kagoBench.wasmMemoryBytes()), jsHeap: await heapAfterGc(s.cdp) };
  } catch (err) {
    out.errors.push(oneLine(err));
    await failureShot(page, 'big-cart');
  } finally {
    await s.context.close().catch(() => {});
  }
  return out;
}

async function failureShot(page, name) {
  try {
    mkdirSync(join(cacheDir, 'failures'), { recursive: true });
    await page.screenshot({ path: join(cacheDir, 'failures', `${name}-${Date.now()}.png`), timeout: 5000 });
  } catch {
    // a screenshot is only a help
  }
}

// ---- loading on a slow-4G phone ----------------------------------------------------------------
// What Kago costs the page while it loads: slow 4G (150 ms RTT, 1.6 Mbit/s) and 4× CPU whatever
// --network says. `path` is the page; the same page with an empty file in Kago's tag gives the
// load event Kago must not delay.
const LOADING = { network: 'slow4g' };

/** Taps "Add to cart" the moment the load event fires and times the early count (probe.js). */
const TAP_AT_LOAD = `addEventListener('load', () => {
  const B = window.__kagoBench;
  const product = document.querySelector('[data-kago-add][data-sku="TEE-001"]');
  B.tapAndWait(product, () => B.badgeText() === '1', 20000).then(
    (t) => (B.marks.tapAtLoad = t),
    (e) => (B.marks.tapAtLoad = { error: String(e) }),
  );
});`;

/** The floor for the row above: on the same page with an empty file in Kago's tag, the page's
 * own answer to the same tap at load (the button's label changes), timed the same way: how soon
 * this page paints any change at its load event. */
const PAGE_TAP_AT_LOAD = `addEventListener('load', () => {
  const B = window.__kagoBench;
  const product = document.querySelector('[data-kago-add][data-sku="TEE-001"]');
  product.addEventListener('click', () => { product.textContent = 'Added'; });
  B.tapAndWait(product, () => product.textContent === 'Added', 20000).then(
    (t) => (B.marks.tapAtLoad = t),
    (e) => (B.marks.tapAtLoad = { error: String(e) }),
  );
});`;

/** The value of `expression` in the page, through CDP: Playwright's own helpers (waitForFunction,
 * locators) first evaluate its ~330 KB injected script on the page's main thread, a 75–125 ms
 * task at 4× CPU that would land in what these runs measure right after load. */
async function cdpValue(cdp, expression) {
  const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true });
  if (exceptionDetails) throw new Error(`${expression}: ${exceptionDetails.exception?.description || exceptionDetails.text}`);
  return result.value;
}

/** Polls `expression` through CDP every 100 ms until it is truthy; its value. */
async function cdpUntil(cdp, expression, timeout) {
  for (const started = Date.now(); Date.now() - started < timeout; await sleep(100)) {
    const value = await cdpValue(cdp, expression);
    if (value) return value;
  }
  throw new Error(`not within ${timeout} ms: ${expression}`);
}

async function runLoading(browser, o, probe, origin, { path, files, tapAtLoad = false, empty = false }) {
  const s = await openPage(browser, { ...o, ...LOADING }, probe, { origin });
  const { page, cdp } = s;
  const out = { pageErrors: s.pageErrors, errors: [] };
  try {
    if (tapAtLoad) await page.addInitScript({ content: empty ? PAGE_TAP_AT_LOAD : TAP_AT_LOAD });
    await page.goto(`${origin}${path}`, { waitUntil: 'load', timeout: o.stepTimeout * 2 });
    if (tapAtLoad) {
      out.tapAtLoad = await cdpUntil(cdp, 'window.__kagoBench.marks.tapAtLoad', o.stepTimeout);
      return out;
    }
    if (empty) {
      await sleep(1000);
      out.load = await readLoad(page, {});
      return out;
    }
    // Ready: the widget has taken its cart button over (kago:ready). The drawer is built only
    // after the shopper's intent (src/ui/build_ahead.rs): the first money formatter is one long
    // task that cannot be split. So: a pointer over the cart button, the drawer built closed
    // part by part, then a tap on it shows it.
    out.readyAt = await cdpValue(
      cdp,
      `window.__kagoBench.waitFor(() => window.__kagoBench.marks.kagoReady !== undefined, ${o.stepTimeout})`,
    );
    await sleep(500);
    const host = `document.querySelector('kago-widget:not([data-kago-early])')?.shadowRoot`;
    const at = await cdpValue(cdp, `(() => { const r = ${host}.querySelector('.kago-cart-button').getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2, performance.now()]; })()`);
    out.intentAt = at[2];
    await cdp.send('Input.dispatchMouseEvent', { type: 'mouseMoved', x: at[0], y: at[1] });
    out.aheadAt = await cdpValue(
      cdp,
      `window.__kagoBench.waitFor(() => !!${host}?.querySelector('.kago-layer.kago-closed .kago-summary'), ${o.stepTimeout})`,
    );
    await sleep(500);
    // From here on the page may run Playwright's script: what is measured after load is done.
    out.load = await readLoad(page, files);
    out.cartOpen = await timedTap(page, (B) => B.cartButton(), (B) => B.isVisible(B.dialog(), { opaque: false }), o);
  } catch (err) {
    out.errors.push(oneLine(err));
  } finally {
    await s.context.close().catch(() => {});
  }
  return out;
}

/** Load-only pairs per slow-4G run: the page with Kago and with an empty file in its tag, loaded
 * alternately, only their load events read. `load` moves by ±50 ms from one load to the next on
 * this profile, more than what is compared, so the load rows take the median of these and the
 * run's own loads. */
const LOAD_PAIRS = 3;

/** The page's load event (ms from navigation start), nothing else read or waited for. */
async function loadOnly(browser, o, probe, origin, path) {
  const s = await openPage(browser, { ...o, ...LOADING }, probe, { origin });
  try {
    await s.page.goto(`${origin}${path}`, { waitUntil: 'load', timeout: o.stepTimeout * 2 });
    return await cdpValue(s.cdp, 'performance.getEntriesByType("navigation")[0].loadEventStart');
  } finally {
    await s.context.close().catch(() => {});
  }
}

/** The loads of a slow-4G run for one build: untouched, tapped at load, and with an empty file in
 * the tag untouched and tapped at load; then LOAD_PAIRS load-only pairs. */
async function loadingRun(browser, o, probe, origin, build) {
  const run = {};
  run.idle = await runLoading(browser, o, probe, origin, { path: `${build.prefix}index.html`, files: build.files });
  run.tap = await runLoading(browser, o, probe, origin, { path: `${build.prefix}index.html`, files: build.files, tapAtLoad: true });
  run.empty = await runLoading(browser, o, probe, origin, { path: `${build.prefix}bench-empty.html`, empty: true });
  run.emptyTap = await runLoading(browser, o, probe, origin, { path: `${build.prefix}bench-empty.html`, empty: true, tapAtLoad: true });
  run.loads = { kago: [], empty: [] };
  for (let k = 0; k < LOAD_PAIRS; k++) {
    const pages = k % 2 ? ['empty', 'kago'] : ['kago', 'empty'];
    for (const which of pages) {
      const path = `${build.prefix}${which === 'kago' ? 'index.html' : 'bench-empty.html'}`;
      run.loads[which].push(await loadOnly(browser, o, probe, origin, path));
    }
  }
  return run;
}

/** The median load event of a run's loads of one page (its measured load and the pairs'). */
function runLoad(r, which) {
  const first = get(r, which === 'kago' ? 'idle.load.load' : 'empty.load.load');
  return median([first, ...(r.loads?.[which] || [])]);
}

/** Kago's bytes the page received for requests started before its load event. */
function bytesBeforeLoad(load) {
  if (!load || !load.files) return null;
  return Object.values(load.files)
    .filter((f) => f && f.start < load.load)
    .reduce((sum, f) => sum + f.transfer, 0);
}

function loadingRows() {
  return [
    ['loadCost', `load event: with Kago − with an empty file in its tag (each run: median of ${LOAD_PAIRS + 1} loads of each)`, 'ms', (r) => diff(runLoad(r, 'kago'), runLoad(r, 'empty')), '≤ 0'],
    ['load', 'load event, with Kago', 'ms', (r) => runLoad(r, 'kago')],
    ['emptyLoad', 'load event, empty file in Kago\'s tag', 'ms', (r) => runLoad(r, 'empty')],
    ['dcl', 'DOMContentLoaded, with Kago', 'ms', (r) => get(r, 'idle.load.dcl')],
    ['emptyDcl', 'DOMContentLoaded, empty file in Kago\'s tag', 'ms', (r) => get(r, 'empty.load.dcl')],
    ['lcp', 'LCP, with Kago', 'ms', (r) => get(r, 'idle.load.lcp')],
    ['emptyLcp', 'LCP, empty file in Kago\'s tag', 'ms', (r) => get(r, 'empty.load.lcp')],
    ['bytesBeforeLoad', 'Kago bytes transferred for requests started before load', 'B', (r) => bytesBeforeLoad(get(r, 'idle.load')), '≤ 6 KiB'],
    ['tapFrame', '"Add to cart" tapped at load → count painted', 'ms', (r) => get(r, 'tap.tapAtLoad.frame'), '≤ 100 ms'],
    ['tapDom', '"Add to cart" tapped at load → count in the DOM', 'ms', (r) => get(r, 'tap.tapAtLoad.dom')],
    ['pageTapFrame', 'the floor: without Kago (empty file in its tag), the page\'s own change to the same tap at load → painted', 'ms', (r) => get(r, 'emptyTap.tapAtLoad.frame')],
    ['readyAfterLoad', 'load → kago:ready (no tap)', 'ms', (r) => diff(get(r, 'idle.load.kagoReady'), get(r, 'idle.load.load'))],
    ['aheadAfterLoad', 'load → widget ready: its own cart button, listening (no tap)', 'ms', (r) => diff(get(r, 'idle.readyAt'), get(r, 'idle.load.load')), '≤ 2,000 ms'],
    ['aheadAfterIntent', 'then pointer over the cart button → drawer built ahead', 'ms', (r) => diff(get(r, 'idle.aheadAt'), get(r, 'idle.intentAt'))],
    ['cartOpen', 'then tap cart button → cart shown (next frame)', 'ms', (r) => get(r, 'idle.cartOpen.frame'), '≤ 50 ms'],
    ['longAfterLoad', 'long tasks after load, before intent (sum)', 'ms', (r) => longAfter(get(r, 'idle.load'), get(r, 'idle.intentAt')).reduce((a, t) => a + t.duration, 0)],
    ['blockingAfterLoad', 'blocking time after load, before intent (Σ task − 50 ms)', 'ms', (r) => longAfter(get(r, 'idle.load'), get(r, 'idle.intentAt')).reduce((a, t) => a + Math.max(0, t.duration - 50), 0)],
    ['longestAfterLoad', 'longest task after load, before intent', 'ms', (r) => longAfter(get(r, 'idle.load'), get(r, 'idle.intentAt')).reduce((a, t) => Math.max(a, t.duration), 0)],
    ['longAfterIntent', 'long tasks after the pointer over the cart button (sum; the first money formatter)', 'ms', (r) => longAfterIntent(get(r, 'idle.load'), get(r, 'idle.intentAt')).reduce((a, t) => a + t.duration, 0)],
  ];
}
// Between load and the shopper's first intent (what a page nobody touches pays), and after it.
const longAfter = (load, intentAt) =>
  load && load.longTasks ? load.longTasks.filter((t) => t.start >= load.load && (intentAt == null || t.start < intentAt)) : [];
const longAfterIntent = (load, intentAt) =>
  load && load.longTasks && intentAt != null ? load.longTasks.filter((t) => t.start >= intentAt) : [];

function loadingStats(runs) {
  return Object.fromEntries(
    loadingRows().map(([key, , , pick]) => [
      key,
      stats(runs.map((r) => {
        try {
          return num(pick(r));
        } catch {
          return null;
        }
      })),
    ]),
  );
}

function loadingReport(results, markdown) {
  const t = markdown ? mdTable : table;
  const builds = Object.keys(results.loading.stats);
  const headers = ['slow 4G, 4× CPU', ...builds.flatMap((b) => [`${b} (median)`, 'min–max']), 'target'];
  const rows = loadingRows().map(([key, label, unit, , target]) => [
    label,
    ...builds.flatMap((b) => {
      const f = fmtStat(results.loading.stats[b][key], unit);
      return [f.median, f.range];
    }),
    target || '',
  ]);
  const out = [t(headers, rows, ['l', ...builds.flatMap(() => ['r', 'r']), 'r'])];
  // The long tasks of the median run (by blocking time), for whoever splits them.
  for (const b of builds) {
    const runs = results.loading.runs[b];
    const ordered = runs
      .map((r) => longAfter(get(r, 'idle.load'), get(r, 'idle.intentAt')))
      .sort((x, y) => x.reduce((a, t) => a + t.duration, 0) - y.reduce((a, t) => a + t.duration, 0));
    const mid = ordered[ordered.length >> 1] || [];
    const tasks = mid.length ? mid.map((t) => `${Math.round(t.duration)} ms`).join(', ') : 'none';
    out.push('', `${markdown ? '_' : ''}${b}: long tasks after load in the median run: ${tasks}${markdown ? '_' : ''}`);
  }
  return out.join('\n');
}

// ---- Lighthouse -----------------------------------------------------------------------------------
function lighthouseStats(lh) {
  const out = {};
  for (const mode of Object.keys(lh)) {
    out[mode] = {};
    for (const [page, runs] of Object.entries(lh[mode])) {
      const ok = runs.filter((r) => !r.error && !r.runtimeError);
      out[mode][page] = Object.fromEntries(['score', 'fcp', 'lcp', 'tbt', 'si', 'cls'].map((k) => [k, stats(ok.map((r) => r[k]))]));
      out[mode][page].failed = runs.length - ok.length;
    }
  }
  return out;
}

const LH_PAGES = {
  plain: 'without Kago',
  empty: 'an empty file in Kago\'s tag',
  kago: 'with Kago (this build)',
  before: 'with Kago (--before build)',
};

function lighthouseReport(results, markdown) {
  const t = markdown ? mdTable : table;
  const s = results.lighthouse.stats;
  const sim = s.simulate || {};
  const dev = s.devtools || {};
  const pages = Object.keys(LH_PAGES).filter((p) => sim[p] || dev[p]);
  const ms = (x) => (x && x.median !== null ? `${Math.round(x.median)} ms` : 'n/a');
  const sec = (x) => (x && x.median !== null ? `${(x.median / 1000).toFixed(2)} s` : 'n/a');
  const score = (x) => (x && x.median !== null ? x.median.toFixed(2) : 'n/a');
  const range = (x, f) => (x && x.min !== null ? `${f(x.min)}–${f(x.max)}` : 'n/a');
  const delta = (p, mode, k) => {
    const a = s[mode]?.[p]?.[k]?.median;
    const b = s[mode]?.plain?.[k]?.median;
    if (p === 'plain' || a == null || b == null) return '';
    const d = a - b;
    return ` (${d >= 0 ? '+' : '−'}${k === 'score' ? Math.abs(d).toFixed(2) : `${Math.round(Math.abs(d))} ms`}${k !== 'score' && k !== 'tbt' && b ? `, ${d >= 0 ? '+' : '−'}${Math.abs((100 * d) / b).toFixed(1)} %` : ''})`;
  };
  const rows = pages.map((p) => [
    LH_PAGES[p],
    score(sim[p]?.score) + delta(p, 'simulate', 'score'),
    sec(sim[p]?.fcp) + delta(p, 'simulate', 'fcp'),
    sec(sim[p]?.lcp) + delta(p, 'simulate', 'lcp'),
    score(dev[p]?.score) + delta(p, 'devtools', 'score'),
    ms(dev[p]?.tbt) + delta(p, 'devtools', 'tbt'),
    range(dev[p]?.tbt, (v) => Math.round(v)),
    sec(dev[p]?.fcp) + delta(p, 'devtools', 'fcp'),
    sec(dev[p]?.lcp) + delta(p, 'devtools', 'lcp'),
  ]);
  const headers = ['page', 'score (sim.)', 'FCP (sim.)', 'LCP (sim.)', 'score (DevTools)', 'TBT (DevTools)', 'TBT min–max', 'FCP (DevTools)', 'LCP (DevTools)'];
  const out = [t(headers, rows, ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'])];
  const failed = pages.flatMap((p) => LH_MODES.filter((m) => s[m]?.[p]?.failed).map((m) => `${LH_PAGES[p]} ${m}: ${s[m][p].failed} failed`));
  if (failed.length) out.push('', `Failed runs (left out): ${failed.join('; ')}`);
  return out.join('\n');
}

// ---- peers -------------------------------------------------------------------------------------
async function measurePeer(browser, o, probe, server, peer, dir) {
  const s = await openPage(browser, { ...o, network: 'none' }, probe, { throttle: 1, blockOutside: true });
  const prefix = `/peers/${peer.id}/`;
  const from = server.log.length;
  try {
    await s.page.goto(`${server.origin}/bench-peer-${peer.id}.html`, { waitUntil: 'load' });
    await s.page.waitForLoadState('networkidle', { timeout: 10_000 }).catch(() => {});
    await sleep(1500);
    const transfer = await s.page.evaluate((prefix) => {
      const out = {};
      for (const r of performance.getEntriesByType('resource')) {
        const path = new URL(r.name).pathname;
        if (path.startsWith(prefix)) out[path.slice(prefix.length)] = r.transferSize;
      }
      return out;
    }, prefix);
    const served = [
      ...new Set(
        server.log
          .slice(from)
          .filter((e) => e.status === 200 && e.path.startsWith(prefix))
          .map((e) => e.path.slice(prefix.length)),
      ),
    ].sort();
    if (!served.length) throw new Error('the page requested none of its files');
    const table = fileTable(served.map((f) => join(dir, f)), (p) => relative(dir, p));
    for (const f of table.files) f.transfer = transfer[f.file] ?? null;
    table.total.transfer = table.files.every((f) => f.transfer !== null)
      ? table.files.reduce((sum, f) => sum + f.transfer, 0)
      : null;
    return {
      id: peer.id,
      name: peer.name,
      version: peer.version,
      what: peer.what,
      ...table,
      pageErrors: s.pageErrors,
      blockedRequests: s.blocked.length,
      blockedHosts: [...new Set(s.blocked.map((u) => new URL(u).host))],
    };
  } finally {
    await s.context.close().catch(() => {});
  }
}

// ---- aggregation -------------------------------------------------------------------------------
// [key, label, unit, pick(run)]
const INTERACTIONS = [
  ['addToCart', 'tap "Add to cart" → badge shows 1'],
  ['cartOpen', 'tap cart button → cart dialog shown'],
  ['openCheckout', 'tap "Checkout" → step 1 form'],
  ['continueToDelivery', 'tap "Continue to delivery" → "Step 2 of 3"'],
  ['continueToReview', 'tap "Review order" → "Step 3 of 3"'],
  ['placeOrder', 'tap "Place order" → order number (local POST)'],
  ['bigCartOpen', 'open a 200-line cart → 200 lines shown'],
  ['bigQuantity', '200-line cart: tap + on P1 → Total changes'],
];
const BIG = new Set(['bigCartOpen', 'bigQuantity']);
const GATED = ['addToCart', 'cartOpen', 'continueToDelivery', 'bigQuantity']; // the issue's four

function metricRows() {
  const rows = [
    ['load', 'plain.dcl', 'DOMContentLoaded, no Kago', 'ms', (r) => get(r, 'plain.load.dcl')],
    ['load', 'kago.dcl', 'DOMContentLoaded, with Kago', 'ms', (r) => get(r, 'kago.load.dcl')],
    ['load', 'plain.load', 'load event, no Kago', 'ms', (r) => get(r, 'plain.load.load')],
    ['load', 'kago.load', 'load event, with Kago', 'ms', (r) => get(r, 'kago.load.load')],
    ['load', 'diff.load', 'load event: Kago’s cost (same run)', 'ms', (r) => diff(get(r, 'kago.load.load'), get(r, 'plain.load.load'))],
    ['load', 'plain.lcp', 'LCP, no Kago', 'ms', (r) => get(r, 'plain.load.lcp')],
    ['load', 'kago.lcp', 'LCP, with Kago', 'ms', (r) => get(r, 'kago.load.lcp')],
    ['load', 'diff.lcp', 'LCP: Kago’s cost (same run)', 'ms', (r) => diff(get(r, 'kago.load.lcp'), get(r, 'plain.load.lcp'))],
    ['load', 'kago.wasmEnd', 'wasm downloaded (responseEnd)', 'ms', (r) => get(r, 'kago.load.files.wasm.end')],
    ['load', 'kago.ready', 'kago:ready event', 'ms', (r) => get(r, 'kago.load.kagoReady')],
    ['load', 'kago.cartVisible', 'cart button visible + clickable', 'ms', (r) => get(r, 'kago.load.cartVisible')],
    ['load', 'kago.cartVisibleFrame', 'cart button visible, end of that frame', 'ms', (r) => get(r, 'kago.load.cartVisibleFrame')],
    ['load', 'kago.cartAfterDcl', 'DOMContentLoaded → cart button visible', 'ms', (r) => get(r, 'kago.load.cartAfterDcl')],
    ['load', 'big.cartVisible', 'cart button visible, 200-line cart saved', 'ms', (r) => get(r, 'big.load.cartVisible')],
    ['host', 'plain.cls', 'layout shift (CLS), no Kago', '', (r) => get(r, 'plain.load.cls')],
    ['host', 'kago.cls', 'layout shift (CLS), with Kago', '', (r) => get(r, 'kago.load.cls')],
    ['host', 'plain.longTaskMs', 'long tasks during load, no Kago', 'ms', (r) => get(r, 'plain.load.longTaskMs')],
    ['host', 'kago.longTaskMs', 'long tasks during load, with Kago', 'ms', (r) => get(r, 'kago.load.longTaskMs')],
    ['host', 'kago.longTaskCount', 'long tasks during load, with Kago (count)', '', (r) => get(r, 'kago.load.longTaskCount')],
    ['host', 'kago.longestTaskMs', 'longest task during load, with Kago', 'ms', (r) => get(r, 'kago.load.longestTaskMs')],
    ['host', 'kago.blockingMs', 'blocking time (Σ task − 50 ms), with Kago', 'ms', (r) => get(r, 'kago.load.blockingMs')],
  ];
  for (const [key, label] of INTERACTIONS) {
    const part = BIG.has(key) ? 'big' : 'kago';
    rows.push(['tap', `${key}.frame`, label, 'ms', (r) => get(r, `${part}.interactions.${key}.frame`)]);
    rows.push(['tapdom', `${key}.dom`, label, 'ms', (r) => get(r, `${part}.interactions.${key}.dom`)]);
  }
  rows.push(
    ['memory', 'kago.wasmAfterLoad', 'wasm linear memory after load', 'B', (r) => get(r, 'kago.load.wasmMemory')],
    ['memory', 'kago.wasmAfterPurchase', 'wasm linear memory after a purchase', 'B', (r) => get(r, 'kago.afterPurchase.wasmMemory')],
    ['memory', 'big.wasm', 'wasm linear memory, 200-line cart', 'B', (r) => get(r, 'big.after.wasmMemory')],
    ['memory', 'plain.jsHeap', 'JS heap after load (GC), no Kago', 'B', (r) => get(r, 'plain.load.jsHeap')],
    ['memory', 'kago.jsHeap', 'JS heap after load (GC), with Kago', 'B', (r) => get(r, 'kago.load.jsHeap')],
    ['memory', 'kago.jsHeapAfterPurchase', 'JS heap after a purchase (GC)', 'B', (r) => get(r, 'kago.afterPurchase.jsHeap')],
    ['memory', 'big.jsHeap', 'JS heap, 200-line cart (GC)', 'B', (r) => get(r, 'big.after.jsHeap')],
  );
  for (const role of ROLES) {
    rows.push(['transfer', `transfer.${role}`, ROLE_LABEL[role], 'B', (r) => get(r, `kago.load.files.${role}.transfer`)]);
  }
  rows.push(['transfer', 'transfer.total', 'total', 'B', (r) => {
    const files = get(r, 'kago.load.files');
    if (!files) return null;
    const v = ROLES.map((role) => files[role] && files[role].transfer);
    return v.every((x) => typeof x === 'number') ? v.reduce((a, b) => a + b, 0) : null;
  }]);
  rows.push(['transfer', 'transfer.plainPage', 'the plain demo page itself (HTML, CSS, icon)', 'B', (r) => get(r, 'plain.load.pageTransfer')]);
  return rows;
}

// ---- printing ----------------------------------------------------------------------------------
const fmtInt = (n) => (n === null || n === undefined ? 'n/a' : Math.round(n).toLocaleString('en-US'));
function fmtVal(n, unit) {
  if (n === null || n === undefined) return 'n/a';
  if (unit === 'B') return n >= 10 * 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : `${(n / 1024).toFixed(1)} KiB`;
  if (unit === 'ms') return `${n < 10 ? n.toFixed(1) : Math.round(n)} ms`;
  return Number.isInteger(n) ? String(n) : n.toFixed(4);
}
function fmtStat(s, unit) {
  if (!s || s.median === null) return { median: 'n/a', range: 'n/a', n: s ? `${s.n}/${s.values.length}` : '0' };
  const strip = (t) => t.replace(/ (ms|KiB|MiB)$/, '');
  return {
    median: fmtVal(s.median, unit),
    range: `${strip(fmtVal(s.min, unit))}–${fmtVal(s.max, unit)}`,
    n: `${s.n}/${s.values.length}`,
  };
}
function table(headers, rows, align) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) =>
    cells.map((c, i) => (align[i] === 'r' ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i]))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
function mdTable(headers, rows, align) {
  const esc = (c) => String(c).replace(/\|/g, '\\|');
  return [
    `| ${headers.map(esc).join(' | ')} |`,
    `|${align.map((a) => (a === 'r' ? '---:' : '---')).join('|')}|`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}

function byteRows(results, markdown) {
  const rows = [];
  const k = results.bytes.kago;
  const transfer = results.metrics;
  k.files.forEach((f, i) => {
    rows.push([`Kago ${f.file}`, fmtInt(f.raw), fmtInt(f.gzip), fmtInt(f.brotli), fmtInt(transfer[`transfer.${ROLES[i]}`]?.median)]);
  });
  rows.push([markdown ? '**Kago total**' : 'Kago total', fmtInt(k.total.raw), fmtInt(k.total.gzip), fmtInt(k.total.brotli), fmtInt(transfer['transfer.total']?.median)]);
  for (const p of results.bytes.peers) {
    if (p.error) {
      rows.push([`${p.name}@${p.version}`, 'n/a', 'n/a', 'n/a', `n/a (${p.error})`]);
      continue;
    }
    rows.push([
      `${p.name}@${p.version} (${p.files.length} file${p.files.length === 1 ? '' : 's'})`,
      fmtInt(p.total.raw),
      fmtInt(p.total.gzip),
      fmtInt(p.total.brotli),
      fmtInt(p.total.transfer),
    ]);
  }
  rows.push(['no widget (floor)', '0', '0', '0', '0']);
  return rows;
}

function targetRows(results) {
  const m = results.metrics;
  const gz = results.bytes.kago.total.gzip;
  const rows = [];
  const gap = (today, target, unit) =>
    today === null
      ? 'n/a'
      : today <= target
        ? 'met'
        : `${unit === 'B' ? `${fmtInt(today - target)} B` : fmtVal(today - target, unit)} over (${(today / target).toFixed(1)}×)`;
  rows.push(['whole widget, gzip', `≤ ${fmtInt(TARGETS.gzipBytes)} B`, `${fmtInt(gz)} B`, gap(gz, TARGETS.gzipBytes, 'B')]);
  const cad = m['kago.cartAfterDcl']?.median ?? null;
  rows.push([`cart button visible after DOMContentLoaded, ${results.options.throttle}× CPU`, `≤ ${TARGETS.cartAfterDclMs} ms`, fmtVal(cad, 'ms'), gap(cad, TARGETS.cartAfterDclMs, 'ms')]);
  for (const key of GATED) {
    const s = m[`${key}.frame`];
    const label = INTERACTIONS.find(([k]) => k === key)[1];
    rows.push([`${label} (to next frame)`, `≤ ${TARGETS.interactionMs} ms`, fmtVal(s?.median ?? null, 'ms'), gap(s?.median ?? null, TARGETS.interactionMs, 'ms')]);
  }
  const clsMax = m['kago.cls']?.max ?? null;
  rows.push(['layout shift caused on the host page (worst run)', '0', clsMax === null ? 'n/a' : fmtVal(clsMax, ''), clsMax === null ? 'n/a' : clsMax === 0 ? 'met' : 'NOT met']);
  return rows;
}

function report(results, markdown) {
  const t = markdown ? mdTable : table;
  const out = [];
  const o = results.options;
  const built = `dist/ built ${results.env.distBuilt.slice(0, 16).replace('T', ' ')} UTC (HEAD ${results.env.commit} when benchmarked)`;
  const title = `${results.runsMeasured} runs (+${o.warmup} warm-up), Chromium ${results.env.chromium}, 412×915 touch phone, ${o.throttle}× CPU, network ${o.network === 'none' ? 'loopback (no throttling)' : o.network}, files served ${o.encoding}`;
  const load = results.env.loadAverage;
  const busy = load && load.before > 1
    ? ` Machine busy when the run started (load average ${load.before.toFixed(2)} on ${load.cores} cores): timings are noisier than usual.`
    : '';
  out.push(markdown ? `_${title}. ${built}.${busy}_` : `Kago benchmark: ${title}.\n${built}.${busy}`);
  out.push('');
  out.push(markdown ? '**Bytes a host page downloads for the widget**' : 'Bytes a host page downloads for the widget (files measured in node; transferred = seen by the page, median)');
  out.push(t(['what', 'raw', 'gzip -9', 'brotli 11', 'transferred'], byteRows(results, markdown), ['l', 'r', 'r', 'r', 'r']));
  out.push('');
  const m = results.metrics;
  const rowsOf = (group) =>
    metricRows()
      .filter(([g]) => g === group)
      .map(([, key, label, unit]) => {
        const f = fmtStat(m[key], unit);
        return [label, f.median, f.range, f.n];
      });
  out.push(markdown ? '**Load (ms from navigation start; both pages in every run)**' : 'Load (ms from navigation start; with and without Kago in every run)');
  out.push(t(['metric', 'median', 'min–max', 'n'], rowsOf('load'), ['l', 'r', 'r', 'r']));
  out.push('');
  out.push(markdown ? '**Host page: layout shift and long tasks during load**' : 'Host page: layout shift and long tasks during load');
  out.push(t(['metric', 'median', 'min–max', 'n'], rowsOf('host'), ['l', 'r', 'r', 'r']));
  out.push('');
  const taps = INTERACTIONS.map(([key, label]) => {
    const fr = fmtStat(m[`${key}.frame`], 'ms');
    const dom = fmtStat(m[`${key}.dom`], 'ms');
    return [label, fr.median, fr.range, dom.median, fr.n];
  });
  out.push(markdown ? '**Interactions (synthetic tap in the page → result; ms)**' : 'Interactions (synthetic tap in the page → result on screen)');
  out.push(t(['interaction', 'to next frame', 'min–max', 'to DOM', 'n'], taps, ['l', 'r', 'r', 'r', 'r']));
  out.push('');
  out.push(markdown ? '**Memory**' : 'Memory');
  out.push(t(['metric', 'median', 'min–max', 'n'], rowsOf('memory'), ['l', 'r', 'r', 'r']));
  out.push('');
  out.push(markdown ? '**Targets**' : 'Targets');
  out.push(t(['target', 'goal', 'today (median)', 'gap'], targetRows(results), ['l', 'r', 'r', 'l']));
  if (results.failures.length) {
    out.push('');
    out.push(markdown ? '**Failed steps** (counted as n/a)' : 'Failed steps (counted as n/a):');
    for (const f of results.failures) out.push(`${markdown ? '- ' : '  '}${f}`);
  }
  return out.join('\n');
}

/** Replaces the generated section `name` of a markdown file (between its markers). */
function writeMarkdown(file, section, name = 'bench') {
  const begin = `<!-- ${name}:begin (generated by scripts/bench; edits here are overwritten) -->`;
  const end = `<!-- ${name}:end -->`;
  if (!existsSync(file)) {
    console.error(`bench: ${relative(repo, file)} not found; not updated`);
    return;
  }
  const text = readFileSync(file, 'utf8');
  const a = text.indexOf(`<!-- ${name}:begin`);
  const b = text.indexOf(end);
  if (a < 0 || b < a) {
    console.error(`bench: no <!-- ${name}:begin --> … ${end} markers in ${relative(repo, file)}; not updated`);
    return;
  }
  writeFileSync(file, `${text.slice(0, a)}${begin}\n${section}\n${text.slice(b)}`);
}

// ---- main ----------------------------------------------------------------------------------------
async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (!existsSync(join(dist, 'index.html'))) {
    console.error('bench: dist/index.html is missing: run scripts/build (or scripts/bench without KAGO_BENCH_NO_BUILD=1)');
    process.exit(1);
  }
  try {
    KAGO_FILES = kagoFiles(dist);
    if (o.before) kagoFiles(o.before);
  } catch (err) {
    console.error(`bench: ${err.message}`);
    process.exit(1);
  }
  if (!existsSync(o.chromium)) {
    console.error(`bench: no Chromium at ${o.chromium} (set CHROMIUM_PATH)`);
    process.exit(1);
  }
  const probe = readFileSync(join(here, 'probe.js'), 'utf8');
  const tmp = mkdtempSync(join(tmpdir(), 'kago-bench-'));
  const cleanup = [() => rmSync(tmp, { recursive: true, force: true })];
  const bye = async () => {
    for (const f of cleanup.reverse()) await Promise.resolve().then(f).catch(() => {});
  };
  process.on('SIGINT', () => bye().then(() => process.exit(130)));
  process.on('SIGTERM', () => bye().then(() => process.exit(143)));

  try {
    // A snapshot of dist/, so a build finishing during the runs cannot mix two builds.
    const snap = join(tmp, 'dist');
    cpSync(dist, snap, { recursive: true, preserveTimestamps: true });
    const site = join(tmp, 'site'); // bench-only pages, served before the snapshot
    mkdirSync(site);
    const loadBefore = loadavg()[0];
    if (loadBefore > 1) {
      console.log(`bench: warning: load average ${loadBefore.toFixed(2)} on ${cpus().length} cores: other work is running, timings will be noisy`);
    }

    // The demo page without Kago's tag: same HTML, CSS and products, served from site/; and the
    // same page with an empty file in Kago's tag (the load event Kago must not delay).
    const tag = /[ \t]*<script\b[^>]*\bsrc="kago\.js"[^>]*>\s*<\/script>\n?/;
    const withEmptyTag = (html) => html.replace(/(<script\b[^>]*\bsrc=")kago\.js("[^>]*>)/, (_, a, b) => `${a}bench-empty.js${b.replace(/\s(integrity|crossorigin)="[^"]*"/g, '')}`);
    const demo = readFileSync(join(snap, 'index.html'), 'utf8');
    if (!tag.test(demo)) throw new Error("dist/index.html has no <script src=\"kago.js\"> tag to take out for the plain page");
    const plain = demo.replace(tag, '');
    writeFileSync(join(site, 'bench-plain.html'), plain);
    writeFileSync(join(site, 'bench-empty.html'), withEmptyTag(demo));
    writeFileSync(join(site, 'bench-empty.js'), '');
    writeFileSync(join(site, 'bench-blank.html'), '<!doctype html><meta charset="utf-8"><title>blank</title>\n');
    // Another build (--before), served under /before/ with its own empty-tag page.
    const builds = { 'this build': { prefix: '/', files: KAGO_FILES } };
    const mounts = {};
    if (o.before) {
      const before = join(tmp, 'before');
      cpSync(o.before, before, { recursive: true, preserveTimestamps: true });
      writeFileSync(join(before, 'bench-empty.html'), withEmptyTag(readFileSync(join(before, 'index.html'), 'utf8')));
      writeFileSync(join(before, 'bench-empty.js'), '');
      mounts['/before/'] = before;
      builds.before = { prefix: '/before/', files: kagoFiles(before) };
    }

    // Peers: fetch packages and write their host pages.
    const peerDirs = {};
    const peerErrors = {};
    if (o.peers) {
      for (const peer of PEERS) {
        try {
          process.stdout.write(`bench: fetching ${peer.name}@${peer.version} (npm pack, cached in target/kago-bench)… `);
          peerDirs[peer.id] = await ensurePeer(peer, join(cacheDir, 'peers'));
          writeFileSync(join(site, `bench-peer-${peer.id}.html`), peerPage(plain, peer, `/peers/${peer.id}/`));
          console.log('ok');
        } catch (err) {
          peerErrors[peer.id] = oneLine(err);
          console.log(`failed: ${peerErrors[peer.id]}`);
        }
      }
    }
    for (const [id, dir] of Object.entries(peerDirs)) mounts[`/peers/${id}/`] = dir;
    const server = await startServer({
      roots: [site, snap],
      mounts,
      encoding: o.encoding,
      csp: (path) => !path.startsWith('/bench-peer-'),
    });
    cleanup.push(() => server.close());
    await server.warm([
      '/index.html', '/bench-plain.html', '/shop.css', '/favicon.svg',
      ...Object.values(builds).flatMap((b) => [`${b.prefix}index.html`, ...Object.values(b.files).map((f) => `${b.prefix}${f}`)]),
    ]);

    const browser = await chromium.launch({ executablePath: o.chromium, args: CHROMIUM_ARGS, headless: true });
    cleanup.push(() => browser.close());
    const env = {
      chromium: browser.version(),
      node: process.version,
      commit: gitCommit(),
      wasmSha256: createHash('sha256').update(readFileSync(join(snap, KAGO_FILES.wasm))).digest('hex'),
      distBuilt: statSync(join(snap, KAGO_FILES.wasm)).mtime.toISOString(),
      before: o.before,
      profile: { ...PHONE, cpuThrottling: o.throttle },
    };

    if (o.phone || o.loading) {
      await phoneRuns({ o, probe, browser, server, snap, builds, peerDirs, peerErrors, env, loadBefore });
    }
    if (o.lighthouse) {
      const pages = { plain: `${server.origin}/bench-plain.html`, empty: `${server.origin}/bench-empty.html`, kago: `${server.origin}/index.html` };
      if (o.before) pages.before = `${server.origin}/before/index.html`;
      console.log(`bench: Lighthouse ${lighthouseVersion()} mobile, ${o.runs} runs of ${Object.keys(pages).length} pages in each of ${LH_MODES.join(' and ')} throttling`);
      const lhLoad = loadavg()[0];
      const runs = await runLighthouse({ pages, runs: o.runs, chromium: o.chromium, log: (line) => console.log(`bench: ${line}`) });
      const results = {
        generated: new Date().toISOString(),
        options: { runs: o.runs, encoding: o.encoding },
        env: { ...env, lighthouse: lighthouseVersion(), loadAverage: { before: lhLoad, after: loadavg()[0], cores: cpus().length } },
        lighthouse: { stats: lighthouseStats(runs), runs },
      };
      const heading = (md) =>
        `${md ? '_' : ''}Lighthouse ${results.env.lighthouse} mobile (slow 4G, 4× CPU), ${o.runs} runs per page and mode, medians; ${results.env.chromium ? `Chromium ${results.env.chromium}` : ''} headless, files served ${o.encoding}; HEAD ${env.commit}${o.before ? `, --before ${o.before}` : ''}; load average ${lhLoad.toFixed(2)} → ${loadavg()[0].toFixed(2)} on ${cpus().length} cores.${md ? '_' : ''}`;
      console.log(`\n${heading(false)}\n${lighthouseReport(results, false)}\n`);
      if (o.write) {
        writeFileSync(join(here, 'results-lighthouse.json'), `${JSON.stringify(results, null, 2)}\n`);
        writeMarkdown(join(repo, 'BENCHMARKS.md'), `${heading(true)}\n\n${lighthouseReport(results, true)}`, 'lighthouse');
        console.log('bench: wrote bench/results-lighthouse.json and the Lighthouse section of BENCHMARKS.md');
      }
    }
  } finally {
    await bye();
  }
}

function lighthouseVersion() {
  try {
    return JSON.parse(readFileSync(join(repo, 'node_modules', 'lighthouse', 'package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

/** The phone runs (bytes, load, taps, memory) and the slow-4G loading runs. */
async function phoneRuns({ o, probe, browser, server, snap, builds, peerDirs, peerErrors, env, loadBefore }) {
  const bytes = {
    kago: fileTable(ROLES.map((role) => join(snap, KAGO_FILES[role])), (p) => relative(snap, p)),
    peers: [],
  };
  for (const peer of o.peers ? PEERS : []) {
    if (peerErrors[peer.id]) {
      bytes.peers.push({ id: peer.id, name: peer.name, version: peer.version, error: peerErrors[peer.id] });
      continue;
    }
    try {
      bytes.peers.push(await withTimeout(measurePeer(browser, o, probe, server, peer, peerDirs[peer.id]), 60_000, peer.name));
    } catch (err) {
      bytes.peers.push({ id: peer.id, name: peer.name, version: peer.version, error: oneLine(err) });
    }
  }

  const runs = [];
  const failures = [];
  const loading = Object.fromEntries(Object.keys(builds).map((b) => [b, []]));
  const total = o.warmup + o.runs;
  for (let i = 0; i < total; i++) {
    const warm = i < o.warmup;
    const label = warm ? `warm-up ${i + 1}/${o.warmup}` : `run ${i - o.warmup + 1}/${o.runs}`;
    process.stdout.write(`bench: ${label}… `);
    const started = Date.now();
    const run = { warmup: warm };
    const part = async (name, fn) => {
      try {
        run[name] = await withTimeout(fn(), o.stepTimeout * 12, `${name} part`);
      } catch (err) {
        run[name] = { errors: [oneLine(err)] };
      }
    };
    // Alternate which page goes first, so neither always gets the warmer browser.
    const order = i % 2 ? ['kago', 'plain'] : ['plain', 'kago'];
    for (const name of o.phone ? order : []) {
      await part(name, () => (name === 'plain' ? runPlain(browser, o, probe, server.origin) : runKago(browser, o, probe, server.origin)));
    }
    if (o.phone) await part('big', () => runBigCart(browser, o, probe, server.origin));
    const buildOrder = o.loading ? Object.keys(builds) : [];
    if (i % 2) buildOrder.reverse();
    for (const b of buildOrder) {
      try {
        const l = await withTimeout(loadingRun(browser, o, probe, server.origin, builds[b]), o.stepTimeout * 12, `slow-4G ${b}`);
        if (!warm) loading[b].push(l);
        if (!warm) failures.push(...['idle', 'tap', 'empty'].flatMap((p) => (l[p]?.errors || []).map((e) => `${label} slow 4G ${b} ${p}: ${e}`)));
      } catch (err) {
        if (!warm) failures.push(`${label} slow 4G ${b}: ${oneLine(err)}`);
      }
    }
    const errs = ['plain', 'kago', 'big'].flatMap((p) => (run[p]?.errors || []).map((e) => `${label} ${p}: ${e}`));
    const pageErrs = ['plain', 'kago', 'big'].flatMap((p) => (run[p]?.pageErrors || []).map((e) => `${label} ${p}: page error: ${e}`));
    if (!warm) failures.push(...errs, ...pageErrs);
    console.log(`${((Date.now() - started) / 1000).toFixed(1)} s${errs.length ? ` (${errs.length} failed step${errs.length > 1 ? 's' : ''})` : ''}`);
    runs.push(run);
  }

  const measured = runs.filter((r) => !r.warmup);
  const metrics = {};
  for (const [group, key, label, unit, pick] of metricRows()) {
    const values = measured.map((r) => {
      try {
        return num(pick(r));
      } catch {
        return null;
      }
    });
    metrics[key] = { group, label, unit, ...stats(values) };
  }

  const results = {
    generated: new Date().toISOString(),
    options: { runs: o.runs, warmup: o.warmup, throttle: o.throttle, encoding: o.encoding, network: o.network },
    env: { ...env, loadAverage: { before: loadBefore, after: loadavg()[0], cores: cpus().length } },
    targets: TARGETS,
    runsMeasured: measured.length,
    bytes,
    metrics,
    loading: { stats: Object.fromEntries(Object.entries(loading).map(([b, r]) => [b, loadingStats(r)])), runs: loading },
    failures,
    runs,
  };

  if (o.phone) console.log(`\n${report(results, false)}`);
  if (o.loading) console.log(`\nLoading on a slow-4G phone (150 ms RTT, 1.6 Mbit/s, 4× CPU)\n${loadingReport(results, false)}\n`);
  if (o.write) {
    writeFileSync(join(here, o.phone ? 'results.json' : 'results-loading.json'), `${JSON.stringify(results, null, 2)}\n`);
    if (o.phone) writeMarkdown(join(repo, 'BENCHMARKS.md'), report(results, true));
    if (o.loading) writeMarkdown(
      join(repo, 'BENCHMARKS.md'),
      `_${results.runsMeasured} runs, slow 4G (150 ms RTT, 1.6 Mbit/s down, CDP) and ${o.throttle}× CPU, files served ${o.encoding}, Chromium ${env.chromium}; HEAD ${env.commit}${o.before ? `; "before" is ${o.before}` : ''}._\n\n${loadingReport(results, true)}`,
      'loading',
    );
    console.log('bench: wrote bench/results.json and the generated sections of BENCHMARKS.md');
  }
}

function gitCommit() {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repo, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'Cargo.toml', 'Cargo.lock', 'Trunk.toml'], {
      cwd: repo,
      encoding: 'utf8',
    }).trim();
    return dirty ? `${head} + uncommitted changes in src/` : head;
  } catch {
    return 'unknown';
  }
}

main().catch((err) => {
  console.error(`bench: ${err && err.stack ? err.stack : err}`);
  process.exit(1);
});
