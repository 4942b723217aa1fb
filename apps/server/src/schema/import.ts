// importStory: a wire story's text in, the records it makes (or, with dryRun, would make) out. The
// same importer as `chancery import` (@chancery/db/import): actors and treaties resolved against the
// stored ones, statements and mentions with their exact spans, each record with a revision.
import { importStoryAs, importStoryCommand } from '@chancery/db/import/command';
import type {
  ImportedActor,
  ImportedProvision,
  ImportedStatement,
  ImportedTreaty,
  StoryImportResult,
} from '@chancery/db/import/story';
import { decodeGlobalId } from '@chancery/domain/global-id';
import { parseCommand } from '@chancery/domain/inputs/common';
import { requireWriter } from '../auth.ts';
import { builder } from '../builder.ts';
import { Article } from './article.ts';
import { ActorKind, ArticleStatus, AttributionMethod, StatementKind } from './enums.ts';
import { mutationResult } from './mutation.ts';

const ImportOutcome = builder.enumType('ImportOutcome', {
  values: {
    CREATED: { description: 'A new article.' },
    UPDATED: { description: 'A new version of the stored article with the same slug (the story changed).' },
    UNCHANGED: { description: 'The same story is stored already; nothing was written.' },
  } as const,
});

const ImportChange = builder.enumType('ImportChange', {
  values: {
    CREATE: { description: 'A new statement.' },
    UPDATE: {
      description: 'A stored statement that changes (it moved, or its attribution by the rules did).',
    },
    KEEP: { description: 'A stored statement found again as it was.' },
  } as const,
});

const id = (description: string) => ({
  nullable: true as const,
  description: `${description} Null for a record a dry run would create.`,
});

const ImportedActorRef = builder.objectRef<ImportedActor>('ImportedActor').implement({
  description: 'An actor the story involves: a stored one it resolved to, or one it created.',
  fields: (t) => ({
    id: t.exposeID('id', id('The Actor’s ID.')),
    created: t.exposeBoolean('created', { description: 'False when the story named a stored actor.' }),
    name: t.exposeString('name'),
    slug: t.exposeString('slug'),
    kind: t.field({ type: ActorKind, resolve: (a) => a.kind as 'PERSON' | 'STATE' | 'ORGANIZATION' }),
    aliases: t.exposeStringList('aliases'),
    roles: t.exposeStringList('roles', {
      description: 'Role titles as the story gives them (new actors only).',
    }),
  }),
});

const ImportedTreatyRef = builder.objectRef<ImportedTreaty>('ImportedTreaty').implement({
  description: 'A treaty the story mentions: a stored one, or one it created.',
  fields: (t) => ({
    id: t.exposeID('id', id('The Treaty’s ID.')),
    created: t.exposeBoolean('created'),
    title: t.exposeString('title'),
    slug: t.exposeString('slug'),
    parties: t.exposeStringList('parties', { description: 'Names of the parties of a new treaty.' }),
  }),
});

const ImportedProvisionRef = builder.objectRef<ImportedProvision>('ImportedProvision').implement({
  description: 'An article of a treaty the story cites ("Article 4"): a stored provision, or one it created.',
  fields: (t) => ({
    id: t.exposeID('id', id('The TreatyProvision’s ID.')),
    created: t.exposeBoolean('created'),
    treaty: t.exposeString('treaty', { description: 'The treaty’s title.' }),
    number: t.exposeString('number'),
  }),
});

const ImportedStatementRef = builder.objectRef<ImportedStatement>('ImportedStatement').implement({
  description: 'A statement of the story, with its exact place in the paragraphs.',
  fields: (t) => ({
    id: t.exposeID('id', id('The Statement’s ID.')),
    change: t.field({
      type: ImportChange,
      resolve: (s) => s.change.toUpperCase() as 'CREATE' | 'UPDATE' | 'KEEP',
    }),
    kind: t.field({ type: StatementKind, resolve: (s) => s.kind as 'DIRECT' | 'INDIRECT' }),
    text: t.exposeString('text'),
    speaker: t.exposeString('speaker', {
      nullable: true,
      description: 'The speaker’s name; null when unknown.',
    }),
    speakerRole: t.exposeString('speakerRole', { nullable: true }),
    cue: t.exposeString('cue', { nullable: true }),
    saidOn: t.expose('saidOn', { type: 'Date' }),
    paragraph: t.exposeInt('paragraph'),
    start: t.exposeInt('start'),
    end: t.exposeInt('end'),
    attributionMethod: t.field({
      type: AttributionMethod,
      description:
        'RULES for what the importer attributed; MANUAL for an editor’s statement kept from before.',
      resolve: (s) => s.method,
    }),
    confidence: t.exposeFloat('confidence', {
      description: 'How sure the rules are of the speaker, 0 to 1.',
    }),
    treaties: t.exposeStringList('treaties', { description: 'Titles of the treaties it is about.' }),
    provisions: t.exposeStringList('provisions', { description: 'The provisions it is about.' }),
  }),
});

