#!/usr/bin/env node
// The `need-a-queue` command (also `npx need-a-queue`): registers tsx so the TypeScript
// sources run as they are, with no build step between reading the code and running it.
// npm scripts use this file too, not the `tsx` command: tsx's wrapper relays Ctrl-C to its
// child and SIGKILLs it when the child does not answer within 30 ms, which a benchmark busy on
// the main thread cannot, so a Ctrl-C lost the results and left private servers behind.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
