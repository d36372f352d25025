import type { Locator, Page } from '@playwright/test';
import { expect, hasFocus, kagoWarnings, test } from './fixtures';
import {
  axeViolations,
  escapeRegExp,
  expectFieldError,
  expectNoFieldError,
  ordersOf,
  postedBody,
  uniqueEmail,
  watchOrderPosts,
} from './checkout-helpers';

// The Japanese checkout (README, "Checkout in Japan") on a phone, as a shopper without autofill
// types it: the postal code fills 都道府県, 市区町村 and the town; 都道府県 is a list; full-width
// input is taken as typed; a delivery date and time can be asked for; フリガナ where the shop
// asks for it. The demo shop's Japanese page (www/ja.html) and fixture pages in pages/.

// A Japanese shopper's browser (the phone project's viewport and touch, no autofill profile).
test.use({ locale: 'ja-JP' });

const widget = (page: Page) => page.locator('kago-widget:not([data-kago-early])');

/** Adds the bento box on a Japanese page and opens checkout: step 1 of 3. */
async function startJapaneseCheckout(page: Page, path = '/ja.html'): Promise<Locator> {
  await page.goto(path);
  await page.locator('[data-kago-add][data-price="4800"]').tap();
  await widget(page).getByRole('button', { name: 'カート、1点', exact: true }).tap();
  await page
    .getByRole('dialog', { name: 'カート', exact: true })
    .getByRole('button', { name: 'ご購入手続きへ', exact: true })
    .tap();
  const dialog = page.getByRole('dialog', { name: 'ご購入手続き', exact: true });
  await expect(dialog.getByText('ステップ 1/3', { exact: true })).toBeVisible();
  return dialog;
}

const text = (dialog: Locator, label: string) => dialog.getByRole('textbox', { name: label, exact: true });
const prefecture = (dialog: Locator, label = '都道府県') => dialog.getByRole('combobox', { name: label, exact: true });
const button = (dialog: Locator, name: string) => dialog.getByRole('button', { name, exact: true });

/** The prefecture list's chosen option, as the shopper reads it. */
async function chosenPrefecture(select: Locator): Promise<string> {
  return select.evaluate((el) => {
    const s = el as HTMLSelectElement;
    return s.selectedIndex < 0 ? '' : s.options[s.selectedIndex].text;
  });
}

/** Counts, from now on, the checkout fields the shopper typed in or changed (trusted input). */
async function countTypedFields(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const root = document.querySelector('kago-widget:not([data-kago-early])')!.shadowRoot!;
    const typed = new Set<string>();
    (window as unknown as { __kagoTyped: Set<string> }).__kagoTyped = typed;
    for (const type of ['input', 'change']) {
      root.addEventListener(
        type,
        (e) => {
          const el = e.target as HTMLInputElement;
          if (e.isTrusted && el.closest('form')) typed.add(el.name);
        },
        true,
      );
    }
  });
  return () => page.evaluate(() => [...(window as unknown as { __kagoTyped: Set<string> }).__kagoTyped].sort());
}

async function expectFocused(locator: Locator, message: string): Promise<void> {
  await expect.poll(() => hasFocus(locator), { message }).toBe(true);
}

test('a shopper types e-mail, name, 1500001 and the 番地: 東京都, 渋谷区 and 神宮前 are filled, four fields typed in all', async ({
  page,
  request,
}, testInfo) => {
  const email = uniqueEmail(testInfo, 'hanako');
  const posts = watchOrderPosts(page);
  const dialog = await startJapaneseCheckout(page);
  const typedFields = await countTypedFields(page);

  await text(dialog, 'メールアドレス').fill(email);
  await text(dialog, 'お名前').fill('山田 花子');
  const postal = text(dialog, '郵便番号');
  await postal.fill('1500001');
  // The lookup fills the address at once and moves the shopper on to the 番地, after the town.
  await expect(text(dialog, '番地')).toHaveValue('神宮前');
  await expect(text(dialog, '市区町村')).toHaveValue('渋谷区');
  expect(await chosenPrefecture(prefecture(dialog))).toBe('東京都');
  await expectFocused(text(dialog, '番地'), 'focus moves to 番地');
  await page.keyboard.type('1-2-3');
  await expect(text(dialog, '番地')).toHaveValue('神宮前1-2-3');

  await button(dialog, '配送・お支払いへ進む').tap();
  await expect(dialog.getByText('ステップ 2/3', { exact: true })).toBeVisible();
  await button(dialog, '注文内容を確認する').tap();
  await expect(dialog.getByText('ステップ 3/3', { exact: true })).toBeVisible();
  for (const shown of ['150-0001', '東京都', '渋谷区', '神宮前1-2-3']) {
    await expect(dialog, `the review shows ${shown}`).toContainText(shown);
  }
  await button(dialog, '注文を確定する').tap();
  await expect(dialog.getByRole('heading', { name: 'ご注文ありがとうございます' })).toBeVisible({ timeout: 20_000 });

  expect(await typedFields(), 'the fields the shopper typed in').toEqual(['email', 'line1', 'name', 'postal_code']);
  const [order] = await ordersOf(request, email);
  expect(order.body.shipping_address).toEqual({
    country: 'JP',
    postal_code: '150-0001',
    region: '東京都',
    city: '渋谷区',
    line1: '神宮前1-2-3',
    line2: null,
  });
  // 指定なし: no delivery date or time in the body.
  const sent = postedBody(posts[0]);
  expect('delivery_date' in sent || 'delivery_slot' in sent, 'no delivery date or slot when none is asked for').toBe(false);
});

