import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareSchemas, describeReport } from '../scripts/schema-compat.ts';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');
const released = read('../schema.released.graphql');

describe('npm run schema:check', () => {
  it('finds no unacknowledged breaking change between the released and the current schema', async () => {
    const report = await compareSchemas({
      released,
      current: read('../../../apps/server/schema.graphql'),
      acknowledgements: JSON.parse(read('../schema-acknowledged.json')),
    });
    expect(describeReport(report).join('\n')).not.toMatch(/✗/);
    expect(report.ok).toBe(true);
  });

  const withoutProvisionText = released.replace(
    '  """The provision’s wording, where known."""\n  text: String\n',
    '',
  );

  it('fails on a breaking change, and passes once it is acknowledged with a reason', async () => {
    expect(withoutProvisionText).not.toBe(released);
    const refused = await compareSchemas({
      released,
      current: withoutProvisionText,
      acknowledgements: { acknowledged: [] },
    });
    expect(refused.ok).toBe(false);
    expect(refused.breaking.map((c) => [c.type, c.path])).toEqual([
      ['FIELD_REMOVED', 'TreatyProvision.text'],
    ]);
    expect(describeReport(refused).join('\n')).toMatch(
      /✗ Field 'text' was removed from object type 'TreatyProvision'/,
    );

    const accepted = await compareSchemas({
      released,
      current: withoutProvisionText,
      acknowledgements: {
        acknowledged: [
          { type: 'FIELD_REMOVED', path: 'TreatyProvision.text', reason: 'moved to TreatyProvision.wording' },
        ],
      },
    });
    expect(accepted.ok).toBe(true);
    expect(accepted.acknowledged.map((a) => a.reason)).toEqual(['moved to TreatyProvision.wording']);
  });

  it('refuses an acknowledgement without a reason and reports stale ones', async () => {
    const noReason = await compareSchemas({
      released,
      current: withoutProvisionText,
      acknowledgements: {
        acknowledged: [{ type: 'FIELD_REMOVED', path: 'TreatyProvision.text', reason: ' ' }],
      },
    });
    expect(noReason.ok).toBe(false);
    expect(noReason.invalid).toEqual(['acknowledged[0] needs "type", "path" and a non-empty "reason"']);
    const stale = await compareSchemas({
      released,
      current: released,
      acknowledgements: { acknowledged: [{ type: 'FIELD_REMOVED', path: 'Actor.name', reason: 'old' }] },
    });
    expect(stale.ok).toBe(true);
    expect(stale.stale).toEqual([{ type: 'FIELD_REMOVED', path: 'Actor.name', reason: 'old' }]);
  });

  it('takes additions and outputs that become non-null as safe', async () => {
    const grown = released
      .replace('  occasion: String\n', '  occasion: String!\n  quotedFrom: String\n')
      .replace('type Query {', 'type Query {\n  health: String!\n');
    const report = await compareSchemas({ released, current: grown, acknowledgements: { acknowledged: [] } });
    expect(report.ok).toBe(true);
    expect(report.breaking).toEqual([]);
    expect(report.safe.map((c) => c.type).sort()).toEqual([
      'FIELD_ADDED',
      'FIELD_ADDED',
      'FIELD_TYPE_CHANGED',
    ]);
  });
});
