// Starts one browser engine behind its W3C WebDriver server and opens a
// session: Chromium through ChromeDriver, Firefox ESR through geckodriver,
// and WebKit (WebKitGTK's MiniBrowser) through WebKitWebDriver on a virtual
// X display. Paths come from scripts/setup.sh's environment.
//
//   const browser = await startEngine('firefox');
//   await browser.session.navigate(url);
//   await browser.close();           // session, driver, Xvfb, temp dirs
//
// Which engines a test run covers: TRAINLAB_ENGINES=chromium,firefox,webkit
// (the default: all three).

import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Session, request } from './client.mjs';

export const ENGINE_NAMES = ['chromium', 'firefox', 'webkit'];

/** The engines this run covers, from TRAINLAB_ENGINES (comma-separated). */
export function selectedEngines(env = process.env) {
  const text = env.TRAINLAB_ENGINES ?? ENGINE_NAMES.join(',');
  const names = text.split(',').map((name) => name.trim()).filter(Boolean);
  for (const name of names) {
    if (!ENGINE_NAMES.includes(name)) {
      throw new Error(`TRAINLAB_ENGINES: unknown engine '${name}' (known: ${ENGINE_NAMES.join(', ')})`);
    }
  }
  return names;
}

const WINDOW = { width: 1280, height: 900 };

/** Where each engine's pieces are; scripts/setup.sh exports the same names. */
function paths(env = process.env) {
  return {
    chromium: env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    chromedriver: env.CHROMEDRIVER ?? '/usr/bin/chromedriver',
    firefox: env.TRAINLAB_FIREFOX ?? '/usr/bin/firefox-esr',
    geckodriver: env.TRAINLAB_GECKODRIVER ?? path.join(os.homedir(), '.cargo/bin/geckodriver'),
    webkitdriver: env.TRAINLAB_WEBKITDRIVER ?? '/usr/bin/WebKitWebDriver',
    minibrowser: env.TRAINLAB_MINIBROWSER ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
  };
}

/** A TCP port nobody listens on right now. */
async function freePort() {
  const server = createServer();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Spawns a long-running helper process; `stop()` ends it (SIGTERM, then
 * SIGKILL if it lingers) and waits for it. Output is kept for error messages.
 */
function spawnHelper(command, args, options = {}) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe', ...(options.extraStdio ?? [])], ...options });
  const helper = { child, output: '' };
  child.stdout.setEncoding('utf8').on('data', (chunk) => (helper.output = (helper.output + chunk).slice(-20_000)));
  child.stderr.setEncoding('utf8').on('data', (chunk) => (helper.output = (helper.output + chunk).slice(-20_000)));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.once('error', (error) => (helper.output += `\nspawn failed: ${error.message}`));
  helper.exited = exited;
  helper.stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(killer);
  };
  return helper;
}

/** Waits until the driver at `base` answers /status with ready: true. */
async function waitForDriver(base, helper, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (helper.child.exitCode !== null) {
      throw new Error(`the WebDriver server exited (code ${helper.child.exitCode}):\n${helper.output}`);
    }
    try {
      const status = await request(base, 'GET', '/status', undefined, 5_000);
      if (status?.ready !== false) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`the WebDriver server at ${base} did not start:\n${helper.output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Starts Xvfb on a display it picks itself (-displayfd), so parallel runs
 * never collide. Resolves to { display, stop }.
 */
async function startXvfb() {
  const helper = spawnHelper('Xvfb', ['-displayfd', '3', '-screen', '0', '1400x1000x24', '-nolisten', 'tcp'], {
    extraStdio: ['pipe'],
  });
  const display = await new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`Xvfb did not start:\n${helper.output}`)), 30_000);
    helper.child.stdio[3].setEncoding('utf8').on('data', (chunk) => {
      text += chunk;
      if (text.includes('\n')) {
        clearTimeout(timer);
        resolve(`:${text.trim()}`);
      }
    });
    helper.child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Xvfb exited with code ${code}:\n${helper.output}`));
    });
  });
  return { display, stop: helper.stop };
}

