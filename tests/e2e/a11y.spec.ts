import AxeBuilder from '@axe-core/playwright';
import {
  addToCart,
  cartButton,
  cartDialog,
  containsFocus,
  expect,
  hasFocus,
  test,
} from './fixtures';

test('focus moves into the drawer and back; Escape closes it', async ({ page }) => {
  await page.goto('/');
  const cart = cartButton(page, 0);
  await expect(cart).toBeVisible();
  await cart.focus();
  await page.keyboard.press('Enter');
  const dialog = cartDialog(page);
  await expect(dialog).toBeVisible();
  await expect.poll(() => containsFocus(dialog), { message: 'focus is inside the drawer' }).toBe(true);

  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect.poll(() => hasFocus(cart), { message: 'focus is back on the cart button' }).toBe(true);

  // The same with Space to open and the Close button to close.
  await page.keyboard.press(' ');
  await expect(dialog).toBeVisible();
  await expect.poll(() => containsFocus(dialog)).toBe(true);
  const close = dialog.getByRole('button', { name: 'Close', exact: true });
  await close.focus();
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect.poll(() => hasFocus(cart), { message: 'focus is back on the cart button' }).toBe(true);
});

test('Tab stays inside the open drawer', async ({ page }) => {
  await page.goto('/');
  await addToCart(page, 'Stoneware mug').tap();
  await cartButton(page, 1).tap();
  const dialog = cartDialog(page);
  await expect(dialog).toBeVisible();
  await expect.poll(() => containsFocus(dialog)).toBe(true);
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Tab');
    expect(await containsFocus(dialog), `focus inside the drawer after Tab #${i + 1}`).toBe(true);
  }
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Shift+Tab');
    expect(await containsFocus(dialog), `focus inside the drawer after Shift+Tab #${i + 1}`).toBe(true);
  }
});

test('keyboard in the cart: the stepper keeps focus at its limit, removing a line moves focus to the heading', async ({ page }) => {
  await page.goto('/');
  await addToCart(page, 'Stoneware mug').tap();
  await addToCart(page, 'Stoneware mug').tap();
  await cartButton(page, 2).tap();
  const dialog = cartDialog(page);
  await expect(dialog).toBeVisible();
  await page.evaluate(() => {
    const w = window as unknown as { changes: number };
    w.changes = 0;
    window.addEventListener('kago:quantity_changed', () => (w.changes += 1));
  });
  const changes = () => page.evaluate(() => (window as unknown as { changes: number }).changes);
  const decrease = dialog.getByRole('button', { name: 'Decrease quantity of Stoneware mug', exact: true });
  await decrease.focus();
  await page.keyboard.press('Enter');
  await expect(dialog.getByLabel('Quantity of Stoneware mug', { exact: true })).toHaveText('1');
  await expect(decrease, 'no lower than 1').toBeDisabled();
  await expect.poll(() => hasFocus(decrease), { message: 'focus stays on "Decrease quantity" at 1' }).toBe(true);
  await page.keyboard.press('Enter');
  await expect(dialog.getByLabel('Quantity of Stoneware mug', { exact: true })).toHaveText('1');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect(dialog.getByLabel('Quantity of Stoneware mug', { exact: true })).toHaveText('2');
  // 2 → 1 and 1 → 2: "−" at 1 changed nothing and said nothing (events come in order).
  await expect.poll(changes).toBe(2);
  await page.waitForTimeout(300);
  expect(await changes()).toBe(2);
  await page.keyboard.press('Tab');
  const remove = dialog.getByRole('button', { name: 'Remove Stoneware mug', exact: true });
  await expect.poll(() => hasFocus(remove)).toBe(true);
  await page.keyboard.press('Enter');
  await expect(remove).toHaveCount(0);
  const heading = dialog.getByRole('heading', { name: 'Your cart' });
  await expect.poll(() => hasFocus(heading), { message: 'focus on the cart heading, not lost to the page' }).toBe(true);
});

test('a stepper tap announces the new quantity, then the total', async ({ page }) => {
  await page.goto('/');
  await addToCart(page, 'Stoneware mug').tap();
  await cartButton(page, 1).tap();
  const dialog = cartDialog(page);
  await dialog.getByRole('button', { name: 'Increase quantity of Stoneware mug', exact: true }).tap();
  await expect(page.getByRole('status').filter({ hasText: /^Quantity of Stoneware mug: 2\. Total \$/ })).toHaveCount(1);
});

