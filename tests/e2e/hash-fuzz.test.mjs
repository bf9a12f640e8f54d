// A URL-hash fuzzer for every demo: seeded random links (the demo's own
// parameter names with hostile values, unknown names, repeated names, huge
// values, markup) must leave the page working — a notice for each bad value
// of a known parameter, no console errors, no markup turned into elements —
// and switching links on the same page (hashchange) must work as well.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startLab } from './harness.mjs';

let lab;
before(async () => {
  lab = await startLab();
});
after(async () => {
  await lab?.close();
});

function generator(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, below: (n) => Math.floor(next() * n), pick: (items) => items[Math.floor(next() * items.length)] };
}

const MARKUP = ['<img src=x onerror="window.__pwned=1">', '"><script>window.__pwned=1</script>', '<svg onload=window.__pwned=1>', "javascript:window.__pwned=1", '{{7*7}}&amp;<b>bold</b>'];

/** A value that is wrong for almost any parameter. */
function hostileValue(rng) {
  return rng.pick([
    () => 'NaN', () => '-Infinity', () => '1e309', () => '-0', () => '', () => '0x10', () => ' 1', () => '1,2,3,,',
    () => String(rng.next() * 1e12), () => String(-rng.below(1000)), () => 'x'.repeat(5_000 + rng.below(5_000)),
    () => rng.pick(MARKUP), () => '%00%ff', () => 'é😀'.repeat(50), () => 'true,false', () => '__proto__',
  ])();
}

/** A random hash for `demo` with `names` its parameter names. */
function hostileHash(demo, names, rng) {
  const params = new URLSearchParams();
  const bad = new Set();
  const count = 1 + rng.below(6);
  for (let i = 0; i < count; i++) {
    const roll = rng.below(10);
    if (roll < 6 && names.length) {
      const name = rng.pick(names);
      params.append(name, hostileValue(rng));
      bad.add(name);
    } else if (roll < 8) {
      params.append(rng.pick(['nope', '__proto__', 'constructor', '<b>x</b>', 'a'.repeat(300), 'lang', 'embed']), hostileValue(rng));
    } else {
      // The same known name many times.
      const name = names.length ? rng.pick(names) : 'x';
      for (let k = 0; k < 50; k++) params.append(name, hostileValue(rng));
      bad.add(name);
    }
  }
  return { hash: `${demo}?${params.toString()}`, bad };
}

/** The demo is mounted and drawn: its section exists and it is marked ready. */
async function mounted(page, demo) {
  await page.waitForFunction(
    (id) => document.body.dataset.ready === '1' && document.querySelector('#demo section') !== null
      && document.title.length > 0 && location.hash.startsWith(`#${id}`),
    demo,
    { timeout: 30_000 },
  );
}

async function parameterNames(page, demo) {
  return page.evaluate(async (id) => {
    try {
      const module = await import(`./www/demos/${id}.js`);
      return Object.keys(module.params ?? {});
    } catch {
      return [];
    }
  }, demo);
}

test('hostile links in every demo: notices, no errors, no injected markup, still working', async () => {
  const { page: home, errors: homeErrors } = await lab.openApp('race');
  // The site's demo links (presets inside a demo carry a query and are skipped).
  const hrefs = await home.getByRole('navigation').getByRole('link').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  const demos = [...new Set(hrefs.filter((href) => /^#[\w-]+$/.test(href)).map((href) => href.slice(1)))];
  assert.ok(demos.length >= 7, `demos in the nav: ${demos}`);
  assert.deepEqual(homeErrors, []);
  await home.close();
  const rng = generator(2024);
  let links = 0;
  for (const demo of demos) {
    const { page, errors } = await lab.openApp(demo);
    const names = await parameterNames(page, demo);
    assert.ok(names.length > 0, `${demo} has a parameter table`);
    for (let round = 0; round < 4; round++) {
      const { hash, bad } = hostileHash(demo, names, rng);
      links += 1;
      // Alternate: a fresh page load, and a hash change on the mounted page.
      if (round % 2 === 0) {
        await page.goto(new URL(`index.html#${hash}`, lab.url).href);
      } else {
        await page.evaluate((h) => { location.hash = h; }, hash);
      }
      await mounted(page, demo);
      // What the link's values should give: the state table's own verdict.
      const rejected = await page.evaluate(async ([id, query]) => {
        const { params } = await import(`./www/demos/${id}.js`);
        const { decode } = await import('./www/state.js');
        return decode(params, new URLSearchParams(query), { ignore: ['lang', 'embed'] }).rejected.map((r) => r.name);
      }, [demo, hash.split('?')[1]]);
      const shown = await page.locator('#notices .notice').allTextContents();
      // The notice area keeps the newest four, last; each names its
      // parameter (shortened past 40 characters). Notices of an earlier
      // link may still stand before them.
      const expected = rejected.slice(-4).map((name) => (name.length > 40 ? `${name.slice(0, 40)}…` : name));
      assert.ok(shown.length >= expected.length, `${demo}: notices ${shown} for ${rejected}`);
      const newest = shown.slice(shown.length - expected.length);
      expected.forEach((name, i) => assert.ok(newest[i].includes(`'${name}'`), `${demo}: notice "${newest[i]}" should name ${name}`));
      assert.equal(await page.evaluate(() => window.__pwned), undefined, `${demo}: markup ran from ${hash.slice(0, 200)}`);
      assert.equal(await page.locator('body script, #notices *:not(span):not(button):not(div), img[src="x"], svg[onload]').count(), 0, `${demo}: markup became elements`);
      // Still working: a Step (or Resample) press changes nothing into an error.
      const step = page.getByRole('button', { name: /^(Step|Resample|New forward pass)$/ }).first();
      if (await step.count()) await step.click();
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve())));
      assert.deepEqual(errors, [], `${demo}: ${hash.slice(0, 300)}`);
    }
    await page.close();
  }
  assert.ok(links >= 28);
});

test('a link of 50,000 characters and a thousand repeated parameters loads with notices', async () => {
  const params = new URLSearchParams();
  for (let i = 0; i < 1000; i++) params.append('seed', String(i % 7 === 0 ? 'NaN' : i));
  params.append('expr', 'x'.repeat(40_000));
  params.append('n'.repeat(20_000), '1');
  const { page, errors } = await lab.openApp(`race?${params.toString()}`);
  await mounted(page, 'race');
  assert.ok((await page.locator('#notices .notice').count()) >= 1);
  // The notice shows a shortened value, never 40,000 characters.
  const longest = await page.locator('#notices .notice').evaluateAll((items) => Math.max(...items.map((n) => n.textContent.length)));
  assert.ok(longest < 400, `a notice of ${longest} characters`);
  await page.getByRole('button', { name: 'Step' }).click();
  assert.deepEqual(errors, []);
  await page.close();
});
