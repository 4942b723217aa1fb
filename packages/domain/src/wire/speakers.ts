// Who is speaking: resolves the words a story uses for a source — a name ("Rudenko"), a description
// ("the high-ranking Russian diplomat", "the ministry", "the council’s secretariat"), a pronoun ("he"),
// a document ("the memo") — to an actor. When the words point at nobody we can name, the result says so
// (speaker unknown); when they point at a document nobody is said to have issued, the words are not a
// statement by an actor at all.
import type { ActorRecord } from './actor-record.ts';
import { type ActorIndex, type ActorMention, lastMentionBefore, mentionsIn, stateOfWord } from './actors.ts';
import { position } from './context.ts';
import {
  DOCUMENT_NOUNS,
  GROUP_NOUNS,
  ORGANIZATION_REFERENCES,
  ORGANIZATION_VOICES,
  PERSON_ROLE_NOUNS,
  PRE_VERB_WORDS,
  RANK_TITLES,
} from './lexicon.ts';
import { isPossessive, stripPossessive, type Token, tokenize } from './text.ts';

export type Resolution =
  | { kind: 'actor'; actor: ActorRecord; role: string | null; confidence: number }
  /** A source the story does not let us name ("a senior official", "they"). */
  | { kind: 'unknown'; role: string | null }
  /** Not an actor's statement: a document nobody is said to have issued, the treaty's own text. */
  | { kind: 'none' };

/** Documents with a known issuer: "An internal memo from the Lisenne Ministry of External Relations". */
export type DocumentIssuer = { noun: string; issuer: ActorRecord; pos: number };

const NOT_SPEAKERS: Resolution = { kind: 'none' };
const DOCUMENT_SYNONYMS: Record<string, string> = { memorandum: 'memo', communique: 'communiqué' };
const STATE_HEADS = new Set([
  'kingdom',
  'republic',
  'principality',
  'union',
  'federation',
  'emirate',
  'sultanate',
  'duchy',
  'commonwealth',
  'confederation',
]);
const GENERIC_ORGANIZATION_HEADS = new Set([
  'company',
  'firm',
  'body',
  'bloc',
  'operator',
  'organisation',
  'organization',
  'group',
]);
// "the airline", "the carmaker": a business, never a ministry or a court.
const BUSINESS_HEADS = new Set([
  'airline',
  'carrier',
  'carmaker',
  'automaker',
  'steelmaker',
  'chipmaker',
  'manufacturer',
  'maker',
  'producer',
  'lender',
  'insurer',
  'retailer',
  'contractor',
  'utility',
  'broadcaster',
  'conglomerate',
  'exporter',
  'shipbuilder',
  'miner',
  'developer',
]);
const PUBLIC_BODY =
  /\b(?:Ministry|Agency|Board|Council|Court|Commission|Authority|Embassy|Parliament|Assembly|Office|Department|Government|Cabinet|Bureau|Service)\b/;
const PREPOSITIONS = new Set(['for', 'at', 'of', 'from', 'in', 'with', 'by', 'within']);
// Sources that are not actors: the press, and a treaty's own text.
const NOT_ACTOR_HEADS = new Set([
  'media',
  'reports',
  'report',
  'press',
  'newspaper',
  'newspapers',
  'outlets',
  'treaty',
  'agreement',
  'accord',
  'protocol',
  'convention',
  'charter',
  'pact',
  'deal',
  'article',
  'clause',
  'provision',
]);
const DETERMINERS = new Set(['the', 'this', 'that', 'these', 'those', 'a', 'an']);
const CONJUNCTIONS = new Set(['but', 'and', 'while', 'whereas', 'yet', 'so', 'then']);
// Words that open a subordinate clause before its subject: "after unions warned that …".
const SUBORDINATORS = new Set([
  'after',
  'before',
  'when',
  'since',
  'because',
  'although',
  'though',
  'as',
  'once',
]);
// Lower-case heads through which a state speaks: "the Korvian authorities", "the Vostrian side".
const STATE_VOICE_HEADS = new Set([
  'government',
  'governments',
  'side',
  'sides',
  'officials',
  'authorities',
  'leadership',
  'administration',
  'regime',
  'delegation',
  'presidency',
  'cabinet',
  'state',
  'country',
  'nation',
  'leaders',
  'diplomats',
  'military',
  'capital',
]);
const DIPLOMATIC = /foreign|ambassador|envoy|representative|diplomat|mediator|consul|external|attach/i;
const LEADER = /president|prime minister|premier|chancellor|king|queen|leader|head/i;