test('a full-width postal code (１５０－０００１) is taken as 150-0001 and fills the same address', async ({ page }) => {
  const dialog = await startJapaneseCheckout(page);
  const postal = text(dialog, '郵便番号');
  await postal.fill('１５０－０００１');
  await expect(postal, 'stored in half-width').toHaveValue('150-0001');
  await expect(text(dialog, '市区町村')).toHaveValue('渋谷区');
  await expect(text(dialog, '番地')).toHaveValue('神宮前');
  expect(await chosenPrefecture(prefecture(dialog))).toBe('東京都');
  await expectFocused(text(dialog, '番地'), 'focus moves to 番地');
  await page.keyboard.type('1-2-3');
  await text(dialog, 'メールアドレス').fill('hanako@example.jp');
  await text(dialog, 'お名前').fill('山田 花子');
  await button(dialog, '配送・お支払いへ進む').tap();
  await expect(dialog.getByText('ステップ 2/3', { exact: true })).toBeVisible();
});

test('an unknown postal code says so calmly and every field stays editable', async ({ page }) => {
  const dialog = await startJapaneseCheckout(page);
  const postal = text(dialog, '郵便番号');
  const message = 'この郵便番号から住所を入力できませんでした。お手数ですが、住所をご入力ください。';
  for (const code of ['0000000', '1509999']) {
    // 000: no file at all (HTTP 404); 1509999: a file, but no such code in it.
    await postal.fill(code);
    await expect(dialog.getByText(message, { exact: true })).toBeVisible();
    await expect(postal, 'a note, not an error').not.toHaveAttribute('aria-invalid', 'true');
    await expect(postal).toHaveAccessibleDescription(message);
    await expectFocused(postal, 'focus stays in the postal code');
    await postal.fill('');
    await expect(dialog.getByText(message, { exact: true })).toHaveCount(0);
  }
  await postal.fill('1509999');
  await expect(dialog.getByText(message, { exact: true })).toBeVisible();
  await text(dialog, 'メールアドレス').fill('hanako@example.jp');
  await text(dialog, 'お名前').fill('山田 花子');
  await prefecture(dialog).selectOption({ label: '東京都' });
  await text(dialog, '市区町村').fill('渋谷区');
  await text(dialog, '番地').fill('神宮前1-2-3');
  await button(dialog, '配送・お支払いへ進む').tap();
  await expect(dialog.getByText('ステップ 2/3', { exact: true })).toBeVisible();
});

test('a postal code shared by several towns offers them in a labelled list, usable with the keyboard', async ({
  page,
}) => {
  const dialog = await startJapaneseCheckout(page);
  await text(dialog, '郵便番号').fill('0110951');
  const towns = dialog.getByRole('combobox', { name: 'この郵便番号の地域を選択してください', exact: true });
  await expect(towns).toBeVisible();
  const options = await towns.evaluate((el) => [...(el as HTMLSelectElement).options].map((o) => o.text));
  expect(options).toEqual(['選択してください', '土崎港相染町', '土崎港古川町']);
  // What the towns share is filled at once; the town waits for the pick.
  expect(await chosenPrefecture(prefecture(dialog))).toBe('秋田県');
  await expect(text(dialog, '市区町村')).toHaveValue('秋田市');
  await expect(text(dialog, '番地')).toHaveValue('');

  await towns.selectOption({ label: '土崎港古川町' });
  await expect(text(dialog, '番地')).toHaveValue('土崎港古川町');
  // The keyboard moves through the list; each town replaces the one Kago put there before.
  await towns.focus();
  await page.keyboard.press('ArrowUp');
  expect(await chosenPrefecture(towns)).toBe('土崎港相染町');
  await expect(text(dialog, '番地')).toHaveValue('土崎港相染町');
  await text(dialog, '番地').press('End');
  await text(dialog, '番地').pressSequentially('1-2');
  await expect(text(dialog, '番地')).toHaveValue('土崎港相染町1-2');
  expect(await axeViolations(page), 'axe with the towns offered').toEqual([]);
});

