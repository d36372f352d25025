import type { Page } from '@playwright/test';
import { cartButton, cartDialog, expect, test } from './fixtures';
import {
  addProducts,
  button,
  checkoutDialog,
  expectConfirmation,
  expectStep,
  fillUsContact,
  startCheckout,
  usShopper,
} from './checkout-helpers';

// Layout on phones: every control is a touch target of at least 44×44 CSS px in every state
// of the purchase.

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
      await fillUsContact(dialog, shopper);
      await button(dialog, 'Continue to delivery').tap();
      await expectStep(dialog, 2);
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
      await button(dialog, 'Close cart').tap();
      await expect(page.getByRole('button', { name: 'Skip', exact: true })).toBeVisible();
      await check('exit question');

      expect(offenders, `controls smaller than ${MIN_TARGET}×${MIN_TARGET} CSS px`).toEqual([]);
    });
  });
}
