// The optimizer race: first-order optimizers descending one 2-D surface
// from one start, with their paths on a log-coloured heatmap and their
// loss curves below it.
import { h, clear } from "../ui/dom.js";
import { fitCanvas } from "../ui/canvas.js";
import { createPlayer } from "../ui/player.js";
import { t, onLanguageChange, translateTree } from "../i18n/index.js";
import { RULES } from "./formulas.js";

export const id = "race";

export const KINDS = ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"];
export const SURFACES = ["quadratic", "saddle", "monkey", "rosenbrock", "beale", "himmelblau", "bumpy", "plateau"];
export const COLORS = {
  sgd: "#e6194b", momentum: "#3cb44b", nesterov: "#f58231",
  adagrad: "#911eb4", rmsprop: "#42d4f4", adam: "#f032e6",
};
const HEATMAP_SIZE = 256;
const BATCH_SIZES = [1, 2, 4, 8, 16, 32, 64, 128, 256, 1024];

// Learning rates that show each surface's lesson in a few hundred steps.
const PRESETS = {
  quadratic: { sgd: 1.5, momentum: 0.3, nesterov: 0.3, adagrad: 0.5, rmsprop: 0.05, adam: 0.1 },
  saddle: { sgd: 0.05, momentum: 0.02, nesterov: 0.02, adagrad: 0.1, rmsprop: 0.01, adam: 0.02 },
  monkey: { sgd: 0.01, momentum: 0.005, nesterov: 0.005, adagrad: 0.1, rmsprop: 0.01, adam: 0.02 },
  rosenbrock: { sgd: 0.001, momentum: 0.0005, nesterov: 0.0005, adagrad: 0.5, rmsprop: 0.01, adam: 0.05 },
  beale: { sgd: 0.0005, momentum: 0.0002, nesterov: 0.0002, adagrad: 0.5, rmsprop: 0.01, adam: 0.05 },
  himmelblau: { sgd: 0.005, momentum: 0.002, nesterov: 0.002, adagrad: 0.5, rmsprop: 0.05, adam: 0.1 },
  bumpy: { sgd: 0.05, momentum: 0.05, nesterov: 0.05, adagrad: 0.5, rmsprop: 0.02, adam: 0.05 },
  plateau: { sgd: 0.1, momentum: 0.05, nesterov: 0.05, adagrad: 0.5, rmsprop: 0.01, adam: 0.05 },
};

// The hyperparameters each racer row shows: URL suffix, engine key, bounds, default.
const HYPER = {
  sgd: [],
  momentum: [{ suffix: "rho", key: "momentum", min: 0, max: 0.999, def: 0.9 }],
  nesterov: [{ suffix: "rho", key: "momentum", min: 0, max: 0.999, def: 0.9 }],
  adagrad: [{ suffix: "eps", key: "eps", min: 1e-12, max: 1, def: 1e-10 }],
  rmsprop: [
    { suffix: "decay", key: "decay", min: 0, max: 0.9999, def: 0.99 },
    { suffix: "eps", key: "eps", min: 1e-12, max: 1, def: 1e-8 },
  ],
  adam: [
    { suffix: "b1", key: "beta1", min: 0, max: 0.9999, def: 0.9 },
    { suffix: "b2", key: "beta2", min: 0, max: 0.99999, def: 0.999 },
    { suffix: "eps", key: "eps", min: 1e-12, max: 1, def: 1e-8 },
  ],
};

