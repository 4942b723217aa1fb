import { changedFields, presentSnapshot, REVISION_OPERATIONS } from '@chancery/domain/revisions';
import { canSeeUnpublished } from '@chancery/domain/viewer';
import { sql } from 'drizzle-orm';
import { builder } from '../builder.ts';
import { encodeGlobalId } from '../global-id.ts';
import { Actor } from './actor.ts';
import { Article } from './article.ts';
import { Statement } from './statement.ts';
import { Treaty } from './treaty.ts';
import { TreatyAction } from './treaty-action.ts';
import { TreatyProvision } from './treaty-provision.ts';

builder.scalarType('JSON', {
  description: 'Any JSON value.',
  serialize: (value) => value,
  parseValue: (value) => value,
});

const RevisionOperation = builder.enumType('RevisionOperation', {
  values: REVISION_OPERATIONS,
  description:
    'What a change did. MERGE: an actor was merged, or a record changed because it referred to the merged actor.',
});

builder.drizzleObject('revisions', {
  name: 'Revision',
  description: 'One change to a record: who made it, when, and the record before and after.',
  fields: (t) => ({
    version: t.exposeInt('version', { description: 'The version the change produced.' }),
    operation: t.expose('operation', { type: RevisionOperation }),
    tokenName: t.exposeString('tokenName', {
      nullable: true,
      description: 'The name of the API token the change was made with.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the change was committed.' }),
    before: t.field({
      type: 'JSON',
      nullable: true,
      description:
        'The record before the change, with what it owns (roles, parties, paragraphs, mentions…); null for CREATE.',
      select: { columns: { nodeType: true, before: true } },
      resolve: (revision) => presentSnapshot(revision.nodeType, revision.before),
    }),
    after: t.field({
      type: 'JSON',
      nullable: true,
      description: 'The record after the change; null for PURGE.',
      select: { columns: { nodeType: true, after: true } },
      resolve: (revision) => presentSnapshot(revision.nodeType, revision.after),
    }),
    changedFields: t.stringList({
      description: 'The fields whose values the change altered.',
      select: { columns: { before: true, after: true } },
      resolve: (revision) => changedFields(revision.before, revision.after),
    }),
    node: t.field({
      type: 'ID',
      description: 'The ID of the record changed.',
      select: { columns: { nodeType: true, nodeId: true } },
      resolve: (revision) => encodeGlobalId(revision.nodeType, revision.nodeId),
    }),
  }),
});

// `revisions` on every record, newest first. History is editorial material: without an editor or
// admin token the connection is empty (and counts 0) rather than an error, so one query serves
// every role.
for (const ref of [Actor, Treaty, TreatyProvision, TreatyAction, Article, Statement]) {
  builder.drizzleObjectFields(ref as typeof Actor, (t) => ({
    revisions: t.relatedConnection('revisions', {
      description:
        'Every change to this record, newest first, with the record before and after. Empty unless the ' +
        'request carries an editor or admin token.',
      totalCount: true,
      query: (_args, ctx) => ({
        where: canSeeUnpublished(ctx.viewer) ? {} : { RAW: sql`false` },
        orderBy: { version: 'desc' },
      }),
    }),
  }));
}
