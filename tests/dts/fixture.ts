// Every part of kago.d.ts used as an app would, under `tsc --strict` (tests/dts/tsconfig.json;
// scripts/test runs it). Each `@ts-expect-error` is a mistake the types must catch: if one stops
// being an error (a type grew too loose, an event's detail stopped narrowing), tsc fails with
// "Unused '@ts-expect-error' directive".
import loadKago, { loadKago as namedLoadKago } from '@kago/checkout';
import type { KagoApi, KagoCart, KagoEventMap, KagoEventName, KagoEventDetail } from '@kago/checkout';

export async function everything(): Promise<void> {
  const kago: KagoApi = await loadKago({
    base: new URL('https://cdn.example/kago/'),
    currency: 'EUR',
    orderEndpoint: '/api/orders',
    cartButton: 'none',
    taxRate: 19,
    config: { texts: { checkout: 'Go to payment' } },
  });
  const same: Promise<KagoApi> = namedLoadKago();
  void same;
  // @ts-expect-error: not a position
  void loadKago({ cartButton: 'top-left' });
  // @ts-expect-error: not a setting
  void loadKago({ orderEndpiont: '/api/orders' });

  const ready: KagoApi = await kago.ready;
  void ready;
  const added: boolean = kago.addItem({ sku: 'MUG-1', name: 'Mug', price: '18.00', quantity: 2, image: '/mug.jpg', meta: { gift_message: 'For Ana' } });
  void added;
  // @ts-expect-error: meta holds strings only
  kago.addItem({ sku: 'MUG-1', name: 'Mug', price: 18, meta: { engraved: true } });
  // @ts-expect-error: price is required
  kago.addItem({ sku: 'MUG-1', name: 'Mug' });
  kago.removeItem('MUG-1');
  kago.removeItem('TEE-1', 'M');
  kago.removeItem('TEE-1', null);
  kago.setQuantity('MUG-1', 3);
  kago.setQuantity('TEE-1', 'M', 0);
  // @ts-expect-error: the quantity is a number
  kago.setQuantity('MUG-1', 'three');
  kago.clear();
  kago.open();
  kago.close();
  kago.openCheckout();
  const applied: boolean = kago.applyCode('WELCOME10');
  void applied;
  kago.removeCode();
  kago.prefill({ email: 'ana@example.com', name: 'Ana', phone: '+49 30 1234567', address: { country: 'DE', postal_code: '10115', city: 'Berlin', line1: 'Invalidenstr. 1' } });
  // @ts-expect-error: not a prefill field
  kago.prefill({ mail: 'ana@example.com' });
  kago.setLocale('ja');
  // @ts-expect-error: Kago has no such language
  kago.setLocale('fr');
  kago.consent(true);

  const cart: KagoCart = kago.cart();
  const count: number = cart.item_count;
  const total: string = cart.formatted.total;
  const line = cart.items[0];
  if (line) {
    const image: string | null = line.image;
    const gift: string | undefined = line.meta['gift_message'];
    const lineTotal: string = line.formatted.line_total;
    void [image, gift, lineTotal];
    // @ts-expect-error: the snapshot is read-only
    line.quantity = 5;
  }
  // @ts-expect-error: the snapshot is read-only
  cart.items.push(cart.items[0]!);
  void [count, total];

  const stop: () => void = kago.subscribe((next) => {
    const n: number = next.item_count;
    void n;
  });
  stop();

  // Each event's detail narrowed by its name.
  kago.on('ready', (d) => {
    const version: string = d.version;
    void version;
  });
  kago.on('cart_changed', (d) => {
    const items: number = d.cart.item_count;
    const value: number = d.value;
    void [items, value];
  });
  kago.on('item_added', (d) => {
    const sku: string = d.sku;
    const variant: string | null = d.variant;
    void [sku, variant];
    // @ts-expect-error: item_added has no order_id
    void d.order_id;
  });
  kago.on('order_completed', (d) => {
    const id: string = d.order_id;
    void id;
    // @ts-expect-error: order_completed has no sku
    void d.sku;
  });
  kago.on('step_viewed', (d) => {
    const step: 'contact' | 'delivery' | 'review' = d.step;
    void step;
    // @ts-expect-error: not a step
    const wrong: 'payment' = d.step;
    void wrong;
  });
  kago.on('order_failed', (d) => {
    const status: number = d.status;
    const reason: 'rejected' | 'unreachable' = d.reason;
    void [status, reason];
  });
  kago.on('checkout_abandoned', (d) => {
    const reason: 'shipping_cost' | 'payment_missing' | 'just_looking' | 'other' | undefined = d.reason;
    void reason;
  });
  // @ts-expect-error: not a Kago event
  kago.on('item_add', () => {});

  // A listener of several kinds narrows by `type`.
  const describe = (d: KagoEventMap['item_added'] | KagoEventMap['order_completed']): string =>
    d.type === 'item_added' ? d.sku : d.order_id;
  void describe;
  const names: KagoEventName[] = ['ready', 'order_corrected'];
  const any: KagoEventDetail | undefined = undefined;
  void [names, any];

  // The DOM events are typed too.
  window.addEventListener('kago:discount_rejected', (e) => {
    const reason: 'unknown' | 'below_minimum' = e.detail.reason;
    void reason;
  });
  window.addEventListener('kago:cart_changed', (e) => {
    const cart2: KagoCart = e.detail.cart;
    void cart2;
  });
  const fromWindow: KagoApi | undefined = window.Kago;
  void fromWindow;
}
