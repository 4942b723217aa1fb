// Test support: the seed story's gold facts (its gold file in packages/domain/fixtures/corpus)
// checked against every stored record, read as a bundle (`exportBundle`, `chancery export`). However
// a database came about (seeded, imported first, restored from a bundle, upgraded), it is held to
// the same facts, and nothing the seed names may be there twice.
import { seedStory } from '@chancery/domain/wire/test-corpus';
import { nameKey, titleKey } from './import/names.ts';

type Row = Record<string, unknown>;
/** A bundle's records by type (`Actor`, `Statement`, …), with the columns as the database names them. */
export type BundleRecords = Map<string, Row[]>;

export function readBundleText(text: string): BundleRecords {
  const records: BundleRecords = new Map();
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const { type, data } = JSON.parse(line) as { type: string; data: Row };
    if (type === 'Bundle') continue;
    const list = records.get(type) ?? [];
    list.push(data);
    records.set(type, list);
  }
  return records;
}

/** What differs from the seed's gold facts; empty when every one of them holds exactly once. */
export function seedFactProblems(records: BundleRecords): string[] {
  const { text, gold } = seedStory();
  const [headline, standfirst, ...paragraphs] = text.replace(/\n$/, '').split('\n');
  const problems: string[] = [];
  const all = (type: string) => records.get(type) ?? [];
  const live = (type: string) => all(type).filter((r) => r.deleted_at === null);

  // The story itself, once: the same words whoever stored it.
  const paragraphsOf = (articleId: unknown) =>
    all('ArticleParagraph')
      .filter((p) => p.article_id === articleId)
      .sort((a, b) => Number(a.index) - Number(b.index))
      .map((p) => p.text);
  const articles = live('Article').filter(
    (a) =>
      a.headline === headline &&
      a.standfirst === standfirst &&
      JSON.stringify(paragraphsOf(a.id)) === JSON.stringify(paragraphs),
  );
  if (articles.length !== 1) problems.push(`${articles.length} articles hold the seed story, not 1`);
  const article = articles[0];

  const actorsNamed = (name: string) =>
    live('Actor').filter((a) => nameKey(String(a.name)) === nameKey(name));
  const actorName = new Map(all('Actor').map((a) => [a.id, a.name]));
  for (const expected of gold.actors) {
    const found = actorsNamed(expected.name);
    if (found.length !== 1) {
      problems.push(`${found.length} live actors are named ${expected.name}, not 1`);
      continue;
    }
    const actor = found[0] as Row;
    const aliases = new Set((actor.aliases as string[]).map(nameKey));
    for (const alias of expected.aliases) {
      if (!aliases.has(nameKey(alias))) problems.push(`${expected.name} lacks the alias ${alias}`);
    }
    const roles = new Set(
      all('ActorRole').flatMap((r) => (r.actor_id === actor.id ? [nameKey(String(r.title))] : [])),
    );
    for (const role of expected.roles ?? []) {
      if (!roles.has(nameKey(role))) problems.push(`${expected.name} lacks the role ${role}`);
    }
  }

  const treatyByTitle = new Map<string, Row>();
  for (const expected of gold.treaties) {
    const found = live('Treaty').filter((t) => titleKey(String(t.title)) === titleKey(expected.title));
    if (found.length !== 1) {
      problems.push(`${found.length} live treaties are titled ${expected.title}, not 1`);
      continue;
    }
    const treaty = found[0] as Row;
    treatyByTitle.set(expected.title, treaty);
    const parties = all('TreatyParty')
      .filter((p) => p.treaty_id === treaty.id)
      .map((p) => actorName.get(p.actor_id));
    for (const party of expected.parties) {
      if (!parties.includes(party)) problems.push(`${party} is not a party to ${expected.title}`);
    }
    for (const number of expected.provisions) {
      const provisions = live('TreatyProvision').filter(
        (p) => p.treaty_id === treaty.id && p.number === number,
      );
      if (provisions.length !== 1) {
        problems.push(`${expected.title} has ${provisions.length} live provisions numbered ${number}, not 1`);
      }
    }
  }

  // Article 4 of the partnership treaty refers to Article 51 of the UN Charter.
  const [partnership, charter] = gold.treaties.map((t) => treatyByTitle.get(t.title));
  const provisionOf = (treaty: Row | undefined, number: string) =>
    live('TreatyProvision').find((p) => p.treaty_id === treaty?.id && p.number === number);
  const article4 = provisionOf(partnership, '4');
  const article51 = provisionOf(charter, '51');
  if (
    !all('ProvisionReference').some(
      (r) => r.from_provision_id === article4?.id && r.to_provision_id === article51?.id,
    )
  ) {
    problems.push('Article 4 of the partnership treaty does not refer to Article 51 of the UN Charter');
  }

  // The statements, exactly: words, span, kind and speaker; the two on Article 4 linked to it.
  const statements = live('Statement').filter((s) => s.article_id === article?.id);
  for (const expected of gold.statements) {
    const found = statements.filter((s) => s.text === expected.text && s.paragraph === expected.paragraph);
    if (found.length !== 1) {
      problems.push(`${found.length} live statements read "${expected.text.slice(0, 40)}…", not 1`);
      continue;
    }
    const statement = found[0] as Row;
    const body = paragraphs[expected.paragraph] ?? '';
    if (body.slice(Number(statement.start), Number(statement.end)) !== expected.text) {
      problems.push(`the span of "${expected.text.slice(0, 40)}…" does not read its words`);
    }
    if (statement.kind !== expected.kind)
      problems.push(`"${expected.text.slice(0, 40)}…" is not ${expected.kind}`);
    if (actorName.get(statement.speaker_id) !== expected.speaker) {
      problems.push(`"${expected.text.slice(0, 40)}…" is not attributed to ${expected.speaker}`);
    }
  }
  const onArticle4 = all('StatementProvision').filter(
    (l) => l.provision_id === article4?.id && statements.some((s) => s.id === l.statement_id),
  );
  if (onArticle4.length !== 2)
    problems.push(`${onArticle4.length} of the seed's statements are on Article 4, not 2`);

  // The submission for ratification, traced to paragraph 4.
  const submission = live('TreatyAction').filter(
    (a) => a.treaty_id === partnership?.id && a.type === 'SUBMISSION_FOR_RATIFICATION',
  );
  if (submission.length !== 1) problems.push(`${submission.length} submissions for ratification, not 1`);
  else {
    const action = submission[0] as Row;
    if (
      actorName.get(action.actor_id) !== 'Vladimir Putin' ||
      actorName.get(action.body_id) !== 'State Duma'
    ) {
      problems.push('the submission is not by Vladimir Putin to the State Duma');
    }
    if (action.source_article_id !== article?.id || action.source_paragraph !== 4) {
      problems.push("the submission's source is not paragraph 4 of the seed story");
    }
  }
  return problems;
}
