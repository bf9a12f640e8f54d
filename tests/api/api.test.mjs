// The whole JS API by value, on the release build in www/pkg (run after
// ./scripts/build.sh): one file per class, then a check that every
// exported class member and function was called by some test.
//
// A new export fails the last test until a by-value test uses it: add the
// test to the class's file, or for a new class add a file here and one
// import line below.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exportedNames, used } from './harness.mjs';
import './optimizer.mjs';
import './surface.mjs';
import './schedule.mjs';
import './race.mjs';
import './heatmap.mjs';
import './dots.mjs';
import './trainer.mjs';
import './augmenter.mjs';
import './charts.mjs';
import './ensemble.mjs';
import './cnn.mjs';
import './transfer.mjs';

test('every exported name of the JS API is exercised by a by-value test above', () => {
  const names = exportedNames();
  assert.ok(names.length >= 90, `only ${names.length} exports found`);
  const untested = names.filter((name) => !used.has(name));
  assert.deepEqual(untested, [], `exports without a by-value test: ${untested.join(', ')}`);
});
