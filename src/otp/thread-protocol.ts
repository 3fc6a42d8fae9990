// Message shapes shared by a ThreadServer and its thread host. Types and constants only.

export const CALL = 0;
export const CAST = 1;
export const READY = 2;
export const REPLY = 3;
export const FAILED = 4;
/** A cast the thread's mailbox had no room for: dropped there, counted by the proxy. */
export const DROPPED = 5;

export type ToHost = readonly [typeof CALL, number, unknown] | readonly [typeof CAST, unknown];
/** FAILED carries the error's message and its NeedAQueueError code, when it has one. */
export type FromHost = readonly [typeof READY] | readonly [typeof REPLY, number, unknown] | readonly [typeof FAILED, number, string, string | undefined] | readonly [typeof DROPPED];

export interface HostData {
  /** file: URL of the module exporting the callbacks. */
  readonly module: string;
  readonly exportName: string;
  readonly name: string;
  /** The thread's GenServer mailbox capacity; GenServer's default when absent. */
  readonly mailboxCapacity?: number;
}
