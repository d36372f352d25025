import {
  addToCart,
  cartButton,
  cartDialog,
  expect,
  expectTotals,
  summaryValue,
  test,
} from './fixtures';

// The demo shop (www/index.html, served at / from dist/): USD, 8% tax on top,
// $5.00 flat shipping, free from $100.
test.describe('demo shop', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto('/');
    await expect(cartButton(page, 0)).toBeVisible();
  });

  test('demo shop: add two products, see the count, open the cart, check every total, change a quantity, reload and the cart is kept', async ({
    page,
  }) => {
    await addToCart(page, 'Organic cotton tee').tap();
    await expect(cartButton(page, 1)).toBeVisible();
    await addToCart(page, 'Stoneware mug').tap();
    const cart = cartButton(page, 2);
    await expect(cart).toBeVisible();
    await expect(cart, 'badge shows the count').toContainText('2');

    await cart.tap();
    const dialog = cartDialog(page);
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole('heading', { name: 'Your cart' })).toBeVisible();

    const lines = dialog.getByRole('list', { name: 'Items in your cart' }).getByRole('listitem');
    await expect(lines).toHaveCount(2);
    const tee = lines.filter({ hasText: 'Organic cotton tee' });
    await expect(tee).toContainText('M / Indigo');
    await expect(tee).toContainText('$24.00 each');
    const mug = lines.filter({ hasText: 'Stoneware mug' });
    await expect(mug).toContainText('$18.50 each');
    await expect(dialog.locator('[aria-label="Quantity of Stoneware mug"]')).toHaveText('1');
    await expect(dialog.locator('[aria-label="Quantity of Organic cotton tee (M / Indigo)"]')).toHaveText('1');

    await expectTotals(dialog, { Subtotal: '$42.50', Shipping: '$5.00', Tax: '$3.80', Total: '$51.30' });
    await expect(summaryValue(dialog, 'Discount'), 'no discount row when there is no discount').toHaveCount(0);

    await dialog.getByRole('button', { name: 'Increase quantity of Organic cotton tee (M / Indigo)', exact: true }).tap();
    await expect(dialog.locator('[aria-label="Quantity of Organic cotton tee (M / Indigo)"]')).toHaveText('2');
    await expect(tee).toContainText('$48.00');
    await expectTotals(dialog, { Subtotal: '$66.50', Shipping: '$5.00', Tax: '$5.72', Total: '$77.22' });
    await expect(page.getByRole('status').filter({ hasText: /\S/ }), 'the live region announced something').not.toHaveCount(0);

    const stored = await page.evaluate(() => localStorage.getItem('kago.cart'));
    expect(stored, 'cart saved in localStorage "kago.cart"').not.toBeNull();
    expect(() => JSON.parse(stored!)).not.toThrow();

    await page.reload();
    await expect(cartButton(page, 3)).toBeVisible();
    await cartButton(page, 3).tap();
    await expect(cartDialog(page)).toBeVisible();
    await expect(cartDialog(page).locator('[aria-label="Quantity of Organic cotton tee (M / Indigo)"]')).toHaveText('2');
    await expectTotals(cartDialog(page), { Subtotal: '$66.50', Shipping: '$5.00', Tax: '$5.72', Total: '$77.22' });
  });

  test('shipping is free from $100 and removing every line empties the cart', async ({ page }) => {
    await addToCart(page, 'Canvas tote').tap();
    await expect(cartButton(page, 1)).toBeVisible();
    await addToCart(page, 'Canvas tote').tap();
    await expect(cartButton(page, 2)).toBeVisible();
    await addToCart(page, 'Canvas tote').tap();
    await expect(cartButton(page, 3)).toBeVisible();
    await addToCart(page, 'Organic cotton tee').tap();
    await cartButton(page, 4).tap();
    const dialog = cartDialog(page);
    // 3 × 32.00 + 24.00 = 120.00; tax 8% of 120.00 = 9.60
    await expectTotals(dialog, { Subtotal: '$120.00', Shipping: 'Free', Tax: '$9.60', Total: '$129.60' });

    await dialog.getByRole('button', { name: 'Decrease quantity of Canvas tote (Natural)', exact: true }).tap();
    await expect(dialog.locator('[aria-label="Quantity of Canvas tote (Natural)"]')).toHaveText('2');
    // 2 × 32.00 + 24.00 = 88.00 < 100: shipping 5.00, tax 8% of 93.00 = 7.44
    await expectTotals(dialog, { Subtotal: '$88.00', Shipping: '$5.00', Tax: '$7.44', Total: '$100.44' });

    await dialog.getByRole('button', { name: 'Remove Canvas tote (Natural)', exact: true }).tap();
    await dialog.getByRole('button', { name: 'Remove Organic cotton tee (M / Indigo)', exact: true }).tap();
    await expect(dialog.getByText('Your cart is empty.')).toBeVisible();
    await dialog.getByRole('button', { name: 'Close', exact: true }).tap();
    await expect(dialog).toBeHidden();
    await expect(cartButton(page, 0)).toBeVisible();
  });

  test('checkout opens from the cart, back to cart keeps the line, and the support link', async ({ page }) => {
    await addToCart(page, 'Stoneware mug').tap();
    await cartButton(page, 1).tap();
    const dialog = cartDialog(page);
    await expect(dialog.getByRole('link', { name: 'Contact support' })).toHaveAttribute(
      'href',
      'mailto:help@example.com',
    );
    await dialog.getByRole('button', { name: 'Checkout', exact: true }).tap();
    const checkout = page.getByRole('dialog', { name: 'Checkout', exact: true });
    await expect(checkout.getByRole('heading', { name: 'Checkout', exact: true })).toBeVisible();
    await expect(checkout.getByRole('link', { name: 'Contact support' })).toBeVisible();
    await checkout.getByRole('button', { name: 'Back to cart' }).tap();
    await expect(dialog.getByRole('heading', { name: 'Your cart' })).toBeVisible();
    await expect(dialog.locator('[aria-label="Quantity of Stoneware mug"]')).toHaveText('1');
  });

  test('the cart button is a fixed, bottom-right touch target of at least 48×48', async ({ page }) => {
    const cart = cartButton(page, 0);
    const box = await cart.boundingBox();
    expect(box).not.toBeNull();
    const viewport = page.viewportSize()!;
    expect(box!.width).toBeGreaterThanOrEqual(48);
    expect(box!.height).toBeGreaterThanOrEqual(48);
    expect(viewport.width - (box!.x + box!.width), 'gap to the right edge').toBeLessThanOrEqual(64);
    expect(viewport.height - (box!.y + box!.height), 'gap to the bottom edge').toBeLessThanOrEqual(64);
    const fixed = await cart.evaluate((el) => {
      for (let node: Element | null = el; node; node = node.parentElement ?? (node.getRootNode() as ShadowRoot).host ?? null) {
        if (getComputedStyle(node).position === 'fixed') return true;
        if (node === document.documentElement) break;
      }
      return false;
    });
    expect(fixed, 'the cart button (or a wrapper) is position: fixed').toBe(true);
  });

  test('a link with data-kago-add does not navigate', async ({ page }) => {
    const navigations: string[] = [];
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) navigations.push(frame.url());
    });
    const startUrl = page.url();
    await addToCart(page, 'Wool socks', 'link').tap();
    await expect(cartButton(page, 1)).toBeVisible();
    await cartButton(page, 1).tap();
    await expect(cartDialog(page).getByRole('listitem').filter({ hasText: 'Wool socks' })).toContainText('Size L');
    expect(page.url()).toBe(startUrl);
    expect(navigations, 'main-frame navigations after the click').toEqual([]);
  });
});

