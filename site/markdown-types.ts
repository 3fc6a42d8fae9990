// The markdown-it types the site's plugins are written against: VitePress's own (it bundles
// markdown-it 14 with its types), so a plugin that type-checks here fits the renderer the build
// uses. The repo's markdown-it 15 types differ from them in private members only.

import type { MarkdownRenderer } from 'vitepress';

export type Markdown = MarkdownRenderer;
export type BlockRule = Parameters<Markdown['block']['ruler']['before']>[2];
export type InlineRule = Parameters<Markdown['inline']['ruler']['before']>[2];
export type RenderRule = NonNullable<Markdown['renderer']['rules']['fence']>;
