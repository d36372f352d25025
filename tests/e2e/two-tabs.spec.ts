import type { BrowserContext, Page, Request } from '@playwright/test';
import { addToCart, cartButton, expect, savedLines, test } from './fixtures';
import {
  button,
  continueToReview,
  expectConfirmation,
  ordersOf,
  postedBody,
  startCheckout,
  usShopper,
} from './checkout-helpers';

// One cart in two tabs of the same shop (issue 18, points 1, 3 and 10): the tabs share the saved
// cart, so an order placed in one and an add made in the other must both come out right. Each
// test failed on the build before its fix, for the reason its title gives.

/** A second tab of the same browser, on the demo shop, with the widget ready. */
async function secondTab(context: BrowserContext, count: number): Promise<Page> {
  const tab = await context.newPage();
  await tab.goto('/');
  await expect(cartButton(tab, count)).toBeVisible();
  return tab;
}

/** Every POST to the order endpoint from any tab of the context. */
function orderPosts(context: BrowserContext): Request[] {
  const posts: Request[] = [];
  context.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/orders') posts.push(r);
  });
  return posts;
}

/** Keeps every order request of the context on its way for `ms` before the shop gets it. */
async function slowOrders(context: BrowserContext, ms: number): Promise<void> {
  await context.route('**/api/orders', async (route) => {
    if (route.request().method() === 'POST') await new Promise((r) => setTimeout(r, ms));
    return route.fallback();
  });
}

test('the confirmation shows the order sent, and a line added in another tab meanwhile stays in the cart', async ({
  page,
  context,
  request,
}, testInfo) => {
  test.setTimeout(90_000);
  const shopper = usShopper(testInfo);
  await slowOrders(context, 4000);
  const posts = orderPosts(context);
  await page.goto('/');
  await addToCart(page, 'Stoneware mug').tap();
  await expect(cartButton(page, 1)).toBeVisible();
  const other = await secondTab(context, 1);

  const dialog = await startCheckout(page, 1);
  await continueToReview(dialog, shopper);
  await button(dialog, 'Place order').tap();
  await expect(dialog.getByText('Placing your order…')).toBeVisible();
  // While the order is on its way, the shopper adds a tote in the other tab.
  await addToCart(other, 'Canvas tote').tap();
  await expect(cartButton(other, 2)).toBeVisible();

  await expectConfirmation(dialog, shopper.email);
  // Mug $18.50 + shipping $5.00 + 8% tax $1.88: the order that was sent, not the cart now.
  await expect(dialog.getByText('Total: $25.38', { exact: true })).toBeVisible();
  expect(posts).toHaveLength(1);
  expect(postedBody(posts[0]).items.map((i) => i.sku)).toEqual(['MUG-002']);
  const [order] = await ordersOf(request, shopper.email);
  expect(order.total).toBe(2538);

  // Only the ordered mug left the cart: the tote stays, in both tabs and in storage.
  await expect.poll(() => savedLines(page), { message: 'the saved cart after the order' }).toEqual(['TOTE-003×1']);
  await expect(cartButton(other, 1), 'the other tab keeps the tote').toBeVisible();
  await expect(cartButton(page, 1), 'this tab too').toBeVisible();
});

