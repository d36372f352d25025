// TypeScript definitions for Kago's host-page API (window.Kago, or loadKago() from the ES module
// kago.mjs / the npm package @kago/checkout) and its kago:* events.
// Amounts are integers in minor units of the shop currency (cents, yen); `formatted` holds the
// same amounts as the shopper reads them ("$54.40", "￥7,200").

export interface KagoItemInput {
  sku: string;
  name: string;
  /** Unit price in major units: "12.50" or 12.5 (same rule as data-price). */
  price: string | number;
  variant?: string;
  image?: string;
  /** 1–99 (default 1). */
  quantity?: number;
  /**
   * The line's own data, carried to the order body's item (a gift message): strings only, at
   * most 1 KB as JSON. Never in events. Adding the same sku and variant again without `meta`
   * keeps the line's meta.
   */
  meta?: Record<string, string>;
}

export interface KagoAmounts {
  subtotal: number;
  discount: number;
  shipping: number;
  tax: number;
  total: number;
}

export interface KagoCartItem {
  /** The line's id: stable while the line exists, the same in every tab (a list key). */
  readonly id: number;
  readonly sku: string;
  readonly variant: string | null;
  readonly name: string;
  readonly quantity: number;
  readonly unit_price: number;
  /** unit_price × quantity. */
  readonly line_total: number;
  readonly image: string | null;
  readonly meta: Readonly<Record<string, string>>;
  readonly formatted: { readonly unit_price: string; readonly line_total: string };
}

/**
 * `Kago.cart()`: a frozen snapshot, the same object until the cart or its totals change (so
 * React's useSyncExternalStore can use `Kago.cart` as getSnapshot and `Kago.subscribe` as
 * subscribe).
 */
export interface KagoCart {
  readonly currency: string;
  readonly items: readonly KagoCartItem[];
  readonly totals: Readonly<KagoAmounts & { tax_included: boolean }>;
  readonly formatted: Readonly<Record<keyof KagoAmounts, string>>;
  /** Units across all lines (the cart button's number). */
  readonly item_count: number;
}

/** What the checkout can be prefilled with (`Kago.prefill`); every field optional. */
export interface KagoPrefill {
  email?: string;
  name?: string;
  phone?: string;
  address?: {
    country?: string;
    postal_code?: string;
    region?: string;
    city?: string;
    line1?: string;
    line2?: string;
  };
}

export type KagoLocale = "en" | "ja";

/** A cart line as events carry it: no names, no images, no meta. */
export interface KagoEventItem {
  sku: string;
  variant: string | null;
  quantity: number;
  unit_price: number;
}

/** What every funnel event's detail carries besides its own fields: the cart at that moment. */
export interface KagoEventCart {
  currency: string;
  /** Cart total in minor units. */
  value: number;
  items: KagoEventItem[];
}

/** A funnel event's detail: its `type`, its own fields and the cart. */
export type KagoFunnelDetail<T extends string, Fields> = { type: T } & Fields & KagoEventCart;

/**
 * Every `kago:<name>` event by name, with its `detail`. The funnel events' fields are those of
 * schema/events.schema.json (a test compares them); `ready` and `cart_changed` are the page's
 * only. Each entry is on one line: name: KagoFunnelDetail<"name", { field: type; … }>.
 */
