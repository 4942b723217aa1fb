// Extracts actors, treaties, statements and mentions from a parsed wire story. Pure: the caller passes
// the actors it already knows; nothing is read or written.
import type { ActorRecord } from './actor-record.ts';
import { type ActorIndex, findActors, stateOfWord } from './actors.ts';
import { buildContext, position } from './context.ts';
import { findDocumentIssuers } from './speakers.ts';
import { findStatements } from './statements.ts';
import { completeTreaties, findTreaties, provisionNumbers, type TreatyRecord } from './treaties.ts';
import type {
  ExtractedActor,
  ExtractedTreaty,
  Extraction,
  ExtractOptions,
  Mention,
  ParsedStory,
} from './types.ts';

function toActor(actor: ActorRecord): ExtractedActor {
  return {
    name: actor.name,
    kind: actor.kind,
    aliases: [...actor.aliases],
    roles: actor.kind === 'PERSON' ? [...actor.roles] : [],
  };
}

function toTreaty(record: TreatyRecord): ExtractedTreaty {
  return {
    title: record.title,
    parties: [...record.parties],
    provisions: provisionNumbers(record),
    mentions: record.mentions.map((m) => ({ ...m })),
  };
}

/** Treaty parties and titles need states by printed name ("North Korea") and in a range of text. */
function treatyActors(index: ActorIndex) {
  const byName = (name: string): ActorRecord | null =>
    index.actors.find((a) => a.kind === 'STATE' && (a.forms.includes(name) || a.name === name)) ??
    stateOfWord(index, name);
  return {
    stateNamed(name: string) {
      const state = byName(name.replace(/^the\s+/i, ''));
      return state ? { name: state.name, formalName: state.formalName } : null;
    },
    statesIn(paragraph: number, start: number, end: number) {
      const text = index.context.paragraphs[paragraph] ?? '';
      const found: { name: string; at: number }[] = index.mentions
        .filter(
          (m) => m.paragraph === paragraph && m.start >= start && m.end <= end && m.actor.kind === 'STATE',
        )
        .map((m) => ({ name: m.actor.name, at: m.start }));
      // Demonyms count too: "his Ostravan counterpart" names Ostrava as a party.
      for (const match of text.slice(start, end).matchAll(/\p{Lu}[\p{L}'’-]+/gu)) {
        const state = index.actors.find((a) => a.kind === 'STATE' && a.demonyms.includes(match[0]));
        if (state) found.push({ name: state.name, at: start + (match.index ?? 0) });
      }
      const names: string[] = [];
      for (const { name } of found.sort((a, b) => a.at - b.at)) if (!names.includes(name)) names.push(name);
      return names;
    },
  };
}

function mentionsOf(index: ActorIndex, treaties: readonly TreatyRecord[]): Mention[] {
  const mentions: Mention[] = index.mentions.map((m) => ({
    paragraph: m.paragraph,
    start: m.start,
    end: m.end,
    text: m.text,
    target: { kind: 'actor', name: m.actor.name },
  }));
  for (const treaty of treaties) {
    for (const m of treaty.mentions) mentions.push({ ...m, target: { kind: 'treaty', title: treaty.title } });
    for (const p of treaty.provisions) {
      mentions.push({
        ...p.span,
        target: { kind: 'provision', treatyTitle: treaty.title, number: p.number },
      });
    }
  }
  return mentions.sort(
    (a, b) => position(a.paragraph, a.start) - position(b.paragraph, b.start) || a.end - b.end,
  );
}

/** The extraction itself; throws if a rule has a bug. Tests use it to see such bugs. */
export function extractStoryStrict(story: ParsedStory, options: ExtractOptions = {}): Extraction {
  const context = buildContext(story);
  const treaties = findTreaties(context);
  const index = findActors(context, treaties, options.knownActors ?? []);
  completeTreaties(context, treaties, treatyActors(index));
  const statements = findStatements(index, findDocumentIssuers(index));
  return {
    actors: index.actors.map(toActor),
    treaties: treaties.map(toTreaty),
    statements,
    mentions: mentionsOf(index, treaties),
  };
}

/** Never throws: a failing rule yields an empty extraction rather than a crash in the importer. */
export function extractStory(story: ParsedStory, options: ExtractOptions = {}): Extraction {
  try {
    return extractStoryStrict(story, options);
  } catch {
    return { actors: [], treaties: [], statements: [], mentions: [] };
  }
}
