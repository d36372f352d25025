import { expect, test } from '@playwright/test';

// The build writes Japan Post's postal codes beside the widget (scripts/postal-data.mjs, README
// "Postal data") and the server hands them out as JSON: the Japanese checkout's postal-code
// lookup fetches one of these files per code typed.

test('the build serves Japanese postal codes beside the widget, one small JSON file per first three digits', async ({
  request,
}) => {
  const reply = await request.get('/postal/150.json');
  expect(reply.status()).toBe(200);
  expect(reply.headers()['content-type']).toContain('application/json');
  const codes = (await reply.json()) as Record<string, string[][]>;
  expect(codes['1500001']).toEqual([['東京都', '渋谷区', '神宮前']]);
  // Japan Post's placeholder 「以下に掲載がない場合」 is an empty town, not a town to fill in.
  expect(codes['1500000']).toEqual([['東京都', '渋谷区', '']]);
  expect(Object.keys(codes).every((code) => /^150\d{4}$/.test(code))).toBe(true);
  expect((await reply.body()).length).toBeLessThan(64 * 1024);
});

test('a postal code shared by two prefectures lists both, and several towns of one code are all there', async ({
  request,
}) => {
  const yatomi = (await (await request.get('/postal/498.json')).json()) as Record<string, string[][]>;
  expect(yatomi['4980000']).toEqual([
    ['愛知県', '弥富市', ''],
    ['三重県', '桑名郡木曽岬町', ''],
  ]);
  const kiyosu = (await (await request.get('/postal/452.json')).json()) as Record<string, string[][]>;
  expect(kiyosu['4520961'].length).toBeGreaterThan(50);
  expect(kiyosu['4520961']).toContainEqual(['愛知県', '清須市', '春日明河原']);
});