test('nothing the shopper typed is overwritten, and a corrected code replaces only what Kago filled, across a reload', async ({
  page,
}) => {
  let dialog = await startJapaneseCheckout(page);
  await text(dialog, '市区町村').fill('しぶや');
  await text(dialog, '郵便番号').fill('1500001');
  await expect(text(dialog, '番地')).toHaveValue('神宮前');
  await expect(text(dialog, '市区町村'), 'typed by the shopper: kept').toHaveValue('しぶや');
  await text(dialog, '番地').press('End');
  await text(dialog, '番地').pressSequentially('1-2-3');
  await text(dialog, '市区町村').fill('');

  await page.reload();
  dialog = page.getByRole('dialog', { name: 'ご購入手続き', exact: true });
  await expect(text(dialog, '番地')).toHaveValue('神宮前1-2-3');
  // The code was mistyped: 160-0023 is 新宿区西新宿. Kago's town goes, the 番地 stays.
  await text(dialog, '郵便番号').fill('160-0023');
  await expect(text(dialog, '番地')).toHaveValue('西新宿1-2-3');
  await expect(text(dialog, '市区町村')).toHaveValue('新宿区');
  expect(await chosenPrefecture(prefecture(dialog))).toBe('東京都');
});

test('都道府県 is a list of the 47 prefectures in standard order, with the address-level1 token', async ({ page }) => {
  const dialog = await startJapaneseCheckout(page);
  const select = prefecture(dialog);
  await expect(select).toHaveAttribute('autocomplete', 'address-level1');
  const options = await select.evaluate((el) => [...(el as HTMLSelectElement).options].map((o) => o.text));
  expect(options).toHaveLength(48);
  expect(options[0], 'a first, empty choice').toBe('選択してください');
  expect(options.slice(1, 4)).toEqual(['北海道', '青森県', '岩手県']);
  expect(options[13]).toBe('東京都');
  expect(options[47]).toBe('沖縄県');
  // Nothing chosen is an error on continue, in Japanese, at the list.
  await text(dialog, 'メールアドレス').fill('hanako@example.jp');
  await button(dialog, '配送・お支払いへ進む').tap();
  await expectFieldError(dialog, select, '都道府県を選択してください。');
  await select.selectOption({ label: '大阪府' });
  await expectNoFieldError(select);
});

test('配達日時指定: the date and time asked for go in the order and show on the review and the confirmation', async ({
  page,
  request,
}, testInfo) => {
  const email = uniqueEmail(testInfo, 'taro');
  const dialog = await startJapaneseCheckout(page);
  await text(dialog, 'メールアドレス').fill(email);
  await text(dialog, 'お名前').fill('山田 太郎');
  await text(dialog, '郵便番号').fill('1500001');
  await expect(text(dialog, '番地')).toHaveValue('神宮前');
  await text(dialog, '番地').pressSequentially('1-2-3');
  await button(dialog, '配送・お支払いへ進む').tap();
  await expect(dialog.getByText('ステップ 2/3', { exact: true })).toBeVisible();

  const when = dialog.getByRole('group', { name: '配達日時指定' });
  await expect(when).toBeVisible();
  const date = when.getByRole('combobox', { name: 'お届け希望日', exact: true });
  const slot = when.getByRole('combobox', { name: 'お届け時間帯', exact: true });
  const dates = await date.evaluate((el) => [...(el as HTMLSelectElement).options].map((o) => [o.value, o.text]));
  expect(dates[0], '指定なし first, chosen').toEqual(['', '指定なし']);
  expect(await chosenPrefecture(date)).toBe('指定なし');
  expect(dates, 'ja.html offers 14 dates').toHaveLength(15);
  for (const [value, label] of dates.slice(1)) {
    expect(value).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(label).toMatch(/^\d{1,2}月\d{1,2}日\([日月火水木金土]\)$/);
  }
  // Two days after today in Japan, whatever the time zone of this machine.
  const japanToday = new Date(Date.now() + 9 * 3_600_000);
  const earliest = new Date(Date.UTC(japanToday.getUTCFullYear(), japanToday.getUTCMonth(), japanToday.getUTCDate() + 2));
  expect(dates[1][0]).toBe(earliest.toISOString().slice(0, 10));
  const slots = await slot.evaluate((el) => [...(el as HTMLSelectElement).options].map((o) => o.text));
  expect(slots).toEqual(['指定なし', '午前中', '14時〜16時', '16時〜18時', '18時〜20時', '19時〜21時']);

  const [chosenDate, chosenLabel] = dates[3];
  await date.selectOption(chosenDate);
  await slot.selectOption({ label: '午前中' });
  await button(dialog, '注文内容を確認する').tap();
  await expect(dialog.getByText('ステップ 3/3', { exact: true })).toBeVisible();
  await expect(dialog).toContainText(chosenLabel);
  await expect(dialog).toContainText('午前中');
  await button(dialog, '注文を確定する').tap();
  await expect(dialog.getByRole('heading', { name: 'ご注文ありがとうございます' })).toBeVisible({ timeout: 20_000 });
  await expect(dialog.getByText(`お届け希望日: ${chosenLabel}`, { exact: true })).toBeVisible();
  await expect(dialog.getByText('お届け時間帯: 午前中', { exact: true })).toBeVisible();

  const [order] = await ordersOf(request, email);
  expect(order.body.delivery_date).toBe(chosenDate);
  expect(order.body.delivery_slot).toBe('am');
});

