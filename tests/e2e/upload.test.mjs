// Hostile uploads in the augmentation view: an empty PNG, a 1×50,000 one,
// one that claims 100,000×100,000 pixels, a file cut short, random bytes, a
// text file named .jpg, an animated GIF and an SVG each get their own clear
// message (in English and Korean), the previous image and grid stay, and
// nothing in a file name becomes markup. Still GIFs, JPEGs and WebPs of
// ordinary shapes are accepted.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { canvasDigest, startLab } from './harness.mjs';
import { gif, png, pngClaiming, SVG } from './images.mjs';

let lab;
before(async () => {
  lab = await startLab();
});
after(async () => {
  await lab?.close();
});

function ready(page) {
  return page.waitForFunction(
    () => document.querySelector('section.augment')?.dataset.state === 'ready'
      && document.querySelectorAll('canvas.aug-tile[aria-label]').length === 16,
    null,
    { timeout: 30_000 },
  );
}

/** The photo and every tile, as position-weighted checksums of their pixels. */
function picture(page) {
  return page.evaluate(() => [...document.querySelectorAll('section.augment canvas.aug-photo, section.augment canvas.aug-tile')].map((c) => {
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let sum = 0;
    for (let i = 0; i < data.length; i += 3) sum = (sum * 31 + data[i]) % 1_000_000_007;
    return `${c.width}x${c.height}:${sum}`;
  }));
}

const fileInput = (page) => page.locator('section.augment input[type=file]');

async function upload(page, name, buffer, mimeType = '') {
  await fileInput(page).setInputFiles({ name, mimeType, buffer });
}

const STRIPES = png(40, 30, (x, y) => [x * 6, y * 8, (x + y) % 2 ? 255 : 0, 255]);

const HOSTILE = [
  ['zero.png', png(0, 0, () => [0, 0, 0, 255]), 'image/png', '“zero.png” has no pixels (0×0). The current image stays.'],
  ['thin.png', png(1, 50_000, (x, y) => [y & 255, 0, 0, 255]), 'image/png', '“thin.png” is 1×50000 pixels: one side is more than 20 times the other, too thin to crop or rotate. The current image stays.'],
  ['bomb.png', pngClaiming(100_000, 100_000), 'image/png', '“bomb.png” is 100000×100000 pixels, more than 50 megapixels. The current image stays.'],
  ['cut.png', STRIPES.subarray(0, Math.floor(STRIPES.length * 0.6)), 'image/png', '“cut.png” is cut short: the file ends before the image does. The current image stays.'],
  ['noise.png', Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919 + 13) % 256)), 'image/png', '“noise.png” is not an image this browser can read. The current image stays.'],
  ['words.jpg', Buffer.from('hello, not a picture at all'), 'image/jpeg', '“words.jpg” is not an image this browser can read. The current image stays.'],
  ['anim.gif', gif(3), 'image/gif', '“anim.gif” is animated (3 frames); choose a still image. The current image stays.'],
  ['drawing.svg', SVG, 'image/svg+xml', '“drawing.svg” is an SVG drawing; the preview works on photos (PNG, JPEG, GIF, WebP). The current image stays.'],
  ['<img src=x onerror=alert(1)>.png', Buffer.from('<b>not</b> a picture'), 'image/png', '“<img src=x onerror=alert(1)>.png” is not an image this browser can read. The current image stays.'],
];

test('hostile uploads each get a clear message; the previous image and grid stay', async () => {
  const { page, errors } = await lab.openApp('augment');
  await ready(page);
  await upload(page, 'stripes.png', STRIPES, 'image/png');
  await page.waitForFunction(() => /stripes\.png \(40×30\)/.test(document.querySelector('.aug-file-status').textContent));
  await ready(page);
  const kept = await picture(page);
  for (const [name, buffer, type, message] of HOSTILE) {
    await upload(page, name, buffer, type);
    await page.waitForFunction((n) => document.getElementById('aug-file-error').textContent.includes(n), name, { timeout: 30_000 });
    await ready(page);
    assert.equal(await page.locator('#aug-file-error').textContent(), message);
    assert.equal(await page.getByRole('alert').filter({ hasText: name }).count() >= 1, true, `${name}: the message is announced`);
    assert.match(await page.locator('.aug-file-status').textContent(), /stripes\.png \(40×30\)/, name);
    assert.deepEqual(await picture(page), kept, `${name} changed the picture`);
  }
  // Markup in a name stays text everywhere.
  assert.equal(await page.locator('section.augment img, #notices img, [role=alert] img').count(), 0);
  // Korean messages for the same cases.
  await page.selectOption('#language', 'ko');
  await upload(page, 'anim2.gif', gif(2), 'image/gif');
  await page.waitForFunction(() => document.getElementById('aug-file-error').textContent.includes('anim2.gif'));
  assert.equal(await page.locator('#aug-file-error').textContent(), '“anim2.gif”은(는) 움직이는 이미지(2프레임)입니다. 정지 이미지를 골라 주세요. 현재 이미지를 유지합니다.');
  await upload(page, 'thin2.png', png(300, 2, () => [9, 9, 9, 255]), 'image/png');
  await page.waitForFunction(() => document.getElementById('aug-file-error').textContent.includes('thin2.png'));
  assert.match(await page.locator('#aug-file-error').textContent(), /300×2 픽셀로, 한 변이 다른 변의 20배를 넘어/);
  assert.deepEqual(await picture(page), kept);
  assert.deepEqual(errors, []);
  await page.close();
});

test('ordinary still images in every format are accepted', async () => {
  const { page, errors } = await lab.openApp('augment');
  await ready(page);
  // A still GIF, and a JPEG and a WebP encoded by the browser itself.
  const encoded = await page.evaluate(async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 64;
    canvas.height = 48;
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#3a7';
    ctx.fillRect(0, 0, 64, 48);
    ctx.fillStyle = '#e52';
    ctx.fillRect(10, 10, 30, 20);
    return { jpeg: canvas.toDataURL('image/jpeg', 0.9), webp: canvas.toDataURL('image/webp', 0.9) };
  });
  const fromDataUrl = (url) => Buffer.from(url.split(',')[1], 'base64');
  const jpeg = fromDataUrl(encoded.jpeg);
  const files = [
    ['still.gif', gif(1), 'image/gif', '4×4'],
    ['photo.jpg', jpeg, 'image/jpeg', '64×48'],
    ['photo.webp', fromDataUrl(encoded.webp), 'image/webp', '64×48'],
  ];
  for (const [name, buffer, type, size] of files) {
    const before = await canvasDigest(page, 'canvas.aug-photo');
    await upload(page, name, buffer, type);
    await page.waitForFunction(([n, s]) => document.querySelector('.aug-file-status').textContent.includes(`${n} (${s})`), [name, size], { timeout: 30_000 });
    await ready(page);
    assert.equal(await page.locator('#aug-file-error').textContent(), '');
    assert.notEqual(await canvasDigest(page, 'canvas.aug-photo'), before, name);
  }
  // The same JPEG cut before its end is refused.
  await upload(page, 'half.jpg', jpeg.subarray(0, jpeg.length - 40), 'image/jpeg');
  await page.waitForFunction(() => document.getElementById('aug-file-error').textContent.includes('half.jpg'));
  assert.match(await page.locator('#aug-file-error').textContent(), /cut short/);
  assert.deepEqual(errors, []);
  await page.close();
});
