import AxeBuilder from '@axe-core/playwright';
import type { APIRequestContext, Locator, Page, Request, TestInfo } from '@playwright/test';
import { addToCart, cartButton, cartDialog, expect, hasFocus } from './fixtures';

// Shared steps of the checkout tests (checkout.spec.ts). Everything is found by role and
// accessible name, as a shopper (or a screen reader) finds it.

/** The order body the widget sends (`core/src/order.rs`), as the demo server stores it. */
export type OrderBody = {
  idempotency_key: string;
  currency: string;
  items: { sku: string; variant: string | null; name: string; quantity: number; unit_price: number }[];
  totals: {
    subtotal: number;
    discount: number;
    shipping: number;
    tax: number;
    tax_included: boolean;
    total: number;
  };
  /** `name_kana` only where the shop asks for フリガナ (`required_fields`). */
  contact: { email: string; name: string; phone: string | null; name_kana?: string };
  shipping_address: {
    country: string;
    postal_code: string;
    region: string | null;
    city: string;
    line1: string;
    line2: string | null;
  };
  shipping_method: string;
  payment_method: string;
  discount_code: string | null;
  locale: string;
  /** `YYYY-MM-DD` and the slot's id, only when the shopper asked for a delivery date or time. */
  delivery_date?: string;
  delivery_slot?: string;
};

/** One row of `GET /api/orders`. */
export type StoredOrder = {
  order_id: string;
  idempotency_key: string;
  created_at: string;
  currency: string;
  total: number;
  body: OrderBody;
};

/** The JS API the widget puts on the host page (`dist/kago.d.ts` is the merchant's copy). */
export type KagoCart = {
  currency: string;
  items: { sku: string; variant: string | null; name: string; quantity: number; unit_price: number }[];
  totals: { subtotal: number; discount: number; shipping: number; tax: number; total: number };
  item_count: number;
};

export type KagoApi = {
  readonly ready: Promise<KagoApi>;
  addItem(item: {
    sku: string;
    name: string;
    price: string | number;
    variant?: string;
    quantity?: number;
    image?: string;
    meta?: Record<string, string>;
  }): boolean;
  removeItem(sku: string, variant?: string | null): boolean;
  setQuantity(sku: string, quantity: number): boolean;
  setQuantity(sku: string, variant: string | null, quantity: number): boolean;
  clear(): void;
  applyCode(code: string): boolean;
  removeCode(): void;
  prefill(details: Record<string, unknown>): void;
  setLocale(locale: string): boolean;
  subscribe(callback: (cart: KagoCart) => void): () => void;
  open(): void;
  close(): void;
  openCheckout(): void;
  cart(): KagoCart;
  consent(granted: boolean): void;
  on(name: string, callback: (detail: unknown) => void): () => void;
};

export type KagoEvent = { type: string; detail: unknown };

declare global {
  interface Window {
    Kago?: KagoApi;
    __kagoEvents?: KagoEvent[];
  }
}

/** Every `kago:<name>` event of the documented list. */
export const KAGO_EVENTS = [
  'ready',
  'item_added',
  'item_removed',
  'quantity_changed',
  'cart_viewed',
  'checkout_started',
  'step_viewed',
  'step_completed',
  'shipping_selected',
  'payment_selected',
  'discount_applied',
  'discount_rejected',
  'order_submitted',
  'order_completed',
  'order_failed',
  'order_corrected',
] as const;

/** Records every `kago:*` event on window from the first script on, in `window.__kagoEvents`. */
export async function recordKagoEvents(page: Page): Promise<void> {
  await page.addInitScript((names: readonly string[]) => {
    window.__kagoEvents = [];
    for (const name of names) {
      window.addEventListener(`kago:${name}`, (e) => {
        let detail: unknown = null;
        try {
          detail = JSON.parse(JSON.stringify((e as CustomEvent).detail ?? null));
        } catch {
          detail = '(not serialisable)';
        }
        window.__kagoEvents!.push({ type: e.type, detail });
      });
    }
  }, KAGO_EVENTS);
}

export async function kagoEvents(page: Page): Promise<KagoEvent[]> {
  return page.evaluate(() => window.__kagoEvents ?? []);
}

/** A shopper with an e-mail address no other test (or earlier run) uses. */
export function usShopper(testInfo: TestInfo) {
  return {
    email: uniqueEmail(testInfo, 'ada'),
    name: 'Ada Lovelace',
    line1: '350 Fifth Avenue',
    line2: 'Suite 21',
    city: 'New York',
    region: 'NY',
    postalCode: '10001',
  };
}

export type UsShopper = ReturnType<typeof usShopper>;

export function uniqueEmail(testInfo: TestInfo, name: string): string {
  const random = Math.random().toString(36).slice(2, 8);
  return `${name}.w${testInfo.workerIndex}.${Date.now().toString(36)}${random}@example.com`;
}

