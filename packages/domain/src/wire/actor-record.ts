// The extractor's working record of an actor: more than the output carries (printed forms, a person's
// state and gender, a state's demonyms and capitals), because speaker resolution needs it.
import type { ActorKind } from './types.ts';

export type Gender = 'male' | 'female';

export type ActorRecord = {
  name: string;
  kind: ActorKind;
  /** Every printed form that refers to the actor: the name, aliases, formal names. */
  forms: string[];
  /** Forms reported as aliases (a subset of `forms`, without the name). */
  aliases: string[];
  /** Printed role phrases, in order: "Russian Deputy Foreign Minister", "Its president". */
  rolePhrases: RolePhrase[];
  /** Normalised roles ("Deputy Foreign Minister of Russia"). */
  roles: string[];
  /** Role titles without the state ("Deputy Foreign Minister"), for "his counterpart" and descriptions. */
  titles: string[];
  /** The state a person serves, or an organisation belongs to. */
  state: ActorRecord | null;
  gender: Gender | null;
  /** STATE only. */
  demonyms: string[];
  capitals: string[];
  /** Name for role strings ("Arvand" for the Republic of Arvand) and formal name for treaty titles. */
  shortName: string;
  formalName: string;
  /** Came from the caller's known actors. */
  known: boolean;
};

/** A role phrase as printed and where it stands; `before` is true for titles right before the name. */
export type RolePhrase = { paragraph: number; start: number; end: number; text: string; before: boolean };

export function newActor(name: string, kind: ActorRecord['kind']): ActorRecord {
  return {
    name,
    kind,
    forms: [name],
    aliases: [],
    rolePhrases: [],
    roles: [],
    titles: [],
    state: null,
    gender: null,
    demonyms: [],
    capitals: [],
    shortName: name,
    formalName: name,
    known: false,
  };
}

export function addForm(actor: ActorRecord, form: string): void {
  if (form && !actor.forms.includes(form)) actor.forms.push(form);
}

/** Spans of one paragraph that a rule must not read (treaty titles, the dateline agency). */
export type Blocked = { paragraph: number; start: number; end: number };

export function isBlocked(
  blocked: readonly Blocked[],
  paragraph: number,
  start: number,
  end: number,
): boolean {
  return blocked.some((b) => b.paragraph === paragraph && b.start < end && start < b.end);
}

/** The same test, for many lookups over a long list: the spans grouped by paragraph once. */
export function blockedLookup(
  blocked: readonly Blocked[],
): (paragraph: number, start: number, end: number) => boolean {
  let byParagraph = groupedCache.get(blocked);
  if (!byParagraph) {
    byParagraph = new Map<number, Blocked[]>();
    for (const b of blocked) {
      const list = byParagraph.get(b.paragraph) ?? [];
      list.push(b);
      byParagraph.set(b.paragraph, list);
    }
    groupedCache.set(blocked, byParagraph);
  }
  const grouped = byParagraph;
  return (paragraph, start, end) =>
    (grouped.get(paragraph) ?? []).some((b) => b.start < end && start < b.end);
}

const groupedCache = new WeakMap<readonly Blocked[], Map<number, Blocked[]>>();
