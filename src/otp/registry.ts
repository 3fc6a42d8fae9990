// Registry: find a server by name, as Elixir's Registry / `name:` option.
//
// How it works: a Map from name to a live server. Registering subscribes to the server's exit,
// so a server that stops or crashes leaves the registry by itself: a lookup never returns a
// dead server, and the name is free for the restarted one (which its supervisor re-registers).

import { NameTakenError, NoProcError } from '../errors.ts';
import type { ExitReason } from './gen-server.ts';

/** Anything with an end: GenServer and ThreadServer both are. */
export interface Registrable {
  onExit(listener: (reason: ExitReason) => void): () => void;
}

export class Registry<Server extends Registrable> {
  readonly #servers = new Map<string, Server>();

  /** Throws NameTakenError while a live server holds the name. */
  register(name: string, server: Server): void {
    if (this.#servers.has(name)) throw new NameTakenError(name);
    this.#servers.set(name, server);
    const unsubscribe = server.onExit(() => {
      unsubscribe();
      // Only remove our own entry: a restarted server may already hold the name.
      if (this.#servers.get(name) === server) this.#servers.delete(name);
    });
  }

  /** The live server under `name`, or undefined (Elixir's `whereis`). */
  whereis(name: string): Server | undefined {
    return this.#servers.get(name);
  }

  /** The live server under `name`; throws NoProcError when there is none. */
  lookup(name: string): Server {
    const server = this.#servers.get(name);
    if (server === undefined) throw new NoProcError(name);
    return server;
  }

  get names(): string[] {
    return [...this.#servers.keys()];
  }
}
