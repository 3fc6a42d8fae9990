// `need-a-queue site [--serve] [--out DIR] [--results FILE] [--no-build]`: builds the lessons
// site (VitePress over lessons/) with the figures of the reference run beside this machine's
// latest results, and with --serve serves it on a free local port until Ctrl-C.
// `npm start` ends with buildSiteAfterStart(), so its figures are on the pages at once.

import type { Command } from 'commander';
import { readResults } from '../../../bench/results.ts';
import { buildSite } from '../../../site/build.ts';
import { DEFAULT_OUT_DIR } from '../../../site/paths.ts';
import { serveSite } from '../../../site/serve.ts';

interface SiteFlags {
  readonly serve?: boolean;
  readonly out?: string;
  readonly results?: string;
  readonly build: boolean;
}

export function registerSite(program: Command): void {
  program
    .command('site')
    .description('build the lessons site (reference figures beside your latest results); --serve also serves it on a free local port')
    .option('--serve', 'serve the built site on 127.0.0.1 and print its URL, until Ctrl-C')
    .option('--out <dir>', `where the site goes (default: ${DEFAULT_OUT_DIR})`)
    .option('--results <file>', 'this machine’s results file to show (default: the newest in bench/results/)')
    .option('--no-build', 'serve what was built last, without building again')
    .action(async (flags: SiteFlags) => {
      // A bad results file is named before a half-minute build, not in the middle of it.
      if (flags.results !== undefined) readResults(flags.results);
      const outDir = flags.build ? await build(flags) : (flags.out ?? DEFAULT_OUT_DIR);
      if (flags.serve === true) await serveUntilInterrupted(outDir);
    });
}

async function build(flags: SiteFlags): Promise<string> {
  const { outDir, ms } = await buildSite({ ...(flags.out === undefined ? {} : { outDir: flags.out }), ...(flags.results === undefined ? {} : { results: flags.results }) });
  process.stdout.write(`site built in ${(ms / 1000).toFixed(1)} s: ${outDir}\n`);
  return outDir;
}

async function serveUntilInterrupted(outDir: string): Promise<void> {
  const site = await serveSite(outDir);
  process.stdout.write(`reading the site at ${site.url}  (Ctrl-C to stop)\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.removeListener('SIGINT', stop);
      process.removeListener('SIGTERM', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await site.close();
  process.stdout.write('stopped\n');
}

/** What `npm start` does last: the site from the results just written, and how to read it. */
export async function buildSiteAfterStart(): Promise<void> {
  process.stdout.write('\nbuilding the lessons site with these figures beside the reference run…\n');
  const { ms } = await buildSite();
  process.stdout.write(`site built in ${(ms / 1000).toFixed(1)} s. Read it: npx need-a-queue site --serve --no-build\n`);
}
