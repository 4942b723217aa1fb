import { z } from 'zod';
import { ACTOR_KINDS } from '../model.ts';
import {
  calendarDate,
  expectedVersion,
  nodeId,
  optionalText,
  requiredText,
  slug,
  unchangedOr,
} from './common.ts';

const actorRole = z
  .object({
    title: requiredText(300),
    organizationId: nodeId('Actor').nullish(),
    startDate: calendarDate.nullish(),
    endDate: calendarDate.nullish(),
  })
  .superRefine((role, ctx) => {
    if (role.startDate && role.endDate && role.endDate < role.startDate) {
      ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'must be on or after startDate' });
    }
  });
export type ActorRoleInput = z.output<typeof actorRole>;

const aliases = z
  .array(requiredText(200))
  .max(50, 'must have at most 50 aliases')
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((alias, index) => {
      const key = alias.toLowerCase();
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [index], message: 'is listed twice' });
      seen.add(key);
    });
  });

const countryCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{2}$/, 'must be two letters (ISO 3166-1 alpha-2), e.g. RU');

const wikidataId = z
  .string()
  .trim()
  .regex(/^Q[1-9][0-9]*$/, 'must be a Wikidata item ID: Q and digits, e.g. Q7747');

const roles = z.array(actorRole).max(50, 'must have at most 50 roles');

export const createActorCommand = z.object({
  input: z.object({
    name: requiredText(200),
    slug: slug.nullish(),
    kind: z.enum(ACTOR_KINDS),
    aliases: aliases.nullish().transform((list) => list ?? []),
    description: optionalText(5000),
    countryCode: countryCode.nullish().transform((code) => code ?? null),
    wikidataId: wikidataId.nullish().transform((id) => id ?? null),
    roles: roles.nullish().transform((list) => list ?? []),
  }),
});
export type CreateActorCommand = z.output<typeof createActorCommand>;

export const updateActorCommand = z.object({
  id: nodeId('Actor'),
  expectedVersion,
  input: z.object({
    name: unchangedOr(requiredText(200)),
    slug: unchangedOr(slug),
    kind: unchangedOr(z.enum(ACTOR_KINDS)),
    aliases: unchangedOr(aliases),
    description: optionalText(5000),
    countryCode: countryCode.nullish(),
    wikidataId: wikidataId.nullish(),
    roles: unchangedOr(roles),
  }),
});
export type UpdateActorCommand = z.output<typeof updateActorCommand>;

export const mergeActorsCommand = z
  .object({
    sourceId: nodeId('Actor'),
    targetId: nodeId('Actor'),
    expectedSourceVersion: expectedVersion.nullish(),
    expectedTargetVersion: expectedVersion.nullish(),
  })
  .superRefine((command, ctx) => {
    if (command.sourceId === command.targetId) {
      ctx.addIssue({
        code: 'custom',
        path: ['targetId'],
        message: 'must be a different actor from sourceId',
      });
    }
  });
export type MergeActorsCommand = z.output<typeof mergeActorsCommand>;
