// Play / Pause / Step / Reset and a speed control: a view over a runner
// (www/ui/runner.js), which does the work on the shared scheduler. The
// buttons change state at once; "working…" shows while an off-thread step
// has not answered yet.
import { h } from "./dom.js";
import { t, onLanguageChange } from "../i18n/index.js";
import { createRunner } from "./runner.js";

/**
 * The player part: buttons and a speed slider bound to `runner`.
 * @param {object} runner from createRunner
 * @param {object} o
 * @param {number} o.speed initial steps per frame
 * @param {number} [o.maxSpeed]
 * @param {(speed:number)=>void} [o.onSpeed]
 */
export function createPlayerPart(runner, { speed, maxSpeed = 100, onSpeed = () => {} }) {
  const play = h("button", { type: "button", class: "primary", onclick: () => runner.play() });
  const pause = h("button", { type: "button", onclick: () => runner.pause(), disabled: true });
  const step = h("button", { type: "button", onclick: () => runner.step() });
  const resetButton = h("button", { type: "button", onclick: () => runner.reset() });
  const speedInput = h("input", {
    type: "range", min: 1, max: maxSpeed, value: speed, step: 1,
    oninput: () => {
      speedOut.textContent = speedInput.value;
      runner.speed = Number(speedInput.value);
      onSpeed(Number(speedInput.value));
    },
  });
  const speedOut = h("output", { text: String(speed) });
  const speedLabel = h("label", { class: "speed" }, h("span"), speedInput, speedOut);
  const busy = h("span", { class: "player-busy", hidden: true, "aria-live": "polite" });
  const root = h("div", { class: "player", role: "group" }, play, pause, step, resetButton, speedLabel, busy);
  runner.speed = speed;

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
    busy.textContent = t("player.busy");
    root.setAttribute("aria-label", t("player.controls"));
  }

  function show({ playing, busy: working }) {
    // A button that disables itself would drop keyboard focus to <body>:
    // hand it to the counterpart instead.
    // The focused element of the document or shadow root (the notebook widget) holding the buttons.
    const focused = play.getRootNode().activeElement;
    const focusPause = playing && focused === play;
    const focusPlay = !playing && focused === pause;
    // Written only when they change: a worker demo reports busy and idle
    // many times a second, and each write invalidates the page's style.
    if (play.disabled !== playing) play.disabled = playing;
    if (pause.disabled !== !playing) pause.disabled = !playing;
    if (focusPause) pause.focus();
    if (focusPlay) play.focus();
    const state = playing ? "playing" : "paused";
    if (root.dataset.state !== state) root.dataset.state = state;
    if (busy.hidden !== !working) busy.hidden = !working;
    if (root.hasAttribute("aria-busy") !== working) root.toggleAttribute("aria-busy", working);
  }

  label();
  show({ playing: runner.playing, busy: runner.busy });
  const unlisten = [onLanguageChange(label), runner.onChange(show)];
  return {
    element: root,
    destroy() { for (const u of unlisten) u(); },
  };
}

/**
 * A runner and its player in one, for demos whose steps are cheap and run
 * on the main thread within the frame budget.
 * @param {object} o
 * @param {(steps:number)=>boolean|void} [o.step] advance without drawing; false stops
 * @param {()=>void} [o.draw] redraw after steps
 * @param {(steps:number)=>boolean|void} [o.tick] step and draw in one (older demos)
 * @param {()=>void} o.reset
 * @param {number} o.speed initial steps per frame
 * @param {(speed:number)=>void} o.onSpeed
 * @param {number} [o.maxSpeed]
 * @param {Element} [o.element] what must be on screen for it to run (default: the player itself)
 */
export function createPlayer({ step, draw = () => {}, tick, reset, speed, onSpeed, maxSpeed = 100, element = null }) {
  const runner = createRunner({
    element,
    speed,
    advance: (steps) => (step ? step(steps) : tick(steps)),
    draw: step ? draw : () => {},
    reset,
  });
  const part = createPlayerPart(runner, { speed, maxSpeed, onSpeed });
  if (!element) runner.observe(part.element);
  return {
    element: part.element,
    runner,
    start: () => runner.play(),
    stop: () => runner.pause(),
    get playing() { return runner.playing; },
    destroy() {
      part.destroy();
      runner.destroy();
    },
  };
}

