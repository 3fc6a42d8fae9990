// Every error the kit throws on purpose. Each has a stable `code` for programs and a
// `fix` sentence for people: a user who hits one should know what to do next.
// Imports nothing of ours, so any layer may throw these.

export class NeedAQueueError extends Error {
  override name = 'NeedAQueueError';
  readonly code: string;
  /** What the user can do about it. */
  readonly fix: string;

  /** `message` says what went wrong in one line; `fix` (printed after it by the CLI) what to do. */
  constructor(code: string, message: string, fix: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.fix = fix;
  }
}

/** Anything thrown, as an Error, so `cause` is always inspectable: the one way the kit does it. */
export function toError(value: unknown): Error {
  if (value instanceof Error) return value;
  if (typeof value === 'string') return new Error(value);
  try {
    return new Error(JSON.stringify(value) ?? typeof value);
  } catch {
    return new Error(Object.prototype.toString.call(value));
  }
}

/** The message of anything thrown. */
export function messageOf(value: unknown): string {
  return toError(value).message;
}

/**
 * Describes a received value for error messages: ``-1` (number)`, ``"x"` (string)`, ``NaN`
 * (number)`. Not JSON.stringify alone: it prints NaN and Infinity as `null` and throws on BigInt.
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  let shown: string;
  if (typeof value === 'number' || typeof value === 'symbol') shown = String(value);
  else if (typeof value === 'bigint') shown = `${value}n`;
  else if (typeof value === 'function') shown = `function ${value.name}`.trim();
  else {
    try {
      shown = JSON.stringify(value, (_key, inner: unknown) => (typeof inner === 'number' && !Number.isFinite(inner) ? String(inner) : typeof inner === 'bigint' ? `${inner}n` : inner)) ?? typeof value;
    } catch {
      shown = Object.prototype.toString.call(value);
    }
  }
  if (shown.length > 80) shown = `${shown.slice(0, 77)}...`;
  return `\`${shown}\` (${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value})`;
}

export class UnknownJobError extends NeedAQueueError {
  override name = 'UnknownJobError';
  constructor(job: unknown, known: readonly string[]) {
    super('UNKNOWN_JOB', `Unknown job ${describeValue(job)}`, `use one of: ${known.join(', ')}`);
  }
}

export class InvalidJobDataError extends NeedAQueueError {
  override name = 'InvalidJobDataError';
  constructor(job: string, problem: string, expected: string) {
    super('INVALID_JOB_DATA', `Bad data for job \`${job}\`: ${problem}`, `pass ${expected}`);
  }
}

export class UnknownRunnerError extends NeedAQueueError {
  override name = 'UnknownRunnerError';
  constructor(runner: unknown, known: readonly string[]) {
    super('UNKNOWN_RUNNER', `Unknown runner ${describeValue(runner)}`, `use one of: ${known.join(', ')}`);
  }
}

export class UnsupportedOptionError extends NeedAQueueError {
  override name = 'UnsupportedOptionError';
  constructor(runner: string, option: string, supported: readonly string[]) {
    super(
      'UNSUPPORTED_OPTION',
      `Runner \`${runner}\` cannot honour option \`${option}\``,
      supported.length > 0
        ? `drop it, or use a runner that supports it; \`${runner}\` supports: ${supported.join(', ')}`
        : `drop it, or use a runner that supports it; \`${runner}\` takes no such options`,
    );
  }
}

export class InvalidOptionError extends NeedAQueueError {
  override name = 'InvalidOptionError';
  constructor(option: string, expected: string, received: unknown) {
    super('INVALID_OPTION', `Expected \`${option}\` to be ${expected}, got ${describeValue(received)}`, `pass \`${option}\` as ${expected}`);
  }
}

/** `submit` or `worker` was given a runner whose jobs live in one process's memory: there is no queue to share. */
export class LocalRunnerError extends NeedAQueueError {
  override name = 'LocalRunnerError';
  constructor(command: string, runner: string, shared: readonly string[]) {
    super(
      'LOCAL_RUNNER',
      `Runner \`${runner}\` keeps its jobs in the memory of the process that submits them, so \`${command}\` has no queue another process can read`,
      `use --runner ${shared.join(' or ')}; to run a job on \`${runner}\` in this process, \`need-a-queue run <job> --runner ${runner}\``,
    );
  }
}

/** A job failed; `cause` is the job's own error. */
export class JobFailedError extends NeedAQueueError {
  override name = 'JobFailedError';
  readonly jobId: string;
  readonly attempts: number;
  constructor(job: string, jobId: string, attempts: number, cause: unknown) {
    const reason = messageOf(cause);
    super('JOB_FAILED', `Job \`${job}\` (${jobId}) failed after ${attempts} attempt(s): ${reason}`, 'see `cause` for the job\'s own error', { cause });
    this.jobId = jobId;
    this.attempts = attempts;
  }
}

export class ResultUnavailableError extends NeedAQueueError {
  override name = 'ResultUnavailableError';
  constructor(runner: string) {
    super('RESULT_UNAVAILABLE', `Runner \`${runner}\` does not return job results`, 'use a runner whose traits.result is true (task, genserver, worker-pool, bullmq-*)');
  }
}

