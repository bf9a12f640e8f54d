// A small W3C WebDriver client over fetch: just what the cross-engine tests
// need (sessions, navigation, scripts, elements, clicks, keys, screenshots).
// The same code drives ChromeDriver, geckodriver and WebKitWebDriver, so a
// test written once runs in all three engines.
//
//   const session = await Session.create(driverUrl, capabilities);
//   await session.navigate(url);
//   const title = await session.execute(() => document.title);
//   await session.close();

/** The W3C key under which an element reference travels. */
export const ELEMENT_KEY = 'element-6066-11e4-a52e-4f735466cecf';

/** WebDriver's code points for special keys (W3C WebDriver, "keyboard actions"). */
export const Keys = {
  tab: '\uE004',
  enter: '\uE007',
  shift: '\uE008',
  escape: '\uE00C',
  arrowDown: '\uE015',
};

/** An error the driver reported, with its W3C error code and message. */
export class WebDriverError extends Error {
  constructor(command, status, value) {
    super(`${command}: ${value?.error ?? `HTTP ${status}`}: ${value?.message ?? ''}`.trim());
    this.code = value?.error;
  }
}

/**
 * Turns a function into the body the driver evaluates: WebDriver takes a
 * function body whose `arguments` are the script's arguments.
 */
function scriptBody(fn) {
  return typeof fn === 'function' ? `return (${fn}).apply(null, arguments);` : fn;
}

/**
 * Asynchronous variant: the last argument is the driver's callback. A
 * string is the body of an async function (it may use await).
 */
function asyncScriptBody(fn) {
  if (typeof fn === 'string') fn = `async function () {\n${fn}\n}`;
  return `const done = arguments[arguments.length - 1];
    Promise.resolve((${fn}).apply(null, Array.prototype.slice.call(arguments, 0, -1)))
      .then((value) => done({ ok: true, value }),
            (error) => done({ ok: false, message: String(error && (error.stack || error.message) || error) }));`;
}

export class Session {
  constructor(base, id, capabilities) {
    this.base = base.replace(/\/$/, '');
    this.id = id;
    /** What the driver says it started (browserName, browserVersion, ...). */
    this.capabilities = capabilities;
  }

  /** Starts a browser through the driver at `base` with the given capabilities. */
  static async create(base, alwaysMatch, { timeoutMs = 120_000 } = {}) {
    const value = await request(base, 'POST', '/session', { capabilities: { alwaysMatch } }, timeoutMs);
    return new Session(base, value.sessionId, value.capabilities);
  }

  command(method, path, body, timeoutMs = 120_000) {
    return request(this.base, method, `/session/${this.id}${path}`, body, timeoutMs);
  }

  async navigate(url) {
    await this.command('POST', '/url', { url });
  }

  currentUrl() {
    return this.command('GET', '/url');
  }

  /** Runs `fn` (a function or a body) in the page and returns its JSON-able result. */
  execute(fn, ...args) {
    return this.command('POST', '/execute/sync', { script: scriptBody(fn), args });
  }

  /** Runs an async `fn` in the page and returns what its promise resolves to. */
  async executeAsync(fn, ...args) {
    const result = await this.command('POST', '/execute/async', { script: asyncScriptBody(fn), args });
    if (!result?.ok) throw new Error(`script failed in the page: ${result?.message}`);
    return result.value;
  }

  async setTimeouts({ script = 60_000, pageLoad = 120_000, implicit = 0 } = {}) {
    await this.command('POST', '/timeouts', { script, pageLoad, implicit });
  }

  async setWindowSize(width, height) {
    await this.command('POST', '/window/rect', { width, height });
  }

  /** The first element matching `css`, or null. */
  async find(css) {
    const found = await this.command('POST', '/elements', { using: 'css selector', value: css });
    return found.length ? found[0] : null;
  }

  click(element) {
    return this.command('POST', `/element/${element[ELEMENT_KEY]}/click`, {});
  }

