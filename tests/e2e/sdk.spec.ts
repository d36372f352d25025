import type { BrowserContext, Page, Route } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { expect, test, type ConsoleEntry } from './fixtures';

// The SDK as a front-end developer gets it: the packed npm tarball (scripts/npm-pack, run by
// scripts/build), served from a CDN origin of its own with CORS, loaded with loadKago() into a
// plain ES-module page and into a React 19 app bundled with esbuild, both under a strict CSP.

const repo = resolve(__dirname, '../..');
// Each worker unpacks its own copy.
let work = '';
let pkg = '';
const CDN = 'http://cdn.kago.test';
const CSP =
  `default-src 'self'; script-src 'self' ${CDN} 'wasm-unsafe-eval'; connect-src 'self' ${CDN}; ` +
  `style-src 'self'; img-src 'self' data:`;

const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.html': 'text/html',
};

test.beforeAll(({}, testInfo) => {
  work = join(repo, `tests/e2e/artifacts/sdk-${testInfo.workerIndex}`);
  pkg = join(work, 'package');
  // The tarball, as `npm install` would unpack it.
  const npm = join(repo, 'target/npm');
  const tarball = existsSync(npm) && readdirSync(npm).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error('no target/npm/*.tgz: run scripts/build (it runs scripts/npm-pack)');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  execFileSync('tar', ['-xzf', join(npm, tarball), '-C', work]);
  // The React app, bundled in development mode (React's warnings are on), importing the package
  // by its name.
  writeFileSync(join(work, 'react-app.jsx'), REACT_APP);
  execFileSync(join(repo, 'node_modules/.bin/esbuild'), [
    join(work, 'react-app.jsx'),
    '--bundle',
    '--format=esm',
    `--outfile=${join(work, 'react-app.js')}`,
    `--alias:@kago/checkout=${join(pkg, 'kago.mjs')}`,
    '--define:process.env.NODE_ENV="development"',
    '--jsx=automatic',
  ]);
});

/** The package's files on the CDN origin (with CORS), and the pages on the test server's. */
async function serve(context: BrowserContext) {
  await context.route(`${CDN}/**`, (route: Route) => {
    const path = join(pkg, new URL(route.request().url()).pathname);
    if (!path.startsWith(pkg) || !existsSync(path)) return route.fulfill({ status: 404 });
    return route.fulfill({
      body: readFileSync(path),
      headers: { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'access-control-allow-origin': '*' },
    });
  });
  await context.route('**/sdk/**', (route: Route) => {
    const name = new URL(route.request().url()).pathname.replace('/sdk/', '');
    const pages: Record<string, string> = { 'esm.html': ESM_PAGE, 'react.html': REACT_PAGE, 'esm-page.js': ESM_SCRIPT };
    const body = pages[name] ?? (name === 'react-app.js' ? readFileSync(join(work, name), 'utf8') : undefined);
    if (body === undefined) return route.fulfill({ status: 404 });
    return route.fulfill({ body, headers: { 'content-type': TYPES[extname(name)]!, 'content-security-policy': CSP } });
  });
}

const ESM_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>ESM shop</title>
<script type="module" src="/sdk/esm-page.js"></script></head>
<body><h1>ESM shop</h1><p id="count">0</p></body></html>`;

// Loads Kago from the CDN by URL, as a plain ES-module page does, and keeps a log of what the
// subscription saw, with the frame it came in.
const ESM_SCRIPT = `
import { loadKago } from "${CDN}/kago.mjs";
let frame = 0;
(function tick() { frame++; requestAnimationFrame(tick); })();
window.sdkLog = [];
window.sdkFrame = () => frame;
window.sdkKago = loadKago({ currency: "USD", locale: "en", taxRate: "8", shippingFlat: "5.00", orderEndpoint: "/api/orders" }).then((Kago) => {
  Kago.subscribe((cart) => {
    window.sdkLog.push({ frame, count: cart.item_count, total: cart.formatted.total, same: cart === Kago.cart() });
    document.getElementById("count").textContent = String(cart.item_count);
  });
  return Kago;
});
`;

const REACT_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>React shop</title>
<script type="module" src="/sdk/react-app.js"></script></head>
<body><div id="root"></div></body></html>`;

