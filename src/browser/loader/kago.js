/*! Kago loader: the one file a merchant references.
 * <script src=".../kago.js" defer data-currency="USD"></script>
 * Finds its own URL, loads the widget's wasm from beside it, and starts it once. Clicks on
 * product elements while the wasm loads are kept and added when it is ready. */
(function () {
  "use strict";
  var w = window, d = document;
  if (w.kagoLoader) return; // a second copy of the tag starts nothing
  var script = d.currentScript || d.querySelector('script[src*="kago.js"]');
  if (!script) return console.error("Kago: cannot find the kago.js script tag.");
  var base = new URL(".", script.src).href;
  var pending = [];
  function early(e) {
    var el = e.target && e.target.closest && e.target.closest("[data-kago-add]");
    if (el) { e.preventDefault(); pending.push(el); }
  }
  d.addEventListener("click", early, true);
  w.kagoLoader = { base: base };
  function start(glue) {
    return glue.default({ module_or_path: base + "kago-checkout_bg.wasm" }).then(function () {
      try { glue.kagoStart(script, pending); } finally { d.removeEventListener("click", early, true); }
    });
  }
  import(base + "kago-checkout.js").then(start).catch(function (err) {
    d.removeEventListener("click", early, true);
    console.error("Kago: the widget could not load from " + base + " (" + err + "). Check that the .wasm file is served as application/wasm and that the page's CSP allows 'wasm-unsafe-eval'.");
  });
})();
