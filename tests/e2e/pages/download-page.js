// A page using www/ui/download.js the way a demo will: a canvas drawn at
// 300×150 pixels but shown 100 px wide, curves and a run record, each
// behind a button; a button whose maker fails; window.fixture for the test.
import { downloadButton, downloadGroup, canvasPng, csvBlob, csvFromColumns, jsonBlob } from "../../../www/ui/download.js";
import { setLanguage } from "../../../www/i18n/index.js";

const canvas = document.getElementById("picture");
canvas.style.width = "100px";
const c = canvas.getContext("2d");
// Four opaque quadrants, so every pixel's colour is known exactly.
const QUADRANTS = [["#ff0000", 0, 0], ["#00ff00", 150, 0], ["#0000ff", 0, 75], ["#ffffff", 150, 75]];
for (const [color, x, y] of QUADRANTS) {
  c.fillStyle = color;
  c.fillRect(x, y, 150, 75);
}

const curves = { step: [0, 1, 2], sgd: new Float64Array([1, 0.5, 0.25]), adam: new Float64Array([1, 0.1]) };
const run = { demo: "testdemo", link: `${location.href}#race?on=adam`, settings: { lr: 0.1 }, losses: curves.sgd };
const errors = document.getElementById("errors");
const onError = (message) => { errors.textContent = message; };

const buttons = [
  downloadButton({ format: "PNG", what: "download.what.map", demo: "testdemo", make: () => canvasPng(canvas), onError }),
  downloadButton({ format: "CSV", what: "download.what.curves", demo: "testdemo", make: () => csvBlob(csvFromColumns(curves)), onError }),
  downloadButton({ format: "JSON", what: "download.what.run", demo: "testdemo", make: () => jsonBlob(run), onError }),
  downloadButton({ format: "JSON", what: "download.what.chart", demo: "testdemo", name: "broken",
    make: () => { throw new Error("planted failure"); }, onError }),
];
document.getElementById("buttons").append(downloadGroup(buttons.map((b) => b.element)));

window.fixture = {
  curves: { step: curves.step, sgd: [...curves.sgd], adam: [...curves.adam] },
  run: JSON.parse(JSON.stringify({ ...run, losses: [...run.losses] })),
  today: (() => {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
  })(),
  setLanguage,
};
document.body.dataset.ready = "1";
