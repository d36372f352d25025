import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { test, expect, cartButton, expectTotals, summaryValue } from './fixtures';
import { ADMIN_TOKEN } from './admin';
import {
  addProducts,
  applyCode,
  button,
  continueToReview,
  expectConfirmation,
  expectStep,
  kagoEvents,
  ordersOf,
  postedBody,
  recordKagoEvents,
  startCheckout,
  usShopper,
  watchOrderPosts,
  type KagoCart,
  type StoredOrder,
} from './checkout-helpers';

// The order endpoint is the authority on prices (README, "Trusting the order"): what the page
// says is the shopper's to edit, the endpoint prices the order from its catalog and answers a
// correction, which the widget applies and shows before one more tap places the order.

const CORRECTED = 'The shop updated your order. Check it and place the order again.';

/** The corrections box on the review step. */
function corrections(dialog: Locator): Locator {
  return dialog.locator('.kago-corrected');
}

async function savedCart(page: Page): Promise<KagoCart> {
  return page.evaluate(() => window.Kago!.cart());
}

test.describe('the shop corrects the order', () => {
  test.beforeEach(async ({ page }) => {
    await recordKagoEvents(page);
  });

  test('a price edited in the page is corrected before the order is stored; the second tap stores the catalog price', async ({
    page,
    request,
  }, testInfo) => {
    const shopper = usShopper(testInfo);
    const posts = watchOrderPosts(page);
    await page.goto('/');
    await expect(cartButton(page, 0)).toBeVisible();
    // The shopper's developer tools: the tee's price in the page becomes $1.00.
    await page.locator('[data-kago-add][data-sku="TEE-001"]').evaluate((b) => b.setAttribute('data-price', '1'));
    await addProducts(page, ['Organic cotton tee', 'Stoneware mug']);
    // A second tab of the same shop, to see the correction reach it through storage.
    const other = await page.context().newPage();
    await other.goto('/');
    await expect(cartButton(other, 2)).toBeVisible();

    const dialog = await startCheckout(page, 2);
    await continueToReview(dialog, shopper);
    await expectTotals(dialog, { Subtotal: '$19.50', Shipping: '$5.00', Tax: '$1.96', Total: '$26.46' });
    await button(dialog, 'Place order').tap();

    const box = corrections(dialog);
    await expect(box).toContainText(CORRECTED);
    await expect(box.getByRole('listitem')).toHaveText(['Organic cotton tee (M / Indigo) is now $24.00 (was $1.00).']);
    await expectStep(dialog, 3);
    await expectTotals(dialog, { Subtotal: '$42.50', Shipping: '$5.00', Tax: '$3.80', Total: '$51.30' });
    await expect(
      page.getByRole('status').filter({ hasText: CORRECTED }),
      'read out with the new total',
    ).toContainText('$51.30');
    expect(await ordersOf(request, shopper.email), 'nothing stored from the tampered body').toHaveLength(0);
    // The corrected price is the cart's, saved and seen by the other tab.
    const tee = (c: KagoCart) => c.items.find((i) => i.sku === 'TEE-001')?.unit_price;
    expect(tee(await savedCart(page))).toBe(2400);
    await expect.poll(async () => tee(await savedCart(other))).toBe(2400);
    const corrected = (await kagoEvents(page)).filter((e) => e.type === 'kago:order_corrected');
    expect(corrected.map((e) => e.detail)).toEqual([expect.objectContaining({ correction: 'prices_changed', count: 1 })]);

    await button(dialog, 'Place order').tap();
    await expectConfirmation(dialog, shopper.email);
    await expect(dialog.getByText('Total: $51.30', { exact: true })).toBeVisible();
    const orders = await ordersOf(request, shopper.email);
    expect(orders).toHaveLength(1);
    const stored = orders[0].body.items.find((i) => i.sku === 'TEE-001');
    expect(stored?.unit_price, 'the stored order has the catalog price').toBe(2400);
    expect(orders[0].total).toBe(5130);
    expect(posts).toHaveLength(2);
    const [first, second] = posts.map(postedBody);
    expect(second.idempotency_key, 'the corrected order is a new order: a new key').not.toBe(first.idempotency_key);
  });

  test('short stock caps a line and a sold-out line goes, with a notice; a refused code comes off with a wrong code’s message', async ({
    page,
    request,
  }, testInfo) => {
    const shopper = usShopper(testInfo);
    await page.goto('/');
    await expect(cartButton(page, 0)).toBeVisible();
    await addProducts(page, ['Organic cotton tee', 'Organic cotton tee', 'Organic cotton tee', 'Stoneware mug']);
    const dialog = await startCheckout(page, 4);
    await continueToReview(dialog, shopper);

    // The shop has one tee left and no mugs; then, the next time, it refuses the code.
    const answers = [
      {
        status: 409,
        body: {
          error: 'unavailable',
          items: [
            { sku: 'TEE-001', variant: 'M / Indigo', available: 1 },
            { sku: 'MUG-002', variant: null, available: 0 },
          ],
        },
      },
      { status: 422, body: { error: 'code_invalid' } },
    ];
    await page.route('**/api/orders', async (route) => {
      const answer = answers.shift();
      if (!answer) return route.fallback();
      await route.fulfill({ status: answer.status, contentType: 'application/json', body: JSON.stringify(answer.body) });
    });
    await button(dialog, 'Place order').tap();
    await expect(corrections(dialog).getByRole('listitem')).toHaveText([
      'Only 1 of Organic cotton tee (M / Indigo) left: your cart now has 1.',
      'Stoneware mug is sold out and was removed from your cart.',
    ]);
    await expectStep(dialog, 3);
    await expectTotals(dialog, { Subtotal: '$24.00', Shipping: '$5.00', Tax: '$2.32', Total: '$31.32' });
    await expect(cartButton(page, 1)).toBeAttached();

    // Back to delivery for a code, then the shop refuses it.
    await button(dialog, 'Edit delivery & payment').tap();
    await expectStep(dialog, 2);
    await applyCode(dialog, 'FIVEOFF');
    await expect(summaryValue(dialog, 'Discount')).toHaveText('−$5.00');
    await button(dialog, 'Review order').tap();
    await expectStep(dialog, 3);
    await button(dialog, 'Place order').tap();
    await expect(corrections(dialog).getByRole('listitem')).toHaveText(['This code is not valid.']);
    await expectTotals(dialog, { Subtotal: '$24.00', Shipping: '$5.00', Tax: '$2.32', Total: '$31.32' });
    await expect(summaryValue(dialog, 'Discount')).toHaveCount(0);

    const kinds = (await kagoEvents(page))
      .filter((e) => e.type === 'kago:order_corrected')
      .map((e) => e.detail as { correction: string; count: number });
    expect(kinds).toEqual([
      expect.objectContaining({ correction: 'unavailable', count: 2 }),
      expect.objectContaining({ correction: 'code_invalid', count: 1 }),
    ]);

    await button(dialog, 'Place order').tap();
    await expectConfirmation(dialog, shopper.email);
    const orders = await ordersOf(request, shopper.email);
    expect(orders).toHaveLength(1);
    expect(orders[0].body.items).toEqual([expect.objectContaining({ sku: 'TEE-001', quantity: 1, unit_price: 2400 })]);
    expect(orders[0].body.discount_code).toBeNull();
  });
});

