import { v5 as uuidv5 } from 'uuid';
import type { LifeDomain } from '../../src/kernel/life-domains.js';

/**
 * The shape of Almere the generator copies: stadsdelen, the wijken whose SLT teams it creates
 * (weighted by how many families they serve), the city-wide partner organisations that join case
 * teams, and the independent pools for procesregie and the brandpunt.
 */
export interface WijkSpec {
  readonly wijk: string;
  readonly stadsdeel: string;
  /** Relative share of the city's families. */
  readonly weight: number;
  /** The wijk's four-digit postcode areas, where concerns about its residents go (invented). */
  readonly postcodeAreas: readonly string[];
}

export const ALMERE_WIJKEN: readonly WijkSpec[] = [
  { wijk: 'Haven', stadsdeel: 'Almere Haven', weight: 1.2, postcodeAreas: ['1354', '1355'] },
  { wijk: 'De Werven', stadsdeel: 'Almere Haven', weight: 0.6, postcodeAreas: ['1356', '1357'] },
  { wijk: 'Centrum', stadsdeel: 'Almere Stad', weight: 1.0, postcodeAreas: ['1315', '1316'] },
  { wijk: 'Stedenwijk', stadsdeel: 'Almere Stad', weight: 1.0, postcodeAreas: ['1324', '1325'] },
  { wijk: 'Muziekwijk', stadsdeel: 'Almere Stad', weight: 1.1, postcodeAreas: ['1312', '1313'] },
  { wijk: 'Filmwijk', stadsdeel: 'Almere Stad', weight: 0.8, postcodeAreas: ['1314'] },
  { wijk: 'Waterwijk', stadsdeel: 'Almere Stad', weight: 0.8, postcodeAreas: ['1317', '1318'] },
  { wijk: 'Kruidenwijk', stadsdeel: 'Almere Stad', weight: 1.0, postcodeAreas: ['1326', '1327'] },
  {
    wijk: 'Literatuurwijk',
    stadsdeel: 'Almere Stad',
    weight: 0.8,
    postcodeAreas: ['1328', '1329'],
  },
  {
    wijk: 'Tussen de Vaarten',
    stadsdeel: 'Almere Stad',
    weight: 0.7,
    postcodeAreas: ['1341', '1342'],
  },
  { wijk: 'Centrum Buiten', stadsdeel: 'Almere Buiten', weight: 0.9, postcodeAreas: ['1334'] },
  { wijk: 'Regenboogbuurt', stadsdeel: 'Almere Buiten', weight: 0.9, postcodeAreas: ['1335'] },
  { wijk: 'Oostvaardersbuurt', stadsdeel: 'Almere Buiten', weight: 0.8, postcodeAreas: ['1336'] },
  { wijk: 'Stripheldenbuurt', stadsdeel: 'Almere Buiten', weight: 0.7, postcodeAreas: ['1333'] },
  { wijk: 'Poort', stadsdeel: 'Almere Poort', weight: 1.0, postcodeAreas: ['1363', '1364'] },
  {
    wijk: 'Homeruskwartier',
    stadsdeel: 'Almere Poort',
    weight: 0.6,
    postcodeAreas: ['1361', '1362'],
  },
  { wijk: 'Hout', stadsdeel: 'Almere Hout', weight: 0.5, postcodeAreas: ['1358'] },
  { wijk: 'Nobelhorst', stadsdeel: 'Almere Hout', weight: 0.4, postcodeAreas: ['1359'] },
  { wijk: 'Pampus', stadsdeel: 'Almere Pampus', weight: 0.2, postcodeAreas: ['1365'] },
];

/** Namespace of every fixed id the generator derives (teams): the same on every run. */
const BENCH_NAMESPACE = '6f0d3c2e-8b1a-4c57-9e2d-1a7b5c3d9e40';
export const benchId = (name: string) => uuidv5(name, BENCH_NAMESPACE);

export const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

export interface PartnerSpec {
  readonly organisation: string;
  readonly discipline: string;
  readonly lifeDomains: readonly LifeDomain[];
  /** People of this organisation who join case teams, city-wide. */
  readonly people: number;
}

export const PARTNERS: readonly PartnerSpec[] = [
  {
    organisation: 'GGD Flevoland',
    discipline: 'JGZ',
    lifeDomains: ['physical_health', 'parenting'],
    people: 12,
  },
  {
    organisation: 'PLANgroep',
    discipline: 'schuldhulpverlening',
    lifeDomains: ['finances'],
    people: 10,
  },
  {
    organisation: 'Goede Stede',
    discipline: 'woningcorporatie',
    lifeDomains: ['housing'],
    people: 6,
  },
  { organisation: 'Ymere', discipline: 'woningcorporatie', lifeDomains: ['housing'], people: 6 },
  { organisation: 'Youz', discipline: 'jeugd-GGZ', lifeDomains: ['mental_health'], people: 10 },
  {
    organisation: 'Politie Midden-Nederland',
    discipline: 'wijkagent',
    lifeDomains: ['safety', 'justice'],
    people: 8,
  },
  {
    organisation: 'Leger des Heils',
    discipline: 'ambulante woonbegeleiding',
    lifeDomains: ['housing', 'daily_living'],
    people: 6,
  },
  {
    organisation: 'Tactus Verslavingszorg',
    discipline: 'verslavingszorg',
    lifeDomains: ['substance_use'],
    people: 5,
  },
  {
    organisation: 'Werkbedrijf Almere',
    discipline: 'werkcoach',
    lifeDomains: ['work_education', 'participation'],
    people: 6,
  },
  {
    organisation: 'Scholengroep Almere',
    discipline: 'schoolmaatschappelijk werk',
    lifeDomains: ['education'],
    people: 8,
  },
];

