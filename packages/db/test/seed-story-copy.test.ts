// The seed story exists twice: packages/db/seed/ (what the seed loads) and the domain corpus
// (what the extraction tests and eval:extraction read beside its gold file). They must not drift.
import { readSeedStory } from '@chancery/db/seed';
import { seedStory } from '@chancery/domain/wire/test-corpus';
import { expect, it } from 'vitest';

it('loads the same seed story text the corpus labels', () => {
  expect(readSeedStory()).toBe(seedStory().text);
});