export class RunnerStoppedError extends NeedAQueueError {
  override name = 'RunnerStoppedError';
  constructor(runner: string) {
    super('RUNNER_STOPPED', `Runner \`${runner}\` is stopped and accepts no jobs`, 'create a new runner');
  }
}

export class TimeoutError extends NeedAQueueError {
  override name = 'TimeoutError';
  readonly timeoutMs: number;
  constructor(what: string, timeoutMs: number, fix = 'raise the timeout, or find out why it is slow') {
    super('TIMEOUT', `${what} did not finish within ${timeoutMs} ms`, fix);
    this.timeoutMs = timeoutMs;
  }
}

export class QueueFullError extends NeedAQueueError {
  override name = 'QueueFullError';
  constructor(what: string, capacity: number, fix = 'slow the producer down, retry later, or raise maxQueue') {
    super('QUEUE_FULL', `${what} is full (${capacity} waiting)`, fix);
  }
}

export class ServiceUnavailableError extends NeedAQueueError {
  override name = 'ServiceUnavailableError';
  readonly service: 'redis' | 'postgres' | 'chromium';
  constructor(service: 'redis' | 'postgres' | 'chromium', message: string, fix: string, options?: { cause?: unknown }) {
    super('SERVICE_UNAVAILABLE', message, fix, options);
    this.service = service;
  }
}

export class ResultsFileError extends NeedAQueueError {
  override name = 'ResultsFileError';
  constructor(path: string, problem: string, fix = 'run `need-a-queue bench` again to write a fresh file') {
    super('RESULTS_FILE', `Results file ${path}: ${problem}`, fix);
  }
}

/** A GenServer `call` got no reply in time; the late reply, if any, is dropped. */
export class CallTimeoutError extends TimeoutError {
  override name = 'CallTimeoutError';
  constructor(server: string, timeoutMs: number) {
    super(`call to server \`${server}\``, timeoutMs, 'raise the call timeout, or keep the server from blocking; the server may still act on the request');
  }
}

/** A server stopped (a callback threw, or its thread died) while the caller waited or before it asked. */
export class ServerCrashedError extends NeedAQueueError {
  override name = 'ServerCrashedError';
  constructor(server: string, cause: unknown) {
    const reason = messageOf(cause);
    super('SERVER_CRASHED', `Server \`${server}\` crashed: ${reason}`, 'see `cause`; put the server under a supervisor to get a fresh one', { cause });
  }
}

/** No live server under that name or handle (stopped, or never registered). */
export class NoProcError extends NeedAQueueError {
  override name = 'NoProcError';
  constructor(server: string) {
    super('NO_PROC', `No live server \`${server}\``, 'start it first, or look it up again after its supervisor restarts it');
  }
}

/** A bounded mailbox is full: the message was not queued. */
export class MailboxFullError extends NeedAQueueError {
  override name = 'MailboxFullError';
  constructor(server: string, capacity: number) {
    super('MAILBOX_FULL', `Mailbox of server \`${server}\` is full (${capacity} messages)`, 'slow the sender down, retry later, or raise the mailbox capacity');
  }
}

/** A task was cancelled through its AbortSignal before it settled. */
export class TaskCancelledError extends NeedAQueueError {
  override name = 'TaskCancelledError';
  constructor(what: string, cause?: unknown) {
    super('TASK_CANCELLED', `${what} was cancelled`, 'nothing to fix if you cancelled it; otherwise find who aborted the signal', { cause });
  }
}

/** A task's own function failed; `cause` is its error. */
export class TaskFailedError extends NeedAQueueError {
  override name = 'TaskFailedError';
  constructor(what: string, cause: unknown) {
    const reason = messageOf(cause);
    super('TASK_FAILED', `${what} failed: ${reason}`, 'see `cause` for the task\'s own error', { cause });
  }
}

/** A registry name is already held by a live server. */
export class NameTakenError extends NeedAQueueError {
  override name = 'NameTakenError';
  constructor(name: string) {
    super('NAME_TAKEN', `The name \`${name}\` is already registered to a live server`, 'pick another name, or stop the server that holds it');
  }
}

/** A bench or compare argument names nothing that exists (scenario, profile, threshold). */
export class BenchArgumentError extends NeedAQueueError {
  override name = 'BenchArgumentError';
  constructor(what: string, received: string, known: readonly string[]) {
    super('BAD_ARGUMENT', `Unknown ${what} ${describeValue(received)}`, `use one of: ${known.join(', ')}`);
  }
}

/** A lessons page or site source the site cannot be built from (a bad include, an unknown figure). */
export class SiteSourceError extends NeedAQueueError {
  override name = 'SiteSourceError';
  readonly where: string;
  readonly problem: string;
  constructor(where: string, problem: string, fix: string) {
    super('SITE_SOURCE', `${where}: ${problem}`, fix);
    this.where = where;
    this.problem = problem;
  }
}
