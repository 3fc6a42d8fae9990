// Figure blocks with a renderer of their own, by scenario. A scenario not listed here gets the
// metric table and chart (metricFigure in block.ts).
//
// The failure lab's matrix plugs in here: `scenario: lab` renders with the function the lab
// adds to this table (it receives the block's options and the results files, and returns the
// block's HTML, every value escaped and the outer element marked v-pre). Until then a page that
// uses it fails the build saying so.

import { SiteSourceError } from '../../src/errors.ts';
import type { BlockContext, BlockSpec } from './block.ts';

export type ScenarioRenderer = (spec: BlockSpec, context: BlockContext) => string;

export const SCENARIO_RENDERERS: Readonly<Record<string, ScenarioRenderer>> = {
  lab: (_spec, context) => {
    throw new SiteSourceError(context.where, 'the failure-lab matrix (`scenario: lab`) has no renderer yet', 'the lab adds one to site/figures/renderers.ts; until then show the fault tests\' own counts');
  },
};
