// A stand-in for a course site on another origin: serves a few HTML pages
// from memory on its own port of "localhost" (the app is on 127.0.0.1, so
// the two are different sites), each with the page's own strict
// Content-Security-Policy header. Like most course servers it sends no CORS
// headers, and it serves nothing of trainlab's: the course page must load
// everything from the trainlab origin.
//
//   const site = await startCourseSite();
//   const url = site.page('/lecture.html', html, { csp });
//   ...
//   await site.close();

import { createServer } from 'node:http';

/** The CSP of a strict course page: scripts and frames only from `appOrigin`. */
export function strictCsp(appOrigin, { scripts = true } = {}) {
  return [
    "default-src 'none'",
    `script-src ${scripts ? appOrigin : "'none'"}`,
    `frame-src ${appOrigin}`,
    "style-src 'none'",
    "img-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** An HTML document around `body` (trusted test markup). */
export function coursePage(title, body) {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${title}</title></head>
<body>
<h1>${title}</h1>
${body}
</body>
</html>
`;
}

export async function startCourseSite() {
  const pages = new Map();
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split(/[?#]/, 1)[0];
    const page = pages.get(path);
    if (!page) {
      response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end('404 not found\n');
      return;
    }
    response.writeHead(200, {
      'Content-Type': page.type,
      'Content-Security-Policy': page.csp,
      'Cache-Control': 'no-store',
    });
    response.end(page.html);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const origin = `http://localhost:${server.address().port}`;
  return {
    origin,
    /** Serves `html` at `path` with the header CSP `csp`; returns its URL. */
    page(path, html, { csp, type = 'text/html; charset=utf-8' }) {
      pages.set(path, { html, csp, type });
      return `${origin}${path}`;
    },
    close() {
      server.closeAllConnections?.();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
