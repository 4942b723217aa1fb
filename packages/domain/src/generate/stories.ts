// Invented wire stories in the corpus format (fixtures/corpus/README.md): a headline, a standfirst,
// a dateline in one of the agencies' styles, direct quotes (straight or curly, split, after a
// colon, running over several paragraphs), reported speech, ministry statements, treaty titles,
// "Article N" in its several forms, scare quotes. For load and scale tests: realistic in shape and
// size, deterministic for a seed, and each headline unique within a run.

import { MONTH_NAMES as MONTHS } from '../calendar.ts';
import { slugify } from '../slug.ts';
import { Random } from './random.ts';
import { buildWorld, type Person, type State, type Topic, type Treaty, type World } from './world.ts';

export type GeneratedStory = {
  /** `00042-velmora-and-arvand-….txt`: numbered, so a directory listing keeps the order. */
  fileName: string;
  text: string;
};

export type GenerateOptions = { stories: number; seed: string };

const SHORT_MONTHS = [
  'Jan.',
  'Feb.',
  'March',
  'April',
  'May',
  'June',
  'July',
  'Aug.',
  'Sept.',
  'Oct.',
  'Nov.',
  'Dec.',
];
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'];
const ROMAN = [
  'I',
  'II',
  'III',
  'IV',
  'V',
  'VI',
  'VII',
  'VIII',
  'IX',
  'X',
  'XI',
  'XII',
  'XIII',
  'XIV',
  'XV',
  'XVI',
  'XVII',
  'XVIII',
  'XIX',
  'XX',
  'XXI',
  'XXII',
  'XXIII',
  'XXIV',
];

type Style = { open: string; close: string; apostrophe: string };

type Cast = {
  a: State;
  b: State;
  speakerA: Person;
  speakerB: Person;
  treaty: Treaty;
  topic: Topic;
  style: Style;
  month: number;
  day: number;
  weekday: string;
};

const fullName = (p: Person) => `${p.first} ${p.last}`;
/** "the Republic of Velmora"; `The` at the start of a sentence. */
const the = (state: State) => `the ${state.formal}`;
const The = (state: State) => `The ${state.formal}`;
const pronoun = (p: Person) => (p.gender === 'f' ? 'she' : 'he');
const Pronoun = (p: Person) => (p.gender === 'f' ? 'She' : 'He');
const possessive = (p: Person) => (p.gender === 'f' ? 'her' : 'his');

function dateline(random: Random, cast: Cast, agency: string, place: string): string {
  const { month, day, weekday } = cast;
  const name = MONTHS[month - 1] as string;
  switch (random.int(0, 5)) {
    case 0:
      return `${place.toUpperCase()}, ${name} ${day}. /${agency}/. `;
    case 1:
      return `${place.toUpperCase()}, ${name} ${day} (${agency}) — `;
    case 2:
      return `${place.toUpperCase()}, ${day} ${name} (${agency}) - `;
    case 3:
      return `${SHORT_MONTHS[month - 1]} ${day} /${agency}/ -- `;
    case 4:
      return `${place.toUpperCase()}, ${weekday}, ${name} ${day} (${agency}) – `;
    default:
      return `${place}, ${name.slice(0, 3)} ${day} (${agency}) — `;
  }
}

/** Things a minister says in their own words. */
function quoteText(random: Random, cast: Cast, speaker: Person): string {
  const other = speaker.state === cast.a ? cast.b : cast.a;
  const issue = random.pick(cast.topic.issues);
  const { apostrophe: ap } = cast.style;
  return random.pick([
    `We have spent years arguing about ${issue}. Today we agreed to start arguing about solutions instead`,
    `${speaker.state.name} is ready to work in good faith, but nobody should expect a signature before the autumn`,
    `Our partners in ${other.capital} have not kept their side of the bargain, and we will not pretend otherwise`,
    `This is not a favour to ${other.name}. It is an investment in our own future`,
    `We do not want an incident. But we will not be caught sleeping either`,
    `There will still be arguments. The difference is that from now on they will end up in front of a commission`,
    `Nobody in ${speaker.state.capital} wants to reopen questions that were closed years ago`,
    `If we solve ${issue}, everything else will follow`,
    `We will give them thirty days. After that, we will act within the law`,
    `The door is open, and it will stay open as long as both sides want it to be`,
    `We have waited long enough for rules that everyone understands`,
    `Let${ap}s be honest: the text is far from perfect, but it is far better than what we had`,
  ]);
}

/** A clause reported without quotes. */
function claim(random: Random, cast: Cast, speaker: Person): string {
  const other = speaker.state === cast.a ? cast.b : cast.a;
  const issue = random.pick(cast.topic.issues);
  const town = random.pick(['the capital', other.capital, speaker.state.capital]);
  return random.pick([
    `the two sides had narrowed their differences on ${issue}`,
    `${speaker.state.name} would not accept any change to ${issue} without a vote in parliament`,
    `a technical commission would meet again in ${town} next month`,
    `the ${cast.treaty.short} would be submitted to parliament before the summer recess`,
    `experts from both countries would draw up a timetable for ${issue}`,
    `${other.name} had not yet answered a proposal on ${issue} sent in the spring`,
    `the talks had been held in a constructive and businesslike atmosphere`,
    `the government remained committed to the negotiations despite the dispute over ${issue}`,
  ]);
}