test('the socks page shares the shop settings: its cart checks out', async ({ page }) => {
  await page.goto('/socks.html');
  await addToCart(page, 'Wool socks').tap();
  await cartButton(page, 1).tap();
  await cartDialog(page).getByRole('button', { name: 'Checkout', exact: true }).tap();
  const checkout = page.getByRole('dialog', { name: 'Checkout', exact: true });
  await expect(checkout.getByText('Step 1 of 3', { exact: true })).toBeVisible();
  await expect(page.getByText('Checkout is not set up for this shop yet.')).toHaveCount(0);
});

// The host page's part: room at the bottom, so the fixed cart button never covers its end.
for (const path of ['/', '/socks.html', '/ja.html']) {
  test(`scrolled to the end, nothing of the page ${path} is under the cart button`, async ({ page }) => {
    await page.goto(path);
    await expect(page.locator('kago-widget:not([data-kago-early])')).toBeAttached();
    const covered = await page.evaluate(async () => {
      window.scrollTo(0, document.documentElement.scrollHeight);
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      const button = document.querySelector('kago-widget')!.shadowRoot!.querySelector('.kago-cart-button')!;
      const b = button.getBoundingClientRect();
      const out: string[] = [];
      for (const el of document.body.querySelectorAll('*')) {
        if (el.closest('kago-widget') || !el.checkVisibility()) continue;
        // Text and controls, not the boxes around them.
        const leaf = el.children.length === 0 || [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() !== '');
        if (!leaf) continue;
        const r = el.getBoundingClientRect();
        if (r.width > 0 && r.height > 0 && r.left < b.right && r.right > b.left && r.top < b.bottom && r.bottom > b.top) {
          out.push(`<${el.localName}> "${(el.textContent ?? '').trim().slice(0, 40)}" ${r.top.toFixed(0)}–${r.bottom.toFixed(0)} under the button at ${b.top.toFixed(0)}–${b.bottom.toFixed(0)}`);
        }
      }
      return out;
    });
    expect(covered, 'page content under the cart button').toEqual([]);
  });
}
