import { describe, expect, it } from 'vitest';
import { lookupValue } from '../../jobs/catalogue.ts';
import { LookupRegistry } from './lookup-registry.ts';

describe('the lookup registry (the seed\'s shape)', () => {
  it('answers not found for a key never added', async () => {
    const registry = await LookupRegistry.start();
    await expect(registry.find('nobody')).resolves.toEqual({ found: false });
  });

  it('finds the computed value of a key added just before (add casts, find calls, in order)', async () => {
    const registry = await LookupRegistry.start();
    registry.add('alpha');
    await expect(registry.find('alpha')).resolves.toEqual({ found: true, value: lookupValue('alpha') });
  });
});
