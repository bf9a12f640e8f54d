// One frame of play for demos whose runs train in the engine host's worker
// up to a stop step (the image lab, transfer): how many steps to ask for,
// when the costly extras are due, what to do with the answer, and when the
// runs reach the stop step and the last evaluation must be finished.
import { HostRestarted } from "../workers/client.js";
import { createRunner } from "./runner.js";
import { createPlayerPart } from "./player.js";

/**
 * Sets `lab.runner` and `lab.player` of such a demo, over `element`. Play
 * from below the stop step (`lab.values.until`) trains up to it; from at or
 * past it, or with none, on without a stop. advance(steps, options), draw()
 * and rebuild() are the demo's; maxSpeed is its speed field's limit.
 */
export function startRunnerToStop(lab, element, { advance, draw, rebuild, maxSpeed }) {
  const { values } = lab;
  lab.runner = createRunner({ element, speed: values.speed, budgeted: false, advance, draw,
    cancel: () => lab.host.cancel(), reset: rebuild });
  lab.player = createPlayerPart(lab.runner, { speed: values.speed, maxSpeed, onSpeed: (s) => { values.speed = s; lab.save(); } });
  lab.unsubs.push(lab.runner.onChange(({ playing }) => {
    if (playing && !lab.wasPlaying) {
      const at = lab.runs[0]?.steps ?? 0;
      lab.stopAt = values.until > 0 && at < values.until ? values.until : Infinity;
    }
    lab.wasPlaying = playing;
  }));
}

/** Curves and other extras come with an answer at most this often while playing. */
export const EXTRAS_EVERY_MS = 300;

/**
 * A runner's `advance` for `lab` = {building, runs: [{handle, steps}],
 * destroyed, generation, stopAt, host, lastExtras, showError(message)}.
 * snapshot(extras): the snapshot request of this frame (extras: due now);
 * absorb(index, snapshot): takes run `index`'s answer; settleSoon():
 * finishes the evaluation at the step the runs stand at.
 * Resolves like every advance: false stops playing.
 */
export async function advanceToStop(lab, steps, { single, shown }, { snapshot, absorb, settleSoon }) {
  if (lab.building) await lab.building;
  const { runs } = lab;
  if (lab.destroyed || !runs.length || runs.some((run) => run.handle === null)) return false;
  const gen = lab.generation;
  const left = single ? 1 : lab.stopAt - runs[0].steps;
  if (left <= 0) {
    settleSoon();
    return false;
  }
  const now = performance.now();
  const extras = single || now - lab.lastExtras >= EXTRAS_EVERY_MS;
  if (extras) lab.lastExtras = now;
  try {
    const answer = await lab.host.run(runs.map((run) => run.handle), Math.min(steps, left),
      { snapshot: snapshot(extras) });
    if (gen !== lab.generation || !shown()) return true;
    answer.snapshots.forEach((s, i) => absorb(i, s));
    if (single || runs[0].steps >= lab.stopAt) {
      settleSoon();
      return single;
    }
    return true;
  } catch (error) {
    if (error instanceof HostRestarted || gen !== lab.generation || lab.destroyed) return true;
    lab.showError(error.message);
    return false;
  }
}
