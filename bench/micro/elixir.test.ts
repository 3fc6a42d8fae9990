import { describe, expect, it } from 'vitest';
import type { BenchContext } from '../types.ts';
import { elixirMicro, parseElixirLines } from './elixir.ts';

function context(): { context: BenchContext; skips: string[] } {
  const skips: string[] = [];
  const signal = new AbortController().signal;
  const context: BenchContext = {
    profile: 'quick',
    subjects: [],
    services: { redisUrl: () => Promise.reject(new Error('unused')), databaseUrl: () => Promise.reject(new Error('unused')) },
    progress: () => undefined,
    signal,
    skip: (subject, reason, fix) => skips.push(`${subject}: ${reason} (${fix})`),
    baselines: [],
  };
  return { context, skips };
}

describe('the Elixir micro figures', () => {
  it('reads one measurement per line the .exs prints, keyed like the Node rows', () => {
    const [m, ...rest] = parseElixirLines('elixir-genserver\tGenServer call round trip\t100\t2.2,1.9\n', 'Elixir 1.14.0');
    expect(rest).toHaveLength(0);
    expect(m).toMatchObject({ scenario: 'micro', subject: 'elixir-genserver', case: 'GenServer call round trip', metric: 'µs/op', unit: 'µs', better: 'lower', samples: [2.2, 1.9] });
    expect(m?.notes).toMatchObject({ batch: 100, runtime: 'Elixir 1.14.0' });
  });

  it('refuses a line whose figures are not positive numbers, and output with no figures', () => {
    expect(() => parseElixirLines('elixir-task\tTask.async + await\t100\tnan\n', 'x')).toThrow(/bad line/);
    expect(() => parseElixirLines('** (CompileError) oops\n', 'x')).toThrow(/no figures/);
  });

  it('without elixir on PATH: a skip row per subject naming how to install it, and no figures', async () => {
    const { context: ctx, skips } = context();
    await expect(elixirMicro(ctx, 1, 10, () => undefined)).resolves.toEqual([]);
    expect(skips).toEqual([
      "elixir-genserver: elixir is not on PATH (install Elixir (Debian: apt-get install elixir) to time the seed's OTP operations beside the kit's)",
      "elixir-task: elixir is not on PATH (install Elixir (Debian: apt-get install elixir) to time the seed's OTP operations beside the kit's)",
    ]);
  });
});
