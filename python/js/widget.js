// The notebook widget's view: one of the app's own demos (the same modules
// and the same wasm as the web page) mounted in an output cell. The bundle
// (scripts/build-widget.mjs) wraps this graph in a factory, so every view
// gets its own module instances: its own engine, its own language.
//
// Model traits read here (python/trainlab/widget.py): demo, state, lang,
// user_paths. Written back: state (as the user changes settings), and for
// the race: losses, paths, status, steps, answered.
import init, * as engine from "../../www/pkg/trainlab.js";
import { h } from "../../www/ui/dom.js";
import { createNoticeArea } from "../../www/ui/parts/notices.js";
import { language, setLanguage, t, translateTree } from "../../www/i18n/index.js";
import { decode, encode } from "../../www/state.js";
import { surfaceSpecOf } from "../../www/ui/race-view.js";
import * as race from "../../www/demos/race.js";
import * as schedules from "../../www/demos/schedules.js";
import * as secondOrder from "../../www/demos/second-order.js";
import * as network from "../../www/demos/network.js";
import * as dropout from "../../www/demos/dropout.js";
import * as batchnorm from "../../www/demos/batchnorm.js";
import * as augment from "../../www/demos/augment.js";
import * as ensembles from "../../www/demos/ensembles.js";
import * as images from "../../www/demos/images.js";
import * as transfer from "../../www/demos/transfer.js";

// The build checks that this list names the same demos as www/app.js.
export const DEMOS = [race, schedules, secondOrder, network, dropout, batchnorm, augment, ensembles, images, transfer];

const WASM = new URL("../../www/pkg/trainlab_bg.wasm", import.meta.url);
// Student paths: dashed, in colours the racers do not use.
const USER_COLORS = ["#000000", "#1565c0", "#6d4c41", "#2e7d32", "#ad1457"];
// Values go back to Python at most this often while the view plays.
const REPORT_EVERY_MS = 400;

/** The wasm's bytes: in the bundle WASM is a data: URL, read without fetch. */
function wasmSource() {
  if (WASM.protocol !== "data:") return WASM;
  const text = atob(WASM.href.slice(WASM.href.indexOf(",") + 1));
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** Switches this instance's language without touching the notebook page's <html lang>. */
function switchLanguage(lang) {
  const pageLang = document.documentElement.lang;
  const ok = setLanguage(lang);
  document.documentElement.lang = pageLang;
  return ok;
}

function styleShadow(shadow, css) {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    shadow.adoptedStyleSheets = [sheet];
  } catch {
    shadow.append(h("style", {}, css));
  }
}

/**
 * Mounts the model's demo into `el`; resolves to the cleanup function.
 * `inbox`: the kernel's messages that came before this view could listen
 * (the loader keeps them while the bundle loads); this view keeps filling
 * it until it is ready and then answers them in order, so a `run()` sent
 * right after the widget was shown is not lost.
 */
