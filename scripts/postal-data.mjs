#!/usr/bin/env node
// Trunk post_build hook (Trunk.toml): writes Japan Post's postal-code data as small files the
// widget fetches when a shopper types a Japanese postal code, one file per first three digits,
// so a lookup downloads a few KB and the data never sits in the wasm.
//
//   node scripts/postal-data.mjs [DIR]   (DIR: $TRUNK_STAGING_DIR, else dist) → DIR/postal/NNN.json
//
// Format (read by kago-core's `japan::PostalFile`; the same text is in README, "Postal data"):
//   postal/150.json = {"1500001":[["東京都","渋谷区","神宮前"]],"1500002":[["東京都","渋谷区","渋谷"]],…}
//   - One file per three-digit prefix that has codes (no file: no code starts with it).
//   - Keys: the seven digits of the code, no hyphen, ascending.
//   - Values: one or more [prefecture, city, town] as Japan Post writes them (prefecture as in
//     JIS X 0401, 東京都; city with its county or ward, 札幌市中央区). Several entries: several
//     towns (or cities) share the code, and the shopper picks one. Town "" means the code covers
//     the rest of the city without a town name (Japan Post's 「以下に掲載がない場合」).
//   - UTF-8 JSON, no white space, no other keys; the same bytes on every build.
//
// Source: the npm package jquery-jpostal-ja (pinned in package.json; MIT, © Aoki Makoto, Ninton
// G.K.), whose json/NNN.json files carry Japan Post's KEN_ALL (address codes) and JIGYOSYO
// (codes of single large offices) already merged across Japan Post's split lines. Data date:
// Japan Post's release of 2025-09-30 (the package's _000info row). Japan Post does not claim
// copyright on its postal-code data and lets anyone redistribute it
// (post.japanpost.jp/zipcode/dl/readme.html). Only KEN_ALL's rows are kept: an office's own
// code names a company, not an address a shopper types.
//
// Town texts, cleaned as Japan Post's readme and common practice say (most are cleaned
// upstream already; each rule counts what it changed, printed at the end):
//   - placeholders become "": 「以下に掲載がない場合」, 「…の次に番地がくる場合」,
//     「…の次に…がくる場合」, and 「<town>一円」 (the whole town) — but 「一円」 alone is a
//     real place (滋賀県犬上郡多賀町一円) and stays;
//   - a closing parenthesised note is dropped (「大手町（次のビルを除く）」 → 「大手町」,
//     「（地階・階層不明）」), except a floor, which the code is for (「（１階）」 → 「１階」);
//     a parenthesis inside a building's name stays (「名駅ミッドランドスクエア（高層棟）１階」).
// To update the data: `npm install --save-dev --save-exact jquery-jpostal-ja@<version>`, then set
// DATA_DATE below and in README to the new _000info date (this script stops if they differ).
import { gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DATA_DATE = '2025-09-30';
const PACKAGE = 'jquery-jpostal-ja';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(process.argv[2] || process.env.TRUNK_STAGING_DIR || join(repo, 'dist'), 'postal');

function fail(message) {
  console.error(`postal-data: ${message}`);
  process.exit(1);
}

const started = process.hrtime.bigint();
let source;
try {
  source = join(dirname(createRequire(import.meta.url).resolve(`${PACKAGE}/package.json`)), 'json');
} catch {
  fail(`the dev dependency ${PACKAGE} is not installed: run npm ci`);
}

// Each source file is JSONP: jQuery_jpostal_callback([[code, prefecture, city, town, street,
// office name, prefecture kana, city kana, town kana], …]); codes are "_" + seven digits.
function readSource(name) {
  const text = readFileSync(join(source, name), 'utf8');
  const json = text.match(/^\s*jQuery_jpostal_callback\(([\s\S]*)\);?\s*$/);
  if (!json) fail(`${name}: not jQuery_jpostal_callback(…): the package changed shape`);
  const rows = JSON.parse(json[1]);
  if (!Array.isArray(rows) || rows.some((r) => !Array.isArray(r) || r.length !== 9)) {
    fail(`${name}: rows are not arrays of 9 columns: the package changed shape`);
  }
  return rows;
}

const info = readSource('000.json').find((row) => row[0] === '_000info');
const infoDate = info?.[2]?.split(' ').at(-1);
if (infoDate !== DATA_DATE) {
  fail(
    `${PACKAGE} carries Japan Post's data of ${infoDate}, not ${DATA_DATE}: ` +
      'update DATA_DATE in this script and the date in README ("Postal data")',
  );
}

const counts = { placeholder: 0, note: 0, floor: 0, office: 0, duplicate: 0 };

function cleanTown(town) {
  if (
    town === '以下に掲載がない場合' ||
    /の次に.*がくる場合$/.test(town) ||
    (town.endsWith('一円') && town !== '一円')
  ) {
    counts.placeholder++;
    return '';
  }
  const note = town.match(/^(.*?)（([^（）]*)）$/);
  if (note) {
    if (/^[０-９0-9]+階$/.test(note[2])) {
      counts.floor++;
      return note[1] + note[2];
    }
    counts.note++;
    return note[1];
  }
  if (town.includes('（') && !town.includes('）')) {
    // A note Japan Post split over several lines, left open: the name is what comes before it.
    counts.note++;
    return town.slice(0, town.indexOf('（'));
  }
  return town;
}

const byPrefix = new Map();
const prefectures = new Set();
for (const name of readdirSync(source).filter((f) => /^\d{3}\.json$/.test(f)).sort()) {
  for (const [key, prefecture, city, town, street, office] of readSource(name)) {
    if (!/^_\d{7}$/.test(key)) continue; // _NNNinfo and _NNN rows: the package's own notes
    if (street || office) {
      counts.office++;
      continue;
    }
    const code = key.slice(1);
    if (!prefecture || !city) fail(`${name}: ${code} has no prefecture or city`);
    prefectures.add(prefecture);
    const prefix = code.slice(0, 3);
    if (!byPrefix.has(prefix)) byPrefix.set(prefix, new Map());
    const codes = byPrefix.get(prefix);
    if (!codes.has(code)) codes.set(code, []);
    const entries = codes.get(code);
    const entry = [prefecture, city, cleanTown(town)];
    if (entries.some((e) => e.every((part, i) => part === entry[i]))) {
      counts.duplicate++;
      continue;
    }
    entries.push(entry);
  }
}
if (prefectures.size !== 47) fail(`expected the 47 prefectures, found ${prefectures.size}`);

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
let totalCodes = 0;
let rawTotal = 0;
let gzipTotal = 0;
let largest = { name: '', raw: 0, gzip: 0 };
const prefixes = [...byPrefix.keys()].sort();
for (const prefix of prefixes) {
  const codes = byPrefix.get(prefix);
  const keys = [...codes.keys()].sort();
  // Written by hand rather than JSON.stringify(object), which would order keys such as
  // "1500001" numerically but "0010000" by insertion.
  const body = `{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(codes.get(k))}`).join(',')}}`;
  const bytes = Buffer.from(body, 'utf8');
  writeFileSync(join(outDir, `${prefix}.json`), bytes);
  const gzip = gzipSync(bytes, { level: 9 }).length;
  totalCodes += keys.length;
  rawTotal += bytes.length;
  gzipTotal += gzip;
  if (bytes.length > largest.raw) largest = { name: `${prefix}.json`, raw: bytes.length, gzip };
}
if (totalCodes < 100_000) fail(`only ${totalCodes} codes: the source looks incomplete`);

const ms = Number(process.hrtime.bigint() - started) / 1e6;
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log(
  `postal-data: ${totalCodes} codes (Japan Post ${DATA_DATE}) in ${prefixes.length} files → ${outDir}\n` +
    `postal-data: ${kb(rawTotal)} raw, ${kb(gzipTotal)} gzip -9 in all; ` +
    `mean ${kb(rawTotal / prefixes.length)} raw, ${kb(gzipTotal / prefixes.length)} gzip; ` +
    `largest ${largest.name} ${kb(largest.raw)} raw, ${kb(largest.gzip)} gzip\n` +
    `postal-data: town texts: ${counts.placeholder} placeholders emptied, ${counts.note} notes dropped, ` +
    `${counts.floor} floors kept; ${counts.office} office codes and ${counts.duplicate} duplicate rows left out ` +
    `(${ms.toFixed(0)} ms)`,
);
