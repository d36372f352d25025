import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { devices } from '@playwright/test';
import {
  addToCart,
  cartButton,
  cartDialog,
  containsFocus,
  expect,
  expectTotals,
  hasFocus,
  kagoWarnings,
  summaryValue,
  test,
} from './fixtures';
import {
  JP_FIELDS,
  MESSAGES,
  STEPS,
  US_FIELDS,
  addProducts,
  applyCode,
  continueToDelivery,
  axeViolations,
  button,
  checkoutDialog,
  continueToReview,
  expectConfirmation,
  expectFieldError,
  expectNoFieldError,
  expectOnePage,
  expectStep,
  field,
  fillUsContact,
  kagoEvents,
  option,
  ordersOf,
  postedBody,
  recordKagoEvents,
  startCheckout,
  tabTo,
  uniqueEmail,
  usShopper,
  watchOrderPosts,
  type OrderBody,
} from './checkout-helpers';

// The checkout in the drawer (contact & address → delivery & payment → review → order),
// against the demo shop in dist/ and kago-server's demo order endpoint (/api/orders, a
// fresh SQLite file per run). Tests run in parallel and the server may be reused between
// runs, so each test tells its orders apart by a unique e-mail address.

const TEE = { sku: 'TEE-001', variant: 'M / Indigo', name: 'Organic cotton tee', unit_price: 2400 };
const MUG = { sku: 'MUG-002', variant: null, name: 'Stoneware mug', unit_price: 1850 };

