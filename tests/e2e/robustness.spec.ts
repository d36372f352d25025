import type { Page } from '@playwright/test';
import './checkout-helpers'; // window.Kago's type
import {
  addToCart,
  cartButton,
  cartDialog,
  expect,
  holdWasm,
  kagoWarnings,
  savedLines,
  summaryValue,
  test,
} from './fixtures';

// Robustness against the merchant's settings, the developer's calls and the host page (found by
// an audit of the merchant's and developer's paths, 2026-12-01): each test failed on the build
// before its fix, for the reason its title gives.

/** The "カートに入れる" button of a product on the Japanese demo page. */
function jaAdd(page: Page, product: string) {
  return page
    .getByRole('article')
    .filter({ has: page.getByRole('heading', { name: product, exact: true }) })
    .getByRole('button', { name: 'カートに入れる' });
}

test.describe('merchant settings', () => {
  test('data-currency="jpy" (lower case) is read as JPY like the loader does, and never deletes the saved yen cart', async ({
    page,
    watch,
  }) => {
    // The shopper fills a yen cart on the shop's Japanese page.
    await page.goto('/ja.html');
    await jaAdd(page, 'ひのきの弁当箱').tap();
    await expect(page.locator('kago-widget:not([data-kago-early])').getByRole('button', { name: 'カート、1点', exact: true })).toBeVisible();
    expect(await savedLines(page)).toHaveLength(1);

    // Another page of the same shop writes the code in lower case. kago.js read it as JPY (its
    // early button counted the yen cart); the widget then called it a bad value, fell back to
    // USD and deleted the shopper's cart as "other-currency".
    await page.goto('/lowercase-currency.html');
    await expect(page.locator('kago-widget:not([data-kago-early])')).toHaveCount(1);
    await expect(
      page.locator('kago-widget:not([data-kago-early])').getByRole('button', { name: 'カート、1点', exact: true }),
      'the widget shows the same yen cart the early button counted',
    ).toBeVisible();
    expect(await savedLines(page), 'the saved cart after visiting the page').toHaveLength(1);
    expect(kagoWarnings(watch.consoleMessages).map((m) => m.text)).not.toContainEqual(expect.stringMatching(/cart/i));
  });

  test('a misspelt data-currency ("YEN") is reported but never deletes the cart the shopper already filled', async ({ page, watch }) => {
    await page.goto('/ja.html');
    await jaAdd(page, 'ひのきの弁当箱').tap();
    const yenCart = page.locator('kago-widget:not([data-kago-early])').getByRole('button', { name: 'カート、1点', exact: true });
    await expect(yenCart).toBeVisible();
    // One page of the shop has a typo in data-currency: reported, USD used for that page...
    await page.goto('/bad-currency.html');
    await expect
      .poll(() => kagoWarnings(watch.consoleMessages).map((m) => m.text))
      .toContainEqual(expect.stringContaining('data-currency="YEN"'));
    // ...but the shopper's cart must survive it (README: "the rest of the widget keeps working").
    expect(await savedLines(page), 'the saved yen cart, after the misconfigured page').toEqual(['BENTO-01×1']);
    // A cart filled on that page is kept for the page only: its prices may not be in dollars.
    await addToCart(page, 'ひのきの箸').tap();
    await expect(page.locator('kago-widget').getByRole('button', { name: 'カート、1点', exact: true })).toBeVisible();
    expect(await savedLines(page), 'the saved yen cart, after a tap on the misconfigured page').toEqual(['BENTO-01×1']);
    await page.goto('/ja.html');
    await expect(yenCart, 'back on the correctly configured page, the yen cart is still there').toBeVisible();
  });

  test('a page in another currency leaves the saved cart until the shopper fills a cart there', async ({ page }) => {
    await page.goto('/ja.html');
    await jaAdd(page, 'ひのきの弁当箱').tap();
    await expect(page.locator('kago-widget:not([data-kago-early])').getByRole('button', { name: 'カート、1点', exact: true })).toBeVisible();
    await page.goto('/');
    await expect(cartButton(page, 0)).toBeVisible();
    expect(await savedLines(page), 'after only looking at the dollar page').toEqual(['BENTO-01×1']);
    await addToCart(page, 'Stoneware mug').tap();
    await expect(cartButton(page, 1)).toBeVisible();
    await expect.poll(() => savedLines(page), { message: 'the dollar cart replaces it' }).toEqual(['MUG-002×1']);
  });

  test('currency set in the JSON block: the early cart button counts the saved cart like the widget does', async ({ page }) => {
    await page.goto('/config-currency.html');
    await addToCart(page, 'ひのきの箸').tap();
    await addToCart(page, 'ひのきの箸').tap();
    const live = page.locator('kago-widget:not([data-kago-early])').getByRole('button', { name: 'カート、2点', exact: true });
    await expect(live).toBeVisible();

    const release = await holdWasm(page);
    await page.reload();
    const early = page.locator('kago-widget[data-kago-early]').getByRole('button');
    await expect(early).toBeVisible();
    await expect(early, 'the early button, drawn from the saved cart while the wasm is held').toHaveAccessibleName('カート、2点');
    release();
    await expect(live).toBeVisible();
  });

  test('a misspelt key inside a JSON entry ("min_subtotl", "free_ovr") is reported by path, not silently ignored', async ({
    page,
    watch,
  }) => {
    await page.goto('/entry-typos.html');
    await expect(cartButton(page, 0)).toBeVisible();
    const texts = () => kagoWarnings(watch.consoleMessages).map((m) => m.text);
    // README: "Unknown keys, bad values and bad entries are reported by path".
    expect(texts()).toContainEqual(expect.stringContaining('discount_codes[0].min_subtotl'));
    expect(texts()).toContainEqual(expect.stringContaining('shipping_methods[0].free_ovr'));
  });

  test('two discount codes that match the same typed text are reported (the second can never apply)', async ({ page, watch }) => {
    await page.goto('/entry-typos.html');
    await expect(cartButton(page, 0)).toBeVisible();
    expect(kagoWarnings(watch.consoleMessages).map((m) => m.text)).toContainEqual(
      expect.stringMatching(/discount_codes\[2\].*save5/i),
    );
  });

  test('a misspelt data-consent ("requried") falls back to the safe side: nothing is sent before consent', async ({ page, watch }) => {
    const sentBeforeConsent = page
      .waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/api/events', { timeout: 8_000 })
      .then(
        (r) => `a POST with ${r.postData()?.slice(0, 120)}…`,
        () => 'nothing',
      );
    await page.goto('/consent-typo.html');
    await addToCart(page, 'Stoneware mug').tap();
    await cartButton(page, 1).tap();
    await expect(cartDialog(page)).toBeVisible();
    expect(kagoWarnings(watch.consoleMessages).map((m) => m.text)).toContainEqual(expect.stringContaining('data-consent="requried" must be one of required, none; using required.'));
    // The merchant asked for consent and misspelt it: the fallback was "none" before, so the
    // shopper's funnel was tracked and sent before any consent was given.
    expect(await sentBeforeConsent, 'what reached the event endpoint before Kago.consent(true)').toBe('nothing');
  });
});