/** The US form's labels, in the order the form must show them. */
export const US_FIELDS = [
  { label: 'Email', autocomplete: 'email', key: 'email' },
  { label: 'Full name', autocomplete: 'name', key: 'name' },
  { label: 'Street address', autocomplete: 'address-line1', key: 'line1' },
  { label: 'Apartment, suite, building (optional)', autocomplete: 'address-line2', key: 'line2' },
  { label: 'City', autocomplete: 'address-level2', key: 'city' },
  { label: 'State', autocomplete: 'address-level1', key: 'region' },
  { label: 'ZIP code', autocomplete: 'postal-code', key: 'postalCode' },
] as const;

/** The Japanese form's labels (ja.html, country JP), in order; 都道府県 is a list. */
export const JP_FIELDS = [
  { label: 'メールアドレス', autocomplete: 'email', role: 'textbox' },
  { label: 'お名前', autocomplete: 'name', role: 'textbox' },
  { label: '郵便番号', autocomplete: 'postal-code', role: 'textbox' },
  { label: '都道府県', autocomplete: 'address-level1', role: 'combobox' },
  { label: '市区町村', autocomplete: 'address-level2', role: 'textbox' },
  { label: '番地', autocomplete: 'address-line1', role: 'textbox' },
  { label: '建物名・部屋番号（任意）', autocomplete: 'address-line2', role: 'textbox' },
] as const;

export const MESSAGES = {
  email: 'Enter an e-mail address like name@example.com.',
  zip: 'Enter a 5-digit ZIP code like 10001.',
  required: 'Please fill this in.',
  placing: 'Placing your order…',
  failed: 'We could not reach the shop. Your details are kept.',
  notConfigured: 'Checkout is not set up for this shop yet.',
} as const;

export const STEPS = {
  1: 'Contact & address',
  2: 'Delivery & payment',
  3: 'Review',
} as const;

/** The drawer once it shows the checkout: a dialog named "Checkout". */
export function checkoutDialog(page: Page): Locator {
  return page.getByRole('dialog', { name: 'Checkout', exact: true });
}

export function field(dialog: Locator, label: string): Locator {
  return dialog.getByRole('textbox', { name: label, exact: true });
}

export function button(dialog: Locator, name: string): Locator {
  return dialog.getByRole('button', { name, exact: true });
}