test.describe('checkout on a phone', () => {
  test.beforeEach(async ({ page }) => {
    await recordKagoEvents(page);
    await page.goto('/');
    await expect(cartButton(page, 0)).toBeVisible();
  });

  test('a shopper buys two tees and a mug by labels only and sees the order number the shop stored', async ({
    page,
    request,
  }, testInfo) => {
    const shopper = usShopper(testInfo);
    const posts = watchOrderPosts(page);
    await addProducts(page, ['Organic cotton tee', 'Organic cotton tee', 'Stoneware mug']);
    const dialog = await startCheckout(page, 3);

    await continueToDelivery(dialog, shopper);
    await expect(dialog.getByRole('group', { name: 'Delivery' })).toBeVisible();
    await expect(dialog.getByRole('group', { name: 'Payment' })).toBeVisible();
    await expect(option(dialog, 'Standard'), 'first delivery method pre-selected').toBeChecked();
    await expect(option(dialog, 'Card'), 'first payment method pre-selected').toBeChecked();
    await expectTotals(dialog, { Subtotal: '$66.50', Shipping: '$5.00', Tax: '$5.72', Total: '$77.22' });
    await button(dialog, 'Review order').tap();

    await expectStep(dialog, 3);
    for (const text of ['Organic cotton tee', 'M / Indigo', '2 × $24.00', 'Stoneware mug', '1 × $18.50']) {
      await expect(dialog, `review shows "${text}"`).toContainText(text);
    }
    await expectTotals(dialog, { Subtotal: '$66.50', Shipping: '$5.00', Tax: '$5.72', Total: '$77.22' });
    for (const text of [shopper.email, shopper.name, shopper.line1, shopper.line2, shopper.city, shopper.postalCode]) {
      await expect(dialog, `review recaps "${text}"`).toContainText(text);
    }
    await expect(button(dialog, 'Edit contact & address')).toBeVisible();
    await expect(button(dialog, 'Edit delivery & payment')).toBeVisible();
    const placeOrder = button(dialog, 'Place order');
    const box = await placeOrder.boundingBox();
    expect(box!.height, '"Place order" is a large touch target').toBeGreaterThanOrEqual(48);
    await placeOrder.tap();

    const orderId = await expectConfirmation(dialog, shopper.email);
    expect(orderId).toMatch(/^K-\d{6,}$/);
    // What was paid, and how: the cart is empty by now, the confirmation still says it.
    await expect(dialog.getByText('Total: $77.22', { exact: true })).toBeVisible();
    await expect(dialog.getByText('Payment: Card — You pay on our secure payment page.', { exact: true })).toBeVisible();

    const orders = await ordersOf(request, shopper.email);
    expect(orders, 'exactly one order stored for this shopper').toHaveLength(1);
    const [order] = orders;
    expect(order.order_id, 'the number shown is the one the shop stored').toBe(orderId);
    expect(posts, 'one POST to the order endpoint').toHaveLength(1);
    const sent = postedBody(posts[0]);
    expect(order.body, 'the stored body is the body sent').toEqual(sent);
    expect(order.idempotency_key).toBe(sent.idempotency_key);
    expect(sent.idempotency_key.length, 'an idempotency key is sent').toBeGreaterThan(0);
    const expected: OrderBody = {
      idempotency_key: sent.idempotency_key,
      currency: 'USD',
      items: [
        { ...TEE, quantity: 2 },
        { ...MUG, quantity: 1 },
      ],
      totals: { subtotal: 6650, discount: 0, shipping: 500, tax: 572, tax_included: false, total: 7722 },
      contact: { email: shopper.email, name: shopper.name, phone: null },
      shipping_address: {
        country: 'US',
        postal_code: '10001',
        region: 'NY',
        city: 'New York',
        line1: '350 Fifth Avenue',
        line2: 'Suite 21',
      },
      shipping_method: 'standard',
      payment_method: 'card',
      discount_code: null,
      locale: 'en',
    };
    expect(order.body, 'the documented order body').toEqual(expected);
    expect(order.currency).toBe('USD');
    expect(order.total).toBe(7722);

    // What was typed is gone; only the confirmation is kept (for a reload) while it is open.
    const kept = await page.evaluate(() => JSON.parse(sessionStorage.getItem('kago.checkout') ?? '{}'));
    expect(kept.values, 'nothing typed is kept after the order').toEqual({});
    expect(kept.placed).toEqual({
      order_id: orderId,
      email: shopper.email,
      total: '$77.22',
      payment: 'Card — You pay on our secure payment page.',
      feedback_sent: false,
    });
    const events = await kagoEvents(page);
    expect(
      events.filter((e) => e.type === 'kago:step_viewed').map((e) => (e.detail as { step?: string })?.step),
      'kago:step_viewed for each step',
    ).toEqual(['contact', 'delivery', 'review']);
    expect(events.filter((e) => e.type === 'kago:checkout_started')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'kago:order_submitted')).toHaveLength(1);
    const completed = events.filter((e) => e.type === 'kago:order_completed');
    expect(completed).toHaveLength(1);
    expect((completed[0].detail as { order_id?: string }).order_id).toBe(orderId);

    await button(dialog, 'Continue shopping').tap();
    await expect(checkoutDialog(page)).toBeHidden();
    await expect(cartButton(page, 0), 'the cart is cleared').toBeVisible();
  });

  test('every contact and address field has a visible label and the right autofill and keyboard hints', async ({
    page,
  }) => {
    await addProducts(page, ['Stoneware mug']);
    const dialog = await startCheckout(page, 1);

    const positions: number[] = [];
    for (const f of US_FIELDS) {
      const input = field(dialog, f.label);
      await expect(input, f.label).toBeVisible();
      await expect(input, `${f.label}: autocomplete`).toHaveAttribute('autocomplete', f.autocomplete);
      const label = await input.evaluate((el) => {
        const l = (el as HTMLInputElement).labels?.[0];
        return l ? { visible: l.checkVisibility(), text: l.textContent ?? '' } : null;
      });
      expect(label, `${f.label}: has a <label>`).not.toBeNull();
      expect(label!.visible, `${f.label}: its <label> is visible`).toBe(true);
      expect(label!.text, `${f.label}: the label shows the name`).toContain(f.label);
      positions.push(
        await input.evaluate((el) => {
          const form = el.closest('form');
          return form ? Array.from(form.querySelectorAll('input, select, textarea')).indexOf(el) : -1;
        }),
      );
    }
    expect(positions.every((p) => p >= 0), 'every field is inside the step form').toBe(true);
    expect(
      positions.every((p, i) => i === 0 || p > positions[i - 1]),
      `fields in the order ${US_FIELDS.map((f) => f.label).join(', ')} (positions ${positions.join(', ')})`,
    ).toBe(true);

    const email = field(dialog, 'Email');
    await expect(email).toHaveAttribute('type', 'email');
    await expect(email).toHaveAttribute('inputmode', 'email');
    await expect(field(dialog, 'ZIP code')).toHaveAttribute('inputmode', 'numeric');
    await expect(
      dialog.getByRole('textbox', { name: 'Phone' }),
      'no phone field unless the shop requires it',
    ).toHaveCount(0);
    const submit = button(dialog, 'Continue to delivery');
    await expect(submit).toHaveAttribute('type', 'submit');
    // Every input of the step has a visible label, not only the ones listed above.
    const unlabelled = await dialog.locator('form input:not([type=hidden]):not([type=radio])').evaluateAll((els) =>
      els
        .filter((el) => !((el as HTMLInputElement).labels?.[0]?.checkVisibility() ?? false))
        .map((el) => el.outerHTML),
    );
    expect(unlabelled, 'inputs without a visible <label>').toEqual([]);
  });

  test('wrong e-mail and ZIP are explained on blur and on submit, the first wrong field gets focus, nothing typed is lost', async ({
    page,
  }, testInfo) => {
    const shopper = usShopper(testInfo);
    await addProducts(page, ['Stoneware mug']);
    const dialog = await startCheckout(page, 1);
    const email = field(dialog, 'Email');
    const name = field(dialog, 'Full name');
    const zip = field(dialog, 'ZIP code');

    // Leaving an empty field says nothing yet.
    await name.focus();
    await name.press('Tab');
    await expect(dialog.getByText(MESSAGES.required, { exact: true })).toHaveCount(0);
    await expectNoFieldError(name);

    // Blur with a wrong value: explained at once.
    await email.fill('ada@example');
    await email.press('Tab');
    await expectFieldError(dialog, email, MESSAGES.email);
    await zip.fill('1000');
    await zip.press('Tab');
    await expectFieldError(dialog, zip, MESSAGES.zip);

    // Fixing a field clears its error on blur.
    await email.fill(shopper.email);
    await email.press('Tab');
    await expectNoFieldError(email);
    await expect(dialog.getByText(MESSAGES.email, { exact: true })).toHaveCount(0);

    // Submit with errors: every error shown, focus on the first wrong field, input kept.
    await email.fill('ada.example.com');
    await field(dialog, 'Street address').fill(shopper.line1);
    await field(dialog, 'City').fill(shopper.city);
    await field(dialog, 'State').fill(shopper.region);
    await button(dialog, 'Continue to delivery').tap();
    await expectStep(dialog, 1);
    await expectFieldError(dialog, email, MESSAGES.email);
    await expectFieldError(dialog, name, MESSAGES.required);
    await expectFieldError(dialog, zip, MESSAGES.zip);
    await expect.poll(() => hasFocus(email), { message: 'focus on the first invalid field (Email)' }).toBe(true);
    await expect(email).toHaveValue('ada.example.com');
    await expect(zip).toHaveValue('1000');
    await expect(field(dialog, 'Street address')).toHaveValue(shopper.line1);
    await expect(field(dialog, 'City')).toHaveValue(shopper.city);
    await expect(field(dialog, 'State')).toHaveValue(shopper.region);

    // Fix the first two: the ZIP code is now the first wrong field.
    await email.fill(shopper.email);
    await name.fill(shopper.name);
    await button(dialog, 'Continue to delivery').tap();
    await expectStep(dialog, 1);
    await expect.poll(() => hasFocus(zip), { message: 'focus on the ZIP code' }).toBe(true);
    await expectNoFieldError(email);
    await expectNoFieldError(name);
    await expectFieldError(dialog, zip, MESSAGES.zip);

    // Enter submits the form.
    await zip.fill('10001');
    await zip.press('Enter');
    await expectStep(dialog, 2);
  });

  test('a reload mid-checkout reopens the same step with everything typed, and Back keeps it too', async ({
    page,
  }, testInfo) => {
    const shopper = usShopper(testInfo);
    await addProducts(page, ['Stoneware mug']);
    let dialog = await startCheckout(page, 1);

    // Half-way through step 1.
    await field(dialog, 'Email').fill(shopper.email);
    await field(dialog, 'Full name').fill(shopper.name);
    await field(dialog, 'Street address').fill(shopper.line1);
    await page.reload();
    dialog = checkoutDialog(page);
    await expectStep(dialog, 1);
    await expect(field(dialog, 'Email')).toHaveValue(shopper.email);
    await expect(field(dialog, 'Full name')).toHaveValue(shopper.name);
    await expect(field(dialog, 'Street address')).toHaveValue(shopper.line1);

    await continueToDelivery(dialog, shopper);
    await option(dialog, 'Express').tap();
    await option(dialog, 'Bank transfer').tap();
    await expect(option(dialog, 'Express')).toBeChecked();

    await page.reload();
    dialog = checkoutDialog(page);
    await expectStep(dialog, 2);
    await expect(option(dialog, 'Express'), 'delivery choice restored').toBeChecked();
    await expect(option(dialog, 'Bank transfer'), 'payment choice restored').toBeChecked();
    await expect(summaryValue(dialog, 'Shipping')).toHaveText('$15.00');

    // Back to step 1: every value is there.
    await button(dialog, 'Back').tap();
    await expectStep(dialog, 1);
    for (const f of US_FIELDS) {
      await expect(field(dialog, f.label), `${f.label} kept`).toHaveValue(shopper[f.key]);
    }
    // Back to the cart and into the checkout again: still there.
    await button(dialog, 'Back to cart').tap();
    await expect(cartDialog(page).getByRole('heading', { name: 'Your cart' })).toBeVisible();
    await cartDialog(page).getByRole('button', { name: 'Checkout', exact: true }).tap();
    await expectStep(checkoutDialog(page), 1);
    await expect(field(checkoutDialog(page), 'Email')).toHaveValue(shopper.email);
    await expect(field(checkoutDialog(page), 'ZIP code')).toHaveValue(shopper.postalCode);
  });

  test('the first answer is lost (500) and the automatic retry with the same key places exactly one order', async ({
    page,
    request,
  }, testInfo) => {
    const shopper = usShopper(testInfo);
    const keys: string[] = [];
    const firstStatus: number[] = [];
    await page.route('**/api/orders', async (route) => {
      if (route.request().method() !== 'POST') return route.fallback();
      keys.push(postedBody(route.request()).idempotency_key);
      if (keys.length === 1) {
        // The order reaches the shop, but its answer is lost on the way back.
        const response = await route.fetch();
        firstStatus.push(response.status());
        return route.fulfill({ status: 500, contentType: 'application/json', body: '{"error":"upstream timeout"}' });
      }
      return route.fallback();
    });

    await addProducts(page, ['Stoneware mug']);
    const dialog = await startCheckout(page, 1);
    await continueToReview(dialog, shopper);
    await button(dialog, 'Place order').tap();
    await expect(dialog.getByText('Connection problem. Trying again in 1 s…')).toBeVisible();

    const orderId = await expectConfirmation(dialog, shopper.email);
    expect(firstStatus, 'the first request was stored by the shop').toEqual([201]);
    expect(keys, 'two requests, both with the same idempotency key').toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    const orders = await ordersOf(request, shopper.email);
    expect(orders, 'exactly one order').toHaveLength(1);
    expect(orders[0].order_id).toBe(orderId);
    expect(orders[0].idempotency_key).toBe(keys[0]);
  });

  test('an unreachable shop is retried after 1, 2, 4 and 8 s, then the shopper can try again with details kept', async ({
    page,
    request,
  }, testInfo) => {
    test.setTimeout(90_000);
    const shopper = usShopper(testInfo);
    const keys: string[] = [];
    const sentAt: number[] = [];
    let reachable = false;
    await page.route('**/api/orders', async (route) => {
      if (route.request().method() !== 'POST') return route.fallback();
      keys.push(postedBody(route.request()).idempotency_key);
      sentAt.push(Date.now());
      return reachable ? route.fallback() : route.abort('connectionrefused');
    });

    await addProducts(page, ['Stoneware mug']);
    const dialog = await startCheckout(page, 1);
    await continueToReview(dialog, shopper);
    await button(dialog, 'Place order').tap();
    await expect(dialog.getByText('Connection problem. Trying again in 1 s…')).toBeVisible();
    await expect(dialog.getByText(MESSAGES.failed)).toBeVisible({ timeout: 40_000 });
    expect(keys, 'the first attempt and 4 automatic retries').toHaveLength(5);
    expect(new Set(keys).size, 'one idempotency key for every attempt').toBe(1);
    const gaps = sentAt.slice(1).map((t, i) => t - sentAt[i]);
    for (const [i, min] of [1000, 2000, 4000, 8000].entries()) {
      expect(gaps[i], `wait before retry ${i + 1}`).toBeGreaterThanOrEqual(min - 100);
    }
    await expect(dialog, 'the details are still shown').toContainText(shopper.email);
    expect(await ordersOf(request, shopper.email)).toHaveLength(0);

    reachable = true;
    await button(dialog, 'Try again').tap();
    const orderId = await expectConfirmation(dialog, shopper.email);
    expect(keys, 'Try again sends the same key').toHaveLength(6);
    expect(keys[5]).toBe(keys[0]);
    const orders = await ordersOf(request, shopper.email);
    expect(orders).toHaveLength(1);
    expect(orders[0].order_id).toBe(orderId);
  });

  test('a double tap on "Place order" sends one request and places one order', async ({ page, request }, testInfo) => {
    const shopper = usShopper(testInfo);
    const posts = watchOrderPosts(page);
    // Keep the request in flight a while, as on a slow phone connection.
    await page.route('**/api/orders', async (route) => {
      if (route.request().method() === 'POST') await new Promise((r) => setTimeout(r, 2000));
      return route.fallback();
    });
    await addProducts(page, ['Stoneware mug']);
    const dialog = await startCheckout(page, 1);
    await continueToReview(dialog, shopper);

    const placeOrder = button(dialog, 'Place order');
    const box = (await placeOrder.boundingBox())!;
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    await page.touchscreen.tap(x, y);
    await page.touchscreen.tap(x, y);
    await expect(dialog.getByText(MESSAGES.placing)).toBeVisible();
    await expect(placeOrder, 'disabled while sending').toBeDisabled();

    const orderId = await expectConfirmation(dialog, shopper.email);
    expect(posts, 'POST requests to the order endpoint').toHaveLength(1);
    const orders = await ordersOf(request, shopper.email);
    expect(orders).toHaveLength(1);
    expect(orders[0].order_id).toBe(orderId);
  });

  test('the shop refuses the order (422 Out of stock): the message is shown, the form is kept, no order', async ({
    page,
    request,
  }, testInfo) => {
    const shopper = usShopper(testInfo);
    await page.route('**/api/orders', (route) =>
      route.request().method() === 'POST'
        ? route.fulfill({
            status: 422,
            contentType: 'application/json',
            body: JSON.stringify({ error: 'Out of stock: Stoneware mug' }),
          })
        : route.fallback(),
    );
    await addProducts(page, ['Stoneware mug']);
    const dialog = await startCheckout(page, 1);
    await continueToReview(dialog, shopper);
    await button(dialog, 'Place order').tap();

    await expect(dialog.getByRole('alert').filter({ hasText: 'Out of stock: Stoneware mug' })).toBeVisible();
    await expectStep(dialog, 3);
    await expect(button(dialog, 'Place order')).toBeEnabled();
    await expect(dialog).toContainText(shopper.email);
    await expect(dialog.getByRole('heading', { name: 'Thank you for your order' })).toHaveCount(0);
    await button(dialog, 'Edit contact & address').tap();
    await expectStep(dialog, 1);
    for (const f of US_FIELDS) {
      await expect(field(dialog, f.label), `${f.label} kept`).toHaveValue(shopper[f.key]);
    }
    expect(await ordersOf(request, shopper.email), 'nothing stored').toHaveLength(0);
    expect(await page.evaluate(() => localStorage.getItem('kago.cart') ?? ''), 'cart kept').toContain('MUG-002');
  });

  test('keyboard: Enter on "Place order" keeps focus on it while sending and after a refusal', async ({ page }, testInfo) => {
    const shopper = usShopper(testInfo);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/orders', async (route) => {
      if (route.request().method() !== 'POST') return route.fallback();
      await held;
      return route.fulfill({ status: 422, contentType: 'application/json', body: JSON.stringify({ error: 'Out of stock' }) });
    });
    await addProducts(page, ['Stoneware mug']);
    const dialog = await startCheckout(page, 1);
    await continueToReview(dialog, shopper);
    const placeOrder = button(dialog, 'Place order');
    await tabTo(page, placeOrder);
    await page.keyboard.press('Enter');
    await expect(dialog.getByText(MESSAGES.placing)).toBeVisible();
    await expect(placeOrder, 'disabled while sending').toBeDisabled();
    await expect.poll(() => hasFocus(placeOrder), { message: 'focus stays while sending' }).toBe(true);
    release();
    await expect(dialog.getByRole('alert').filter({ hasText: 'Out of stock' })).toBeVisible();
    await expect(placeOrder).toBeEnabled();
    await expect.poll(() => hasFocus(placeOrder), { message: 'focus stays after the refusal' }).toBe(true);
  });

  test('discount codes: an unknown code, a code below its minimum, then WELCOME10 applied and removed', async ({
    page,
  }, testInfo) => {
    const shopper = usShopper(testInfo);
    await addProducts(page, ['Stoneware mug']);
    let dialog = await startCheckout(page, 1);
    await continueToDelivery(dialog, shopper);

    await button(dialog, 'Add a discount code').tap();
    const code = field(dialog, 'Discount code');
    await code.fill('NOPE');
    await button(dialog, 'Apply').tap();
    await expect(dialog.getByText('This code is not valid.')).toBeVisible();
    await expect(code, 'the typed code is kept').toHaveValue('NOPE');
    await code.fill('WELCOME10');
    await button(dialog, 'Apply').tap();
    await expect(dialog.getByText('This code needs a subtotal of at least $30.00.')).toBeVisible();
    await expect(summaryValue(dialog, 'Discount'), 'no discount row').toHaveCount(0);
    await expectTotals(dialog, { Subtotal: '$18.50', Shipping: '$5.00', Tax: '$1.88', Total: '$25.38' });

    // Add a tee: back to the cart, close it, add from the shop, and check out again.
    await button(dialog, 'Back').tap();
    await expectStep(dialog, 1);
    await button(dialog, 'Back to cart').tap();
    await cartDialog(page).getByRole('button', { name: 'Close', exact: true }).tap();
    await expect(cartDialog(page)).toBeHidden();
    await addToCart(page, 'Organic cotton tee').tap();
    dialog = await startCheckout(page, 2);
    await expect(field(dialog, 'Email')).toHaveValue(shopper.email);
    await button(dialog, 'Continue to delivery').tap();
    await expectStep(dialog, 2);

    if (!(await field(dialog, 'Discount code').isVisible())) await button(dialog, 'Add a discount code').tap();
    await field(dialog, 'Discount code').fill('welcome10');
    await button(dialog, 'Apply').tap();
    await expect(dialog.getByText('Code WELCOME10 applied.')).toBeVisible();
    // 42.50 − 4.25 = 38.25; + 5.00 shipping; tax 8% of 43.25 = 3.46; total 46.71
    await expect(summaryValue(dialog, 'Discount')).toHaveText('−$4.25');
    await expectTotals(dialog, { Subtotal: '$42.50', Shipping: '$5.00', Tax: '$3.46', Total: '$46.71' });

    await button(dialog, 'Remove code WELCOME10').tap();
    await expect(summaryValue(dialog, 'Discount')).toHaveCount(0);
    await expectTotals(dialog, { Subtotal: '$42.50', Shipping: '$5.00', Tax: '$3.80', Total: '$51.30' });
    const events = (await kagoEvents(page)).map((e) => e.type);
    expect(events.filter((t) => t === 'kago:discount_rejected'), 'two rejected codes').toHaveLength(2);
    expect(events.filter((t) => t === 'kago:discount_applied'), 'one applied code').toHaveLength(1);
  });

  test('a code whose minimum the cart no longer reaches says so, gives nothing, and is not sent with the order', async ({
    page,
  }, testInfo) => {
    const shopper = usShopper(testInfo);
    const posts = watchOrderPosts(page);
    await addProducts(page, ['Stoneware mug', 'Organic cotton tee']);
    let dialog = await startCheckout(page, 2);
    await continueToDelivery(dialog, shopper);
    await applyCode(dialog, 'WELCOME10');
    await expect(dialog.getByText('Code WELCOME10 applied.')).toBeVisible();

    // Back to the cart, the tee goes: $18.50 is below the code's $30.00 minimum.
    await button(dialog, 'Back').tap();
    await button(dialog, 'Back to cart').tap();
    await cartDialog(page).getByRole('button', { name: 'Remove Organic cotton tee (M / Indigo)', exact: true }).tap();
    await expect(cartButton(page, 1)).toBeVisible();
    await cartDialog(page).getByRole('button', { name: 'Checkout', exact: true }).tap();
    dialog = checkoutDialog(page);
    await button(dialog, 'Continue to delivery').tap();
    await expectStep(dialog, 2);
    await expect(
      dialog.getByText('Code WELCOME10 is not applied now. This code needs a subtotal of at least $30.00.'),
    ).toBeVisible();
    await expect(summaryValue(dialog, 'Discount'), 'no discount row').toHaveCount(0);
    await expect(button(dialog, 'Remove code WELCOME10'), 'the shopper can still remove it').toBeVisible();
    await button(dialog, 'Review order').tap();
    await expectStep(dialog, 3);
    await expectTotals(dialog, { Subtotal: '$18.50', Shipping: '$5.00', Tax: '$1.88', Total: '$25.38' });
    await button(dialog, 'Place order').tap();
    await expectConfirmation(dialog, shopper.email);
    expect(posts).toHaveLength(1);
    const body = postedBody(posts[0]);
    expect(body.discount_code, 'a code that gave nothing is not sent').toBeNull();
    expect(body.totals.discount).toBe(0);
  });

  test('a reload on the confirmation shows it again; once closed it stays closed', async ({ page }, testInfo) => {
    const shopper = usShopper(testInfo);
    await addProducts(page, ['Stoneware mug']);
    let dialog = await startCheckout(page, 1);
    await continueToReview(dialog, shopper);
    await button(dialog, 'Place order').tap();
    const orderId = await expectConfirmation(dialog, shopper.email);
    await page.reload();
    dialog = checkoutDialog(page);
    await expect(dialog.getByText(`Order number: ${orderId}`, { exact: true })).toBeVisible();
    await expect(dialog.getByText('Total: $25.38', { exact: true })).toBeVisible();
    await expect(cartButton(page, 0), 'the cart stays empty').toBeAttached();
    await button(dialog, 'Continue shopping').tap();
    await expect(dialog).toBeHidden();
    await page.reload();
    await expect(cartButton(page, 0)).toBeVisible();
    await expect(page.getByRole('dialog')).toHaveCount(0);
    const kept = await page.evaluate(() => JSON.parse(sessionStorage.getItem('kago.checkout') ?? '{}'));
    expect(kept.placed ?? null, 'the placed order is not kept once closed').toBeNull();
    expect(kept.values ?? {}, 'nor anything typed').toEqual({});
  });

  test('a code typed but not applied yet is kept across a reload', async ({ page }, testInfo) => {
    const shopper = usShopper(testInfo);
    await addProducts(page, ['Stoneware mug']);
    let dialog = await startCheckout(page, 1);
    await continueToDelivery(dialog, shopper);
    await button(dialog, 'Add a discount code').tap();
    await field(dialog, 'Discount code').fill('WELC');
    await page.reload();
    dialog = checkoutDialog(page);
    await expectStep(dialog, 2);
    await expect(field(dialog, 'Discount code'), 'the field is open with what was typed').toHaveValue('WELC');
  });

  test('checkout needs a cart: emptied during checkout it gives way to the empty cart; openCheckout() on an empty cart opens the cart', async ({
    page,
  }) => {
    const posts = watchOrderPosts(page);
    await addProducts(page, ['Stoneware mug']);
    await startCheckout(page, 1);
    // As another tab or a script would: the last line goes while the checkout is open.
    await page.evaluate(() => window.Kago!.removeItem('MUG-002'));
    await expect(cartDialog(page)).toBeVisible();
    await expect(cartDialog(page).getByText('Your cart is empty.')).toBeVisible();
    await expect(checkoutDialog(page)).toHaveCount(0);
    await cartDialog(page).getByRole('button', { name: 'Close', exact: true }).tap();
    await expect(cartDialog(page)).toBeHidden();

    await page.evaluate(() => window.Kago!.openCheckout());
    await expect(cartDialog(page)).toBeVisible();
    await expect(cartDialog(page).getByText('Your cart is empty.')).toBeVisible();
    await expect(checkoutDialog(page)).toHaveCount(0);
    expect(posts, 'nothing was ordered').toHaveLength(0);
  });

  test('the exit question keeps support in reach', async ({ page }) => {
    await addProducts(page, ['Stoneware mug']);
    const dialog = await startCheckout(page, 1);
    await expect(dialog).toBeVisible();
    await page.keyboard.press('Escape');
    const question = page.getByRole('dialog');
    await expect(question.getByText('Before you go: what stopped you?')).toBeVisible();
    await expect(question.getByRole('link', { name: 'Contact support' })).toBeVisible();
  });

  test('keyboard: applying a code with Enter and removing it keep focus in the discount field', async ({ page }, testInfo) => {
    const shopper = usShopper(testInfo);
    await addProducts(page, ['Stoneware mug', 'Organic cotton tee']);
    const dialog = await startCheckout(page, 2);
    await continueToDelivery(dialog, shopper);
    const toggle = button(dialog, 'Add a discount code');
    await tabTo(page, toggle);
    await page.keyboard.press('Enter');
    const code = field(dialog, 'Discount code');
    await expect.poll(() => hasFocus(code), { message: 'the toggle opens the field and focuses it' }).toBe(true);
    await page.keyboard.type('WELCOME10');
    await page.keyboard.press('Enter');
    await expect(dialog.getByText('Code WELCOME10 applied.')).toBeVisible();
    const remove = button(dialog, 'Remove code WELCOME10');
    await expect.poll(() => hasFocus(remove), { message: 'focus on "Remove code" once applied' }).toBe(true);
    await page.keyboard.press('Enter');
    await expect(summaryValue(dialog, 'Discount')).toHaveCount(0);
    await expect.poll(() => hasFocus(code), { message: 'focus back in the code field once removed' }).toBe(true);
  });

  test('removing a code applied before a reload opens the code field and focuses it', async ({ page }, testInfo) => {
    const shopper = usShopper(testInfo);
    await addProducts(page, ['Stoneware mug']);
    let dialog = await startCheckout(page, 1);
    await continueToDelivery(dialog, shopper);
    await applyCode(dialog, 'FIVEOFF');
    await expect(dialog.getByText('Code FIVEOFF applied.')).toBeVisible();
    await page.reload();
    dialog = checkoutDialog(page);
    await expectStep(dialog, 2);
    const remove = button(dialog, 'Remove code FIVEOFF');
    await remove.focus();
    await page.keyboard.press('Enter');
    const code = field(dialog, 'Discount code');
    await expect.poll(() => hasFocus(code), { message: 'focus in the code field, not lost to the page' }).toBe(true);
  });

  test('switching to Express updates shipping and total at once', async ({ page }, testInfo) => {
    const shopper = usShopper(testInfo);
    await addProducts(page, ['Stoneware mug']);
    const dialog = await startCheckout(page, 1);
    await continueToDelivery(dialog, shopper);

    const standard = option(dialog, 'Standard');
    const express = option(dialog, 'Express');
    await expect(standard).toBeChecked();
    await expect(standard).toHaveAccessibleName(/\$5\.00/);
    await expect(standard).toHaveAccessibleName(/3–5 business days/);
    await expect(express).toHaveAccessibleName(/\$15\.00/);
    await expect(express).toHaveAccessibleName(/1–2 business days/);
    await expect(option(dialog, 'Card')).toHaveAccessibleName(/You pay on our secure payment page\./);
    await expect(option(dialog, 'Bank transfer')).toBeVisible();
    await expect(option(dialog, 'Cash on delivery')).toBeVisible();
    await expectTotals(dialog, { Subtotal: '$18.50', Shipping: '$5.00', Tax: '$1.88', Total: '$25.38' });

    await express.tap();
    await expect(express).toBeChecked();
    // 18.50 + 15.00 = 33.50; tax 8% = 2.68; total 36.18 — without pressing anything else.
    for (const [label, value] of [
      ['Shipping', '$15.00'],
      ['Tax', '$2.68'],
      ['Total', '$36.18'],
    ] as const) {
      await expect(summaryValue(dialog, label), `${label} at once`).toHaveText(value, { timeout: 1000 });
    }
    expect((await kagoEvents(page)).map((e) => e.type)).toContain('kago:shipping_selected');
  });

  test('no axe violations at any step, with errors shown, and on the confirmation', async ({ page }, testInfo) => {
    // Each axe scan of the page takes seconds on a busy runner: a whole purchase plus several scans.
    test.slow();
    const shopper = usShopper(testInfo);
    await addProducts(page, ['Organic cotton tee']);
    const dialog = await startCheckout(page, 1);
    expect(await axeViolations(page), 'step 1').toEqual([]);

    await button(dialog, 'Continue to delivery').tap();
    await expectFieldError(dialog, field(dialog, 'Email'), MESSAGES.required);
    expect(await axeViolations(page), 'step 1 with errors').toEqual([]);

    await continueToDelivery(dialog, shopper);
    expect(await axeViolations(page), 'step 2').toEqual([]);
    await applyCode(dialog, 'NOPE');
    await expect(dialog.getByText('This code is not valid.')).toBeVisible();
    expect(await axeViolations(page), 'step 2 with a rejected code').toEqual([]);

    await button(dialog, 'Review order').tap();
    await expectStep(dialog, 3);
    expect(await axeViolations(page), 'step 3').toEqual([]);

    await button(dialog, 'Place order').tap();
    await expectConfirmation(dialog, shopper.email);
    expect(await axeViolations(page), 'confirmation').toEqual([]);
  });
});

