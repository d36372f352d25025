#!/usr/bin/env node
// The main-thread tasks over 50 ms after the page's load event, from a Chromium trace, for one
// or more builds: slow-4G phone (150 ms RTT, 1.6 Mbit/s, 4× CPU), the demo page untouched until
// 2 s after the widget is ready, then a mouse over the cart button (the shopper's intent) until
// the drawer is built ahead; tasks after the intent are marked so. For each task: when, how long, and what ran in it (the
// scheduler's kind of task — script, idle callback, timer, animation frame — the scripts it
// called, wasm compilation, style, layout). It tells the loader's own tasks from the widget's
// start-up and its idle work; bench/profile.mjs then names the Rust functions. Figures only.
//
//   node bench/tasks.mjs [--runs 3] [DIR…]   (default: dist)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, devices } from 'playwright-core';
import { startServer } from './server.mjs';

const args = process.argv.slice(2);
let runs = 3;
const dirs = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--runs') runs = Number(args[++i]);
  else dirs.push(resolve(args[i]));
}
if (!dirs.length) dirs.push(resolve('dist'));

const CATEGORIES = ['devtools.timeline', 'v8', 'v8.wasm', 'disabled-by-default-devtools.timeline', 'toplevel', 'blink.user_timing', 'loading'];

/** Top-level tasks of the page's main thread with what they contain. */
function tasksOf(events) {
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && events.some((x) => x.pid === e.pid && x.name === 'TracingStartedInBrowser' || (x.pid === e.pid && x.name === 'ParseHTML')));
  const pid = main.pid;
  const tid = main.tid;
  const onMain = events.filter((e) => e.pid === pid && e.tid === tid && e.ph === 'X' && typeof e.dur === 'number');
  const tops = onMain.filter((e) => e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask');
  const nav = events.find((e) => e.pid === pid && e.name === 'navigationStart' && e.args?.data?.isLoadingMainFrame) || events.find((e) => e.pid === pid && e.name === 'navigationStart');
  const load = events.find((e) => e.pid === pid && e.name === 'loadEventStart' && e.args?.frame);
  return { onMain, tops, t0: nav ? nav.ts : tops[0].ts, load: load ? load.ts : null };
}

