import { test as plain } from '@playwright/test';
import type { Page } from '@playwright/test';
import { addToCart, cartButton, expect, test } from './fixtures';
import { button, continueToReview, expectConfirmation, startCheckout, usShopper } from './checkout-helpers';

// Pages with a stricter Content-Security-Policy than the demo server's (issue 18, point 7). Each
// test failed on the build before its fix, for the reason its title gives.

/** Serves `path` with the server's CSP changed by `change`. */
async function withCsp(page: Page, path: string, change: (csp: string) => string): Promise<void> {
  await page.route(`**${path}`, async (route) => {
    const response = await route.fetch();
    const csp = change(response.headers()['content-security-policy'] ?? '');
    await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': csp } });
  });
}

test('under require-trusted-types-for \'script\' (and no policy allowed at all) a shopper buys as anywhere else', async ({
  page,
}, testInfo) => {
  // `trusted-types 'none'`: Kago may not even create a policy; it must need none.
  await withCsp(page, '/', (csp) => `${csp}; require-trusted-types-for 'script'; trusted-types 'none'`);
  const shopper = usShopper(testInfo);
  await page.goto('/');
  await expect(cartButton(page, 0)).toBeVisible();
  await addToCart(page, 'Stoneware mug').tap();
  await expect(cartButton(page, 1)).toBeVisible();
  const dialog = await startCheckout(page, 1);
  await continueToReview(dialog, shopper);
  await button(dialog, 'Place order').tap();
  await expectConfirmation(dialog, shopper.email);
  // The fixture fails the test on any Trusted Types violation or uncaught error.
});

plain('a page whose CSP forbids WebAssembly is told exactly that, not to check its files', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await withCsp(page, '/', (csp) => csp.replace(" 'wasm-unsafe-eval'", ''));
  await page.goto('/');
  await expect.poll(() => errors.filter((e) => e.startsWith('Kago:'))).toHaveLength(1);
  const [message] = errors.filter((e) => e.startsWith('Kago:'));
  expect(message).toContain("add 'wasm-unsafe-eval' to script-src");
  expect(message, 'the files are there: the message does not send the merchant after them').not.toContain('served there');
  await expect(page.locator('kago-widget'), 'nothing is left half-drawn').toHaveCount(0);
});
