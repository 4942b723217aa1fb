import { describe, expect, it } from 'vitest';
import { likelyDuplicates, normalizeName } from './duplicates.ts';

const actor = (id: string, name: string, aliases: string[] = [], kind = 'PERSON') => ({
  id,
  name,
  kind,
  aliases,
});

describe('likely duplicate actors', () => {
  it('compares names case, accents and punctuation aside', () => {
    expect(normalizeName('  Müller, J. ')).toBe('muller j');
  });

  it('pairs actors sharing a name or an alias, and names a letter or two apart', () => {
    const pairs = likelyDuplicates([
      actor('1', 'Andrey Rudenko', ['Rudenko']),
      actor('2', 'Andrei Rudenko'),
      actor('3', 'A. Rudenko', ['rudenko']),
      actor('4', 'Russia', ['Moscow'], 'STATE'),
      actor('5', 'Moscow', [], 'ORGANIZATION'),
      actor('6', 'Lena Varga'),
      actor('7', 'Lena Vargas'),
      actor('8', 'Ines Kovac'),
    ]);
    expect(pairs.map(({ a, b, reason }) => `${a.id}-${b.id}: ${reason}`)).toEqual([
      '1-2: their names differ by a letter or two',
      '1-3: both are called “rudenko”',
      '6-7: their names differ by a letter or two',
    ]);
  });
});
