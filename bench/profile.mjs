#!/usr/bin/env node
// Where Kago's main-thread long tasks come from, down to Rust functions: loads the demo page on
// the slow-4G phone (150 ms RTT, 1.6 Mbit/s, 4× CPU) with a copy of the widget whose wasm keeps
// its function names, samples the main thread with V8's CPU profiler, and prints every task over
// 50 ms (Long Tasks API) with what ran in it: the JS entry (the loader, the glue, an idle
// callback…) and the Rust functions with the most time in it. A figure for whoever splits the
// tasks; it never fails on timing.
//
// The named copy is built from the last release build's wasm-bindgen output
// (target/wasm-bindgen/release/: same Rust code as dist/, one `wasm-opt -Oz -g` instead of the
// post_build hooks, so names survive), with the loader from src/ and the demo pages from dist/.
//
//   node bench/profile.mjs [--runs 3] [--throttle 4] [--network slow4g|none] [--top 12]
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, devices } from 'playwright-core';
import { startServer } from './server.mjs';
import { kagoFiles } from './files.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..');
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const runs = Number(opt('--runs', 3));
const throttle = Number(opt('--throttle', 4));
const network = opt('--network', 'slow4g');
const top = Number(opt('--top', 12));

function namedCopy(tmp) {
  const bindgen = join(repo, 'target', 'wasm-bindgen', 'release');
  const dist = join(repo, 'dist');
  for (const f of [join(bindgen, 'kago-checkout_bg.wasm'), join(bindgen, 'kago-checkout.js'), join(dist, 'index.html')]) {
    if (!existsSync(f)) throw new Error(`${f} is missing: run scripts/build first`);
  }
  const site = join(tmp, 'site');
  cpSync(dist, site, { recursive: true });
  const files = kagoFiles(site);
  for (const role of ['css', 'glue', 'wasm']) rmSync(join(site, files[role]));
  copyFileSync(join(repo, 'src', 'ui', 'kago.css'), join(site, 'kago.css')); // whole: embed-early-css moves its early part
  copyFileSync(join(bindgen, 'kago-checkout.js'), join(site, 'kago-checkout.js'));
  for (const extra of readdirSync(bindgen).filter((f) => f === 'snippets')) cpSync(join(bindgen, extra), join(site, extra), { recursive: true });
  execFileSync(join(repo, 'node_modules', '.bin', 'wasm-opt'), ['-Oz', '-g', join(bindgen, 'kago-checkout_bg.wasm'), '-o', join(site, 'kago-checkout_bg.wasm')], { stdio: 'inherit' });
  // The loader as in src/ (plain names, no integrity), with its early CSS.
  copyFileSync(join(repo, 'src', 'browser', 'loader', 'kago.js'), join(site, 'kago.js'));
  execFileSync(process.execPath, [join(repo, 'scripts', 'embed-early-css.mjs'), site], { stdio: 'ignore' });
  const index = join(site, 'index.html');
  writeFileSync(index, readFileSync(index, 'utf8').replace(/\s(integrity|crossorigin)="[^"]*"/g, ''));
  return site;
}

const PROBE = `(() => {
  window.__kagoProfile = { longTasks: [], marks: {} };
  new PerformanceObserver((l) => l.getEntries().forEach((e) => window.__kagoProfile.longTasks.push({ start: e.startTime, duration: e.duration })))
    .observe({ type: 'longtask', buffered: true });
  addEventListener('kago:ready', () => (window.__kagoProfile.marks.ready = performance.now()));
})();`;

/** Samples of a CPU profile as [epoch ms, stack of call frames (leaf first)]. */
function samplesOf(profile, epochAtStart) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children || []) parent.set(c, n.id);
  const stackCache = new Map();
  const stack = (id) => {
    if (stackCache.has(id)) return stackCache.get(id);
    const out = [];
    for (let n = id; n !== undefined; n = parent.get(n)) out.push(byId.get(n).callFrame);
    stackCache.set(id, out);
    return out;
  };
  const out = [];
  let t = profile.startTime;
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i];
    out.push([epochAtStart + (t - profile.startTime) / 1000, stack(id)]);
  });
  return out;
}

const isRust = (f) => /^(kago_checkout|kago_core|leptos|tachys|reactive_graph|reactive_stores|std|core|alloc|hashbrown|wasm_bindgen|js_sys|web_sys|gloo|either_of)::|<.*as .*>::/.test(f.functionName);
const short = (name) => name.replace(/::h[0-9a-f]{16}$/, '').replace(/\{\{closure\}\}/g, '{closure}');