export async function mountWidget({ model, el, css, inbox = [] }) {
  // Registered before the first await: the caller stops its own listener
  // as soon as this call returns.
  const keep = (msg) => inbox.push(msg);
  model.on("msg:custom", keep);
  await init({ module_or_path: wasmSource() });
  const hostEl = h("div", { class: "trainlab-widget" });
  el.append(hostEl);
  // A shadow root keeps the app's stylesheet and element ids to this view.
  const shadow = hostEl.attachShadow({ mode: "open" });
  styleShadow(shadow, css);
  const frame = h("div", { class: "trainlab-body" });
  const notices = createNoticeArea();
  const main = h("div", { class: "trainlab-demo" });
  frame.append(notices.element, main);
  shadow.append(frame);

  let mounted = null;
  let mountedDemo = null;
  let lastState = null;
  let surface = null;
  let reportTimer = null;
  let lastReport = 0;
  // What this view last sent (see report).
  let sentKey = null;
  let destroyed = false;

  function applyLanguage() {
    const lang = model.get("lang");
    if (!switchLanguage(lang)) notices.notify(t("notice.badLanguage", { value: String(lang) }));
    frame.lang = language();
  }

  /**
   * The race demo's test hooks (runner, race, frame, values) while the race
   * is what this view shows, else null. Asked by demo, not by the hooks'
   * names: other demos' debug objects have a `race` of their own (batch
   * norm's trainer pair), which the widget must not drive.
   */
  function raceShown() {
    return mountedDemo === race && mounted?.debug?.race ? mounted.debug : null;
  }

  function userPaths() {
    const paths = model.get("user_paths") ?? [];
    return Array.isArray(paths) ? paths : [];
  }

  /**
   * The race's numbers (and the student's paths' losses) into the model.
   * Only numbers that changed since this view last sent them, unless
   * `answered` (a run() to confirm) or `force`: a race shown twice has two
   * views, and one redrawing its old step (a resize, a scroll back into view)
   * must not undo a Reset or a run made in the other.
   */
  function report(answered, force = false) {
    clearTimeout(reportTimer);
    reportTimer = null;
    const r = raceShown()?.race;
    if (destroyed || !r) return;
    lastReport = performance.now();
    const values = mounted.debug.values;
    const slots = race.spec.slots.filter((s) => values.on.includes(s.id));
    const status = {};
    let steps = 0;
    slots.forEach((slot, i) => {
      status[slot.id] = r.status(i);
      steps = Math.max(steps, status[slot.id].steps);
    });
    const key = JSON.stringify([lastState, status]);
    if (answered === undefined && !force && key === sentKey) return;
    sentKey = key;
    const losses = {};
    const paths = {};
    slots.forEach((slot, i) => {
      losses[slot.id] = Array.from(r.losses(i));
      const flat = Array.from(r.path(i));
      paths[slot.id] = [flat.filter((_, k) => k % 2 === 0), flat.filter((_, k) => k % 2 === 1)];
    });
    for (const p of userPaths()) {
      losses[p.label] = p.x.map((x, k) => surface.value(x, p.y[k]));
      paths[p.label] = [p.x, p.y];
    }
    model.set("losses", losses);
    model.set("paths", paths);
    model.set("status", status);
    model.set("steps", steps);
    if (answered !== undefined) model.set("answered", answered);
    model.save_changes();
  }

  function scheduleReport() {
    if (reportTimer !== null) return;
    const wait = Math.max(0, REPORT_EVERY_MS - (performance.now() - lastReport));
    reportTimer = setTimeout(() => report(), wait);
  }

  /** The student's paths, revealed up to the race's step so they race beside it. */
  function drawUserPaths({ context: c, toPixel, dpr, steps }) {
    userPaths().forEach((p, index) => {
      const n = Math.min(p.x.length, steps + 1);
      if (n < 1) return;
      const color = USER_COLORS[index % USER_COLORS.length];
      c.save();
      c.strokeStyle = color;
      c.fillStyle = color;
      c.lineWidth = 2 * dpr;
      c.setLineDash([6 * dpr, 4 * dpr]);
      c.beginPath();
      for (let k = 0; k < n; k++) {
        const [px, py] = toPixel(p.x[k], p.y[k]);
        if (k === 0) c.moveTo(px, py);
        else c.lineTo(px, py);
      }
      c.stroke();
      c.setLineDash([]);
      const [cx, cy] = toPixel(p.x[n - 1], p.y[n - 1]);
      c.beginPath();
      c.rect(cx - 4 * dpr, cy - 4 * dpr, 8 * dpr, 8 * dpr);
      c.fill();
      c.font = `${12 * dpr}px system-ui, sans-serif`;
      c.fillText(p.label, cx + 7 * dpr, cy - 7 * dpr);
      c.restore();
    });
    scheduleReport();
  }

  function mount() {
    mounted?.destroy();
    mounted = null;
    mountedDemo = null;
    main.replaceChildren();
    notices.clear();
    const id = model.get("demo");
    const demo = DEMOS.find((d) => d.id === id);
    if (!demo) {
      notices.notify(t("notice.badDemo", { value: String(id), demo: "–" }), "error");
      return Promise.resolve();
    }
    const { values, rejected } = decode(demo.params, new URLSearchParams(model.get("state") ?? ""), { ignore: ["lang", "embed"] });
    lastState = encode(demo.params, values).toString();
    for (const { name, raw } of rejected) notices.notify(t("notice.badParam", { name, value: raw }));
    const ctx = {
      engine,
      values,
      notify: (message, kind) => notices.notify(message, kind),
      clearNotices: () => notices.clear(),
      save(v) {
        // The student's losses are read on the surface shown.
        if (demo === race) {
          try {
            const next = new engine.Surface(surfaceSpecOf(v));
            surface?.free();
            surface = next;
          } catch {
            // The view keeps its old surface too and says why.
          }
        }
        lastState = encode(demo.params, v).toString();
        if (lastState !== model.get("state")) {
          model.set("state", lastState);
          model.save_changes();
        }
      },
    };
    if (demo === race) {
      surface?.free();
      surface = new engine.Surface(surfaceSpecOf(values));
      ctx.drawOver = drawUserPaths;
    }
    mounted = demo.mount(main, ctx);
    mountedDemo = demo;
    translateTree(frame);
    return Promise.resolve(mounted.ready);
  }

  // Python's form of a state and the view's own (defaults left out) differ
  // in spelling: remount only for a different setting, or the two would
  // answer each other for ever.
  const onState = () => {
    const demo = DEMOS.find((d) => d.id === model.get("demo"));
    const given = demo ? encode(demo.params, decode(demo.params, new URLSearchParams(model.get("state") ?? "")).values).toString() : null;
    if (given !== lastState) mount();
  };
  const onLang = () => applyLanguage();
  const onPaths = () => { raceShown()?.frame(0, true); report(undefined, true); };
  /** Advances the race `steps` steps at once (chunks keep each wasm call short). */
  function runSteps(steps) {
    const view = raceShown();
    view.runner.pause();
    const n = Math.max(0, Math.min(Number(steps) || 0, 1e6));
    for (let done = 0; done < n; done += 10000) view.race.step(Math.min(10000, n - done));
    view.frame(0, true);
  }
  const onMessage = (msg) => {
    if (!msg || msg.type !== "run" || !raceShown()) return;
    runSteps(msg.steps);
    report(msg.id);
  };
  applyLanguage();
  // Listening before the first mount: a change that lands while the demo
  // mounts (add_path's update behind the widget's creation) is not lost.
  model.on("change:state", onState);
  model.on("change:lang", onLang);
  model.on("change:user_paths", onPaths);
  await mount();
  // A race shown again starts where the model is (the engine is
  // deterministic), so a new view does not send step 0 over the old numbers;
  // the redraw also shows paths that arrived while it mounted.
  if (raceShown()) {
    runSteps(model.get("steps") ?? 0);
    report();
  }
  // From here messages go straight to the view; those kept meanwhile first.
  model.off("msg:custom", keep);
  model.on("msg:custom", onMessage);
  for (const msg of inbox.splice(0)) onMessage(msg);
  hostEl.dataset.ready = "1";
  return () => {
    destroyed = true;
    clearTimeout(reportTimer);
    model.off("change:state", onState);
    model.off("change:lang", onLang);
    model.off("change:user_paths", onPaths);
    model.off("msg:custom", onMessage);
    mounted?.destroy();
    surface?.free();
  };
}
