// The page's own <kago-widget> custom element (a name clash with Kago's host), with a closed
// shadow root of its own: nothing else can attach one to it.
customElements.define(
  'kago-widget',
  class extends HTMLElement {
    constructor() {
      super();
      this.attachShadow({ mode: 'closed' }).textContent = 'The page’s own widget';
    }
  },
);
