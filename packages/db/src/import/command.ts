// importStory for the API: its arguments validated as one object (a zod schema, like every write
// command), then one story imported as the writer, with what goes wrong in the story reported as
// a ValidationError at the argument to fix.
import { nodeId } from '@chancery/domain/inputs/common';
import { MAX_STORY_BYTES } from '@chancery/domain/wire/parse';
import { invalid } from '@chancery/domain/write-errors';
import { z } from 'zod';
import type { Writer } from '../repositories/transaction.ts';
import { parsePublished } from './dates.ts';
import { ImportError } from './errors.ts';
import { StoryImporter, type StoryImportResult, sharedCatalog } from './story.ts';

export const importStoryCommand = z.object({
  text: z
    .string()
    .refine(
      (text) => text.trim() !== '',
      'must not be empty: a story has a headline, a standfirst and paragraphs',
    )
    .refine(
      (text) => text.length <= MAX_STORY_BYTES,
      `must be at most ${MAX_STORY_BYTES / (1024 * 1024)} MB`,
    ),
  /** A year (for the dateline's day), a date or an instant; absent: the dateline's own date. */
  publishedAt: z
    .string()
    .nullish()
    .transform((value, ctx) => {
      if (value == null) return null;
      const parsed = parsePublished(value);
      if (!parsed.ok) {
        ctx.addIssue({ code: 'custom', message: parsed.message });
        return z.NEVER;
      }
      return parsed.value;
    }),
  publisherId: nodeId('Actor').nullish(),
  dryRun: z
    .boolean()
    .nullish()
    .transform((value) => value ?? false),
});
export type ImportStoryCommand = z.output<typeof importStoryCommand>;

/** Imports one story as `writer` (its token name goes on every revision). New articles are drafts. */
export async function importStoryAs(writer: Writer, command: ImportStoryCommand): Promise<StoryImportResult> {
  const importer = new StoryImporter(writer.db, {
    tokenName: writer.tokenName,
    dryRun: command.dryRun,
    catalog: sharedCatalog(writer.db),
  });
  try {
    return await importer.importStory({
      source: 'text',
      text: command.text,
      published: command.publishedAt,
      publisher: command.publisherId ? { id: command.publisherId } : null,
      status: 'DRAFT',
    });
  } catch (error) {
    if (!(error instanceof ImportError)) throw error;
    if (error.about === 'publisher') throw invalid(['publisherId'], 'is not the ID of a stored, live actor');
    if (error.about === 'published')
      throw invalid(['publishedAt'], error.message.replace(/--published/g, 'publishedAt'));
    throw invalid(['text'], error.line ? `line ${error.line}: ${error.message}` : error.message);
  }
}
