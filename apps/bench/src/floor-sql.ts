// The floor's SQL: for each read, the one statement a person who knows PostgreSQL would write by
// hand to build the response's `data` in the database, written from the schema (packages/db
// migrations), not from Chancery's planner. It uses the indexes the migrations create; the bench
// prints which (EXPLAIN, setup.ts) and creates none of its own.
//
// The visibility rule an anonymous reader gets, as Chancery applies it: statements not deleted,
// in articles not deleted and PUBLISHED. Since migration 0005 a statement carries it as
// `published` (kept by triggers), with partial indexes on it: the hand-written SQL reads that
// column. On a schema without it, it is checked per statement as a scalar subquery on the
// article's key, so that PostgreSQL walks the statements in the order asked for and stops at the
// page, with or without statistics: written as a join or EXISTS, a database without statistics
// (right after an import) plans a scan of every published article first.
//
// A page's rows reach what they have one of (speaker, article) by a join on its key, not a
// subquery per row: PostgreSQL runs each subquery as a plan of its own.
//
// Global IDs as apps/server encodes them (packages/domain/src/global-id.ts): base64url, no
// padding, of "Typename:uuid" (under 76 characters, so PostgreSQL's base64 has no line breaks).

/** Chancery's global ID of `id` (a uuid column) for a type. */
const globalId = (typename: string, id: string) =>
  `rtrim(translate(encode(convert_to('${typename}:' || ${id}, 'UTF8'), 'base64'), '+/', '-_'), '=')`;

export type FloorSchema = {
  /** statements.published exists (migration 0005). */
  publishedColumn: boolean;
};

/** The reads' SQL for a schema. */
export function floorSql(schema: FloorSchema) {
  /** True when statement `s` (not deleted) is visible to an anonymous reader. */
  const visible = (s: string) =>
    schema.publishedColumn
      ? `${s}.published`
      : `${s}.deleted_at is null and (select a.deleted_at is null and a.status = 'PUBLISHED' from articles a where a.id = ${s}.article_id)`;
  return {
    latest: `select json_build_object('statements', json_build_object('nodes', coalesce(json_agg(json_build_object(
  'id', ${globalId('Statement', 's.id')},
  'text', s.text, 'saidOn', s.said_on,
  'speaker', case when sp.id is null then null else json_build_object('name', sp.name) end,
  'source', json_build_object('article', case when a.id is null then null else json_build_object('headline', a.headline) end)
) order by s.said_on desc, s.id desc), '[]')))::text as data
from (
  select s.id, s.text, s.said_on, s.speaker_id, s.article_id from statements s
  where ${visible('s')}
  order by s.said_on desc, s.id desc limit 20
) s
left join actors sp on sp.id = s.speaker_id
left join articles a on a.id = s.article_id`,
    actorPage: `select json_build_object('actor', (
  select json_build_object(
    'name', a.name,
    'roles', coalesce((select json_agg(json_build_object('title', r.title) order by r.position) from actor_roles r where r.actor_id = a.id), '[]'),
    'statements', json_build_object(
      'totalCount', (select count(*) from statements s where s.speaker_id = a.id and ${visible('s')}),
      'nodes', coalesce((select json_agg(json_build_object(
          'id', ${globalId('Statement', 'p.id')},
          'text', p.text, 'saidOn', p.said_on,
          'source', json_build_object('article', case when ar.id is null then null else json_build_object('headline', ar.headline) end)
        ) order by p.said_on desc, p.id desc)
        from (select s.id, s.text, s.said_on, s.article_id from statements s
              where s.speaker_id = a.id and ${visible('s')}
              order by s.said_on desc, s.id desc limit 20) p
        left join articles ar on ar.id = p.article_id), '[]')))
  from actors a where a.slug = $1 and a.deleted_at is null))::text as data`,
    treaties: `select json_build_object('treaties', json_build_object('nodes', coalesce(json_agg(json_build_object(
  'title', t.title,
  'parties', coalesce((select json_agg(json_build_object('name', pa.name) order by tp.position)
                       from treaty_parties tp join actors pa on pa.id = tp.actor_id where tp.treaty_id = t.id), '[]'),
  'provisions', coalesce((select json_agg(json_build_object(
      'number', pr.number,
      'statements', json_build_object('nodes', coalesce((select json_agg(json_build_object(
          'text', st.text,
          'speaker', case when sp.id is null then null else json_build_object('name', sp.name) end
        ) order by st.said_on desc, st.id desc)
        from (select s.id, s.text, s.said_on, s.speaker_id
              from statement_provisions l join statements s on s.id = l.statement_id
              where l.provision_id = pr.id and ${visible('s')}
              order by s.said_on desc, s.id desc limit 3) st
        left join actors sp on sp.id = st.speaker_id), '[]'))
    ) order by pr.position)
    from treaty_provisions pr where pr.treaty_id = t.id and pr.deleted_at is null), '[]')
) order by t.title, t.id), '[]')))::text as data
from (select id, title from treaties where deleted_at is null order by title, id limit 10) t`,
  };
}
