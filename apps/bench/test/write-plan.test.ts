import { describe, expect, it } from 'vitest';
import { bindWriteParams, decodeVariables, type ParamSource } from '../src/floor-plan.ts';
import { createStatementScenario, spanFor } from '../src/write-scenario.ts';

const paragraphs = Array.from({ length: 8 }, (_, p) => `${p}`.repeat(600));

describe('the write scenario', () => {
  it('gives every request of a long run its own span, inside its paragraph', () => {
    const seen = new Set<string>();
    let outside = 0;
    for (let k = 0; k < 50_000; k++) {
      const span = spanFor(k, paragraphs);
      if (span.start < 0 || span.end > 600 || span.end - span.start < 40) outside++;
      seen.add(`${span.paragraph}:${span.start}:${span.end}`);
    }
    expect(outside).toBe(0);
    expect(seen.size).toBe(50_000);
  });

  it('decodes a nested input by path, global IDs to their database ids', () => {
    const fixture = {
      articleId: '00000000-0000-4000-8000-000000000001',
      speakerId: '00000000-0000-4000-8000-000000000002',
      provisionId: '00000000-0000-4000-8000-000000000003',
      paragraphs,
    };
    const decoded = decodeVariables(
      createStatementScenario.variables(fixture, { paragraph: 3, start: 37, end: 101 }),
    );
    expect(decoded.get('input.source.articleId')).toBe(fixture.articleId);
    expect(decoded.get('input.source.start')).toBe(37);
    expect(decoded.get('input.source.text')).toBe('3'.repeat(64));
    expect(decoded.get('input.speakerId')).toBe(fixture.speakerId);
    expect(decoded.get('input.provisionIds.0')).toBe(fixture.provisionId);
    expect(decoded.get('input.kind')).toBe('DIRECT');
  });
});

describe('binding a write plan', () => {
  it('shares a new id between statements and takes columns of earlier rows', () => {
    let made = 0;
    const bindings = {
      decoded: new Map<string, unknown>([['input.kind', 'DIRECT']]),
      results: [[{ name: 'bench-writer', snapshot: { id: 'x', n: 1 } }]],
      fresh: new Map<number, string>(),
      bearerSha256: 'abc',
      newId: () => `id-${++made}`,
    };
    const params: ParamSource[] = [
      { fresh: 0 },
      { variable: 'input.kind' },
      { result: 0, column: 'name' },
      { result: 0, column: 'snapshot', json: true },
      { bearerSha256: true },
      { value: 1 },
      { fresh: 0 },
    ];
    expect(bindWriteParams(params, bindings)).toEqual([
      'id-1',
      'DIRECT',
      'bench-writer',
      '{"id":"x","n":1}',
      'abc',
      1,
      'id-1',
    ]);
    expect(bindWriteParams([{ fresh: 0 }], { ...bindings, fresh: new Map() })).toEqual(['id-2']);
  });
});
