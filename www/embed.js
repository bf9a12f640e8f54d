// <trainlab-demo>: one trainlab demo in a course page, as an iframe of the
// app with its header hidden. Load this script from where trainlab is
// served, then place the element:
//
//   <script src="https://course.site/trainlab/www/embed.js"></script>
//   <trainlab-demo demo="second-order" state="surface=saddle&on=newton,plain" lang="ko"></trainlab-demo>
//
// A classic script on purpose: browsers load classic scripts from another
// origin without CORS headers, so this works from any course site whatever
// its server sends. (Loading it with type="module" still works where the
// server does send CORS headers.)
//
// Attributes: demo (race, schedules, second-order, ...), state (the part of
// a shared link after "?"), lang (en or ko), height (a CSS length; without
// it the frame takes its demo's height), label (the iframe's accessible
// title).
//
// Sizing: the app, when framed, posts {type: "trainlab:height", height} to
// its parent. The element accepts such a message only from the trainlab
// origin it loaded and only from its own iframe's window, and only with a
// sane number.
(() => {
  "use strict";

  const ELEMENT = "trainlab-demo";
  const MESSAGE_TYPE = "trainlab:height";
  const DEFAULT_HEIGHT = "900px";
  // Bounds for a reported height, in CSS pixels: below the smallest demo or
  // above any real page means the message is not one of ours.
  const MIN_HEIGHT = 120;
  const MAX_HEIGHT = 20000;

  if (customElements.get(ELEMENT)) return;

  // Where this script came from decides where the app is: ../index.html.
  // document.currentScript is set while a classic script runs; a module has
  // none, so fall back to the <script> whose src names this file.
  function scriptUrl() {
    const current = document.currentScript;
    if (current && current.src) return current.src;
    for (const script of document.querySelectorAll("script[src]")) {
      if (/\/embed\.js(?:[?#]|$)/.test(script.src)) return script.src;
    }
    return location.href;
  }
  const APP_URL = new URL("../index.html", scriptUrl());

  /** A reported height, or null when the message is not a valid one. */
  function reportedHeight(data) {
    if (typeof data !== "object" || data === null || data.type !== MESSAGE_TYPE) return null;
    const height = data.height;
    if (typeof height !== "number" || !Number.isFinite(height)) return null;
    if (height < MIN_HEIGHT || height > MAX_HEIGHT) return null;
    return Math.ceil(height);
  }

  class TrainlabDemo extends HTMLElement {
    static get observedAttributes() {
      return ["demo", "state", "lang", "height", "label"];
    }

    constructor() {
      super();
      this.frame = null;
      this.fittedHeight = null;
      this.onMessage = (event) => this.receive(event);
    }

    connectedCallback() {
      window.addEventListener("message", this.onMessage);
      this.render();
    }

    disconnectedCallback() {
      window.removeEventListener("message", this.onMessage);
    }

    attributeChangedCallback() {
      if (this.isConnected) this.render();
    }

    /** The app URL this element shows. */
    get src() {
      // The demo name goes into the hash as it is (escaped); the app checks
      // it, and the state, like any shared link, with a notice when bad.
      const demo = (this.getAttribute("demo") || "race").trim();
      const params = new URLSearchParams(this.getAttribute("state") || "");
      const lang = this.getAttribute("lang");
      if (lang) params.set("lang", lang);
      params.set("embed", "1");
      const url = new URL(APP_URL.href);
      url.hash = `${encodeURIComponent(demo)}?${params}`;
      return url.href;
    }

    /** The height now applied to the frame, as a CSS length. */
    get frameHeight() {
      const fixed = this.getAttribute("height");
      if (fixed) return fixed;
      return this.fittedHeight === null ? DEFAULT_HEIGHT : `${this.fittedHeight}px`;
    }

    receive(event) {
      const frame = this.frame;
      if (!frame || event.source !== frame.contentWindow || event.origin !== APP_URL.origin) return;
      const height = reportedHeight(event.data);
      if (height === null || height === this.fittedHeight) return;
      this.fittedHeight = height;
      frame.style.height = this.frameHeight;
      this.dispatchEvent(new CustomEvent("trainlab-resize", { detail: { height } }));
    }

    render() {
      let frame = this.frame;
      if (!frame) {
        // Style through the CSSOM, which a host page's strict style-src allows.
        this.style.display = "block";
        frame = document.createElement("iframe");
        frame.loading = "lazy";
        frame.style.width = "100%";
        frame.style.border = "0";
        frame.style.display = "block";
        this.append(frame);
        this.frame = frame;
      }
      frame.title = this.getAttribute("label") || "trainlab demo";
      frame.style.height = this.frameHeight;
      const src = this.src;
      // The last reported height stays until the new page reports its own.
      if (frame.src !== src) frame.src = src;
    }
  }

  customElements.define(ELEMENT, TrainlabDemo);
})();
