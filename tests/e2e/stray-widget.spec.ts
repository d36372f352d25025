import { addToCart, expect, kagoWarnings, test } from './fixtures';

// A <kago-widget> on the page that is not Kago's (issue 18, point 6): a theme's placeholder, or a
// page's own custom element of that name. Each test failed on the build before its fix, for the
// reason its title gives.

test.describe('a <kago-widget> that is not Kago\'s', () => {
  test('a placeholder <kago-widget> is reported precisely and Kago still starts beside it', async ({ page, watch }) => {
    await page.goto('/stray-widget.html');
    const cart = page.locator('kago-widget[data-kago]').getByRole('button', { name: 'Cart, 0 items', exact: true });
    await expect(cart).toBeVisible();
    await addToCart(page, 'Stoneware mug').tap();
    await expect(page.locator('kago-widget[data-kago]').getByRole('button', { name: 'Cart, 1 item', exact: true })).toBeVisible();
    const warnings = kagoWarnings(watch.consoleMessages).map((m) => m.text);
    expect(warnings).not.toContainEqual(expect.stringContaining('already on this page'));
    expect(warnings).toContainEqual(
      'Kago: this page has a <kago-widget> element that is not Kago\'s (no data-kago attribute), id="cart-slot", in <body>; Kago leaves it alone and shows its widget in its own <kago-widget data-kago>.',
    );
    await expect(page.locator('#cart-slot'), 'the placeholder is left alone').toBeEmpty();
  });

  test('a page defining its own <kago-widget> element gets a precise message, not an uncaught NotSupportedError', async ({
    page,
    watch,
  }) => {
    await page.goto('/own-widget.html');
    await expect
      .poll(() => watch.consoleMessages.filter((m) => m.type === 'error').map((m) => m.text))
      .toContainEqual(expect.stringContaining('this page defines its own custom element <kago-widget> (customElements.define)'));
    const texts = watch.consoleMessages.map((m) => m.text);
    expect(texts).not.toContainEqual(expect.stringContaining('already on this page'));
    // The fixture fails the test on any uncaught error in the page (NotSupportedError).
    expect(watch.pageErrors).toEqual([]);
  });
});