const ImportedArticleRef = builder.objectRef<StoryImportResult['article']>('ImportedArticle').implement({
  description: 'The article as the import stores it (or would).',
  fields: (t) => ({
    id: t.exposeID('id', id('The Article’s ID.')),
    slug: t.exposeString('slug'),
    headline: t.exposeString('headline'),
    version: t.exposeInt('version'),
    status: t.field({ type: ArticleStatus, resolve: (a) => a.status }),
    publishedAt: t.expose('publishedAt', { type: 'DateTime' }),
    publisher: t.exposeString('publisher', { nullable: true, description: 'The publisher’s name.' }),
    paragraphCount: t.exposeInt('paragraphs'),
  }),
});

const ImportStoryPayload = builder.objectRef<StoryImportResult>('ImportStoryPayload').implement({
  description: 'What importing the story did, or (dryRun) would do.',
  fields: (t) => ({
    outcome: t.field({
      type: ImportOutcome,
      resolve: (r) => r.outcome.toUpperCase() as 'CREATED' | 'UPDATED' | 'UNCHANGED',
    }),
    dryRun: t.exposeBoolean('dryRun', { description: 'True when nothing was written.' }),
    article: t.drizzleField({
      type: Article,
      nullable: true,
      description: 'The stored article (a draft until published); null in a dry run that would create it.',
      resolve: async (query, r, _args, ctx) => {
        const articleId = r.article.id ? decodeGlobalId(r.article.id)?.id : null;
        if (!articleId) return null;
        return ((await ctx.db.query.articles.findFirst(query({ where: { id: articleId } }))) ??
          null) as never;
      },
    }),
    preview: t.field({ type: ImportedArticleRef, resolve: (r) => r.article }),
    actors: t.field({ type: [ImportedActorRef], resolve: (r) => r.actors }),
    treaties: t.field({ type: [ImportedTreatyRef], resolve: (r) => r.treaties }),
    provisions: t.field({ type: [ImportedProvisionRef], resolve: (r) => r.provisions }),
    statements: t.field({ type: [ImportedStatementRef], resolve: (r) => r.statements }),
    mentionCount: t.exposeInt('mentions', { description: 'Spans naming an actor, a treaty or a provision.' }),
    removedStatementCount: t.exposeInt('removedStatements', {
      description: 'For a new version: statements the rules had found that the story no longer contains.',
    }),
    warnings: t.exposeStringList('warnings', {
      description: 'Guesses the import made (a year for the dateline).',
    }),
  }),
});

builder.mutationField('importStory', (t) =>
  t.field({
    type: ImportStoryPayload,
    description:
      'Imports a wire story (headline, standfirst, then one paragraph a line, the first opening with its dateline): ' +
      'the article (a DRAFT) with its statements and mentions, actors and treaties resolved against the stored ' +
      'ones or created. The same text again changes nothing; a changed story with the same headline becomes a ' +
      'new version of its article. Needs an editor or admin token.',
    args: {
      text: t.arg.string({ required: true, description: 'The story as in a .txt wire file.' }),
      publishedAt: t.arg.string({
        description:
          'When it was published: YYYY-MM-DD, an ISO 8601 instant, or a year for the dateline’s day (datelines ' +
          'have no year). Left out: the dateline’s day in the latest year that is not in the future.',
      }),
      publisherId: t.arg.id({
        description: 'The publisher (an Actor); left out: the agency named in the dateline.',
      }),
      dryRun: t.arg.boolean({ description: 'Only say what would be created; write nothing.' }),
    },
    errors: mutationResult('ImportStory'),
    resolve: (_root, args, ctx) => {
      const writer = requireWriter(ctx);
      return importStoryAs(writer, parseCommand(importStoryCommand, args));
    },
  }),
);