function articleReference(random: Random, treaty: Treaty): string {
  const n = random.int(1, treaty.articles);
  switch (random.int(0, 5)) {
    case 0:
      return `Article ${n}, paragraph ${random.int(1, 4)}`;
    case 1:
      return `Article ${n}(${random.int(1, 5)})`;
    case 2:
      return `Article ${ROMAN[n - 1] ?? n}`;
    default:
      return `Article ${n}`;
  }
}

type Paragraph = (random: Random, cast: Cast, world: World) => string | string[];

const q = (cast: Cast, text: string) => `${cast.style.open}${text}${cast.style.close}`;

const PARAGRAPHS: Record<string, Paragraph> = {
  direct: (random, cast) => {
    const speaker = random.pick([cast.speakerA, cast.speakerB]);
    const verb = random.pick([
      'told reporters after the meeting',
      'said',
      'told a news conference',
      'said at the ceremony',
      'told journalists',
    ]);
    return `${q(cast, `${quoteText(random, cast, speaker)},`)} ${speaker.last} ${verb}.`;
  },
  split: (random, cast) => {
    const speaker = random.pick([cast.speakerA, cast.speakerB]);
    return `${q(cast, `${quoteText(random, cast, speaker)},`)} ${pronoun(speaker)} said. ${q(cast, `${quoteText(random, cast, speaker)}.`)}`;
  },
  colon: (random, cast) => {
    const speaker = cast.speakerB;
    return `${speaker.last} was more cautious. ${Pronoun(speaker)} said: ${q(cast, `${quoteText(random, cast, speaker)}.`)}`;
  },
  multi: (random, cast) => {
    const speaker = cast.speakerA;
    const { open, close } = cast.style;
    return [
      `In a speech that opened the debate, ${speaker.last} said: ${open}${quoteText(random, cast, speaker)}.`,
      `${open}${quoteText(random, cast, speaker)}.`,
      `${open}${quoteText(random, cast, speaker)}.${close}`,
    ];
  },
  according: (random, cast) => `According to ${cast.speakerA.last}, ${claim(random, cast, cast.speakerA)}.`,
  added: (random, cast) =>
    `The ${cast.speakerA.state.demonym} minister added that ${claim(random, cast, cast.speakerA)}.`,
  indirect: (random, cast) =>
    `${cast.speakerB.last} said ${random.pick(['that ', ''])}${claim(random, cast, cast.speakerB)}, and that the next round could take place in ${cast.a.capital}.`,
  noted: (random, cast) =>
    `${Pronoun(cast.speakerB)} ${random.pick(['noted', 'warned', 'insisted'])} that ${claim(random, cast, cast.speakerB)}.`,
  ministry: (random, cast) => {
    const state = random.pick([cast.a, cast.b]);
    return `The ${state.demonym} Ministry of Foreign Affairs said in a statement that ${claim(random, cast, cast.speakerA)} and that the meeting had been held ${q(cast, 'in a spirit of mutual respect')}.`;
  },
  articles: (random, cast) => {
    const treaty = cast.treaty;
    const issue = random.pick(cast.topic.issues);
    return `Under ${articleReference(random, treaty)} of the ${treaty.short}, either party may suspend its obligations over ${issue}, provided it gives written notice. ${articleReference(random, treaty)} provides for a joint commission to settle disputes.`;
  },
  quotedArticle: (random, cast) => {
    const speaker = cast.speakerA;
    return `${q(cast, `${articleReference(random, cast.treaty)} is of particular importance to us,`)} ${speaker.last} said, adding that ${possessive(speaker)} government expected the commission to meet before the end of the year.`;
  },
  background: (random, cast, world) => {
    const label = random.pick(cast.topic.labels);
    const year = random.int(1995, 2021);
    return `The dispute over ${cast.topic.subject} flared up in ${year} near the town of ${random.pick(world.towns)}. The so-called ${q(cast, label)} drawn at the time has never been recognised by either government.`;
  },
  body: (random, cast, world) =>
    `Among the observers were delegates of the ${random.pick(world.bodies)}, whose secretariat has repeatedly offered to host talks on ${random.pick(cast.topic.issues)}.`,
  declined: (random, cast) =>
    `${cast.b.name}${cast.style.apostrophe}s interior ministry declined to comment on ${random.pick(cast.topic.issues)}.`,
  closing: (random, cast) =>
    `The next round of talks is expected in ${random.pick([cast.a.capital, cast.b.capital, 'Geneva'])} in ${random.pick(MONTHS)}.`,
};

