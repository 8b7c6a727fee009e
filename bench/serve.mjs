// The benches' static server: the built app from `dist`, and bench profiles at /__bench/<index>.

import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
};

/** Serves `dist` (no caching) and `files[i]` at /__bench/i on a free port of 127.0.0.1; resolves to the server. */
export function startBenchServer(dist, files) {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const bench = /^\/__bench\/(\d+)$/.exec(url.pathname);
    let file;
    if (bench) file = files[Number(bench[1])];
    else {
      const rel = normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '');
      file = join(dist, rel === '' ? 'index.html' : rel);
      if (!file.startsWith(dist + sep) && file !== dist) file = undefined;
      else if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    }
    if (!file || !existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': MIME[extname(file)] ?? 'application/octet-stream',
      'content-length': statSync(file).size,
      'cache-control': 'no-store',
    });
    createReadStream(file).pipe(res);
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}