/** A 1280×800 desktop with mouse and keyboard: wide enough for the one-page checkout. */
const DESKTOP = {
  viewport: { width: 1280, height: 800 },
  deviceScaleFactor: 1,
  isMobile: false,
  hasTouch: false,
  userAgent: devices['Desktop Chrome'].userAgent,
};

test.describe('checkout with the keyboard only (desktop)', () => {
  test.use(DESKTOP);

  test('a keyboard-only shopper buys with Tab, Shift+Tab, Enter, Space and arrow keys', async ({
    page,
    request,
  }, testInfo) => {
    const shopper = usShopper(testInfo);
    await page.goto('/');
    await expect(cartButton(page, 0)).toBeVisible();

    await tabTo(page, addToCart(page, 'Organic cotton tee'));
    await page.keyboard.press('Enter');
    await expect(cartButton(page, 1)).toBeVisible();
    await page.keyboard.press('Enter');
    await expect(cartButton(page, 2)).toBeVisible();
    await tabTo(page, addToCart(page, 'Stoneware mug'));
    await page.keyboard.press('Space');
    await expect(cartButton(page, 3)).toBeVisible();

    await tabTo(page, cartButton(page, 3));
    await page.keyboard.press('Enter');
    await expect(cartDialog(page)).toBeVisible();
    await expect.poll(() => containsFocus(cartDialog(page)), { message: 'focus in the drawer' }).toBe(true);
    await tabTo(page, cartDialog(page).getByRole('button', { name: 'Checkout', exact: true }));
    await page.keyboard.press('Enter');

    // 1280 px wide: the whole checkout is one page.
    const dialog = checkoutDialog(page);
    await expectOnePage(dialog);
    await expect.poll(() => containsFocus(dialog), { message: 'focus stays in the checkout' }).toBe(true);
    for (const f of US_FIELDS) {
      await tabTo(page, field(dialog, f.label));
      await page.keyboard.type(shopper[f.key]);
    }
    // Shift+Tab back to State: the value is still there. Enter in ZIP checks the address and
    // moves on to delivery; it does not place the order.
    await tabTo(page, field(dialog, 'State'), { shift: true, max: 5 });
    await expect(field(dialog, 'State')).toHaveValue(shopper.region);
    await tabTo(page, field(dialog, 'ZIP code'), { max: 5 });
    await page.keyboard.press('Enter');
    await expect
      .poll(() => hasFocus(dialog.getByRole('heading', { name: STEPS[2], exact: true })), {
        message: 'Enter in the last field moves focus to "Delivery & payment"',
      })
      .toBe(true);
    expect(await ordersOf(request, shopper.email), 'Enter does not place the order').toHaveLength(0);

    await tabTo(page, option(dialog, 'Standard'));
    await page.keyboard.press('ArrowDown');
    await expect(option(dialog, 'Express')).toBeChecked();
    await expect(summaryValue(dialog, 'Shipping')).toHaveText('$15.00');
    await tabTo(page, option(dialog, 'Card'));
    await page.keyboard.press('ArrowDown');
    await expect(option(dialog, 'Bank transfer')).toBeChecked();

    // The order beside the form: every line and total, updated at once.
    await expect(dialog.getByRole('region', { name: 'Items', exact: true }).getByRole('listitem')).toHaveCount(2);
    // 66.50 + 15.00 = 81.50; tax 8% = 6.52; total 88.02
    await expectTotals(dialog, { Subtotal: '$66.50', Shipping: '$15.00', Tax: '$6.52', Total: '$88.02' });
    await tabTo(page, button(dialog, 'Place order'));
    await page.keyboard.press('Space');

    const orderId = await expectConfirmation(dialog, shopper.email);
    await expect.poll(() => containsFocus(dialog), { message: 'focus stays in the dialog (confirmation)' }).toBe(true);
    const orders = await ordersOf(request, shopper.email);
    expect(orders).toHaveLength(1);
    expect(orders[0].order_id).toBe(orderId);
    expect(orders[0].body.shipping_method).toBe('express');
    expect(orders[0].body.payment_method).toBe('bank');
    expect(orders[0].body.totals).toEqual({
      subtotal: 6650,
      discount: 0,
      shipping: 1500,
      tax: 652,
      tax_included: false,
      total: 8802,
    });
    await tabTo(page, button(dialog, 'Continue shopping'));
    await page.keyboard.press('Enter');
    await expect(cartButton(page, 0)).toBeVisible();
  });
});