  sendKeys(element, text) {
    return this.command('POST', `/element/${element[ELEMENT_KEY]}/value`, { text });
  }

  /** Types keys into whatever has focus (W3C key actions). */
  async pressKeys(...keys) {
    const actions = [];
    for (const key of keys) actions.push({ type: 'keyDown', value: key }, { type: 'keyUp', value: key });
    await this.command('POST', '/actions', { actions: [{ type: 'key', id: 'keyboard', actions }] });
    await this.command('DELETE', '/actions');
  }

  /**
   * One stroke with a pointer of `pointerType` ("mouse", "touch" or "pen",
   * W3C pointer actions): down at the first point, moving through the
   * rest, up at the last. Points are [x, y] offsets in CSS pixels from the
   * centre of `element`.
   */
  async pointerStroke(element, pointerType, points, { msPerMove = 60 } = {}) {
    const origin = { [ELEMENT_KEY]: element[ELEMENT_KEY] };
    const moves = points.slice(1).map(([x, y]) => ({ type: 'pointerMove', duration: msPerMove, origin, x: Math.round(x), y: Math.round(y) }));
    const [x0, y0] = points[0].map(Math.round);
    const actions = [
      { type: 'pointerMove', duration: 0, origin, x: x0, y: y0 },
      { type: 'pointerDown', button: 0 },
      ...moves,
      { type: 'pointerUp', button: 0 },
    ];
    await this.command('POST', '/actions', { actions: [{ type: 'pointer', id: `stroke-${pointerType}`, parameters: { pointerType }, actions }] });
    await this.command('DELETE', '/actions');
  }

  /** Shift+Tab as one chord. */
  async pressShiftTab() {
    const actions = [
      { type: 'keyDown', value: Keys.shift },
      { type: 'keyDown', value: Keys.tab },
      { type: 'keyUp', value: Keys.tab },
      { type: 'keyUp', value: Keys.shift },
    ];
    await this.command('POST', '/actions', { actions: [{ type: 'key', id: 'keyboard', actions }] });
    await this.command('DELETE', '/actions');
  }

  /** Switches into the iframe `element` (null: back to the top page). */
  async switchToFrame(element) {
    await this.command('POST', '/frame', { id: element });
  }

  /** A PNG of the viewport, as a Buffer. */
  async screenshot() {
    return Buffer.from(await this.command('GET', '/screenshot'), 'base64');
  }

  /**
   * Polls `fn` in the page until it returns something truthy, and returns
   * that. On timeout the error names `what` and the last value seen.
   */
  async waitFor(what, fn, args = [], { timeoutMs = 60_000, intervalMs = 50 } = {}) {
    const deadline = Date.now() + timeoutMs;
    let last;
    for (;;) {
      last = await this.execute(fn, ...args);
      if (last) return last;
      if (Date.now() > deadline) {
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last value: ${JSON.stringify(last)})`);
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }

  /** Like waitFor, for an async page function or body (see executeAsync). */
  async waitForAsync(what, fn, args = [], { timeoutMs = 60_000, intervalMs = 50 } = {}) {
    const deadline = Date.now() + timeoutMs;
    let last;
    for (;;) {
      last = await this.executeAsync(fn, ...args);
      if (last) return last;
      if (Date.now() > deadline) {
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last value: ${JSON.stringify(last)})`);
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }

  async close() {
    await this.command('DELETE', '', undefined, 30_000).catch(() => {});
  }
}

/** One WebDriver HTTP request; resolves to the response's `value`. */
export async function request(base, method, path, body, timeoutMs = 120_000) {
  const response = await fetch(`${base.replace(/\/$/, '')}${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json; charset=utf-8' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  let parsed;
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    throw new WebDriverError(`${method} ${path}`, response.status, { message: text.slice(0, 500) });
  }
  if (!response.ok || parsed.value?.error) {
    throw new WebDriverError(`${method} ${path}`, response.status, parsed.value);
  }
  return parsed.value;
}
