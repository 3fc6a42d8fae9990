// Where the site's sources are, from this file's place in the repo: the site root (site/), the
// pages (lessons/), the repo root that `<<< @/path` resolves against, and the default output.

import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const SITE_ROOT = fileURLToPath(new URL('.', import.meta.url));
export const LESSONS_DIR = fileURLToPath(new URL('../lessons', import.meta.url));
export const DEFAULT_OUT_DIR = fileURLToPath(new URL('./.vitepress/dist', import.meta.url));
