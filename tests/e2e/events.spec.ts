import AxeBuilder from '@axe-core/playwright';
import type { APIRequestContext, Page, Route, TestInfo } from '@playwright/test';
import { test, expect, cartButton, cartDialog, containsFocus } from './fixtures';
import {
  addProducts,
  continueToDelivery,
  button,
  checkoutDialog,
  expectConfirmation,
  expectStep,
  field,
  fillUsContact,
  option,
  ordersOf,
  startCheckout,
  usShopper,
} from './checkout-helpers';
import {
  beaconsOf,
  byTime,
  cartIdOf,
  domEvents,
  expectQueueEmpty,
  expectSentOnce,
  expectValidBatch,
  expectValidEvent,
  type FunnelEvent,
  idsOf,
  label,
  queuedEvents,
  recordBeacons,
  recordDomEvents,
  repeated,
  type SegmentBatch,
  storedEvents,
  signInAsAdmin,
  uniqueId,
  waitForStored,
  watchEventPosts,
} from './events-helpers';

// Funnel events end to end (README "Funnel and abandonment events"): the widget in dist/ on a
// phone, sending to the demo server's real POST /api/events, which stores each event once per id
// (GET /api/events reads them back). Every stored event and every Kago batch the page POSTed is
// checked against schema/events.schema.json. Each test reads its own cart_id from
// localStorage['kago.cart_id'] (a fresh browser context has a fresh one), so tests running in
// parallel, or against a reused server, never see each other's events.

const REMINDER = "E-mail me a reminder if I don't finish this order";

/** Every batch body in Kago format that the page POSTed is valid against the schema. */
function expectValidPosts(posts: { body: string }[]): void {
  for (const [i, post] of posts.entries()) {
    expectValidBatch(JSON.parse(post.body), `POST #${i + 1} to /api/events`);
  }
}

/** Stored events are each valid, and each id is stored once. */
function expectValidStored(events: FunnelEvent[]): void {
  for (const e of events) expectValidEvent(e, `stored ${label(e)}`);
  expect(repeated(events.map((e) => e.id)), 'ids stored more than once').toEqual([]);
}

/** Opens checkout on the page, with `count` items in the cart. */
async function openCheckout(page: Page, products: string[]) {
  await addProducts(page, products);
  return startCheckout(page, products.length);
}

test.describe('a purchase', () => {
  test('produces the ordered funnel for one cart: valid events, path without query string, mobile', async ({ page, request }, testInfo) => {
    const posts = watchEventPosts(page);
    await page.goto('/?utm_source=x&email=leak%40example.com#top');
    const cartId = await cartIdOf(page);
    const shopper = usShopper(testInfo);
    const dialog = await openCheckout(page, ['Organic cotton tee', 'Stoneware mug']);
    await continueToDelivery(dialog, shopper);
    await option(dialog, 'Express').check();
    await option(dialog, 'Cash on delivery').check();
    await button(dialog, 'Review order').tap();
    await expectStep(dialog, 3);
    await button(dialog, 'Place order').tap();
    const orderId = await expectConfirmation(dialog, shopper.email);

    const events = await waitForStored(
      request,
      { cart_id: cartId },
      (es) => es.some((e) => e.type === 'order_completed'),
      'order_completed arrives',
    );
    const sorted = byTime(events);
    const expected = [
      'item_added',
      'item_added',
      'cart_viewed',
      'checkout_started',
      'step_viewed:contact',
      'step_completed:contact',
      'step_viewed:delivery',
      'shipping_selected',
      'payment_selected',
      'step_completed:delivery',
      'step_viewed:review',
      'order_submitted',
      'order_completed',
    ];
    expect(sorted.map(label), 'the funnel, by `at`').toEqual(expected);
    expect(events.map(label), 'and in arrival order').toEqual(expected);
    expectValidStored(events);
    expectValidPosts(posts);
    expectSentOnce(posts);

    const sessions = new Set(events.map((e) => e.session_id));
    expect(sessions.size, 'one browser session').toBe(1);
    for (const e of events) {
      expect(e.page, `${label(e)}: path only`).toBe('/');
      expect(e.device, `${label(e)}: device`).toBe('mobile');
      expect(e.currency).toBe('USD');
      expect(e.locale).toBe('en');
      expect(e.contact, `${label(e)}: no contact without the opt-in`).toBeUndefined();
    }
    const all = JSON.stringify(events) + posts.map((p) => p.body).join('');
    expect(all).not.toContain('utm_source');
    expect(all).not.toContain(shopper.email);
    expect(all).not.toContain('leak');
    expect(all).not.toContain(shopper.name);

    const shipping = events.find((e) => e.type === 'shipping_selected')!;
    expect(shipping.shipping_method).toBe('express');
    expect(events.find((e) => e.type === 'payment_selected')!.payment_method).toBe('cod');
    const completed = events.find((e) => e.type === 'order_completed')!;
    expect(completed.order_id).toBe(orderId);
    const [order] = await ordersOf(request, shopper.email);
    expect(completed.value, 'order_completed value = the stored order total').toBe(order.total);
    expect(completed.items?.map((i) => i.sku).sort()).toEqual(['MUG-002', 'TEE-001']);
    // After the order a new cart starts: later events get a new cart_id.
    expect(await page.evaluate(() => localStorage.getItem('kago.cart_id'))).not.toBe(cartId);
  });
});

