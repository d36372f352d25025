import {
  addToCart,
  anyCartButton,
  cartButton,
  cartDialog,
  earlyCartButton,
  expect,
  holdWasm,
  KAGO_FILES,
  kagoWarnings,
  savedLines,
  summaryValue,
  test,
} from './fixtures';

// Fixture pages in tests/e2e/pages: hosts that are hostile, careless or unusual.

test('hostile host CSS still shows a usable widget', async ({ page }) => {
  // Fill the cart on the demo shop first: the hostile page hides every host button.
  await page.goto('/');
  await addToCart(page, 'Stoneware mug').tap();
  await expect(cartButton(page, 1)).toBeVisible();

  await page.goto('/hostile.html');
  const cart = cartButton(page, 1);
  await expect(cart).toBeVisible();
  const box = await cart.boundingBox();
  expect(box!.width, 'cart button width').toBeGreaterThanOrEqual(48);
  expect(box!.height, 'cart button height').toBeGreaterThanOrEqual(48);

  await cart.tap();
  const dialog = cartDialog(page);
  await expect(dialog).toBeVisible();
  const heading = dialog.getByRole('heading', { name: 'Your cart' });
  await expect(heading).toBeVisible();
  const increase = dialog.getByRole('button', { name: 'Increase quantity of Stoneware mug', exact: true });
  await expect(increase).toBeVisible();
  await increase.tap();
  await expect(dialog.locator('[aria-label="Quantity of Stoneware mug"]')).toHaveText('2');

  for (const [what, locator] of [
    ['drawer heading', heading],
    ['Total amount', summaryValue(dialog, 'Total')],
    ['cart button', anyCartButton(page)],
  ] as const) {
    const size = await locator.evaluate((el) => getComputedStyle(el).fontSize);
    expect(size, `font size of the ${what} inside the shadow root`).not.toBe('9px');
  }
  await dialog.getByRole('button', { name: 'Close', exact: true }).tap();
  await expect(dialog).toBeHidden();
});

test('strict CSP: widget works and raises no CSP violation', async ({ page, watch }) => {
  const response = await page.goto('/');
  expect(response!.headers()['content-security-policy']).toBe(
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'",
  );
  await addToCart(page, 'Stoneware mug').tap();
  await cartButton(page, 1).tap();
  const dialog = cartDialog(page);
  await expect(summaryValue(dialog, 'Total')).toHaveText('$25.38'); // 18.50 + 5.00 + 8% of 23.50 (1.88)
  await dialog.getByRole('button', { name: 'Increase quantity of Stoneware mug', exact: true }).tap();
  await expect(dialog.locator('[aria-label="Quantity of Stoneware mug"]')).toHaveText('2');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // The fixture also checks this after every test; here it is the point of the test.
  expect(await watch.cspViolations(), 'securitypolicyviolation events').toEqual([]);
  expect(watch.consoleMessages.filter((m) => /Content Security Policy/i.test(m.text))).toEqual([]);
});

test.describe('XSS', () => {
  // Without the CSP the browser would run an injected handler: make sure nothing
  // but the widget's own escaping stands between the payload and the page.
  test.use({ bypassCSP: true });

  test('XSS payload as a product name is shown literally and never runs', async ({ page }) => {
    await page.goto('/xss.html');
    await expect(cartButton(page, 0)).toBeVisible();
    await addToCart(page, 'Image payload').tap();
    await expect(cartButton(page, 1)).toBeVisible();
    await addToCart(page, 'Script payload').tap();
    await cartButton(page, 2).tap();

    for (let round = 0; round < 2; round++) {
      const dialog = cartDialog(page);
      await expect(dialog).toBeVisible();
      await expect(dialog).toContainText('<img src=x onerror="window.kagoPwned=1">');
      await expect(dialog).toContainText('<script>window.kagoPwned=2</script>');
      await expect(dialog).toContainText('<b>bold</b>');
      const injected = await page.locator('kago-widget').evaluate((host) => {
        const root = host.shadowRoot!;
        return {
          img: root.querySelectorAll('img').length,
          script: root.querySelectorAll('script').length,
          b: root.querySelectorAll('b').length,
        };
      });
      expect(injected, 'elements created from product data').toEqual({ img: 0, script: 0, b: 0 });
      expect(await page.evaluate(() => window.kagoPwned)).toBeUndefined();
      // Round two: the same lines rendered again from localStorage after a reload.
      if (round === 0) {
        await page.reload();
        await cartButton(page, 2).tap();
      }
    }
    expect(await page.evaluate(() => window.kagoPwned)).toBeUndefined();
  });
});

