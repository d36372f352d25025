// Injected into every benchmarked page before any of its own scripts (Playwright
// addInitScript). Plain browser JavaScript, no imports. It only observes: performance
// entries, the wasm memory, and when Kago's cart button first becomes visible and clickable.
// Everything it records lives on window.__kagoBench (relative to navigation start, ms).
(() => {
  if (window.__kagoBench) return;
  const B = (window.__kagoBench = {
    longTasks: [],
    shifts: [],
    lcp: [],
    memories: [],
    marks: {},
  });

  const describe = (node) => {
    if (!node || !node.nodeName) return null;
    const el = node.nodeType === 1 ? node : node.parentElement;
    if (!el) return node.nodeName;
    const cls = el.classList && el.classList.length ? '.' + [...el.classList].join('.') : '';
    const inShadow = el.getRootNode() instanceof ShadowRoot ? ' (in kago-widget)' : '';
    return el.localName + cls + inShadow;
  };
  const observe = (type, onEntry) => {
    try {
      new PerformanceObserver((list) => list.getEntries().forEach(onEntry)).observe({ type, buffered: true });
    } catch (_) {
      // entry type not supported: stays empty
    }
  };
  observe('longtask', (e) => B.longTasks.push({ start: e.startTime, duration: e.duration }));
  observe('layout-shift', (e) =>
    B.shifts.push({
      start: e.startTime,
      value: e.value,
      hadRecentInput: e.hadRecentInput,
      sources: (e.sources || []).map((s) => describe(s.node)),
    }),
  );
  observe('largest-contentful-paint', (e) =>
    B.lcp.push({ start: e.startTime, size: e.size, element: describe(e.element) }),
  );

  // The wasm linear memory: whatever WebAssembly.Memory an instantiated module exports.
  const capture = (result) => {
    const instance = result && result.instance ? result.instance : result;
    try {
      for (const value of Object.values(instance.exports)) {
        if (value instanceof WebAssembly.Memory && !B.memories.includes(value)) B.memories.push(value);
      }
    } catch (_) {
      // not an instance
    }
    return result;
  };
  for (const name of ['instantiateStreaming', 'instantiate']) {
    const original = WebAssembly[name];
    if (typeof original !== 'function') continue;
    WebAssembly[name] = function (...args) {
      return original.apply(this, args).then(capture);
    };
  }
  B.wasmMemoryBytes = () => B.memories.reduce((sum, m) => sum + m.buffer.byteLength, 0);

  addEventListener('kago:ready', () => (B.marks.kagoReady = performance.now()));

  // ---- Kago's shadow root and its elements -------------------------------------------------
  B.root = () => {
    const host = document.querySelector('kago-widget');
    return host ? host.shadowRoot : null;
  };
  B.cartButton = () => {
    const root = B.root();
    return root ? root.querySelector('.kago-cart-button') : null;
  };
  B.badgeText = () => {
    const badge = B.root() && B.root().querySelector('.kago-cart-button .kago-badge');
    return badge ? badge.textContent.trim() : null;
  };
  B.dialog = () => {
    const root = B.root();
    return root ? root.querySelector('[role="dialog"]') : null;
  };
  /** A button in the shadow root by its aria-label or its text. */
  B.button = (name) => {
    const root = B.root();
    if (!root) return null;
    return (
      [...root.querySelectorAll('button')].find(
        (b) => b.getAttribute('aria-label') === name || b.textContent.trim() === name,
      ) || null
    );
  };
  B.stepText = () => {
    const el = B.root() && B.root().querySelector('.kago-steps');
    return el ? el.textContent.trim() : null;
  };
  B.totalText = () => {
    const el = B.root() && B.root().querySelector('dl.kago-summary .kago-total dd');
    return el ? el.textContent.trim() : null;
  };

  const parentAcross = (n) => n.parentElement || (n.getRootNode() instanceof ShadowRoot ? n.getRootNode().host : null);

  /** Laid out in the viewport, not hidden, and the topmost thing at its centre. Opacity is
   * only checked when `opaque` (the drawer fades in over 160 ms; its first frame counts). */
  B.isVisible = (el, { opaque = true, hitTest = true } = {}) => {
    if (!el || !el.isConnected) return false;
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) return false;
    if (r.right <= 0 || r.bottom <= 0 || r.left >= innerWidth || r.top >= innerHeight) return false;
    const style = getComputedStyle(el);
    if (style.visibility !== 'visible' || style.pointerEvents === 'none') return false;
    for (let n = el; n; n = parentAcross(n)) {
      const s = getComputedStyle(n);
      if (s.display === 'none' || (opaque && Number(s.opacity) === 0)) return false;
    }
    if (!hitTest) return true;
    const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1);
    const y = Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1);
    const hit = el.getRootNode().elementFromPoint(x, y);
    return !!hit && (hit === el || el.contains(hit));
  };

  /** Resolves with performance.now() after the next frame (rAF, then a task after it). */
  B.nextFrame = () =>
    new Promise((resolve) =>
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => resolve(performance.now());
        channel.port2.postMessage(0);
      }),
    );

  // ---- The cart button's first visible, clickable moment --------------------------------
  // Checked on every DOM mutation (document and shadow root) and every animation frame,
  // only once a kago-widget exists, so the page is not made to lay out earlier than it would.
  const CART_NAME = /^(Cart, \d+ items?|カート.*)$/;
  const watchCart = () => {
    let observedRoot = null;
    let frame = 0;
    const check = () => {
      if (B.marks.cartVisible !== undefined) return;
      const root = B.root();
      if (!root) return;
      if (root !== observedRoot) {
        observedRoot = root;
        mo.observe(root, { subtree: true, childList: true, attributes: true, characterData: true });
      }
      const button = B.cartButton();
      if (!button) return;
      if (B.marks.cartInDom === undefined) B.marks.cartInDom = performance.now();
      if (!CART_NAME.test(button.getAttribute('aria-label') || '')) return;
      if (!B.isVisible(button)) return;
      B.marks.cartVisible = performance.now();
      mo.disconnect();
      cancelAnimationFrame(frame);
      B.nextFrame().then((t) => (B.marks.cartVisibleFrame = t));
    };
    const mo = new MutationObserver(check);
    mo.observe(document, { subtree: true, childList: true });
    const loop = () => {
      check();
      if (B.marks.cartVisible === undefined && performance.now() < 60000) frame = requestAnimationFrame(loop);
    };
    frame = requestAnimationFrame(loop);
  };
  watchCart();

  // ---- Taps ----------------------------------------------------------------------------------
  /** What a finger tap dispatches on an element: pointerdown, pointerup, click (synthetic). */
  B.tap = (el) => {
    const r = el.getBoundingClientRect();
    const init = {
      bubbles: true,
      cancelable: true,
      composed: true,
      view: window,
      clientX: r.left + r.width / 2,
      clientY: r.top + r.height / 2,
    };
    const pointer = { ...init, pointerId: 1, pointerType: 'touch', isPrimary: true };
    el.dispatchEvent(new PointerEvent('pointerdown', pointer));
    el.dispatchEvent(new PointerEvent('pointerup', pointer));
    el.dispatchEvent(new MouseEvent('click', { ...init, detail: 1 }));
  };

  /** Taps `el` and resolves when `done()` first holds: {dom, frame} in ms from just before the
   * tap to the DOM showing the result, and to the end of the frame that paints it.
   *
   * The frame is timed by a message posted from this probe's own animation-frame callback, which
   * is registered before the tap and so runs first in every frame: the message task comes right
   * after that frame's style, layout and paint, before tasks the page posted from its own frame
   * callbacks (work it deferred until after the paint, which the shopper does not wait for). */
  B.tapAndWait = (el, done, timeout = 10000) =>
    new Promise((resolve, reject) => {
      if (!el) return reject(new Error('tap target not found'));
      let seen = false;
      let over = false;
      let frame = 0;
      let t0 = 0;
      let t1 = 0;
      const mo = new MutationObserver(() => check());
      const check = () => {
        if (seen || over) return;
        try {
          seen = !!done();
        } catch (_) {
          seen = false;
        }
        if (!seen) return;
        t1 = performance.now();
        mo.disconnect();
        clearTimeout(timer);
      };
      // The result is in the DOM by the end of this callback: this frame paints it.
      const loop = () => {
        check();
        if (!seen) {
          frame = requestAnimationFrame(loop);
          return;
        }
        const channel = new MessageChannel();
        channel.port1.onmessage = () => resolve({ dom: t1 - t0, frame: performance.now() - t0 });
        channel.port2.postMessage(0);
      };
      const options = { subtree: true, childList: true, attributes: true, characterData: true };
      mo.observe(document, options);
      if (B.root()) mo.observe(B.root(), options);
      const timer = setTimeout(() => {
        if (seen) return;
        over = true;
        mo.disconnect();
        cancelAnimationFrame(frame);
        reject(new Error(`no result within ${timeout} ms`));
      }, timeout);
      t0 = performance.now();
      frame = requestAnimationFrame(loop);
      B.tap(el);
      check();
    });

  /** Resolves once `done()` holds (checked on mutations and frames). Untimed helper. */
  B.waitFor = (done, timeout = 10000) =>
    new Promise((resolve, reject) => {
      const started = performance.now();
      const loop = () => {
        let ok = false;
        try {
          ok = !!done();
        } catch (_) {
          ok = false;
        }
        if (ok) return resolve(performance.now());
        if (performance.now() - started > timeout) return reject(new Error(`condition not met within ${timeout} ms`));
        requestAnimationFrame(loop);
      };
      loop();
    });

  /** Types into the checkout form's inputs the way a shopper would (value + input + blur). */
  B.fillForm = (values) => {
    const root = B.root();
    const filled = [];
    for (const input of root.querySelectorAll('form.kago-form input')) {
      const value = values[input.name];
      if (value === undefined) continue;
      input.focus();
      input.value = value;
      input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
      input.dispatchEvent(new FocusEvent('blur'));
      filled.push(input.name);
    }
    return filled;
  };
  B.errors = () => {
    const root = B.root();
    return root ? [...root.querySelectorAll('.kago-error, .kago-alert')].map((e) => e.textContent.trim()) : [];
  };
})();
