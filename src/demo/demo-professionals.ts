/** Fixed ids, so the README's example requests work against every fresh demo database. */
export const DEMO_TEAMS = {
  haven: '0b5f8a52-6a2e-4c1e-9d3f-5a7e1c2b9d01',
  stadWest: '0b5f8a52-6a2e-4c1e-9d3f-5a7e1c2b9d02',
} as const;

export interface DemoProfessional {
  readonly sub: string;
  readonly name: string;
  readonly organisation: string;
  readonly discipline: string;
  readonly team?: string;
}

export const DEMO_PROFESSIONALS = {
  sanne: {
    sub: 'demo-sanne',
    name: 'Sanne de Vries',
    organisation: 'SLT Haven',
    discipline: 'SLT',
    team: DEMO_TEAMS.haven,
  },
  jgz: { sub: 'demo-jgz', name: 'Joke Mulder', organisation: 'GGD Flevoland', discipline: 'JGZ' },
  plangroep: {
    sub: 'demo-plangroep',
    name: 'Ahmed El Amrani',
    organisation: 'PLANgroep',
    discipline: 'schuldhulpverlening',
  },
  housing: {
    sub: 'demo-housing',
    name: 'Lotte Jansen',
    organisation: 'Goede Stede',
    discipline: 'woningcorporatie',
  },
  youri: {
    sub: 'demo-youri',
    name: 'Youri Pinas',
    organisation: 'SLT Stad-West',
    discipline: 'SLT',
    team: DEMO_TEAMS.stadWest,
  },
  ggz: { sub: 'demo-ggz', name: 'Fenna de Wit', organisation: 'Youz', discipline: 'jeugd-GGZ' },
  police: {
    sub: 'demo-police',
    name: 'Karim Haddou',
    organisation: 'Politie Midden-Nederland',
    discipline: 'wijkagent',
  },
} satisfies Record<string, DemoProfessional>;