test.describe('checkout on a wide screen', () => {
  test.use(DESKTOP);

  test('the host page does not scroll under the open drawer: wheel over the backdrop, or past the end of the list', async ({
    page,
  }) => {
    await page.goto('/');
    await addToCart(page, 'Stoneware mug').click();
    await cartButton(page, 1).click();
    await expect(cartDialog(page)).toBeVisible();
    // A long host page (the demo fits a desktop screen).
    await page.evaluate(() => {
      const tall = document.createElement('div');
      tall.style.height = '3000px';
      document.body.append(tall);
    });
    expect(await page.evaluate(() => document.documentElement.scrollHeight > innerHeight), 'the page can scroll').toBe(true);
    const scrollY = () => page.evaluate(() => window.scrollY);
    await page.mouse.move(200, 400); // the backdrop, left of the drawer
    await page.mouse.wheel(0, 600);
    await page.waitForTimeout(300);
    expect(await scrollY(), 'over the backdrop').toBe(0);
    const lines = cartDialog(page).getByRole('list', { name: 'Items in your cart' });
    const box = (await lines.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, 600);
    await page.waitForTimeout(300);
    expect(await scrollY(), 'over the list, which is at its end').toBe(0);
    await cartDialog(page).getByRole('button', { name: 'Close', exact: true }).click();
    await page.mouse.wheel(0, 300);
    await expect.poll(scrollY, { message: 'the closed drawer leaves the page scrolling' }).toBeGreaterThan(0);
  });

  test('one page: Place order checks the form first, totals follow the choices, resizing keeps everything, one order', async ({
    page,
    request,
  }, testInfo) => {
    const shopper = usShopper(testInfo);
    const posts = watchOrderPosts(page);
    await recordKagoEvents(page);
    await page.goto('/');
    await addToCart(page, 'Organic cotton tee').click();
    await expect(cartButton(page, 1)).toBeVisible();
    await addToCart(page, 'Stoneware mug').click();
    await expect(cartButton(page, 2)).toBeVisible();
    await cartButton(page, 2).click();
    await cartDialog(page).getByRole('button', { name: 'Checkout', exact: true }).click();
    const dialog = checkoutDialog(page);
    await expectOnePage(dialog);
    const box = await dialog.boundingBox();
    expect(box?.width ?? 0, 'the one-page drawer is wider than the phone sheet').toBeGreaterThan(800);

    // Place order with an empty form: every message, focus on the first field, nothing sent.
    await button(dialog, 'Place order').click();
    await expectFieldError(dialog, field(dialog, 'Email'), MESSAGES.required);
    await expect.poll(() => hasFocus(field(dialog, 'Email'))).toBe(true);
    await fillUsContact(dialog, { ...shopper, email: 'ada@example' });
    await button(dialog, 'Place order').click();
    await expectFieldError(dialog, field(dialog, 'Email'), MESSAGES.email);
    await expect.poll(() => hasFocus(field(dialog, 'Email'))).toBe(true);
    await expect(field(dialog, 'City'), 'valid input is kept').toHaveValue(shopper.city);
    expect(posts, 'no order is sent while the form is wrong').toHaveLength(0);
    await field(dialog, 'Email').fill(shopper.email);

    // 24.00 + 18.50 = 42.50; standard 5.00; tax 8% of 47.50 = 3.80. Express: 15.00, tax 4.60.
    await expectTotals(dialog, { Subtotal: '$42.50', Shipping: '$5.00', Tax: '$3.80', Total: '$51.30' });
    await option(dialog, 'Express').check();
    await expectTotals(dialog, { Subtotal: '$42.50', Shipping: '$15.00', Tax: '$4.60', Total: '$62.10' });

    // A narrow window gets the steps, with everything typed and chosen; wide again, one page.
    await page.setViewportSize({ width: 412, height: 915 });
    await expectStep(dialog, 1);
    for (const f of US_FIELDS) {
      await expect(field(dialog, f.label), `${f.label} kept`).toHaveValue(shopper[f.key]);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    await expectOnePage(dialog);
    await expect(field(dialog, 'ZIP code')).toHaveValue(shopper.postalCode);
    await expect(option(dialog, 'Express')).toBeChecked();

    await button(dialog, 'Place order').dblclick();
    const orderId = await expectConfirmation(dialog, shopper.email);
    const orders = await ordersOf(request, shopper.email);
    expect(orders.map((o) => o.order_id)).toEqual([orderId]);
    expect(orders[0].body.shipping_method).toBe('express');
    expect(orders[0].body.totals.total).toBe(6210);
    expect(posts, 'a double click sends one request').toHaveLength(1);

    // The funnel sees one page as contact → delivery completed when the order is placed.
    const steps = (await kagoEvents(page))
      .filter((e) => e.type === 'kago:step_completed')
      .map((e) => (e.detail as { step: string }).step);
    expect(steps).toEqual(['contact', 'delivery']);
  });

  test('one page has no axe violations, with errors shown', async ({ page }, testInfo) => {
    await page.goto('/');
    await addToCart(page, 'Organic cotton tee').click();
    await cartButton(page, 1).click();
    await cartDialog(page).getByRole('button', { name: 'Checkout', exact: true }).click();
    const dialog = checkoutDialog(page);
    await expectOnePage(dialog);
    expect(await axeViolations(page)).toEqual([]);
    await button(dialog, 'Place order').click();
    await expectFieldError(dialog, field(dialog, 'Email'), MESSAGES.required);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: testInfo.outputPath('one-page.png') });
  });
});

