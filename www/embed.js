// <trainlab-demo>: one trainlab demo in a course page, as an iframe of the
// app with its header hidden. Load this module from where trainlab is
// served, then write for example
//
//   <script type="module" src="https://course.site/trainlab/www/embed.js"></script>
//   <trainlab-demo demo="second-order" state="surface=saddle&on=newton,plain" lang="ko"></trainlab-demo>
//
// Attributes: demo (race, schedules, second-order, ...), state (the part of a
// shared link after "?"), lang (en or ko), height (CSS length, default 900px),
// label (the iframe's accessible title).

const APP_URL = new URL("../index.html", import.meta.url);

class TrainlabDemo extends HTMLElement {
  static observedAttributes = ["demo", "state", "lang", "height", "label"];

  connectedCallback() {
    this.render();
  }

  attributeChangedCallback() {
    if (this.isConnected) this.render();
  }

  /** The app URL this element shows. */
  get src() {
    const demo = this.getAttribute("demo") ?? "race";
    // Only demo names go into the path of the hash; the state is parsed and
    // validated by the app itself, like any shared link.
    const safeDemo = /^[a-z][a-z0-9-]*$/.test(demo) ? demo : "race";
    const params = new URLSearchParams(this.getAttribute("state") ?? "");
    const lang = this.getAttribute("lang");
    if (lang) params.set("lang", lang);
    params.set("embed", "1");
    const url = new URL(APP_URL);
    url.hash = `${safeDemo}?${params}`;
    return url.href;
  }

  render() {
    let frame = this.querySelector("iframe");
    if (!frame) {
      frame = document.createElement("iframe");
      frame.loading = "lazy";
      frame.style.width = "100%";
      frame.style.border = "0";
      frame.style.display = "block";
      this.append(frame);
    }
    frame.title = this.getAttribute("label") ?? "trainlab demo";
    frame.style.height = this.getAttribute("height") ?? "900px";
    if (frame.src !== this.src) frame.src = this.src;
  }
}

if (!customElements.get("trainlab-demo")) customElements.define("trainlab-demo", TrainlabDemo);
