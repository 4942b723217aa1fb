// States: real ones from the gazetteer (canonical name "Russia", aliases "Russian Federation", "DPRK"),
// others from a formal name in the text ("Republic of Arvand", "Federated States of Ostrava"), whose
// short name becomes an alias when it is used on its own.
import { type ActorRecord, addForm, type Blocked, isBlocked, newActor } from './actor-record.ts';
import { isMetonymic } from './capitals.ts';
import type { StoryContext } from './context.ts';
import { KNOWN_STATES, type StateEntry } from './gazetteer.ts';
import { findWholeWord, stripPossessive } from './text.ts';

// "Republic of X", "Federated States of X", "Democratic People's Republic of X" …
const FORMAL_STATE =
  /\b((?:(?:Democratic|People['’]s|Islamic|Federal|Socialist|United|Arab|Plurinational|Bolivarian|Federated|Grand|Hashemite|Cooperative|Independent)\s+)*(Republic|Kingdom|Principality|States|Union|Federation|Commonwealth|Emirate|Sultanate|Duchy|Confederation|State|Realm)\s+of\s+(?:the\s+)?)(\p{Lu}[\p{L}\p{M}'’-]*)/gu;

// Heads that also name organisations ("Union of Journalists"): the short name must stand alone elsewhere.
const AMBIGUOUS_HEADS = new Set(['Union', 'Federation', 'Confederation', 'State', 'States', 'Commonwealth']);

function occurrences(context: StoryContext, form: string, blocked: readonly Blocked[]) {
  const found: { paragraph: number; start: number }[] = [];
  context.paragraphs.forEach((text, paragraph) => {
    for (const start of findWholeWord(text, form, context.bodyStarts[paragraph] ?? 0)) {
      if (!isBlocked(blocked, paragraph, start, start + form.length)) found.push({ paragraph, start });
    }
  });
  return found;
}

function fromGazetteer(entry: StateEntry, found: string[]): ActorRecord {
  const name = found.includes(entry.name)
    ? entry.name
    : ([...found].sort((a, b) => b.length - a.length)[0] ?? entry.name);
  const actor = newActor(name, 'STATE');
  for (const form of found) addForm(actor, form);
  actor.demonyms = entry.demonyms;
  actor.capitals = entry.capitals;
  actor.shortName = entry.name;
  actor.formalName = entry.formal[0] ?? entry.name;
  return actor;
}

/** Gazetteer names, longest first, so "Republic of Korea" inside "Democratic People's Republic of Korea" is not read twice. */
function findKnownStates(context: StoryContext, blocked: readonly Blocked[]): ActorRecord[] {
  const forms = KNOWN_STATES.flatMap((entry) =>
    [entry.name, ...entry.formal, ...entry.abbreviations].map((form) => ({ form, entry })),
  ).sort((a, b) => b.form.length - a.form.length);
  const claimed: Blocked[] = [...blocked];
  const found = new Map<StateEntry, string[]>();
  const extra: ActorRecord[] = [];
  // Most of the gazetteer is absent from any one story: one look at the whole text rules a form out.
  const whole = context.paragraphs.join('\n');
  for (const { form, entry } of forms) {
    if (!whole.includes(form)) continue;
    for (const { paragraph, start } of occurrences(context, form, claimed)) {
      claimed.push({ paragraph, start, end: start + form.length });
      const list = found.get(entry) ?? [];
      if (!list.includes(form)) list.push(form);
      found.set(entry, list);
    }
  }
  // A capital used for its state ("Moscow says …") brings the state in even when it is not named.
  for (const entry of KNOWN_STATES) {
    if (found.has(entry)) continue;
    const capital = entry.capitals.find(
      (place) =>
        whole.includes(place) &&
        context.paragraphs.some((text, paragraph) =>
          findWholeWord(text, place, context.bodyStarts[paragraph] ?? 0).some(
            (start) =>
              !isBlocked(claimed, paragraph, start, start + place.length) &&
              isMetonymic(text, { paragraph, start, end: start + place.length }),
          ),
        ),
    );
    if (capital) {
      const state = fromGazetteer(entry, [entry.name]);
      state.forms = [capital];
      found.set(entry, []);
      extra.push(state);
    }
  }
  return [
    ...[...found]
      .filter(([, printed]) => printed.length > 0)
      .map(([entry, printed]) => fromGazetteer(entry, printed)),
    ...extra,
  ];
}

/** The short name stands alone somewhere, outside the formal name itself. */
function standsAlone(context: StoryContext, shortName: string, formal: string): boolean {
  const texts = [context.story.headline, context.story.standfirst, ...context.paragraphs];
  return texts.some((text) => {
    const formalStarts = findWholeWord(text, formal).map((start) => start + formal.length - shortName.length);
    return findWholeWord(text, shortName).some((start) => !formalStarts.includes(start));
  });
}

/** Derived adjectives: Meridia → Meridian, Ostrava → Ostravan, Arvand → Arvandi, Lisenne → Lisennian. */
export function demonymsOf(shortName: string): string[] {
  const stem = shortName.replace(/[aeiouy]$/, '');
  return [
    `${shortName}n`,
    `${shortName}an`,
    `${shortName}ian`,
    `${shortName}i`,
    `${shortName}ese`,
    `${shortName}ish`,
    `${stem}ian`,
    `${stem}an`,
    `${stem}ese`,
    `${stem}i`,
  ];
}

/** "Vostrian trawlers": an adjective made from the short name shows a country, not "Union of Journalists". */
function demonymUsed(context: StoryContext, shortName: string): boolean {
  if (shortName.length < 4) return false;
  const texts = [context.story.headline, context.story.standfirst, ...context.paragraphs];
  return demonymsOf(shortName).some((demonym) =>
    texts.some((text) => findWholeWord(text, demonym).length > 0),
  );
}

function findFormalStates(
  context: StoryContext,
  blocked: readonly Blocked[],
  known: ActorRecord[],
): ActorRecord[] {
  const states: ActorRecord[] = [];
  const alone = new Map<string, boolean>();
  const standsAloneOnce = (shortName: string, formal: string) => {
    const key = `${shortName}\u0000${formal}`;
    if (!alone.has(key)) alone.set(key, standsAlone(context, shortName, formal));
    return alone.get(key) === true;
  };
  context.paragraphs.forEach((text, paragraph) => {
    for (const match of text.matchAll(FORMAL_STATE)) {
      const start = match.index ?? 0;
      if (start < (context.bodyStarts[paragraph] ?? 0)) continue;
      const shortName = stripPossessive(match[3] ?? '');
      const formal = `${match[1] ?? ''}${shortName}`;
      if (isBlocked(blocked, paragraph, start, start + formal.length)) continue;
      if (known.some((state) => state.forms.includes(formal))) continue;
      if (
        AMBIGUOUS_HEADS.has(match[2] ?? '') &&
        !/^(Federated|United)/.test(formal) &&
        !standsAloneOnce(shortName, formal) &&
        !demonymUsed(context, shortName)
      ) {
        continue;
      }
      const name = formal.replace(/^the\s+/i, '');
      let state = states.find((s) => s.shortName === shortName);
      if (!state) {
        state = newActor(name, 'STATE');
        state.shortName = shortName;
        state.formalName = name;
        state.demonyms = demonymsOf(shortName);
        states.push(state);
      }
      if (standsAloneOnce(shortName, formal)) addForm(state, shortName);
    }
  });
  return states;
}

export function findStates(context: StoryContext, blocked: readonly Blocked[]): ActorRecord[] {
  const known = findKnownStates(context, blocked);
  return [...known, ...findFormalStates(context, blocked, known)];
}

/** A state known only by its short name, inferred from "X’s Foreign Minister" and the like. */
export function inferredState(shortName: string): ActorRecord {
  const state = newActor(shortName, 'STATE');
  state.demonyms = demonymsOf(shortName);
  return state;
}