test('Japanese shop: the address form in Japanese order, and a full-width postal code is accepted as 150-0001', async ({
  page,
  request,
}, testInfo) => {
  const email = uniqueEmail(testInfo, 'hanako');
  await page.goto('/ja.html');
  await page.locator('[data-kago-add][data-price="4800"]').tap();
  await page.getByRole('button', { name: 'カート、1点', exact: true }).tap();
  const cart = page.getByRole('dialog', { name: 'カート', exact: true });
  await cart.getByRole('button', { name: 'ご購入手続きへ', exact: true }).tap();
  const dialog = page.getByRole('dialog', { name: 'ご購入手続き', exact: true });
  await expect(dialog).toBeVisible();

  const positions: number[] = [];
  for (const f of JP_FIELDS) {
    const input = dialog.getByRole(f.role, { name: f.label, exact: true });
    await expect(input, f.label).toBeVisible();
    await expect(input, `${f.label}: autocomplete`).toHaveAttribute('autocomplete', f.autocomplete);
    positions.push(
      await input.evaluate((el) => {
        const form = el.closest('form');
        return form ? Array.from(form.querySelectorAll('input, select, textarea')).indexOf(el) : -1;
      }),
    );
  }
  expect(
    positions.every((p, i) => p >= 0 && (i === 0 || p > positions[i - 1])),
    `fields in the order ${JP_FIELDS.map((f) => f.label).join('、')} (positions ${positions.join(', ')})`,
  ).toBe(true);
  const postal = dialog.getByRole('textbox', { name: '郵便番号', exact: true });
  await expect(postal).toHaveAttribute('inputmode', 'numeric');

  // A wrong postal code is explained in Japanese.
  await postal.fill('１２３');
  await postal.press('Tab');
  await expectFieldError(dialog, postal, '郵便番号を7桁で入力してください（例: 150-0001）。');

  // The postal code fills the prefecture and city from Japan Post's data (japan.spec.ts): wait
  // for that before typing the rest, or a fill racing the lookup's answer types after it.
  await postal.fill('１５０００01');
  await expect(dialog.getByRole('textbox', { name: '市区町村', exact: true })).toHaveValue('渋谷区');
  const values: Record<string, string> = {
    メールアドレス: email,
    お名前: '山田 花子',
    市区町村: '渋谷区',
    番地: '道玄坂1-2-3',
  };
  for (const [label, value] of Object.entries(values)) {
    await dialog.getByRole('textbox', { name: label, exact: true }).fill(value);
  }
  await dialog.getByRole('combobox', { name: '都道府県', exact: true }).selectOption({ label: '東京都' });
  await postal.press('Tab');
  await expectNoFieldError(postal);
  await dialog.getByRole('button', { name: '配送・お支払いへ進む', exact: true }).tap();
  await expect(dialog.getByText('ステップ 2/3', { exact: true })).toBeVisible();
  await dialog.getByRole('button', { name: '注文内容を確認する', exact: true }).tap();
  await expect(dialog.getByText('ステップ 3/3', { exact: true })).toBeVisible();
  await expect(dialog, 'the review shows the normalised postal code').toContainText('150-0001');
  await dialog.getByRole('button', { name: '注文を確定する', exact: true }).tap();
  await expect(dialog.getByRole('heading', { name: 'ご注文ありがとうございます' })).toBeVisible({ timeout: 20_000 });

  const orders = await ordersOf(request, email);
  expect(orders).toHaveLength(1);
  const body = orders[0].body;
  expect(body.currency).toBe('JPY');
  expect(body.locale).toBe('ja');
  expect(body.totals.tax_included).toBe(true);
  expect(body.items).toEqual([
    { sku: 'BENTO-01', variant: '大', name: 'ひのきの弁当箱', quantity: 1, unit_price: 4800 },
  ]);
  expect(body.shipping_address).toEqual({
    country: 'JP',
    postal_code: '150-0001',
    region: '東京都',
    city: '渋谷区',
    line1: '道玄坂1-2-3',
    line2: null,
  });
  await expect(dialog).toContainText(`注文番号: ${orders[0].order_id}`);
});

