// The seed's own OTP operations, timed on the BEAM beside the kit's (the `micro` scenario runs
// this after its Node suites). Runs elixir-otp.exs when `elixir` is on PATH and records one
// measurement per case, subjects `elixir-genserver` and `elixir-task`; without Elixir it is a
// skip row naming how to get it, never a number from elsewhere.
//
// What the two sides time is not the same thing: a kit `call` to an idle server is handled in
// the caller's own turn, while an Elixir call is a message to another process and a reply,
// which the schedulers may run on another core. The lesson on GenServer says so beside the figures.

import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { which } from '../../src/services/which.ts';
import { jsonNotes } from '../results.ts';
import type { BenchContext, Measurement } from '../types.ts';

const script = fileURLToPath(new URL('./elixir-otp.exs', import.meta.url));

/** Parses the script's lines: subject TAB case TAB batch TAB samples (µs/op, comma-separated). */
export function parseElixirLines(stdout: string, version: string): Measurement[] {
  const out: Measurement[] = [];
  for (const line of stdout.split('\n')) {
    const [subject, name, batch, samples] = line.split('\t');
    if (subject === undefined || name === undefined || batch === undefined || samples === undefined) continue;
    const values = samples.split(',').map(Number);
    if (values.length === 0 || values.some((v) => !Number.isFinite(v) || v <= 0)) throw new Error(`elixir-otp.exs printed a bad line: ${JSON.stringify(line)}`);
    out.push({
      scenario: 'micro',
      subject,
      case: name,
      metric: 'µs/op',
      unit: 'µs',
      better: 'lower',
      samples: values,
      notes: jsonNotes({ batch: Number(batch), runtime: version, note: 'timed on the BEAM by bench/micro/elixir-otp.exs' }),
    });
  }
  if (out.length === 0) throw new Error(`elixir-otp.exs printed no figures: ${JSON.stringify(stdout.slice(0, 200))}`);
  return out;
}

function run(file: string, args: readonly string[], signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { signal, timeout: 180_000, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      if (error !== null) reject(new Error(`${error.message}${stderr === '' ? '' : `: ${stderr.trim().split('\n').slice(-2).join(' ')}`}`));
      else resolve(stdout);
    });
  });
}

/** The Elixir rows of the micro scenario, or a skip row when `elixir` is not on PATH. */
export async function elixirMicro(context: BenchContext, repeats: number, timeMs: number, find = which): Promise<Measurement[]> {
  const elixir = find('elixir');
  if (elixir === undefined) {
    for (const subject of ['elixir-genserver', 'elixir-task']) {
      context.skip(subject, 'elixir is not on PATH', "install Elixir (Debian: apt-get install elixir) to time the seed's OTP operations beside the kit's");
    }
    return [];
  }
  context.progress('micro elixir: timing GenServer, spawn and Task on the BEAM');
  const version = (await run(elixir, ['--version'], context.signal)).trim().split('\n').pop() ?? 'elixir';
  return parseElixirLines(await run(elixir, [script, String(repeats), String(timeMs)], context.signal), version);
}
