/*! Kago as an ES module: `loadKago(options)` adds kago.js to the page with the script tag's
 * settings and resolves with window.Kago once the widget is ready. Same files, same settings and
 * the same loading as the tag (kago.js fetches the rest from beside itself, with integrity).
 *
 *   import { loadKago } from "@kago/checkout";   // or from "https://cdn.example/kago/kago.mjs"
 *   const Kago = await loadKago({ currency: "EUR", orderEndpoint: "/api/orders" });
 *
 * Types: kago.d.ts. */

// The folder this module was loaded from: kago.js and its files are beside it (a CDN, or
// node_modules/@kago/checkout served as it is). A bundle that copies only this file sets `base`.
const HERE = import.meta.url;

let loading;

/** `orderEndpoint` → `data-order-endpoint`. */
function attributeName(option) {
  return "data-" + option.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase());
}

/**
 * Loads the widget once: later calls (and a kago.js tag already on the page) get the same API.
 * Rejects when kago.js or the files it loads cannot be fetched (the message says which and why).
 */
export function loadKago(options = {}) {
  if (loading) return loading;
  const w = window;
  const d = document;
  if (w.kagoLoader && w.Kago && w.Kago.ready) return (loading = w.Kago.ready);
  const { base, config, ...settings } = options;
  const src = new URL("kago.js", new URL(base ?? ".", HERE)).href;
  const script = d.createElement("script");
  script.src = src;
  script.async = true;
  for (const [option, value] of Object.entries(settings)) {
    if (value != null) script.setAttribute(attributeName(option), String(value));
  }
  if (config != null) {
    // The JSON block, as the tag's page would hold it (never executed: type application/json).
    const block = d.createElement("script");
    block.type = "application/json";
    block.id = "kago-config-esm";
    block.textContent = typeof config == "string" ? config : JSON.stringify(config);
    d.head.appendChild(block);
    script.setAttribute("data-config", block.id);
  }
  loading = new Promise((resolve, reject) => {
    script.addEventListener("load", () => {
      if (w.Kago && w.Kago.ready) w.Kago.ready.then(resolve, reject);
      else reject(new Error("Kago: " + src + " ran but window.Kago is not Kago's (the page defines its own window.Kago)."));
    });
    script.addEventListener("error", () => {
      const origin = new URL(src).origin;
      reject(new Error("Kago: could not load " + src + (origin != location.origin
        ? ". It is on another origin (" + origin + "): the page's CSP must allow it in script-src and connect-src, and the files kago.js loads must be sent with CORS (Access-Control-Allow-Origin)."
        : ": is the package's folder served at that URL? Set loadKago({ base }) to where kago.js is.")));
    });
  });
  d.head.appendChild(script);
  return loading;
}

export default loadKago;
