import type { Page } from '@playwright/test';
import { cartButton, cartDialog, expect, test } from './fixtures';
import {
  addProducts,
  continueToDelivery,
  button,
  checkoutDialog,
  expectConfirmation,
  expectStep,
  startCheckout,
  uniqueEmail,
  usShopper,
} from './checkout-helpers';

// Layout on phones: every control is a touch target of at least 44×44 CSS px in every state
// of the purchase, and extreme content (a very long name, a seven-figure total, a long e-mail)
// wraps inside the drawer instead of pushing anything past the screen's edge.

const MIN_TARGET = 44;
const PHONES = [
  { width: 412, height: 915 },
  { width: 320, height: 640 },
] as const;

/**
 * Every visible button, link, and label of a checkbox or radio option in the widget that is
 * smaller than 44×44, as `button "Edit" 31.0×48.0`. Elements hidden by `visibility` (the closed
 * drawer, steps built ahead) are skipped; elements scrolled out of view are measured too.
 */
async function smallTargets(page: Page): Promise<string[]> {
  return page.locator('kago-widget').evaluate((host, min) => {
    const root = host.shadowRoot!;
    const targets = new Set<Element>(root.querySelectorAll('button, a[href]'));
    for (const input of root.querySelectorAll<HTMLInputElement>('input[type="checkbox"], input[type="radio"]')) {
      targets.add(input.labels?.[0] ?? input);
    }
    const small: string[] = [];
    for (const el of targets) {
      if (!el.checkVisibility({ visibilityProperty: true })) continue;
      const r = el.getBoundingClientRect();
      if (r.width >= min && r.height >= min) continue;
      const name = (el.getAttribute('aria-label') ?? el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
      const kind = el.localName === 'label' ? `label (.${el.className})` : el.localName;
      small.push(`${kind} "${name}" ${r.width.toFixed(1)}×${r.height.toFixed(1)}`);
    }
    return small;
  }, MIN_TARGET);
}

/**
 * What sticks out of the open drawer sideways: a `.kago-body` that scrolls horizontally, a
 * visible element whose box passes the drawer's or the viewport's left or right edge, or one
 * whose own text (a word that does not wrap) runs out of its box.
 */
async function sidewaysOverflow(page: Page): Promise<string[]> {
  return page.locator('kago-widget').evaluate((host) => {
    const dialog = host.shadowRoot!.querySelector('[role="dialog"]')!;
    const box = dialog.getBoundingClientRect();
    const left = Math.max(box.left, 0) - 0.5;
    const right = Math.min(box.right, document.documentElement.clientWidth) + 0.5;
    const out: string[] = [];
    const describe = (el: Element) =>
      `<${el.localName}${el.className && typeof el.className === 'string' ? ` class="${el.className}"` : ''}>`;
    for (const body of dialog.querySelectorAll('.kago-body')) {
      if (body.checkVisibility({ visibilityProperty: true }) && body.scrollWidth > body.clientWidth) {
        out.push(`${describe(body)} scrollWidth ${body.scrollWidth} > clientWidth ${body.clientWidth}`);
      }
    }
    for (const el of dialog.querySelectorAll('*')) {
      if (!el.checkVisibility({ visibilityProperty: true })) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      const text = (el.textContent ?? '').trim().slice(0, 30);
      if (r.right > right || r.left < left) {
        out.push(`${describe(el)} "${text}" spans ${r.left.toFixed(1)}–${r.right.toFixed(1)}, drawer ${left + 0.5}–${right - 0.5}`);
      } else if (
        // Only where text itself runs out (a control's padding may reach into the drawer's).
        el instanceof HTMLElement &&
        [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() !== '') &&
        el.clientWidth > 0 &&
        el.scrollWidth > el.clientWidth + 1 &&
        getComputedStyle(el).overflowX === 'visible'
      ) {
        out.push(`${describe(el)} "${text}": its content is ${el.scrollWidth} px wide in ${el.clientWidth} px`);
      }
    }
    return out;
  });
}

for (const viewport of PHONES) {
  test.describe(`${viewport.width}×${viewport.height}`, () => {
    test.use({ viewport });

    test(`every control is at least 44×44 from the cart to the confirmation (${viewport.width} px)`, async ({
      page,
    }, testInfo) => {
      const offenders: string[] = [];
      const check = async (state: string) => {
        offenders.push(...(await smallTargets(page)).map((o) => `${state}: ${o}`));
      };
      await page.goto('/');
      await expect(cartButton(page, 0)).toBeVisible();
      await addProducts(page, ['Organic cotton tee', 'Stoneware mug']);
      await check('closed');

      await cartButton(page, 2).tap();
      await expect(cartDialog(page)).toBeVisible();
      await check('cart');

      await cartDialog(page).getByRole('button', { name: 'Checkout', exact: true }).tap();
      const dialog = checkoutDialog(page);
      await expectStep(dialog, 1);
      await check('step 1');
      const shopper = usShopper(testInfo);
      await continueToDelivery(dialog, shopper);
      await check('step 2');
      await button(dialog, 'Add a discount code').tap();
      await expect(button(dialog, 'Apply')).toBeVisible();
      await check('step 2, code form');
      await dialog.getByRole('textbox', { name: 'Discount code', exact: true }).fill('WELCOME10');
      await button(dialog, 'Apply').tap();
      await expect(button(dialog, 'Remove code WELCOME10')).toBeVisible();
      await check('step 2, code applied');

      await button(dialog, 'Review order').tap();
      await expectStep(dialog, 3);
      await check('step 3');

      await button(dialog, 'Place order').tap();
      await expectConfirmation(dialog, shopper.email);
      await expect(dialog.getByRole('checkbox', { name: 'Send me news and offers by e-mail' })).toBeVisible();
      await check('confirmation');

      expect(offenders, `controls smaller than ${MIN_TARGET}×${MIN_TARGET} CSS px`).toEqual([]);
    });

    test(`the reminder checkbox and the exit question are touch targets too (${viewport.width} px)`, async ({
      page,
    }) => {
      const offenders: string[] = [];
      const check = async (state: string) => {
        offenders.push(...(await smallTargets(page)).map((o) => `${state}: ${o}`));
      };
      await page.goto('/events-contact.html');
      await expect(cartButton(page, 0)).toBeVisible();
      await addProducts(page, ['Stoneware mug']);
      const dialog = await startCheckout(page, 1);
      await expect(dialog.getByRole('checkbox', { name: /^E-mail me a reminder/ })).toBeVisible();
      await check('step 1 with the reminder');
      await button(dialog, 'Close').tap();
      await expect(page.getByRole('button', { name: 'Skip', exact: true })).toBeVisible();
      await check('exit question');

      expect(offenders, `controls smaller than ${MIN_TARGET}×${MIN_TARGET} CSS px`).toEqual([]);
    });
  });
}

test.describe('320×640 with extreme content', () => {
  test.use({ viewport: { width: 320, height: 640 } });

  // Soft assertions: one run lists every place that overflows.
  test('a very long name, a seven-figure line total and a long e-mail stay inside the drawer', async ({
    page,
  }, testInfo) => {
    await page.goto('/');
    await expect(cartButton(page, 0)).toBeVisible();
    await page.waitForFunction(() => typeof window.Kago?.addItem === 'function');
    const added = await page.evaluate(() =>
      window.Kago!.addItem({
        sku: 'LONG-1',
        name:
          'Hand-thrown speckled stoneware serving bowl with reactive ash glaze, family size, ' +
          'Steingutschüsselmanufakturjubiläumsausgabe',
        variant: 'Extra-large/UltramarineBlueWithGoldSpeckles',
        // 3 × $407,407.11 = $1,222,221.33
        price: '407407.11',
        quantity: 3,
      }),
    );
    expect(added, 'Kago.addItem added the line').toBe(true);
    await cartButton(page, 3).tap();
    const cart = cartDialog(page);
    await expect(cart).toBeVisible();
    const lines = cart.getByRole('list', { name: 'Items in your cart' });
    await expect(lines.getByText('$1,222,221.33', { exact: true })).toBeVisible();
    const remove = cart.getByRole('button', { name: /^Remove Hand-thrown/ });
    const box = (await remove.boundingBox())!;
    expect(box, 'the remove button has a box').not.toBeNull();
    expect.soft(box.x + box.width, "the remove button's right edge is on screen").toBeLessThanOrEqual(320);
    expect.soft(box.width, 'the remove button keeps its size').toBeGreaterThanOrEqual(MIN_TARGET);
    expect.soft(await sidewaysOverflow(page), 'cart: nothing sticks out sideways').toEqual([]);

    await cart.getByRole('button', { name: 'Checkout', exact: true }).tap();
    const dialog = checkoutDialog(page);
    await expectStep(dialog, 1);
    const shopper = {
      ...usShopper(testInfo),
      // 76 characters without a space: "The shop will send a confirmation to …" must wrap it.
      email: uniqueEmail(testInfo, 'a.very.long.email.address.for.testing').replace(
        '@example.com',
        '@subdomain.example-company.com',
      ),
    };
    await continueToDelivery(dialog, shopper);
    expect.soft(await sidewaysOverflow(page), 'step 2: nothing sticks out sideways').toEqual([]);
    await button(dialog, 'Review order').tap();
    await expectStep(dialog, 3);
    expect.soft(await sidewaysOverflow(page), 'step 3: nothing sticks out sideways').toEqual([]);

    await button(dialog, 'Place order').tap();
    await expectConfirmation(dialog, shopper.email);
    const confirmation = await page.locator('kago-widget').evaluate((host) => {
      const body = host.shadowRoot!.querySelector('.kago-confirmation')!;
      return { scrollWidth: body.scrollWidth, clientWidth: body.clientWidth };
    });
    expect.soft(
      confirmation.scrollWidth,
      `.kago-confirmation scrollWidth ${confirmation.scrollWidth} ≤ clientWidth ${confirmation.clientWidth}`,
    ).toBeLessThanOrEqual(confirmation.clientWidth);
    expect.soft(await sidewaysOverflow(page), 'confirmation: nothing sticks out sideways').toEqual([]);
  });
});