test('the dialog has no landmarks of its own (its header and footer are not the page\'s banner and contentinfo)', async ({ page }) => {
  await page.goto('/');
  await addToCart(page, 'Stoneware mug').tap();
  await cartButton(page, 1).tap();
  const dialog = cartDialog(page);
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('banner')).toHaveCount(0);
  await expect(dialog.getByRole('contentinfo')).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Checkout', exact: true }).tap();
  const checkout = page.getByRole('dialog');
  await expect(checkout.getByRole('banner')).toHaveCount(0);
  await expect(checkout.getByRole('contentinfo')).toHaveCount(0);
});

test('focus is in the drawer when it is open from the start: a reload during checkout', async ({ page }) => {
  await page.goto('/');
  await addToCart(page, 'Stoneware mug').tap();
  await cartButton(page, 1).tap();
  await cartDialog(page).getByRole('button', { name: 'Checkout', exact: true }).tap();
  const dialog = page.getByRole('dialog', { name: 'Checkout' });
  await dialog.getByLabel('Email').fill('reload@example.com');
  await page.reload();
  await expect(dialog.getByLabel('Email')).toHaveValue('reload@example.com');
  const close = dialog.getByRole('button', { name: 'Close', exact: true });
  await expect.poll(() => hasFocus(close), { message: 'focus on Close, inside the modal, not on the page' }).toBe(true);
});

test('resizing across the one-page width keeps focus inside the dialog', async ({ page }) => {
  await page.goto('/');
  await addToCart(page, 'Stoneware mug').tap();
  await cartButton(page, 1).tap();
  await cartDialog(page).getByRole('button', { name: 'Checkout', exact: true }).tap();
  const dialog = page.getByRole('dialog', { name: 'Checkout' });
  await dialog.getByLabel('Email').focus();
  const focusInWidget = () =>
    page.evaluate(() => {
      const root = document.querySelector('kago-widget')?.shadowRoot;
      return document.activeElement?.tagName === 'KAGO-WIDGET' && !!root?.activeElement && !root.activeElement.closest('[hidden]');
    });
  for (const size of [{ width: 1280, height: 800 }, { width: 412, height: 915 }]) {
    await page.setViewportSize(size);
    await expect.poll(focusInWidget, { message: `focus stays in the dialog at ${size.width} px` }).toBe(true);
  }
  await expect(dialog.getByLabel('Email'), 'what was typed stays').toBeVisible();
});

test('the widget has no axe violations, closed and open (WCAG 2.1 A/AA)', async ({ page }) => {
  await page.goto('/');
  await expect(cartButton(page, 0)).toBeVisible();
  const axe = () =>
    new AxeBuilder({ page })
      .include('kago-widget')
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .analyze();
  const describe = (r: Awaited<ReturnType<typeof axe>>) =>
    r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);

  expect(describe(await axe()), 'closed').toEqual([]);
  await addToCart(page, 'Organic cotton tee').tap();
  await cartButton(page, 1).tap();
  await expect(cartDialog(page)).toBeVisible();
  expect(describe(await axe()), 'open with one line').toEqual([]);
});

test('Japanese shop: yen, tax included, Japanese labels', async ({ page }) => {
  await page.goto('/ja.html');
  await expect(page.getByRole('button', { name: 'カート、0点', exact: true })).toBeVisible();
  await page.locator('[data-kago-add][data-price="4800"]').tap();
  await expect(page.getByRole('button', { name: 'カート、1点', exact: true })).toBeVisible();
  await page.locator('[data-kago-add][data-price="2400"]').tap();
  await page.getByRole('button', { name: 'カート、2点', exact: true }).tap();
  const dialog = page.getByRole('dialog', { name: 'カート', exact: true });
  await expect(dialog).toBeVisible();
  // 4800 + 2400, shipping free from 5000, 10% tax included: 7200 × 10/110 = 654.5 → 654
  await expect(dialog.locator('dl dd').last()).toContainText('￥7,200');
  await expect(dialog).toContainText('うち消費税 ￥654');
});
