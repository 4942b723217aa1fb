import { z } from 'zod';
import { expectedVersion, idList, nodeId, optionalText, requiredText, unchangedOr } from './common.ts';

const provisionNumber = requiredText(40);
const position = z.number().int('must be a whole number').min(0, 'must be 0 or more');

export const createTreatyProvisionCommand = z.object({
  input: z.object({
    treatyId: nodeId('Treaty'),
    number: provisionNumber,
    position: position.nullish(),
    heading: optionalText(500),
    text: optionalText(100_000),
    summary: optionalText(5000),
    refersToIds: idList('TreatyProvision', 100)
      .nullish()
      .transform((ids) => ids ?? []),
  }),
});
export type CreateTreatyProvisionCommand = z.output<typeof createTreatyProvisionCommand>;

export const updateTreatyProvisionCommand = z.object({
  id: nodeId('TreatyProvision'),
  expectedVersion,
  input: z.object({
    number: unchangedOr(provisionNumber),
    position: unchangedOr(position),
    heading: optionalText(500),
    text: optionalText(100_000),
    summary: optionalText(5000),
    refersToIds: unchangedOr(idList('TreatyProvision', 100)),
  }),
});
export type UpdateTreatyProvisionCommand = z.output<typeof updateTreatyProvisionCommand>;