test('フリガナ where the shop asks for it; full-width phone digits and a full-width ＠ are taken and said so', async ({
  page,
  request,
}, testInfo) => {
  const email = uniqueEmail(testInfo, 'hanako');
  const posts = watchOrderPosts(page);
  const dialog = await startJapaneseCheckout(page, '/ja-kana.html');
  const kana = text(dialog, 'フリガナ');
  await expect(kana).toBeVisible();
  // No standard token means a phonetic name, and `name` would fill the kanji name in.
  await expect(kana).not.toHaveAttribute('autocomplete', /./);
  await kana.fill('やまだ はなこ');
  await expect(kana, 'hiragana becomes katakana as it is typed').toHaveValue('ヤマダ ハナコ');
  await kana.fill('山田');
  await kana.press('Tab');
  await expectFieldError(dialog, kana, 'フリガナはカタカナで入力してください（例: ヤマダ ハナコ）。');
  await kana.fill('やまだ はなこ');
  await expectNoFieldError(kana);

  const mail = text(dialog, 'メールアドレス');
  await mail.fill(email.replace('@', '＠'));
  await expect(mail).toHaveValue(email);
  const note = '全角の「＠」を半角の「@」に変換しました。';
  await expect(dialog.getByText(note, { exact: true })).toBeVisible();
  await expect(mail).toHaveAccessibleDescription(note);
  await expectNoFieldError(mail);

  const phone = text(dialog, '電話番号');
  await phone.fill('０９０－１２３４－５６７８');
  await expect(phone).toHaveValue('090-1234-5678');
  await text(dialog, 'お名前').fill('山田 花子');
  await text(dialog, '郵便番号').fill('1500001');
  await expect(text(dialog, '番地')).toHaveValue('神宮前');
  await text(dialog, '番地').pressSequentially('1-2-3');
  await button(dialog, '配送・お支払いへ進む').tap();
  await button(dialog, '注文内容を確認する').tap();
  await expect(dialog).toContainText('ヤマダ ハナコ');
  await button(dialog, '注文を確定する').tap();
  await expect(dialog.getByRole('heading', { name: 'ご注文ありがとうございます' })).toBeVisible({ timeout: 20_000 });
  const [order] = await ordersOf(request, email);
  expect(order.body.contact).toEqual({ email, name: '山田 花子', name_kana: 'ヤマダ ハナコ', phone: '090-1234-5678' });
  expect(postedBody(posts[0]).contact.name_kana).toBe('ヤマダ ハナコ');
});

