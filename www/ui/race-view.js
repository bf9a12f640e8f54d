// The race view shared by the optimizer race, the schedules demo and the
// second-order demo: optimizers descending one 2-D surface from one start,
// their paths on a log-coloured heatmap, loss and learning-rate charts, and
// (for Newton-type teaching) the local quadratic model at a racer's point.
//
// A demo is a list of racer "slots" plus defaults (www/ui/race-config.js
// builds the URL parameter table from them); this module assembles the view
// from parts (www/ui/parts/race-*.js, racer-rows.js, model-panel.js) and
// owns the engine objects. Every element id carries the instance's prefix,
// so one page can hold several races.
import { h, uniquePrefix } from "./dom.js";
import { createPlayer } from "./player.js";
import { attachLiveRegion, readable } from "./live-region.js";
import { canvasPng, csvBlob, csvFromColumns, jsonBlob } from "./download.js";
import { createRaceDownloads } from "./parts/race-downloads.js";
import { createRaceMap } from "./parts/race-map.js";
import { createRaceCharts } from "./parts/race-charts.js";
import { createRaceSettings } from "./parts/race-settings.js";
import { createRacerRows } from "./parts/racer-rows.js";
import { createModelPanel } from "./parts/model-panel.js";
import { createRaceLegend } from "./parts/race-legend.js";
import { t, onLanguageChange, translateTree } from "../i18n/index.js";
import { encode } from "../state.js";
import { COLORS, formatNumber, slotKind, isSecondOrder, surfaceSpecOf, racerConfig } from "./race-config.js";

export {
  FIRST_ORDER, SECOND_ORDER, SURFACES, SCHEDULES, PRESETS, COLORS, formatNumber, imageDataOf,
  buildParams, racerConfig, surfaceSpecOf,
} from "./race-config.js";

const HEATMAP_SIZE = 256;
const OVERLAY_SIZE = 200;
const STATUS_EVERY_MS = 100;

/**
 * Mounts a race view.
 * spec: {id, titleKey, introKey, slots, params, presets?, showSchedules?,
 * showModel?, showCounts?, hideSchedules?, minSteps?, extraControls?}.
 * Returns {saveState, destroy, debug}.
 */
