import type { Page, Request, TestInfo } from '@playwright/test';
import { test, expect, cartButton, hasFocus } from './fixtures';
import {
  addProducts,
  axeViolations,
  button,
  checkoutDialog,
  continueToReview,
  expectConfirmation,
  ordersOf,
  startCheckout,
  tabTo,
  usShopper,
} from './checkout-helpers';

// After the order: the optional registration prompt and the feedback question (issue 5), and
// the express wallet (Payment Request API, stubbed in the page since headless Chromium has no
// wallet). The registration endpoint is the demo server's real POST /api/register.

const PASSWORD = 'Correct-Horse-9-Battery';

async function buy(page: Pick<Page, 'goto'> & Page, testInfo: TestInfo, path = '/register.html') {
  await page.goto(path);
  const shopper = usShopper(testInfo);
  await addProducts(page, ['Stoneware mug']);
  const dialog = await startCheckout(page, 1);
  await continueToReview(dialog, shopper);
  await button(dialog, 'Place order').tap();
  const orderId = await expectConfirmation(dialog, shopper.email);
  return { dialog, shopper, orderId };
}

function registrationPosts(page: Page): Request[] {
  const posts: Request[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/register') posts.push(r);
  });
  return posts;
}

test('the prompt never appears before the order is placed', async ({ page }, testInfo) => {
  await page.goto('/register.html');
  await addProducts(page, ['Stoneware mug']);
  const dialog = await startCheckout(page, 1);
  const prompt = page.getByRole('heading', { name: 'Save your details for next time' });
  await expect(prompt).toHaveCount(0);
  await continueToReview(dialog, usShopper(testInfo));
  await expect(prompt).toHaveCount(0);
  await expect(page.getByLabel('Create a password')).toHaveCount(0);
});

test('after a purchase the prompt shows the incentive and the pre-filled e-mail, and registering sends exactly the documented body', async ({ page, request }, testInfo) => {
  const posts = registrationPosts(page);
  const consoleLines: string[] = [];
  page.on('console', (m) => consoleLines.push(m.text()));
  const { dialog, shopper, orderId } = await buy(page, testInfo);
  // The confirmation comes first and is complete without the prompt.
  await expect(dialog.getByText(`Order number: ${orderId}`)).toBeVisible();
  await expect(dialog.getByRole('heading', { name: 'Save your details for next time' })).toBeVisible();
  await expect(dialog.getByText('Create an account and get 10% off your next order.')).toBeVisible();
  const email = dialog.getByLabel('Email', { exact: true });
  await expect(email).toHaveValue(shopper.email);
  await expect(email).toHaveAttribute('autocomplete', 'username');
  const password = dialog.getByLabel('Create a password');
  await expect(password).toHaveAttribute('autocomplete', 'new-password');
  await expect(password).toHaveAttribute('type', 'password');
  const optIn = dialog.getByRole('checkbox', { name: 'Send me news and offers by e-mail' });
  await expect(optIn).not.toBeChecked();

  await password.fill('short');
  await expect(dialog.getByText('Use at least 8 characters.')).toBeVisible();
  await dialog.getByRole('button', { name: 'Show password' }).tap();
  await expect(password).toHaveAttribute('type', 'text');
  await dialog.getByRole('button', { name: 'Show password' }).tap();
  await expect(password).toHaveAttribute('type', 'password');
  await password.fill(PASSWORD);
  await expect(dialog.getByText('Strong password.')).toBeVisible();
  await button(dialog, 'Create account').tap();
  await expect(dialog.getByText('Your account is ready.')).toBeVisible();
  await expect(dialog.getByText(/^Your code: \S+/)).toBeVisible();

  expect(posts).toHaveLength(1);
  const body = JSON.parse(posts[0].postData() ?? '{}');
  expect(Object.keys(body).sort()).toEqual(['email', 'locale', 'marketing_opt_in', 'order_id', 'password']);
  expect(body).toEqual({ email: shopper.email, password: PASSWORD, order_id: orderId, marketing_opt_in: false, locale: 'en' });

  // The password is in no storage, no event payload and no console line.
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
  expect(stored).not.toContain(PASSWORD);
  const events = await request.get('/api/events');
  if (events.ok()) expect(await events.text()).not.toContain(PASSWORD);
  expect(consoleLines.join('\n')).not.toContain(PASSWORD);
  const orders = await ordersOf(request, shopper.email);
  expect(JSON.stringify(orders)).not.toContain(PASSWORD);
});

