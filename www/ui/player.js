// Play / Pause / Step / Reset and a speed control, shared by every demo
// that animates. The owner supplies what one tick and a reset do.
import { h } from "./dom.js";
import { t, onLanguageChange } from "../i18n/index.js";

/**
 * @param {object} o
 * @param {(steps:number)=>boolean} o.tick advance; return false to stop playing
 * @param {()=>void} o.reset
 * @param {number} o.speed initial steps per frame
 * @param {(speed:number)=>void} o.onSpeed
 * @param {number} [o.maxSpeed]
 */
export function createPlayer({ tick, reset, speed, onSpeed, maxSpeed = 100 }) {
  let playing = false;
  let frame = 0;
  const play = h("button", { type: "button", class: "primary", onclick: () => start() });
  const pause = h("button", { type: "button", onclick: () => stop(), disabled: true });
  const step = h("button", { type: "button", onclick: () => { stop(); tick(1); } });
  const resetButton = h("button", { type: "button", onclick: () => { stop(); reset(); } });
  const speedInput = h("input", {
    type: "range", min: 1, max: maxSpeed, value: speed, step: 1,
    oninput: () => { speedOut.textContent = speedInput.value; onSpeed(Number(speedInput.value)); },
  });
  const speedOut = h("output", { text: String(speed) });
  const speedLabel = h("label", { class: "speed" }, h("span"), speedInput, speedOut);
  const root = h("div", { class: "player", role: "group" }, play, pause, step, resetButton, speedLabel);

  function label() {
    play.textContent = `▶ ${t("player.play")}`;
    play.setAttribute("aria-label", t("player.play"));
    pause.textContent = t("player.pause");
    pause.setAttribute("aria-label", t("player.pause"));
    step.textContent = t("player.step");
    step.setAttribute("aria-label", t("player.step"));
    resetButton.textContent = `↺ ${t("player.reset")}`;
    resetButton.setAttribute("aria-label", t("player.reset"));
    speedLabel.firstChild.textContent = t("player.speed");
    root.setAttribute("aria-label", t("player.controls"));
  }
  label();
  const unlisten = onLanguageChange(label);

  function loop() {
    if (!playing) return;
    const keepGoing = tick(Number(speedInput.value));
    if (keepGoing === false) { stop(); return; }
    frame = requestAnimationFrame(loop);
  }
  // A button that disables itself would drop keyboard focus to <body>:
  // Play hands it to Pause and back.
  function start() {
    if (playing) return;
    playing = true;
    const focused = document.activeElement === play;
    play.disabled = true;
    pause.disabled = false;
    if (focused) pause.focus();
    frame = requestAnimationFrame(loop);
  }
  function stop() {
    playing = false;
    cancelAnimationFrame(frame);
    const focused = document.activeElement === pause;
    play.disabled = false;
    pause.disabled = true;
    if (focused) play.focus();
  }
  return {
    element: root,
    start,
    stop,
    get playing() { return playing; },
    destroy() { stop(); unlisten(); },
  };
}