test.describe('abandonment', () => {
  test('closing the tab mid-checkout delivers checkout_abandoned (hidden/unload) without any contact data', async ({ page, context, request }, testInfo) => {
    await page.goto('/');
    const cartId = await cartIdOf(page);
    const shopper = usShopper(testInfo);
    const dialog = await openCheckout(page, ['Stoneware mug']);
    await field(dialog, 'Email').fill(shopper.email);
    await field(dialog, 'Full name').fill(shopper.name);
    await page.close({ runBeforeUnload: true });

    const events = await waitForStored(
      request,
      { cart_id: cartId },
      (es) => es.some((e) => e.type === 'checkout_abandoned'),
      'checkout_abandoned arrives after the tab closed',
    );
    const abandoned = events.filter((e) => e.type === 'checkout_abandoned');
    expect(abandoned, 'sent once per checkout').toHaveLength(1);
    const [a] = abandoned;
    expect(a.last_step).toBe('contact');
    expect(['hidden', 'unload']).toContain(a.trigger);
    expect(a.reason).toBeUndefined();
    expect(a.duration_ms).toBeGreaterThanOrEqual(0);
    expect(a.contact).toBeUndefined();
    expectValidStored(events);
    const text = JSON.stringify(events);
    expect(text).not.toContain(shopper.email);
    expect(text).not.toContain(shopper.name);
    await context.close();
  });

  test('closing the checkout with the X asks "What stopped you?"; "Shipping cost" is sent as the reason', async ({ page, request }) => {
    await page.goto('/');
    const cartId = await cartIdOf(page);
    const dialog = await openCheckout(page, ['Organic cotton tee']);
    await dialog.getByRole('button', { name: 'Close', exact: true }).tap();
    await expect(dialog.getByText('Before you go: what stopped you?', { exact: true })).toBeVisible();
    for (const name of ['Shipping cost', 'My payment option is missing', 'Just looking', 'Something else', 'Skip']) {
      await expect(button(dialog, name), name).toBeVisible();
    }
    await button(dialog, 'Shipping cost').tap();
    await expect(checkoutDialog(page)).toHaveCount(0);

    const events = await waitForStored(
      request,
      { cart_id: cartId, type: 'checkout_abandoned' },
      (es) => es.length > 0,
      'checkout_abandoned arrives',
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ reason: 'shipping_cost', trigger: 'closed', last_step: 'contact' });
    expectValidStored(events);
  });
});

/** Every stored event queue (`kago.events.tab.<id>`, or the legacy `kago.events`) as text, or null. */
async function storedQueues(page: Page): Promise<string | null> {
  return page.evaluate(
    () =>
      Object.keys(localStorage)
        .filter((k) => k.startsWith('kago.events'))
        .map((k) => localStorage.getItem(k))
        .join('\n') || null,
  );
}

