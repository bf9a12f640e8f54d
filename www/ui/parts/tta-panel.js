// The test-time-augmentation panel part: the five fixed crops outlined on
// the photo (centre dashed) and all ten patches (five, then the same five
// flipped) as thumbnails in the crops' colours. Given the photo and the
// crop boxes, it keeps them and redraws on language change.
import { h, clear } from "../dom.js";
import { t, onLanguageChange } from "../../i18n/index.js";

const COLORS = ["#e6194b", "#3cb44b", "#4363d8", "#f58231", "#fca311"];
const THUMB = 96;

/** Returns {element, canvas, draw(source, crops, side), destroy()}; crops are [{x, y, width, height, hflip}]. */
export function createTtaPanel() {
  const canvas = h("canvas", { class: "aug-tta", role: "img" });
  const strip = h("div", { class: "aug-tta-strip" });
  const element = h("div", { class: "panel aug-tta-panel" },
    h("h3", { "data-i18n": "aug.tta.title" }),
    h("p", { "data-i18n": "aug.tta.body" }),
    canvas,
    h("p", { class: "chart-title", "data-i18n": "aug.tta.crops" }),
    strip,
    h("p", { class: "hint", "data-i18n": "aug.tta.note" }));
  let shown = null;
  const redraw = () => {
    if (!shown) return;
    outline(canvas, shown.source, shown.crops, shown.side);
    thumbnails(strip, shown.source, shown.crops);
  };
  const unlisten = onLanguageChange(redraw);
  return {
    element,
    canvas,
    draw(source, crops, side) {
      shown = { source, crops, side };
      redraw();
    },
    destroy: unlisten,
  };
}

/** The photo with the first five crops outlined, each inset a little so shared edges stay apart. */
function outline(canvas, source, crops, side) {
  canvas.width = source.width;
  canvas.height = source.height;
  const c = canvas.getContext("2d");
  c.drawImage(source, 0, 0);
  const unit = Math.max(1, Math.max(source.width, source.height) / 320);
  crops.slice(0, 5).forEach((b, i) => {
    c.setLineDash(i === 4 ? [6 * unit, 4 * unit] : []);
    c.strokeStyle = COLORS[i];
    c.lineWidth = 2.5 * unit;
    const inset = (i + 1) * unit;
    c.strokeRect(b.x + inset, b.y + inset, b.width - 2 * inset, b.height - 2 * inset);
  });
  c.setLineDash([]);
  canvas.setAttribute("aria-label", t("aug.tta.canvasLabel", { side }));
}

function thumbnails(strip, source, crops) {
  clear(strip);
  crops.forEach((b, i) => {
    const canvas = h("canvas", { class: "aug-tta-thumb", width: THUMB, height: THUMB, role: "img" });
    canvas.style.borderColor = COLORS[i % 5];
    const tc = canvas.getContext("2d");
    if (b.hflip) {
      tc.translate(THUMB, 0);
      tc.scale(-1, 1);
    }
    tc.drawImage(source, b.x, b.y, b.width, b.height, 0, 0, THUMB, THUMB);
    const where = t(`aug.tta.where${i % 5}`);
    canvas.setAttribute("aria-label", b.hflip ? t("aug.tta.flipped", { where }) : where);
    canvas.title = canvas.getAttribute("aria-label");
    strip.append(canvas);
  });
}