export const PROCESREGIE_ORGANISATION = 'Gemeente Almere, procesregie';
export const BRANDPUNT_ORGANISATION = 'Gemeente Almere, Brandpunt';

export const GIVEN_NAMES = [
  'Sanne',
  'Youri',
  'Fatima',
  'Mohamed',
  'Noah',
  'Emma',
  'Liam',
  'Julia',
  'Daan',
  'Sophie',
  'Levi',
  'Mila',
  'Sem',
  'Tess',
  'Lucas',
  'Zoë',
  'Finn',
  'Nora',
  'Milan',
  'Sara',
  'Jayden',
  'Yara',
  'Bram',
  'Lotte',
  'Ayoub',
  'Amira',
  'Kevin',
  'Priya',
  'Ravi',
  'Shanti',
  'Ricardo',
  'Chanel',
  'Dewi',
  'Joost',
  'Ingrid',
  'Henk',
  'Ria',
  'Wim',
  'Gerda',
  'Kofi',
  'Ama',
  'Ilse',
];

export const FAMILY_NAMES = [
  'de Vries',
  'Jansen',
  'Visser',
  'Bakker',
  'Smit',
  'Meijer',
  'de Boer',
  'Mulder',
  'Bos',
  'El Amrani',
  'Yilmaz',
  'Öztürk',
  'Pinas',
  'Karsowidjojo',
  'Ramdin',
  'Kartosen',
  'Mensah',
  'Boateng',
  'van Dijk',
  'Hendriks',
  'Dekker',
  'Brouwer',
  'de Wit',
  'Dijkstra',
  'Haddou',
  'Bouzid',
  'Sewdien',
  'Martina',
  'Statia',
  'Nijholt',
];

export const NETWORK_RELATIONS = [
  'grandmother',
  'grandfather',
  'aunt',
  'uncle',
  'neighbour',
  'friend',
  'bewindvoerder',
  'coach',
  'mentor',
  'godparent',
];

/** Short goal texts per life domain, in the family's words. */
export const GOAL_WORDS: Partial<Record<LifeDomain, readonly string[]>> = {
  housing: ['Een huis waar we met z’n allen kunnen wonen', 'Geen huurachterstand meer'],
  finances: ['Geen nieuwe schulden maken', 'Rondkomen van ons inkomen'],
  parenting: ['Rust in huis na school', 'Vaste bedtijden voor de kinderen'],
  education: ['Weer elke dag naar school', 'Een diploma halen'],
  mental_health: ['Minder piekeren en beter slapen', 'Hulp bij somberheid'],
  work_education: ['Een baan van twintig uur', 'Een opleiding afmaken'],
  domestic_relations: ['Zonder ruzie uit elkaar gaan', 'Goede afspraken over de kinderen'],
  physical_health: ['Naar de huisarts voor mijn rug', 'Gezond eten in huis'],
  substance_use: ['Minder blowen', 'Niet meer drinken door de week'],
  daily_living: ['De post elke week openen', 'Zelf boodschappen doen'],
  social_network: ['Iemand om op terug te vallen', 'Contact met de buren'],
  safety: ['Een veilig huis voor iedereen', 'Geen geweld meer thuis'],
};

export const GOAL_DOMAINS = Object.keys(GOAL_WORDS) as LifeDomain[];

export const ACTION_WORDS = [
  'Gesprek plannen met',
  'Aanvraag indienen bij',
  'Samen met de school bespreken',
  'Budgetplan opstellen met',
  'Aanmelden bij',
  'Afspraak maken met',
  'Wekelijks bellen met',
];

export const NOTE_WORDS = [
  'Gesprek gehad met moeder; het gaat iets beter.',
  'Afspraak is nagekomen, volgende stap ingepland.',
  'Kind is deze week twee dagen niet naar school geweest.',
  'Budgetcoach is gestart, eerste overzicht gemaakt.',
  'Woningcorporatie heeft een aanbod gedaan; gezin denkt erover na.',
  'Vader heeft zich aangemeld bij het werkbedrijf.',
  'Evaluatie met het gezin: doelen zijn nog passend.',
  'Huisbezoek afgelegd, situatie stabiel.',
];
