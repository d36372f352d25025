import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { APIRequestContext, Page, Request } from '@playwright/test';
import { expect } from './fixtures';
import { ADMIN_TOKEN } from './admin';

// Shared steps of the funnel-event tests (events.spec.ts): what the demo server's
// POST /api/events stored (GET /api/events), what the page POSTed, and the published JSON Schema
// (schema/events.schema.json, draft 2020-12) every event and batch is checked against.

/** One funnel event as the widget sends it (and the demo server stores it). */
export type FunnelEvent = {
  schema: number;
  id: string;
  type: string;
  at: string;
  session_id: string;
  cart_id: string;
  device: string;
  locale: string;
  currency: string;
  page: string;
  value?: number;
  items?: { sku: string; variant: string | null; quantity: number; unit_price: number }[];
  contact?: { email: string };
  step?: string;
  last_step?: string;
  trigger?: string;
  reason?: string;
  duration_ms?: number;
  order_id?: string;
  [key: string]: unknown;
};

export type KagoBatch = { schema: 1; sent_at: string; dropped: number; events: FunnelEvent[] };

export type SegmentCall = {
  type: string;
  event: string;
  messageId: string;
  timestamp: string;
  anonymousId: string;
  properties: Record<string, unknown>;
  context: Record<string, unknown>;
};

export type SegmentBatch = { batch: SegmentCall[]; sentAt: string; context?: { dropped?: number } };

const schemaPath = path.join(__dirname, '..', '..', 'schema', 'events.schema.json');
export const eventSchema = JSON.parse(fs.readFileSync(schemaPath, 'utf8')) as { $id: string };

const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
const checkBatch = ajv.compile(eventSchema);
const checkEvent = ajv.getSchema(`${eventSchema.$id}#/$defs/Event`)!;

/** Fails with ajv's errors (and the value) unless `batch` is a valid Kago batch. */
export function expectValidBatch(batch: unknown, what = 'batch'): void {
  const ok = checkBatch(batch);
  expect(ok, `${what} is valid against events.schema.json: ${ajv.errorsText(checkBatch.errors)}\n${JSON.stringify(batch)}`).toBe(true);
}

/** Fails unless `event` is valid against the schema's `$defs/Event`. */
export function expectValidEvent(event: unknown, what = 'event'): void {
  const ok = checkEvent(event);
  expect(ok, `${what} is valid against events.schema.json: ${ajv.errorsText(checkEvent.errors)}\n${JSON.stringify(event)}`).toBe(true);
}

export type EventQuery = { type?: string; cart_id?: string; session_id?: string };

/** What the demo server stored, in arrival order. */
export async function storedEvents(request: APIRequestContext, query: EventQuery): Promise<FunnelEvent[]> {
  const params = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined) as [string, string][]);
  const response = await request.get(`/api/events?${params}`);
  expect(response.status(), 'GET /api/events').toBe(200);
  return ((await response.json()) as { events: FunnelEvent[] }).events;
}

/** Waits until the stored events of `query` satisfy `done`, and returns them. */
export async function waitForStored(
  request: APIRequestContext,
  query: EventQuery,
  done: (events: FunnelEvent[]) => boolean,
  message: string,
  timeout = 20_000,
): Promise<FunnelEvent[]> {
  let events: FunnelEvent[] = [];
  await expect
    .poll(
      async () => {
        events = await storedEvents(request, query);
        return done(events);
      },
      { message: `${message} (stored: ${describe(events)})`, timeout, intervals: [250, 500, 1000] },
    )
    .toBe(true);
  return events;
}

/** `type` or `type:step` of each event, for messages. */
export function describe(events: FunnelEvent[]): string {
  return events.map(label).join(', ') || '(none)';
}

export function label(e: FunnelEvent): string {
  return e.step ? `${e.type}:${e.step}` : e.type;
}

/** The events sorted by `at`, arrival order breaking ties. */
export function byTime(events: FunnelEvent[]): FunnelEvent[] {
  return events
    .map((e, i) => ({ e, i }))
    .sort((a, b) => (a.e.at < b.e.at ? -1 : a.e.at > b.e.at ? 1 : a.i - b.i))
    .map(({ e }) => e);
}

/** Ids that occur more than once. */
export function repeated(ids: string[]): string[] {
  return [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
}

/** One POST to /api/events as the page sent it (fetch or sendBeacon). */
export type EventPost = { tab: string; time: number; body: string; ids: string[]; request: Request };

/** The event ids of a Kago or Segment batch body. */
export function idsOf(body: string): string[] {
  try {
    const parsed = JSON.parse(body) as Partial<KagoBatch & SegmentBatch>;
    if (Array.isArray(parsed.events)) return parsed.events.map((e) => e.id);
    if (Array.isArray(parsed.batch)) return parsed.batch.map((c) => c.messageId);
  } catch {
    // not JSON: no ids
  }
  return [];
}

/** Records every POST the page sends to /api/events, from now on, across reloads. */
export function watchEventPosts(page: Page, tab = 'page', into: EventPost[] = []): EventPost[] {
  page.on('request', (request) => {
    if (request.method() !== 'POST' || new URL(request.url()).pathname !== '/api/events') return;
    const body = request.postData() ?? '';
    into.push({ tab, time: Date.now(), body, ids: idsOf(body), request });
  });
  return into;
}

/**
 * Records every `navigator.sendBeacon` call of the page (`window.__kagoBeacons`), still sending
 * it: Playwright sees no request event for a beacon, so this is how a test sees one.
 */
export async function recordBeacons(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const beacons: { time: number; url: string; body: string }[] = [];
    (window as unknown as { __kagoBeacons: unknown }).__kagoBeacons = beacons;
    const send = navigator.sendBeacon.bind(navigator);
    navigator.sendBeacon = (url: string | URL, data?: BodyInit | null) => {
      beacons.push({ time: Date.now(), url: String(url), body: typeof data === 'string' ? data : '(not a string)' });
      return send(url, data);
    };
  });
}