test.describe('delivery without loss', () => {
  test('events raised offline all arrive once the browser is back online', async ({ page, context, request }) => {
    test.setTimeout(60_000);
    const posts = watchEventPosts(page);
    await page.goto('/');
    const cartId = await cartIdOf(page);
    await context.setOffline(true);
    await addProducts(page, ['Organic cotton tee', 'Stoneware mug', 'Canvas tote']);
    await cartButton(page, 3).tap();
    await expect(cartDialog(page)).toBeVisible();
    await page.waitForTimeout(6_000);
    const queued = await queuedEvents(page);
    expect(queued.map(label), 'waiting in the tab queue while offline').toEqual([
      'item_added',
      'item_added',
      'item_added',
      'cart_viewed',
    ]);
    expect(await storedEvents(request, { cart_id: cartId }), 'nothing arrived while offline').toEqual([]);
    await context.setOffline(false);

    const ids = queued.map((e) => e.id);
    const events = await waitForStored(
      request,
      { cart_id: cartId },
      (es) => ids.every((id) => es.some((e) => e.id === id)),
      'every event raised offline arrives',
      30_000,
    );
    expect(events.map((e) => e.id).sort(), 'exactly those events, none lost, none invented').toEqual([...ids].sort());
    expectValidStored(events);
    await expectQueueEmpty(page);
    expectValidPosts(posts);
  });

  test('a 503 from the endpoint for the first POSTs loses nothing once it recovers', async ({ page, request }) => {
    test.setTimeout(90_000);
    const failing = 3;
    let failed = 0;
    await page.route('**/api/events', async (route) => {
      if (route.request().method() === 'POST' && failed < failing) {
        failed += 1;
        await route.fulfill({ status: 503, contentType: 'application/json', body: '{"error":"down"}' });
      } else {
        await route.continue();
      }
    });
    const posts = watchEventPosts(page);
    await page.goto('/');
    const cartId = await cartIdOf(page);
    await addProducts(page, ['Organic cotton tee', 'Stoneware mug']);
    await cartButton(page, 2).tap();
    await expect(cartDialog(page)).toBeVisible();
    await expect.poll(() => failed, { message: `${failing} POSTs answered 503`, timeout: 30_000 }).toBe(failing);
    const raised = [...new Set(posts.flatMap((p) => p.ids))];
    expect(raised.length).toBeGreaterThanOrEqual(3);

    const events = await waitForStored(
      request,
      { cart_id: cartId },
      (es) => raised.every((id) => es.some((e) => e.id === id)),
      'every event refused with 503 arrives later',
      45_000,
    );
    expect(events.map(label)).toEqual(['item_added', 'item_added', 'cart_viewed']);
    expectValidStored(events);
    await expectQueueEmpty(page);
    expectValidPosts(posts);
    // The retries sent the same events again, with the same ids.
    const first = posts[0].ids;
    expect(posts.filter((p) => first.every((id) => p.ids.includes(id))).length).toBeGreaterThan(1);
  });

  // Note: the beacon a page sends while it unloads (pagehide) is invisible to Playwright (no
  // request event, not routable) but reaches the server; it does not take the events out of the
  // queue (no answer is read), so the reloaded page must send them again itself.
  test('a POST left hanging when the page reloads is sent again after the reload with the same ids', async ({ page, request }) => {
    test.setTimeout(120_000);
    const held: Route[] = [];
    const hold = async (route: Route) => {
      if (route.request().method() === 'POST') held.push(route);
      else await route.continue();
    };
    await page.route('**/api/events', hold);
    const posts = watchEventPosts(page);
    await page.goto('/');
    const cartId = await cartIdOf(page);
    await addProducts(page, ['Organic cotton tee', 'Canvas tote']);
    await expect.poll(() => held.length, { message: 'a batch is POSTed and hangs', timeout: 15_000 }).toBeGreaterThan(0);
    const hanging = posts[0].ids;
    expect(hanging.length).toBe(2);
    expect(await storedEvents(request, { cart_id: cartId }), 'nothing arrived yet').toEqual([]);

    const reloadedAt = Date.now();
    await page.reload();
    await cartIdOf(page);
    await page.unroute('**/api/events', hold);
    // The events leave the queue only when a POST of the reloaded page is answered.
    await expectQueueEmpty(page, 60_000);
    const resent = posts.filter((p) => p.time >= reloadedAt && hanging.every((id) => p.ids.includes(id)));
    expect(resent.length, 'a POST of the reloaded page carries the same event ids').toBeGreaterThan(0);
    test.info().annotations.push({
      type: 'sent again after',
      description: `${((resent[0].time - reloadedAt) / 1000).toFixed(1)} s (the unloaded page's sending lease lasts 30 s)`,
    });
    const events = await storedEvents(request, { cart_id: cartId });
    expect(events.map((e) => e.id).sort(), 'each id stored once').toEqual([...hanging].sort());
    expectValidStored(events);
    expectValidPosts(posts);
    for (const route of held) await route.abort().catch(() => undefined);
  });

  test('a POST aborted by the network is sent again after a reload with the same ids, counted once', async ({ page, request }) => {
    test.setTimeout(60_000);
    let aborted = 0;
    await page.route('**/api/events', async (route) => {
      if (route.request().method() === 'POST' && aborted === 0) {
        aborted += 1;
        await route.abort('connectionreset');
      } else {
        await route.continue();
      }
    });
    const posts = watchEventPosts(page);
    await page.goto('/');
    const cartId = await cartIdOf(page);
    await addProducts(page, ['Stoneware mug', 'Canvas tote']);
    await expect.poll(() => aborted, { message: 'the first POST is aborted', timeout: 15_000 }).toBe(1);
    const lost = posts[0].ids;
    expect(lost.length).toBe(2);
    const reloadedAt = Date.now();
    await page.reload();
    await cartIdOf(page);

    await expectQueueEmpty(page, 30_000);
    const again = posts.filter((p) => p.time >= reloadedAt && lost.every((id) => p.ids.includes(id)));
    expect(again.length, 'sent again after the reload, same ids').toBeGreaterThan(0);
    const events = await storedEvents(request, { cart_id: cartId });
    expect(events.map((e) => e.id).sort(), 'each id stored once').toEqual([...lost].sort());
    expectValidStored(events);
    expectValidPosts(posts);
  });

  test('two open tabs never send the same event in two requests', async ({ page, context, request }) => {
    test.setTimeout(60_000);
    const posts = watchEventPosts(page, 'tab 1');
    const page2 = await context.newPage();
    watchEventPosts(page2, 'tab 2', posts);
    await recordBeacons(page);
    await recordBeacons(page2);
    await page.goto('/');
    await page2.goto('/');
    const cartId = await cartIdOf(page);
    expect(await cartIdOf(page2), 'the tabs share the cart').toBe(cartId);
    // Events from both tabs, interleaved, across several flushes.
    let count = 0;
    for (const [tab, product] of [
      [page, 'Organic cotton tee'],
      [page2, 'Stoneware mug'],
      [page, 'Canvas tote'],
      [page2, 'Organic cotton tee'],
      [page, 'Stoneware mug'],
    ] as const) {
      count = await addProducts(tab, [product], count);
      await expect(cartButton(page, count)).toBeVisible();
      await expect(cartButton(page2, count)).toBeVisible();
      await tab.waitForTimeout(700);
    }
    await page2.evaluate(() => window.Kago!.open());
    await page.waitForTimeout(2_500);
    await page.evaluate(() => window.Kago!.open());
    // Bursts of 10 make a tab send at once (FLUSH_AT): first tab 2 alone, then both together.
    const burst = (tab: Page, from: number) =>
      tab.evaluate((first) => {
        for (let n = first; n < first + 10; n++) window.Kago!.addItem({ sku: `SKU-${n}`, name: `Thing ${n}`, price: '1.00' });
      }, from);
    await burst(page2, 0);
    await expectQueueEmpty(page, 30_000);
    for (let round = 0; round < 3; round++) {
      await Promise.all([burst(page, 100 + 20 * round), burst(page2, 110 + 20 * round)]);
      await page.waitForTimeout(300);
    }
    await expectQueueEmpty(page, 30_000);
    await expectQueueEmpty(page2, 30_000);
    const raised = [0, 100, 110, 120, 130, 140, 150].flatMap((first) => Array.from({ length: 10 }, (_, i) => `SKU-${first + i}`));
    const missing = (es: FunnelEvent[]) => raised.filter((sku) => !es.some((e) => e.type === 'item_added' && e.sku === sku));
    // Give late batches time (several flush ticks) before calling anything lost.
    let events: FunnelEvent[] = [];
    for (let waited = 0; waited < 12_000; waited += 1_000) {
      events = await storedEvents(request, { cart_id: cartId });
      if (missing(events).length === 0) break;
      await page.waitForTimeout(1_000);
    }
    // Where they went instead, if anywhere: every event each tab POSTed, with its cart.
    const posted = posts.flatMap((p) =>
      ((JSON.parse(p.body) as { events?: FunnelEvent[] }).events ?? []).map((e) => `${p.tab} ${e.type} ${e.sku ?? ''} ${e.cart_id}`),
    );
    expect.soft(missing(events), `events raised in the two tabs that never arrived; POSTed:\n${posted.join('\n')}`).toEqual([]);
    expect.soft(await queuedEvents(page2), 'nothing left in tab 2').toEqual([]);
    expect.soft(events.filter((e) => e.type === 'item_added' && !String(e.sku).startsWith('SKU-'))).toHaveLength(5);
    expect.soft(events.filter((e) => e.type === 'cart_viewed')).toHaveLength(2);
    expectValidStored(events);
    expectValidPosts(posts);

    // Each id in one request body only (the server answered every POST at once: no retries),
    // counting beacons too (a hidden tab beacons; neither tab was hidden or closed here).
    expect(await page.evaluate(() => document.visibilityState)).toBe('visible');
    expect(await page2.evaluate(() => document.visibilityState)).toBe('visible');
    const bodies = [
      ...posts.map((p) => ({ tab: `${p.tab} POST`, ids: p.ids })),
      ...(await beaconsOf(page)).map((b) => ({ tab: 'tab 1 beacon', ids: idsOf(b.body) })),
      ...(await beaconsOf(page2)).map((b) => ({ tab: 'tab 2 beacon', ids: idsOf(b.body) })),
    ];
    expectSentOnce(bodies);
    expect.soft(posts.some((p) => p.tab === 'tab 1') && posts.some((p) => p.tab === 'tab 2'), 'both tabs sent batches').toBe(true);
  });

  test('one tab: a burst of 14 events is POSTed once, not once per event past the 10th', async ({ page, request }) => {
    const posts = watchEventPosts(page);
    await page.goto('/');
    const cartId = await cartIdOf(page);
    await page.evaluate(() => {
      for (let n = 0; n < 14; n++) window.Kago!.addItem({ sku: `SKU-${n}`, name: `Thing ${n}`, price: '1.00' });
    });
    await expectQueueEmpty(page);
    await page.waitForTimeout(1_000);
    const events = await storedEvents(request, { cart_id: cartId });
    expect(events).toHaveLength(14);
    expectValidStored(events);
    expectSentOnce(posts);
  });

  test('a slow endpoint (answering after 9 s) gets each batch once, not again on every 4 s tick', async ({ page, request }) => {
    test.setTimeout(60_000);
    await page.route('**/api/events', async (route) => {
      if (route.request().method() === 'POST') await new Promise((resolve) => setTimeout(resolve, 9_000));
      await route.continue();
    });
    const posts = watchEventPosts(page);
    await page.goto('/');
    const cartId = await cartIdOf(page);
    await addProducts(page, ['Organic cotton tee', 'Stoneware mug']);
    await expectQueueEmpty(page, 40_000);
    const events = await storedEvents(request, { cart_id: cartId });
    expect(events.map(label)).toEqual(['item_added', 'item_added']);
    expectSentOnce(posts);
  });

  test('the receiver counts the events of a retried batch once', async ({ request }) => {
    const cartId = uniqueId('cart');
    const base = {
      schema: 1,
      session_id: uniqueId('session'),
      cart_id: cartId,
      device: 'mobile',
      locale: 'en',
      currency: 'USD',
      page: '/',
    };
    const at = new Date().toISOString();
    const batch = {
      schema: 1,
      sent_at: at,
      dropped: 2,
      events: [
        { ...base, id: uniqueId('e1'), type: 'cart_viewed', at, value: 2400 },
        { ...base, id: uniqueId('e2'), type: 'checkout_started', at },
        { ...base, id: uniqueId('e3'), type: 'step_viewed', at, step: 'contact' },
      ],
    };
    expectValidBatch(batch);
    const post = () => request.post('/api/events', { data: JSON.stringify(batch), headers: { 'Content-Type': 'text/plain;charset=UTF-8' } });
    const first = await post();
    expect(first.status()).toBe(200);
    expect(first.headers()['access-control-allow-origin']).toBe('*');
    expect(await first.json()).toEqual({ accepted: 3, duplicates: 0 });
    const second = await post();
    expect(second.status()).toBe(200);
    expect(await second.json()).toEqual({ accepted: 0, duplicates: 3 });
    const stored = await storedEvents(request, { cart_id: cartId });
    expect(stored.map((e) => e.id)).toEqual(batch.events.map((e) => e.id));
    expect(stored).toEqual(batch.events);

    // A cross-origin shop may post: the preflight answers, errors are JSON.
    const preflight = await request.fetch('/api/events', { method: 'OPTIONS', headers: { Origin: 'https://shop.example', 'Access-Control-Request-Method': 'POST' } });
    expect(preflight.status()).toBe(204);
    expect(preflight.headers()['access-control-allow-origin']).toBe('*');
    expect(preflight.headers()['access-control-allow-methods']).toContain('POST');
    expect(preflight.headers()['access-control-allow-headers'].toLowerCase()).toContain('content-type');
    const bad = await request.post('/api/events', { data: '{"events": [', headers: { 'Content-Type': 'text/plain' } });
    expect(bad.status()).toBe(400);
    expect((await bad.json()).error).toContain('not valid JSON');
    const huge = await request.post('/api/events', { data: JSON.stringify({ ...batch, pad: 'x'.repeat(130 * 1024) }), headers: { 'Content-Type': 'text/plain' } });
    expect(huge.status()).toBe(413);
  });
});