function describe(task, onMain) {
  const inside = onMain.filter((e) => e !== task && e.ts >= task.ts && e.ts + e.dur <= task.ts + task.dur);
  const sum = (pred) => inside.filter(pred).reduce((a, e) => a + e.dur, 0) / 1000;
  const kinds = [...new Set(inside.map((e) => e.name).filter((n) => /^(FireIdleCallback|TimerFire|FireAnimationFrame|EvaluateScript|v8\.evaluateModule|FunctionCall|RunMicrotasks|EventDispatch|v8\.wasm\.\w+|wasm\.\w+|ParseHTML|HTMLDocumentParser::\w+)$/.test(n)))];
  const calls = inside
    .filter((e) => e.name === 'FunctionCall' || e.name === 'EvaluateScript' || e.name === 'v8.evaluateModule')
    .map((e) => `${(e.args?.data?.url || '').split('/').pop() || '?'}${e.args?.data?.functionName ? `:${e.args.data.functionName}` : ''} ${Math.round(e.dur / 1000)} ms`);
  // The task's direct children (not inside another child), by name: where its time goes.
  const direct = inside.filter((e) => !inside.some((o) => o !== e && o.ts <= e.ts && o.ts + o.dur >= e.ts + e.dur && o.dur > e.dur));
  const byName = new Map();
  for (const e of direct) byName.set(e.name, (byName.get(e.name) || 0) + e.dur / 1000);
  const lazy = sum((e) => e.name === 'wasm.CompileLazy');
  return {
    parts: [...byName].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([n, d]) => `${n} ${Math.round(d)}`).join(', '),
    lazy: Math.round(lazy),
    kinds,
    calls: [...new Set(calls)].slice(0, 6),
    style: Math.round(sum((e) => e.name === 'UpdateLayoutTree' || e.name === 'RecalculateStyles')),
    layout: Math.round(sum((e) => e.name === 'Layout')),
    gc: Math.round(sum((e) => /GC|V8.GC/i.test(e.name) && !/Scavenge.*Task/.test(e.name))),
    wasmCompile: Math.round(sum((e) => /wasm/i.test(e.name) && /ompil/i.test(e.name))),
  };
}

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const tmp = mkdtempSync(join(tmpdir(), 'kago-tasks-'));
  try {
    for (const dir of dirs) {
      const server = await startServer({ roots: [tmp, dir], encoding: 'br', csp: () => true });
      writeFileSync(join(tmp, 'blank.html'), '<!doctype html><title>blank</title>');
      console.log(`\n${dir}`);
      for (let run = 1; run <= runs; run++) {
        const context = await browser.newContext({ viewport: { width: 412, height: 915 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, userAgent: devices['Pixel 7'].userAgent });
        const page = await context.newPage();
        await page.goto(`${server.origin}/blank.html`);
        const cdp = await context.newCDPSession(page);
        await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
        await cdp.send('Network.enable');
        await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 });
        await browser.startTracing(page, { categories: CATEGORIES });
        await page.goto(`${server.origin}/index.html`, { waitUntil: 'load' });
        // Polled through CDP: Playwright's own page helpers would add their script's long task.
        const until = async (expression) => {
          for (let waited = 0; waited < 30_000; waited += 250) {
            const { result } = await cdp.send('Runtime.evaluate', { expression, returnByValue: true });
            if (result.value) return result.value;
            await new Promise((r) => setTimeout(r, 250));
          }
          return null;
        };
        const host = `document.querySelector('kago-widget:not([data-kago-early])')?.shadowRoot`;
        // The widget's own cart button, then a quiet moment; then the shopper's intent (a mouse
        // over the cart button), after which the drawer is built ahead (src/ui/build_ahead.rs).
        const at = await until(`(() => { const b = ${host}?.querySelector('.kago-cart-button'); if (!b) return null; const r = b.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()`);
        await new Promise((r) => setTimeout(r, 2000));
        // ms since the page's navigation start, the trace's t0 below.
        const { result: intentNow } = await cdp.send('Runtime.evaluate', { expression: 'performance.now()', returnByValue: true });
        const intentMs = Math.round(intentNow.value);
        if (at) await cdp.send('Input.dispatchMouseEvent', { type: 'mouseMoved', x: at[0], y: at[1] });
        await until(`!!${host}?.querySelector('.kago-layer.kago-closed .kago-summary')`);
        await new Promise((r) => setTimeout(r, 1500));
        const trace = JSON.parse((await browser.stopTracing()).toString());
        await context.close();
        const { onMain, tops, t0, load } = tasksOf(trace.traceEvents);
        const ms = (ts) => Math.round((ts - t0) / 1000);
        const long = tops.filter((t) => t.name === 'RunTask' && t.dur > 50_000 && (load === null || t.ts >= load));
        console.log(`  run ${run}: load at ${load ? ms(load) : '?'} ms; intent at ${intentMs} ms; tasks over 50 ms after load: ${long.map((t) => `${Math.round(t.dur / 1000)}${ms(t.ts) >= intentMs ? ' (after intent)' : ''}`).join(', ') || 'none'}`);
        for (const t of long.filter((t) => t.name === 'RunTask')) {
          const d = describe(t, onMain);
          console.log(`    ${Math.round(t.dur / 1000)} ms at ${ms(t.ts)} ms: ${d.kinds.join(' ')}`);
          console.log(`      in it: ${d.parts} | lazy wasm compile ${d.lazy} ms, style ${d.style}, layout ${d.layout} | ${d.calls.join('; ')}`);
        }
      }
      await server.close();
    }
  } finally {
    await browser.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`tasks: ${err && err.stack ? err.stack : err}`);
  process.exit(1);
});
