// Builds content of a chosen shape straight through Drizzle, for tests that need many rows.
import type { ChanceryDb } from '@chancery/db/database';
import * as t from '@chancery/db/schema';
import { stableId } from '@chancery/domain/stable-id';

export type Shape = { treaties: number; provisionsPerTreaty: number; statementsPerProvision: number };

/** Treaties × provisions × statements, every statement with a speaker and a valid source span. */
export async function insertTreatyTree(db: ChanceryDb, shape: Shape, prefix = 'fixture'): Promise<void> {
  const id = (name: string) => stableId(`${prefix}:${name}`);
  const speakerId = id('speaker');
  const articleId = id('article');
  const sentences: { treaty: number; provision: number; statement: number; text: string }[] = [];
  for (let tr = 0; tr < shape.treaties; tr++)
    for (let p = 0; p < shape.provisionsPerTreaty; p++)
      for (let s = 0; s < shape.statementsPerProvision; s++)
        sentences.push({
          treaty: tr,
          provision: p,
          statement: s,
          text: `Statement ${s} on article ${p} of treaty ${tr}`,
        });

  await db.transaction(async (tx) => {
    await tx
      .insert(t.actors)
      .values({ id: speakerId, slug: `${prefix}-speaker`, name: `${prefix} Speaker`, kind: 'PERSON' });
    await tx.insert(t.articles).values({
      id: articleId,
      slug: `${prefix}-article`,
      headline: `${prefix} story`,
      publishedAt: '2025-01-01T00:00:00Z',
      status: 'PUBLISHED',
    });
    await tx
      .insert(t.articleParagraphs)
      .values(sentences.map((s, index) => ({ articleId, index, text: `"${s.text}," the speaker said.` })));
    for (let tr = 0; tr < shape.treaties; tr++) {
      const treatyId = id(`treaty-${tr}`);
      await tx.insert(t.treaties).values({
        id: treatyId,
        slug: `${prefix}-treaty-${tr}`,
        title: `${prefix} treaty ${String(tr).padStart(3, '0')}`,
        status: 'NEGOTIATING',
      });
      await tx.insert(t.treatyParties).values({ treatyId, actorId: speakerId, position: 0 });
      await tx.insert(t.treatyProvisions).values(
        Array.from({ length: shape.provisionsPerTreaty }, (_, p) => ({
          id: id(`provision-${tr}-${p}`),
          treatyId,
          number: String(p + 1),
          position: p,
        })),
      );
    }
    const statementRows = sentences.map((s, index) => ({
      id: id(`statement-${index}`),
      text: s.text,
      kind: 'DIRECT' as const,
      speakerId,
      saidOn: '2025-01-01',
      articleId,
      paragraph: index,
      start: 1,
      end: 1 + s.text.length,
      attributionMethod: 'MANUAL' as const,
    }));
    if (statementRows.length === 0) return;
    await tx.insert(t.statements).values(statementRows);
    await tx.insert(t.statementTreaties).values(
      sentences.map((s, index) => ({
        statementId: id(`statement-${index}`),
        treatyId: id(`treaty-${s.treaty}`),
      })),
    );
    await tx.insert(t.statementProvisions).values(
      sentences.map((s, index) => ({
        statementId: id(`statement-${index}`),
        provisionId: id(`provision-${s.treaty}-${s.provision}`),
      })),
    );
  });
}