export interface KagoEventMap {
  ready: { version: string };
  cart_changed: { type: "cart_changed"; cart: KagoCart } & KagoEventCart;
  cart_viewed: KagoFunnelDetail<"cart_viewed", {}>;
  item_added: KagoFunnelDetail<"item_added", { sku: string; variant: string | null; quantity: number }>;
  item_removed: KagoFunnelDetail<"item_removed", { sku: string; variant: string | null; quantity: number; unit_price: number }>;
  quantity_changed: KagoFunnelDetail<"quantity_changed", { sku: string; variant: string | null; quantity: number }>;
  checkout_started: KagoFunnelDetail<"checkout_started", {}>;
  step_viewed: KagoFunnelDetail<"step_viewed", { step: "contact" | "delivery" | "review" }>;
  step_completed: KagoFunnelDetail<"step_completed", { step: "contact" | "delivery" | "review" }>;
  shipping_selected: KagoFunnelDetail<"shipping_selected", { shipping_method: string }>;
  payment_selected: KagoFunnelDetail<"payment_selected", { payment_method: string }>;
  discount_applied: KagoFunnelDetail<"discount_applied", { discount_code: string }>;
  discount_rejected: KagoFunnelDetail<"discount_rejected", { reason: "unknown" | "below_minimum" }>;
  order_submitted: KagoFunnelDetail<"order_submitted", { idempotency_key: string }>;
  order_completed: KagoFunnelDetail<"order_completed", { order_id: string }>;
  order_failed: KagoFunnelDetail<"order_failed", { reason: "rejected" | "unreachable"; status: number }>;
  checkout_abandoned: KagoFunnelDetail<"checkout_abandoned", { last_step: "contact" | "delivery" | "review"; duration_ms: number; trigger: "closed" | "hidden" | "unload" | "idle"; reason?: "shipping_cost" | "payment_missing" | "just_looking" | "other" }>;
  registration_prompt_shown: KagoFunnelDetail<"registration_prompt_shown", { mode: "password" | "link" }>;
  registration_accepted: KagoFunnelDetail<"registration_accepted", { mode: "password" | "link"; marketing_opt_in: boolean }>;
  registration_dismissed: KagoFunnelDetail<"registration_dismissed", { mode: "password" | "link" }>;
  checkout_feedback: KagoFunnelDetail<"checkout_feedback", { rating: number; comment?: string }>;
  order_corrected: KagoFunnelDetail<"order_corrected", { correction: "prices_changed" | "unavailable" | "code_invalid"; count: number }>;
}

export type KagoEventName = keyof KagoEventMap;

/** Any event's detail (a listener of several kinds narrows it by `type`). */
export type KagoEventDetail = KagoEventMap[KagoEventName];

/**
 * `window.Kago`. It exists from the moment kago.js runs: until the widget is ready it is a
 * stand-in that queues calls and applies them in order once the widget is ready (`ready`).
 * `addItem`, `removeItem`, `setQuantity`, `clear`, `applyCode`, `removeCode`, `open` and
 * `openCheckout` also start loading the widget at once; `on`, `subscribe`, `consent`, `prefill`
 * and `setLocale` only wait for it. A queued call that returns a boolean returns true.
 */
export interface KagoApi {
  /**
   * Resolves with the API once the widget is ready (with kago.js: right after the `kago:ready`
   * event); rejects with an Error when it could not load (the console says which file and why).
   */
  readonly ready: Promise<KagoApi>;
  /**
   * Adds an item; false when nothing was added: the input is invalid (with a console warning),
   * or its line is already at the maximum quantity or the cart is full (the shopper is told).
   */
  addItem(item: KagoItemInput): boolean;
  /**
   * Removes lines of this sku: with a variant, that line (`null`: the line without a variant);
   * without, every line of the sku. False when there was none.
   */
  removeItem(sku: string, variant?: string | null): boolean;
  /**
   * Sets a line's quantity (0 removes it; above 99 is 99). Without a variant, the sku must have
   * one line. False when there is no such line (or, with a console warning, the sku has lines of
   * several variants or the quantity is not a whole number).
   */
  setQuantity(sku: string, quantity: number): boolean;
  setQuantity(sku: string, variant: string | null, quantity: number): boolean;
  /** Empties the cart (an item_removed event per line). */
  clear(): void;
  /** Opens the cart (before ready: its frame at once, busy, and the cart when the widget is ready). */
  open(): void;
  close(): void;
  openCheckout(): void;
  /** Applies one of the shop's discount codes (any case); whether it applies now. */
  applyCode(code: string): boolean;
  removeCode(): void;
  /**
   * Fills the checkout's fields the shopper has not typed in (from a signed-in account). Kept in
   * the checkout draft (this tab's sessionStorage), never sent in an event.
   */
  prefill(details: KagoPrefill): void;
  /** The widget's language from now on; false (with a console warning) for another language. */
  setLocale(locale: KagoLocale): boolean;
  /**
   * The cart and its totals: the same frozen object until they change. Throws an Error before
   * the widget is ready: use `(await Kago.ready).cart()`.
   */
  cart(): KagoCart;
  /**
   * Calls back with the new `cart()` after every change of the cart or its totals (made here, in
   * another tab, or by the checkout's shipping method or code); returns a function that stops it.
   */
  subscribe(callback: (cart: KagoCart) => void): () => void;
  /** Funnel events (data-consent="required") are stored and sent only once this is called with true. */
  consent(granted: boolean): void;
  /**
   * Calls back on each kago:<name> event (right after the frame that shows the change, in order);
   * returns a function that stops listening. `on("ready", …)` after the widget is ready calls back
   * once, right after the call.
   */
  on<K extends KagoEventName>(name: K, callback: (detail: KagoEventMap[K]) => void): () => void;
}

