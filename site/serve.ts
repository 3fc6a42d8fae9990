// Serves a built site on a free port on 127.0.0.1 with sirv (the static server VitePress's own
// `preview` uses), so `need-a-queue site --serve` and the browser tests read exactly the files
// the build wrote. VitePress's `serve` cannot take another output folder or a free port.

import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import sirv from 'sirv';
import { SiteSourceError } from '../src/errors.ts';

export interface ServedSite {
  readonly url: string;
  close(): Promise<void>;
}

export async function serveSite(outDir: string, port = 0): Promise<ServedSite> {
  if (!existsSync(path.join(outDir, 'index.html'))) throw new SiteSourceError(outDir, 'holds no built site (no index.html)', 'build it first: `npm run site`, or `need-a-queue site --serve` builds and serves');
  const files = sirv(outDir, { dev: true, extensions: ['html'] });
  // VitePress writes a 404 page; a wrong link shows it, as on any host that serves the site.
  const notFound = existsSync(path.join(outDir, '404.html')) ? readFileSync(path.join(outDir, '404.html')) : 'not found';
  const server: Server = createServer((req, res) => {
    files(req, res, () => {
      res.statusCode = 404;
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(notFound);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
