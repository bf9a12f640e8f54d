#!/usr/bin/env node
// A tiny static file server for local development and the browser tests.
//
//   node scripts/serve.mjs [port]      (or PORT=8000 node scripts/serve.mjs)
//
// Serves the repository root on 127.0.0.1 only, with the MIME types browsers
// insist on (application/wasm for streaming compilation, text/javascript for
// modules). Requests can never reach a file outside the root, symlinks
// included. Port 0 picks a free port; the URL is printed either way.
// No dependencies: plain Node.

import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HOST = '127.0.0.1';
const DEFAULT_PORT = 8000;

const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
};

/** The Content-Type for a file name (octet-stream when unknown). */
export function mimeType(fileName) {
  return MIME_TYPES[path.extname(fileName).toLowerCase()] ?? 'application/octet-stream';
}

/** Whether `candidate` is `root` itself or lies below it. */
function isInside(root, candidate) {
  const relative = path.relative(root, candidate);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * Maps a request path to a readable file under `root`, or returns an HTTP
 * status explaining why not. Directories serve their index.html.
 */
async function resolveFile(root, requestPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(requestPath);
  } catch {
    return { status: 400 };
  }
  if (decoded.includes('\0')) return { status: 400 };
  const lexical = path.resolve(root, '.' + path.posix.normalize('/' + decoded));
  if (!isInside(root, lexical)) return { status: 403 };
  let file;
  try {
    file = await realpath(lexical);
    // A symlink inside the root must not lead outside it.
    if (!isInside(root, file)) return { status: 403 };
    let info = await stat(file);
    if (info.isDirectory()) {
      file = path.join(file, 'index.html');
      info = await stat(file);
    }
    if (!info.isFile()) return { status: 404 };
    return { status: 200, file, size: info.size };
  } catch {
    return { status: 404 };
  }
}

/**
 * Starts serving `root` on 127.0.0.1:`port` (0 = any free port).
 * Resolves to { server, url } once listening.
 */
export async function startServer({ root, port = DEFAULT_PORT, quiet = false } = {}) {
  const realRoot = await realpath(root);
  const server = createServer(async (request, response) => {
    const finish = (status, message) => {
      response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end(`${status} ${message}\n`);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD');
      return finish(405, 'method not allowed');
    }
    const requestPath = (request.url ?? '/').split(/[?#]/, 1)[0];
    const found = await resolveFile(realRoot, requestPath);
    if (!quiet) console.log(`${found.status} ${request.method} ${request.url}`);
    if (found.status !== 200) {
      const reasons = { 400: 'bad request', 403: 'forbidden', 404: 'not found' };
      return finish(found.status, reasons[found.status]);
    }
    response.writeHead(200, {
      'Content-Type': mimeType(found.file),
      'Content-Length': found.size,
      // A rebuilt wasm package must never be served stale from the cache.
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    if (request.method === 'HEAD') return response.end();
    const stream = createReadStream(found.file);
    stream.on('error', () => response.destroy());
    stream.pipe(response);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, resolve);
  });
  const url = `http://${HOST}:${server.address().port}/`;
  return { server, url };
}

/** The port from the first argument, else $PORT, else 8000. */
function portFromCommandLine() {
  const text = process.argv[2] ?? process.env.PORT ?? String(DEFAULT_PORT);
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`serve: port must be an integer from 0 to 65535, got "${text}"`);
    process.exit(2);
  }
  return port;
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const quiet = process.env.SERVE_QUIET === '1';
  try {
    const { url } = await startServer({ root, port: portFromCommandLine(), quiet });
    console.log(`Serving ${root} at ${url}  (Ctrl-C stops)`);
  } catch (error) {
    console.error(`serve: ${error.message}`);
    process.exit(1);
  }
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0));
}