test('a too-short password or a bad e-mail is shown at the field, with focus on it, and nothing is sent', async ({ page }, testInfo) => {
  const posts = registrationPosts(page);
  const { dialog } = await buy(page, testInfo);
  const email = dialog.getByLabel('Email', { exact: true });
  const password = dialog.getByLabel('Create a password');
  await password.fill('abc');
  await button(dialog, 'Create account').tap();
  await expect(password).toHaveAttribute('aria-invalid', 'true');
  await expect.poll(() => hasFocus(password), { message: 'focus on the password field' }).toBe(true);
  await expect(dialog.locator('.kago-hint.kago-error'), 'the hint turns into the error').toHaveText('Use at least 8 characters.');
  await expect(email).toHaveAttribute('aria-invalid', 'false');

  await email.fill('shopper@');
  await password.fill(PASSWORD);
  await button(dialog, 'Create account').tap();
  const message = dialog.getByText('Enter an e-mail address like name@example.com.');
  await expect(message).toBeVisible();
  await expect(email).toHaveAttribute('aria-invalid', 'true');
  await expect(email).toHaveAccessibleDescription('Enter an e-mail address like name@example.com.');
  await expect.poll(() => hasFocus(email), { message: 'focus on the e-mail field' }).toBe(true);
  await expect(password).toHaveAttribute('aria-invalid', 'false');
  expect(posts, 'nothing sent while the form is wrong').toHaveLength(0);

  await email.fill(`fixed-${testInfo.workerIndex}-${Date.now()}@example.com`);
  await expect(message, 'the message goes once the e-mail is right').toBeHidden();
  await button(dialog, 'Create account').tap();
  await expect(dialog.getByText('Your account is ready.')).toBeVisible();
  expect(posts).toHaveLength(1);
});

test('an e-mail that already has an account gets the sign-in link', async ({ page }, testInfo) => {
  const first = await buy(page, testInfo);
  await first.dialog.getByLabel('Create a password').fill(PASSWORD);
  await button(first.dialog, 'Create account').tap();
  await expect(first.dialog.getByText('Your account is ready.')).toBeVisible();
  // A second browser (fresh storage) with the same e-mail: the shop answers 409.
  const other = await page.context().browser()!.newContext({ baseURL: testInfo.project.use.baseURL, viewport: { width: 412, height: 915 }, isMobile: true, hasTouch: true });
  const page2 = await other.newPage();
  await page2.goto('/register.html');
  await addProducts(page2, ['Stoneware mug']);
  const dialog = await startCheckout(page2, 1);
  await continueToReview(dialog, first.shopper);
  await button(dialog, 'Place order').tap();
  await expectConfirmation(dialog, first.shopper.email);
  await dialog.getByLabel('Create a password').fill(PASSWORD);
  await button(dialog, 'Create account').tap();
  await expect(dialog.getByText('You already have an account with this e-mail.')).toBeVisible();
  // data-register-signin-url="/signin", resolved against the page (README, "URLs").
  await expect(dialog.getByRole('link', { name: 'Sign in' })).toHaveAttribute('href', new URL('/signin', page2.url()).href);
  await other.close();
});

test('"No thanks" is remembered: a second purchase shows no prompt', async ({ page }, testInfo) => {
  const { dialog } = await buy(page, testInfo);
  await button(dialog, 'No thanks').tap();
  await expect(dialog.getByLabel('Create a password')).toBeHidden();
  await button(dialog, 'Continue shopping').tap();
  await expect(cartButton(page, 0)).toBeVisible();
  const again = await buy(page, testInfo);
  await expect(again.dialog.getByText(/^Order number:/)).toBeVisible();
  await expect(again.dialog.getByRole('heading', { name: 'Save your details for next time' })).toHaveCount(0);
});

