// Other widgets a merchant could pick instead of Kago, measured the same way: the published
// npm package is fetched with `npm pack` (no install scripts, no dependencies) into
// target/kago-bench/peers/, served by the bench server, and loaded in a host page (a copy of
// the demo page) whose requests to anywhere but 127.0.0.1 are aborted. The bytes counted are
// the package files that page actually requested.
//
// Looked at and left out: Snipcart is not on npm (the `snipcart` package is an unrelated job
// queue); @paddle/paddle-js is a wrapper that loads Paddle.js from Paddle's CDN and
// @lemonsqueezy/lemonsqueezy.js is an API SDK, so npm holds no checkout widget of theirs to
// measure.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const PEERS = [
  {
    id: 'shopify-buy-button',
    name: '@shopify/buy-button-js',
    version: '3.0.6',
    what: "Shopify Buy Button (its published minified bundle, the same code as Shopify's CDN build)",
    // The embed Shopify's admin generates: the bundle, then a client and a product component.
    // Product data, images and the cart would come from the shop's Shopify domain; the bench
    // aborts every request that is not to 127.0.0.1.
    head: (base) => `<script src="${base}dist/buybutton.min.js"></script>`,
    body: () => `<div id="bench-buy-button"></div>
<script>
  try {
    var client = ShopifyBuy.buildClient({ domain: 'bench.myshopify.com', storefrontAccessToken: 'bench' });
    ShopifyBuy.UI.onReady(client).then(function (ui) {
      ui.createComponent('product', { id: '1', node: document.getElementById('bench-buy-button') });
    }).catch(function () {});
  } catch (e) {}
</script>`,
  },
  {
    id: 'commercelayer-drop-in',
    name: '@commercelayer/drop-in.js',
    version: '2.27.0',
    what: 'Commerce Layer drop-in.js (web components: add to cart, cart count, mini cart)',
    head: (base) => `<script>
  window.commercelayerConfig = { clientId: 'bench', scope: 'market:code:bench', domain: 'commercelayer.io' };
</script>
<script type="module" src="${base}dist/drop-in/drop-in.esm.js"></script>
<link rel="stylesheet" href="${base}dist/drop-in/drop-in.css">
<link rel="stylesheet" href="${base}dist/drop-in/minicart.css">`,
    body: () => `<cl-add-to-cart code="TEE-001">Add to cart</cl-add-to-cart>
<cl-cart-link type="mini"><cl-cart-count hide-when-empty></cl-cart-count></cl-cart-link>
<cl-cart type="mini" open-on-add></cl-cart>`,
  },
];

/** The unpacked package directory of a peer, fetched with `npm pack` on first use. */
export async function ensurePeer(peer, cacheDir) {
  const dir = join(cacheDir, `${peer.id}-${peer.version}`);
  const pkg = join(dir, 'package');
  if (existsSync(join(pkg, 'package.json'))) return pkg;
  mkdirSync(cacheDir, { recursive: true });
  const tmp = mkdtempSync(join(cacheDir, '.pack-'));
  try {
    await run('npm', ['pack', `${peer.name}@${peer.version}`, '--pack-destination', tmp, '--silent'], {
      timeout: 180_000,
      env: { ...process.env, npm_config_loglevel: 'error', npm_config_fund: 'false', npm_config_audit: 'false' },
    });
    const tarball = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack ${peer.name}@${peer.version} produced no tarball`);
    const out = join(tmp, 'out');
    mkdirSync(out);
    await run('tar', ['xzf', join(tmp, tarball), '-C', out], { timeout: 60_000 });
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    renameSync(join(out, 'package'), pkg);
    return pkg;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The demo page without Kago, with the peer's tags added. */
export function peerPage(plainHtml, peer, base) {
  return plainHtml
    .replace('</head>', `${peer.head(base)}\n</head>`)
    .replace('</body>', `${peer.body(base)}\n</body>`);
}