const LAUNCHERS = {
  async chromium(where, cleanups) {
    const profile = await mkdtemp(path.join(os.tmpdir(), 'trainlab-wd-chromium-'));
    cleanups.push(() => rm(profile, { recursive: true, force: true }));
    const port = await freePort();
    const driver = spawnHelper(where.chromedriver, [`--port=${port}`]);
    cleanups.push(driver.stop);
    const base = `http://127.0.0.1:${port}`;
    await waitForDriver(base, driver);
    return {
      base,
      capabilities: {
        browserName: 'chrome',
        'goog:chromeOptions': {
          binary: where.chromium,
          // As root on a closed network: no sandbox, no background traffic.
          args: [
            '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
            '--disable-background-networking', '--disable-component-update', '--disable-sync',
            '--disable-dev-shm-usage', `--user-data-dir=${profile}`,
            `--window-size=${WINDOW.width},${WINDOW.height}`,
          ],
        },
      },
    };
  },

  async firefox(where, cleanups) {
    const port = await freePort();
    // geckodriver makes (and removes) a fresh profile per session.
    const driver = spawnHelper(where.geckodriver, ['--port', String(port), '--log', 'error']);
    cleanups.push(driver.stop);
    const base = `http://127.0.0.1:${port}`;
    await waitForDriver(base, driver);
    return {
      base,
      capabilities: {
        browserName: 'firefox',
        'moz:firefoxOptions': {
          binary: where.firefox,
          args: ['-headless', `--width=${WINDOW.width}`, `--height=${WINDOW.height}`],
          // Nothing to phone home to on this network.
          prefs: {
            'app.update.enabled': false,
            'browser.safebrowsing.malware.enabled': false,
            'browser.safebrowsing.phishing.enabled': false,
            'datareporting.policy.dataSubmissionEnabled': false,
            'network.captive-portal-service.enabled': false,
            'network.connectivity-service.enabled': false,
            'toolkit.telemetry.enabled': false,
          },
        },
      },
    };
  },

  async webkit(where, cleanups) {
    // MiniBrowser has no headless mode: it draws into a virtual display.
    const xvfb = await startXvfb();
    cleanups.push(xvfb.stop);
    const port = await freePort();
    const driver = spawnHelper(where.webkitdriver, [`--port=${port}`], {
      env: { ...process.env, DISPLAY: xvfb.display },
    });
    cleanups.push(driver.stop);
    const base = `http://127.0.0.1:${port}`;
    await waitForDriver(base, driver);
    return {
      base,
      capabilities: {
        'webkitgtk:browserOptions': { binary: where.minibrowser, args: ['--automation'] },
      },
    };
  },
};

/** Whether this machine has what `engine` needs (after scripts/setup.sh). */
export function enginePresent(engine, env = process.env) {
  const where = paths(env);
  const needs = {
    chromium: [where.chromium, where.chromedriver],
    firefox: [where.firefox, where.geckodriver],
    webkit: [where.webkitdriver, where.minibrowser],
  }[engine];
  return needs.every((file) => existsSync(file));
}

/**
 * Starts `engine` and opens a session sized 1280×900. Resolves to
 * { engine, name, version, session, close }.
 */
export async function startEngine(engine) {
  if (!LAUNCHERS[engine]) throw new Error(`unknown engine '${engine}'`);
  const where = paths();
  const cleanups = [];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    cleanups.length = 0;
  };
  try {
    const { base, capabilities } = await LAUNCHERS[engine](where, cleanups);
    const session = await Session.create(base, capabilities);
    cleanups.push(() => session.close());
    await session.setTimeouts();
    // The driver honours the size it can; MiniBrowser starts smaller.
    await session.setWindowSize(WINDOW.width, WINDOW.height).catch(() => {});
    return {
      engine,
      name: session.capabilities.browserName,
      version: session.capabilities.browserVersion,
      session,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
