// Regions in a source file, as the lessons mark them:
//     // #region name
//     ...
//     // #endregion name
// (`#` and `<!-- -->` comments work too, for shell, Elixir and markdown files). The whole file's
// markers are checked, not only the region asked for: a file with an unclosed, unnamed,
// duplicated or crossed marker is broken for every page that includes from it.

/** Why a file's regions cannot be read; the include plugin adds the file and the page. */
export class RegionError extends Error {
  override name = 'RegionError';
  /** `missing`: the file is fine and lacks the region; `broken`: its markers are wrong. */
  readonly kind: 'missing' | 'broken';
  constructor(message: string, kind: 'missing' | 'broken' = 'broken') {
    super(message);
    this.kind = kind;
  }
}

const MARKER = /^\s*(?:\/\/|#|<!--|\/\*)\s*#(region|endregion)\b\s*(.*?)\s*(?:-->|\*\/)?\s*$/;
const NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

interface Marker {
  readonly kind: 'region' | 'endregion';
  readonly name: string;
}

function markerOf(line: string): Marker | undefined {
  const match = MARKER.exec(line);
  if (match === null) return undefined;
  return { kind: match[1] as Marker['kind'], name: match[2] ?? '' };
}

/** Each region's lines, start and end (0-based, markers excluded), after checking every marker. */
export function regionsOf(text: string): Map<string, { start: number; end: number }> {
  const lines = text.split('\n');
  const open = new Map<string, number>();
  const done = new Map<string, { start: number; end: number }>();
  for (const [index, line] of lines.entries()) {
    const marker = markerOf(line);
    if (marker === undefined) continue;
    const at = `line ${index + 1}`;
    if (!NAME.test(marker.name)) throw new RegionError(`${at}: #${marker.kind} needs a lowercase-kebab name (got \`${marker.name}\`)`);
    if (marker.kind === 'region') {
      if (open.has(marker.name) || done.has(marker.name)) throw new RegionError(`${at}: region \`${marker.name}\` is marked twice; region names are unique in a file`);
      open.set(marker.name, index);
    } else {
      const start = open.get(marker.name);
      if (start === undefined) throw new RegionError(`${at}: #endregion \`${marker.name}\` has no #region before it`);
      open.delete(marker.name);
      done.set(marker.name, { start: start + 1, end: index });
    }
  }
  const [unclosed] = open;
  if (unclosed !== undefined) throw new RegionError(`line ${unclosed[1] + 1}: region \`${unclosed[0]}\` is never closed (no \`#endregion ${unclosed[0]}\`)`);
  return done;
}

/** Removes the common leading whitespace of the non-blank lines. */
export function dedent(lines: readonly string[]): string[] {
  const indents = lines.filter((line) => line.trim() !== '').map((line) => /^[ \t]*/.exec(line)?.[0].length ?? 0);
  const common = indents.length === 0 ? 0 : Math.min(...indents);
  return lines.map((line) => line.slice(common));
}

function trimBlankEnds(lines: string[]): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start]?.trim() === '') start++;
  while (end > start && lines[end - 1]?.trim() === '') end--;
  return lines.slice(start, end);
}

/**
 * The text a page shows: the named region (or the whole file when `name` is undefined), with
 * every marker line inside it removed, dedented, without blank lines at either end.
 */
export function extract(text: string, name: string | undefined): string {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const regions = regionsOf(lines.join('\n'));
  let chosen = lines;
  if (name !== undefined) {
    const region = regions.get(name);
    if (region === undefined) {
      const known = [...regions.keys()];
      throw new RegionError(`has no region \`${name}\` (${known.length === 0 ? 'it marks no regions' : `its regions: ${known.join(', ')}`})`, 'missing');
    }
    chosen = lines.slice(region.start, region.end);
  }
  return trimBlankEnds(dedent(chosen.filter((line) => markerOf(line) === undefined))).join('\n');
}