test('a second script tag does not create a second widget', async ({ page }) => {
  await page.goto('/twice.html');
  await expect(cartButton(page, 0)).toBeVisible();
  await page.waitForLoadState('networkidle');
  await expect(page.locator('kago-widget')).toHaveCount(1);
  await addToCart(page, 'Stoneware mug').tap();
  // One click adds one item: a second widget's listener would add another.
  await expect(cartButton(page, 1)).toBeVisible();
  await page.waitForLoadState('networkidle');
  await expect(anyCartButton(page)).toHaveCount(1);
  await expect(cartButton(page, 1)).toBeVisible();
});

test('products added after load work (event delegation)', async ({ page }) => {
  await page.goto('/late.html');
  await expect(cartButton(page, 0)).toBeVisible();
  await page.getByRole('button', { name: 'Show more products' }).tap();
  await addToCart(page, 'Linen apron').tap();
  await expect(cartButton(page, 1)).toBeVisible();
  await cartButton(page, 1).tap();
  const line = cartDialog(page).getByRole('listitem').filter({ hasText: 'Linen apron' });
  await expect(line).toContainText('Sage');
  await expect(line).toContainText('$27.00 each');
});

test('bad product data is reported in the console and adds nothing', async ({ page, watch }) => {
  await page.goto('/bad-product.html');
  await expect(cartButton(page, 0)).toBeVisible();
  await addToCart(page, 'Ceramic vase').tap();
  await expect
    .poll(() => kagoWarnings(watch.consoleMessages).map((m) => m.text), {
      message: 'a Kago: console warning naming data-price and its value',
    })
    .toContainEqual(expect.stringMatching(/data-price.*1,200|1,200.*data-price/));
  await expect(cartButton(page, 0)).toBeVisible();
  expect(await page.evaluate(() => localStorage.getItem('kago.cart') ?? '')).not.toContain('Ceramic vase');
});

test('bad merchant attribute is reported once naming the attribute and the default is used', async ({
  page,
  watch,
}) => {
  await page.goto('/bad-merchant.html');
  await expect(cartButton(page, 0)).toBeVisible();
  await addToCart(page, 'Stoneware mug').tap();
  await cartButton(page, 1).tap();
  const dialog = cartDialog(page);
  await expect(dialog.getByRole('listitem').filter({ hasText: 'Stoneware mug' })).toContainText('$18.50 each');
  await expect(summaryValue(dialog, 'Subtotal')).toHaveText('$18.50');
  await dialog.getByRole('button', { name: 'Increase quantity of Stoneware mug', exact: true }).tap();
  await expect(summaryValue(dialog, 'Subtotal')).toHaveText('$37.00');
  const warnings = watch.consoleMessages.filter((m) => m.text.includes('data-currency'));
  expect(warnings, 'console messages naming data-currency').toHaveLength(1);
  expect(warnings[0].type).toBe('warning');
  expect(warnings[0].text).toMatch(/^Kago:/);
  expect(warnings[0].text).toContain('DOLLARS');
});

test('async script tag works', async ({ page }) => {
  await page.goto('/async.html');
  await expect(cartButton(page, 0)).toBeVisible();
  await addToCart(page, 'Stoneware mug').tap();
  await cartButton(page, 1).tap();
  await expect(summaryValue(cartDialog(page), 'Subtotal')).toHaveText('$18.50');
  await expect(page.locator('kago-widget')).toHaveCount(1);
});

