// Rotation by angles other than right angles, checked pixel by pixel: on
// an uploaded image whose red and green channels are linear in x and y,
// bilinear sampling is exact, so every output pixel must hold the source
// coordinates its counter-clockwise inverse map reads, and the uncovered
// corners the black fill.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startLab } from './harness.mjs';
import { png } from './images.mjs';

let lab;
before(async () => {
  lab = await startLab();
});
after(async () => {
  await lab?.close();
});

const [W, H] = [200, 100];
/** R = x, G = 2y, B = 128: linear in both coordinates. */
const RAMP = png(W, H, (x, y) => [x, 2 * y, 128, 255]);

test('random rotations of ±40°: exact source coordinates inside, black fill outside', async () => {
  const { page, errors } = await lab.openApp('augment?on=rotate&rotate.deg=40&seed=5');
  await page.locator('section.augment input[type=file]').setInputFiles({ name: 'ramp.png', mimeType: 'image/png', buffer: RAMP });
  await page.waitForFunction(() => /ramp\.png \(200×100\)/.test(document.querySelector('.aug-file-status').textContent)
    && document.querySelector('section.augment').dataset.state === 'ready'
    && document.querySelectorAll('canvas.aug-tile[aria-label*="Rotation"]').length === 16, null, { timeout: 30_000 });
  // Checked in the page (16 tiles of 80,000 bytes each stay there).
  const { angles, checked, failures } = await page.evaluate(([W, H]) => {
    const out = { angles: [], checked: 0, failures: [] };
    for (const canvas of document.querySelectorAll('canvas.aug-tile')) {
      const label = canvas.getAttribute('aria-label');
      if (canvas.width !== W || canvas.height !== H) out.failures.push(`tile ${canvas.width}×${canvas.height}`);
      const data = canvas.getContext('2d').getImageData(0, 0, W, H).data;
      const degrees = Number(label.match(/Rotation: ([+−-]?[\d.]+)°/)[1].replace('−', '-'));
      out.angles.push(degrees);
      // The label rounds to 0.1°: at most 0.05° off, which moves a point at most 0.1 px here.
      const theta = degrees * Math.PI / 180;
      const [c, s] = [Math.cos(theta), Math.sin(theta)];
      for (let y = 0; y < H; y += 2) {
        for (let x = 0; x < W; x += 2) {
          const dx = x + 0.5 - W / 2;
          const dy = y + 0.5 - H / 2;
          const sx = W / 2 + dx * c - dy * s - 0.5;
          const sy = H / 2 + dx * s + dy * c - 0.5;
          const at = (y * W + x) * 4;
          const [r, g, b] = [data[at], data[at + 1], data[at + 2]];
          if (sx >= 1 && sx <= W - 2 && sy >= 1 && sy <= H - 2) {
            out.checked += 1;
            if (!(Math.abs(r - sx) <= 1.5 && Math.abs(g - 2 * sy) <= 1.5 && b === 128)) {
              out.failures.push(`${degrees}° at (${x}, ${y}): got (${r}, ${g}, ${b}), source (${sx.toFixed(2)}, ${sy.toFixed(2)})`);
            }
          } else if ((sx < -1.5 || sx > W + 0.5 || sy < -1.5 || sy > H + 0.5) && (r || g || b)) {
            out.failures.push(`${degrees}° at (${x}, ${y}): (${r}, ${g}, ${b}) should be the black fill`);
          }
        }
      }
    }
    return out;
  }, [W, H]);
  assert.deepEqual(failures.slice(0, 5), []);
  assert.ok(angles.every((a) => Math.abs(a) <= 40), `${angles}`);
  assert.ok(checked > 16 * 2000, `${checked} pixels checked`);
  // The angles are drawn, not right angles, and not all the same.
  assert.ok(angles.some((a) => Math.abs(a) > 5 && Math.abs(a) % 90 !== 0), `${angles}`);
  assert.ok(new Set(angles).size > 10, `${angles}`);
  assert.deepEqual(errors, []);
});