test('link mode sends no password and confirms the link', async ({ page }, testInfo) => {
  const posts = registrationPosts(page);
  const { dialog, shopper, orderId } = await buy(page, testInfo, '/register-link.html');
  await expect(dialog.getByLabel('Create a password')).toHaveCount(0);
  await dialog.getByRole('checkbox', { name: 'Send me news and offers by e-mail' }).check();
  await button(dialog, 'E-mail me a sign-in link').tap();
  await expect(dialog.getByText(`We sent a sign-in link to ${shopper.email}.`)).toBeVisible();
  const body = JSON.parse(posts[0].postData() ?? '{}');
  expect(body).toEqual({ email: shopper.email, order_id: orderId, marketing_opt_in: true, locale: 'en' });
});

test('a registration that cannot reach the shop keeps the input and can be sent again', async ({ page }, testInfo) => {
  const { dialog } = await buy(page, testInfo);
  let fail = true;
  await page.route('**/api/register', (route) => (fail ? route.fulfill({ status: 503, body: '' }) : route.continue()));
  await dialog.getByLabel('Create a password').fill(PASSWORD);
  await button(dialog, 'Create account').tap();
  await expect(dialog.getByRole('alert')).toHaveText('We could not reach the shop. Your details are kept.');
  await expect(dialog.getByLabel('Create a password')).toHaveValue(PASSWORD);
  fail = false;
  await button(dialog, 'Create account').tap();
  await expect(dialog.getByText('Your account is ready.')).toBeVisible();
});

test('keyboard only: register after the purchase; axe finds nothing on the confirmation', async ({ page }, testInfo) => {
  // Each axe scan of the page takes seconds on a busy runner: a whole purchase plus several scans.
  test.slow();
  const { dialog } = await buy(page, testInfo);
  expect(await axeViolations(page)).toEqual([]);
  const password = dialog.getByLabel('Create a password');
  await tabTo(page, password);
  await page.keyboard.type(PASSWORD);
  await tabTo(page, button(dialog, 'Create account'));
  await page.keyboard.press('Enter');
  await expect(dialog.getByText('Your account is ready.')).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);
});

test('keyboard focus stays in the prompt while it sends, and moves to the answer', async ({ page }, testInfo) => {
  const { dialog } = await buy(page, testInfo);
  let fail = true;
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/api/register', async (route) => {
    await held;
    return fail ? route.fulfill({ status: 503, body: '' }) : route.continue();
  });
  await dialog.getByLabel('Create a password').fill(PASSWORD);
  const submit = button(dialog, 'Create account');
  await tabTo(page, submit);
  await page.keyboard.press('Enter');
  await expect(dialog.getByText('One moment…')).toBeVisible();
  await expect(submit).toBeDisabled();
  release();
  await expect(dialog.getByRole('alert')).toHaveText('We could not reach the shop. Your details are kept.');
  // The same button, not a rebuilt one: Enter again sends again.
  await expect.poll(() => hasFocus(submit)).toBe(true);
  fail = false;
  await page.keyboard.press('Enter');
  const outcome = dialog.getByRole('status').filter({ hasText: 'Your account is ready.' });
  await expect(outcome).toBeVisible();
  await expect.poll(() => hasFocus(outcome)).toBe(true);
  await expect(outcome, 'an answer that holds focus is not drawn as a control').toHaveCSS('outline-style', 'none');
  await expect(dialog.getByLabel('Create a password')).toBeHidden();
});

test('"No thanks" hides the prompt and leaves focus on "Continue shopping"', async ({ page }, testInfo) => {
  const { dialog } = await buy(page, testInfo);
  const noThanks = button(dialog, 'No thanks');
  await tabTo(page, noThanks);
  await page.keyboard.press('Enter');
  await expect(dialog.getByRole('heading', { name: 'Save your details for next time' })).toBeHidden();
  await expect.poll(() => hasFocus(button(dialog, 'Continue shopping'))).toBe(true);
});

