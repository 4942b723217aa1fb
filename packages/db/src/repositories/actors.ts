import { mergedActorFields, mergeProblem, rolesToAdd } from '@chancery/domain/actor-merge';
import type {
  ActorRoleInput,
  CreateActorCommand,
  MergeActorsCommand,
  UpdateActorCommand,
} from '@chancery/domain/inputs/actor';
import { changedFields, type RevisedNodeType, type Snapshot } from '@chancery/domain/revisions';
import { type FieldError, invalid, ValidationError } from '@chancery/domain/write-errors';
import { and, eq, sql } from 'drizzle-orm';
import { actorRoles, actors } from '../schema.ts';
import {
  appendRevisions,
  assertUpdated,
  bumpVersions,
  globalId,
  loadSnapshot,
  loadSnapshots,
  lockNode,
  NODES,
  nextVersion,
  type RevisionEntry,
} from './nodes.ts';
import { checkReferences, institution, type Reference } from './references.ts';
import { chooseSlug, slugTaken } from './slugs.ts';
import { list, type Queryable, rows } from './sql.ts';
import { inTransaction, inUpdateTransaction, type Tx, Unchanged, type Writer } from './transaction.ts';
import { derivedTreatyStatus, refreshTreatyStatus } from './treaty-status.ts';

const unique = { actors_slug_key: slugTaken('actor') };

function roleReferences(roles: readonly ActorRoleInput[]): Reference[] {
  return roles.flatMap((role, index) =>
    role.organizationId
      ? [
          {
            typename: 'Actor' as const,
            id: role.organizationId,
            path: ['input', 'roles', String(index), 'organizationId'],
            kinds: institution("a role's organization"),
          },
        ]
      : [],
  );
}

async function writeRoles(
  tx: Tx,
  actorId: string,
  roles: readonly ActorRoleInput[],
  resolve: (id: string) => string,
): Promise<void> {
  await tx.delete(actorRoles).where(eq(actorRoles.actorId, actorId));
  if (roles.length === 0) return;
  await tx.insert(actorRoles).values(
    roles.map((role, position) => ({
      actorId,
      position,
      title: role.title,
      organizationId: role.organizationId ? resolve(role.organizationId) : null,
      startDate: role.startDate ?? null,
      endDate: role.endDate ?? null,
    })),
  );
}

export async function createActor(writer: Writer, command: CreateActorCommand): Promise<{ id: string }> {
  const { input } = command;
  return inTransaction(
    writer.db,
    async (tx) => {
      const checked = await checkReferences(tx, roleReferences(input.roles));
      const slug = await chooseSlug(tx, 'Actor', { requested: input.slug, title: input.name });
      const [created] = await tx
        .insert(actors)
        .values({
          slug,
          name: input.name,
          kind: input.kind,
          aliases: input.aliases,
          description: input.description ?? null,
          countryCode: input.countryCode,
          wikidataId: input.wikidataId,
        })
        .returning({ id: actors.id });
      const id = (created as { id: string }).id;
      await writeRoles(tx, id, input.roles, (org) => checked.resolve('Actor', org));
      await appendRevisions(tx, writer.tokenName, [
        {
          typename: 'Actor',
          id,
          version: 1,
          operation: 'CREATE',
          before: null,
          after: await loadSnapshot(tx, 'Actor', id),
        },
      ]);
      return { id };
    },
    unique,
  );
}

export async function updateActor(
  writer: Writer,
  command: UpdateActorCommand,
): Promise<{ id: string; changed: boolean }> {
  const { id, expectedVersion, input } = command;
  const { changed } = await inUpdateTransaction(
    writer.db,
    async (tx) => {
      const current = await lockNode(tx, 'Actor', id, { expectedVersion });
      const before = await loadSnapshot(tx, 'Actor', id);
      const errors: FieldError[] = [];
      input.roles?.forEach((role, index) => {
        if (role.organizationId === id) {
          errors.push({
            path: ['input', 'roles', String(index), 'organizationId'],
            message: 'is this actor itself; a role is held in another organization or state',
          });
        }
      });
      if (input.kind === 'PERSON' && before.kind !== 'PERSON') {
        const institutional = await institutionalUses(tx, id);
        if (institutional) {
          errors.push({
            path: ['input', 'kind'],
            message: `cannot become PERSON: the actor is ${institutional}, which only a STATE or an ORGANIZATION can be`,
          });
        }
      }
      if (errors.length > 0) throw new ValidationError(errors);
      const checked = await checkReferences(tx, roleReferences(input.roles ?? []));
      const slug =
        input.slug !== undefined
          ? await chooseSlug(tx, 'Actor', { requested: input.slug, title: '', self: id })
          : undefined;

      const updated = await tx
        .update(actors)
        .set({
          ...nextVersion(),
          slug,
          name: input.name,
          kind: input.kind,
          aliases: input.aliases,
          description: input.description,
          countryCode: input.countryCode,
          wikidataId: input.wikidataId,
        })
        .where(and(eq(actors.id, id), eq(actors.version, current.version)))
        .returning({ id: actors.id });
      await assertUpdated(tx, 'Actor', updated, current);
      if (input.roles) await writeRoles(tx, id, input.roles, (org) => checked.resolve('Actor', org));

      const after = await loadSnapshot(tx, 'Actor', id);
      if (changedFields(before, after).length === 0) throw new Unchanged();
      await appendRevisions(tx, writer.tokenName, [
        { typename: 'Actor', id, version: current.version + 1, operation: 'UPDATE', before, after },
      ]);
    },
    unique,
  );
  return { id, changed };
}

