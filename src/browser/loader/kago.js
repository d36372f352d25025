/*! Kago loader: the one file a merchant references.
 * <script src=".../kago.js" defer data-currency="USD"></script>
 * Finds its own URL and fetches the stylesheet, the JS glue and the wasm from beside it at once.
 * Meanwhile it draws the cart button (count from the saved cart) with the button's own styles,
 * which the build copies in from kago.css; the widget takes the button over in place when the
 * wasm is ready: no wait, no layout shift. Taps on that button and on product elements while
 * the wasm loads are kept and acted on when it is ready. */
(function () {
  "use strict";
  var w = window, d = document;
  if (w.kagoLoader) return; // a second copy of the tag starts nothing
  var script = d.currentScript || d.querySelector('script[src*="kago.js"]');
  if (!script) return console.error("Kago: cannot find the kago.js script tag.");
  var base = new URL(".", script.src).href;
  // The "early-button" part of kago.css, put here by scripts/embed-early-css.mjs at build time.
  var EARLY_CSS = "__KAGO_EARLY_CSS__";
  var pending = [], openCart = false, started = false;
  function early(e) {
    var el = e.target && e.target.closest && e.target.closest("[data-kago-add]");
    if (el) { e.preventDefault(); pending.push(el); }
  }
  d.addEventListener("click", early, true);
  w.kagoLoader = { base: base };

  function get(file) {
    return fetch(base + file).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status + " for " + file);
      return r;
    });
  }
  var css = get("kago.css").then(function (r) { return r.text(); });
  var wasm = get("kago-checkout_bg.wasm");
  wasm.catch(function () {});
  if (EARLY_CSS.indexOf("__KAGO") === 0) {
    css.then(drawButton, function () {}); // not embedded (a bare copy of the source): wait
  } else if (d.body) {
    drawButton(EARLY_CSS);
  } else {
    d.addEventListener("DOMContentLoaded", function () { drawButton(EARLY_CSS); });
  }

  // A setting as the widget reads it: the script tag's attribute, else the JSON block's key.
  var block;
  function setting(name) {
    var v = script.getAttribute("data-" + name);
    if (v == null) {
      try {
        block = block || JSON.parse(d.getElementById(script.getAttribute("data-config") || "kago-config").textContent);
        v = block[name];
      } catch (e) {}
    }
    return typeof v == "string" ? v : null;
  }

  // Items in the saved cart (localStorage "kago.cart", format v1) for this shop's currency.
  function savedCount() {
    try {
      var cart = JSON.parse(localStorage.getItem("kago.cart"));
      var currency = (setting("currency") || "USD").trim().toUpperCase();
      if (!cart || cart.v !== 1 || cart.currency !== currency) return 0;
      return cart.lines.reduce(function (n, l) { return n + (l.quantity >>> 0); }, 0);
    } catch (e) {
      return 0;
    }
  }

  // The same markup, label and styles as the widget's cart button (src/ui/cart_button.rs).
  function drawButton(text) {
    if (started || !d.body || d.querySelector("kago-widget")) return;
    var host = d.createElement("kago-widget");
    host.setAttribute("data-kago-early", "");
    var root = host.attachShadow({ mode: "open" });
    var sheet = new CSSStyleSheet();
    sheet.replaceSync(text);
    root.adoptedStyleSheets = [sheet];
    var ja = /^ja\b/i.test(setting("locale") || navigator.language || "");
    var n = savedCount();
    var svg = "http://www.w3.org/2000/svg";
    function el(name, attrs, ns) {
      var e = ns ? d.createElementNS(ns, name) : d.createElement(name);
      for (var k in attrs) e.setAttribute(k, attrs[k]);
      return e;
    }
    var wrap = el("div", { "class": "kago-root", lang: ja ? "ja" : "en" });
    var button = el("button", {
      type: "button", "class": "kago-cart-button", "aria-haspopup": "dialog", "aria-expanded": "false",
      "aria-label": ja ? "カート、" + n + "点" : "Cart, " + n + (n === 1 ? " item" : " items")
    });
    var icon = el("svg", { "class": "kago-icon", viewBox: "0 0 24 24", "aria-hidden": "true", focusable: "false" }, svg);
    icon.appendChild(el("path", { d: "M3 9h18l-2 11H5L3 9zm5 0l4-6 4 6" }, svg));
    var badge = el("span", { "class": n ? "kago-badge" : "kago-badge kago-badge-empty", "aria-hidden": "true" });
    badge.textContent = String(Math.min(n, 999));
    button.appendChild(icon);
    button.appendChild(badge);
    button.addEventListener("click", function () { openCart = true; });
    wrap.appendChild(button);
    root.appendChild(wrap);
    // Beside <body>, not in it: what the page does to its body (zoom, replacing its content)
    // never reaches the widget.
    d.documentElement.appendChild(host);
  }

  Promise.all([import(base + "kago-checkout.js"), css]).then(function (loaded) {
    var glue = loaded[0];
    return glue.default({ module_or_path: wasm }).then(function () {
      started = true;
      try { glue.kagoStart(script, pending, loaded[1], openCart); } finally { d.removeEventListener("click", early, true); }
    });
  }).catch(function (err) {
    d.removeEventListener("click", early, true);
    var host = d.querySelector("kago-widget[data-kago-early]");
    if (host) host.remove();
    console.error("Kago: the widget could not load from " + base + " (" + err + "). Check that kago.css, kago-checkout.js and the .wasm file (as application/wasm) are served there and that the page's CSP allows 'wasm-unsafe-eval'.");
  });
})();
