// The web-server scenario's load generator, in a worker thread of its own: it must not share
// the server's event loop, or a blocked loop would hold back the requests that should measure
// it. Requests go out on a fixed schedule (request i at start + i / rate) whatever the server
// is doing, each stamped with that intended time, so a server that stalls is charged for every
// request that waited behind the stall: no coordinated omission (drive.ts's openLoop does the
// same for jobs). Keep-alive sockets with no cap, so a stalled server gets more connections,
// not a generator that waits for a free one.
//
// Messages: `start` {url, ratePerSecond} → requests until `stop` {graceMs}; then the thread
// waits up to graceMs for answers, gives up on the rest and posts `records`.

import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { now } from '../drive.ts';
import type { LoadMessage, LoadRecords, RequestRecord } from './web-window.ts';

const port = parentPort;
if (port === null) throw new Error('web-load.ts runs in a worker thread (web-load-entry.js)');

/** Requests sent so far, shared with the scenario, which waits on it between batches. */
const sent = (workerData as { sent: Int32Array }).sent;
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
let stopping: { graceMs: number } | undefined;

function request(url: URL, record: RequestRecord, inFlight: Set<http.ClientRequest>): Promise<void> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode === 200) record.done = now();
        inFlight.delete(req);
        resolve();
      });
    });
    inFlight.add(req);
    req.on('error', () => {
      inFlight.delete(req);
      resolve();
    });
  });
}

async function run(url: URL, ratePerSecond: number): Promise<LoadRecords> {
  const records: RequestRecord[] = [];
  const pending: Promise<void>[] = [];
  const inFlight = new Set<http.ClientRequest>();
  const interval = 1000 / ratePerSecond;
  const start = now();
  let next = 0;
  while (stopping === undefined) {
    const due = Math.floor((now() - start) / interval) + 1;
    for (; next < due; next++) {
      const record: RequestRecord = { intended: start + next * interval };
      records.push(record);
      Atomics.add(sent, 0, 1);
      pending.push(request(url, record, inFlight));
    }
    await sleep(1);
  }
  const graceMs = stopping.graceMs;
  await Promise.race([Promise.all(pending), sleep(graceMs)]);
  // What has not answered by now is counted as unanswered at this moment, then dropped.
  const gaveUpAt = now();
  for (const req of inFlight) req.destroy();
  return { type: 'records', records, gaveUpAt };
}

port.on('message', (message: LoadMessage) => {
  if (message.type === 'stop') {
    stopping = { graceMs: message.graceMs };
    return;
  }
  stopping = undefined;
  void run(new URL(message.url), message.ratePerSecond).then((result) => port.postMessage(result));
});
port.postMessage({ type: 'ready' });