/** The URL parameter table of this demo. */
export const params = (() => {
  const table = {
    surface: { type: "enum", values: SURFACES, default: "quadratic" },
    cond: { type: "number", min: 1, max: 1000, default: 20 },
    rot: { type: "number", min: -90, max: 90, default: 30 },
    x: { type: "number", min: -1e4, max: 1e4 },
    y: { type: "number", min: -1e4, max: 1e4 },
    on: { type: "set", values: KINDS, default: KINDS },
    noise: { type: "bool", default: false },
    batch: { type: "number", integer: true, min: 1, max: 4096, default: 1 },
    seed: { type: "number", integer: true, min: 0, max: 4294967295, default: 1 },
    speed: { type: "number", integer: true, min: 1, max: 100, default: 2 },
    arrows: { type: "bool", default: false },
  };
  for (const kind of KINDS) {
    table[`${kind}.lr`] = { type: "number", min: 0, max: 1000, default: (v) => PRESETS[v.surface ?? "quadratic"][kind] };
    for (const hp of HYPER[kind]) {
      table[`${kind}.${hp.suffix}`] = { type: "number", min: hp.min, max: hp.max, default: hp.def };
    }
  }
  table["adam.bc"] = { type: "bool", default: true };
  return table;
})();

/** The engine config of one racer from the demo's values. */
export function optimizerConfig(kind, values) {
  const config = { kind, lr: values[`${kind}.lr`] };
  for (const hp of HYPER[kind]) config[hp.key] = values[`${kind}.${hp.suffix}`];
  if (kind === "adam") config.biasCorrection = values["adam.bc"];
  return config;
}

/** Wraps a byte view of wasm memory as ImageData without copying it. */
export function imageDataOf(bytes, width, height) {
  return new ImageData(new Uint8ClampedArray(bytes.buffer, bytes.byteOffset, bytes.length), width, height);
}

function formatNumber(v) {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(2);
  return String(Number(v.toPrecision(4)));
}