export function mountRace(root, ctx, spec) {
  const { engine } = ctx;
  const values = { ...ctx.values };
  const { slots, params } = spec;
  const prefix = uniquePrefix(spec.id);
  let surface = null;
  let race = null;
  let raceSlots = [];
  let heatmap = null;
  let destroyed = false;
  let statusDrawnAt = -Infinity;

  const slotColor = (slot) => slot.color ?? COLORS[slotKind(slot, values)];
  const slotName = (slot) => (slot.nameKey ? t(slot.nameKey) : t(`opt.${slotKind(slot, values)}`));
  const save = () => ctx.save(values);

  // ---- parts ------------------------------------------------------------
  const map = createRaceMap({ onPick: restartAt, onResize: () => draw(true) });
  const charts = createRaceCharts({ engine, input: chartInput });
  const legend = createRaceLegend();
  const player = createPlayer({
    // Stepping is timed against the frame budget; drawing happens once per frame.
    step: (steps) => advance(steps),
    draw: () => {
      draw();
      if (race) live.update(liveText());
    },
    reset: () => { race?.reset(); map.invalidatePaths(); draw(true); },
    speed: values.speed,
    onSpeed: (s) => { values.speed = s; save(); },
  });
  const settings = createRaceSettings({
    prefix,
    engine,
    extra: spec.extraControls ? spec.extraControls(values, () => { rebuildRace(); syncInputs(); }, prefix) : null,
    onChange: changeSetting,
    onExpression: applyExpression,
    onInvalid: (message) => ctx.notify(message),
  });
  const rows = createRacerRows({
    prefix,
    slots,
    params,
    engine,
    values: () => values,
    name: slotName,
    color: slotColor,
    hideSchedules: spec.hideSchedules,
    onChange: (name, value) => { values[name] = value; syncInputs(); rebuildRace(); },
    onToggle: (id, on) => {
      values.on = slots.map((s) => s.id).filter((s) => (s === id ? on : values.on.includes(s)));
      rebuildRace();
    },
    onInvalid: (message) => ctx.notify(message),
  });
  const modelPanel = createModelPanel({ prefix, onChoose: (id) => { values.model = id; save(); draw(true); } });
  const downloads = createDownloads();

  const section = h("section", { class: `demo race ${spec.id}`, "aria-labelledby": `${prefix}-title` },
    h("h2", { id: `${prefix}-title`, "data-i18n": spec.titleKey }),
    h("p", { class: "intro", "data-i18n": spec.introKey }),
    spec.presets ? h("nav", { class: "presets", "aria-labelledby": `${prefix}-presets` },
      h("span", { id: `${prefix}-presets`, "data-i18n": "race.presets" }),
      spec.presets.map((p) => h("a", { href: `#${spec.id}?${p.query}`, "data-i18n": `preset.${p.key}` }))) : null,
    h("div", { class: "columns" },
      h("div", { class: "stage" },
        map.element,
        h("p", { class: "hint", "data-i18n": "race.clickHint" }),
        legend.element,
        player.element,
        charts.lossTitle,
        charts.lossCanvas,
        charts.scheduleBlock,
        downloads.element),
      h("div", { class: "side" },
        settings.element,
        spec.showModel ? modelPanel.element : null,
        h("h3", { "data-i18n": "race.racers" }),
        rows.element)));
  root.append(section);
  player.runner.observe(section);
  // Stopped (Pause, or every racer done): the status shows the last step.
  player.runner.onChange(({ playing }) => {
    if (!playing && race && !destroyed) drawStatus();
  });
  const live = attachLiveRegion(section);

  // ---- engine objects -----------------------------------------------------
  /** Makes a new surface and heatmap; keeps the old ones on failure. */
  function rebuildSurface() {
    let next;
    try {
      next = new engine.Surface(surfaceSpecOf(values));
    } catch (e) {
      if (values.surface === "custom") settings.showExpressionError(e.message, null);
      ctx.notify(e.message);
      return false;
    }
    if (values.surface === "custom") settings.showExpressionError("", null);
    surface?.free();
    surface = next;
    const b = surface.bounds();
    const aspect = (b.yMax - b.yMin) / (b.xMax - b.xMin);
    const width = HEATMAP_SIZE;
    const height = Math.max(16, Math.min(1024, Math.round(HEATMAP_SIZE * aspect)));
    if (!heatmap || heatmap.width !== width || heatmap.height !== height) {
      heatmap?.free();
      heatmap = new engine.Heatmap(width, height);
    }
    heatmap.render(surface);
    map.setSurface({ rgba: heatmap.pixels(), width, height, bounds: b, minima: surface.minima() });
    return true;
  }

  function startPoint() {
    if (Number.isFinite(values.x) && Number.isFinite(values.y)) return [values.x, values.y];
    return Array.from(surface.defaultStart());
  }

  /** Builds a race from the current values; keeps the old race on failure. */
  function rebuildRace() {
    const nextSlots = slots.filter((s) => values.on.includes(s.id));
    let next;
    try {
      next = new engine.Race(surface, {
        start: startPoint(),
        racers: nextSlots.map((s) => racerConfig(s, values)),
        noise: values.noise ? { batchSize: values.batch } : null,
        seed: values.seed,
      });
    } catch (e) {
      ctx.notify(e.message);
      return;
    }
    race?.free();
    race = next;
    raceSlots = nextSlots;
    map.invalidatePaths();
    updateSigma();
    updateModelChoices();
    save();
    draw(true);
  }

  function updateSigma() {
    const sigma = surface.noiseScale / Math.sqrt(values.batch);
    settings.sigma(values.noise ? t("race.sigma", { sigma: formatNumber(sigma) }) : "", values.noise);
  }

  function updateModelChoices() {
    modelPanel.setChoices(raceSlots.map((s) => ({ id: s.id, name: slotName(s) })), values.model);
  }

  // ---- settings -------------------------------------------------------------
  function changeSetting(name, value) {
    if (name === "surface") return changeSurface(value);
    values[name] = value;
    if (name === "cond" || name === "rot") {
      if (rebuildSurface()) rebuildRace();
    } else if (name === "arrows") {
      save();
      draw();
    } else {
      rebuildRace();
    }
    return undefined;
  }

  function changeSurface(next) {
    const previous = values.surface;
    values.surface = next;
    // A new surface gets its own start and learning rates.
    const saved = { x: values.x, y: values.y };
    delete values.x;
    delete values.y;
    if (!rebuildSurface()) {
      values.surface = previous;
      Object.assign(values, saved);
      syncInputs();
      return;
    }
    for (const slot of slots) {
      if (!isSecondOrder(slotKind(slot, values))) values[`${slot.id}.lr`] = params[`${slot.id}.lr`].default(values);
    }
    syncInputs();
    rebuildRace();
  }

  function applyExpression(expr, range) {
    const previous = { expr: values.expr, range: values.range, x: values.x, y: values.y };
    values.expr = expr;
    values.range = range;
    delete values.x;
    delete values.y;
    if (!rebuildSurface()) {
      Object.assign(values, previous);
      return;
    }
    rebuildRace();
  }

  function restartAt(x, y) {
    values.x = Number(x.toPrecision(6));
    values.y = Number(y.toPrecision(6));
    try {
      race.restart(values.x, values.y);
    } catch (e) {
      ctx.notify(e.message);
      return;
    }
    map.invalidatePaths();
    save();
    draw(true);
  }

  function syncInputs() {
    settings.sync(values);
    rows.sync();
  }

  // ---- drawing --------------------------------------------------------------
  function statusText(index) {
    if (!race || index < 0) return t("race.off");
    const s = race.status(index);
    if (s.state === "diverged") return t("race.diverged", { step: s.atStep });
    if (s.state === "stuck") return t("race.stuck", { step: s.atStep, reason: t(`reason.${s.reason}`) });
    let text = t("race.progress", { step: s.steps, loss: formatNumber(s.loss) });
    if (s.state === "converged") text = t("race.converged", { step: s.atStep, loss: formatNumber(s.loss) });
    const slot = raceSlots[index];
    const secondOrder = isSecondOrder(slotKind(slot, values));
    // Where second-order methods race, every racer shows what it spent:
    // fewer iterations is not less work.
    if (secondOrder || spec.showCounts) {
      text += ` · ${t("race.counts", { f: s.evaluations, g: s.gradients, h: s.hessians })}`;
    }
    if (!secondOrder && (values[`${slot.id}.sched`] !== "constant" || values[`${slot.id}.warmup`] > 0)) {
      text += ` · lr ${formatNumber(s.lr)}`;
    }
    if (s.state === "finished") text += ` · ${t("race.finished")}`;
    return text;
  }

  function drawStatus() {
    const entries = [];
    for (const slot of slots) {
      const index = raceSlots.indexOf(slot);
      const text = statusText(index);
      const state = index >= 0 && race ? race.status(index).state : "off";
      rows.setStatus(slot.id, text, state);
      if (index >= 0) entries.push({ color: slotColor(slot), name: slotName(slot), state, text });
    }
    legend.update(entries);
  }

  /** The local model of the chosen racer, for the map and the panel. */
  function currentModel() {
    const index = spec.showModel && values.model ? raceSlots.findIndex((s) => s.id === values.model) : -1;
    if (index < 0 || !race) {
      modelPanel.show(null);
      return null;
    }
    try {
      const model = race.model(index);
      const pixels = race.modelOverlay(index, OVERLAY_SIZE, OVERLAY_SIZE);
      const status = race.status(index);
      modelPanel.show(model);
      return { pixels, at: [status.x, status.y], target: model.newtonTarget ?? null };
    } catch (e) {
      modelPanel.showError(e.message);
      return null;
    }
  }

  function drawMap() {
    if (!race) return;
    map.setStart(startPoint());
    map.draw({
      racers: raceSlots.map((slot, i) => ({
        path: race.path(i),
        color: slotColor(slot),
        arrows: values.arrows ? () => race.arrows(i) : null,
      })),
      model: currentModel(),
      // A host's own paths over the racers' (the notebook widget draws a
      // student's trajectory here), in data coordinates up to the race's step.
      over: ctx.drawOver
        ? (context, toPixel, dpr) => ctx.drawOver({ context, toPixel, dpr, steps: longestSteps() })
        : null,
    });
  }

  function longestSteps() {
    let longest = 0;
    for (let i = 0; i < raceSlots.length; i++) longest = Math.max(longest, race.status(i).steps);
    return longest;
  }

  function minimumValue() {
    const minima = surface.minima();
    if (minima.length < 2) return null;
    return surface.value(minima[0], minima[1]);
  }

  /** What the charts draw: colours, f*, the step axis' length (grows in whole hundreds). */
  function chartInput() {
    if (!race || destroyed) return null;
    const longest = longestSteps();
    const scheduled = raceSlots.some((s) => !isSecondOrder(slotKind(s, values))
      && (values[`${s.id}.sched`] !== "constant" || values[`${s.id}.warmup`] > 0));
    return {
      race,
      colors: raceSlots.map(slotColor),
      scheduleColors: raceSlots.map((s) => (isSecondOrder(slotKind(s, values)) ? null : slotColor(s))),
      fStar: minimumValue(),
      longest,
      extent: Math.max(spec.minSteps ?? 100, Math.ceil((longest + 1) / 100) * 100),
      showSchedule: Boolean(spec.showSchedules) || scheduled,
    };
  }

  function draw(full = false) {
    if (destroyed || !surface) return;
    drawMap();
    // Text that changes every frame cannot be read and makes the browser lay
    // the page out again each frame: while playing, ten times a second.
    const now = performance.now();
    if (full || !player.playing || now - statusDrawnAt >= STATUS_EVERY_MS) {
      drawStatus();
      statusDrawnAt = now;
    }
    // The charts are the costliest part: a few redraws a second suffice while playing.
    if (full || charts.due(player.playing)) charts.draw();
    map.canvas.setAttribute("aria-label", t("race.mapLabel", { surface: t(`surface.${values.surface}`) }));
  }

  function advance(steps) {
    if (!race) return false;
    race.step(steps);
    return race.anyRunning;
  }

  /** For screen readers: the furthest step and who has the lowest loss there. */
  function liveText() {
    let step = 0;
    let best = null;
    raceSlots.forEach((slot, i) => {
      const s = race.status(i);
      step = Math.max(step, s.steps);
      if (Number.isFinite(s.loss) && (best === null || s.loss < best.loss)) best = { loss: s.loss, name: slotName(slot) };
    });
    const key = race.anyRunning ? "live.race" : "live.raceOver";
    return best ? t(key, { step, loss: readable(best.loss), name: best.name }) : t("live.step", { step });
  }

  // ---- downloads --------------------------------------------------------------
  /** Every racer's loss per step, one column each (a racer that stopped leaves empty cells). */
  function lossColumns() {
    const columns = {};
    const losses = raceSlots.map((_, i) => race.losses(i));
    const longest = Math.max(0, ...losses.map((l) => l.length));
    columns.step = Array.from({ length: longest }, (_, i) => i);
    // `<slot>.loss`, like the URL's `<slot>.lr`: a slot may be called "step" (the schedules demo).
    raceSlots.forEach((slot, i) => { columns[`${slot.id}.loss`] = losses[i]; });
    return columns;
  }

  function results() {
    const query = encode(params, values).toString();
    return {
      demo: spec.id,
      link: `${location.origin}${location.pathname}#${spec.id}${query ? `?${query}` : ""}`,
      settings: { ...values },
      start: startPoint(),
      racers: raceSlots.map((slot, i) => ({
        id: slot.id,
        name: slotName(slot),
        config: racerConfig(slot, values),
        status: race.status(i),
      })),
    };
  }

  function createDownloads() {
    return createRaceDownloads({
      demo: spec.id,
      onError: (message) => ctx.notify(message, "error"),
      files: [
        { key: "race.download.map", name: "map", format: "PNG", make: () => canvasPng(map.composite()) },
        { key: "race.download.chart", name: "loss-chart", format: "PNG", make: () => canvasPng(charts.lossPicture) },
        { key: "race.download.losses", name: "losses", format: "CSV", make: () => csvBlob(csvFromColumns(lossColumns())) },
        { key: "race.download.run", name: "run", format: "JSON", make: () => jsonBlob(results()) },
      ],
    });
  }

  // ---- start ------------------------------------------------------------------
  function relabel() {
    translateTree(section);
    syncInputs();
    updateSigma();
    updateModelChoices();
    draw(true);
  }

  translateTree(section);
  if (!rebuildSurface()) {
    values.surface = "quadratic";
    rebuildSurface();
  }
  syncInputs();
  rebuildRace();
  const unlisten = onLanguageChange(relabel);

  return {
    saveState: save,
    destroy() {
      destroyed = true;
      player.destroy();
      live.destroy();
      map.destroy();
      charts.destroy();
      settings.destroy();
      rows.destroy();
      modelPanel.destroy();
      downloads.destroy();
      unlisten();
      race?.free();
      heatmap?.free();
      surface?.free();
      race = null;
    },
    // For tests and benchmarks: one animation frame's work, charts optional.
    debug: {
      values,
      prefix,
      runner: player.runner,
      get race() { return race; },
      frame(steps, withCharts) {
        race.step(steps);
        drawMap();
        drawStatus();
        if (withCharts) charts.draw();
      },
    },
  };
}
