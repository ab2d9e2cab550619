/**
 * A plain static file server for the end-to-end tests, as most hosts behave:
 * files with their content type, no other headers (no COOP/COEP, no CSP, no
 * caching rules), 404 for anything else and 405 for anything but GET/HEAD.
 * It serves the build at a path prefix (`/` or `/vidstega/`), so an
 * absolute URL anywhere in the app shows as a 404.
 */
import { createReadStream, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.webmanifest': 'application/manifest+json',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json',
};

export interface StaticServer {
  /** The app's address, ending in the prefix: http://127.0.0.1:4480/vidstega/ */
  readonly url: string;
  /** Every request the server saw: method and path. */
  readonly requests: { method: string; path: string; status: number }[];
  /** Takes the server off the network (a real outage: the port refuses connections), until `resume`. */
  pause(): Promise<void>;
  resume(): Promise<void>;
  close(): Promise<void>;
}

export async function startStaticServer(root: string, port: number, prefix = '/'): Promise<StaticServer> {
  const requests: StaticServer['requests'] = [];
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const answer = (status: number, headers: Record<string, string> = {}) => {
      requests.push({ method: req.method ?? '', path, status });
      res.writeHead(status, headers);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      answer(405, { Allow: 'GET, HEAD' });
      res.end();
      return;
    }
    if (path === prefix.slice(0, -1) && prefix !== '/') {
      answer(301, { Location: prefix });
      res.end();
      return;
    }
    if (!path.startsWith(prefix)) {
      answer(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
      return;
    }
    let file = normalize(join(root, path.slice(prefix.length)));
    if (!file.startsWith(normalize(root + sep)) && file !== normalize(root)) {
      answer(404);
      res.end();
      return;
    }
    try {
      if (statSync(file).isDirectory()) file = join(file, 'index.html');
      const size = statSync(file).size;
      answer(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Content-Length': String(size) });
      if (req.method === 'HEAD') res.end();
      else createReadStream(file).pipe(res);
    } catch {
      answer(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
    }
  });
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      server.closeAllConnections();
    });
  await listen();
  return { url: `http://127.0.0.1:${port}${prefix}`, requests, pause: stop, resume: listen, close: stop };
}
