// Starts the app's wasm: Trunk names wasm-bindgen's glue after the package (kago-checkout), and
// the glue finds its wasm beside itself. A file, not Trunk's inline <script>, so the page needs
// no 'unsafe-inline': served by kago-server it runs under `script-src 'self' 'wasm-unsafe-eval';
// style-src 'self'`.
import init from './kago-checkout.js';

await init();
