// Message shapes shared by a ThreadServer and its thread host. Types and constants only.

export const CALL = 0;
export const CAST = 1;
export const READY = 2;
export const REPLY = 3;
export const FAILED = 4;

export type ToHost = readonly [typeof CALL, number, unknown] | readonly [typeof CAST, unknown];
export type FromHost = readonly [typeof READY] | readonly [typeof REPLY, number, unknown] | readonly [typeof FAILED, number, string];

export interface HostData {
  /** file: URL of the module exporting the callbacks. */
  readonly module: string;
  readonly exportName: string;
  readonly name: string;
}
