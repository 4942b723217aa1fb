import { z } from 'zod';
import { TREATY_ACTION_TYPES } from '../model.ts';
import { calendarDate, expectedVersion, nodeId, optionalText, sourceSpan, unchangedOr } from './common.ts';

export const createTreatyActionCommand = z.object({
  input: z.object({
    treatyId: nodeId('Treaty'),
    type: z.enum(TREATY_ACTION_TYPES),
    date: calendarDate.nullish(),
    actorId: nodeId('Actor').nullish(),
    bodyId: nodeId('Actor').nullish(),
    place: optionalText(200),
    description: optionalText(5000),
    source: sourceSpan.nullish(),
  }),
});
export type CreateTreatyActionCommand = z.output<typeof createTreatyActionCommand>;

export const updateTreatyActionCommand = z.object({
  id: nodeId('TreatyAction'),
  expectedVersion,
  input: z.object({
    type: unchangedOr(z.enum(TREATY_ACTION_TYPES)),
    date: calendarDate.nullish(),
    actorId: nodeId('Actor').nullish(),
    bodyId: nodeId('Actor').nullish(),
    place: optionalText(200),
    description: optionalText(5000),
    source: sourceSpan.nullish(),
  }),
});
export type UpdateTreatyActionCommand = z.output<typeof updateTreatyActionCommand>;
