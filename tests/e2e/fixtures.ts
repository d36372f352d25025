import { test as base, expect, type Locator, type Page } from '@playwright/test';
import { ADMIN_TOKEN } from './admin';

export { expect };

/** `tab` names a page other than the test's own ("tab 2"), opened in its context. */
export type ConsoleEntry = { type: string; text: string; tab?: string };
export type CspViolation = { directive: string; blocked: string; sample: string };

type Watch = {
  /** Every console message of the page so far. */
  consoleMessages: ConsoleEntry[];
  /** Uncaught exceptions in the page (or another tab of its context, prefixed "tab N: "). */
  pageErrors: string[];
  /** `securitypolicyviolation` events seen so far (read from the page). */
  cspViolations: () => Promise<CspViolation[]>;
};

declare global {
  interface Window {
    __kagoCspViolations?: CspViolation[];
    kagoPwned?: unknown;
  }
}

/**
 * Every test collects console messages and page errors (of every tab it opens) and CSP violations, attaches them
 * as artifacts, and fails if the page threw or broke its Content-Security-Policy.
 */
export const test = base.extend<{ watch: Watch }>({
  // API calls of the tests (reading stored orders and events) carry the admin token; the
  // shopper's page never does.
  request: async ({ playwright, baseURL }, use) => {
    const context = await playwright.request.newContext({
      baseURL,
      extraHTTPHeaders: { Authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    await use(context);
    await context.dispose();
  },
  watch: [
    async ({ page }, use, testInfo) => {
      const consoleMessages: ConsoleEntry[] = [];
      const pageErrors: string[] = [];
      // The test's page and every other tab it opens in the same context (labelled "tab N").
      let tabs = 0;
      const listen = (p: Page, label?: string) => {
        p.on('console', (m) => consoleMessages.push({ type: m.type(), text: m.text(), ...(label ? { tab: label } : {}) }));
        p.on('pageerror', (e) => pageErrors.push(label ? `${label}: ${String(e)}` : String(e)));
      };
      listen(page);
      page.context().on('page', (p) => listen(p, `tab ${(tabs += 1) + 1}`));
      await page.addInitScript(() => {
        window.__kagoCspViolations = [];
        document.addEventListener(
          'securitypolicyviolation',
          (e) =>
            window.__kagoCspViolations!.push({
              directive: e.violatedDirective,
              blocked: e.blockedURI,
              sample: e.sample,
            }),
          true,
        );
      });
      let lastViolations: CspViolation[] = [];
      const cspViolations = async () => {
        try {
          lastViolations = await page.evaluate(() => window.__kagoCspViolations ?? []);
        } catch {
          // page closed or navigating: keep what was read last
        }
        return lastViolations;
      };

      await use({ consoleMessages, pageErrors, cspViolations });

      const violations = await cspViolations();
      const cspConsole = consoleMessages.filter((m) => /Content Security Policy/i.test(m.text));
      await testInfo.attach('console.json', {
        body: JSON.stringify({ consoleMessages, pageErrors, violations }, null, 2),
        contentType: 'application/json',
      });
      expect(pageErrors, 'uncaught errors in the page').toEqual([]);
      expect(violations, 'securitypolicyviolation events').toEqual([]);
      expect(cspConsole, 'console messages about the Content Security Policy').toEqual([]);
    },
    { auto: true },
  ],
});

/**
 * "Cart, 1 item" / "Cart, 3 items": the widget's cart button for a given count, once the wasm
 * runs it. (Before that, kago.js draws the same button in `kago-widget[data-kago-early]`: see
 * `earlyCartButton`.)
 */
export function cartButton(page: Page, count: number): Locator {
  return page.locator('kago-widget:not([data-kago-early])').getByRole('button', {
    name: `Cart, ${count} ${count === 1 ? 'item' : 'items'}`,
    exact: true,
  });
}

/** The cart button the loader draws before the wasm is ready. */
export function earlyCartButton(page: Page, count: number): Locator {
  return page.locator('kago-widget[data-kago-early]').getByRole('button', {
    name: `Cart, ${count} ${count === 1 ? 'item' : 'items'}`,
    exact: true,
  });
}

/** Any cart button, whatever the count. */
export function anyCartButton(page: Page): Locator {
  return page.getByRole('button', { name: /^Cart, \d+ items?$/ });
}

export function cartDialog(page: Page): Locator {
  return page.getByRole('dialog', { name: 'Cart', exact: true });
}

/** The host page's "Add to cart" control in the product card with this heading. */
export function addToCart(page: Page, product: string, role: 'button' | 'link' = 'button'): Locator {
  return page
    .getByRole('article')
    .filter({ has: page.getByRole('heading', { name: product, exact: true }) })
    .getByRole(role, { name: 'Add to cart' });
}

/** The <dd> of an "Order summary" row, by its exact <dt> label. */
export function summaryValue(dialog: Locator, label: string): Locator {
  return dialog
    // The summary the shopper sees (a step built ahead has its own, hidden), and its shown rows.
    .locator('dl[aria-label="Order summary"]:visible > div:visible')
    .filter({ has: dialog.page().locator('dt', { hasText: new RegExp(`^\\s*${label}\\s*$`) }) })
    .locator('dd');
}

export async function expectTotals(
  dialog: Locator,
  totals: { Subtotal: string; Shipping: string; Tax?: string; Total: string },
): Promise<void> {
  for (const [label, value] of Object.entries(totals)) {
    await expect(summaryValue(dialog, label), `${label} row`).toHaveText(value);
  }
}

/** Whether the element is the focused element of its own (shadow) root. */
export async function hasFocus(locator: Locator): Promise<boolean> {
  return locator.evaluate((el) => (el.getRootNode() as Document | ShadowRoot).activeElement === el);
}

/** Whether focus is somewhere inside the element (across one shadow root). */
export async function containsFocus(locator: Locator): Promise<boolean> {
  return locator.evaluate((el) => {
    const active = (el.getRootNode() as Document | ShadowRoot).activeElement;
    return active !== null && el.contains(active);
  });
}

/** The widget's warnings, as the merchant sees them in the console. */
export function kagoWarnings(messages: ConsoleEntry[]): ConsoleEntry[] {
  return messages.filter((m) => m.type === 'warning' && m.text.startsWith('Kago:'));
}

/**
 * The files kago.js loads, as URL globs: their names carry a hash of their content
 * (scripts/hash-files.mjs), kago-<hash>.css, kago-checkout-<hash>.js, kago-checkout_bg-<hash>.wasm.
 */
export const KAGO_FILES = {
  css: '**/kago-*.css',
  glue: '**/kago-checkout-*.js',
  wasm: '**/kago-checkout_bg-*.wasm',
} as const;

/** Holds every request for the wasm until the returned function is called. */
export async function holdWasm(page: Page): Promise<() => void> {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(KAGO_FILES.wasm, async (route) => {
    await held;
    await route.continue();
  });
  return release;
}

/** The saved cart's lines (sku × quantity), straight from localStorage. */
export async function savedLines(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const text = localStorage.getItem('kago.cart');
    if (!text) return [];
    const cart = JSON.parse(text) as { lines?: { sku: string; quantity: number }[] };
    return (cart.lines ?? []).map((l) => `${l.sku}×${l.quantity}`);
  });
}
