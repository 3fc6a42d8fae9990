// Figure blocks with a renderer of their own, by scenario. A scenario not listed here gets the
// metric table and chart (metricFigure in block.ts).
//
// The failure lab's matrix (`scenario: lab`) is cells, not figures: lab-figure.ts renders it
// from bench/lab/matrix.ts, every value escaped and the outer element marked v-pre. The verdict
// (`scenario: verdict`) is rows per runner from bench/verdict.ts: verdict-figure.ts.

import type { BlockContext, BlockSpec } from './block.ts';
import { labFigure } from './lab-figure.ts';
import { verdictFigure } from './verdict-figure.ts';

export type ScenarioRenderer = (spec: BlockSpec, context: BlockContext) => string;

export const SCENARIO_RENDERERS: Readonly<Record<string, ScenarioRenderer>> = {
  lab: labFigure,
  verdict: verdictFigure,
};