test.describe('contact opt-in', () => {
  async function checkoutWithContact(page: Page, testInfo: TestInfo, tick: boolean) {
    await page.goto('/events-contact.html');
    const cartId = await cartIdOf(page);
    const shopper = usShopper(testInfo);
    const dialog = await openCheckout(page, ['Organic cotton tee']);
    const box = dialog.getByRole('checkbox', { name: REMINDER, exact: true });
    await expect(box).toBeVisible();
    await expect(box).not.toBeChecked();
    if (tick) await box.check();
    await continueToDelivery(dialog, shopper);
    await dialog.getByRole('button', { name: 'Close', exact: true }).tap();
    await button(dialog, 'Skip').tap();
    await expect(checkoutDialog(page)).toHaveCount(0);
    return { cartId, shopper };
  }

  test('ticked: checkout events carry contact.email; cart events and DOM events never do', async ({ page, request }, testInfo) => {
    await recordDomEvents(page);
    const posts = watchEventPosts(page);
    const { cartId, shopper } = await checkoutWithContact(page, testInfo, true);
    const events = await waitForStored(
      request,
      { cart_id: cartId },
      (es) => es.some((e) => e.type === 'checkout_abandoned'),
      'checkout_abandoned arrives',
    );
    expectValidStored(events);
    expectValidPosts(posts);
    const withContact = events.filter((e) => e.contact).map(label);
    expect(withContact).toEqual(['step_completed:contact', 'step_viewed:delivery', 'checkout_abandoned']);
    for (const e of events.filter((e) => e.contact)) expect(e.contact).toEqual({ email: shopper.email });
    const abandoned = events.find((e) => e.type === 'checkout_abandoned')!;
    expect(abandoned).toMatchObject({ trigger: 'closed', last_step: 'delivery', contact: { email: shopper.email } });
    expect(abandoned.reason, 'skipped: no reason').toBeUndefined();
    // Only the e-mail: no name or address anywhere.
    expect(JSON.stringify(events)).not.toContain(shopper.name);
    expect(JSON.stringify(events)).not.toContain(shopper.line1);
    const dom = await domEvents(page);
    expect(dom.map((d) => d.type)).toContain('checkout_abandoned');
    expect(JSON.stringify(dom), 'kago:* DOM events carry no contact data').not.toContain(shopper.email);
  });

  test('not ticked: no event carries contact data', async ({ page, request }, testInfo) => {
    const { cartId, shopper } = await checkoutWithContact(page, testInfo, false);
    const events = await waitForStored(
      request,
      { cart_id: cartId },
      (es) => es.some((e) => e.type === 'checkout_abandoned'),
      'checkout_abandoned arrives',
    );
    expectValidStored(events);
    expect(events.filter((e) => e.contact).map(label)).toEqual([]);
    expect(JSON.stringify(events)).not.toContain(shopper.email);
  });

  test('with Global Privacy Control the box is not offered and no contact is sent', async ({ page, request }, testInfo) => {
    await page.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true, configurable: true });
    });
    await page.goto('/events-contact.html');
    expect(await page.evaluate(() => (navigator as Navigator & { globalPrivacyControl?: boolean }).globalPrivacyControl)).toBe(true);
    const cartId = await cartIdOf(page);
    const shopper = usShopper(testInfo);
    const dialog = await openCheckout(page, ['Stoneware mug']);
    await expect(field(dialog, 'Email')).toBeVisible();
    await expect(dialog.getByRole('checkbox')).toHaveCount(0);
    await expect(dialog.getByText(REMINDER)).toHaveCount(0);
    await continueToDelivery(dialog, shopper);
    const events = await waitForStored(
      request,
      { cart_id: cartId },
      (es) => es.some((e) => e.type === 'step_completed'),
      'step_completed arrives',
    );
    expect(events.filter((e) => e.contact).map(label)).toEqual([]);
    expect(JSON.stringify(events)).not.toContain(shopper.email);
  });

  test('without data-events-contact there is no reminder box', async ({ page }) => {
    await page.goto('/');
    const dialog = await openCheckout(page, ['Stoneware mug']);
    await expect(field(dialog, 'Email')).toBeVisible();
    await expect(dialog.getByRole('checkbox')).toHaveCount(0);
    await expect(dialog.getByText(REMINDER)).toHaveCount(0);
  });
});