function canonicalDocument(noun: string): string {
  const lower = noun.toLowerCase();
  return DOCUMENT_SYNONYMS[lower] ?? lower;
}

/** Registers documents whose issuer the story names, so "the memo says" can be traced back. */
export function findDocumentIssuers(index: ActorIndex): DocumentIssuer[] {
  const issuers: DocumentIssuer[] = [];
  const nouns = [...DOCUMENT_NOUNS].join('|');
  // "a draft decree published by the ministry": up to two words between the noun and its issuer.
  const from = new RegExp(
    `\\b(${nouns})(?:\\s+[\\p{Ll}-]+){0,2}?\\s+(?:from|by|of|issued by|released by|published by|sent by)\\s+(?:the\\s+)?$`,
    'u',
  );
  const owned = new RegExp(`^(?:['’]s)\\s+(?:[\\p{L}-]+\\s+){0,2}?(${nouns})\\b`, 'u');
  const issued = new RegExp(
    `^\\s+(?:issued|released|published|circulated|sent|put out)\\s+(?:a|an|its)\\s+(?:[\\p{L}-]+\\s+){0,2}?(${nouns})\\b`,
    'u',
  );
  for (const mention of index.mentions) {
    if (mention.actor.kind === 'PERSON') continue;
    const text = index.context.paragraphs[mention.paragraph] ?? '';
    const before = from.exec(text.slice(Math.max(0, mention.start - 60), mention.start));
    const after = text.slice(mention.end, mention.end + 80);
    const noun = before?.[1] ?? owned.exec(after)?.[1] ?? issued.exec(after)?.[1];
    if (noun) issuers.push({ noun: canonicalDocument(noun), issuer: mention.actor, pos: mention.pos });
  }
  return issuers;
}

const CHANNEL = new RegExp(
  `\\b(?:in|with|through)\\s+(?:a|an|its|their)\\s+(?:[\\p{L}-]+\\s+){0,2}?(${[...DOCUMENT_NOUNS].join('|')})\\b`,
  'iu',
);

/**
 * "In a statement, the ministry said …" makes the ministry the issuer of "the statement" that a later
 * sentence quotes ("The statement added that …").
 */
export function registerDocument(
  documents: DocumentIssuer[],
  sentence: string,
  resolution: Resolution,
  pos: number,
): void {
  if (resolution.kind !== 'actor' || resolution.actor.kind === 'PERSON') return;
  const noun = CHANNEL.exec(sentence)?.[1] ?? ISSUED_RELATIVE.exec(sentence)?.[1];
  if (noun) documents.push({ noun: canonicalDocument(noun), issuer: resolution.actor, pos });
}

// "a report the ministry released on Monday": a document and, in a relative clause, who issued it.
const ISSUED_RELATIVE = new RegExp(
  `\\b(${[...DOCUMENT_NOUNS].join('|')})\\s+(?:that\\s+)?((?:the|its)\\s+[^,;"“”]{1,60}?)\\s+(?:released|published|issued|put out|circulated)\\b`,
  'iu',
);

function words(index: ActorIndex, paragraph: number, start: number, end: number): Token[] {
  return tokenize(index.context.paragraphs[paragraph] ?? '', start, end);
}

