import { describe, expect, it } from 'vitest';
import { NameTakenError, NoProcError } from '../errors.ts';
import { GenServer, type ServerCallbacks } from './gen-server.ts';
import { Registry } from './registry.ts';

const echo: ServerCallbacks<null, string, string, 'boom'> = {
  init: () => null,
  handleCall: (request, state) => ({ reply: request, state }),
  handleCast: () => {
    throw new Error('boom');
  },
};

describe('Registry', () => {
  it('finds a server by name', async () => {
    const registry = new Registry<GenServer<null, string, string, 'boom'>>();
    registry.register('echo', await GenServer.start(echo));
    await expect(registry.lookup('echo').call('hi')).resolves.toBe('hi');
  });

  it('refuses a name held by a live server', async () => {
    const registry = new Registry<GenServer<null, string, string, 'boom'>>();
    registry.register('echo', await GenServer.start(echo));
    expect(() => registry.register('echo', undefined as never)).toThrow(NameTakenError);
  });

  it('forgets a server that crashed, so lookups answer NoProcError', async () => {
    const registry = new Registry<GenServer<null, string, string, 'boom'>>();
    const server = await GenServer.start(echo);
    registry.register('echo', server);
    server.cast('boom');
    await expect(server.call('x')).rejects.toThrow();
    expect(registry.whereis('echo')).toBeUndefined();
    expect(() => registry.lookup('echo')).toThrow(NoProcError);
  });
});