/** Where the actor stands as an institution (party, body, organization), in words, or null. */
async function institutionalUses(db: Queryable, id: string): Promise<string | null> {
  const [row] = await rows<{ parties: number; bodies: number; organizations: number }>(
    db,
    sql`select
      (select count(*)::int from treaty_parties where actor_id = ${id}) as parties,
      (select count(*)::int from treaty_actions where body_id = ${id}) as bodies,
      (select count(*)::int from actor_roles where organization_id = ${id}) as organizations`,
  );
  const uses = [
    row?.parties ? 'a treaty party' : null,
    row?.bodies ? 'the body of a treaty action' : null,
    row?.organizations ? 'the organization of a role' : null,
  ].filter(Boolean);
  return uses.length > 0 ? uses.join(' and ') : null;
}

/**
 * Merges two records of one actor. Every reference to the source moves to the target (each record
 * that changes gets a new version and a MERGE revision); the target keeps its fields and gains the
 * source's name and aliases as aliases, its missing details and its roles; the source stays as a
 * deleted record pointing at the target, so its ID and slug keep resolving to the target.
 */
export async function mergeActors(
  writer: Writer,
  command: MergeActorsCommand,
): Promise<{ id: string; mergedId: string }> {
  const { sourceId, targetId } = command;
  await inTransaction(writer.db, async (tx) => {
    // Locked in ID order, so two merges of the same pair cannot deadlock.
    const pair = [
      { id: sourceId, expected: command.expectedSourceVersion, path: 'sourceId' },
      { id: targetId, expected: command.expectedTargetVersion, path: 'targetId' },
    ].sort((a, b) => (a.id < b.id ? -1 : 1));
    for (const side of pair) await lockNode(tx, 'Actor', side.id, { expectedVersion: side.expected });
    const sides = await loadSnapshots(tx, 'Actor', [sourceId, targetId]);
    const source = sides.get(sourceId) as Snapshot;
    const target = sides.get(targetId) as Snapshot;
    const problem = mergeProblem(
      { kind: String(target.kind), wikidataId: target.wikidata_id as string | null },
      { kind: String(source.kind), wikidataId: source.wikidata_id as string | null },
    );
    if (problem) throw invalid(['targetId'], problem);

    // Every other node whose row or owned children name the source.
    const affected = await rows<{ typename: RevisedNodeType; id: string; version: number }>(
      tx,
      sql`select 'Statement' as typename, id, version from statements where speaker_id = ${sourceId}
        union select 'Treaty', id, version from treaties where id in (select treaty_id from treaty_parties where actor_id = ${sourceId})
        union select 'TreatyAction', id, version from treaty_actions where actor_id = ${sourceId} or body_id = ${sourceId}
        union select 'Article', id, version from articles where publisher_id = ${sourceId}
          or id in (select article_id from article_mentions where actor_id = ${sourceId})
        union select 'Actor', id, version from actors where id not in (${sourceId}, ${targetId}) and (
          id in (select actor_id from actor_roles where organization_id = ${sourceId}) or merged_into_id = ${sourceId})
        order by typename, id`,
    );
    const byType = groupByType(affected);
    for (const [typename, nodes] of byType) {
      await rows(
        tx,
        sql`select id from ${sql.raw(NODES[typename].name)} where id in ${list(nodes.map((n) => n.id))} order by id for update`,
      );
    }
    const befores = new Map<string, Snapshot>();
    for (const [typename, nodes] of byType) {
      for (const [id, snapshot] of await loadSnapshots(
        tx,
        typename,
        nodes.map((n) => n.id),
      )) {
        befores.set(id, snapshot);
      }
    }

    await tx.execute(sql`update statements set speaker_id = ${targetId} where speaker_id = ${sourceId}`);
    await tx.execute(sql`delete from treaty_parties p where p.actor_id = ${sourceId}
      and exists (select 1 from treaty_parties q where q.treaty_id = p.treaty_id and q.actor_id = ${targetId})`);
    await tx.execute(sql`update treaty_parties set actor_id = ${targetId} where actor_id = ${sourceId}`);
    await tx.execute(sql`update treaty_actions set actor_id = ${targetId} where actor_id = ${sourceId}`);
    await tx.execute(sql`update treaty_actions set body_id = ${targetId} where body_id = ${sourceId}`);
    await tx.execute(sql`update articles set publisher_id = ${targetId} where publisher_id = ${sourceId}`);
    await tx.execute(sql`update article_mentions set actor_id = ${targetId} where actor_id = ${sourceId}`);
    await tx.execute(sql`insert into article_actors (article_id, actor_id)
      select article_id, ${targetId}::uuid from article_actors where actor_id = ${sourceId} on conflict do nothing`);
    await tx.execute(sql`delete from article_actors where actor_id = ${sourceId}`);
    // A role of the target "in" the source would become a role in itself: it loses its organization.
    await tx.execute(
      sql`update actor_roles set organization_id = null where actor_id = ${targetId} and organization_id = ${sourceId}`,
    );
    await tx.execute(sql`update actor_roles set organization_id = ${targetId}
      where organization_id = ${sourceId} and actor_id <> ${sourceId}`);
    await tx.execute(sql`update actors set merged_into_id = ${targetId} where merged_into_id = ${sourceId}`);

    // The target gains what only the source knew.
    const fields = mergedActorFields(actorFields(target), actorFields(source));
    await tx
      .update(actors)
      .set({
        aliases: fields.aliases,
        description: fields.description,
        countryCode: fields.countryCode,
        wikidataId: fields.wikidataId,
      })
      .where(eq(actors.id, targetId));
    const targetRoles = (target.roles as RoleRow[]).map(roleFields);
    const added = rolesToAdd(
      targetRoles,
      (source.roles as RoleRow[]).map(roleFields).map((role) => ({
        ...role,
        organizationId: role.organizationId === targetId ? null : role.organizationId,
      })),
    );
    if (added.length > 0) {
      await tx
        .insert(actorRoles)
        .values(added.map((role, i) => ({ ...role, actorId: targetId, position: targetRoles.length + i })));
    }
    await tx
      .update(actors)
      .set({ deletedAt: sql`now()`, mergedIntoId: targetId })
      .where(eq(actors.id, sourceId));

    // Treaties whose parties or timeline changed may have a new status.
    for (const treaty of byType.get('Treaty') ?? []) {
      await tx.execute(
        sql`update treaties set status = ${await derivedTreatyStatus(tx, treaty.id)} where id = ${treaty.id}`,
      );
    }
    // A treaty whose timeline changed (an action's actor) may have a new status too.
    const changedTimelines = await rows<{ treaty_id: string }>(
      tx,
      sql`select distinct treaty_id from treaty_actions where id in ${list((byType.get('TreatyAction') ?? []).map((a) => a.id))}
          order by treaty_id`,
    );
    for (const { treaty_id } of changedTimelines) {
      if ((byType.get('Treaty') ?? []).some((treaty) => treaty.id === treaty_id)) continue;
      await rows(tx, sql`select id from treaties where id = ${treaty_id} for update`);
      await refreshTreatyStatus(tx, writer.tokenName, treaty_id);
    }

    const everyone = [
      ...affected,
      { typename: 'Actor' as const, id: targetId, version: Number(target.version) },
      { typename: 'Actor' as const, id: sourceId, version: Number(source.version) },
    ];
    const entries: RevisionEntry[] = [];
    for (const [typename, nodes] of groupByType(everyone)) {
      await bumpVersions(tx, typename, nodes);
      const afters = await loadSnapshots(
        tx,
        typename,
        nodes.map((n) => n.id),
      );
      for (const n of nodes) {
        entries.push({
          typename,
          id: n.id,
          version: n.version + 1,
          operation: 'MERGE',
          before: n.id === targetId ? target : n.id === sourceId ? source : (befores.get(n.id) ?? null),
          after: afters.get(n.id) ?? null,
        });
      }
    }
    await appendRevisions(tx, writer.tokenName, entries);
  });
  return { id: targetId, mergedId: globalId('Actor', sourceId) };
}

type RoleRow = {
  title: string;
  organization_id: string | null;
  start_date: string | null;
  end_date: string | null;
};

const roleFields = (role: RoleRow) => ({
  title: role.title,
  organizationId: role.organization_id,
  startDate: role.start_date,
  endDate: role.end_date,
});

const actorFields = (snapshot: Snapshot) => ({
  name: String(snapshot.name),
  aliases: (snapshot.aliases as string[]) ?? [],
  description: (snapshot.description as string | null) ?? null,
  countryCode: (snapshot.country_code as string | null) ?? null,
  wikidataId: (snapshot.wikidata_id as string | null) ?? null,
});

function groupByType<N extends { typename: RevisedNodeType }>(
  nodes: readonly N[],
): Map<RevisedNodeType, N[]> {
  const groups = new Map<RevisedNodeType, N[]>();
  for (const n of nodes) groups.set(n.typename, [...(groups.get(n.typename) ?? []), n]);
  return groups;
}