/** The role words around a name in the speaker phrase ("Russian Deputy Foreign Minister"). */
function roleAround(text: string, mention: ActorMention, start: number): string | null {
  const before = text.slice(0, mention.start - start);
  const after = text.slice(mention.end - start);
  // "Oleny's office": the words after a possessive are not the person's role.
  if (/^['’]s\b/.test(after)) return null;
  const role = `${before} ${after}`
    .split(/\s+/)
    .filter((word) => !RANK_TITLES.has(word.replace(/,$/, '')))
    .join(' ')
    .replace(/\s*,\s*/g, ', ')
    .replace(/^[\s,]+|[\s,]+$/g, '')
    .replace(/^(?:the|but|and|while|whereas|yet)\s+/i, '')
    .trim();
  // An honorific alone ("Mr") says nothing about the role.
  return role.length > 0 &&
    /\p{L}/u.test(role) &&
    !RANK_TITLES.has(role) &&
    !CONJUNCTIONS.has(role.toLowerCase())
    ? role
    : null;
}

export function firstRole(actor: ActorRecord): string | null {
  return actor.rolePhrases[0]?.text.replace(/^(?:the|but|and)\s+/i, '') ?? null;
}

/** "the Meridian diplomat", "the deputy minister", "The Arvandi minister": the person who fits, latest first. */
function resolvePersonDescription(
  index: ActorIndex,
  modifiers: string[],
  head: string,
  pos: number,
): ActorRecord | null {
  const state = modifiers.map((word) => stateOfWord(index, word)).find(Boolean) ?? null;
  const titleWords = modifiers.filter((word) =>
    /^(deputy|foreign|defence|defense|trade|energy|prime|interior|finance|vice|permanent|chief)$/i.test(word),
  );
  const fits = (person: ActorRecord) => {
    if (person.kind !== 'PERSON') return false;
    if (state && person.state !== state) return false;
    const titles = person.titles.join(' | ');
    if (!titleWords.every((word) => new RegExp(`\\b${word}\\b`, 'i').test(titles))) return false;
    if (head === 'diplomat') return DIPLOMATIC.test(titles);
    if (head === 'envoy' || head === 'ambassador' || head === 'representative')
      return /ambassador|envoy|representative/i.test(titles);
    if (head === 'leader') return LEADER.test(titles);
    if (head === 'official') return titles.length > 0;
    // "the minister" is not how a story refers back to its prime minister.
    if (head === 'minister')
      return titleWords.some((word) => /^prime$/i.test(word))
        ? /prime minister/i.test(titles)
        : /(?<!prime )minister/i.test(titles);
    return new RegExp(`\\b${head}`, 'i').test(titles);
  };
  const exact = lastMentionBefore(index, pos, (m) => fits(m.actor))?.actor;
  if (exact || !state) return exact ?? null;
  // The story may not say whose official someone is; then the description fits anyone with the title.
  const stateless = (person: ActorRecord) => person.state === null && fits({ ...person, state });
  return lastMentionBefore(index, pos, (m) => m.actor.kind === 'PERSON' && stateless(m.actor))?.actor ?? null;
}

/** The person last mentioned in this or the previous paragraph. */
function recentPerson(index: ActorIndex, pos: number): ActorRecord | null {
  const mention = lastMentionBefore(index, pos, (m) => m.actor.kind === 'PERSON');
  return mention && withinAParagraph(mention, pos) ? mention.actor : null;
}

/** The organisation a spokesperson was last said to speak for ("a spokesperson for the Ministry of …"). */
function recentSpokenFor(index: ActorIndex, pos: number): ActorRecord | null {
  const mention = lastMentionBefore(index, pos, (m) => {
    if (m.actor.kind !== 'ORGANIZATION') return false;
    const before = (index.context.paragraphs[m.paragraph] ?? '').slice(Math.max(0, m.start - 40), m.start);
    return /\bspokes(?:man|woman|person)\s+for\s+(?:the\s+)?$/i.test(before);
  });
  return mention && withinAParagraph(mention, pos) ? mention.actor : null;
}

/** The mention is in the same paragraph as `pos` or the one before. */
const withinAParagraph = (mention: ActorMention, pos: number) =>
  mention.paragraph >= Math.floor(pos / position(1, 0)) - 1;

/** "the ministry", "Kelmar's foreign ministry", "the union": the organisation that fits, latest first. */
function resolveOrganizationReference(
  index: ActorIndex,
  modifiers: string[],
  head: string,
  pos: number,
): ActorRecord | null {
  const states = modifiers
    .map((word) => stateOfWord(index, word))
    .filter((s): s is ActorRecord => s !== null);
  const descriptive = modifiers.filter(
    (word) => /^\p{Ll}/u.test(word) && !/^(?:high-ranking|senior|top|new|state|national|central)$/.test(word),
  );
  const stem = head.replace(/s$/, '');
  const business = BUSINESS_HEADS.has(head);
  const fits = (actor: ActorRecord) => {
    if (actor.kind !== 'ORGANIZATION') return false;
    const name = actor.name.toLowerCase();
    if (business) return !PUBLIC_BODY.test(actor.name);
    if (!GENERIC_ORGANIZATION_HEADS.has(head) && !name.includes(stem)) return false;
    if (!descriptive.every((word) => name.includes(word.toLowerCase()))) return false;
    return states.every((state) =>
      [...state.forms, ...state.demonyms].some((form) => actor.name.includes(form)),
    );
  };
  return lastMentionBefore(index, pos, (m) => fits(m.actor))?.actor ?? index.actors.find(fits) ?? null;
}

const OBJECT_PRONOUNS: Record<string, string> = { him: 'he', her: 'she', them: 'they' };

const SPOKES_BEFORE = {
  he: /\bspokes(?:man|person)\s+for\s+(?:the\s+)?$/i,
  she: /\bspokes(?:woman|person)\s+for\s+(?:the\s+)?$/i,
} as const;

/** The organisation a spokesperson of that gender was last said to speak for, in this or the previous paragraph. */
function spokespersonFor(index: ActorIndex, pos: number, pronoun: 'he' | 'she'): ActorRecord | null {
  const mention = lastMentionBefore(index, pos, (m) => {
    if (m.actor.kind !== 'ORGANIZATION') return false;
    const before = (index.context.paragraphs[m.paragraph] ?? '').slice(Math.max(0, m.start - 40), m.start);
    return SPOKES_BEFORE[pronoun].test(before);
  });
  return mention && withinAParagraph(mention, pos) ? mention.actor : null;
}

function resolvePronoun(index: ActorIndex, pronoun: string, pos: number): Resolution {
  if (pronoun === 'he' || pronoun === 'she') {
    const wanted = pronoun === 'he' ? 'male' : 'female';
    const person = lastMentionBefore(
      index,
      pos,
      (m) => m.actor.kind === 'PERSON' && (m.actor.gender === null || m.actor.gender === wanted),
    )?.actor;
    if (person) return { kind: 'actor', actor: person, role: firstRole(person), confidence: 0.65 };
    // "A spokeswoman for the ministry said … “…,” she said": the unnamed voice of the organisation.
    const voiced = spokespersonFor(index, pos, pronoun);
    return voiced
      ? { kind: 'actor', actor: voiced, role: null, confidence: 0.6 }
      : { kind: 'unknown', role: null };
  }
  if (pronoun === 'it') {
    const owner = lastMentionBefore(index, pos, (m) => m.actor.kind !== 'PERSON')?.actor;
    return owner
      ? { kind: 'actor', actor: owner, role: null, confidence: 0.5 }
      : { kind: 'unknown', role: null };
  }
  return { kind: 'unknown', role: null };
}

/** The words of a description as printed ("builders' union"), from its first to its last token. */
function printed(text: string, tokens: readonly string[]): string {
  const first = tokens[0];
  const last = tokens[tokens.length - 1];
  if (first === undefined || last === undefined) return '';
  const from = text.indexOf(first);
  const to = text.lastIndexOf(last);
  return from >= 0 && to >= from ? text.slice(from, to + last.length) : tokens.join(' ');
}

/** The role noun after a person's possessive that ends the phrase ("Marchand's editor"), if any. */
function describedThrough(
  index: ActorIndex,
  paragraph: number,
  person: ActorMention,
  end: number,
): string | null {
  const text = index.context.paragraphs[paragraph] ?? '';
  const after = /^['’]s\s+((?:[\p{Ll}-]+\s+){0,2}?(\p{Ll}+))\s*$/u.exec(
    text.slice(person.end, end).replace(/\s+(?:also|later|then)\s*$/, ''),
  );
  const head = after?.[2] ?? '';
  return PERSON_ROLE_NOUNS.has(head) && !ORGANIZATION_VOICES.has(head) ? head : null;
}

/**
 * A source described by its role ("his lawyer", "a mediator") that the story names within the next two
 * paragraphs in apposition: "the lawyer, Shin Dong-hyuk," or "said the mediator, Henrik Falk".
 */
function namedLater(index: ActorIndex, paragraph: number, start: number, head: string): Resolution | null {
  const appositive = new RegExp(`\\bthe\\s+(?:[\\p{L}-]+\\s+){0,2}?${head},\\s+$`, 'iu');
  const from = position(paragraph, start);
  for (const mention of index.mentions) {
    if (mention.pos <= from || mention.paragraph > paragraph + 2 || mention.actor.kind !== 'PERSON') continue;
    if (mention.text !== mention.actor.name) continue;
    const text = index.context.paragraphs[mention.paragraph] ?? '';
    if (appositive.test(text.slice(Math.max(0, mention.start - 60), mention.start)))
      return { kind: 'actor', actor: mention.actor, role: null, confidence: 0.6 };
  }
  return null;
}

/**
 * Resolves the speaker phrase `[start, end)` of a paragraph. People named in the phrase win, then
 * organisations named in it ("Analysts at the Institute …", "a spokeswoman for the Meridian Ministry
 * …"), then documents, descriptions ("the Meridian diplomat", "the ministry") and states. A phrase naming
 * two people ("X and Y said") is a joint statement we leave unnamed.
 */
export function resolveSpeaker(
  index: ActorIndex,
  documents: readonly DocumentIssuer[],
  paragraph: number,
  start: number,
  end: number,
): Resolution {
  const text = (index.context.paragraphs[paragraph] ?? '').slice(start, end);
  const pos = position(paragraph, start);
  const mentions = mentionsIn(index, paragraph, start, end).filter((m) => !m.inQuote);
  let tokens = words(index, paragraph, start, end).map((t) => t.text);
  while (
    tokens.length > 1 &&
    (CONJUNCTIONS.has(tokens[0]?.toLowerCase() ?? '') || SUBORDINATORS.has(tokens[0]?.toLowerCase() ?? ''))
  )
    tokens = tokens.slice(1);
  while (tokens.length > 0 && PRE_VERB_WORDS.has(tokens[tokens.length - 1]?.toLowerCase() ?? ''))
    tokens = tokens.slice(0, -1);
  if (tokens.length === 0) return { kind: 'unknown', role: null };
  const lower = tokens.map((t) => t.toLowerCase());

  const relative = /released|published|issued|put out|circulated/.test(text)
    ? ISSUED_RELATIVE.exec(text)
    : null;
  if (relative?.[2] && relative.index < 20) {
    const issuerStart = start + relative.index + relative[0].indexOf(relative[2], relative[1]?.length ?? 0);
    const issuer = resolveSpeaker(index, documents, paragraph, issuerStart, issuerStart + relative[2].length);
    if (issuer.kind === 'actor') return { ...issuer, role: null, confidence: 0.75 };
  }
  const people = [...new Set(mentions.filter((m) => m.actor.kind === 'PERSON').map((m) => m.actor))];
  if (people.length > 1 && lower.includes('and')) return { kind: 'unknown', role: null };
  const person = mentions.filter((m) => m.actor.kind === 'PERSON').pop();
  // "Marchand's editor", "Vand's lawyer": someone else, described through the person named.
  const described = person ? describedThrough(index, paragraph, person, end) : null;
  if (described) {
    const role = printed(text, tokens.slice(DETERMINERS.has(lower[0] ?? '') ? 1 : 0));
    return namedLater(index, paragraph, start, described) ?? { kind: 'unknown', role };
  }
  if (person) {
    const full = person.text === person.actor.name;
    return {
      kind: 'actor',
      actor: person.actor,
      role: roleAround(text, person, start) ?? firstRole(person.actor),
      confidence: full ? 0.95 : 0.9,
    };
  }
  // "he said", and the object forms after "according to him", "in her words".
  if (tokens.length === 1 && /^(he|she|it|they|him|her|them)$/.test(lower[0] ?? ''))
    return resolvePronoun(index, OBJECT_PRONOUNS[lower[0] ?? ''] ?? lower[0] ?? '', pos);

  // "A senior Defence Ministry official said": an unnamed source, not the ministry (but "a spokesperson
  // for the ministry" speaks for it).
  if ((lower[0] === 'a' || lower[0] === 'an') && lower.length > 2) {
    const prep = lower.findIndex((word, i) => i > 0 && PREPOSITIONS.has(word));
    const roleHead = stripPossessive(lower[(prep > 0 ? prep : lower.length) - 1] ?? '');
    if (PERSON_ROLE_NOUNS.has(roleHead) && !ORGANIZATION_VOICES.has(roleHead))
      return (
        namedLater(index, paragraph, start, roleHead) ?? {
          kind: 'unknown',
          role: printed(text, tokens.slice(1)),
        }
      );
  }
  // "Analysts at the Institute for Continental Energy": the group speaks for the body it belongs to.
  const organization = mentions.filter((m) => m.actor.kind === 'ORGANIZATION').pop();
  if (organization)
    return {
      kind: 'actor',
      actor: organization.actor,
      role: null,
      confidence: GROUP_NOUNS.has(lower[0] ?? '') ? 0.8 : 0.9,
    };

  // Split "a spokeswoman for the ministry" into its head ("spokeswoman") and the owner ("ministry").
  const preposition = lower.findIndex((word, i) => i > 0 && PREPOSITIONS.has(word));
  let headTokens = preposition > 0 ? tokens.slice(0, preposition) : tokens;
  // "data released by the ministry": the participle is not the head.
  if (headTokens.length > 1 && /^\p{Ll}+ed$/u.test(headTokens[headTokens.length - 1] ?? ''))
    headTokens = headTokens.slice(0, -1);
  const head = stripPossessive(headTokens[headTokens.length - 1] ?? '').toLowerCase();
  const modifiers = headTokens
    .slice(0, -1)
    .filter((word) => !DETERMINERS.has(word.toLowerCase()))
    .map(stripPossessive);
  const possessiveOwner = headTokens.slice(0, -1).find((t) => isPossessive(t) && /^\p{Ll}/u.test(t));
  const tailOwner = preposition > 0 ? stripPossessive(tokens[tokens.length - 1] ?? '').toLowerCase() : null;
  // "company data", "ministry figures": a document noun after the organisation it comes from (but
  // "court officials" stay unnamed people).
  const modifierOwner = DOCUMENT_NOUNS.has(head)
    ? headTokens
        .slice(0, -1)
        .map((t) => t.toLowerCase())
        .find((t) => ORGANIZATION_REFERENCES.has(t))
    : undefined;
  const owner = possessiveOwner
    ? stripPossessive(possessiveOwner).toLowerCase()
    : (tailOwner ?? modifierOwner);
  const ownerOrganization = () =>
    owner && ORGANIZATION_REFERENCES.has(owner) ? resolveOrganizationReference(index, [], owner, pos) : null;

  if (DOCUMENT_NOUNS.has(head)) {
    const noun = canonicalDocument(head);
    const issued = [...documents].reverse().find((doc) => doc.noun === noun && doc.pos < pos);
    const issuer = issued?.issuer ?? ownerOrganization();
    return issuer ? { kind: 'actor', actor: issuer, role: null, confidence: 0.75 } : NOT_SPEAKERS;
  }
  if (NOT_ACTOR_HEADS.has(head)) return NOT_SPEAKERS;
  if (ORGANIZATION_VOICES.has(head) || GROUP_NOUNS.has(head)) {
    // "the council’s secretariat", "a spokesman for the ministry": the organisation speaks.
    const org = ownerOrganization();
    if (org) return { kind: 'actor', actor: org, role: null, confidence: 0.75 };
  }
  if (PERSON_ROLE_NOUNS.has(head) && !GROUP_NOUNS.has(head)) {
    // "the Meridian diplomat" refers back; "a senior official" introduces someone unnamed.
    const role = printed(text, tokens.slice(DETERMINERS.has(lower[0] ?? '') ? 1 : 0));
    const indefinite = lower[0] === 'a' || lower[0] === 'an';
    const described = indefinite ? null : resolvePersonDescription(index, modifiers, head, pos);
    if (described) return { kind: 'actor', actor: described, role, confidence: 0.7 };
    if (!indefinite && DETERMINERS.has(lower[0] ?? '')) {
      // "the spokesperson said" after "a spokesperson for the ministry": the organisation again.
      const org = ORGANIZATION_VOICES.has(head) ? recentSpokenFor(index, pos) : null;
      if (org) return { kind: 'actor', actor: org, role: null, confidence: 0.6 };
      // "The central banker said", "the former general said": a definite description refers back to
      // the person the story has just been about, even when it does not repeat their title.
      const recent = recentPerson(index, pos);
      if (recent) return { kind: 'actor', actor: recent, role, confidence: 0.55 };
    }
    // "A mediator … said" then "said the mediator, Henrik Falk"; "his lawyer told reporters" then
    // "the lawyer, Shin Dong-hyuk, said": the story names the source right after.
    const later = namedLater(index, paragraph, start, head);
    if (later) return later;
    // "a senior Velmark official": an unnamed source, kept with its description (corpus README);
    // only a definite one ("the Velmark official") speaks for the state named.
    const state = indefinite ? null : modifiers.map((word) => stateOfWord(index, word)).find(Boolean);
    return state ? { kind: 'actor', actor: state, role, confidence: 0.5 } : { kind: 'unknown', role };
  }
  if (ORGANIZATION_REFERENCES.has(head) || (BUSINESS_HEADS.has(head) && DETERMINERS.has(lower[0] ?? ''))) {
    const org = resolveOrganizationReference(index, modifiers, head, pos);
    if (org) return { kind: 'actor', actor: org, role: null, confidence: 0.75 };
  }
  // "the kingdom", "the principality", "the union": the state whose formal name has that head.
  if (DETERMINERS.has(lower[0] ?? '') && STATE_HEADS.has(head)) {
    const fits = (actor: ActorRecord) =>
      actor.kind === 'STATE' && actor.name.toLowerCase().startsWith(`${head} of`);
    const state = lastMentionBefore(index, pos, (m) => fits(m.actor))?.actor ?? index.actors.find(fits);
    if (state) return { kind: 'actor', actor: state, role: null, confidence: 0.7 };
  }

  // A state speaks through its name, its capital, its government, its side or its officials — but "the
  // Hanseo coast guard" is a body the story does not name, kept with its description.
  const state =
    mentions.filter((m) => m.actor.kind === 'STATE').pop()?.actor ??
    tokens.map((t) => stateOfWord(index, t)).find(Boolean);
  const printedHead = headTokens[headTokens.length - 1] ?? '';
  if (state && /^\p{Ll}/u.test(printedHead) && !STATE_VOICE_HEADS.has(head) && !stateOfWord(index, head))
    return { kind: 'unknown', role: printed(text, tokens.slice(DETERMINERS.has(lower[0] ?? '') ? 1 : 0)) };
  if (state) return { kind: 'actor', actor: state, role: null, confidence: 0.8 };
  // "The government also said …" with no state named in the phrase: the state the story was last about.
  if (lower.length === 2 && lower[0] === 'the' && head === 'government') {
    const last = lastMentionBefore(index, pos, (m) => m.actor.kind === 'STATE')?.actor;
    if (last) return { kind: 'actor', actor: last, role: null, confidence: 0.55 };
  }
  return { kind: 'unknown', role: printed(text, tokens) };
}
