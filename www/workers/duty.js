// When is a costly extra due? Evaluating a big network over all its data,
// or drawing its decision map, can cost as much as a training step. A Duty
// keeps such an extra to at most `share` of the time: after an extra that
// cost c ms, the next is due (1 − share)/share · c ms after it ended.

export class Duty {
  constructor(share = 0.25) {
    this.share = share;
    this.cost = 0;
    this.endedAt = -Infinity;
  }

  /** True when the extra may run again at time `now` (ms). */
  due(now) {
    return now - this.endedAt >= (this.cost * (1 - this.share)) / this.share;
  }

  /** Records an extra done in pieces: `cost` ms in all, the last piece ending at `endedAt`. */
  record(cost, endedAt) {
    this.cost = cost;
    this.endedAt = endedAt;
  }

  /** Runs `fn`, timing it with `clock`, and returns its result. */
  run(fn, clock) {
    const start = clock();
    const result = fn();
    this.endedAt = clock();
    this.cost = this.endedAt - start;
    return result;
  }
}
