import type { LifeDomain } from '../kernel/life-domains.js';

/** Fixed ids, so the README's example requests work against every fresh demo database. */
export const DEMO_TEAMS = {
  haven: '0b5f8a52-6a2e-4c1e-9d3f-5a7e1c2b9d01',
  stadWest: '0b5f8a52-6a2e-4c1e-9d3f-5a7e1c2b9d02',
} as const;

/**
 * The demo teams as the teams capability knows them, with the postcode areas of their wijk
 * (where concerns about residents go). Haven's are Almere Haven's; Stad-West's are invented.
 */
export const DEMO_TEAM_PROFILES = [
  {
    teamId: DEMO_TEAMS.haven,
    name: 'SLT Haven',
    wijk: 'Haven',
    stadsdeel: 'Almere Haven',
    postcodeAreas: ['1354', '1355', '1356', '1357'],
  },
  {
    teamId: DEMO_TEAMS.stadWest,
    name: 'SLT Stad-West',
    wijk: 'Stad-West',
    stadsdeel: 'Almere Stad',
    postcodeAreas: ['1317', '1318', '1319'],
  },
] as const;

export interface DemoProfessional {
  readonly sub: string;
  readonly name: string;
  readonly organisation: string;
  readonly discipline: string;
  readonly team?: string;
  /** Life domains they work in: they read the family's need_to_know items of those. */
  readonly lifeDomains?: LifeDomain[];
}

export const DEMO_PROFESSIONALS = {
  sanne: {
    sub: 'demo-sanne',
    name: 'Sanne de Vries',
    organisation: 'SLT Haven',
    discipline: 'SLT',
    team: DEMO_TEAMS.haven,
  },
  jgz: {
    sub: 'demo-jgz',
    name: 'Joke Mulder',
    organisation: 'GGD Flevoland',
    discipline: 'JGZ',
    lifeDomains: ['physical_health', 'parenting'],
  },
  plangroep: {
    sub: 'demo-plangroep',
    name: 'Ahmed El Amrani',
    organisation: 'PLANgroep',
    discipline: 'schuldhulpverlening',
    lifeDomains: ['finances'],
  },
  housing: {
    sub: 'demo-housing',
    name: 'Lotte Jansen',
    organisation: 'Goede Stede',
    discipline: 'woningcorporatie',
    lifeDomains: ['housing'],
  },
  youri: {
    sub: 'demo-youri',
    name: 'Youri Pinas',
    organisation: 'SLT Stad-West',
    discipline: 'SLT',
    team: DEMO_TEAMS.stadWest,
  },
  ggz: {
    sub: 'demo-ggz',
    name: 'Fenna de Wit',
    organisation: 'Youz',
    discipline: 'jeugd-GGZ',
    lifeDomains: ['mental_health'],
  },
  police: {
    sub: 'demo-police',
    name: 'Karim Haddou',
    organisation: 'Politie Midden-Nederland',
    discipline: 'wijkagent',
    lifeDomains: ['safety', 'justice'],
  },
  // Reporters of concerns, on no case team: they see only what they filed.
  school: {
    sub: 'demo-school',
    name: 'Esther de Graaf',
    organisation: 'ROC Flevoland',
    discipline: 'studieloopbaanbegeleider',
  },
  corporation: {
    sub: 'demo-corporation',
    name: 'Ruud Kok',
    organisation: 'Ymere',
    discipline: 'woonconsulent',
  },
} satisfies Record<string, DemoProfessional>;
