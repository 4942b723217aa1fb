// The invented world generated stories take place in: states with formal names, demonyms, capitals
// and news agencies; people who hold offices in them; ministries and regional bodies; treaties
// between pairs of states. Built from a seed, so the same seed gives the same world.
import type { Random } from './random.ts';

export type Gender = 'f' | 'm';

export type State = {
  /** Short name: "Velmora". */
  name: string;
  /** Formal name: "Republic of Velmora". */
  formal: string;
  demonym: string;
  capital: string;
  /** The national news agency as datelines print it: "VNA", "Velmoran Press Service". */
  agency: string;
};

export type Office =
  | 'Foreign Minister'
  | 'Deputy Foreign Minister'
  | 'Defence Minister'
  | 'Trade Minister'
  | 'Energy Minister'
  | 'Prime Minister'
  | 'President'
  | 'Interior Minister';

export type Person = { first: string; last: string; gender: Gender; state: State; office: Office };

export type Topic = {
  key: string;
  /** What the talks are about, as a noun phrase: "the shared border". */
  subject: string;
  issues: string[];
  /** A label people put in quotes ("the grain corridor"). */
  labels: string[];
};

export type Treaty = {
  title: string;
  short: string;
  parties: [State, State];
  topic: Topic;
  articles: number;
};

export type World = {
  states: State[];
  people: Person[];
  treaties: Treaty[];
  bodies: string[];
  rivers: string[];
  towns: string[];
};

const ONSETS = [
  'Ar',
  'Mer',
  'Kel',
  'Os',
  'Li',
  'Tar',
  'Vel',
  'Dra',
  'Bre',
  'Sal',
  'Kor',
  'Tes',
  'Ven',
  'Mor',
  'Ald',
  'Cas',
  'Nor',
  'Pel',
  'Ros',
  'Zan',
  'Ilv',
  'Qua',
  'Hes',
  'Jor',
  'Lun',
  'Bar',
  'Sev',
  'Tol',
  'Eld',
  'Gar',
];
const CODAS = [
  'vand',
  'idia',
  'mara',
  'trava',
  'senne',
  'ovia',
  'ania',
  'esk',
  'ora',
  'enna',
  'itz',
  'ara',
  'evo',
  'astan',
  'eria',
  'ond',
  'ul',
  'asia',
  'ekh',
  'inor',
];
const CAPITAL_CODAS = ['ek', 'an', 'ov', 'ing', 'ach', 'el', 'os', 'ard', 'um', 'is', 'er', 'one'];
const FORMS = [
  'Republic of',
  'Kingdom of',
  'Federated States of',
  'Union of',
  'Principality of',
  'Grand Duchy of',
  'Commonwealth of',
];
const FIRST = {
  f: [
    'Lena',
    'Hana',
    'Jana',
    'Isabeau',
    'Clarisse',
    'Odile',
    'Rina',
    'Yelena',
    'Lucia',
    'Mirela',
    'Ines',
    'Katja',
    'Sofia',
    'Elin',
    'Tamara',
    'Ada',
    'Vera',
    'Noor',
    'Irena',
    'Marta',
  ],
  m: [
    'Aurelio',
    'Dmitar',
    'Tomas',
    'Pavel',
    'Corin',
    'Selim',
    'Arkady',
    'Mikael',
    'Stefan',
    'Oren',
    'Luka',
    'Emil',
    'Viktor',
    'Rafael',
    'Anton',
    'Milo',
    'Ivo',
    'Bruno',
    'Teodor',
    'Nils',
  ],
};
const LAST_ONSETS = [
  'Var',
  'San',
  'Pet',
  'Vos',
  'Dros',
  'Ole',
  'Tak',
  'Cor',
  'Hru',
  'Vas',
  'Str',
  'Rei',
  'Kol',
  'Okar',
  'Au',
  'Mar',
  'Bel',
  'Gra',
  'Lind',
  'Mos',
  'Fen',
  'Har',
  'Jel',
  'Kess',
  'Novi',
  'Pra',
  'Ros',
  'Sel',
  'Tur',
  'Wes',
];
const LAST_CODAS = [
  'ga',
  'tane',
  'rek',
  's',
  'sny',
  'ny',
  'ács',
  'ra',
  'da',
  'seur',
  'om',
  'l',
  'ářová',
  'ra',
  'mont',
  'chetti',
  'án',
  'enko',
  'ovic',
  'berg',
  'ani',
  'ell',
  'in',
  'au',
  'ek',
  'ski',
];
const OFFICES: Office[] = [
  'Foreign Minister',
  'Foreign Minister',
  'Deputy Foreign Minister',
  'Defence Minister',
  'Trade Minister',
  'Energy Minister',
  'Prime Minister',
  'President',
  'Interior Minister',
];

