import { z } from 'zod';
import { ATTRIBUTION_METHODS, STATEMENT_KINDS } from '../model.ts';
import {
  calendarDate,
  expectedVersion,
  idList,
  nodeId,
  optionalText,
  sourceSpan,
  textSpan,
  unchangedOr,
} from './common.ts';

const attribution = z
  .object({
    method: z.enum(ATTRIBUTION_METHODS),
    confidence: z.number().min(0, 'must be from 0 to 1').max(1, 'must be from 0 to 1').nullish(),
  })
  .superRefine((value, ctx) => {
    if (value.method === 'MANUAL' && value.confidence != null && value.confidence !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['confidence'],
        message: 'must be 1 (or left out) for a MANUAL attribution: an editor is certain',
      });
    }
    if (value.method === 'RULES' && value.confidence == null) {
      ctx.addIssue({
        code: 'custom',
        path: ['confidence'],
        message: 'is required for a RULES attribution (0 to 1)',
      });
    }
  })
  .transform((value) => ({ method: value.method, confidence: value.confidence ?? 1 }));

/** What a statement is, apart from where it stands. */
const statementFields = {
  kind: z.enum(STATEMENT_KINDS),
  speakerId: nodeId('Actor').nullish(),
  speakerRole: optionalText(300),
  cue: optionalText(100),
  /** Defaults to the day the article was published. */
  saidOn: calendarDate.nullish(),
  occasion: optionalText(500),
  /** Treaties the statement is about; the treaties of `provisionIds` are added to them. */
  treatyIds: idList('Treaty', 50).nullish(),
  provisionIds: idList('TreatyProvision', 100).nullish(),
  attribution: attribution.nullish(),
};

/** A statement written together with its article: the span is in that article. */
export const articleStatement = z.object({ source: textSpan, ...statementFields });
export type ArticleStatementInput = z.output<typeof articleStatement>;

export const createStatementCommand = z.object({
  input: z.object({ source: sourceSpan, ...statementFields }),
});
export type CreateStatementCommand = z.output<typeof createStatementCommand>;

export const updateStatementCommand = z.object({
  id: nodeId('Statement'),
  expectedVersion,
  input: z.object({
    source: unchangedOr(sourceSpan),
    kind: unchangedOr(z.enum(STATEMENT_KINDS)),
    speakerId: nodeId('Actor').nullish(),
    speakerRole: optionalText(300),
    cue: optionalText(100),
    saidOn: unchangedOr(calendarDate),
    occasion: optionalText(500),
    treatyIds: unchangedOr(idList('Treaty', 50)),
    provisionIds: unchangedOr(idList('TreatyProvision', 100)),
    attribution: unchangedOr(attribution),
  }),
});
export type UpdateStatementCommand = z.output<typeof updateStatementCommand>;
