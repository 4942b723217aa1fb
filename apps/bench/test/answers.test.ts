// The comparison of Chancery's answers with PostGraphile's, and what the bench reads from EXPLAIN.
import { encodeGlobalId } from '@chancery/domain/global-id';
import { describe, expect, it } from 'vitest';
import { comparableAnswer, firstDifference, uuidOf } from '../src/answers.ts';
import { explainSummary } from '../src/setup.ts';

const A = '0b7e9a8e-4c1f-4f7a-9a53-1f2e3d4c5b6a';
const B = '5d1c2b3a-7e6f-4a9b-8c7d-6e5f4a3b2c1d';
const postgraphileId = (table: string, uuid: string) =>
  Buffer.from(JSON.stringify([table, uuid])).toString('base64');

describe('uuidOf', () => {
  it('reads the uuid out of a Chancery ID and a PostGraphile one', () => {
    expect(uuidOf(encodeGlobalId('Statement', A))).toBe(A);
    expect(uuidOf(postgraphileId('statements', A))).toBe(A);
  });
  it('refuses anything else', () => {
    expect(() => uuidOf(Buffer.from('"x"').toString('base64'))).toThrow(/neither/);
  });
});

describe('comparableAnswer', () => {
  const chancery = (ids: string[]) => ({
    statements: {
      nodes: ids.map((id) => ({
        id: encodeGlobalId('Statement', id),
        text: `said ${id}`,
        saidOn: '2026-01-02',
        speaker: { name: 'Ivo Aura' },
        source: { article: { headline: 'H' } },
      })),
    },
  });
  const peer = (ids: string[]) => ({
    allStatements: {
      nodes: ids.map((id) => ({
        id: postgraphileId('statements', id),
        text: `said ${id}`,
        saidOn: '2026-01-02',
        actorBySpeakerId: { name: 'Ivo Aura' },
        articleByArticleId: { headline: 'H' },
      })),
    },
  });

  it('finds the same statements in the same order equal', () => {
    expect(
      firstDifference(
        comparableAnswer('latest', 'peer', peer([A, B])),
        comparableAnswer('latest', 'chancery', chancery([A, B])),
      ),
    ).toBeNull();
  });

  it('tells another order apart', () => {
    expect(
      firstDifference(
        comparableAnswer('latest', 'peer', peer([B, A])),
        comparableAnswer('latest', 'chancery', chancery([A, B])),
      ),
    ).toMatch(/^\$\[0\]\.id/);
  });

  it('compares treaties by parties as a set and by how many statements each provision shows', () => {
    const mine = {
      treaties: {
        nodes: [
          {
            title: 'T',
            parties: [{ name: 'Zanania' }, { name: 'Korastan' }],
            provisions: [{ number: '1', statements: { nodes: [{ text: 'a' }, { text: 'b' }] } }],
          },
        ],
      },
    };
    const theirs = (links: number) => ({
      allTreaties: {
        nodes: [
          {
            title: 'T',
            treatyPartiesByTreatyId: {
              nodes: [{ actorByActorId: { name: 'Korastan' } }, { actorByActorId: { name: 'Zanania' } }],
            },
            treatyProvisionsByTreatyId: {
              nodes: [
                {
                  number: '1',
                  statementProvisionsByProvisionId: {
                    nodes: Array.from({ length: links }, (_, i) => ({
                      statementByStatementId: { text: `x${i}` },
                    })),
                  },
                },
              ],
            },
          },
        ],
      },
    });
    const expected = comparableAnswer('treaties', 'chancery', mine);
    expect(firstDifference(comparableAnswer('treaties', 'peer', theirs(2)), expected)).toBeNull();
    expect(firstDifference(comparableAnswer('treaties', 'peer', theirs(3)), expected)).toMatch(
      /statements: 3 ≠ 2/,
    );
  });
});

describe('firstDifference', () => {
  it('names the path of the first difference', () => {
    expect(firstDifference({ a: [1, { b: 2 }] }, { a: [1, { b: 3 }] })).toBe('$.a[1].b: 2 ≠ 3');
    expect(firstDifference({ a: 1 }, { a: 1, c: 2 })).toBe('$.c: present on one side only');
    expect(firstDifference([1], [1, 2])).toBe('$: 1 items ≠ 2');
  });
});

describe('explainSummary', () => {
  it('collects the indexes a plan uses and the tables it reads whole', () => {
    const plan = [
      {
        Plan: {
          'Node Type': 'Limit',
          Plans: [
            {
              'Node Type': 'Index Scan',
              'Index Name': 'statements_said_on_idx',
              'Relation Name': 'statements',
            },
            { 'Node Type': 'Seq Scan', 'Relation Name': 'treaties' },
          ],
        },
      },
    ];
    expect(explainSummary(plan)).toEqual({ indexes: ['statements_said_on_idx'], seqScans: ['treaties'] });
  });
});
