import { describe, expect, it } from 'vitest';
import { mergedActorFields, mergeProblem, rolesToAdd } from './actor-merge.ts';

describe('merging actors', () => {
  it('keeps the target’s fields, adds the source’s names as aliases and fills gaps', () => {
    expect(
      mergedActorFields(
        { name: 'North Korea', aliases: ['DPRK'], description: null, countryCode: 'KP', wikidataId: null },
        {
          name: 'DPR Korea',
          aliases: ['dprk', 'Chosun'],
          description: 'A state.',
          countryCode: 'KR',
          wikidataId: 'Q423',
        },
      ),
    ).toEqual({
      name: 'North Korea',
      aliases: ['DPRK', 'DPR Korea', 'Chosun'],
      description: 'A state.',
      countryCode: 'KP',
      wikidataId: 'Q423',
    });
  });

  it('adds only the roles the target does not hold', () => {
    const role = { title: 'Envoy', organizationId: 'o', startDate: null, endDate: null };
    expect(
      rolesToAdd(
        [role],
        [
          { ...role, title: 'envoy' },
          { ...role, title: 'Minister' },
        ],
      ),
    ).toEqual([{ ...role, title: 'Minister' }]);
  });

  it('refuses records that cannot be one actor', () => {
    expect(mergeProblem({ kind: 'STATE', wikidataId: null }, { kind: 'PERSON', wikidataId: null })).toMatch(
      /different kinds/,
    );
    expect(mergeProblem({ kind: 'STATE', wikidataId: 'Q1' }, { kind: 'STATE', wikidataId: 'Q2' })).toMatch(
      /different Wikidata IDs/,
    );
    expect(mergeProblem({ kind: 'STATE', wikidataId: 'Q1' }, { kind: 'STATE', wikidataId: null })).toBeNull();
  });
});
