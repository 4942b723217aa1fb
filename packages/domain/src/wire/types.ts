// Types of the wire-story parser and extractor. Everything here is plain data: the importer stores it,
// the evaluation script scores it. The parser and extractor do no I/O.
import type { ActorKind, StatementKind } from '../model.ts';

export type { ActorKind, StatementKind };

/** The dateline that opens paragraph 0, e.g. `MOSCOW, October 24. /TASS/. `. */
export type Dateline = {
  /** As printed ("MOSCOW", "UNITED NATIONS"); null when the dateline names no place. */
  place: string | null;
  month: number;
  day: number;
  /** The agency as printed ("TASS", "Meridian Press Service"); null when none is given. */
  agency: string | null;
  weekday?: string;
  year?: number;
  /** The exact prefix of paragraph 0, trailing separator and spaces included. */
  text: string;
  /** Offset in paragraph 0 where the body starts (`text.length`). */
  end: number;
};

export type ParsedStory = {
  headline: string;
  standfirst: string;
  dateline: Dateline | null;
  /** One entry per line from line 3 on, exactly as printed (paragraph 0 keeps its dateline). */
  paragraphs: string[];
};

export type ParseError = { message: string; line?: number };

export type ParseResult = { ok: true; story: ParsedStory } | { ok: false; error: ParseError };

/** A character range of one paragraph: `paragraphs[paragraph].slice(start, end) === text`. */
export type Span = { paragraph: number; start: number; end: number; text: string };

export type ExtractedActor = {
  /** Canonical name, as it occurs verbatim in the story (or the known actor's name). */
  name: string;
  kind: ActorKind;
  /** Other names the story uses for the actor, each occurring as a whole word. */
  aliases: string[];
  /** Normalised roles of a PERSON, e.g. "Deputy Foreign Minister of Russia"; [] otherwise. */
  roles: string[];
};

export type ExtractedTreaty = {
  title: string;
  /** Actor names of the parties; [] for multilateral instruments. */
  parties: string[];
  /** Article numbers in order of first mention ("4", "12", "XIX"). */
  provisions: string[];
  mentions: Span[];
};

export type ExtractedStatement = Span & {
  kind: StatementKind;
  /** An `actors[].name`, or null when the story does not let us say who spoke. */
  speaker: string | null;
  /** How the story describes the speaker at this point ("Russian Deputy Foreign Minister"). */
  speakerRole: string | null;
  /** The reporting word ("said", "added", "according to"), or null for a continued quote. */
  cue: string | null;
  /** How sure the rules are of the attribution, 0..1. */
  confidence: number;
};

export type MentionTarget =
  | { kind: 'actor'; name: string }
  | { kind: 'treaty'; title: string }
  | { kind: 'provision'; treatyTitle: string; number: string };

export type Mention = Span & { target: MentionTarget };

/** An actor the caller already knows (from the database); names and aliases resolve to it. */
export type KnownActor = { name: string; kind: ActorKind; aliases: string[] };

export type ExtractOptions = { knownActors?: KnownActor[] };

export type Extraction = {
  actors: ExtractedActor[];
  treaties: ExtractedTreaty[];
  statements: ExtractedStatement[];
  mentions: Mention[];
};