test('one tap on "How easy was checkout?" sends the rating with the optional comment; focus goes to the thanks', async ({ page }, testInfo) => {
  // The comment is asked for where contact data may be sent (data-events-contact="on").
  const { dialog } = await buy(page, testInfo, '/feedback.html');
  await dialog.getByLabel('Anything we could do better? (optional)').fill('Faster than usual');
  const sent = page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/api/events' && (r.postData() ?? '').includes('checkout_feedback'), { timeout: 15_000 });
  await dialog.getByRole('button', { name: '4 of 5' }).tap();
  const thanks = dialog.getByText('Thank you for your feedback.');
  await expect(thanks).toBeVisible();
  await expect.poll(() => hasFocus(thanks), { message: 'focus on the thanks, not lost with the buttons' }).toBe(true);
  const batch = JSON.parse((await sent).postData() ?? '{}');
  const feedback = batch.events.find((e: { type: string }) => e.type === 'checkout_feedback');
  expect(feedback).toMatchObject({ rating: 4, comment: 'Faster than usual' });

  // A reload shows the confirmation again, but does not ask a second time.
  await page.reload();
  await expect(dialog.getByText('Thank you for your feedback.')).toBeVisible();
  await expect(dialog.getByRole('button', { name: '4 of 5' })).toHaveCount(0);
});

test('express wallet: the payment sheet supplies contact and address, and the order carries the wallet result', async ({ page, request }, testInfo) => {
  const email = `wallet.${Date.now().toString(36)}@example.com`;
  await page.addInitScript((payer: string) => {
    (window as unknown as { PaymentRequest: unknown }).PaymentRequest = class {
      constructor(public methods: unknown, public details: unknown, public options: unknown) {
        (window as unknown as { kagoSheet: unknown }).kagoSheet = { methods, details, options };
      }
      canMakePayment() {
        return Promise.resolve(true);
      }
      show() {
        return Promise.resolve({
          methodName: 'https://pay.example/wallet',
          details: { token: 'tok_demo' },
          payerEmail: payer,
          payerName: 'Wal Let',
          payerPhone: '',
          shippingAddress: { country: 'US', postalCode: '10001', region: 'NY', city: 'New York', addressLine: ['5 Wallet Way'] },
          complete(result: string) {
            (window as unknown as { kagoCompleted: string }).kagoCompleted = result;
            return Promise.resolve();
          },
        });
      }
    };
  }, email);
  await page.goto('/wallet.html');
  await addProducts(page, ['Stoneware mug']);
  const dialog = await startCheckout(page, 1);
  await button(dialog, 'Pay with wallet').tap();
  await expectConfirmation(checkoutDialog(page), email);
  expect(await page.evaluate(() => (window as unknown as { kagoCompleted: string }).kagoCompleted)).toBe('success');
  const sheet = await page.evaluate(() => (window as unknown as { kagoSheet: { details: { total: { amount: { value: string } } } } }).kagoSheet);
  expect(sheet.details.total.amount.value).toBe('25.38');
  const [order] = await ordersOf(request, email);
  expect(order.body.payment_method).toBe('wallet');
  expect((order.body as unknown as { wallet: unknown }).wallet).toEqual({ method_name: 'https://pay.example/wallet', details: { token: 'tok_demo' } });
  expect(order.body.shipping_address).toMatchObject({ line1: '5 Wallet Way', postal_code: '10001' });
});

test('no wallet button where the browser cannot pay', async ({ page }) => {
  // A browser with the Payment Request API but none of the merchant's wallets. (Chromium's own
  // check would fetch the payment method's manifest from its origin, which this page's strict
  // CSP does not allow — a merchant enabling a wallet adds its origin to connect-src.)
  await page.addInitScript(() => {
    (window as unknown as { PaymentRequest: unknown }).PaymentRequest = class {
      canMakePayment() {
        return Promise.resolve(false);
      }
      show() {
        return Promise.reject(new Error('not supported'));
      }
    };
  });
  await page.goto('/wallet.html');
  await addProducts(page, ['Stoneware mug']);
  const dialog = await startCheckout(page, 1);
  await expect(dialog.getByLabel('Email', { exact: true })).toBeVisible();
  await expect(button(dialog, 'Pay with wallet')).toHaveCount(0);
});