test('the JS API: addItem, cart(), on(), removeItem, open/close, openCheckout and kago:* events', async ({
  page,
  watch,
}) => {
  await recordKagoEvents(page);
  await page.goto('/');
  await expect(cartButton(page, 0)).toBeVisible();
  await page.waitForFunction(() => typeof window.Kago?.addItem === 'function');
  await expect
    .poll(async () => (await kagoEvents(page)).map((e) => e.type), { message: 'kago:ready fired' })
    .toContain('kago:ready');

  const added = await page.evaluate(async () => {
    const calls: unknown[] = [];
    let heard: () => void = () => {};
    const firstHeard = new Promise<void>((resolve) => (heard = resolve));
    const off = window.Kago!.on('item_added', (detail) => {
      calls.push(detail);
      heard();
    });
    const first = window.Kago!.addItem({ sku: 'GIFT-1', name: 'Gift card', price: '25.00', variant: 'Blue', quantity: 2 });
    const cartAfterFirst = window.Kago!.cart();
    // Events reach listeners right after the frame that shows the change, not during the call.
    const callsDuringAdd = calls.length;
    await firstHeard;
    off();
    const second = window.Kago!.addItem({ sku: 'PIN-2', name: 'Enamel pin', price: 3.5 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    return { first, second, callsDuringAdd, calls: calls.length, firstDetail: JSON.stringify(calls[0] ?? null), cartAfterFirst };
  });
  expect(added.first, 'addItem returns true when it added').toBe(true);
  expect(added.second).toBe(true);
  expect(added.callsDuringAdd, 'listeners run after the frame, not inside addItem').toBe(0);
  expect(added.calls, 'on() callback ran once, not after unsubscribing').toBe(1);
  expect(added.firstDetail, 'the callback got the event detail').toContain('GIFT-1');
  // The documented fields, exactly; dist/kago.d.ts adds item_count and totals.tax_included.
  expect(added.cartAfterFirst).toMatchObject({
    currency: 'USD',
    // 50.00 + 5.00 shipping; tax 8% of 55.00 = 4.40
    totals: { subtotal: 5000, discount: 0, shipping: 500, tax: 440, total: 5940 },
  });
  expect(added.cartAfterFirst.items).toEqual([
    {
      id: 1, sku: 'GIFT-1', variant: 'Blue', name: 'Gift card', quantity: 2, unit_price: 2500, line_total: 5000,
      image: null, meta: {}, formatted: { unit_price: '$25.00', line_total: '$50.00' },
    },
  ]);
  await expect(cartButton(page, 3)).toBeVisible();
  let events = (await kagoEvents(page)).map((e) => e.type);
  expect(events.filter((t) => t === 'kago:item_added'), 'a kago:item_added event per addItem').toHaveLength(2);

  const pin = await page.evaluate(() => window.Kago!.cart().items.find((i) => i.sku === 'PIN-2'));
  expect(pin?.unit_price, 'a number price in major units').toBe(350);

  // Bad input: nothing added, false returned, a Kago: warning.
  const before = watch.consoleMessages.length;
  const bad = await page.evaluate(() => [
    window.Kago!.addItem({ sku: 'BAD-1', name: 'Vase', price: '1,200' }),
    window.Kago!.addItem({ sku: '', name: 'No sku', price: '1.00' }),
    window.Kago!.addItem(null as unknown as { sku: string; name: string; price: string }),
  ]);
  expect(bad, 'addItem returns false on bad input').toEqual([false, false, false]);
  // One console warning per refused call, from Kago, naming what is wrong.
  const warnings = () =>
    watch.consoleMessages.slice(before).filter((m) => m.type === 'warning' && /^Kago\b/.test(m.text));
  await expect.poll(() => warnings().length, { message: 'a Kago warning per bad addItem' }).toBe(3);
  expect(warnings()[0].text).toContain('1,200');
  expect(warnings()[1].text).toContain('sku');
  await expect(cartButton(page, 3)).toBeVisible();

  await page.evaluate(() => window.Kago!.removeItem('PIN-2'));
  await expect(cartButton(page, 2)).toBeVisible();
  expect((await page.evaluate(() => window.Kago!.cart())).items.map((i) => i.sku)).toEqual(['GIFT-1']);
  // kago:* events arrive right after the frame that shows the change, not with it.
  await expect.poll(async () => (await kagoEvents(page)).map((e) => e.type)).toContain('kago:item_removed');

  await page.evaluate(() => window.Kago!.open());
  await expect(cartDialog(page)).toBeVisible();
  await expect.poll(async () => (await kagoEvents(page)).map((e) => e.type)).toContain('kago:cart_viewed');
  await page.evaluate(() => window.Kago!.close());
  await expect(cartDialog(page)).toBeHidden();

  await page.evaluate(() => window.Kago!.openCheckout());
  await expectStep(checkoutDialog(page), 1);
  const all = await kagoEvents(page);
  expect(all.map((e) => e.type)).toContain('kago:checkout_started');
  expect(
    all.filter((e) => e.type === 'kago:step_viewed').map((e) => (e.detail as { step?: string })?.step),
  ).toEqual(['contact']);

  // A line at its maximum (99) takes no more: addItem then returns false.
  const capped = await page.evaluate(() => [
    window.Kago!.addItem({ sku: 'GIFT-1', name: 'Gift card', price: '25.00', variant: 'Blue', quantity: 99 }),
    window.Kago!.addItem({ sku: 'GIFT-1', name: 'Gift card', price: '25.00', variant: 'Blue', quantity: 1 }),
  ]);
  expect(capped, 'true while units were added, false once the line is at its maximum').toEqual([true, false]);
  expect((await page.evaluate(() => window.Kago!.cart())).items[0].quantity).toBe(99);
});

test('a shop that requires a phone number asks for it with a phone keyboard and sends it', async ({
  page,
  request,
}, testInfo) => {
  const shopper = usShopper(testInfo);
  await page.goto('/phone-required.html');
  await expect(cartButton(page, 0)).toBeVisible();
  await addToCart(page, 'Stoneware mug').tap();
  const dialog = await startCheckout(page, 1);
  const phone = field(dialog, 'Phone');
  await expect(phone).toBeVisible();
  await expect(phone).toHaveAttribute('type', 'tel');
  await expect(phone).toHaveAttribute('autocomplete', 'tel');
  const visibleLabel = await phone.evaluate((el) => (el as HTMLInputElement).labels?.[0]?.checkVisibility() ?? false);
  expect(visibleLabel, 'Phone has a visible <label>').toBe(true);

  await fillUsContact(dialog, shopper);
  await button(dialog, 'Continue to delivery').tap();
  await expectStep(dialog, 1);
  await expectFieldError(dialog, phone, MESSAGES.required);
  await expect.poll(() => hasFocus(phone), { message: 'focus on the empty phone field' }).toBe(true);
  await phone.fill('+1 212 555 0100');
  await button(dialog, 'Continue to delivery').tap();
  await expectStep(dialog, 2);
  await button(dialog, 'Review order').tap();
  await expectStep(dialog, 3);
  await button(dialog, 'Place order').tap();
  await expectConfirmation(dialog, shopper.email);
  const orders = await ordersOf(request, shopper.email);
  expect(orders).toHaveLength(1);
  expect(orders[0].body.contact).toEqual({ email: shopper.email, name: shopper.name, phone: '+1 212 555 0100' });
});

test('an answer with redirect_url takes the shopper to the payment page', async ({ page }, testInfo) => {
  const shopper = usShopper(testInfo);
  const paymentPage = 'https://pay.example.test/session/abc123';
  await page.route('**/api/orders', (route) =>
    route.request().method() === 'POST'
      ? route.fulfill({ status: 201, contentType: 'application/json', body: JSON.stringify({ redirect_url: paymentPage }) })
      : route.fallback(),
  );
  // The payment page itself, answered here: the test never leaves 127.0.0.1.
  await page.route('https://pay.example.test/**', (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>Pay</title><h1>Payment page</h1>' }),
  );
  await page.goto('/');
  await addProducts(page, ['Stoneware mug']);
  const dialog = await startCheckout(page, 1);
  await continueToReview(dialog, shopper);
  await button(dialog, 'Place order').tap();
  await expect(page).toHaveURL(paymentPage);
  await expect(page.getByRole('heading', { name: 'Payment page' })).toBeVisible();
});

test('a shop without data-order-endpoint: the checkout says it is not set up and the console says why', async ({
  page,
  watch,
}) => {
  await page.goto('/no-endpoint.html');
  await expect(cartButton(page, 0)).toBeVisible();
  await addToCart(page, 'Stoneware mug').tap();
  await cartButton(page, 1).tap();
  await cartDialog(page).getByRole('button', { name: 'Checkout', exact: true }).tap();
  const dialog = checkoutDialog(page);
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(MESSAGES.notConfigured);
  await expect(field(dialog, 'Email'), 'no form to fill in').toHaveCount(0);
  await expect
    .poll(() => kagoWarnings(watch.consoleMessages).map((m) => m.text), {
      message: 'a Kago: warning naming data-order-endpoint',
    })
    .toContainEqual(expect.stringContaining('data-order-endpoint'));
});

test('dist/kago.d.ts ships and declares window.Kago with the documented API', async ({ request }, testInfo) => {
  const file = path.join('dist', 'kago.d.ts');
  expect(fs.existsSync(file), `${file} exists`).toBe(true);
  const served = await request.get('/kago.d.ts');
  expect(served.status(), 'served next to kago.js').toBe(200);

  // A merchant's TypeScript using the documented API must type-check against it.
  const dir = testInfo.outputPath('dts');
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(file, path.join(dir, 'kago.d.ts'));
  const usage = path.join(dir, 'usage.ts');
  fs.writeFileSync(
    usage,
    `const kago = window.Kago!;
const ok: boolean = kago.addItem({ sku: 'A', name: 'B', price: '1.00', variant: 'M', quantity: 2, image: '/a.png' });
kago.addItem({ sku: 'A', name: 'B', price: 1 });
kago.removeItem('A');
kago.removeItem('A', 'M');
kago.open();
kago.close();
kago.openCheckout();
const cart = kago.cart();
const currency: string = cart.currency;
const line: { sku: string; name: string; quantity: number; unit_price: number } = cart.items[0];
const total: number = cart.totals.subtotal + cart.totals.discount + cart.totals.shipping + cart.totals.tax + cart.totals.total;
const off: () => void = kago.on('order_completed', (detail) => console.log(detail));
off();
// From the merchant's consent manager.
kago.consent(true);
// Every funnel event is also a kago:<type> event, the abandonment and after-purchase ones too.
kago.on('checkout_abandoned', (detail) => console.log(detail.reason, detail.trigger, detail.last_step));
kago.on('registration_accepted', () => {});
window.addEventListener('kago:checkout_abandoned', (e) => console.log(e.detail.duration_ms));
window.addEventListener('kago:checkout_feedback', (e) => console.log(e.detail));
window.addEventListener('kago:registration_prompt_shown', (e) => console.log(e.detail));
window.addEventListener('kago:registration_dismissed', (e) => console.log(e.detail));
export { ok, currency, line, total };
`,
  );
  const program = ts.createProgram([path.join(dir, 'kago.d.ts'), usage], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: [],
  });
  const diagnostics = ts
    .getPreEmitDiagnostics(program)
    .map((d) => `${d.file ? path.basename(d.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  expect(diagnostics, 'type errors using window.Kago with dist/kago.d.ts').toEqual([]);
});
