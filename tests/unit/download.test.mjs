// The download helpers' text formats (www/ui/download.js): file names, CSV
// cells and columns, JSON of typed arrays; each output is parsed back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileName, csvCell, csvFromRows, csvFromColumns, jsonText, jsonBlob, csvBlob, FORMATS } from '../../www/ui/download.js';

/** A small RFC 4180 reader, independent of the writer under test. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; }
    else cell += c;
  }
  assert.equal(cell + row.join(''), '', 'the text ends with a line break');
  return rows;
}

test('file names say trainlab, the demo, what and the local date', () => {
  const date = new Date(2026, 0, 5, 23, 59);
  assert.equal(fileName('race', 'map', 'png', date), 'trainlab-race-map-2026-01-05.png');
  assert.equal(fileName('second-order', 'Loss curves!', 'csv', date), 'trainlab-second-order-loss-curves-2026-01-05.csv');
  assert.equal(fileName('network', '', 'json', date), 'trainlab-network-2026-01-05.json');
  assert.equal(fileName('../../etc', 'a/b', 'png', date), 'trainlab-etc-a-b-2026-01-05.png', 'no path characters survive');
});

test('CSV cells: numbers round-trip, text is quoted and kept from running as a formula', () => {
  assert.equal(csvCell(0.1 + 0.2), '0.30000000000000004');
  assert.equal(Number(csvCell(1e-300)), 1e-300);
  assert.equal(csvCell(NaN), '');
  assert.equal(csvCell(null), '');
  assert.equal(csvCell(-Infinity), '-Infinity');
  assert.equal(csvCell(true), 'true');
  assert.equal(csvCell('adam'), 'adam');
  assert.equal(csvCell('a,b'), '"a,b"');
  assert.equal(csvCell('say "hi"'), '"say ""hi"""');
  assert.equal(csvCell('two\nlines'), '"two\nlines"');
  assert.equal(csvCell('=1+1'), "'=1+1");
  assert.equal(csvCell('-x^2, y'), '"\'-x^2, y"');
  assert.equal(csvCell(-2), '-2', 'a negative number stays a number');
});

test('CSV from columns: one row per step, empty cells where a series stopped, parses back', () => {
  const text = csvFromColumns({
    step: [0, 1, 2, 3],
    sgd: new Float64Array([1, 0.5, 0.25, 0.125]),
    'momentum, ρ=0.9': new Float32Array([1, 0.25]),
    note: ['start', 'a "quote"', 'x\ny', NaN],
  });
  assert.ok(text.endsWith('\r\n'));
  const rows = parseCsv(text);
  assert.deepEqual(rows, [
    ['step', 'sgd', 'momentum, ρ=0.9', 'note'],
    ['0', '1', '1', 'start'],
    ['1', '0.5', '0.25', 'a "quote"'],
    ['2', '0.25', '', 'x\ny'],
    ['3', '0.125', '', ''],
  ]);
  assert.deepEqual(parseCsv(csvFromRows(['a'], [])), [['a']]);
});

test('JSON keeps typed arrays as arrays and non-finite numbers as null', () => {
  const run = { demo: 'race', losses: new Float64Array([1, 0.5, NaN]), labels: new Uint32Array([2, 0]), lr: Infinity, nested: { x: [1, 2] } };
  const parsed = JSON.parse(jsonText(run));
  assert.deepEqual(parsed, { demo: 'race', losses: [1, 0.5, null], labels: [2, 0], lr: null, nested: { x: [1, 2] } });
});

test('blobs carry the format\'s type and the exact text', async () => {
  const csv = csvBlob('a,b\r\n1,2\r\n');
  assert.equal(csv.type, FORMATS.CSV.type);
  assert.equal(await csv.text(), 'a,b\r\n1,2\r\n');
  const json = jsonBlob({ a: new Float32Array([0.5]) });
  assert.equal(json.type, 'application/json');
  assert.deepEqual(JSON.parse(await json.text()), { a: [0.5] });
});
