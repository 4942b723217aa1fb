import { builder } from '../builder.ts';
import { live, visibleStatement } from '../visibility.ts';

export const TreatyProvision = builder.drizzleNode('treatyProvisions', {
  name: 'TreatyProvision',
  description: 'One article (provision) of a treaty, and the provisions it refers to.',
  id: { column: (provision) => provision.id },
  fields: (t) => ({
    treaty: t.relation('treaty'),
    number: t.exposeString('number', { description: 'As printed: "4", "XIX".' }),
    heading: t.exposeString('heading', { nullable: true }),
    text: t.exposeString('text', { nullable: true, description: 'The provision’s wording, where known.' }),
    summary: t.exposeString('summary', { nullable: true }),
    refersTo: t.relation('refersTo', {
      description: 'Provisions this one refers to, in this or another treaty.',
      query: { where: { RAW: live }, orderBy: { position: 'asc' } },
    }),
    referencedBy: t.relation('referencedBy', {
      description: 'Provisions that refer to this one.',
      query: { where: { RAW: live }, orderBy: { position: 'asc' } },
    }),
    statements: t.relatedConnection('statements', {
      description: 'Statements about this provision, newest first.',
      totalCount: true,
      query: (_args, ctx) => ({
        where: { RAW: visibleStatement(ctx) },
        orderBy: { saidOn: 'desc', id: 'desc' },
      }),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    version: t.exposeInt('version'),
  }),
});
