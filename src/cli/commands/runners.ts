// `need-a-queue runners`: every runner with the traits it declares (and the conformance
// suite proves), so a reader can see the trade-offs in one table.

import type { Command } from 'commander';
import { createRunner, runnerIds, servicesFor } from '../../runners/registry.ts';

export function registerRunners(program: Command): void {
  program
    .command('runners')
    .description('list the runners and the guarantees each declares')
    .action(async () => {
      const rows: string[][] = [['runner', 'durable', 'delivery', 'result', 'retries', 'isolation', 'scope', 'options', 'needs']];
      for (const id of runnerIds) {
        // Traits are static, but only a runner instance has them; in-process ones are cheap.
        const needs = servicesFor(id);
        const traits = needs.length === 0 ? (await withRunner(id)) : undefined;
        rows.push(
          traits === undefined
            ? [id, '(see lessons)', '', '', '', '', '', '', needs.join(', ')]
            : [id, String(traits.durable), traits.delivery, String(traits.result), String(traits.retries), traits.isolation, traits.scope, traits.options.join(' ') || '-', '-'],
        );
      }
      process.stdout.write(formatTable(rows));
    });
}

async function withRunner(id: (typeof runnerIds)[number]) {
  const runner = await createRunner(id);
  await runner.stop({ drain: false });
  return runner.traits;
}

/** Left-aligned columns with a rule under the header. */
export function formatTable(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  const line = (row: readonly string[]) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  const [header, ...body] = rows;
  if (header === undefined) return '';
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n') + '\n';
}