/** The JS entry of a stack: the outermost frame from a script (loader, glue) or the wasm. */
function entry(stack) {
  for (let i = stack.length - 1; i >= 0; i--) {
    const f = stack[i];
    if (!f.url) continue;
    const file = f.url.split('/').pop();
    return `${f.functionName || '(anonymous)'} in ${file}`;
  }
  return stack.length ? stack[stack.length - 1].functionName : '(idle)';
}

async function main() {
  const tmp = mkdtempSync(join(tmpdir(), 'kago-profile-'));
  try {
    const site = namedCopy(tmp);
    const server = await startServer({ roots: [site], encoding: 'br', csp: () => true });
    await server.warm(['/index.html', '/kago.js', '/kago.css', '/kago-checkout.js', '/kago-checkout_bg.wasm', '/shop.css']);
    writeFileSync(join(site, 'blank.html'), '<!doctype html><title>blank</title>');
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      for (let run = 1; run <= runs; run++) {
        const context = await browser.newContext({
          viewport: { width: 412, height: 915 },
          deviceScaleFactor: 2,
          isMobile: true,
          hasTouch: true,
          userAgent: devices['Pixel 7'].userAgent,
        });
        await context.addInitScript({ content: PROBE });
        const page = await context.newPage();
        await page.goto(`${server.origin}/blank.html`);
        const cdp = await context.newCDPSession(page);
        await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
        if (network === 'slow4g') {
          await cdp.send('Network.enable');
          await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 });
        }
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 250 });
        await cdp.send('Profiler.start');
        const epochAtStart = await page.evaluate(() => performance.timeOrigin + performance.now());
        await page.goto(`${server.origin}/index.html`, { waitUntil: 'load' });
        // The widget's own cart button, a quiet moment, then the shopper's intent (a mouse over
        // it), after which the drawer is built ahead (src/ui/build_ahead.rs).
        await page.waitForFunction(() => {
          const host = document.querySelector('kago-widget:not([data-kago-early])');
          return host && host.shadowRoot.querySelector('.kago-cart-button');
        }, null, { timeout: 30_000, polling: 100 });
        await page.waitForTimeout(2000);
        await page.locator('kago-widget .kago-cart-button').hover();
        await page.waitForFunction(() => {
          const host = document.querySelector('kago-widget:not([data-kago-early])');
          return host && host.shadowRoot.querySelector('.kago-layer.kago-closed .kago-summary');
        }, null, { timeout: 30_000, polling: 100 });
        await page.waitForTimeout(2000);
        const { profile } = await cdp.send('Profiler.stop');
        const seen = await page.evaluate(() => ({
          origin: performance.timeOrigin,
          load: performance.getEntriesByType('navigation')[0].loadEventStart,
          ...window.__kagoProfile,
        }));
        await context.close();

        const samples = samplesOf(profile, epochAtStart);
        console.log(`\nrun ${run}: load at ${Math.round(seen.load)} ms, kago:ready at ${Math.round(seen.marks.ready)} ms (${throttle}× CPU, ${network})`);
        for (const task of seen.longTasks) {
          const from = seen.origin + task.start;
          const to = from + task.duration;
          const inTask = samples.filter(([t]) => t >= from && t <= to);
          const entries = new Map();
          const rust = new Map();
          for (const [, stack] of inTask) {
            const e = entry(stack);
            entries.set(e, (entries.get(e) || 0) + 1);
            const names = new Set(stack.filter(isRust).map((f) => short(f.functionName)));
            for (const n of names) rust.set(n, (rust.get(n) || 0) + 1);
          }
          const ms = (n) => `${Math.round((n / Math.max(inTask.length, 1)) * task.duration)} ms`;
          const when = task.start >= seen.load ? `load + ${Math.round(task.start - seen.load)} ms` : `${Math.round(seen.load - task.start)} ms before load`;
          console.log(`  task ${Math.round(task.duration)} ms at ${Math.round(task.start)} ms (${when})`);
          for (const [e, n] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, 3)) console.log(`    entry ${ms(n)}: ${e}`);
          for (const [name, n] of [...rust]
            .filter(([name]) => /kago_checkout|kago_core/.test(name))
            .sort((a, b) => b[1] - a[1])
            .slice(0, top)) {
            console.log(`    ${ms(n).padStart(7)}  ${name}`);
          }
        }
      }
    } finally {
      await browser.close();
      await server.close();
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`profile: ${err && err.stack ? err.stack : err}`);
  process.exit(1);
});
