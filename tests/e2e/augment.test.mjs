// The data augmentation view: built-in photos, uploads (a real PNG, a
// generated one, a corrupt file), the sample grid and its labels, resample,
// Korean, and state in the URL.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { crc32, deflateSync } from 'node:zlib';
import { nextFrames, REPO_ROOT, startLab } from './harness.mjs';

let lab;
let tmp;
before(async () => {
  lab = await startLab();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'trainlab-augment-'));
});
after(async () => {
  await lab?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** A PNG file (8-bit RGBA, no filtering) of `width`×`height` from colour(x, y). */
function png(width, height, colour) {
  const chunk = (type, data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // bit depth 8, RGBA, deflate, no filter method, no interlace
  const rows = [];
  for (let y = 0; y < height; y++) {
    rows.push(0); // filter type "none"
    for (let x = 0; x < width; x++) rows.push(...colour(x, y));
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.from(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

async function openView(hash = 'augment') {
  const { page, errors } = await lab.open(`index.html#${hash}`);
  await page.waitForFunction(() => document.body.dataset.ready === '1', null, { timeout: 30_000 });
  await waitReady(page);
  return { page, errors };
}

function waitReady(page) {
  return page.waitForFunction(
    () => document.querySelector('section.augment')?.dataset.state === 'ready'
      && document.querySelectorAll('canvas.aug-tile[aria-label]').length === 16,
    null,
    { timeout: 30_000 },
  );
}

/** Waits until at least `need` grid tiles no longer show what they showed in `before` (a gridPixels result). */
function gridChanged(page, before, need = 16) {
  return page.waitForFunction(([old, n]) => [...document.querySelectorAll('canvas.aug-tile')].filter((c, i) => {
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let sum = 0;
    for (let k = 0; k < data.length; k += 7) sum = (sum * 31 + data[k]) % 1_000_000_007;
    return `${c.width}x${c.height}:${sum}` !== old[i];
  }).length >= n, [before, need], { timeout: 30_000 });
}

/** A checksum of every grid tile's pixels, plus the tile sizes. */
function gridPixels(page) {
  return page.evaluate(() => [...document.querySelectorAll('canvas.aug-tile')].map((c) => {
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let sum = 0;
    for (let i = 0; i < data.length; i += 7) sum = (sum * 31 + data[i]) % 1_000_000_007;
    return `${c.width}x${c.height}:${sum}`;
  }));
}

function photoPixels(page) {
  return page.evaluate(() => {
    const c = document.querySelector('canvas.aug-photo');
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let sum = 0;
    for (let i = 0; i < data.length; i += 5) sum = (sum * 31 + data[i]) % 1_000_000_007;
    return { width: c.width, height: c.height, sum };
  });
}

test('the default view shows the cat, 16 labelled 224×224 samples and the TTA crops', async () => {
  const { page, errors } = await openView();
  const photo = await photoPixels(page);
  assert.equal(photo.width, 451);
  assert.equal(photo.height, 300);
  const tiles = await gridPixels(page);
  assert.equal(tiles.length, 16);
  assert.ok(tiles.every((t) => t.startsWith('224x224:')), tiles.join(' '));
  assert.ok(new Set(tiles).size > 12, 'samples should differ');
  const label = await page.locator('canvas.aug-tile').nth(2).getAttribute('aria-label');
  assert.match(label, /^Sample 3: Random resized crop: x=\d+ y=\d+ \d+×\d+; Horizontal flip: (yes|not applied); Colour jitter: brightness /);
  // Focusing a tile (keyboard) shows its parameters.
  await page.locator('canvas.aug-tile').nth(4).focus();
  assert.match(await page.locator('pre.aug-params').first().textContent(), /^Sample 5\nRandom resized crop/);
  assert.equal(await page.locator('canvas.aug-tta-thumb').count(), 10);
  assert.equal(await page.getByRole('heading', { name: 'When a flip is wrong' }).count(), 1);
  assert.deepEqual(errors, []);
  await page.close();
});

test('resample draws a new grid with the next seed and puts it in the URL', async () => {
  const { page, errors } = await openView();
  const before = await gridPixels(page);
  await page.getByRole('button', { name: 'Resample' }).click();
  await page.waitForFunction(() => location.hash.includes('seed=2'));
  await gridChanged(page, before);
  const after = await gridPixels(page);
  assert.equal(after.filter((t, i) => t !== before[i]).length, 16);
  assert.equal(await page.locator('#aug-seed').inputValue(), '2');
  assert.deepEqual(errors, []);
  await page.close();
});

test('uploads: a real photo, a generated PNG, then a corrupt file that changes nothing', async () => {
  const { page, errors } = await openView();
  await page.setInputFiles('#aug-file', path.join(REPO_ROOT, 'www/assets/chelsea.png'));
  await page.waitForFunction(() => document.querySelector('section.augment').dataset.image === 'upload');
  await waitReady(page);
  assert.match(await page.locator('.aug-file-status').textContent(), /chelsea\.png \(451×300\)/);
  assert.equal(await page.locator('#aug-photo').inputValue(), 'upload');

  const small = path.join(tmp, 'stripes.png');
  await writeFile(small, png(40, 30, (x, y) => [x * 6, y * 8, (x + y) % 2 ? 255 : 0, 255]));
  await page.setInputFiles('#aug-file', small);
  await page.waitForFunction(() => document.querySelector('canvas.aug-photo').width === 40);
  await waitReady(page);
  const stripes = await photoPixels(page);
  assert.equal(stripes.height, 30);
  assert.match(await page.locator('.aug-file-status').textContent(), /stripes\.png \(40×30\)/);
  const gridBefore = await gridPixels(page);

  const corrupt = path.join(tmp, 'x.png');
  await writeFile(corrupt, Buffer.from(Array.from({ length: 2000 }, (_, i) => (i * 7919 + 13) % 256)));
  await page.setInputFiles('#aug-file', corrupt);
  await page.waitForFunction(() => document.getElementById('aug-file-error').textContent !== '');
  assert.equal(
    await page.locator('#aug-file-error').textContent(),
    '“x.png” is not an image this browser can read. The current image stays.',
  );
  // The notice area shows the same message.
  assert.equal(await page.locator('.notice', { hasText: 'x.png' }).count(), 1);
  assert.deepEqual(await photoPixels(page), stripes);
  assert.deepEqual(await gridPixels(page), gridBefore);
  assert.match(await page.locator('.aug-file-status').textContent(), /stripes\.png/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a file name with markup stays text', async () => {
  const { page, errors } = await openView();
  const tricky = path.join(tmp, '<img src=x onerror=alert(1)>.png');
  await writeFile(tricky, 'not an image');
  await page.setInputFiles('#aug-file', tricky);
  await page.waitForFunction(() => document.getElementById('aug-file-error').textContent !== '');
  assert.match(await page.locator('#aug-file-error').textContent(), /<img src=x onerror=alert\(1\)>\.png/);
  assert.equal(await page.locator('#aug-file-error img, #notices img').count(), 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test('Korean labels the view, the tiles and the lessons', async () => {
  const { page, errors } = await openView();
  await page.selectOption('#language', 'ko');
  assert.equal(await page.locator('#aug-title').textContent(), '데이터 증강 미리보기');
  assert.match(await page.locator('canvas.aug-tile').first().getAttribute('aria-label'), /^샘플 1: 무작위 크기 자르기: x=/);
  assert.equal(await page.getByRole('heading', { name: '뒤집기가 틀리는 경우' }).count(), 1);
  assert.equal(await page.getByRole('button', { name: '다시 샘플링' }).count(), 1);
  assert.match(await page.evaluate(() => location.hash), /lang=ko/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a link with state reproduces the same grid', async () => {
  const hash = 'augment?photo=coffee&seed=7&on=rrc,vflip,gray&rrc.size=96&vflip.p=1&gray.p=0.5';
  const first = await openView(hash);
  const second = await openView(hash);
  const photo = await photoPixels(first.page);
  assert.deepEqual([photo.width, photo.height], [600, 400]);
  const a = await gridPixels(first.page);
  assert.ok(a.every((t) => t.startsWith('96x96:')), a.join(' '));
  assert.deepEqual(await gridPixels(second.page), a);
  assert.equal(await first.page.locator('#aug-seed').inputValue(), '7');
  assert.equal(await first.page.locator('#aug-on-jitter').isChecked(), false);
  assert.equal(await first.page.locator('#aug-on-vflip').isChecked(), true);
  assert.match(await first.page.locator('canvas.aug-tile').first().getAttribute('aria-label'), /Vertical flip: yes/);
  // Turning an op on changes the grid and the link.
  await first.page.locator('#aug-on-jitter').check();
  await first.page.waitForFunction(() => location.hash.includes('jitter'));
  await gridChanged(first.page, a, 12);
  assert.notDeepEqual(await gridPixels(first.page), a);
  assert.deepEqual(first.errors, []);
  assert.deepEqual(second.errors, []);
  await first.page.close();
  await second.page.close();
});

test('settings the engine rejects show a message and keep a working pipeline', async () => {
  const { page, errors } = await openView('augment?rrc.smin=0.9&rrc.smax=0.5');
  assert.match(await page.locator('#notices').textContent(), /random_resized_crop\.scale must satisfy 0 < min <= max <= 1, got \[0\.9, 0\.5\]/);
  assert.equal((await gridPixels(page)).length, 16);
  // A slider moved to a contradictory range is flagged and the grid stays.
  await page.locator('#aug-rrc-smin').fill('0.95');
  await page.locator('#aug-rrc-smin').dispatchEvent('change');
  await waitReady(page);
  await nextFrames(page, 3);
  const before = await gridPixels(page);
  await page.locator('#aug-rrc-smax').fill('0.4');
  await page.locator('#aug-rrc-smax').dispatchEvent('change');
  assert.equal(await page.locator('#aug-rrc-smax').getAttribute('aria-invalid'), 'true');
  assert.match(await page.locator('fieldset[data-op="rrc"] .field-error').textContent(), /random_resized_crop\.scale/);
  // The refused settings draw nothing new: after the frames that would
  // have drawn them, every tile shows what it showed before, pixel for pixel.
  await waitReady(page);
  await nextFrames(page, 3);
  assert.deepEqual(await gridPixels(page), before);
  // A valid range again redraws the grid.
  await page.locator('#aug-rrc-smin').fill('0.2');
  await page.locator('#aug-rrc-smin').dispatchEvent('change');
  await page.locator('#aug-rrc-smax').fill('0.9');
  await page.locator('#aug-rrc-smax').dispatchEvent('change');
  await gridChanged(page, before, 12);
  assert.deepEqual(errors, []);
  await page.close();
});