test.describe('developer API', () => {
  test('Kago.on with bad arguments throws a TypeError (never a wasm trap) and names an unknown event', async ({ page, watch }) => {
    await page.goto('/');
    await expect(cartButton(page, 0)).toBeVisible();
    const thrown = await page.evaluate(() => {
      const on = (window.Kago as unknown as { on(name: unknown, cb: unknown): unknown }).on;
      return [
        [5, () => {}],
        [Symbol('x'), () => {}],
        [null, () => {}],
        ['item_added', 'not a function'],
      ].map(([name, cb]) => {
        try {
          on(name, cb);
          return 'no error';
        } catch (e) {
          return `${(e as Error).name}: ${(e as Error).message}`;
        }
      });
    });
    // Before: "RuntimeError: memory access out of bounds" (the wasm copied a number as a string).
    for (const message of thrown) expect(message).toMatch(/^TypeError: Kago\.on\(name, callback\)/);
    // A misspelt event name still listens, and says so.
    await page.evaluate(() => window.Kago!.on('item_add' as never, () => {}));
    await expect
      .poll(() => kagoWarnings(watch.consoleMessages).map((m) => m.text))
      .toContainEqual(expect.stringContaining('"item_add" is not a Kago event'));
    // The widget works on.
    await addToCart(page, 'Stoneware mug').tap();
    await expect(cartButton(page, 1)).toBeVisible();
  });
});

