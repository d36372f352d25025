import type { Locator, Page, Route } from '@playwright/test';
import './checkout-helpers'; // window.Kago's type
import {
  addToCart,
  cartButton,
  cartDialog,
  earlyCartButton,
  expect,
  hasFocus,
  holdWasm,
  KAGO_FILES,
  kagoWarnings,
  savedLines,
  test,
} from './fixtures';

// How Kago loads: nothing but kago.js before the page has loaded, then the rest at an idle
// moment or at once on the shopper's intent; taps and API calls made meanwhile count at once and
// are applied when the widget is ready; every file is checked against its integrity hash.

/** Kago's files the page requested: path and start time (ms), and when `load` fired. */
async function kagoRequests(page: Page) {
  return page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const files = performance
      .getEntriesByType('resource')
      .map((r) => ({ path: new URL(r.name).pathname, start: r.startTime }))
      .filter((r) => /^\/kago[-.]/.test(r.path));
    return { load: nav.loadEventStart, files };
  });
}

/** A request that never gets an answer (the page keeps waiting for it). */
const never = () => new Promise<void>(() => {});

/** The early widget's live region: what a screen reader is told while the widget loads. */
const earlyStatus = (page: Page) => page.locator('kago-widget[data-kago-early]').getByRole('status');

test('a page nobody touches: nothing but kago.js is fetched before load; the rest comes after it', async ({ page }) => {
  await page.goto('/');
  await expect(cartButton(page, 0), 'the widget comes without a tap').toBeVisible();
  const { load, files } = await kagoRequests(page);
  expect(load).toBeGreaterThan(0);
  const before = files.filter((f) => f.start < load).map((f) => f.path);
  expect(before, 'Kago files requested before the load event').toEqual(['/kago.js']);
  const after = files.filter((f) => f.start >= load).map((f) => f.path.replace(/-[0-9a-f]{16}\./, '-<hash>.'));
  expect(after.sort()).toEqual(['/kago-<hash>.css', '/kago-checkout-<hash>.js', '/kago-checkout_bg-<hash>.wasm']);
});

test('a page whose load event never fires still gets the widget (a few seconds after DOMContentLoaded)', async ({ page }) => {
  await page.route('**/held.svg', never);
  await page.goto('/never-loads.html', { waitUntil: 'domcontentloaded' });
  await expect(cartButton(page, 0)).toBeVisible({ timeout: 15_000 });
  expect(await page.evaluate(() => document.readyState), 'the page is still loading').toBe('interactive');
});

test('intent loads the widget at once: hovering a product on a page that never finishes parsing', async ({ page }) => {
  await page.route('**/held.js', never);
  let asked = false;
  await page.route(KAGO_FILES.wasm, (route) => {
    asked = true;
    return route.continue();
  });
  await page.goto('/parser-blocked.html', { waitUntil: 'commit' });
  await expect(addToCart(page, 'Stoneware mug')).toBeVisible();
  // Neither DOMContentLoaded nor load ever fires here: without intent, nothing would load.
  await page.waitForTimeout(1500);
  expect(asked, 'the wasm was requested with no intent and no load event').toBe(false);
  await addToCart(page, 'Stoneware mug').hover();
  await expect(cartButton(page, 0), 'loaded on the hover alone').toBeVisible();
  expect(await page.evaluate(() => document.readyState)).toBe('loading');
});

test('a product tapped before the widget is ready counts at once, is announced, and is in the cart afterwards and after a reload', async ({
  page,
}) => {
  const release = await holdWasm(page);
  await page.goto('/');
  await expect(earlyCartButton(page, 0)).toBeVisible();
  await addToCart(page, 'Stoneware mug').tap();
  await expect(earlyCartButton(page, 1), 'the early button counts the tap at once').toBeVisible();
  await expect(earlyStatus(page)).toHaveText('Added Stoneware mug to your cart.');
  await addToCart(page, 'Canvas tote').tap();
  await expect(earlyCartButton(page, 2)).toBeVisible();
  release();

  await expect(cartButton(page, 2), 'the widget takes over with the real cart').toBeVisible();
  await cartButton(page, 2).tap();
  await expect(cartDialog(page).getByRole('listitem')).toHaveCount(2);
  await expect.poll(() => savedLines(page)).toEqual(['MUG-002×1', 'TOTE-003×1']);
  await page.reload();
  await expect(cartButton(page, 2), 'still in the cart after a reload').toBeVisible();
});

