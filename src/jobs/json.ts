// Is this value JSON? Job data crosses threads, processes and stores, each with its own idea of
// what a function, a BigInt or NaN becomes (dropped, a clone error, `null`, a TypeError), so
// every runner asks this one question at submit and refuses what is not JSON the same way.
//
// How it works: a depth-first walk that allocates nothing on the way down; the path to the
// first offending value (`data.items[2].at`) is built only on the way back up, when one is found.

/** Deeper than this is refused: the walk recurses, and no job needs it. */
export const MAX_JSON_DEPTH = 100;

interface Problem {
  /** Keys and indexes from the top, outermost first. */
  readonly at: (string | number)[];
  readonly is: string;
}

/** What is not JSON in `value`, as "`data.x` is a function", or undefined when it is all JSON. */
export function notJson(value: unknown): string | undefined {
  const problem = walk(value, []);
  if (problem === undefined) return undefined;
  const path = problem.at.map((key) => (typeof key === 'number' ? `[${key}]` : /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`)).join('');
  return `\`data${path}\` is ${problem.is}`;
}

function walk(value: unknown, ancestors: object[]): Problem | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : { at: [], is: String(value) };
    case 'object':
      if (value === null) return undefined;
      return walkObject(value, ancestors);
    case 'bigint':
      return { at: [], is: 'a BigInt' };
    case 'undefined':
      return { at: [], is: 'undefined' };
    default:
      return { at: [], is: `a ${typeof value}` };
  }
}

function walkObject(value: object, ancestors: object[]): Problem | undefined {
  if (ancestors.includes(value)) return { at: [], is: 'circular (it contains itself)' };
  if (ancestors.length >= MAX_JSON_DEPTH) return { at: [], is: `nested deeper than ${MAX_JSON_DEPTH} levels` };
  ancestors.push(value);
  try {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const problem = walk(value[i], ancestors);
        if (problem !== undefined) return { at: [i, ...problem.at], is: problem.is };
      }
      return undefined;
    }
    const prototype: unknown = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) {
      const name = (prototype as { constructor?: { name?: string } }).constructor?.name;
      return { at: [], is: `a ${name ?? 'class'} object, not a plain one` };
    }
    if (Object.getOwnPropertySymbols(value).length > 0) return { at: [], is: 'an object with symbol keys' };
    for (const key in value) {
      const problem = walk((value as Record<string, unknown>)[key], ancestors);
      if (problem !== undefined) return { at: [key, ...problem.at], is: problem.is };
    }
    return undefined;
  } finally {
    ancestors.pop();
  }
}