test('two tabs tapping "Place order" for one cart send one order; the second says so, then shows its result', async ({
  page,
  context,
  request,
}, testInfo) => {
  test.setTimeout(90_000);
  const shopper = usShopper(testInfo);
  const otherShopper = { ...usShopper(testInfo), email: `b.${shopper.email}` };
  await slowOrders(context, 3000);
  const posts = orderPosts(context);
  await page.goto('/');
  await addToCart(page, 'Stoneware mug').tap();
  await expect(cartButton(page, 1)).toBeVisible();
  const other = await secondTab(context, 1);

  const here = await startCheckout(page, 1);
  await continueToReview(here, shopper);
  const there = await startCheckout(other, 1);
  await continueToReview(there, otherShopper);

  await Promise.all([button(here, 'Place order').tap(), button(there, 'Place order').tap()]);
  const elsewhere = 'This order is being placed in another tab…';
  await expect
    .poll(
      async () => (await here.getByText(elsewhere).isVisible()) || (await there.getByText(elsewhere).isVisible()),
      { message: 'the tab that did not send says the order is on its way from the other one' },
    )
    .toBe(true);

  for (const dialog of [here, there]) {
    await expect(dialog.getByRole('heading', { name: 'Thank you for your order' })).toBeVisible({ timeout: 20_000 });
    await expect(dialog.getByText('Total: $25.38', { exact: true })).toBeVisible();
    await expect(dialog.getByText('Total: $0.00')).toHaveCount(0);
  }
  const numbers = await Promise.all(
    [here, there].map(async (d) => (await d.getByText(/^\s*Order number: \S+\s*$/).textContent())?.trim()),
  );
  expect(numbers[0], 'both tabs show the one order').toBe(numbers[1]);
  expect(posts, 'one POST to the order endpoint from the two tabs').toHaveLength(1);
  const stored = [...(await ordersOf(request, shopper.email)), ...(await ordersOf(request, otherShopper.email))];
  expect(stored, 'one order stored').toHaveLength(1);
  await expect.poll(() => savedLines(page)).toEqual([]);
});

test('two tabs adding at the same moment keep every add: 20 of 20 lines over ten rounds', async ({ page, context }) => {
  test.setTimeout(60_000);
  await page.goto('/');
  await expect(cartButton(page, 0)).toBeVisible();
  const other = await secondTab(context, 0);
  const add = (tab: Page, sku: string) =>
    tab.evaluate((s) => window.Kago!.addItem({ sku: s, name: `Item ${s}`, price: '1.00' }), sku);
  for (let round = 0; round < 10; round++) {
    const added = await Promise.all([add(page, `A${round}`), add(other, `B${round}`)]);
    expect(added).toEqual([true, true]);
  }
  await expect
    .poll(async () => (await savedLines(page)).length, { message: 'lines in the saved cart' })
    .toBe(20);
  await expect(cartButton(page, 20)).toBeVisible();
  await expect(cartButton(other, 20)).toBeVisible();
  const lines = await savedLines(page);
  for (let round = 0; round < 10; round++) {
    expect(lines).toContain(`A${round}×1`);
    expect(lines).toContain(`B${round}×1`);
  }
});

// A change is saved under the cart's Web Lock, after every tab that asked before. A page left
// before its turn came (a tap on "Add to cart" and then at once a link, or a reload) lost the
// change: the lock's callback never ran in a page that was gone. Here another tab holds the lock
// (as it does while saving its own change) so the turn cannot come before the reload.
test('an item added just before the page is left is saved, even while another tab holds the cart', async ({
  page,
  context,
}) => {
  await page.goto('/');
  await addToCart(page, 'Stoneware mug').tap();
  await expect(cartButton(page, 1)).toBeVisible();
  await expect.poll(() => savedLines(page)).toEqual(['MUG-002×1']);
  const other = await secondTab(context, 1);
  await other.evaluate(() => {
    // Held until the page goes away.
    void navigator.locks.request('kago.cart', () => new Promise<void>(() => {}));
  });
  await addToCart(page, 'Canvas tote').tap();
  await expect(cartButton(page, 2)).toBeVisible();
  await page.reload();
  await expect(cartButton(page, 2), 'both lines after the reload').toBeVisible();
  expect(await savedLines(page)).toEqual(['MUG-002×1', 'TOTE-003×1']);
  // The other tab, when it lets go, keeps the cart as it is (the change is saved once).
  await other.close();
  await expect(cartButton(page, 2)).toBeVisible();
  expect(await savedLines(page)).toEqual(['MUG-002×1', 'TOTE-003×1']);
});
