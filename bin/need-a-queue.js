#!/usr/bin/env node
// The `need-a-queue` command (also `npx need-a-queue`): registers tsx so the TypeScript
// sources run as they are, with no build step between reading the code and running it.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
