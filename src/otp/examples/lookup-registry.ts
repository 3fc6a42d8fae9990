// The seed's registry, in Node: a GenServer holding a Map. `add(key)` is a cast: the server
// computes the key's value with the catalogue's `lookup` job and stores it; the caller does not
// wait. `find(key)` is a call: it answers found (with the value) or not found. Because one
// mailbox is handled in order, a `find` sent after an `add` from the same caller sees its value.

import { runJob } from '../../jobs/catalogue.ts';
import { GenServer, type ServerCallbacks, type ServerOptions } from '../gen-server.ts';

export type FindReply = { readonly found: true; readonly value: string } | { readonly found: false };

type State = Map<string, string>;
type Call = { readonly find: string };
type Cast = { readonly add: string };

const neverAborts = new AbortController().signal;

// #region callbacks
export const lookupRegistryCallbacks: ServerCallbacks<State, Call, FindReply, Cast> = {
  init: () => new Map(),
  handleCall: ({ find }, state) => {
    const value = state.get(find);
    return { reply: value === undefined ? { found: false } : { found: true, value }, state };
  },
  handleCast: async ({ add }, state) => {
    // The long computation runs inside the server: later messages wait for it, as in Elixir.
    const value = await runJob('lookup', { key: add }, { attempt: 1, signal: neverAborts });
    state.set(add, value as string); // `lookup` returns a string
    return state;
  },
};
// #endregion callbacks

export class LookupRegistry {
  readonly server: GenServer<State, Call, FindReply, Cast>;

  private constructor(server: GenServer<State, Call, FindReply, Cast>) {
    this.server = server;
  }

  static async start(options?: ServerOptions): Promise<LookupRegistry> {
    return new LookupRegistry(await GenServer.start(lookupRegistryCallbacks, options));
  }

  // #region client
  add(key: string): void {
    this.server.cast({ add: key });
  }

  find(key: string, timeoutMs?: number): Promise<FindReply> {
    return this.server.call({ find: key }, timeoutMs);
  }
  // #endregion client

  stop(): Promise<void> {
    return this.server.stop();
  }
}
