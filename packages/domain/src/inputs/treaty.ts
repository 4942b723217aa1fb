import { z } from 'zod';
import {
  calendarDate,
  expectedVersion,
  idList,
  nodeId,
  optionalText,
  requiredText,
  slug,
  unchangedOr,
} from './common.ts';

// A treaty's status is not an input: it follows from its actions (treatyStatusFromActions).

const datesInOrder = (
  value: { signedOn?: string | null; entryIntoForceOn?: string | null },
  ctx: z.RefinementCtx,
) => {
  if (value.signedOn && value.entryIntoForceOn && value.entryIntoForceOn < value.signedOn) {
    ctx.addIssue({ code: 'custom', path: ['entryIntoForceOn'], message: 'must be on or after signedOn' });
  }
};

export const createTreatyCommand = z.object({
  input: z
    .object({
      title: requiredText(500),
      shortTitle: optionalText(200),
      slug: slug.nullish(),
      signedOn: calendarDate.nullish(),
      signedPlace: optionalText(200),
      entryIntoForceOn: calendarDate.nullish(),
      partyIds: idList('Actor', 200)
        .nullish()
        .transform((ids) => ids ?? []),
    })
    .superRefine(datesInOrder),
});
export type CreateTreatyCommand = z.output<typeof createTreatyCommand>;

export const updateTreatyCommand = z.object({
  id: nodeId('Treaty'),
  expectedVersion,
  input: z
    .object({
      title: unchangedOr(requiredText(500)),
      shortTitle: optionalText(200),
      slug: unchangedOr(slug),
      signedOn: calendarDate.nullish(),
      signedPlace: optionalText(200),
      entryIntoForceOn: calendarDate.nullish(),
      partyIds: unchangedOr(idList('Actor', 200)),
    })
    .superRefine(datesInOrder),
});
export type UpdateTreatyCommand = z.output<typeof updateTreatyCommand>;