// A server of this test's own, so the catalog can change under it without touching the other
// tests' shop.
test.describe('the catalog changes while the shopper is on the review step', () => {
  let server: ChildProcess | undefined;
  let dir = '';
  let base = '';
  let catalogFile = '';
  let log = '';

  test.beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'kago-catalog-'));
    const catalog = JSON.parse(readFileSync('www/catalog.json', 'utf8')) as { settings: string[] };
    catalog.settings = catalog.settings.map((page) => path.resolve('www', page));
    catalogFile = path.join(dir, 'catalog.json');
    writeFileSync(catalogFile, JSON.stringify(catalog, null, 1));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = spawn(
      'target/debug/kago-server',
      ['--root', 'dist', '--port', String(port), '--db', path.join(dir, 'orders.sqlite'), '--catalog', catalogFile],
      { env: { ...process.env, KAGO_ADMIN_TOKEN: ADMIN_TOKEN }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    server.stdout!.on('data', (d) => (log += d));
    server.stderr!.on('data', (d) => (log += d));
    await expect
      .poll(async () => (await fetch(`${base}/healthz`).catch(() => null))?.status, { timeout: 30_000 })
      .toBe(200);
  });

  test.afterAll(() => {
    server?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  test('"Place order" shows the new price and total; the second tap stores exactly one order at the new price', async ({
    page,
  }, testInfo) => {
    const shopper = usShopper(testInfo);
    await page.goto(`${base}/`);
    await expect(cartButton(page, 0)).toBeVisible();
    await addProducts(page, ['Stoneware mug']);
    const dialog = await startCheckout(page, 1);
    await continueToReview(dialog, shopper);
    await expectTotals(dialog, { Subtotal: '$18.50', Shipping: '$5.00', Tax: '$1.88', Total: '$25.38' });

    // The merchant raises the mug's price while the shopper reads the review.
    writeFileSync(catalogFile, readFileSync(catalogFile, 'utf8').replace('"18.50"', '"21.00"'));
    await expect.poll(() => log, { timeout: 15_000 }).toContain('catalog reloaded');

    await button(dialog, 'Place order').tap();
    await expect(corrections(dialog).getByRole('listitem')).toHaveText(['Stoneware mug is now $21.00 (was $18.50).']);
    await expectTotals(dialog, { Subtotal: '$21.00', Shipping: '$5.00', Tax: '$2.08', Total: '$28.08' });
    expect(await storedOf(base, shopper.email)).toHaveLength(0);

    await button(dialog, 'Place order').tap();
    await expectConfirmation(dialog, shopper.email);
    const orders = await storedOf(base, shopper.email);
    expect(orders).toHaveLength(1);
    expect(orders[0].body.items).toEqual([expect.objectContaining({ sku: 'MUG-002', unit_price: 2100 })]);
    expect(orders[0].total).toBe(2808);
  });
});

async function storedOf(base: string, email: string): Promise<StoredOrder[]> {
  const response = await fetch(`${base}/api/orders`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  expect(response.status).toBe(200);
  const { orders } = (await response.json()) as { orders: StoredOrder[] };
  return orders.filter((o) => o.body?.contact?.email === email);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
