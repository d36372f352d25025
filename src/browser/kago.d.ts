// TypeScript definitions for Kago's host-page API (window.Kago) and its kago:* events.
// Amounts are integers in minor units of the shop currency (cents, yen).

export interface KagoItemInput {
  sku: string;
  name: string;
  /** Unit price in major units: "12.50" or 12.5 (same rule as data-price). */
  price: string | number;
  variant?: string;
  image?: string;
  quantity?: number;
}

export interface KagoCartItem {
  sku: string;
  variant: string | null;
  name: string;
  quantity: number;
  unit_price: number;
}

export interface KagoCart {
  currency: string;
  items: KagoCartItem[];
  totals: { subtotal: number; discount: number; shipping: number; tax: number; tax_included: boolean; total: number };
  item_count: number;
}

export type KagoEventName =
  | "ready" | "item_added" | "item_removed" | "quantity_changed" | "cart_viewed"
  | "checkout_started" | "step_viewed" | "step_completed" | "shipping_selected" | "payment_selected"
  | "discount_applied" | "discount_rejected" | "order_submitted" | "order_completed" | "order_failed"
  | "checkout_abandoned" | "registration_prompt_shown" | "registration_accepted"
  | "registration_dismissed" | "checkout_feedback" | "order_corrected";

export interface KagoEventDetail {
  currency?: string;
  /** Cart total in minor units. */
  value?: number;
  sku?: string;
  variant?: string | null;
  quantity?: number;
  step?: "contact" | "delivery" | "review";
  shipping_method?: string;
  payment_method?: string;
  discount_code?: string;
  order_id?: string;
  idempotency_key?: string;
  /** checkout_abandoned: the shopper's answer to "What stopped you?", if any. */
  reason?: string;
  /** checkout_abandoned: closed, hidden, unload or idle. */
  trigger?: string;
  last_step?: string;
  duration_ms?: number;
  status?: number;
  /** order_corrected: what the order endpoint corrected (README, "Trusting the order"). */
  correction?: "prices_changed" | "unavailable" | "code_invalid";
  /** order_corrected: how many changes the shopper was shown. */
  count?: number;
  version?: string;
  [key: string]: unknown;
}

/**
 * `window.Kago`. It exists from the moment kago.js runs: until the widget is ready it is a
 * stand-in that queues calls and applies them in order once the widget is ready (`ready`).
 * `addItem`, `removeItem`, `open` and `openCheckout` also start loading the widget at once; `on`
 * and `consent` only wait for it.
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
   * Before the widget is ready the call is queued and returns true (the cart button's count goes
   * up at once); a refusal is then reported in the console when it is applied.
   */
  addItem(item: KagoItemInput): boolean;
  /** Removes the line with this sku and variant; false when there is none. Queued (true) before ready. */
  removeItem(sku: string, variant?: string): boolean;
  /** Opens the cart (before ready: its frame at once, busy, and the cart when the widget is ready). */
  open(): void;
  close(): void;
  openCheckout(): void;
  /** The cart and its totals. Throws an Error before the widget is ready: use `(await Kago.ready).cart()`. */
  cart(): KagoCart;
  /** Funnel events (data-consent="required") are stored and sent only once this is called with true. */
  consent(granted: boolean): void;
  /**
   * Calls back on each kago:<name> event (right after the frame that shows the change, in order);
   * returns a function that stops listening. `on("ready", …)` after the widget is ready calls back
   * once, right after the call.
   */
  on(name: KagoEventName, callback: (detail: KagoEventDetail) => void): () => void;
}

declare global {
  interface Window {
    Kago?: KagoApi;
  }
  interface WindowEventMap {
    "kago:ready": CustomEvent<KagoEventDetail>;
    "kago:item_added": CustomEvent<KagoEventDetail>;
    "kago:item_removed": CustomEvent<KagoEventDetail>;
    "kago:quantity_changed": CustomEvent<KagoEventDetail>;
    "kago:cart_viewed": CustomEvent<KagoEventDetail>;
    "kago:checkout_started": CustomEvent<KagoEventDetail>;
    "kago:step_viewed": CustomEvent<KagoEventDetail>;
    "kago:step_completed": CustomEvent<KagoEventDetail>;
    "kago:shipping_selected": CustomEvent<KagoEventDetail>;
    "kago:payment_selected": CustomEvent<KagoEventDetail>;
    "kago:discount_applied": CustomEvent<KagoEventDetail>;
    "kago:discount_rejected": CustomEvent<KagoEventDetail>;
    "kago:order_submitted": CustomEvent<KagoEventDetail>;
    "kago:order_completed": CustomEvent<KagoEventDetail>;
    "kago:order_failed": CustomEvent<KagoEventDetail>;
    "kago:checkout_abandoned": CustomEvent<KagoEventDetail>;
    "kago:registration_prompt_shown": CustomEvent<KagoEventDetail>;
    "kago:registration_accepted": CustomEvent<KagoEventDetail>;
    "kago:registration_dismissed": CustomEvent<KagoEventDetail>;
    "kago:checkout_feedback": CustomEvent<KagoEventDetail>;
    "kago:order_corrected": CustomEvent<KagoEventDetail>;
  }
}
