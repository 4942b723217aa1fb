// What still points at a node. A delete is refused while live records would be left pointing at
// a deleted one; a purge while any record (deleted ones too) points at it, since nothing is ever
// removed as a side effect of removing something else.
import type { RevisedNodeType } from '@chancery/domain/revisions';
import { type SQL, sql } from 'drizzle-orm';
import { type Queryable, rows } from './sql.ts';

type Count = { sql: SQL; one: string; many: string };

const count = (one: string, many: string, query: SQL): Count => ({ sql: query, one, many });

function liveReferences(typename: RevisedNodeType, id: string): Count[] {
  switch (typename) {
    case 'Actor':
      return [
        count(
          'statement (as its speaker)',
          'statements (as their speaker)',
          sql`select count(*) from statements where speaker_id = ${id} and deleted_at is null`,
        ),
        count(
          'treaty (as a party)',
          'treaties (as a party)',
          sql`select count(*) from treaty_parties p join treaties tr on tr.id = p.treaty_id
              where p.actor_id = ${id} and tr.deleted_at is null`,
        ),
        count(
          'treaty action (as actor or body)',
          'treaty actions (as actor or body)',
          sql`select count(*) from treaty_actions where (actor_id = ${id} or body_id = ${id}) and deleted_at is null`,
        ),
        count(
          'article (as its publisher)',
          'articles (as their publisher)',
          sql`select count(*) from articles where publisher_id = ${id} and deleted_at is null`,
        ),
        count(
          'article mention',
          'article mentions',
          sql`select count(*) from article_mentions m join articles a on a.id = m.article_id
              where m.actor_id = ${id} and a.deleted_at is null`,
        ),
        count(
          'role of another actor (as its organization)',
          'roles of other actors (as their organization)',
          sql`select count(*) from actor_roles r join actors a on a.id = r.actor_id
              where r.organization_id = ${id} and r.actor_id <> ${id} and a.deleted_at is null`,
        ),
      ];
    case 'Treaty':
      return [
        count(
          'statement about it or its provisions',
          'statements about it or its provisions',
          sql`select count(distinct s.id) from statements s where s.deleted_at is null and (
                exists (select 1 from statement_treaties st where st.statement_id = s.id and st.treaty_id = ${id})
                or exists (select 1 from statement_provisions sp join treaty_provisions p on p.id = sp.provision_id
                           where sp.statement_id = s.id and p.treaty_id = ${id}))`,
        ),
        count(
          'article mention of it or its provisions',
          'article mentions of it or its provisions',
          sql`select count(*) from article_mentions m join articles a on a.id = m.article_id
              left join treaty_provisions p on p.id = m.provision_id
              where a.deleted_at is null and (m.treaty_id = ${id} or p.treaty_id = ${id})`,
        ),
      ];
    case 'TreatyProvision':
      return [
        count(
          'statement about it',
          'statements about it',
          sql`select count(*) from statement_provisions sp join statements s on s.id = sp.statement_id
              where sp.provision_id = ${id} and s.deleted_at is null`,
        ),
        count(
          'article mention',
          'article mentions',
          sql`select count(*) from article_mentions m join articles a on a.id = m.article_id
              where m.provision_id = ${id} and a.deleted_at is null`,
        ),
      ];
    default:
      return [];
  }
}

function anyReferences(typename: RevisedNodeType, id: string): Count[] {
  switch (typename) {
    case 'Actor':
      return [
        count('statement', 'statements', sql`select count(*) from statements where speaker_id = ${id}`),
        count(
          'treaty (as a party)',
          'treaties (as a party)',
          sql`select count(*) from treaty_parties where actor_id = ${id}`,
        ),
        count(
          'treaty action',
          'treaty actions',
          sql`select count(*) from treaty_actions where actor_id = ${id} or body_id = ${id}`,
        ),
        count(
          'article (as publisher)',
          'articles (as publisher)',
          sql`select count(*) from articles where publisher_id = ${id}`,
        ),
        count(
          'article mention',
          'article mentions',
          sql`select count(*) from article_mentions where actor_id = ${id}`,
        ),
        count(
          'role of another actor',
          'roles of other actors',
          sql`select count(*) from actor_roles where organization_id = ${id} and actor_id <> ${id}`,
        ),
        count(
          'actor merged into it (purge that first)',
          'actors merged into it (purge those first)',
          sql`select count(*) from actors where merged_into_id = ${id}`,
        ),
      ];
    case 'Treaty':
      return [
        count(
          'statement about it or its provisions',
          'statements about it or its provisions',
          sql`select count(distinct statement_id) from (
                select statement_id from statement_treaties where treaty_id = ${id}
                union all select sp.statement_id from statement_provisions sp
                  join treaty_provisions p on p.id = sp.provision_id where p.treaty_id = ${id}) s`,
        ),
        count(
          'article mention of it or its provisions',
          'article mentions of it or its provisions',
          sql`select count(*) from article_mentions m left join treaty_provisions p on p.id = m.provision_id
              where m.treaty_id = ${id} or p.treaty_id = ${id}`,
        ),
        count(
          'provision of another treaty referring to its provisions',
          'provisions of other treaties referring to its provisions',
          sql`select count(*) from provision_references r
              join treaty_provisions from_p on from_p.id = r.from_provision_id
              join treaty_provisions to_p on to_p.id = r.to_provision_id
              where to_p.treaty_id = ${id} and from_p.treaty_id <> ${id}`,
        ),
      ];
    case 'TreatyProvision':
      return [
        count(
          'statement',
          'statements',
          sql`select count(*) from statement_provisions where provision_id = ${id}`,
        ),
        count(
          'article mention',
          'article mentions',
          sql`select count(*) from article_mentions where provision_id = ${id}`,
        ),
        count(
          'provision referring to it',
          'provisions referring to it',
          sql`select count(*) from provision_references where to_provision_id = ${id} and from_provision_id <> ${id}`,
        ),
      ];
    case 'Article':
      return [
        count(
          'treaty action citing it as its source',
          'treaty actions citing it as their source',
          sql`select count(*) from treaty_actions where source_article_id = ${id}`,
        ),
      ];
    default:
      return [];
  }
}

async function describe(db: Queryable, counts: Count[]): Promise<string | null> {
  if (counts.length === 0) return null;
  const columns = sql.join(
    counts.map((c, i) => sql`(${c.sql}) as ${sql.raw(`c${i}`)}`),
    sql`, `,
  );
  const [row] = await rows<Record<string, string | number>>(db, sql`select ${columns}`);
  const parts = counts.flatMap((c, i) => {
    const n = Number(row?.[`c${i}`] ?? 0);
    return n === 0 ? [] : [`${n} ${n === 1 ? c.one : c.many}`];
  });
  return parts.length > 0 ? parts.join(', ') : null;
}

/** What live records still point at the node, in words, or null. */
export const describeLiveReferences = (db: Queryable, typename: RevisedNodeType, id: string) =>
  describe(db, liveReferences(typename, id));

/** What records of any state point at the node, in words, or null. */
export const describeAnyReferences = (db: Queryable, typename: RevisedNodeType, id: string) =>
  describe(db, anyReferences(typename, id));