export const TOPICS: Topic[] = [
  {
    key: 'border',
    subject: 'the demarcation of their shared border',
    issues: [
      'the riverbed after seasonal floods',
      'the status of frontier villages',
      'the removal of border markers',
      'joint patrols along the frontier',
    ],
    labels: ['the orchard', 'the old line', 'the grey strip'],
  },
  {
    key: 'fisheries',
    subject: 'fishing rights in their shared waters',
    issues: [
      'catch limits for herring and cod',
      'the inspection of trawlers',
      'the conservation belt around the islands',
      'fines for vessels that exceed their share',
    ],
    labels: ['conservation belt', 'blue line', 'open season'],
  },
  {
    key: 'energy',
    subject: 'the transit of gas through their pipelines',
    issues: [
      'unpaid transit fees',
      'the minimum annual throughput',
      'maintenance of the southern pipeline',
      'the price formula for winter deliveries',
    ],
    labels: ['winter clause', 'gas bridge', 'transit tax'],
  },
  {
    key: 'rail',
    subject: 'the reopening of their rail freight link',
    issues: [
      'joint customs inspections',
      'repairs to the border bridge',
      'the right to halt traffic in an emergency',
      'freight tariffs',
    ],
    labels: ['iron corridor', 'night trains', 'single window'],
  },
  {
    key: 'water',
    subject: 'sharing the waters of their common river',
    issues: [
      'the filling of the upstream reservoir',
      'minimum flows in the dry season',
      'pollution from the mining district',
      'a joint monitoring station',
    ],
    labels: ['dry season quota', 'green flow', 'the dam question'],
  },
  {
    key: 'trade',
    subject: 'customs and trade between them',
    issues: [
      'quotas on grain exports',
      'tariffs on steel',
      'congestion at the ports',
      'a common list of sanitary standards',
    ],
    labels: ['grain corridor', 'fast lane', 'green list'],
  },
  {
    key: 'security',
    subject: 'military transparency along their frontier',
    issues: [
      'notification of large exercises',
      'a military hotline',
      'observers at snap drills',
      'the buffer zone established after the ceasefire',
    ],
    labels: ['buffer zone', 'quiet zone', 'red line'],
  },
];

const TREATY_TITLES: Record<string, ((a: State, b: State, w: { river: string }) => [string, string])[]> = {
  border: [(_a, _b, w) => [`Treaty on the Demarcation of the ${w.river} Valley`, 'treaty']],
  fisheries: [(_a, _b, w) => [`Agreement on Fisheries in the Gulf of ${w.river}`, 'agreement']],
  energy: [(a) => [`${a.capital} Accord on Energy Transit`, 'accord']],
  rail: [() => ['Protocol on Rail Transit', 'protocol']],
  water: [(_a, _b, w) => [`Convention on the Waters of the ${w.river}`, 'convention']],
  trade: [
    (a, b) => [
      `Agreement on Trade and Customs Cooperation between the ${a.formal} and the ${b.formal}`,
      'agreement',
    ],
  ],
  security: [() => ['Treaty on Military Transparency and Confidence-Building Measures', 'treaty']],
};

function demonymOf(name: string): string {
  if (name.endsWith('ia')) return `${name}n`;
  if (name.endsWith('a')) return `${name}n`;
  if (name.endsWith('e')) return `${name}se`;
  if (name.endsWith('o')) return `${name}an`;
  if (/[aeiou]$/.test(name)) return `${name}n`;
  return `${name}i`;
}

function unique(make: () => string, taken: Set<string>): string {
  for (let i = 0; i < 1000; i++) {
    const value = make();
    if (!taken.has(value)) {
      taken.add(value);
      return value;
    }
  }
  throw new Error('ran out of invented names');
}

/** A world for a seed: `states` invented states and the people, bodies and treaties that go with them. */
export function buildWorld(random: Random, options: { states?: number } = {}): World {
  const count = Math.max(2, options.states ?? 12);
  const taken = new Set<string>();
  const states: State[] = [];
  for (let i = 0; i < count; i++) {
    const name = unique(() => random.pick(ONSETS) + random.pick(CODAS), taken);
    const capital = unique(() => random.pick(ONSETS) + random.pick(CAPITAL_CODAS), taken);
    const demonym = demonymOf(name);
    const agency = random.chance(0.6)
      ? `${name[0]}${random.pick(['NA', 'TA', 'PA', 'PRESS'])}`.replace(
          /^(.)PRESS$/,
          `${name.slice(0, 3).toUpperCase()}PRESS`,
        )
      : `${demonym} Press Service`;
    states.push({ name, formal: `${random.pick(FORMS)} ${name}`, demonym, capital, agency });
  }
  const lastNames = new Set<string>();
  const people: Person[] = [];
  for (const state of states) {
    for (let i = 0; i < 5; i++) {
      const gender: Gender = random.chance(0.5) ? 'f' : 'm';
      const last = unique(() => random.pick(LAST_ONSETS) + random.pick(LAST_CODAS), lastNames);
      people.push({
        first: random.pick(FIRST[gender]),
        last,
        gender,
        state,
        office: OFFICES[i % OFFICES.length] as Office,
      });
    }
  }
  const rivers = Array.from({ length: 8 }, () =>
    unique(() => random.pick(ONSETS) + random.pick(['el', 'an', 'ra', 'ssa', 'un', 'ar']), taken),
  );
  const towns = Array.from({ length: 16 }, () =>
    unique(() => random.pick(ONSETS) + random.pick(CAPITAL_CODAS), taken),
  );
  const bodies = [
    `Council of ${random.pick(['Northern', 'Southern', 'Eastern', 'Western'])} Waters`,
    `${random.pick(['Continental', 'Regional', 'Inland'])} Economic Forum`,
    `Institute for ${random.pick(['Continental', 'Regional', 'Strategic'])} Studies`,
  ];
  const treaties: Treaty[] = [];
  for (let i = 0; i < Math.max(3, Math.floor(count * 1.5)); i++) {
    const [a, b] = random.sample(states, 2) as [State, State];
    const topic = random.pick(TOPICS);
    const make = random.pick(TREATY_TITLES[topic.key] ?? []);
    const [title, short] = make(a, b, { river: random.pick(rivers) });
    if (treaties.some((t) => t.title === title)) continue;
    treaties.push({ title, short, parties: [a, b], topic, articles: random.int(8, 24) });
  }
  return { states, people, treaties, bodies, rivers, towns };
}