// A tap before the widget is ready lives in the loader's memory until the widget adds it; a
// shopper who then at once follows a link (on a slow phone the widget is ready ~1.6 s after
// load) lost it: the next page's cart did not have it.
test('products tapped (and Kago.addItem called) before the widget is ready, then a link followed at once: the next page has them, once', async ({
  page,
}) => {
  const release = await holdWasm(page);
  await page.goto('/');
  await expect(earlyCartButton(page, 0)).toBeVisible();
  await addToCart(page, 'Stoneware mug').tap();
  await page.evaluate(() => window.Kago!.addItem({ sku: 'PIN-9', name: 'Enamel pin', price: '6.00' }));
  await expect(earlyCartButton(page, 2)).toBeVisible();
  // The shopper moves on before the widget has run (its wasm is still held).
  await page.goto('/socks.html');
  await expect(earlyCartButton(page, 2), 'the next page counts them at once').toBeVisible();
  release();
  await expect(cartButton(page, 2), 'and its widget adds them').toBeVisible();
  await expect.poll(() => savedLines(page)).toEqual(['MUG-002×1', 'PIN-9×1']);
  // Handed over once: neither a reload nor the next page adds them again.
  await page.reload();
  await expect(cartButton(page, 2)).toBeVisible();
  await page.goto('/');
  await expect(cartButton(page, 2)).toBeVisible();
  expect(await savedLines(page)).toEqual(['MUG-002×1', 'PIN-9×1']);
});

test('a product the widget refuses, tapped before it is ready: the count goes back and the console says why', async ({
  page,
  watch,
}) => {
  const release = await holdWasm(page);
  await page.goto('/bad-product.html');
  await addToCart(page, 'Ceramic vase').tap();
  await expect(earlyCartButton(page, 1), 'counted at once, optimistically').toBeVisible();
  release();
  await expect(cartButton(page, 0), 'the real count').toBeVisible();
  await expect
    .poll(() => kagoWarnings(watch.consoleMessages).map((m) => m.text))
    .toContainEqual(expect.stringMatching(/data-price.*1,200|1,200.*data-price/));
});

/** Waits for the drawer's slide-in (CSS transitions and animations) to end: its box is final. */
async function slidIn(dialog: Locator): Promise<void> {
  // Every animation of the widget's shadow tree: the slide may be on the dialog or a layer above it.
  await dialog.evaluate((el) => Promise.all((el.getRootNode() as ShadowRoot).getAnimations().map((a) => a.finished)));
}

test('the early cart button opens the drawer frame at once, busy; the widget replaces it with the cart, focus on its close button', async ({
  page,
}) => {
  const release = await holdWasm(page);
  await page.goto('/');
  await addToCart(page, 'Stoneware mug').tap();
  await earlyCartButton(page, 1).tap();
  const frame = cartDialog(page);
  await expect(frame).toBeVisible();
  await expect(frame).toHaveAttribute('aria-busy', 'true');
  await expect(frame).toHaveAttribute('aria-modal', 'true');
  await expect(frame.getByText('Loading your cart…')).toBeVisible();
  const close = frame.getByRole('button', { name: 'Close', exact: true });
  await expect.poll(() => hasFocus(close), 'focus moves into the frame').toBe(true);
  await slidIn(frame);
  const box = await frame.boundingBox();

  // Escape closes the frame and gives focus back to the button; a second tap opens it again.
  await page.keyboard.press('Escape');
  await expect(frame).toHaveCount(0);
  await expect.poll(() => hasFocus(earlyCartButton(page, 1))).toBe(true);
  await earlyCartButton(page, 1).tap();
  await expect(frame).toBeVisible();
  release();

  await expect(frame.getByRole('listitem').filter({ hasText: 'Stoneware mug' })).toBeVisible();
  await expect(frame).not.toHaveAttribute('aria-busy', 'true');
  await expect(page.locator('kago-widget')).toHaveCount(1);
  await expect.poll(() => hasFocus(cartDialog(page).getByRole('button', { name: 'Close', exact: true }))).toBe(true);
  await slidIn(cartDialog(page));
  expect(await cartDialog(page).boundingBox(), 'the cart takes the frame\'s place').toEqual(box);
  // Where the frame already was, the cart does not slide in a second time; opened again, it does.
  const slide = () => cartDialog(page).evaluate((el) => getComputedStyle(el).animationName);
  expect(await slide(), 'no second slide-in when the widget takes over').toBe('none');
  await page.keyboard.press('Escape');
  await expect(cartDialog(page)).toBeHidden();
  await cartButton(page, 1).tap();
  await expect(cartDialog(page)).toBeVisible();
  expect(await slide(), 'the slide-in on the next opening').toBe('kago-in');
});

test('Kago.addItem, Kago.on and Kago.open called before the widget is ready are applied in order', async ({ page }) => {
  const release = await holdWasm(page);
  await page.goto('/');
  const early = await page.evaluate(() => {
    const kago = window.Kago!;
    const heard: string[] = [];
    (window as unknown as { heard: string[] }).heard = heard;
    kago.on('item_added', (detail) => heard.push(String((detail as { sku: string }).sku)));
    const stopped = kago.on('item_removed', () => heard.push('removed (after off)'));
    stopped();
    const added = kago.addItem({ sku: 'GIFT-1', name: 'Gift card', price: '25.00', quantity: 2 });
    kago.removeItem('GIFT-1');
    kago.addItem({ sku: 'PIN-2', name: 'Enamel pin', price: 3.5 });
    kago.open();
    let cart = '';
    try {
      kago.cart();
    } catch (e) {
      cart = String(e);
    }
    return { added, cart };
  });
  expect(early.added, 'addItem before ready: queued').toBe(true);
  expect(early.cart).toMatch(/Kago\.cart\(\): the widget is still loading/);
  await expect(earlyCartButton(page, 3), 'added items count at once').toBeVisible();
  await expect(cartDialog(page), 'open() shows the frame at once').toHaveAttribute('aria-busy', 'true');
  release();

  const dialog = cartDialog(page);
  await expect(dialog.getByRole('listitem')).toHaveCount(1);
  await expect(dialog.getByRole('listitem')).toContainText('Enamel pin');
  await expect(cartButton(page, 1)).toBeAttached();
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { heard: string[] }).heard))
    .toEqual(['GIFT-1', 'PIN-2']);
  expect(await page.evaluate(() => window.Kago!.cart().items.map((i) => i.sku))).toEqual(['PIN-2']);
});

