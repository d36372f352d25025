import type { Page } from '@playwright/test';
import { addToCart, anyCartButton, cartDialog, containsFocus, expect, hasFocus, kagoWarnings, test } from './fixtures';

// The Leptos example app (examples/leptos_app) as a developer builds it: Trunk, the dev profile
// (scripts/test: `trunk build --config examples/leptos_app/Trunk.toml --offline`), served by
// kago-server from target/apps/ under its strict CSP. The app starts Kago with `<Kago settings/>`
// and `CartButton::None`, and its header's own button shows `use_kago()`'s count and total.

const APP = '/leptos-app/';

/** The app's header and its own cart button ("Cart 1 €22.50"). */
function header(page: Page) {
  const banner = page.getByRole('banner');
  return { banner, cart: banner.getByRole('button', { name: /^Cart \d+/ }) };
}

/** Loads the app and waits for Kago to run (`window.Kago` is there once the widget's state is). */
async function openApp(page: Page): Promise<void> {
  const response = await page.goto(APP);
  expect(
    response?.status(),
    'the example app is built (trunk build --config examples/leptos_app/Trunk.toml --offline)',
  ).toBe(200);
  await page.waitForFunction(() => window.Kago !== undefined);
}

test('the app opens Kago from its own header, with no floating button, and its count follows the cart', async ({
  page,
  watch,
}) => {
  await openApp(page);
  const { banner, cart } = header(page);
  await expect(banner.getByRole('heading', { name: 'Stoneware & Linen' })).toBeVisible();
  await expect(cart).toHaveAccessibleName('Cart 0 €0.00');
  // CartButton::None: Kago draws no button of its own, early or running.
  await expect(page.locator('kago-widget')).toHaveCount(1);
  await expect(anyCartButton(page)).toHaveCount(0);

  // Added through the handle: use_kago()'s count and formatted total reach the header.
  await addToCart(page, 'Stoneware mug').tap();
  await expect(cart).toHaveAccessibleName('Cart 1 €22.50');
  await addToCart(page, 'Linen tee').tap();
  await expect(cart).toHaveAccessibleName('Cart 2 €54.50');
  await expect(anyCartButton(page)).toHaveCount(0);

  // The header's button opens Kago's drawer; focus moves into it; Escape closes it and gives
  // focus back to the app's button.
  const dialog = cartDialog(page);
  await expect(dialog).toBeHidden();
  await cart.focus();
  await page.keyboard.press('Enter');
  await expect(dialog).toBeVisible();
  await expect(banner.getByText('Cart open')).toBeVisible();
  expect(
    await dialog.evaluate((el) => el.getRootNode() instanceof ShadowRoot),
    "the drawer is in Kago's shadow root",
  ).toBe(true);
  await expect.poll(() => containsFocus(dialog), { message: 'focus is inside the drawer' }).toBe(true);
  await expect(dialog.getByRole('button', { name: 'Remove Linen tee', exact: true })).toBeVisible();

  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(banner.getByText('Cart closed')).toBeVisible();
  await expect(cart).toBeFocused();
  expect(await hasFocus(cart)).toBe(true);

  // A tap opens it too; the shopper's change in the drawer reaches the header.
  await cart.tap();
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Remove Linen tee', exact: true }).tap();
  await expect(cart).toHaveAccessibleName('Cart 1 €22.50');
  await dialog.getByRole('button', { name: 'Close', exact: true }).tap();
  await expect(dialog).toBeHidden();

  // The typed settings were taken as they are (a bad or ignored setting, or a handle call before
  // the widget ran, is a Kago: warning). The one warning: the example sets no order endpoint.
  expect(kagoWarnings(watch.consoleMessages).map((m) => m.text)).toEqual([
    'Kago: no data-order-endpoint is set, so checkout is off; the Checkout button says so to shoppers.',
  ]);
});

test("a change made with window.Kago reaches the app's count, and the count survives a reload", async ({ page }) => {
  await openApp(page);
  const { cart } = header(page);
  await expect(cart).toHaveAccessibleName('Cart 0 €0.00');

  const added = await page.evaluate(() => window.Kago!.addItem({ sku: 'TEE-1', name: 'Linen tee', price: '32.00', quantity: 2 }));
  expect(added).toBe(true);
  await expect(cart).toHaveAccessibleName('Cart 2 €68.50');
  expect(await page.evaluate(() => window.Kago!.setQuantity('TEE-1', 3))).toBe(true);
  await expect(cart).toHaveAccessibleName('Cart 3 €100.50');

  // The saved cart: the app starts with it.
  await page.reload();
  await page.waitForFunction(() => window.Kago !== undefined);
  await expect(cart).toHaveAccessibleName('Cart 3 €100.50');
  await expect(anyCartButton(page)).toHaveCount(0);

  await page.evaluate(() => window.Kago!.clear());
  await expect(cart).toHaveAccessibleName('Cart 0 €0.00');
});