test.describe('consent', () => {
  test('data-consent="required": nothing stored or sent before Kago.consent(true); only later events; consent(false) empties the queue', async ({ page, request }) => {
    test.setTimeout(60_000);
    const posts = watchEventPosts(page);
    await page.goto('/events-consent.html');
    const cartId = await cartIdOf(page);
    await addProducts(page, ['Organic cotton tee']);
    await cartButton(page, 1).tap();
    await expect(cartDialog(page)).toBeVisible();
    // Focus moves in a frame after the drawer opens; Escape before that reaches the cart button.
    await expect.poll(() => containsFocus(cartDialog(page)), { message: 'focus is inside the drawer' }).toBe(true);
    await page.keyboard.press('Escape');
    await expect(cartDialog(page)).toHaveCount(0);
    await page.waitForTimeout(5_000);
    expect(await storedQueues(page), 'no queue before consent').toBeNull();
    expect(posts, 'no POST before consent').toEqual([]);

    await page.evaluate(() => window.Kago!.consent(true));
    await addProducts(page, ['Stoneware mug'], 1);
    const events = await waitForStored(request, { cart_id: cartId }, (es) => es.length > 0, 'the event after consent arrives');
    await page.waitForTimeout(4_500);
    const after = await storedEvents(request, { cart_id: cartId });
    expect(after.map((e) => `${e.type}:${e.sku}`), 'only what happened after consent').toEqual(['item_added:MUG-002']);
    expectValidStored(events);
    expectValidPosts(posts);

    await page.evaluate(() => window.Kago!.addItem({ sku: 'TOTE-003', name: 'Canvas tote', variant: 'Natural', price: '32.00' }));
    await expect.poll(() => storedQueues(page), { message: 'the event is queued while consent holds' }).toContain('TOTE-003');
    await page.evaluate(() => {
      // This one is built but not stored yet (that happens after the next frame) when consent goes.
      window.Kago!.addItem({ sku: 'SOCK-004', name: 'Wool socks', variant: 'Size L', price: '12.00' });
      window.Kago!.consent(false);
    });
    expect(await storedQueues(page), 'consent(false) empties every queue').toBeNull();
    await page.waitForTimeout(300);
    expect(await storedQueues(page), 'and an event built just before is never stored').toBeNull();
    const sentBefore = posts.length;
    await addProducts(page, ['Organic cotton tee'], 4);
    await page.waitForTimeout(5_000);
    expect(posts.length, 'nothing is sent after consent(false)').toBe(sentBefore);
    expect(await storedQueues(page)).toBeNull();
    expect((await storedEvents(request, { cart_id: cartId })).map((e) => e.sku)).toEqual(['MUG-002']);
  });

  test('a kago:consent event with detail true grants consent too', async ({ page, request }) => {
    await page.goto('/events-consent.html');
    const cartId = await cartIdOf(page);
    await addProducts(page, ['Organic cotton tee']);
    expect(await storedQueues(page)).toBeNull();
    await page.evaluate(() => window.dispatchEvent(new CustomEvent('kago:consent', { detail: true })));
    await addProducts(page, ['Canvas tote'], 1);
    await waitForStored(request, { cart_id: cartId }, (es) => es.length > 0, 'the event after consent arrives');
    await page.waitForTimeout(4_500);
    expect((await storedEvents(request, { cart_id: cartId })).map((e) => `${e.type}:${e.sku}`)).toEqual(['item_added:TOTE-003']);
  });
});