const MIDDLE = [
  'direct',
  'split',
  'colon',
  'according',
  'added',
  'indirect',
  'noted',
  'ministry',
  'articles',
  'quotedArticle',
  'background',
  'body',
  'declined',
  'multi',
];

function headline(random: Random, cast: Cast, attempt: number): string {
  const { a, b, topic, treaty } = cast;
  const issue = random.pick(topic.issues);
  const base = random.pick([
    `${a.name} and ${b.name} agree to resume talks on ${issue}`,
    `${a.name} warns ${b.name} over ${issue}`,
    `${a.name} and ${b.name} sign ${treaty.short} after years of talks`,
    `${b.name} rejects ${a.name}${cast.style.apostrophe}s proposal on ${issue}`,
    `${a.name} threatens to suspend ${treaty.short} over ${issue}`,
    `${a.name}, ${b.name} close to deal on ${issue}`,
    `${cast.speakerA.last} says ${b.name} must move on ${issue}`,
  ]);
  const where = [
    `in ${a.capital}`,
    `in ${b.capital}`,
    'in Geneva',
    `after talks in ${a.capital}`,
    `as ${cast.speakerB.last} visits ${a.capital}`,
  ];
  if (attempt === 0) return base;
  if (attempt <= where.length) return `${base} ${where[attempt - 1]}`;
  // Wire services number the updates of a story the same way.
  return `UPDATE ${attempt - where.length}-${base}`;
}

function oneStory(random: Random, world: World, used: Set<string>): { headline: string; text: string } {
  const treaty = random.pick(world.treaties);
  const [a, b] = random.chance(0.5)
    ? treaty.parties
    : ([treaty.parties[1], treaty.parties[0]] as [State, State]);
  const from = (state: State) => world.people.filter((p) => p.state === state);
  const month = random.int(1, 12);
  const cast: Cast = {
    a,
    b,
    speakerA: random.pick(from(a)),
    speakerB: random.pick(from(b)),
    treaty,
    topic: treaty.topic,
    style: random.chance(0.5)
      ? { open: '"', close: '"', apostrophe: "'" }
      : { open: '“', close: '”', apostrophe: '’' },
    month,
    day: random.int(1, DAYS[month - 1] as number),
    weekday: random.pick(WEEKDAYS),
  };
  let title = headline(random, cast, 0);
  // Unique as a slug, not just as text: the importer takes a story with the same slug for a new
  // version of the same story.
  for (let attempt = 1; used.has(slugify(title)); attempt++) title = headline(random, cast, attempt);
  used.add(slugify(title));
  const agency = random.pick(world.states).agency;
  const place = random.pick([a.capital, b.capital, 'Geneva']);
  const { speakerA, speakerB } = cast;
  const standfirst = `${speakerA.office} ${fullName(speakerA)} said ${claim(random, cast, speakerA)}.`;
  const lead = random.pick([
    `${The(a)} and ${the(b)} agreed on ${cast.weekday} to revive talks on the ${q(cast, treaty.title)}, ${a.demonym} ${speakerA.office} ${fullName(speakerA)} said.`,
    `${speakerA.office} of ${the(a)} ${fullName(speakerA)} and ${possessive(speakerA)} counterpart from ${the(b)}, ${fullName(speakerB)}, met on ${cast.weekday} to discuss ${cast.topic.subject}.`,
    `${The(a)} could suspend its obligations under the ${q(cast, treaty.title)} if ${the(b)} does not change course, ${speakerA.office} ${fullName(speakerA)} told parliament on ${cast.weekday}.`,
  ]);
  const paragraphs: string[] = [`${dateline(random, cast, agency, place)}${lead}`];
  // A second paragraph that introduces the other side by full name, then a mix of the rest.
  paragraphs.push(
    `${fullName(speakerB)}, ${b.demonym} ${speakerB.office}, said ${claim(random, cast, speakerB)}.`,
  );
  for (const kind of random.sample(MIDDLE, random.int(5, 10))) {
    const made = (PARAGRAPHS[kind] as Paragraph)(random, cast, world);
    paragraphs.push(...(Array.isArray(made) ? made : [made]));
  }
  paragraphs.push(String((PARAGRAPHS.closing as Paragraph)(random, cast, world)));
  return { headline: title, text: `${[title, standfirst, ...paragraphs].join('\n')}\n` };
}

/**
 * `stories` invented stories for `seed`, one at a time (a million never sit in memory together).
 * The same options always give the same stories.
 */
export function* generateStories(options: GenerateOptions): Generator<GeneratedStory> {
  const random = new Random(`chancery:${options.seed}`);
  // The world does not depend on the count, so the first stories of a seed are always the same.
  const world = buildWorld(random, { states: 24 });
  const used = new Set<string>();
  const width = Math.max(5, String(options.stories).length);
  for (let i = 0; i < options.stories; i++) {
    const story = oneStory(random, world, used);
    const name = slugify(story.headline).slice(0, 60).replace(/-+$/, '');
    yield { fileName: `${String(i + 1).padStart(width, '0')}-${name}.txt`, text: story.text };
  }
}