test('the cart button shows before the wasm arrives, with the saved count; a tap on it opens the cart frame at once and the cart when ready, nothing moves', async ({
  page,
}) => {
  await page.goto('/');
  await addToCart(page, 'Stoneware mug').tap();
  await addToCart(page, 'Canvas tote').tap();
  await expect(cartButton(page, 2)).toBeVisible();

  const release = await holdWasm(page);
  await page.addInitScript(() => {
    (window as unknown as { kagoShifts: number }).kagoShifts = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as unknown as { value: number; hadRecentInput: boolean }[]) {
        if (!e.hadRecentInput) (window as unknown as { kagoShifts: number }).kagoShifts += e.value;
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
  await page.reload();
  const early = earlyCartButton(page, 2);
  await expect(early, 'drawn by kago.js from the saved cart while the wasm is held').toBeVisible();
  await expect(early).toHaveAttribute('aria-haspopup', 'dialog');
  const before = await early.boundingBox();
  expect(before!.width).toBeGreaterThanOrEqual(48);
  // A product tapped now counts at once and is added when the widget is ready; a tap on the
  // cart button opens the drawer's frame at once, busy, and the cart when the widget is ready.
  await addToCart(page, 'Organic cotton tee').tap();
  await expect(earlyCartButton(page, 3), 'the early count goes up at once').toBeVisible();
  await earlyCartButton(page, 3).tap();
  await expect(cartDialog(page)).toBeVisible();
  await expect(cartDialog(page)).toHaveAttribute('aria-busy', 'true');
  // A layout shift within 500 ms of an input is not counted (hadRecentInput), and here the
  // widget could be ready sooner than that: it takes over 0.6 s after the tap, as on a slow
  // phone, so a panel filling in under the shopper's eyes counts.
  await page.waitForTimeout(600);
  release();

  await expect(cartDialog(page).getByRole('listitem'), 'the early tap opens the cart once the widget is ready').toHaveCount(3);
  await expect(cartDialog(page)).not.toHaveAttribute('aria-busy', 'true');
  await expect
    .poll(async () => (await savedLines(page)).length, {
      message: 'the product tapped while loading is saved with the cart',
    })
    .toBe(3);
  await expect(page.locator('kago-widget')).toHaveCount(1);
  await page.keyboard.press('Escape');
  const after = await cartButton(page, 3).boundingBox();
  expect(after, 'the widget takes over the button in place').toEqual(before);
  expect(await page.evaluate(() => (window as unknown as { kagoShifts: number }).kagoShifts)).toBe(0);
});

test('the early cart button speaks the shop language and hands its focus to the widget', async ({ page }) => {
  const release = await holdWasm(page);
  await page.goto('/ja.html');
  const early = page.locator('kago-widget[data-kago-early]').getByRole('button', { name: 'カート、0点', exact: true });
  await expect(early).toBeVisible();
  await early.focus();
  release();
  const live = page.locator('kago-widget:not([data-kago-early])').getByRole('button', { name: 'カート、0点', exact: true });
  await expect(live).toBeVisible();
  await expect.poll(() => live.evaluate((el) => (el.getRootNode() as ShadowRoot).activeElement === el)).toBe(true);
});

test('kago.css missing: no half-styled widget, and the console says which file', async ({ page, watch }) => {
  await page.route(KAGO_FILES.css, (route) => route.fulfill({ status: 404, body: 'not found' }));
  await page.goto('/');
  await expect
    .poll(() => watch.consoleMessages.filter((m) => m.type === 'error').map((m) => m.text).join('\n'))
    .toMatch(/^Kago: the widget could not load .*\(HTTP 404 for kago-[0-9a-f]{16}\.css\)/m);
  await expect(page.locator('kago-widget')).toHaveCount(0);
});
