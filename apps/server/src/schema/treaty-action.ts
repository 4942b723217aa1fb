import { builder } from '../builder.ts';
import { visibleArticle } from '../visibility.ts';
import { TreatyActionType } from './enums.ts';
import { SourceSpan } from './source-span.ts';

export const TreatyAction = builder.drizzleNode('treatyActions', {
  name: 'TreatyAction',
  description: 'An event in a treaty’s life: signature, submission for ratification, entry into force…',
  id: { column: (action) => action.id },
  fields: (t) => ({
    treaty: t.relation('treaty'),
    type: t.expose('type', { type: TreatyActionType }),
    date: t.expose('date', { type: 'Date', nullable: true }),
    actor: t.relation('actor', { nullable: true, description: 'Who acted: Vladimir Putin.' }),
    body: t.relation('body', { nullable: true, description: 'Where it happened: the State Duma.' }),
    place: t.exposeString('place', { nullable: true }),
    description: t.exposeString('description', { nullable: true }),
    source: t.field({
      type: SourceSpan,
      nullable: true,
      description: 'The story that reports the action, where there is one.',
      select: (_args, ctx, nestedSelection) => ({
        columns: { sourceParagraph: true, sourceStart: true, sourceEnd: true, sourceText: true },
        with: {
          // A draft story's span stays hidden from readers, like the story itself.
          sourceArticle: nestedSelection({ where: { RAW: visibleArticle(ctx) } }, ['article']),
          sourceParagraphRow: { columns: { text: true } },
        },
      }),
      resolve: (action) =>
        action.sourceArticle && action.sourceParagraphRow
          ? {
              article: action.sourceArticle,
              paragraph: action.sourceParagraph as number,
              start: action.sourceStart as number,
              end: action.sourceEnd as number,
              text: action.sourceText as string,
              paragraphText: action.sourceParagraphRow.text,
            }
          : null,
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    version: t.exposeInt('version'),
  }),
});
