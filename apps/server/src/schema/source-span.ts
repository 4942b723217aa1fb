import type { articles } from '@chancery/db/schema';
import { builder } from '../builder.ts';
import { Article } from './article.ts';

type ArticleRow = typeof articles.$inferSelect;

export type SourceSpanShape = {
  article: ArticleRow;
  paragraph: number;
  start: number;
  end: number;
  text: string;
  /** Loaded only when the document selects it (see Statement.source). */
  paragraphText?: string;
};

export const SourceSpan = builder.objectRef<SourceSpanShape>('SourceSpan').implement({
  description:
    'Where a fact came from: characters `start`..`end` of paragraph `paragraph` of `article`. ' +
    'Always `article.paragraphs[paragraph].text.slice(start, end) == text`.',
  fields: (t) => ({
    article: t.field({ type: Article, resolve: (span) => span.article }),
    paragraph: t.exposeInt('paragraph', { description: 'Index of the paragraph, from 0.' }),
    start: t.exposeInt('start', { description: 'Offset of the first character, in UTF-16 code units.' }),
    end: t.exposeInt('end', { description: 'Offset just past the last character.' }),
    text: t.exposeString('text'),
    paragraphText: t.string({
      description: 'The whole source paragraph.',
      resolve: (span) => {
        if (span.paragraphText === undefined) throw new Error('The source paragraph was not loaded');
        return span.paragraphText;
      },
    }),
  }),
});

export type TextSpanShape = { paragraph: number; start: number; end: number; text: string };

export const TextSpan = builder.objectRef<TextSpanShape>('TextSpan').implement({
  description: 'A span of the enclosing article: characters `start`..`end` of paragraph `paragraph`.',
  fields: (t) => ({
    paragraph: t.exposeInt('paragraph'),
    start: t.exposeInt('start'),
    end: t.exposeInt('end'),
    text: t.exposeString('text'),
  }),
});

// Spans in writes. Without `start` and `end`, the text is looked up in the paragraph (it must occur
// there exactly once); with them, the characters there must be exactly the text.

export const TextSpanInput = builder.inputType('TextSpanInput', {
  description: 'A span of the article being written: characters `start`..`end` of paragraph `paragraph`.',
  fields: (t) => ({
    paragraph: t.int({ required: true, description: 'Index of the paragraph, from 0.' }),
    start: t.int({ description: 'Offset of the first character, in UTF-16 code units.' }),
    end: t.int({ description: 'Offset just past the last character.' }),
    text: t.string({ required: true, description: 'The exact words.' }),
  }),
});

export const SourceSpanInput = builder.inputType('SourceSpanInput', {
  description: 'Where a fact was reported: characters `start`..`end` of paragraph `paragraph` of an article.',
  fields: (t) => ({
    articleId: t.id({ required: true }),
    paragraph: t.int({ required: true, description: 'Index of the paragraph, from 0.' }),
    start: t.int({ description: 'Offset of the first character, in UTF-16 code units.' }),
    end: t.int({ description: 'Offset just past the last character.' }),
    text: t.string({ required: true, description: 'The exact words.' }),
  }),
});