/** A delivery or payment option, by the method label its accessible name starts with. */
export function option(dialog: Locator, label: string): Locator {
  return dialog.getByRole('radio', { name: new RegExp(`^${escapeRegExp(label)}\\b`) });
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Adds products from the demo shop by tapping their "Add to cart" buttons, one tap each, and
 * waits for the cart count after each tap. `already` is the count before.
 */
export async function addProducts(page: Page, products: string[], already = 0): Promise<number> {
  let count = already;
  for (const product of products) {
    await addToCart(page, product).tap();
    count += 1;
    await expect(cartButton(page, count)).toBeVisible();
  }
  return count;
}

/** Opens the cart with `count` items and taps "Checkout": step 1 of 3. */
export async function startCheckout(page: Page, count: number): Promise<Locator> {
  await cartButton(page, count).tap();
  await expect(cartDialog(page)).toBeVisible();
  await cartDialog(page).getByRole('button', { name: 'Checkout', exact: true }).tap();
  const dialog = checkoutDialog(page);
  await expectStep(dialog, 1);
  return dialog;
}

/** "Step n of 3" and the step's own heading are shown. */
export async function expectStep(dialog: Locator, n: 1 | 2 | 3): Promise<void> {
  await expect(dialog, `the drawer is the "Checkout" dialog (step ${n})`).toBeVisible();
  await expect(dialog.getByRole('heading', { name: 'Checkout', exact: true, level: 2 })).toBeVisible();
  await expect(dialog.getByText(`Step ${n} of 3`, { exact: true })).toBeVisible();
  await expect(dialog.getByRole('heading', { name: STEPS[n], exact: true, level: 3 })).toBeVisible();
}

/**
 * Wide screens: one page with every part (contact & address, delivery & payment, review) and
 * one "Place order"; no step indicator and no "Continue" buttons.
 */
export async function expectOnePage(dialog: Locator): Promise<void> {
  await expect(dialog, 'the drawer is the "Checkout" dialog (one page)').toBeVisible();
  await expect(dialog.getByRole('heading', { name: 'Checkout', exact: true, level: 2 })).toBeVisible();
  for (const title of Object.values(STEPS)) {
    await expect(dialog.getByRole('heading', { name: title, exact: true, level: 3 })).toBeVisible();
  }
  await expect(dialog.getByText(/^Step \d of 3$/)).toHaveCount(0);
  await expect(button(dialog, 'Continue to delivery')).toHaveCount(0);
  await expect(button(dialog, 'Review order')).toHaveCount(0);
  await expect(button(dialog, 'Place order')).toBeVisible();
}

/** On the delivery step: opens the discount-code field, types `code` and taps Apply. */
export async function applyCode(dialog: Locator, code: string): Promise<void> {
  await button(dialog, 'Add a discount code').tap();
  await field(dialog, 'Discount code').fill(code);
  await button(dialog, 'Apply').tap();
}

/** Fills the US contact & address form by its labels. */
export async function fillUsContact(dialog: Locator, shopper: UsShopper): Promise<void> {
  for (const f of US_FIELDS) {
    await field(dialog, f.label).fill(shopper[f.key]);
  }
}

/** Step 1 → 2 with the shopper's contact and address. */
export async function continueToDelivery(dialog: Locator, shopper: UsShopper): Promise<void> {
  await fillUsContact(dialog, shopper);
  await button(dialog, 'Continue to delivery').tap();
  await expectStep(dialog, 2);
}

/** Step 1 → 2 → 3 with the pre-selected delivery and payment. */
export async function continueToReview(dialog: Locator, shopper: UsShopper): Promise<void> {
  await continueToDelivery(dialog, shopper);
  await button(dialog, 'Review order').tap();
  await expectStep(dialog, 3);
}

/** The `order_id` shown as "Order number: …", once the confirmation is up. */
export async function expectConfirmation(dialog: Locator, email: string): Promise<string> {
  await expect(dialog.getByRole('heading', { name: 'Thank you for your order' })).toBeVisible({ timeout: 20_000 });
  const number = dialog.getByText(/^\s*Order number: \S+\s*$/);
  await expect(number).toBeVisible();
  await expect(
    dialog.getByText(new RegExp(escapeRegExp(email))).first(),
    'the next steps name the e-mail',
  ).toBeVisible();
  await expect(button(dialog, 'Continue shopping')).toBeVisible();
  const text = (await number.textContent()) ?? '';
  return text.replace(/^\s*Order number:\s*/, '').trim();
}

/** Every order the demo server stored, oldest first. */
export async function storedOrders(request: APIRequestContext): Promise<StoredOrder[]> {
  const response = await request.get('/api/orders');
  expect(response.status(), 'GET /api/orders').toBe(200);
  expect(response.headers()['content-type']).toBe('application/json');
  return ((await response.json()) as { orders: StoredOrder[] }).orders;
}

/** The stored orders of one shopper (tests run in parallel and the server may be reused). */
export async function ordersOf(request: APIRequestContext, email: string): Promise<StoredOrder[]> {
  return (await storedOrders(request)).filter((o) => o.body?.contact?.email === email);
}

/** Collects every POST the page sends to the order endpoint (whether answered or not). */
export function watchOrderPosts(page: Page): Request[] {
  const posts: Request[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/orders') posts.push(r);
  });
  return posts;
}

export function postedBody(request: Request): OrderBody {
  return JSON.parse(request.postData() ?? 'null') as OrderBody;
}

/** Checks the field's error: visible text, `aria-describedby` pointing at it, `aria-invalid`. */
export async function expectFieldError(dialog: Locator, input: Locator, message: string): Promise<void> {
  await expect(input, `${message}: aria-invalid`).toHaveAttribute('aria-invalid', 'true');
  await expect(input, `${message}: in the input's description`).toHaveAccessibleDescription(
    new RegExp(escapeRegExp(message)),
  );
  const described = await input.evaluate((el, text) => {
    const root = el.getRootNode() as Document | ShadowRoot;
    const ids = (el.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
    return ids.some((id) => {
      const target = root.getElementById(id);
      return !!target && (target.textContent ?? '').includes(text) && target.checkVisibility();
    });
  }, message);
  expect(described, `a visible element referenced by aria-describedby says "${message}"`).toBe(true);
  await expect(dialog.getByText(message, { exact: true }).first()).toBeVisible();
}

export async function expectNoFieldError(input: Locator): Promise<void> {
  await expect(input).not.toHaveAttribute('aria-invalid', 'true');
}

/**
 * Presses Tab (or Shift+Tab) until `target` has focus, as a keyboard user would; fails
 * after `max` presses.
 */
export async function tabTo(page: Page, target: Locator, opts: { shift?: boolean; max?: number } = {}) {
  const key = opts.shift ? 'Shift+Tab' : 'Tab';
  const max = opts.max ?? 40;
  for (let i = 0; i < max; i++) {
    if (await hasFocus(target)) return;
    await page.keyboard.press(key);
  }
  expect(await hasFocus(target), `${key} reaches ${target} within ${max} presses`).toBe(true);
}

/** axe-core on the widget only, WCAG 2.0/2.1 A+AA and 2.2 AA. */
export async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .include('kago-widget')
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  return results.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
  );
}