test('a shop shipping to Japan in English: prefecture names, date labels and the delivery choice in English', async ({
  page,
}) => {
  await page.goto('/ja-english.html');
  await page.locator('[data-kago-add]').first().tap();
  await widget(page).getByRole('button', { name: 'Cart, 1 item', exact: true }).tap();
  await page.getByRole('dialog', { name: 'Cart', exact: true }).getByRole('button', { name: 'Checkout', exact: true }).tap();
  const dialog = page.getByRole('dialog', { name: 'Checkout', exact: true });
  const select = prefecture(dialog, 'Prefecture');
  const options = await select.evaluate((el) => [...(el as HTMLSelectElement).options].map((o) => o.text));
  expect(options.slice(0, 3)).toEqual(['Choose', 'Hokkaido', 'Aomori']);
  await text(dialog, 'Postal code').fill('1500001');
  await expect(text(dialog, 'City')).toHaveValue('渋谷区');
  expect(await chosenPrefecture(select)).toBe('Tokyo');
  await text(dialog, 'Street address').pressSequentially('1-2-3');
  await text(dialog, 'Email').fill('ada@example.com');
  await text(dialog, 'Full name').fill('Ada Lovelace');
  await button(dialog, 'Continue to delivery').tap();
  const when = dialog.getByRole('group', { name: 'Delivery date and time' });
  const dates = await when
    .getByRole('combobox', { name: 'Delivery date', exact: true })
    .evaluate((el) => [...(el as HTMLSelectElement).options].map((o) => o.text));
  expect(dates[0]).toBe('No preference');
  for (const label of dates.slice(1)) expect(label).toMatch(/^(Sun|Mon|Tue|Wed|Thu|Fri|Sat), [A-Z][a-z]{2} \d{1,2}$/);
  // Sundays are not delivered on in this shop (exclude_weekdays).
  expect(dates.some((d) => d.startsWith('Sun'))).toBe(false);
});

test('data-postal-lookup: a merchant’s own copy of the files is used, and "off" turns the lookup off', async ({ page }) => {
  const fetched: string[] = [];
  page.on('request', (r) => {
    if (/\/\d{3}\.json$/.test(new URL(r.url()).pathname)) fetched.push(new URL(r.url()).pathname);
  });
  await page.route('**/merchant-postal/150.json', (route) =>
    route.fulfill({ contentType: 'application/json', body: '{"1500001":[["東京都","渋谷区","テスト町"]]}' }),
  );
  let dialog = await startJapaneseCheckout(page, '/ja-postal-own.html');
  await text(dialog, '郵便番号').fill('1500001');
  await expect(text(dialog, '番地')).toHaveValue('テスト町');
  expect(fetched).toEqual(['/merchant-postal/150.json']);

  fetched.length = 0;
  await page.evaluate(() => {
    // Another shop's page, from an empty cart.
    localStorage.clear();
    sessionStorage.clear();
  });
  dialog = await startJapaneseCheckout(page, '/ja-postal-off.html');
  await text(dialog, '郵便番号').fill('1500001');
  await text(dialog, 'お名前').fill('山田 花子');
  await expect(text(dialog, '市区町村')).toHaveValue('');
  await expect(text(dialog, '番地')).toHaveValue('');
  expect(fetched, 'no postal file is fetched').toEqual([]);
});

test('a bad delivery setting is one console warning naming the key, and that choice stays off', async ({ page, watch }) => {
  const dialog = await startJapaneseCheckout(page, '/ja-postal-off.html');
  await expect
    .poll(() => kagoWarnings(watch.consoleMessages).map((m) => m.text))
    .toContainEqual(expect.stringMatching(new RegExp(escapeRegExp('kago-config "delivery_slots"'))));
  const warnings = kagoWarnings(watch.consoleMessages).filter((m) => m.text.includes('delivery_'));
  expect(warnings.map((m) => m.text)).toHaveLength(1);
  expect(warnings[0].text).toContain('"am" is used twice');
  await text(dialog, 'メールアドレス').fill('hanako@example.jp');
  await text(dialog, 'お名前').fill('山田 花子');
  await text(dialog, '郵便番号').fill('1500001');
  await prefecture(dialog).selectOption({ label: '東京都' });
  await text(dialog, '市区町村').fill('渋谷区');
  await text(dialog, '番地').fill('神宮前1-2-3');
  await button(dialog, '配送・お支払いへ進む').tap();
  await expect(dialog.getByText('ステップ 2/3', { exact: true })).toBeVisible();
  // delivery_dates is fine and offered; the time slots are left out.
  const when = dialog.getByRole('group', { name: '配達日時指定' });
  await expect(when.getByRole('combobox', { name: 'お届け希望日', exact: true })).toBeVisible();
  await expect(when.getByRole('combobox', { name: 'お届け時間帯', exact: true })).toHaveCount(0);
});

test('the Japanese checkout has no axe violations, with a postal note and an error shown', async ({ page }) => {
  const dialog = await startJapaneseCheckout(page, '/ja-kana.html');
  expect(await axeViolations(page), 'step 1').toEqual([]);
  await text(dialog, '郵便番号').fill('0000000');
  await text(dialog, 'メールアドレス').fill('hanako＠example.jp');
  await button(dialog, '配送・お支払いへ進む').tap();
  await expect(dialog.getByRole('combobox', { name: '都道府県', exact: true })).toHaveAttribute('aria-invalid', 'true');
  expect(await axeViolations(page), 'step 1 with notes and errors').toEqual([]);
});
