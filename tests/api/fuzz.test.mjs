// The bad-input matrix in the suite: 2,400 seeded fuzz cases over every
// constructor of the JS API (fuzz.mjs). Many more: ./scripts/fuzz.sh.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runFuzz, summary } from './fuzz.mjs';

test('2,400 mutated settings: every call works or throws an Error with a message, none crashes', (t) => {
  const stats = runFuzz({ cases: 2_400, seed: 20_240_601 });
  t.diagnostic(summary(stats));
  assert.deepEqual(stats.crashes, []);
  assert.equal(stats.accepted + stats.refused, 2_400);
  // The mix reaches both sides of every constructor's validation.
  for (const [kind, tally] of Object.entries(stats.byKind)) {
    assert.ok(tally.accepted > 0 && tally.refused > 0, `${kind}: ${JSON.stringify(tally)}`);
  }
});
