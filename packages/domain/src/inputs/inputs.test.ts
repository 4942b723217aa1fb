import { describe, expect, it } from 'vitest';
import { encodeGlobalId } from '../global-id.ts';
import { ValidationError } from '../write-errors.ts';
import { updateActorCommand } from './actor.ts';
import { createArticleCommand } from './article.ts';
import { parseCommand } from './common.ts';

const actorId = encodeGlobalId('Actor', '5d0e6b8e-1c1b-4a8e-9c55-6f0c3a0e2b11');

function errorsOf(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error.fieldErrors;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('input schemas', () => {
  it('parse IDs to database ids, trim text and keep left-out fields unchanged (undefined)', () => {
    const command = parseCommand(updateActorCommand, {
      id: actorId,
      expectedVersion: 3,
      input: { name: '  Sergey Lavrov ', description: '', countryCode: 'ru' },
    });
    expect(command).toEqual({
      id: '5d0e6b8e-1c1b-4a8e-9c55-6f0c3a0e2b11',
      expectedVersion: 3,
      input: { name: 'Sergey Lavrov', description: null, countryCode: 'RU' },
    });
  });

  it('report every problem with the path of the value to fix', () => {
    expect(
      errorsOf(() =>
        parseCommand(updateActorCommand, {
          id: encodeGlobalId('Treaty', '5d0e6b8e-1c1b-4a8e-9c55-6f0c3a0e2b11'),
          expectedVersion: 1.5,
          input: { name: null, aliases: ['A', 'a'], roles: [{ title: 'x', startDate: '2024-02-30' }] },
        }),
      ),
    ).toEqual([
      { path: ['id'], message: 'is the ID of a Treaty; expected the ID of a Actor' },
      { path: ['expectedVersion'], message: 'must be a whole number' },
      { path: ['input', 'name'], message: 'cannot be null; leave the field out to keep its value' },
      { path: ['input', 'aliases', '1'], message: 'is listed twice' },
      { path: ['input', 'roles', '0', 'startDate'], message: 'must be a real calendar date as YYYY-MM-DD' },
    ]);
  });

  it('keep paragraph text exactly as given', () => {
    const command = parseCommand(createArticleCommand, {
      input: { headline: 'H', paragraphs: ['  Indented.  '] },
    });
    expect(command.input.paragraphs).toEqual(['  Indented.  ']);
    expect(command.input.language).toBe('en');
  });
});