test.describe('hostile host pages', () => {
  const blockers = {
    'blocked (SecurityError)': () => {
      for (const name of ['localStorage', 'sessionStorage'] as const) {
        Object.defineProperty(window, name, {
          get() {
            throw new DOMException('The operation is insecure.', 'SecurityError');
          },
        });
      }
    },
    'full (QuotaExceededError)': () => {
      const set = Storage.prototype.setItem;
      Storage.prototype.setItem = function (key: string, value: string) {
        // The host page has used up the origin's quota: every new write fails.
        if (String(key).startsWith('kago')) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        return set.call(this, key, value);
      };
    },
  };
  for (const [what, script] of Object.entries(blockers)) {
    test(`storage ${what}: the cart works for this page and funnel events still reach the endpoint`, async ({ page }) => {
      await page.addInitScript(script);
      // Every batch the endpoint accepted (the tap's events and the cart's may go in two).
      const delivered: string[] = [];
      page.on('response', (r) => {
        if (r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/events' && r.ok()) {
          delivered.push(r.request().postData() ?? '');
        }
      });
      await page.goto('/');
      await addToCart(page, 'Stoneware mug').tap();
      await cartButton(page, 1).tap();
      await expect(summaryValue(cartDialog(page), 'Subtotal')).toHaveText('$18.50');
      // Batches go every 4 s: the queue can live in memory when storage cannot hold it.
      await expect
        .poll(() => delivered.join('\n'), { timeout: 15_000 })
        .toMatch(/"item_added"[\s\S]*"cart_viewed"|"cart_viewed"[\s\S]*"item_added"/);
    });
  }

  test('an RTL host page (dir="rtl") does not mirror the English widget', async ({ page }) => {
    await page.goto('/rtl.html');
    await addToCart(page, 'Stoneware mug').tap();
    await cartButton(page, 1).tap();
    const dialog = cartDialog(page);
    await expect(dialog).toBeVisible();
    // Before, the host's direction was inherited through the shadow root: the header mirrored
    // (close button on the left), links are right-aligned while labels stay left-aligned, and
    // typed e-mail addresses run right to left.
    expect(await dialog.evaluate((el) => getComputedStyle(el).direction)).toBe('ltr');
    await dialog.getByRole('button', { name: 'Checkout', exact: true }).tap();
    const email = page.getByRole('textbox', { name: 'Email', exact: true });
    await expect(email).toBeVisible();
    expect(await email.evaluate((el) => getComputedStyle(el).direction)).toBe('ltr');
  });

  test('a single-page app that replaces the body content keeps the widget and its cart', async ({ page }) => {
    await page.goto('/');
    await addToCart(page, 'Stoneware mug').tap();
    await expect(cartButton(page, 1)).toBeVisible();
    // What a client-side router may do on navigation.
    await page.evaluate(() => {
      document.body.innerHTML = '<main><h1>Another view</h1></main>';
    });
    await expect(cartButton(page, 1)).toBeVisible();
    await cartButton(page, 1).tap();
    await expect(summaryValue(cartDialog(page), 'Subtotal')).toHaveText('$18.50');
  });

  test('body { zoom: 0.5 } on the host does not shrink the cart button below a 48 px touch target', async ({ page }) => {
    await page.goto('/zoom.html');
    const button = cartButton(page, 0);
    await expect(button).toBeVisible();
    expect(await page.evaluate(() => getComputedStyle(document.body).zoom)).toBe('0.5');
    const box = (await button.boundingBox())!;
    expect(box.width, 'cart button width').toBeGreaterThanOrEqual(48);
    expect(box.height, 'cart button height').toBeGreaterThanOrEqual(48);
  });
});
