import { describe, expect, it } from 'vitest';
import { encodeGlobalId } from './global-id.ts';
import { changedFields, presentSnapshot } from './revisions.ts';

const id = '5d0e6b8e-1c1b-4a8e-9c55-6f0c3a0e2b11';
const other = '0b7c1f0e-2d2e-4f3a-8b66-7a1d4b1f3c22';

describe('presentSnapshot', () => {
  it('shows field names in camelCase and node references as API IDs, without owned rows’ internal IDs', () => {
    expect(
      presentSnapshot('Statement', {
        id,
        speaker_id: other,
        said_on: '2024-10-24',
        treaties: [other],
        version: 2,
      }),
    ).toEqual({
      id: encodeGlobalId('Statement', id),
      speakerId: encodeGlobalId('Actor', other),
      saidOn: '2024-10-24',
      treaties: [encodeGlobalId('Treaty', other)],
      version: 2,
    });
    expect(
      presentSnapshot('Actor', { id, roles: [{ id: other, title: 'Envoy', organization_id: other }] }),
    ).toEqual({
      id: encodeGlobalId('Actor', id),
      roles: [{ title: 'Envoy', organizationId: encodeGlobalId('Actor', other) }],
    });
    expect(presentSnapshot('Actor', null)).toBeNull();
  });
});

describe('changedFields', () => {
  it('lists what a change altered, deeply, leaving out bookkeeping', () => {
    const before = { id, version: 1, updated_at: 'a', name: 'A', roles: [{ title: 'x' }], description: null };
    expect(
      changedFields(before, { ...before, version: 2, updated_at: 'b', roles: [{ title: 'y' }] }),
    ).toEqual(['roles']);
    expect(changedFields(before, { ...before, description: undefined })).toEqual([]);
    expect(changedFields(null, { id, name: 'A', aliases: [] })).toEqual(['aliases', 'name']);
  });
});
