// What `run` and `submit` read from their command line the same way: a job's data as JSON, and
// the submit options (--attempts, --timeout, --delay) as numbers. One parser, so the same
// mistake gets the same typed error from both commands.

import type { Command } from 'commander';
import type { Json, SubmitOptions } from '../contract.ts';
import { InvalidJobDataError, InvalidOptionError } from '../errors.ts';

/** The job data argument: absent is null, anything else must parse as JSON. */
export function parseJobData(job: string, text: string | undefined): Json {
  if (text === undefined) return null;
  try {
    return JSON.parse(text) as Json;
  } catch {
    throw new InvalidJobDataError(job, `not JSON: ${text}`, 'the data as JSON, e.g. \'{"ms": 100}\'');
  }
}

/** A numeric flag's value; its range is checked where it is used (the runner, for submit options). */
export function numberFlag(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new InvalidOptionError(`--${flag}`, 'a number', text);
  return value;
}

export interface SubmitFlags {
  readonly attempts?: string;
  readonly timeout?: string;
  readonly delay?: string;
}

/** Adds --attempts, --timeout and --delay to a command. */
export function withSubmitFlags(command: Command): Command {
  return command
    .option('--attempts <n>', 'total attempts (runners with retries)')
    .option('--timeout <ms>', 'per-job timeout (runners that honour timeoutMs)')
    .option('--delay <ms>', 'delay before the job may start (BullMQ runners)');
}

/** The submit options those flags ask for; only the ones given. */
export function submitOptionsFrom(flags: SubmitFlags): SubmitOptions {
  const attempts = numberFlag('attempts', flags.attempts);
  const timeoutMs = numberFlag('timeout', flags.timeout);
  const delayMs = numberFlag('delay', flags.delay);
  return {
    ...(attempts === undefined ? {} : { attempts }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(delayMs === undefined ? {} : { delayMs }),
  };
}