// A React 19 app: its own header cart button (Kago's floating one hidden), the count and total
// from useSyncExternalStore(Kago.subscribe, Kago.cart), in StrictMode.
const REACT_APP = `
import { StrictMode, useEffect, useState, useSyncExternalStore } from "react";
import { createRoot } from "react-dom/client";
import { loadKago } from "@kago/checkout";

function Header({ kago }) {
  const cart = useSyncExternalStore(kago.subscribe, kago.cart);
  return (
    <header>
      <button id="add" onClick={() => kago.addItem({ sku: "MUG-1", name: "Stoneware mug", price: "18.00", image: "/favicon.svg" })}>Add a mug</button>
      <button id="app-cart" onClick={() => kago.open()}>
        My cart: <span id="app-count">{cart.item_count}</span> <span id="app-total">{cart.formatted.total}</span>
      </button>
    </header>
  );
}

function App() {
  const [kago, setKago] = useState(null);
  useEffect(() => {
    loadKago({ base: "${CDN}/", currency: "USD", locale: "en", cartButton: "none", orderEndpoint: "/api/orders" }).then(setKago);
  }, []);
  return kago ? <Header kago={kago} /> : <p>Loading…</p>;
}

createRoot(document.getElementById("root")).render(<StrictMode><App /></StrictMode>);
`;

/** Console errors and warnings of the page (React's warnings are console.error). */
const problems = (messages: ConsoleEntry[]) => messages.filter((m) => m.type === 'error' || m.type === 'warning');

async function kago<T>(page: Page, f: string): Promise<T> {
  return page.evaluate(`window.sdkKago.then((Kago) => (${f})(Kago))`) as Promise<T>;
}

test('a plain ES-module page: loadKago from a CDN origin, add, subscribe, setQuantity, clear, open; a second tab\'s change within a frame', async ({ page, context, watch }) => {
  await serve(context);
  await page.goto('/sdk/esm.html');
  // One snapshot object until the cart changes, with formatted amounts and the line's image.
  const first = await kago<{ same: boolean; frozen: boolean; count: number }>(page, `(K) => {
    const a = K.cart(); const b = K.cart();
    return { same: a === b, frozen: Object.isFrozen(a) && Object.isFrozen(a.items), count: a.item_count };
  }`);
  expect(first).toEqual({ same: true, frozen: true, count: 0 });
  expect(await kago(page, `(K) => K.addItem({ sku: "MUG-1", name: "Stoneware mug", price: "18.00", image: "/favicon.svg", meta: { gift_message: "For Ana" } })`)).toBe(true);
  await expect(page.locator('#count')).toHaveText('1');
  const cart = await kago<{ line: Record<string, unknown>; formatted: Record<string, string> }>(page, `(K) => {
    const c = K.cart();
    return { line: c.items[0], formatted: c.formatted };
  }`);
  expect(cart.line).toMatchObject({
    sku: 'MUG-1',
    quantity: 1,
    unit_price: 1800,
    // Resolved against the page, like every image URL (README, "URLs").
    image: new URL('/favicon.svg', page.url()).href,
    meta: { gift_message: 'For Ana' },
    formatted: { unit_price: '$18.00', line_total: '$18.00' },
  });
  expect(cart.formatted).toMatchObject({ subtotal: '$18.00', shipping: '$5.00' });
  expect(cart.formatted.total).toMatch(/^\$\d+\.\d\d$/);

  expect(await kago(page, `(K) => K.setQuantity("MUG-1", 3)`)).toBe(true);
  await expect(page.locator('#count')).toHaveText('3');
  expect(await kago(page, `(K) => K.setQuantity("NOPE", 3)`)).toBe(false);
  const log = await page.evaluate(() => (window as unknown as { sdkLog: { count: number; same: boolean }[] }).sdkLog);
  expect(log.map((l) => l.count)).toEqual([1, 3]);
  expect(log.every((l) => l.same), 'the subscriber gets the snapshot cart() returns').toBe(true);

  // A second tab changes the cart: this tab's widget updates its button, and the subscriber hears
  // of it within one frame of that update.
  await page.evaluate(() => {
    const w = window as unknown as { sdkUpdated?: number; sdkFrame: () => number };
    const badge = document.querySelector('kago-widget')!.shadowRoot!.querySelector('.kago-badge')!;
    new MutationObserver(() => {
      w.sdkUpdated ??= w.sdkFrame();
    }).observe(badge, { subtree: true, childList: true, characterData: true });
  });
  const other = await context.newPage();
  await other.goto('/sdk/esm.html');
  await kago(other, `(K) => K.addItem({ sku: "TEE-1", name: "Tee", price: "24.00", variant: "M" })`);
  await expect(page.locator('#count')).toHaveText('4');
  const timing = await page.evaluate(() => {
    const w = window as unknown as { sdkUpdated: number; sdkLog: { frame: number; count: number }[] };
    return { updated: w.sdkUpdated, heard: w.sdkLog[w.sdkLog.length - 1]! };
  });
  expect(timing.heard.count).toBe(4);
  expect(timing.heard.frame - timing.updated, `widget updated in frame ${timing.updated}, subscriber heard in ${timing.heard.frame}`).toBeLessThanOrEqual(1);
  // The line's meta and quantity were saved as changes too: the second tab has them.
  expect(await kago(other, `(K) => K.cart().items.map((l) => [l.sku, l.quantity, l.meta])`)).toEqual([
    ['MUG-1', 3, { gift_message: 'For Ana' }],
    ['TEE-1', 1, {}],
  ]);

  // Variant-aware removal, then clear and open.
  expect(await kago(page, `(K) => K.removeItem("TEE-1", "L")`)).toBe(false);
  expect(await kago(page, `(K) => K.removeItem("TEE-1", "M")`)).toBe(true);
  await expect(page.locator('#count')).toHaveText('3');
  await kago(page, `(K) => K.clear()`);
  await expect(page.locator('#count')).toHaveText('0');
  // Cleared in the other tab too (a saved change, not only this tab's state).
  await expect(other.locator('#count')).toHaveText('0');
  await other.close();
  await kago(page, `(K) => K.open()`);
  await expect(page.getByRole('dialog', { name: 'Cart', exact: true })).toBeVisible();
  expect(problems(watch.consoleMessages).filter((m) => !/Kago\.setQuantity|nothing was changed/i.test(m.text))).toEqual([]);
});