test('Kago.ready resolves with the API; on("ready") fires for a listener added before and after ready', async ({ page }) => {
  type Seen = { stub?: unknown; before?: unknown; api?: Promise<unknown> };
  const release = await holdWasm(page);
  await page.goto('/');
  await page.evaluate(() => {
    const seen: Seen = ((window as unknown as { seen: Seen }).seen = {});
    seen.stub = window.Kago;
    window.Kago!.on('ready', (detail) => (seen.before = detail));
    seen.api = window.Kago!.ready;
  });
  release();
  const result = await page.evaluate(async () => {
    const seen = (window as unknown as { seen: Seen }).seen;
    const api = (await seen.api) as typeof window.Kago;
    const late = await new Promise((resolve) => {
      window.Kago!.on('ready', resolve);
      setTimeout(() => resolve('no call back'), 2000);
    });
    return {
      resolvedIsApi: api === window.Kago && api !== seen.stub,
      sameReady: window.Kago!.ready === (seen.stub as typeof window.Kago)!.ready,
      addItem: typeof api!.addItem,
      before: JSON.stringify(seen.before ?? null),
      late: JSON.stringify(late),
    };
  });
  expect(result.resolvedIsApi, 'ready resolves with the real window.Kago, not the stand-in').toBe(true);
  expect(result.sameReady, 'Kago.ready is the same promise before and after').toBe(true);
  expect(result.addItem).toBe('function');
  expect(result.before, 'on("ready") before ready').toContain('"version"');
  expect(result.late, 'on("ready") after ready calls back').toContain('"version"');
});

// The loader compiles the wasm while it downloads and checks its sha384 itself: another build's
// wasm that is a valid module (here: one more custom section) compiles fine, and only the hash
// check stops it. Nothing of it runs.
test('a valid wasm module with other bytes is refused before it runs: the console names it and no cart button is left', async ({
  page,
  watch,
}) => {
  await page.route(KAGO_FILES.wasm, async (route: Route) => {
    const response = await route.fetch();
    // A custom section (id 0) of 2 bytes: a name of length 1, "x".
    await route.fulfill({ response, body: Buffer.concat([await response.body(), Buffer.from([0x00, 0x02, 0x01, 0x78])]) });
  });
  await page.goto('/');
  const ready = await page.evaluate(() =>
    window.Kago!.ready.then(
      () => 'resolved',
      (e: Error) => `${e.constructor.name}: ${e.message}`,
    ),
  );
  const file = /kago-checkout_bg-[0-9a-f]{16}\.wasm is not the file this kago\.js was built with/;
  expect(ready).toMatch(/^Error: Kago: the widget could not load/);
  expect(ready).toMatch(file);
  expect(watch.consoleMessages.filter((m) => m.type === 'error' && m.text.startsWith('Kago:')).map((m) => m.text)).toEqual([
    expect.stringMatching(file),
  ]);
  await expect(page.locator('kago-widget'), 'no cart button pretends to work').toHaveCount(0);
});

for (const [what, glob] of Object.entries(KAGO_FILES)) {
  test(`a ${what} file served with a wrong integrity hash is refused: the console names it and no cart button is left`, async ({
    page,
    watch,
  }) => {
    // Another build's file under this name: the right status and type, other bytes.
    await page.route(glob, async (route: Route) => {
      const response = await route.fetch();
      const body = await response.body();
      await route.fulfill({ response, body: Buffer.concat([body, Buffer.from(what === 'wasm' ? [0] : '\n')]) });
    });
    await page.goto('/');
    const ready = await page.evaluate(() =>
      window.Kago!.ready.then(
        () => 'resolved',
        (e: Error) => `${e.constructor.name}: ${e.message}`,
      ),
    );
    const file = new RegExp(`kago-${what === 'glue' ? 'checkout-' : what === 'wasm' ? 'checkout_bg-' : ''}[0-9a-f]{16}\\.${{ css: 'css', glue: 'js', wasm: 'wasm' }[what]} is not the file this kago\\.js was built with`);
    expect(ready).toMatch(/^Error: Kago: the widget could not load/);
    expect(ready).toMatch(file);
    const errors = watch.consoleMessages.filter((m) => m.type === 'error' && m.text.startsWith('Kago:'));
    expect(errors.map((m) => m.text)).toEqual([expect.stringMatching(file)]);
    await expect(page.locator('kago-widget'), 'no cart button pretends to work').toHaveCount(0);
  });
}
