// A TCP proxy in front of a test store (Redis or PostgreSQL), so a test can make the store
// stop answering (`freeze`: connections stay open, nothing moves, as when a server hangs or a
// network drops packets) or go away (`cut`: every connection reset, new ones refused) without
// touching the store other tests share. Listens on 127.0.0.1 only.

import { createServer, createConnection, type Socket } from 'node:net';

export interface StoreProxy {
  /** The store's URL with the proxy's host and port. */
  readonly url: string;
  /** Nothing is forwarded in either direction until `thaw`; bytes wait in the sockets. */
  freeze(): void;
  thaw(): void;
  /** Resets every connection and refuses new ones until `restore`. */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startStoreProxy(storeUrl: string): Promise<StoreProxy> {
  const target = new URL(storeUrl);
  const targetPort = Number(target.port);
  const pairs = new Set<readonly [Socket, Socket]>();
  let frozen = false;
  let refusing = false;

  const server = createServer((client) => {
    if (refusing) {
      client.resetAndDestroy();
      return;
    }
    const upstream = createConnection({ host: target.hostname, port: targetPort });
    const pair = [client, upstream] as const;
    pairs.add(pair);
    if (frozen) for (const socket of pair) socket.pause();
    client.pipe(upstream);
    upstream.pipe(client);
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.once('close', drop).on('error', drop);
    upstream.once('close', drop).on('error', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('store proxy: no TCP address');
  const url = new URL(storeUrl);
  url.hostname = '127.0.0.1';
  url.port = String(address.port);

  return {
    url: url.toString(),
    freeze() {
      frozen = true;
      for (const pair of pairs) for (const socket of pair) socket.pause();
    },
    thaw() {
      frozen = false;
      for (const pair of pairs) for (const socket of pair) socket.resume();
    },
    cut() {
      refusing = true;
      for (const [client, upstream] of pairs) {
        client.resetAndDestroy();
        upstream.destroy();
      }
      pairs.clear();
    },
    restore() {
      refusing = false;
    },
    close() {
      refusing = true;
      for (const [client, upstream] of pairs) {
        client.destroy();
        upstream.destroy();
      }
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