export function mount(root, ctx) {
  const { engine } = ctx;
  const values = { ...ctx.values };
  let surface = null;
  let race = null;
  let raceKinds = [];
  let heatmap = null;
  let heatStats = null;
  let lastChart = 0;
  let destroyed = false;

  // ---- layout -------------------------------------------------------
  const mapCanvas = h("canvas", { class: "map", tabindex: 0, role: "img" });
  const heatCanvas = document.createElement("canvas");
  const legend = h("ul", { class: "legend", "aria-live": "off" });
  const chartCanvas = h("canvas", { class: "chart", role: "img" });
  const player = createPlayer({
    tick: (steps) => advance(steps),
    reset: () => { race?.reset(); draw(true); },
    speed: values.speed,
    onSpeed: (s) => { values.speed = s; save(); },
  });
  const intro = h("p", { class: "intro", "data-i18n": "race.intro" });
  const startNote = h("p", { class: "hint", "data-i18n": "race.clickHint" });

  const surfaceSelect = h("select", { id: "race-surface" },
    SURFACES.map((s) => h("option", { value: s, "data-i18n": `surface.${s}` })));
  surfaceSelect.value = values.surface;
  const surfaceLesson = h("p", { class: "lesson" });
  const condInput = h("input", { type: "range", min: 0, max: 3, step: 0.01, id: "race-cond" });
  const condOut = h("output");
  const rotInput = h("input", { type: "range", min: -90, max: 90, step: 1, id: "race-rot" });
  const rotOut = h("output");
  const quadraticControls = h("div", { class: "sub" },
    h("label", { for: "race-cond" }, h("span", { "data-i18n": "race.condition" }), condInput, condOut),
    h("label", { for: "race-rot" }, h("span", { "data-i18n": "race.rotation" }), rotInput, rotOut));

  const noiseToggle = h("input", { type: "checkbox", id: "race-noise" });
  const batchSelect = h("select", { id: "race-batch" }, BATCH_SIZES.map((b) => h("option", { value: b }, String(b))));
  const sigmaOut = h("output", { class: "sigma" });
  const seedInput = h("input", { type: "number", min: 0, max: 4294967295, step: 1, id: "race-seed", inputmode: "numeric" });
  const arrowsToggle = h("input", { type: "checkbox", id: "race-arrows" });

  const racerRows = {};
  const racerList = h("div", { class: "racers" });
  for (const kind of KINDS) racerList.append(buildRacerRow(kind));

  const settings = h("div", { class: "panel" },
    h("label", { for: "race-surface", class: "field" }, h("span", { "data-i18n": "race.surface" }), surfaceSelect),
    surfaceLesson,
    quadraticControls,
    h("div", { class: "field-row" },
      h("label", { for: "race-noise", class: "check" }, noiseToggle, h("span", { "data-i18n": "race.noise" })),
      h("label", { for: "race-batch", class: "inline" }, h("span", { "data-i18n": "race.batch" }), batchSelect),
      sigmaOut),
    h("div", { class: "field-row" },
      h("label", { for: "race-seed", class: "inline" }, h("span", { "data-i18n": "race.seed" }), seedInput),
      h("label", { for: "race-arrows", class: "check" }, arrowsToggle, h("span", { "data-i18n": "race.arrows" }))),
  );

  root.append(h("section", { class: "demo race", "aria-labelledby": "race-title" },
    h("h2", { id: "race-title", "data-i18n": "race.title" }),
    intro,
    h("div", { class: "columns" },
      h("div", { class: "stage" },
        h("div", { class: "map-wrap" }, mapCanvas),
        startNote,
        legend,
        player.element,
        chartCanvas),
      h("div", { class: "side" },
        settings,
        h("h3", { "data-i18n": "race.racers" }),
        racerList))));

  // ---- racer rows ---------------------------------------------------
  function buildRacerRow(kind) {
    const enabled = h("input", { type: "checkbox", id: `race-on-${kind}` });
    enabled.checked = values.on.includes(kind);
    enabled.addEventListener("change", () => {
      values.on = KINDS.filter((k) => (k === kind ? enabled.checked : values.on.includes(k)));
      rebuildRace();
    });
    const status = h("span", { class: "status" });
    const error = h("p", { class: "field-error", role: "alert" });
    const inputs = [];
    const fields = h("div", { class: "hyper" });
    const addNumber = (suffix, labelKey, min, max) => {
      const name = `${kind}.${suffix}`;
      const input = h("input", {
        type: "number", step: "any", min, max, id: `race-${kind}-${suffix}`, inputmode: "decimal",
        dataset: { param: name },
      });
      input.value = String(values[name]);
      input.addEventListener("change", () => applyHyper(kind, name, input, error));
      fields.append(h("label", { for: input.id }, h("span", { "data-i18n": labelKey }), input));
      inputs.push(input);
    };
    addNumber("lr", "hp.lr", 0, 1000);
    for (const hp of HYPER[kind]) addNumber(hp.suffix, `hp.${hp.key}`, hp.min, hp.max);
    let bcToggle = null;
    if (kind === "adam") {
      bcToggle = h("input", { type: "checkbox", id: "race-adam-bc" });
      bcToggle.checked = values["adam.bc"];
      bcToggle.addEventListener("change", () => {
        values["adam.bc"] = bcToggle.checked;
        renderRule();
        rebuildRace();
      });
      fields.append(h("label", { for: "race-adam-bc", class: "check" }, bcToggle, h("span", { "data-i18n": "hp.biasCorrection" })));
    }
    const ruleBox = h("div", { class: "rule" });
    const renderRule = () => {
      clear(ruleBox);
      ruleBox.append(kind === "adam" ? RULES.adam(values["adam.bc"]) : RULES[kind]());
    };
    renderRule();
    const details = h("details", {},
      h("summary", { "data-i18n": "race.howItWorks" }),
      ruleBox,
      h("p", { "data-i18n": `opt.${kind}.explain` }));
    const row = h("fieldset", { class: "racer", dataset: { kind } },
      h("legend", {},
        h("label", { for: enabled.id, class: "check" }, enabled,
          h("span", { class: "swatch", dataset: { kind } }),
          h("span", { class: "name", "data-i18n": `opt.${kind}` })),
        status),
      fields, error, details);
    racerRows[kind] = { row, enabled, status, inputs, bcToggle, error };
    return row;
  }

  function applyHyper(kind, name, input, error) {
    const raw = input.value.trim();
    const value = Number(raw);
    const trial = { ...values, [name]: value };
    let message = null;
    if (raw === "" || !Number.isFinite(value)) {
      message = t("race.notANumber", { name: t(`hp.${paramKey(name)}`) });
    } else {
      try {
        new engine.Optimizer(optimizerConfig(kind, trial)).free();
      } catch (e) {
        message = e.message;
      }
    }
    if (message) {
      input.setAttribute("aria-invalid", "true");
      error.textContent = `${t(`opt.${kind}`)}: ${message}`;
      ctx.notify(error.textContent);
      return;
    }
    input.removeAttribute("aria-invalid");
    error.textContent = "";
    values[name] = value;
    rebuildRace();
  }

  function paramKey(name) {
    const [kind, suffix] = name.split(".");
    if (suffix === "lr") return "lr";
    return HYPER[kind].find((hp) => hp.suffix === suffix)?.key ?? suffix;
  }

  // ---- engine objects -----------------------------------------------
  function surfaceSpec() {
    if (values.surface === "quadratic") {
      return { name: "quadratic", condition: values.cond, rotation: values.rot };
    }
    return values.surface;
  }

  /** Makes a new surface and heatmap; keeps the old ones on failure. */
  function rebuildSurface() {
    let next;
    try {
      next = new engine.Surface(surfaceSpec());
    } catch (e) {
      ctx.notify(e.message);
      return false;
    }
    surface?.free();
    surface = next;
    const b = surface.bounds();
    const aspect = (b.yMax - b.yMin) / (b.xMax - b.xMin);
    const w = HEATMAP_SIZE;
    const hgt = Math.max(16, Math.round(HEATMAP_SIZE * aspect));
    if (!heatmap || heatmap.width !== w || heatmap.height !== hgt) {
      heatmap?.free();
      heatmap = new engine.Heatmap(w, hgt);
    }
    heatStats = heatmap.render(surface);
    heatCanvas.width = w;
    heatCanvas.height = hgt;
    heatCanvas.getContext("2d").putImageData(imageDataOf(heatmap.pixels(), w, hgt), 0, 0);
    mapCanvas.style.aspectRatio = `${w} / ${hgt}`;
    return true;
  }

  function startPoint() {
    if (Number.isFinite(values.x) && Number.isFinite(values.y)) return [values.x, values.y];
    return Array.from(surface.defaultStart());
  }

  /** Builds a race from the current values; keeps the old race on failure. */
  function rebuildRace() {
    raceKinds = KINDS.filter((k) => values.on.includes(k));
    const racers = [];
    for (const kind of raceKinds) racers.push(optimizerConfig(kind, values));
    let next;
    try {
      next = new engine.Race(surface, {
        start: startPoint(),
        racers,
        noise: values.noise ? { batchSize: values.batch } : null,
        seed: values.seed,
      });
    } catch (e) {
      ctx.notify(e.message);
      return;
    }
    race?.free();
    race = next;
    updateSigma();
    save();
    draw(true);
  }

  function updateSigma() {
    const sigma = surface.noiseScale / Math.sqrt(values.batch);
    sigmaOut.textContent = values.noise ? t("race.sigma", { sigma: formatNumber(sigma) }) : "";
    batchSelect.disabled = !values.noise;
  }

  // ---- drawing --------------------------------------------------------
  function view() {
    return surface.bounds();
  }

  function toPixel(b, x, y) {
    return [
      ((x - b.xMin) / (b.xMax - b.xMin)) * mapCanvas.width,
      ((b.yMax - y) / (b.yMax - b.yMin)) * mapCanvas.height,
    ];
  }

  function drawMap() {
    const c = mapCanvas.getContext("2d");
    const W = mapCanvas.width;
    const H = mapCanvas.height;
    const dpr = window.devicePixelRatio || 1;
    c.imageSmoothingEnabled = true;
    c.drawImage(heatCanvas, 0, 0, W, H);
    const b = view();
    // Known minima: small white crosses.
    const minima = surface.minima();
    c.strokeStyle = "rgba(255,255,255,0.9)";
    c.lineWidth = 1.5 * dpr;
    for (let i = 0; i < minima.length; i += 2) {
      const [px, py] = toPixel(b, minima[i], minima[i + 1]);
      const r = 5 * dpr;
      c.beginPath();
      c.moveTo(px - r, py - r); c.lineTo(px + r, py + r);
      c.moveTo(px + r, py - r); c.lineTo(px - r, py + r);
      c.stroke();
    }
    if (!race) return;
    // Start point.
    const [sx, sy] = toPixel(b, ...startPoint());
    c.fillStyle = "#fff";
    c.strokeStyle = "#000";
    c.lineWidth = 1.5 * dpr;
    c.beginPath();
    c.rect(sx - 4 * dpr, sy - 4 * dpr, 8 * dpr, 8 * dpr);
    c.fill();
    c.stroke();
    const minGap = 0.75 * dpr;
    for (let i = 0; i < raceKinds.length; i++) {
      const color = COLORS[raceKinds[i]];
      const path = race.path(i);
      c.strokeStyle = color;
      c.lineWidth = 2 * dpr;
      c.lineJoin = "round";
      c.beginPath();
      let [lx, ly] = toPixel(b, path[0], path[1]);
      c.moveTo(lx, ly);
      const n = path.length;
      for (let k = 2; k < n; k += 2) {
        const [px, py] = toPixel(b, path[k], path[k + 1]);
        // Skip points closer than a pixel: long runs stay cheap to draw.
        if (Math.abs(px - lx) + Math.abs(py - ly) < minGap && k < n - 2) continue;
        c.lineTo(px, py);
        lx = px;
        ly = py;
      }
      c.stroke();
      const [cx, cy] = toPixel(b, path[n - 2], path[n - 1]);
      c.fillStyle = color;
      c.strokeStyle = "#fff";
      c.beginPath();
      c.arc(cx, cy, 5 * dpr, 0, Math.PI * 2);
      c.fill();
      c.stroke();
      if (values.arrows && n > 2) drawArrows(c, b, i, cx, cy, color, dpr);
    }
  }

  function drawArrows(c, b, index, cx, cy, color, dpr) {
    const [gx, gy, dx, dy] = race.arrows(index);
    const pxPerUnitX = mapCanvas.width / (b.xMax - b.xMin);
    const pxPerUnitY = mapCanvas.height / (b.yMax - b.yMin);
    // Negative gradient: direction of steepest descent, fixed length.
    const gl = Math.hypot(gx * pxPerUnitX, gy * pxPerUnitY);
    if (gl > 0) arrow(c, cx, cy, (-gx * pxPerUnitX / gl) * 36 * dpr, (gy * pxPerUnitY / gl) * 36 * dpr, "#fff", dpr, true);
    // The step actually taken, magnified so small steps stay visible.
    const sx = dx * pxPerUnitX;
    const sy = -dy * pxPerUnitY;
    const sl = Math.hypot(sx, sy);
    if (sl > 0) {
      const len = Math.min(80, Math.max(14, sl * 8)) * dpr;
      arrow(c, cx, cy, (sx / sl) * len, (sy / sl) * len, color, dpr, false);
    }
  }

  function arrow(c, x, y, dx, dy, color, dpr, dashed) {
    c.save();
    c.strokeStyle = color;
    c.fillStyle = color;
    c.lineWidth = 2 * dpr;
    if (dashed) c.setLineDash([4 * dpr, 3 * dpr]);
    c.beginPath();
    c.moveTo(x, y);
    c.lineTo(x + dx, y + dy);
    c.stroke();
    c.setLineDash([]);
    const angle = Math.atan2(dy, dx);
    const head = 7 * dpr;
    c.beginPath();
    c.moveTo(x + dx, y + dy);
    c.lineTo(x + dx - head * Math.cos(angle - 0.4), y + dy - head * Math.sin(angle - 0.4));
    c.lineTo(x + dx - head * Math.cos(angle + 0.4), y + dy - head * Math.sin(angle + 0.4));
    c.closePath();
    c.fill();
    c.restore();
  }

  function statusText(kind, index) {
    if (!race || index < 0) return t("race.off");
    const s = race.status(index);
    if (s.state === "diverged") return t("race.diverged", { step: s.divergedAt });
    const text = t("race.progress", { step: s.steps, loss: formatNumber(s.loss) });
    return s.state === "finished" ? `${text} · ${t("race.finished")}` : text;
  }

  function drawStatus() {
    clear(legend);
    for (const kind of KINDS) {
      const index = raceKinds.indexOf(kind);
      const text = statusText(kind, index);
      const row = racerRows[kind];
      row.status.textContent = text;
      row.row.classList.toggle("off", index < 0);
      const diverged = index >= 0 && race && race.status(index).state === "diverged";
      row.row.classList.toggle("diverged", Boolean(diverged));
      if (index >= 0) {
        legend.append(h("li", { class: diverged ? "diverged" : "" },
          h("span", { class: "swatch", dataset: { kind } }),
          h("span", { class: "name", text: t(`opt.${kind}`) }),
          h("span", { class: "status", text })));
      }
    }
  }

  function minimumValue() {
    const minima = surface.minima();
    if (minima.length < 2) return null;
    return surface.value(minima[0], minima[1]);
  }

  function drawChart() {
    if (!race) return;
    const fStar = minimumValue();
    const colors = raceKinds.map((k) => COLORS[k]);
    try {
      engine.drawLossChart(chartCanvas, race, {
        colors,
        xLabel: t("chart.step"),
        yLabel: fStar === null ? t("chart.loss") : t("chart.lossGap"),
        logY: fStar !== null,
        offset: fStar ?? 0,
        scale: window.devicePixelRatio || 1,
        minSteps: 100,
      });
    } catch (e) {
      console.warn(e);
    }
    lastChart = performance.now();
  }

  function draw(full = false) {
    if (destroyed || !surface) return;
    drawMap();
    drawStatus();
    // The chart is the costliest part: a few redraws per second suffice while playing.
    if (full || !player.playing || performance.now() - lastChart > 120) drawChart();
    mapCanvas.setAttribute("aria-label", t("race.mapLabel", { surface: t(`surface.${values.surface}`) }));
    chartCanvas.setAttribute("aria-label", t("race.chartLabel"));
  }

  function advance(steps) {
    if (!race) return false;
    race.step(steps);
    draw();
    return race.anyRunning;
  }

  // ---- events ---------------------------------------------------------
  function restartAt(x, y) {
    values.x = Number(x.toPrecision(6));
    values.y = Number(y.toPrecision(6));
    try {
      race.restart(values.x, values.y);
    } catch (e) {
      ctx.notify(e.message);
      return;
    }
    save();
    draw(true);
  }

  mapCanvas.addEventListener("click", (event) => {
    const rect = mapCanvas.getBoundingClientRect();
    const b = view();
    const x = b.xMin + ((event.clientX - rect.left) / rect.width) * (b.xMax - b.xMin);
    const y = b.yMax - ((event.clientY - rect.top) / rect.height) * (b.yMax - b.yMin);
    restartAt(x, y);
  });
  mapCanvas.addEventListener("keydown", (event) => {
    const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    const b = view();
    const [x, y] = startPoint();
    const nx = Math.min(b.xMax, Math.max(b.xMin, x + move[0] * 0.02 * (b.xMax - b.xMin)));
    const ny = Math.min(b.yMax, Math.max(b.yMin, y + move[1] * 0.02 * (b.yMax - b.yMin)));
    restartAt(nx, ny);
  });

  surfaceSelect.addEventListener("change", () => {
    const previous = values.surface;
    values.surface = surfaceSelect.value;
    // A new surface gets its own start and learning rates.
    delete values.x;
    delete values.y;
    for (const kind of KINDS) values[`${kind}.lr`] = PRESETS[values.surface][kind];
    if (!rebuildSurface()) {
      values.surface = previous;
      surfaceSelect.value = previous;
      return;
    }
    syncInputs();
    rebuildRace();
  });
  const condFromSlider = () => Number((10 ** Number(condInput.value)).toPrecision(3));
  condInput.addEventListener("input", () => { condOut.textContent = String(condFromSlider()); });
  condInput.addEventListener("change", () => {
    values.cond = condFromSlider();
    if (rebuildSurface()) rebuildRace();
  });
  rotInput.addEventListener("input", () => { rotOut.textContent = `${rotInput.value}°`; });
  rotInput.addEventListener("change", () => {
    values.rot = Number(rotInput.value);
    if (rebuildSurface()) rebuildRace();
  });
  noiseToggle.addEventListener("change", () => { values.noise = noiseToggle.checked; rebuildRace(); });
  batchSelect.addEventListener("change", () => { values.batch = Number(batchSelect.value); rebuildRace(); });
  seedInput.addEventListener("change", () => {
    const seed = Number(seedInput.value);
    if (!Number.isInteger(seed) || seed < 0 || seed > 4294967295) {
      seedInput.setAttribute("aria-invalid", "true");
      ctx.notify(t("race.badSeed"));
      return;
    }
    seedInput.removeAttribute("aria-invalid");
    values.seed = seed;
    rebuildRace();
  });
  arrowsToggle.addEventListener("change", () => { values.arrows = arrowsToggle.checked; save(); draw(); });

  function syncInputs() {
    surfaceSelect.value = values.surface;
    quadraticControls.hidden = values.surface !== "quadratic";
    condInput.value = String(Math.log10(values.cond));
    condOut.textContent = String(values.cond);
    rotInput.value = String(values.rot);
    rotOut.textContent = `${values.rot}°`;
    noiseToggle.checked = values.noise;
    if (!BATCH_SIZES.includes(values.batch)) {
      batchSelect.append(h("option", { value: values.batch }, String(values.batch)));
    }
    batchSelect.value = String(values.batch);
    seedInput.value = String(values.seed);
    arrowsToggle.checked = values.arrows;
    for (const kind of KINDS) {
      const row = racerRows[kind];
      row.enabled.checked = values.on.includes(kind);
      for (const input of row.inputs) {
        input.value = String(values[input.dataset.param]);
        input.removeAttribute("aria-invalid");
      }
      if (row.bcToggle) row.bcToggle.checked = values["adam.bc"];
      row.error.textContent = "";
    }
    surfaceLesson.textContent = t(`surface.${values.surface}.lesson`);
  }

  function save() {
    ctx.save(values);
  }

  function relabel() {
    translateTree(root);
    syncInputs();
    updateSigma();
    draw(true);
  }

  // ---- start ------------------------------------------------------------
  translateTree(root);
  if (!rebuildSurface()) {
    values.surface = "quadratic";
    rebuildSurface();
  }
  syncInputs();
  rebuildRace();
  const unfitMap = fitCanvas(mapCanvas, () => draw(true));
  const unfitChart = fitCanvas(chartCanvas, () => drawChart());
  const unlisten = onLanguageChange(relabel);

  return {
    saveState: save,
    destroy() {
      destroyed = true;
      player.destroy();
      unfitMap();
      unfitChart();
      unlisten();
      race?.free();
      heatmap?.free();
      surface?.free();
    },
    // Test and console hooks.
    debug: { values, get race() { return race; } },
  };
}
