/*! Kago loader: the one file a merchant references.
 * <script src=".../kago.js" async data-currency="USD"></script>
 * It costs the page nothing while the page loads. It draws the cart button at once (count from
 * the saved cart, styles copied in from kago.css at build time) and puts a stand-in at
 * window.Kago that queues calls, but fetches nothing until the page's load event, the paint
 * after it and an idle moment — or at once when the shopper shows intent (pointer down, focus or
 * hover on the cart button or a [data-kago-add] element) or the page asks the widget to act.
 * Then it fetches the stylesheet, the JS glue and the wasm from beside itself, under the
 * content-hashed names and sha384 integrity hashes the build wrote in, and the widget takes the
 * button over in place: no wait, no layout shift. A product tapped meanwhile raises the button's
 * count at once and is added when the widget is ready; a tap on the button opens the drawer's
 * frame, busy, at once. */
(function () {
  "use strict";
  var w = window, d = document;
  if (w.kagoLoader) return; // a second copy of the tag starts nothing
  var script = d.currentScript || d.querySelector('script[src*="kago.js"]');
  if (!script) return console.error("Kago: cannot find the kago.js script tag.");
  var base = new URL(".", script.src).href;
  // The early part of kago.css (cart button, drawer frame), moved here by
  // scripts/embed-early-css.mjs at build time: the fetched stylesheet is the rest.
  var EARLY_CSS = "__KAGO_EARLY_CSS__";
  // What to load, [file name, integrity], written in by scripts/hash-files.mjs at build time:
  // content-hashed names (cacheable for ever) and their sha384, so that the one integrity hash
  // on the script tag covers the whole widget. A bare copy of the source loads the plain names.
  var FILES = "__KAGO_FILES__";
  if (typeof FILES == "string") {
    FILES = { css: ["kago.css"], glue: ["kago-checkout.js"], wasm: ["kago-checkout_bg.wasm"] };
  }

  // 0: waiting for the page, 1: loading, 2: the widget runs, 3: it could not load.
  var stage = 0;
  var pending = [], added = 0, cleared = 0, openCart = false, opener;
  // Taps an earlier page of this tab was left with (the end of this file), and whether taken.
  var EARLY_KEY = "kago.early", took;
  var host, root, button, badge, live, frame;

  // ---- window.Kago until the widget is ready -------------------------------------------------
  // Calls are queued ([name, arguments, settle]) and applied in order to the real API once the
  // widget has taken window.Kago over (src/browser/js_api.rs, in kagoStart); settle gets what the
  // real call returned. Calls that need the widget start loading at once; on() and consent()
  // only wait for it.
  var queue = [], settleReady;
  var ready = new Promise(function (resolve, reject) { settleReady = [resolve, reject]; });
  ready.catch(function () {}); // the console already says why; only a page that asks is told
  var stub = w.Kago === undefined ? {} : null; // a page's own window.Kago is left alone
  function later(name, now, then) {
    return function () {
      var real = w.Kago;
      // A reference to the stand-in kept from before: the real API answers.
      if (stage == 2 && real && real !== stub) return real[name].apply(real, arguments);
      var entry = [name, [].slice.call(arguments)];
      queue.push(entry);
      if (now) load();
      return then ? then(entry, arguments[0]) : undefined;
    };
  }
  function unqueue(which) {
    for (var i = queue.length; i--; ) if (which(queue[i])) queue.splice(i, 1);
  }
  if (stub) {
    stub.ready = ready;
    stub.addItem = later("addItem", 1, function (entry, item) {
      if (item && typeof item == "object") bump(item.quantity, item.name);
      return true; // queued: a refusal is reported in the console when it is applied
    });
    var yes = function () { return true; };
    stub.removeItem = later("removeItem", 1, yes);
    stub.setQuantity = later("setQuantity", 1, yes);
    stub.applyCode = later("applyCode", 1, yes);
    stub.removeCode = later("removeCode", 1);
    stub.clear = later("clear", 1, function () {
      cleared = 1;
      added = 0;
      count();
    });
    stub.open = later("open", 1, function () { showFrame(); });
    stub.openCheckout = later("openCheckout", 1, function () { showFrame(); });
    stub.close = later("close", 0, function () { hideFrame(); });
    stub.consent = later("consent", 0);
    stub.prefill = later("prefill", 0);
    stub.setLocale = later("setLocale", 0, yes);
    // on() and subscribe() return the function that stops listening: before the widget is ready
    // it takes the call back.
    function listener(name, check, message) {
      var queued = later(name, 0, function (entry) {
        entry[2] = function (off) { entry.off = off; };
        return function () {
          if (entry.off) entry.off();
          else unqueue(function (e) { return e === entry; });
        };
      });
      return function () {
        if (!check.apply(null, arguments)) throw new TypeError(message);
        return queued.apply(null, arguments);
      };
    }
    stub.on = listener("on", function (name, callback) {
      return typeof name == "string" && typeof callback == "function";
    }, "Kago.on(name, callback): name must be a string like \"item_added\" and callback a function.");
    stub.subscribe = listener("subscribe", function (callback) {
      return typeof callback == "function";
    }, "Kago.subscribe(callback): callback must be a function.");
    stub.cart = function () {
      if (stage == 2 && w.Kago !== stub) return w.Kago.cart();
      load();
      throw new Error(stage == 3 ? "Kago.cart(): the widget could not load (the console says why)." : "Kago.cart(): the widget is still loading; use (await Kago.ready).cart().");
    };
    Object.freeze(stub);
    w.Kago = stub;
  }
  w.kagoLoader = { base: base, stub: stub };
  w.addEventListener("kago:ready", function () { settleReady[0](w.Kago); });

  // ---- the shopper's taps and intent while the widget is not there yet -------------------------
  // A product ([data-kago-add]) or one of the page's own cart buttons ([data-kago-open]).
  function product(e) {
    return e.target && e.target.closest && e.target.closest("[data-kago-add],[data-kago-open]");
  }
  function early(e) {
    var el = product(e);
    if (!el) return;
    e.preventDefault();
    if (!el.hasAttribute("data-kago-add")) {
      openCart = true;
      return showFrame();
    }
    pending.push(el);
    bump(el.getAttribute("data-quantity"), el.getAttribute("data-name"));
    load();
  }
  function intent(e) {
    if (e.target === host || product(e)) load();
  }
  var INTENT = ["pointerdown", "focusin", "mouseover"];
  d.addEventListener("click", early, true);
  INTENT.forEach(function (type) { d.addEventListener(type, intent, true); });

  // ---- when to load -------------------------------------------------------------------------------
  // After the load event, the frame rendered after it and the page's largest contentful paint as
  // reported (on screen, not only rendered: on a busy phone the screen can lag the main thread),
  // at an idle moment (1 s at the latest); and at the latest 4 s after DOMContentLoaded for a page
  // whose load event or paint never comes. So nothing Kago fetches can compete with what the
  // page's first paints need (Lighthouse's simulation counts every request started before them).
  function afterLoad() {
    requestAnimationFrame(function () {
      setTimeout(function () {
        whenPainted(function () {
          takeEarly();
          if (w.requestIdleCallback) w.requestIdleCallback(load, { timeout: 1000 });
          else setTimeout(load, 200);
        });
      });
    });
  }
  function whenPainted(then) {
    var types = w.PerformanceObserver && PerformanceObserver.supportedEntryTypes;
    if (!types || types.indexOf("largest-contentful-paint") < 0) return then();
    var seen = new PerformanceObserver(function () {
      seen.disconnect();
      then();
    });
    seen.observe({ type: "largest-contentful-paint", buffered: true });
  }
  if (d.readyState == "complete") afterLoad();
  else w.addEventListener("load", afterLoad);
  function atLatest() { setTimeout(load, 4000); }
  if (d.readyState == "loading") d.addEventListener("DOMContentLoaded", atLatest);
  else atLatest();

  // ---- the early cart button ------------------------------------------------------------------------
  // Drawn in a task after the page's load event, or 100 ms after this script ran if `load` is
  // further off, or at once when the shopper taps a product or the page opens the cart before
  // that. The page's load event waits for this script's run, and drawing (the shadow root, its
  // stylesheet, the saved cart's count from localStorage) is most of it: ~20 ms at 4× CPU that
  // would come right before `load` when kago.js is the last file the page waits for
  // (BENCHMARKS.md, "Paint first, then load"). While the page still waits for its own files,
  // 100 ms later costs its load event nothing.
  var embedded = EARLY_CSS.indexOf("__KAGO") !== 0;
  function drawEarly() {
    if (embedded) whenBody(function () { draw(EARLY_CSS); });
  }
  if (d.readyState == "complete") drawEarly();
  else {
    w.addEventListener("load", function () { setTimeout(drawEarly); });
    setTimeout(drawEarly, 100);
  }
  function whenBody(f) {
    if (d.body) f();
    else d.addEventListener("DOMContentLoaded", f);
  }

  // A setting as the widget reads it: the script tag's attribute, else the JSON block's key
  // (in snake_case: data-cart-button is "cart_button").
  var block;
  function setting(name) {
    var v = script.getAttribute("data-" + name);
    if (v == null) {
      try {
        block = block || JSON.parse(d.getElementById(script.getAttribute("data-config") || "kago-config").textContent);
        v = block[name.replace(/-/g, "_")];
      } catch (e) {}
    }
    return typeof v == "string" ? v : null;
  }
  // data-cart-button: "none" (the page has its own), "bottom-left", else bottom right (the
  // widget reports a bad value).
  var place = (setting("cart-button") || "").trim().toLowerCase();
  var ja;
  function japanese() {
    if (ja == null) ja = /^ja\b/i.test(setting("locale") || navigator.language || "");
    return ja;
  }

  // Items in the saved cart (localStorage "kago.cart", format v1) for this shop's currency.
  function savedCount() {
    try {
      var cart = JSON.parse(localStorage.getItem("kago.cart"));
      var currency = (setting("currency") || "USD").trim().toUpperCase();
      if (cleared || !cart || cart.v !== 1 || cart.currency !== currency) return 0;
      return cart.lines.reduce(function (n, l) { return n + (l.quantity >>> 0); }, 0);
    } catch (e) {
      return 0;
    }
  }

  var SVG = "http://www.w3.org/2000/svg";
  function el(name, attrs, parent, ns) {
    var e = ns ? d.createElementNS(ns, name) : d.createElement(name);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }
  function icon(path, parent) {
    var svg = el("svg", { "class": "kago-icon", viewBox: "0 0 24 24", "aria-hidden": "true", focusable: "false" }, parent, SVG);
    el("path", { d: path }, svg, SVG);
  }

  // The same markup, label and styles as the widget's cart button (src/ui/cart_button.rs), and
  // its live region for announcements (src/ui/mod.rs).
  function draw(css) {
    // Called once <body> exists (whenBody).
    if (stage > 1 || host || d.querySelector("kago-widget[data-kago]")) return;
    var drawn = d.createElement("kago-widget");
    drawn.setAttribute("data-kago", "");
    drawn.setAttribute("data-kago-early", "");
    // A page's own <kago-widget> element may refuse a shadow root: no early button then (the
    // widget says what it found).
    try { root = drawn.attachShadow({ mode: "open" }); } catch (e) { return; }
    host = drawn;
    var sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [sheet];
    var wrap = el("div", { "class": "kago-root", lang: japanese() ? "ja" : "en" }, root);
    if (place != "none") {
      button = el("button", {
        type: "button", "class": place == "bottom-left" ? "kago-cart-button kago-left" : "kago-cart-button",
        part: "cart-button", "aria-haspopup": "dialog", "aria-expanded": "false"
      }, wrap);
      icon("M3 9h18l-2 11H5L3 9zm5 0l4-6 4 6", button);
      badge = el("span", { part: "badge", "aria-hidden": "true" }, button);
      button.addEventListener("click", function () { openCart = true; showFrame(); });
    }
    live = el("div", { "class": "kago-visually-hidden", role: "status", "aria-live": "polite" }, wrap);
    count();
    // Beside <body>, not in it: what the page does to its body (zoom, replacing its content)
    // never reaches the widget.
    d.documentElement.appendChild(host);
    if (openCart) showFrame();
  }

  // The button's count and name: the saved cart plus what was tapped since.
  function count() {
    if (!button) return;
    var n = savedCount() + added;
    button.setAttribute("aria-label", japanese() ? "カート、" + n + "点" : "Cart, " + n + (n === 1 ? " item" : " items"));
    badge.className = n ? "kago-badge" : "kago-badge kago-badge-empty";
    badge.textContent = String(Math.min(n, 999));
  }

  // A product tapped (or Kago.addItem called) before the widget is ready: counted and announced
  // at once; the widget, once ready, adds it (or says in the console why not) and shows its own
  // count. Quantity as data-quantity reads it: 1–99, else 1.
  function bump(quantity, name) {
    drawEarly();
    var q = +quantity;
    added += q >= 1 && q <= 99 && q % 1 == 0 ? q : 1;
    count();
    if (live && name) {
      live.textContent = japanese() ? name + "をカートに追加しました。" : "Added " + name + " to your cart.";
    }
  }

  // The drawer's frame, busy, drawn the moment the shopper asks for the cart (src/ui/drawer.rs
  // draws the real one in the same place, with the same names, focus on its close button).
  function showFrame() {
    load();
    drawEarly();
    if (frame || !root) return;
    var J = japanese();
    frame = el("div", { "class": "kago-layer" });
    el("div", { "class": "kago-backdrop", part: "backdrop" }, frame).addEventListener("click", hideFrame);
    var dialog = el("div", {
      "class": "kago-drawer", part: "drawer", role: "dialog", "aria-modal": "true", "aria-busy": "true", "aria-label": J ? "カート" : "Cart"
    }, frame);
    var header = el("div", { "class": "kago-header", part: "header" }, dialog);
    el("h2", { "class": "kago-title", part: "title", tabindex: "-1" }, header).textContent = J ? "ショッピングカート" : "Your cart";
    var close = el("button", { type: "button", "class": "kago-close", part: "close-button", "aria-label": J ? "閉じる" : "Close" }, header);
    icon("M6 6l12 12M18 6L6 18", close);
    close.addEventListener("click", hideFrame);
    el("p", { "class": "kago-notice" }, el("div", { "class": "kago-body", part: "body" }, dialog)).textContent =
      J ? "カートを読み込んでいます…" : "Loading your cart…";
    dialog.addEventListener("keydown", function (e) {
      if (e.key == "Escape") hideFrame();
      else if (e.key == "Tab") e.preventDefault(); // the close button is its one control
    });
    // Focus goes back to what opened it: the cart button, or the page's own control.
    opener = button || d.activeElement;
    live.parentNode.insertBefore(frame, live);
    if (button) button.setAttribute("aria-expanded", "true");
    close.focus();
  }

  function hideFrame() {
    openCart = false;
    unqueue(function (e) { return /^open/.test(e[0]); });
    if (!frame) return;
    frame.remove();
    frame = null;
    if (button) button.setAttribute("aria-expanded", "false");
    if (opener && opener.focus) opener.focus();
  }

  // ---- loading -------------------------------------------------------------------------------------
  // Why a file did not come, for the console: asked again without the integrity check.
  function why(name) {
    return fetch(base + name).then(function (r) {
      return r.ok
        ? name + " is not the file this kago.js was built with: its sha384 does not match the integrity hash kago.js carries (deploy dist/ as one)"
        : "HTTP " + r.status + " for " + name;
    }, function (e) {
      return name + " could not be fetched (" + e + ")";
    }).then(function (text) { throw new Error(text); });
  }
  function get(file) {
    return fetch(base + file[0], file[1] ? { integrity: file[1] } : {}).then(function (r) {
      if (!r.ok) throw r;
      return r;
    }).catch(function () { return why(file[0]); });
  }
  // The wasm, compiled while it downloads (WebAssembly.compileStreaming: off the main thread, a
  // piece at a time as the bytes arrive), its sha384 checked here on a copy of the same bytes
  // before any of it can run: the module is handed on only once both are done. fetch's own
  // integrity check would hold the whole file back and give it to the compiler in one piece, one
  // long task on a slow phone (BENCHMARKS.md, "The wasm's integrity, checked beside its
  // compilation"). Where the page has no WebCrypto (a plain-http page on a public host) fetch
  // checks it, as for the other files.
  function wasmModule(file) {
    var subtle = w.crypto && w.crypto.subtle;
    if (!file[1] || !subtle || !WebAssembly.compileStreaming) return get(file);
    var wrong = function () { return why(file[0]); };
    return fetch(base + file[0]).then(function (r) {
      if (!r.ok) return wrong();
      var bytes = r.clone().arrayBuffer();
      var checked = bytes.then(function (b) { return subtle.digest("SHA-384", b); }).then(function (digest) {
        if ("sha384-" + btoa(String.fromCharCode.apply(null, new Uint8Array(digest))) != file[1]) throw 0;
      });
      // A server that sends the wasm under another content type: compiled from the bytes.
      var compiled = WebAssembly.compileStreaming(r).catch(function () {
        return bytes.then(function (b) { return WebAssembly.compile(b); });
      });
      compiled.catch(function () {}); // told below, once the bytes are known to be the right ones
      // Wrong bytes are told as such; a compile error of the right ones (a CSP without
      // 'wasm-unsafe-eval') as itself.
      return checked.then(function () { return compiled; }, wrong);
    }, wrong);
  }
  // The glue is an ES module: a modulepreload link checks its integrity and puts it in the module
  // map, where import() then finds it. (Without modulepreload support, fetch checks it first.)
  function glue(file) {
    var link = d.createElement("link");
    return new Promise(function (resolve, reject) {
      if (!file[1]) return resolve();
      if (!(link.relList && link.relList.supports && link.relList.supports("modulepreload"))) {
        return get(file).then(resolve, reject);
      }
      link.rel = "modulepreload";
      link.integrity = file[1];
      link.href = base + file[0];
      link.onload = resolve;
      link.onerror = function () { why(file[0]).catch(reject); };
      d.head.appendChild(link);
    }).then(function () {
      return import(base + file[0]);
    });
  }

  // A task of its own, before others queued meanwhile where the browser can (scheduler.yield).
  function yieldToPage() {
    var s = w.scheduler;
    return s && s.yield ? s.yield() : new Promise(function (resolve) { setTimeout(resolve); });
  }

  // Loading starts after the next paint: what the shopper just did (the count raised, the
  // drawer's frame drawn) reaches the screen before the loader's own work (its fetches, the
  // glue's modulepreload, the wasm's compile) takes the main thread. A tap at load is painted
  // ~50 ms sooner on a slow phone (BENCHMARKS.md, "Paint first, then load"). A hidden page
  // paints no frames: it starts at once.
  var asked = false;
  function load() {
    if (stage || asked) return;
    asked = true;
    if (d.hidden) setTimeout(begin);
    else requestAnimationFrame(function () { setTimeout(begin); });
  }
  function begin() {
    takeEarly();
    stage = 1;
    INTENT.forEach(function (type) { d.removeEventListener(type, intent, true); });
    var wasm = wasmModule(FILES.wasm);
    wasm.catch(function () {});
    // The other two in a task of their own: no task of the loader's grows long on a slow phone,
    // and a tap that starts loading is painted sooner.
    setTimeout(fetchRest);
    function fetchRest() {
      var css = get(FILES.css).then(function (r) { return r.text(); });
      if (!embedded) css.then(function (text) { whenBody(function () { draw(text); }); }, function () {});
      Promise.all([glue(FILES.glue), css]).then(function (loaded) {
        // The glue instantiates the compiled and checked module (or, without WebCrypto, compiles
        // the checked file off the main thread with WebAssembly.instantiateStreaming).
        // The widget starts in a task of its own, after the one that instantiates the wasm: no
        // task grows long (the widget's own start-up yields between its steps too).
        return loaded[0].default({ module_or_path: wasm }).then(yieldToPage).then(function () {
          // The widget draws the drawer itself in the early frame's place (src/browser/mount.rs),
          // open when the shopper asked for it. It starts in steps, a task each; it resolves once
          // window.Kago and product taps are its own (src/lib.rs, start).
          return loaded[0].kagoStart(script, pending, embedded ? EARLY_CSS + loaded[1] : loaded[1], openCart);
        }).then(function () {
          stage = 2;
          d.removeEventListener("click", early, true);
          var real = w.Kago;
          if (stub && real !== stub) {
            queue.splice(0).forEach(function (e) {
              try {
                var result = real[e[0]].apply(real, e[1]);
                if (e[2]) e[2](result);
              } catch (err) {
                console.error("Kago: Kago." + e[0] + "(), called before the widget was ready, failed:", err);
              }
            });
          }
        });
      }).catch(function (err) {
        var started = stage == 2;
        stage = 3;
        d.removeEventListener("click", early, true);
        // Nothing half-drawn stays: no cart button that cannot work.
        var drawn = d.querySelector("kago-widget[data-kago-early]");
        if (drawn) drawn.remove();
        // Name the cause the error shows: a file (on another origin, CORS too), the CSP's
        // WebAssembly rule, or (once loaded) the widget's own start (a page requiring Trusted
        // Types, say).
        var why = String(err && err.message || err);
        var origin = new URL(base).origin;
        var fix = / for |could not be fetched|sha384|fetch/i.test(why)
          ? " Check that the files built with this kago.js (" + [FILES.css[0], FILES.glue[0], FILES.wasm[0]].join(", ") + ") are served beside it, the .wasm as application/wasm" +
            (origin != location.origin
              ? ". They are on another origin (" + origin + "), so each must be sent with CORS (Access-Control-Allow-Origin: " + location.origin + " or *) and the page's CSP must allow " + origin + " in script-src and connect-src."
              : ".")
          : /unsafe-eval|WebAssembly/.test(why) ? " The page's Content-Security-Policy must allow WebAssembly: add 'wasm-unsafe-eval' to script-src." : "";
        var message = "Kago: the widget could not " + (started ? "start" : "load from " + base) + " (" + why + ")." + fix;
        console.error(message);
        settleReady[1](new Error(message));
      });
    }
  }

  // ---- adds the page is left with ------------------------------------------------------------------
  // Products tapped and Kago.addItem calls made before the widget ran live here, in memory, until
  // the widget adds them (kagoStart empties `pending` as it takes the taps; the queue is emptied
  // as it is replayed). A page left before then (a tap, then at once a link) hands them to the
  // tab's next page with Kago (sessionStorage "kago.early"), whose loader counts them once loaded and
  // whose widget adds them, each with the checks a tap gets. A document-relative data-image is
  // resolved against this page first; other forms mean the same on every page of the shop.
  w.addEventListener("pagehide", function () {
    takeEarly(); // what an earlier page handed over, if not taken yet, goes on too
    var taps = pending.map(function (el) {
      var a = {};
      [].forEach.call(el.attributes, function (at) {
        var v = at.value;
        if (at.name == "data-image" && !/^[\x00-\x20]*([a-z][a-z0-9+.-]*:|[\/\\])/i.test(v)) v = new URL(v, d.baseURI).href;
        if (at.name.indexOf("data-") == 0) a[at.name] = v;
      });
      return a;
    });
    var items = queue.filter(function (e) { return e[0] == "addItem"; }).map(function (e) { return e[1][0]; });
    try {
      if (taps.length || items.length) sessionStorage.setItem(EARLY_KEY, JSON.stringify([taps, items]));
    } catch (e) {}
  });
  // Back from the back-forward cache, this page's widget adds them itself.
  w.addEventListener("pageshow", function (e) {
    if (e.persisted) try { sessionStorage.removeItem(EARLY_KEY); } catch (x) {}
  });
  // Taken once the page has loaded and painted, or when loading starts (a tap: after its
  // paint), never in a tap's own task or before `load`: a page's first use of sessionStorage can
  // wait on the browser.
  function takeEarly() {
    if (took) return;
    took = 1;
    try {
      var kept = JSON.parse(sessionStorage.getItem(EARLY_KEY));
      sessionStorage.removeItem(EARLY_KEY);
      if (!kept) return;
      kept[0].forEach(function (a) {
        var tapped = d.createElement("button");
        for (var k in a) tapped.setAttribute(k, a[k]);
        pending.push(tapped);
        bump(a["data-quantity"]);
      });
      kept[1].forEach(function (item) { if (stub) stub.addItem(item); });
      if (kept[0].length) load();
    } catch (e) {}
  }
})();
