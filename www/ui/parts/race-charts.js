// The race charts part: every racer's loss per step and, when schedules
// are in play, the learning rate per step with a marker at the current
// step. The engine draws both with plotters (at most four points per pixel
// column, so a long race costs no more than a short one); while playing
// they are redrawn a few times a second, less often if a redraw is dear.
// Both are still canvases (still-canvas.js): between redraws they cost the
// page nothing.
import { h } from "../dom.js";
import { fitCanvas } from "../canvas.js";
import { t } from "../../i18n/index.js";
import { createStillCanvas } from "../still-canvas.js";

/**
 * @param {object} o
 * @param {object} o.engine the wasm module (drawLossChart, drawScheduleChart)
 * @param {() => object | null} o.input what to draw now: {race, colors,
 *   scheduleColors, fStar, extent, longest, showSchedule}, or null
 * Returns {lossTitle, lossCanvas, lossPicture, scheduleBlock, scheduleCanvas, draw(), due(playing), destroy()};
 * lossPicture is the 2D canvas holding the loss chart (for downloads).
 */
export function createRaceCharts({ engine, input }) {
  const lossStill = createStillCanvas({ class: "chart", role: "img" });
  const scheduleStill = createStillCanvas({ class: "chart schedule-chart", role: "img" });
  const lossCanvas = lossStill.canvas;
  const scheduleCanvas = scheduleStill.canvas;
  const lossTitle = h("p", { class: "chart-title", "data-i18n": "race.lossChart" });
  const scheduleBlock = h("div", { class: "schedule-block" },
    h("p", { class: "chart-title", "data-i18n": "race.scheduleChart" }), scheduleCanvas);
  let last = -Infinity;
  let cost = 0;

  /**
   * Draws the loss chart, the schedule chart, or both. Each canvas' resize
   * redraws its own chart only: at mount both are sized in one frame, and
   * drawing both twice made that frame longer.
   */
  function draw({ loss = true, schedule = true } = {}) {
    // Not laid out yet (fitCanvas sizes it once it is on the page): a chart
    // squeezed into a pixel or two would make plotters measure its labels
    // with an inline-styled element, which the page's CSP refuses.
    if (!lossCanvas.isConnected || lossCanvas.width < 64) return;
    const what = input();
    if (!what) return;
    const begun = performance.now();
    const scale = window.devicePixelRatio || 1;
    try {
      if (loss) {
        engine.drawLossChart(lossStill.sized(), what.race, {
          colors: what.colors,
          xLabel: t("chart.step"),
          yLabel: what.fStar === null ? t("chart.loss") : t("chart.lossGap"),
          logY: what.fStar !== null,
          offset: what.fStar ?? 0,
          scale,
          minSteps: what.extent,
        });
        lossStill.present();
      }
      scheduleBlock.hidden = !what.showSchedule;
      // Just unhidden, it is sized in the next layout (and redrawn then).
      if (schedule && what.showSchedule && scheduleCanvas.width >= 64) {
        engine.drawScheduleChart(scheduleStill.sized(), what.race, {
          colors: what.scheduleColors,
          xLabel: t("chart.step"),
          yLabel: t("chart.lr"),
          logY: true,
          scale,
          minSteps: what.extent,
          marker: what.longest,
        });
        scheduleStill.present();
      }
    } catch (e) {
      console.warn(e);
    }
    lossCanvas.setAttribute("aria-label", t("race.chartLabel"));
    scheduleCanvas.setAttribute("aria-label", t("race.scheduleChart"));
    last = performance.now();
    cost = last - begun;
  }

  /** While playing: whether a redraw is due (every 120 ms, or 8 × its own cost if that is longer). */
  function due(playing) {
    return !playing || performance.now() - last > Math.max(120, 8 * cost);
  }

  const unfitLoss = fitCanvas(lossCanvas, () => draw({ schedule: false }));
  const unfitSchedule = fitCanvas(scheduleCanvas, () => draw({ loss: false }));
  return {
    lossTitle,
    lossCanvas,
    lossPicture: lossStill.back,
    scheduleBlock,
    scheduleCanvas,
    draw: () => draw(),
    due,
    destroy() {
      unfitLoss();
      unfitSchedule();
    },
  };
}
