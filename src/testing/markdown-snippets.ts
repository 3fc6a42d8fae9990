// Code in a README is held to tested code the way the lessons are: a fenced TypeScript or
// JavaScript block must sit right under a marker naming the region it copies,
//     <!-- from: @/src/runners/bullmq/fixes/outbox.test.ts#place-order -->
// and must be that region, as the lessons' include shows it. (A README is read on GitHub,
// where an include cannot run, so the copy is in the file and this check keeps it true.)

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { extract } from '../../site/regions.ts';
import { messageOf } from '../errors.ts';

const FENCE = /^```(ts|typescript|js|javascript)\s*$/;
const MARKER = /^<!--\s*from:\s*@\/(\S+?)#([a-z0-9-]+)\s*-->\s*$/;

/** What is wrong with one markdown file's code blocks; empty when each copies its region. */
export function snippetProblems(markdown: string, readRepoFile: (relative: string) => string): string[] {
  const lines = markdown.split('\n');
  const problems: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!FENCE.test(lines[i] ?? '')) continue;
    const close = lines.findIndex((line, j) => j > i && line.startsWith('```'));
    if (close === -1) {
      problems.push(`line ${i + 1}: code block is never closed`);
      break;
    }
    const body = lines.slice(i + 1, close).join('\n');
    const previous = lines.slice(0, i).findLast((line) => line.trim() !== '') ?? '';
    const marker = MARKER.exec(previous);
    if (marker === null) {
      problems.push(`line ${i + 1}: code block has no \`<!-- from: @/path#region -->\` marker above it, so nothing holds it to tested code`);
    } else {
      const [, file = '', region = ''] = marker;
      try {
        const expected = extract(readRepoFile(file), region);
        if (expected !== body) problems.push(`line ${i + 1}: code block differs from ${file}#${region}; copy the region again`);
      } catch (error) {
        problems.push(`line ${i + 1}: ${file}#${region}: ${messageOf(error)}`);
      }
    }
    i = close;
  }
  return problems;
}

/** Reads a file by its path from the repo root. */
export function repoReader(root: string): (relative: string) => string {
  return (relative) => readFileSync(path.join(root, relative), 'utf8');
}