/**
 * `loadKago()`'s options: the script tag's settings in camelCase (`orderEndpoint` is
 * `data-order-endpoint`; README, "Settings"), the JSON block as `config`, and where the files are.
 */
export interface KagoOptions {
  /**
   * The folder (URL) with kago.js and the files it loads. Default: the folder of kago.mjs itself,
   * which is right when it is imported from there (a CDN); from a bundle, set it.
   */
  base?: string | URL;
  /** The JSON settings block: an object, or its text. */
  config?: Record<string, unknown> | string;
  currency?: string;
  locale?: KagoLocale | string;
  taxRate?: string | number;
  taxIncluded?: boolean | string;
  shippingFlat?: string | number;
  freeShippingOver?: string | number;
  supportEmail?: string;
  supportUrl?: string;
  orderEndpoint?: string;
  endpoint?: string;
  eventsFormat?: "kago" | "segment";
  eventsContact?: "on" | "off";
  consent?: "required" | "none";
  datalayer?: "on" | "off";
  abandonAfter?: string | number;
  registerPrompt?: "on" | "off";
  registerEndpoint?: string;
  registerIncentive?: string;
  registerMode?: "password" | "link";
  registerSigninUrl?: string;
  registerSnoozeDays?: string | number;
  feedback?: "on" | "off";
  cartButton?: "bottom-right" | "bottom-left" | "none";
}

/**
 * From the ES module: adds kago.js to the page with these settings (once; later calls get the
 * same promise) and resolves with `window.Kago` once the widget is ready.
 */
export declare function loadKago(options?: KagoOptions): Promise<KagoApi>;
export default loadKago;

declare global {
  interface Window {
    Kago?: KagoApi;
  }
  interface WindowEventMap {
    "kago:ready": CustomEvent<KagoEventMap["ready"]>;
    "kago:cart_changed": CustomEvent<KagoEventMap["cart_changed"]>;
    "kago:item_added": CustomEvent<KagoEventMap["item_added"]>;
    "kago:item_removed": CustomEvent<KagoEventMap["item_removed"]>;
    "kago:quantity_changed": CustomEvent<KagoEventMap["quantity_changed"]>;
    "kago:cart_viewed": CustomEvent<KagoEventMap["cart_viewed"]>;
    "kago:checkout_started": CustomEvent<KagoEventMap["checkout_started"]>;
    "kago:step_viewed": CustomEvent<KagoEventMap["step_viewed"]>;
    "kago:step_completed": CustomEvent<KagoEventMap["step_completed"]>;
    "kago:shipping_selected": CustomEvent<KagoEventMap["shipping_selected"]>;
    "kago:payment_selected": CustomEvent<KagoEventMap["payment_selected"]>;
    "kago:discount_applied": CustomEvent<KagoEventMap["discount_applied"]>;
    "kago:discount_rejected": CustomEvent<KagoEventMap["discount_rejected"]>;
    "kago:order_submitted": CustomEvent<KagoEventMap["order_submitted"]>;
    "kago:order_completed": CustomEvent<KagoEventMap["order_completed"]>;
    "kago:order_failed": CustomEvent<KagoEventMap["order_failed"]>;
    "kago:checkout_abandoned": CustomEvent<KagoEventMap["checkout_abandoned"]>;
    "kago:registration_prompt_shown": CustomEvent<KagoEventMap["registration_prompt_shown"]>;
    "kago:registration_accepted": CustomEvent<KagoEventMap["registration_accepted"]>;
    "kago:registration_dismissed": CustomEvent<KagoEventMap["registration_dismissed"]>;
    "kago:checkout_feedback": CustomEvent<KagoEventMap["checkout_feedback"]>;
    "kago:order_corrected": CustomEvent<KagoEventMap["order_corrected"]>;
  }
}