export async function beaconsOf(page: Page): Promise<{ time: number; url: string; body: string }[]> {
  return page.evaluate(() => (window as unknown as { __kagoBeacons?: { time: number; url: string; body: string }[] }).__kagoBeacons ?? []);
}

/**
 * No event id is in two request bodies: what a page must achieve when the endpoint answers every
 * POST promptly with 2xx (retries may repeat ids; nothing else should).
 */
export function expectSentOnce(posts: { ids: string[]; tab?: string }[], what = 'event ids sent in two requests'): void {
  const seenIn = new Map<string, number[]>();
  posts.forEach((p, n) => {
    for (const id of p.ids) seenIn.set(id, [...(seenIn.get(id) ?? []), n + 1]);
  });
  const twice = [...seenIn].filter(([, where]) => where.length > 1).map(([id, where]) => `${id} in POSTs #${where.join(', #')}`);
  expect
    .soft(twice, `${what} (POSTs: ${posts.map((p, n) => `#${n + 1}${p.tab ? ` ${p.tab}` : ''}: ${p.ids.length} events`).join('; ')})`)
    .toEqual([]);
}

/** This browser's cart id (`localStorage['kago.cart_id']`), once the widget has started. */
export async function cartIdOf(page: Page): Promise<string> {
  await expect
    .poll(() => page.evaluate(() => localStorage.getItem('kago.cart_id')), { message: 'kago.cart_id is set' })
    .toBeTruthy();
  return (await page.evaluate(() => localStorage.getItem('kago.cart_id')))!;
}

/**
 * The events waiting anywhere: each tab's queue `kago.events.tab.<id>` and the legacy shared
 * `kago.events` (an event in two queues, adopted from a gone tab, is counted once).
 */
export async function queuedEvents(page: Page): Promise<FunnelEvent[]> {
  const texts = await page.evaluate(() =>
    Object.keys(localStorage)
      .filter((k) => k === 'kago.events' || k.startsWith('kago.events.tab.'))
      .map((k) => localStorage.getItem(k) ?? ''),
  );
  const byId = new Map<string, FunnelEvent>();
  for (const text of texts) {
    const events = ((JSON.parse(text) as { events?: FunnelEvent[] }).events ?? []) as FunnelEvent[];
    for (const e of events) byId.set(String((e as { id?: string }).id), e);
  }
  return [...byId.values()];
}

/** Waits until the shared queue is empty (everything was accepted). */
export async function expectQueueEmpty(page: Page, timeout = 20_000): Promise<void> {
  await expect
    .poll(async () => (await queuedEvents(page)).map(label), { message: 'every kago.events queue is empty', timeout })
    .toEqual([]);
}

/** Records every `kago:<type>` DOM event of the funnel on window (to check they carry no contact). */
export async function recordDomEvents(page: Page): Promise<void> {
  await page.addInitScript((types: string[]) => {
    const seen: unknown[] = [];
    (window as unknown as { __kagoDom: unknown[] }).__kagoDom = seen;
    for (const type of types) {
      window.addEventListener(`kago:${type}`, (e) => {
        try {
          seen.push({ type, detail: JSON.parse(JSON.stringify((e as CustomEvent).detail ?? null)) });
        } catch {
          seen.push({ type, detail: '(not serialisable)' });
        }
      });
    }
  }, FUNNEL_TYPES);
}

export async function domEvents(page: Page): Promise<{ type: string; detail: unknown }[]> {
  return page.evaluate(() => (window as unknown as { __kagoDom?: { type: string; detail: unknown }[] }).__kagoDom ?? []);
}

/** Every event type of schema version 1. */
export const FUNNEL_TYPES = [
  'cart_viewed',
  'item_added',
  'item_removed',
  'quantity_changed',
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
  'checkout_abandoned',
  'registration_prompt_shown',
  'registration_accepted',
  'registration_dismissed',
  'checkout_feedback',
];

/** A random id for test data no other test (or earlier run) uses. */
export function uniqueId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

/** Signs in on /login with the admin token, as the merchant does before opening /funnel. */
export async function signInAsAdmin(page: Page): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Admin token', { exact: true }).fill(ADMIN_TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Checkout funnel', level: 1 })).toBeVisible();
}