test('a React 19 app: useSyncExternalStore(Kago.subscribe, Kago.cart) follows every change, its own header opens the cart, no React warning', async ({ page, context, watch }) => {
  await serve(context);
  await page.goto('/sdk/react.html');
  const count = page.locator('#app-count');
  await expect(count).toHaveText('0');
  await expect(page.locator('kago-widget').getByRole('button', { name: /^Cart,/ }), 'the floating button is hidden').toHaveCount(0);
  await page.locator('#add').click();
  await expect(count).toHaveText('1');
  await expect(page.locator('#app-total')).toHaveText('$18.00');
  await page.evaluate(() => window.Kago!.setQuantity('MUG-1', 4));
  await expect(count).toHaveText('4');
  // A change in another tab reaches the app.
  const other = await context.newPage();
  await other.goto('/sdk/react.html');
  await expect(other.locator('#app-count')).toHaveText('4');
  await other.evaluate(() => window.Kago!.clear());
  await expect(count).toHaveText('0');
  await other.close();
  await page.locator('#add').click();
  await expect(count).toHaveText('1');
  // The app's own button opens the cart; closing it gives focus back to that button.
  await page.locator('#app-cart').click();
  const dialog = page.getByRole('dialog', { name: 'Cart', exact: true });
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.locator('#app-cart')).toBeFocused();
  expect(problems(watch.consoleMessages)).toEqual([]);
});

test('data-kago-open: any element of the page opens the cart, before and after the widget is ready', async ({ page, context }) => {
  await serve(context);
  await context.route('**/sdk/open.html', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Own button</title>
<script src="${CDN}/kago.js" async data-currency="USD" data-locale="en" data-cart-button="none" data-order-endpoint="/api/orders"></script></head>
<body><nav><a href="/cart" data-kago-open id="own">Cart</a></nav></body></html>`,
    }),
  );
  await page.goto('/sdk/open.html');
  await expect(page.locator('kago-widget').getByRole('button', { name: /^Cart,/ })).toHaveCount(0);
  await page.locator('#own').click();
  const dialog = page.getByRole('dialog', { name: 'Cart', exact: true });
  await expect(dialog).toBeVisible();
  await expect(page, 'the link is not followed').toHaveURL(/\/sdk\/open\.html$/);
  await page.evaluate(() => window.Kago!.ready.then(() => true));
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await page.locator('#own').click();
  await expect(dialog).toBeVisible();
});

test('on("ready") registered after ready fires once, right after the call', async ({ page, context }) => {
  await serve(context);
  await page.goto('/sdk/esm.html');
  const heard = await kago<string[]>(page, `(K) => new Promise((done) => {
    const log = [];
    K.on("ready", (d) => log.push("ready " + d.version));
    log.push("after the call");
    setTimeout(() => done(log), 50);
  })`);
  expect(heard).toEqual(['after the call', expect.stringMatching(/^ready \d+\.\d+\.\d+$/)]);
});