test('data-events-format="segment" POSTs Segment track batches, which the server maps back', async ({ page, request }) => {
  const posts = watchEventPosts(page);
  await page.goto('/events-segment.html');
  const cartId = await cartIdOf(page);
  await openCheckout(page, ['Organic cotton tee']);
  await expect.poll(() => posts.flatMap((p) => (JSON.parse(p.body) as SegmentBatch).batch.map((c) => c.event)), { timeout: 15_000 })
    .toEqual(['Product Added', 'Cart Viewed', 'Checkout Started', 'Checkout Step Viewed']);
  for (const post of posts) {
    const body = JSON.parse(post.body) as SegmentBatch & { events?: unknown; schema?: unknown };
    expect(body.events).toBeUndefined();
    expect(body.schema).toBeUndefined();
    expect(typeof body.sentAt).toBe('string');
    for (const call of body.batch) {
      expect(call.type).toBe('track');
      expect(call.messageId.length).toBeGreaterThanOrEqual(8);
      expect(call.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(typeof call.anonymousId).toBe('string');
      expect(call.properties).toMatchObject({ cart_id: cartId, currency: 'USD' });
      expect(call.context).toMatchObject({ page: { path: '/events-segment.html' }, device: { type: 'mobile' }, locale: 'en' });
    }
  }
  const product = (JSON.parse(posts[0].body) as SegmentBatch).batch[0];
  expect(product.properties).toMatchObject({ sku: 'TEE-001', quantity: 1, kago_type: 'item_added' });
  expect(product.properties.products).toEqual([{ sku: 'TEE-001', product_id: 'TEE-001', variant: 'M / Indigo', quantity: 1, price: 2400 }]);

  const stored = await waitForStored(request, { cart_id: cartId }, (es) => es.length === 4, 'the server stored the four calls');
  expect(stored.map(label)).toEqual(['item_added', 'cart_viewed', 'checkout_started', 'step_viewed:contact']);
  expect(stored.map((e) => e.id)).toEqual(posts.flatMap((p) => p.ids));
  expectValidStored(stored);
});

test('data-datalayer="on" pushes GA4 e-commerce events with major-unit values', async ({ page, request }, testInfo) => {
  type Ga4 = { event: string; ecommerce: { currency: string; value: number; items: { item_id: string; price: number; quantity: number }[]; [k: string]: unknown } };
  const layer = () => page.evaluate(() => ((window as unknown as { dataLayer?: unknown[] }).dataLayer ?? []) as Ga4[]);
  const last = async (name: string) => (await layer()).filter((e) => e.event === name).at(-1);
  const total = async () => (await page.evaluate(() => window.Kago!.cart().totals.total)) / 100;
  await page.goto('/events-datalayer.html');
  const shopper = usShopper(testInfo);

  await addProducts(page, ['Organic cotton tee']);
  const added = await last('add_to_cart');
  expect(added?.ecommerce).toMatchObject({ currency: 'USD', value: 24 });
  expect(added?.ecommerce.items).toEqual([{ item_id: 'TEE-001', item_variant: 'M / Indigo', price: 24, quantity: 1 }]);
  // The second tap adds one more unit: add_to_cart says 1 unit worth 24, not the cart's 2.
  await addProducts(page, ['Organic cotton tee'], 1);
  await expect.poll(async () => (await layer()).filter((e) => e.event === 'add_to_cart').length).toBe(2);
  expect((await last('add_to_cart'))?.ecommerce).toMatchObject({
    value: 24,
    items: [{ item_id: 'TEE-001', item_variant: 'M / Indigo', price: 24, quantity: 1 }],
  });
  const dialog = await startCheckout(page, 2);
  expect((await last('view_cart'))?.ecommerce).toMatchObject({ currency: 'USD', value: await total() });
  expect((await last('begin_checkout'))?.ecommerce).toMatchObject({ currency: 'USD', value: await total() });
  await continueToDelivery(dialog, shopper);
  await option(dialog, 'Express').check();
  await expect.poll(async () => (await last('add_shipping_info'))?.ecommerce.shipping_tier).toBe('express');
  expect((await last('add_shipping_info'))?.ecommerce.value, 'value includes Express shipping').toBe(await total());
  await option(dialog, 'Cash on delivery').check();
  await expect.poll(async () => (await last('add_payment_info'))?.ecommerce.payment_type).toBe('cod');
  const value = await total();
  await button(dialog, 'Review order').tap();
  await button(dialog, 'Place order').tap();
  const orderId = await expectConfirmation(dialog, shopper.email);
  const purchase = await last('purchase');
  expect(purchase?.ecommerce).toMatchObject({ currency: 'USD', value, transaction_id: orderId });
  const [order] = await ordersOf(request, shopper.email);
  expect(purchase?.ecommerce.value).toBe(order.total / 100);
  expect((await layer()).map((e) => e.event)).toEqual([
    'add_to_cart',
    'add_to_cart',
    'view_cart',
    'begin_checkout',
    'add_shipping_info',
    'add_payment_info',
    'purchase',
  ]);
  expect(JSON.stringify(await layer())).not.toContain(shopper.email);
});

test('remove_from_cart carries only the removed line; the stored item_removed has its units and price', async ({ page, request }) => {
  type Ga4 = { event: string; ecommerce: Record<string, unknown> };
  const layer = () => page.evaluate(() => ((window as unknown as { dataLayer?: unknown[] }).dataLayer ?? []) as Ga4[]);
  await page.goto('/events-datalayer.html');
  await addProducts(page, ['Stoneware mug', 'Canvas tote']);
  await cartButton(page, 2).tap();
  await cartDialog(page).getByRole('button', { name: 'Remove Stoneware mug', exact: true }).tap();
  await expect
    .poll(async () => (await layer()).filter((e) => e.event === 'remove_from_cart').at(-1)?.ecommerce)
    .toEqual({
      currency: 'USD',
      value: 18.5,
      items: [{ item_id: 'MUG-002', item_variant: null, price: 18.5, quantity: 1 }],
    });

  // The same removal on a page that sends events: the stored event is valid against the schema.
  await page.goto('/');
  const cartId = await cartIdOf(page);
  await addProducts(page, ['Stoneware mug'], 1);
  await cartButton(page, 2).tap();
  await cartDialog(page).getByRole('button', { name: 'Remove Stoneware mug', exact: true }).tap();
  const events = await waitForStored(request, { cart_id: cartId }, (es) => es.some((e) => e.type === 'item_removed'), 'item_removed arrives');
  expect(events.find((e) => e.type === 'item_removed')).toMatchObject({ sku: 'MUG-002', quantity: 1, unit_price: 1850 });
  expectValidStored(events);
});

test('a shopper who keeps the pre-selected delivery and payment still sends add_shipping_info and add_payment_info', async ({ page }, testInfo) => {
  type Ga4 = { event: string; ecommerce: { shipping_tier?: string; payment_type?: string } };
  const layer = () => page.evaluate(() => ((window as unknown as { dataLayer?: unknown[] }).dataLayer ?? []) as Ga4[]);
  await page.goto('/events-datalayer.html');
  await addProducts(page, ['Organic cotton tee']);
  const dialog = await startCheckout(page, 1);
  await fillUsContact(dialog, usShopper(testInfo));
  await button(dialog, 'Continue to delivery').tap();
  await expectStep(dialog, 2);
  expect((await layer()).map((e) => e.event), 'nothing chosen yet').not.toContain('add_shipping_info');
  await button(dialog, 'Review order').tap();
  await expectStep(dialog, 3);
  const pushed = await layer();
  expect(pushed.find((e) => e.event === 'add_shipping_info')?.ecommerce.shipping_tier).toBe('standard');
  expect(pushed.find((e) => e.event === 'add_payment_info')?.ecommerce.payment_type).toBe('card');
  expect(pushed.filter((e) => e.event === 'add_shipping_info'), 'once').toHaveLength(1);
});

test.describe('funnel page', () => {
  test.beforeEach(async ({ page }) => signInAsAdmin(page));

  /** A random past day no other test uses, so the counts are only this test's. */
  function uniqueDay(): string {
    const day = new Date(Date.UTC(1990, 0, 1) + Math.floor(Math.random() * 20 * 365) * 86_400_000);
    return day.toISOString().slice(0, 10);
  }

  async function seed(request: APIRequestContext, day: string, hostile = '') {
    const session = uniqueId('s');
    let n = 0;
    const event = (cart: string, device: string, type: string, extra: Record<string, unknown> = {}) => ({
      schema: 1,
      id: uniqueId(`f${n++}`),
      type,
      at: `${day}T10:00:${String(n % 60).padStart(2, '0')}.000Z`,
      session_id: session,
      cart_id: cart,
      device,
      locale: 'en',
      currency: 'USD',
      page: '/',
      ...extra,
    });
    const journey = (device: string, steps: number) => {
      const cart = uniqueId('cart');
      return [
        event(cart, device, 'cart_viewed'),
        event(cart, device, 'checkout_started'),
        event(cart, device, 'step_completed', { step: 'contact' }),
        event(cart, device, 'step_completed', { step: 'delivery' }),
        event(cart, device, 'order_completed', { order_id: 'K-1' }),
      ].slice(0, steps);
    };
    const abandoned = (device: string, last_step: string, trigger: string, reason?: string, page = '/') =>
      event(uniqueId('cart'), device, 'checkout_abandoned', { last_step, trigger, duration_ms: 1000, page, ...(reason ? { reason } : {}) });
    const events = [
      ...journey('mobile', 5),
      ...journey('mobile', 3),
      ...journey('mobile', 2),
      ...journey('mobile', 1),
      ...journey('desktop', 5),
      ...journey('tablet', 2),
      abandoned('mobile', 'delivery', 'closed', 'shipping_cost'),
      abandoned('mobile', 'contact', 'hidden'),
      abandoned('tablet', 'delivery', 'closed', 'shipping_cost', hostile ? `/p${hostile}` : '/'),
      abandoned('desktop', 'review', 'closed', 'payment_missing'),
      event(uniqueId('cart'), 'mobile', 'checkout_feedback', { rating: 5 }),
      event(uniqueId('cart'), 'mobile', 'checkout_feedback', { rating: 4 }),
      event(uniqueId('cart'), 'desktop', 'checkout_feedback', { rating: 2 }),
    ];
    const batch = { schema: 1, sent_at: `${day}T11:00:00.000Z`, dropped: 0, events };
    if (!hostile) expectValidBatch(batch);
    const response = await request.post('/api/events', { data: JSON.stringify(batch), headers: { 'Content-Type': 'text/plain' } });
    expect(response.status()).toBe(200);
    expect(await response.json()).toEqual({ accepted: events.length, duplicates: 0 });
  }

  function cell(page: Page, row: string, column: number) {
    return page.getByRole('table', { name: /^Carts per step and device/ }).getByRole('row', { name: new RegExp(`^${row}`) }).getByRole('cell').nth(column);
  }

  test('shows carts per step and device, abandonment, reasons and ratings; axe finds nothing; no CSP violation', async ({ page, request }) => {
    const day = uniqueDay();
    await seed(request, day);
    const response = await page.goto(`/funnel?from=${day}&to=${day}`);
    expect(response?.status()).toBe(200);
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    await expect(page.getByRole('heading', { name: 'Checkout funnel', level: 1 })).toBeVisible();
    await expect(page.getByLabel('From', { exact: true })).toHaveValue(day);
    await expect(page.getByLabel('To', { exact: true })).toHaveValue(day);
    // Columns: All devices, Mobile, Tablet, Desktop.
    await expect(cell(page, 'Cart viewed', 0)).toHaveText('6 (100%)');
    await expect(cell(page, 'Cart viewed', 1)).toHaveText('4 (100%)');
    await expect(cell(page, 'Cart viewed', 2)).toHaveText('1 (100%)');
    await expect(cell(page, 'Checkout started', 1)).toHaveText('3 (75%)');
    await expect(cell(page, 'Contact details completed', 0)).toHaveText('3 (50%)');
    await expect(cell(page, 'Order completed', 0)).toHaveText('2 (33%)');
    await expect(cell(page, 'Order completed', 3)).toHaveText('1 (100%)');
    const mobile = page.getByRole('region', { name: 'Mobile' });
    await expect(mobile.getByRole('listitem').filter({ hasText: 'Checkout started' })).toContainText('3 carts · 75%');
    const reasons = page.getByRole('table', { name: 'Answers to “What stopped you?”' });
    await expect(reasons.getByRole('row', { name: /^Shipping cost/ })).toContainText('2');
    await expect(reasons.getByRole('row', { name: /^Payment option missing/ })).toContainText('1');
    const abandoned = page.getByRole('table', { name: /^Abandoned checkouts by the last step/ });
    await expect(abandoned.getByRole('row', { name: /^Delivery & payment/ }).getByRole('cell').first()).toHaveText('2');
    const ratings = page.getByRole('table', { name: 'Average rating by device' });
    await expect(ratings.getByRole('row', { name: /^Mobile/ })).toContainText('4.5 out of 5');
    await expect(ratings.getByRole('row', { name: /^Tablet/ })).toContainText('no answers yet');

    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);

    // The form is a plain GET: choosing Mobile shows only the mobile column.
    await page.getByLabel('Device', { exact: true }).selectOption('mobile');
    await page.getByRole('button', { name: 'Show' }).click();
    await expect(page).toHaveURL(new RegExp(`device=mobile`));
    await expect(page.getByRole('table', { name: /^Carts per step and device/ }).getByRole('columnheader')).toHaveText(['Step', 'Mobile']);
    await expect(cell(page, 'Order completed', 0)).toHaveText('1 (25%)');
  });

  test('event values are shown as text, never as markup; a bad date is explained', async ({ page, request }) => {
    const day = uniqueDay();
    const hostile = '<img src=x onerror="window.kagoPwned=1">';
    await seed(request, day, hostile);
    await page.goto(`/funnel?from=${day}&to=${day}`);
    await expect(page.getByRole('rowheader', { name: `/p${hostile}` })).toBeVisible();
    await expect(page.locator('img')).toHaveCount(0);
    expect(await page.evaluate(() => window.kagoPwned)).toBeUndefined();
    const response = await page.goto('/funnel?from=2026-02-30');
    expect(response?.status()).toBe(400);
    await expect(page.getByRole('alert')).toContainText('“from” must be a date like 2026-11-23');
    expect((await page.goto('/funnel'))?.status(), 'the default period').toBe(200);
  });
});
