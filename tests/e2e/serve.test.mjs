// scripts/serve.mjs: MIME types, index files, 404s, and no way out of the root.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startServer as startServerProcess, REPO_ROOT } from './harness.mjs';
import { startServer } from '../../scripts/serve.mjs';

/** A raw GET whose path is sent exactly as given (fetch would normalise "..").*/
function rawGet(url, rawPath) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, path: rawPath, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

let repoServer;
let sandbox;
let sandboxServer;

before(async () => {
  repoServer = await startServerProcess();
  // A root with a secret beside it and a symlink pointing at the secret.
  sandbox = await mkdtemp(path.join(os.tmpdir(), 'trainlab-serve-'));
  await mkdir(path.join(sandbox, 'root/sub'), { recursive: true });
  await writeFile(path.join(sandbox, 'secret.txt'), 'top secret');
  await writeFile(path.join(sandbox, 'root/sub/index.html'), '<p>sub index</p>');
  await writeFile(path.join(sandbox, 'root/module.mjs'), 'export {};');
  await writeFile(path.join(sandbox, 'root/blob.wasm'), Buffer.from([0, 97, 115, 109, 1, 0, 0, 0]));
  await symlink(path.join(sandbox, 'secret.txt'), path.join(sandbox, 'root/escape.txt'));
  sandboxServer = await startServer({ root: path.join(sandbox, 'root'), port: 0, quiet: true });
});

after(async () => {
  await repoServer?.close();
  await new Promise((resolve) => (sandboxServer ? sandboxServer.server.close(resolve) : resolve()));
  if (sandbox) await rm(sandbox, { recursive: true, force: true });
});

test('serves the repository with the MIME types browsers require', async () => {
  const cases = [
    ['index.html', 'text/html; charset=utf-8'],
    ['www/app.js', 'text/javascript; charset=utf-8'],
    ['scripts/serve.mjs', 'text/javascript; charset=utf-8'],
    ['www/pkg/trainlab_bg.wasm', 'application/wasm'],
    ['package.json', 'application/json; charset=utf-8'],
  ];
  for (const [file, type] of cases) {
    const response = await fetch(new URL(file, repoServer.url));
    assert.equal(response.status, 200, file);
    assert.equal(response.headers.get('content-type'), type, file);
    await response.arrayBuffer();
  }
  const wasm = new Uint8Array(await (await fetch(new URL('www/pkg/trainlab_bg.wasm', repoServer.url))).arrayBuffer());
  assert.deepEqual([...wasm.subarray(0, 4)], [0, 0x61, 0x73, 0x6d], 'wasm magic number');
});

test('a directory serves its index.html, a missing file is 404, POST is 405', async () => {
  const sub = await fetch(new URL('sub/', sandboxServer.url));
  assert.equal(sub.status, 200);
  assert.equal(await sub.text(), '<p>sub index</p>');
  assert.equal((await fetch(new URL('nothing-here.js', sandboxServer.url))).status, 404);
  assert.equal((await fetch(new URL('module.mjs', sandboxServer.url))).headers.get('content-type'),
    'text/javascript; charset=utf-8');
  assert.equal((await fetch(new URL('blob.wasm', sandboxServer.url))).headers.get('content-type'),
    'application/wasm');
  assert.equal((await fetch(sandboxServer.url, { method: 'POST' })).status, 405);
});

test('no request reaches a file outside the root', async () => {
  const attempts = [
    '/../secret.txt',
    '/sub/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/..%2fsecret.txt',
    '/sub/..%2f..%2fsecret.txt',
    '/..%5csecret.txt',
    `/${'..%2f'.repeat(12)}etc/passwd`,
    '/escape.txt',
  ];
  for (const attempt of attempts) {
    const response = await rawGet(sandboxServer.url, attempt);
    assert.ok([400, 403, 404].includes(response.status), `${attempt} gave ${response.status}`);
    assert.ok(!response.body.includes('top secret'), `${attempt} leaked the secret`);
    assert.ok(!response.body.includes('root:'), `${attempt} leaked /etc/passwd`);
  }
  assert.equal((await rawGet(sandboxServer.url, '/escape.txt')).status, 403);
  assert.equal((await rawGet(sandboxServer.url, '/%00')).status, 400);
});

test('the command line takes the port from PORT when no argument is given', async () => {
  const probe = await startServer({ root: REPO_ROOT, port: 0, quiet: true });
  const { port } = probe.server.address();
  await new Promise((resolve) => probe.server.close(resolve));
  const child = spawn(process.execPath, ['scripts/serve.mjs'], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: String(port), SERVE_QUIET: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const line = await new Promise((resolve, reject) => {
      child.stdout.setEncoding('utf8').once('data', resolve);
      child.once('exit', (code) => reject(new Error(`serve.mjs exited with ${code}`)));
    });
    assert.match(line, new RegExp(`http://127\\.0\\.0\\.1:${port}/`));
    assert.equal((await fetch(`http://127.0.0.1:${port}/index.html`)).status, 200);
  } finally {
    child.kill('SIGTERM');
  }
});
