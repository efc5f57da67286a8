import { describe, expect, it } from '@jest/globals';
import type { Sealed } from '#libs/personal-data/sealed.js';
import type { ZgwConnection } from '../../config/app.config.js';
import type { ZgwCall } from './zgw-calls.js';
import { EMPTY_ZGW_FOLD, type ZgwFold } from './zgw-fold.js';
import {
  bsnsToOpen,
  medewerkerIdentificatie,
  type ZgwEvent,
  type ZgwMappingSettings,
  ZGW_EVENT_TYPES,
  zgwCalls,
} from './zgw-mapping.js';
import { ERASURE_EVENT_TYPES } from '../erasure/erasure.events.js';
import { ESCALATION_EVENT_TYPES } from '../escalations/escalation.events.js';
import { FAMILY_EVENT_TYPES } from '../families/family.events.js';
import { PLAN_EVENT_TYPES } from '../plans/plan.events.js';
import { zgwRequest } from './zgw-request.js';
import { TEST_CATALOGI } from '../../test/support/zgw/zgw-fixtures.js';

const catalogi = TEST_CATALOGI;
const RSIN = '002220647';
const settings: ZgwMappingSettings = { rsin: RSIN, catalogi, retentionYears: 20 };

const FAMILY = 'family-1';
const PLAN = '3f0c1e52-0000-4000-8000-000000000001';
const PLAN_2 = '3f0c1e52-0000-4000-8000-000000000002';
const ZAAK = `GZP-${PLAN}`;
const ZAAK_2 = `GZP-${PLAN_2}`;
const ESC = 'esc-1';
const BSN = { paulien: '111222333', sem: '123456782' };
// What a stored event carries: the member's personal data as ciphertext, never readable here.
const sealed = (text: string) => `sealed:${text}` as Sealed;
const NAMES = [
  'Paulien de Vries',
  'Sem de Vries',
  'Noor',
  'Jan Jansen',
  'Ayse Yilmaz',
  'Bram Bakker',
];
const FREE_TEXTS = [
  'Moeder wil geen contact met de school',
  'De wachtlijst duurt te lang voor Sem',
  'Combinatie van jeugdhulp en schuldhulp',
  'Omdat de veiligheid van Sem voorop staat',
  'Termijn overschreden door Jan Jansen',
];

const holder = (professionalId: string, name: string) => ({
  professionalId,
  name,
  organisation: 'Wijkteam Almere',
});
const deadlines = { respondBy: '2026-06-01T00:00:00.000Z', resolveBy: '2026-06-10T00:00:00.000Z' };

const familyRegistered: ZgwEvent = {
  type: 'family.FamilyRegistered',
  data: {
    familyId: FAMILY,
    teamId: 'team-1',
    members: [
      { memberId: 'paulien', role: 'parent', personal: sealed('Paulien de Vries 111222333') },
      { memberId: 'sem', role: 'child', personal: sealed('Sem de Vries 123456782') },
      { memberId: 'noor', role: 'child', personal: sealed('Noor') },
    ],
    network: [{ networkId: 'n-1', relation: 'oma', personal: sealed('Bram Bakker') }],
    address: sealed('Hoofdstraat 1'),
  },
};
const joined = (professionalId: string, name: string): ZgwEvent => ({
  type: 'family.ProfessionalJoinedCaseTeam',
  data: { familyId: FAMILY, professionalId, name, organisation: 'GGD', discipline: 'jeugdarts' },
});
const planOpened = (planId: string, openedAt: string): ZgwEvent => ({
  type: 'gezinsplan.PlanOpened',
  data: { planId, familyId: FAMILY, openedAt },
});
const regie = (planId: string, to: string, name: string, previous: string | null): ZgwEvent => ({
  type: 'gezinsplan.RegieAssigned',
  data: {
    planId,
    role: 'casusregie',
    holder: holder(to, name),
    previous: previous ? holder(previous, 'Jan Jansen') : null,
    assignedAt: '2026-03-02T09:00:00.000Z',
  },
});
const agreed = (version: number, agreedAt: string): ZgwEvent => ({
  type: 'gezinsplan.PlanAgreed',
  data: { planId: PLAN, version, agreedAt },
});

/** A plan's whole life, each event with the BSNs its caller opened for it. */
const life: { when: string; event: ZgwEvent }[] = [
  { when: 'the family is registered', event: familyRegistered },
  { when: 'a professional joins the case team', event: joined('jan', 'Jan Jansen') },
  { when: 'the plan is opened', event: planOpened(PLAN, '2026-03-01T10:00:00.000Z') },
  { when: 'casusregie is assigned', event: regie(PLAN, 'jan', 'Jan Jansen', null) },
  {
    when: 'a goal is added',
    event: {
      type: 'gezinsplan.GoalAdded',
      data: {
        planId: PLAN,
        goal: {
          familyWording: sealed(FREE_TEXTS[0]),
          professionalWording: sealed(FREE_TEXTS[0]),
        } as never,
      },
    },
  },
  { when: 'the plan is agreed', event: agreed(1, '2026-03-10T12:00:00.000Z') },
  {
    when: 'a second version opens',
    event: { type: 'gezinsplan.PlanVersionOpened', data: { planId: PLAN, version: 2 } },
  },
  { when: 'the second version is agreed', event: agreed(2, '2026-04-10T12:00:00.000Z') },
  {
    when: 'a signal is raised',
    event: {
      type: 'escalation.SignalRaised',
      data: {
        escalationId: ESC,
        familyId: FAMILY,
        teamId: 'team-1',
        signalId: 'sig-1',
        category: 'waiting_list',
        description: sealed(FREE_TEXTS[1]),
        automatic: false,
        cause: null,
        raisedBy: 'jan',
        holder: holder('jan', 'Jan Jansen'),
        deadlines,
        raisedAt: '2026-05-01T08:00:00.000Z',
      },
    },
  },
  {
    when: 'it is escalated to level 1',
    event: {
      type: 'escalation.Escalated',
      data: {
        escalationId: ESC,
        fromLevel: 0,
        toLevel: 1,
        holder: null,
        deadlines,
        escalatedAt: '2026-05-05T08:00:00.000Z',
        automatic: true,
        reason: FREE_TEXTS[4],
      },
    },
  },
  {
    when: 'it is escalated to level 2',
    event: {
      type: 'escalation.Escalated',
      data: {
        escalationId: ESC,
        fromLevel: 1,
        toLevel: 2,
        holder: null,
        deadlines,
        escalatedAt: '2026-05-20T08:00:00.000Z',
        automatic: false,
        reason: sealed(FREE_TEXTS[3]),
      },
    },
  },
  {
    when: 'a brandpuntfunctionaris is appointed',
    event: {
      type: 'escalation.HolderAppointed',
      data: {
        escalationId: ESC,
        level: 2,
        holder: holder('ayse', 'Ayse Yilmaz'),
        appointedAt: '2026-05-21T08:00:00.000Z',
      },
    },
  },
  {
    when: 'the brandpuntfunctionaris decides',
    event: {
      type: 'escalation.DecisionTaken',
      data: {
        escalationId: ESC,
        solution: sealed(FREE_TEXTS[2]),
        maatwerk: 'combinatie',
        justification: sealed(FREE_TEXTS[3]),
        budgetEuros: 1200,
        directives: [],
        decidedAt: '2026-05-28T14:00:00.000Z',
      },
    },
  },
  { when: 'regie changes', event: regie(PLAN, 'bram', 'Bram Bakker', 'jan') },
  {
    when: 'a member departs',
    event: {
      type: 'family.MemberDeparted',
      data: { familyId: FAMILY, memberId: 'sem', reason: sealed('Sem verhuisde') },
    },
  },
  {
    when: 'the plan is closed',
    event: {
      type: 'gezinsplan.PlanClosed',
      data: { planId: PLAN, reason: 'goals_achieved', closedAt: '2026-09-30T15:00:00.000Z' },
    },
  },
  { when: 'the case is reopened', event: planOpened(PLAN_2, '2027-01-15T09:00:00.000Z') },
];

/** The caller's part: it opens the named members' sealed data and passes their BSNs in. */
const vault: Record<string, string> = { paulien: BSN.paulien, sem: BSN.sem };
function open(fold: ZgwFold, event: ZgwEvent): Map<string, string> {
  const ids = bsnsToOpen(fold, event).filter((id) => Object.hasOwn(vault, id));
  return new Map(ids.map((id) => [id, vault[id]!]));
}

function run(events: readonly ZgwEvent[], from: ZgwFold = EMPTY_ZGW_FOLD) {
  let fold = from;
  const steps: ZgwCall[][] = [];
  for (const event of events) {
    const step = zgwCalls(fold, event, open(fold, event), settings);
    fold = step.fold;
    steps.push([...step.calls]);
  }
  return { fold, steps, calls: steps.flat() };
}

/** A call in short: kind, zaak and what it is about, for the order of a whole life. */
function summary(call: ZgwCall): string {
  switch (call.kind) {
    case 'createStatus':
      return `${call.zaak} status ${call.body.statustype.split('/').pop()}`;
    case 'createRol':
    case 'destroyRol':
      return `${call.zaak} ${call.kind} ${call.rol}`;
    case 'createResultaat':
      return `${call.zaak} resultaat ${call.body.resultaattype.split('/').pop()}`;
    case 'createBesluit':
      return `${call.zaak} besluit ${call.body.identificatie}`;
    case 'createZaak':
      return `${call.zaak} createZaak${call.vervolgOp ? ` vervolg op ${call.vervolgOp}` : ''}`;
    case 'updateZaak':
      return `${call.zaak} updateZaak`;
  }
}

const connection: ZgwConnection = {
  zakenApiUrl: 'https://zaken.example.nl/zaken/api/v1',
  besluitenApiUrl: 'https://zaken.example.nl/besluiten/api/v1',
  clientId: 'egep',
  secret: 'secret',
  rsin: RSIN,
};
const urls = {
  zaak: (id: string) => `${connection.zakenApiUrl}/zaken/${id}`,
  rol: (zaak: string, rol: string) => `${connection.zakenApiUrl}/rollen/${zaak}-${rol}`,
};

describe('zgwCalls: a plan’s whole life as ZGW calls', () => {
  it('Given a family with two members with a BSN, when its plan lives from opening to reopening, then the calls come in this order', () => {
    const { steps } = run(life.map((s) => s.event));
    const byStep = Object.fromEntries(life.map((s, i) => [s.when, steps[i]!.map(summary)]));
    expect(byStep).toEqual({
      'the family is registered': [],
      'a professional joins the case team': [],
      'the plan is opened': [
        `${ZAAK} createZaak`,
        `${ZAAK} status opened`,
        `${ZAAK} createRol belanghebbende:paulien`,
        `${ZAAK} createRol belanghebbende:sem`,
        `${ZAAK} createRol behandelaar:jan`,
      ],
      'casusregie is assigned': [`${ZAAK} createRol zaakcoordinator:jan`],
      'a goal is added': [],
      'the plan is agreed': [`${ZAAK} status agreed`],
      'a second version opens': [],
      'the second version is agreed': [`${ZAAK} status agreed`],
      'a signal is raised': [],
      'it is escalated to level 1': [],
      'it is escalated to level 2': [`${ZAAK} status escalated`],
      'a brandpuntfunctionaris is appointed': [],
      'the brandpuntfunctionaris decides': [
        `${ZAAK} besluit GZB-${ESC}-1`,
        `${ZAAK} createRol beslisser:GZB-${ESC}-1`,
      ],
      'regie changes': [
        `${ZAAK} destroyRol zaakcoordinator:jan`,
        `${ZAAK} createRol zaakcoordinator:bram`,
      ],
      'a member departs': [`${ZAAK} destroyRol belanghebbende:sem`],
      'the plan is closed': [
        `${ZAAK} resultaat goals_achieved`,
        `${ZAAK} updateZaak`,
        `${ZAAK} status closed`,
      ],
      'the case is reopened': [
        `${ZAAK_2} createZaak vervolg op ${ZAAK}`,
        `${ZAAK_2} status opened`,
        `${ZAAK_2} createRol belanghebbende:paulien`,
        `${ZAAK_2} createRol behandelaar:jan`,
      ],
    });
  });

  it('Given a plan opened, then the zaak carries the configured types, the RSIN, the opening date and a fixed omschrijving', () => {
    const { steps } = run(life.slice(0, 3).map((s) => s.event));
    const [zaak, status] = steps[2]!;
    expect(zgwRequest(zaak!, connection, urls)).toEqual({
      method: 'POST',
      url: 'https://zaken.example.nl/zaken/api/v1/zaken',
      body: {
        identificatie: ZAAK,
        bronorganisatie: RSIN,
        verantwoordelijkeOrganisatie: RSIN,
        zaaktype: catalogi.zaaktype,
        omschrijving: 'Gezinsplan: integrale ondersteuning van een gezin',
        startdatum: '2026-03-01',
        vertrouwelijkheidaanduiding: 'vertrouwelijk',
        relevanteAndereZaken: [],
      },
    });
    expect(zgwRequest(status!, connection, urls)).toEqual({
      method: 'POST',
      url: 'https://zaken.example.nl/zaken/api/v1/statussen',
      body: {
        zaak: urls.zaak(ZAAK),
        statustype: catalogi.statustypen.opened,
        datumStatusGezet: '2026-03-01T10:00:00.000Z',
        statustoelichting: 'Gezinsplan geopend',
      },
    });
  });

  it('Given members with a BSN, then each is a belanghebbende natuurlijk_persoon by inpBsn only, and one without a BSN is not sent', () => {
    const { steps } = run(life.slice(0, 3).map((s) => s.event));
    const rollen = steps[2]!.filter((c) => c.kind === 'createRol');
    expect(rollen.map((c) => zgwRequest(c, connection, urls).body)).toEqual([
      {
        zaak: urls.zaak(ZAAK),
        betrokkeneType: 'natuurlijk_persoon',
        roltype: catalogi.roltypen.belanghebbende,
        roltoelichting: 'Lid van het gezin',
        betrokkeneIdentificatie: { inpBsn: BSN.paulien },
      },
      {
        zaak: urls.zaak(ZAAK),
        betrokkeneType: 'natuurlijk_persoon',
        roltype: catalogi.roltypen.belanghebbende,
        roltoelichting: 'Lid van het gezin',
        betrokkeneIdentificatie: { inpBsn: BSN.sem },
      },
      {
        zaak: urls.zaak(ZAAK),
        betrokkeneType: 'medewerker',
        roltype: catalogi.roltypen.behandelaar,
        roltoelichting: 'Professional in het casusteam',
        betrokkeneIdentificatie: { identificatie: 'jan' },
      },
    ]);
  });

  it('Given the brandpuntfunctionaris decides, then the besluit refers to the escalation and the zaak, and the beslisser is the appointed holder', () => {
    const { steps } = run(life.map((s) => s.event));
    const [besluit, beslisser] = steps[12]!;
    expect(zgwRequest(besluit!, connection, urls)).toEqual({
      method: 'POST',
      url: 'https://zaken.example.nl/besluiten/api/v1/besluiten',
      body: {
        identificatie: `GZB-${ESC}-1`,
        verantwoordelijkeOrganisatie: RSIN,
        besluittype: catalogi.besluittype,
        zaak: urls.zaak(ZAAK),
        datum: '2026-05-28',
        ingangsdatum: '2026-05-28',
        toelichting: `Besluit van de brandpuntfunctionaris in escalatie ${ESC}; de onderbouwing staat in het gezinsplan.`,
      },
    });
    expect(beslisser).toMatchObject({
      body: {
        roltype: catalogi.roltypen.beslisser,
        betrokkeneIdentificatie: { identificatie: 'ayse' },
      },
    });
  });

  it('Given the plan closes, then the resultaat of its reason and the archive fields precede the end status', () => {
    const { steps } = run(life.map((s) => s.event));
    const [resultaat, archief, eind] = steps[15]!.map((c) => zgwRequest(c, connection, urls));
    expect(resultaat).toEqual({
      method: 'POST',
      url: `${connection.zakenApiUrl}/resultaten`,
      body: { zaak: urls.zaak(ZAAK), resultaattype: catalogi.resultaattypen.goals_achieved },
    });
    expect(archief).toEqual({
      method: 'PATCH',
      url: urls.zaak(ZAAK),
      body: { archiefnominatie: 'vernietigen', archiefactiedatum: '2046-09-30' },
    });
    expect(eind?.body).toMatchObject({
      statustype: catalogi.statustypen.closed,
      datumStatusGezet: '2026-09-30T15:00:00.000Z',
    });
  });

  it('Given a reopened case, then the new zaak names the previous one as relevante andere zaak (vervolg)', () => {
    const { steps } = run(life.map((s) => s.event));
    const request = zgwRequest(steps[16]![0]!, connection, urls);
    expect(request.body).toMatchObject({
      identificatie: ZAAK_2,
      startdatum: '2027-01-15',
      relevanteAndereZaken: [{ url: urls.zaak(ZAAK), aardRelatie: 'vervolg' }],
    });
  });

  it('Given a member erased after a reopening, then their rol is destroyed in every zaak and the zaken stay', () => {
    const { fold } = run(life.map((s) => s.event));
    const erased: ZgwEvent = {
      type: 'erasure.ErasureGranted',
      data: {
        requestId: 'r-1',
        familyId: FAMILY,
        memberId: 'paulien',
        reason: sealed('op verzoek'),
        decidedBy: 'po-1',
        subjects: ['paulien'],
      },
    };
    const step = zgwCalls(fold, erased, new Map(), settings);
    expect(step.calls.map(summary)).toEqual([
      `${ZAAK} destroyRol belanghebbende:paulien`,
      `${ZAAK_2} destroyRol belanghebbende:paulien`,
    ]);
    expect(zgwRequest(step.calls[0]!, connection, urls)).toEqual({
      method: 'DELETE',
      url: urls.rol(ZAAK, 'belanghebbende:paulien'),
    });
    // A later plan no longer asks for the erased member's BSN.
    expect(bsnsToOpen(step.fold, planOpened('p-3', '2028-01-01T00:00:00.000Z'))).toEqual([]);
  });

  it('Given a member added with a BSN while the plan is open, then a belanghebbende rol follows; without a BSN, none', () => {
    const { fold } = run(life.slice(0, 3).map((s) => s.event));
    const added = (memberId: string): ZgwEvent => ({
      type: 'family.MemberAdded',
      data: { familyId: FAMILY, memberId, role: 'child', personal: sealed(memberId) },
    });
    const withBsn = zgwCalls(fold, added('baby'), new Map([['baby', '999999990']]), settings);
    expect(withBsn.calls.map(summary)).toEqual([`${ZAAK} createRol belanghebbende:baby`]);
    expect(zgwCalls(fold, added('stepchild'), new Map(), settings).calls).toEqual([]);
  });

  it('Given a professional id longer than the Zaken API allows, then a stable 24-character identificatie is sent', () => {
    const id = '8d2b6c3e-1f4a-4b7e-9c1d-2e3f4a5b6c7d';
    expect(medewerkerIdentificatie(id)).toHaveLength(24);
    expect(medewerkerIdentificatie(id)).toBe(medewerkerIdentificatie(id));
    expect(medewerkerIdentificatie(id)).not.toBe(medewerkerIdentificatie(`${id}x`));
  });

  it('Given no open zaak, then an escalation at level 2 and a decision send nothing but are remembered', () => {
    const { fold } = run(life.slice(8, 12).map((s) => s.event));
    expect(fold.escalations[ESC]).toEqual({ level: 2, holder: 'ayse', decisions: 0 });
    const decided = zgwCalls(fold, life[12]!.event, new Map(), settings);
    expect(decided.calls).toEqual([]);
    expect(decided.fold.escalations[ESC]?.decisions).toBe(1);
  });
});

describe('zgwCalls: the events it reads', () => {
  const others = [
    ...PLAN_EVENT_TYPES,
    ...FAMILY_EVENT_TYPES,
    ...ESCALATION_EVENT_TYPES,
    ...ERASURE_EVENT_TYPES,
  ].filter((type) => !(ZGW_EVENT_TYPES as readonly string[]).includes(type));

  it.each(others)(
    'Given an open zaak, when %s is recorded, then the fold stays and no call is made',
    (type) => {
      const { fold } = run(life.slice(0, 4).map((s) => s.event));
      const event = { type, data: { planId: PLAN, familyId: FAMILY, escalationId: ESC } };
      const step = zgwCalls(fold, event as unknown as ZgwEvent, new Map(), settings);
      expect(step.calls).toEqual([]);
      expect(step.fold).toBe(fold);
    },
  );

  it('Given an escalation that ended at level 2, when it is reopened there, then the zaak gets the escalated status again', () => {
    const { fold } = run(life.slice(0, 13).map((s) => s.event));
    const reopened: ZgwEvent = {
      type: 'escalation.Reopened',
      data: {
        escalationId: ESC,
        reason: sealed(FREE_TEXTS[1]),
        level: 2,
        deadlines,
        reopenedAt: '2026-06-15T08:00:00.000Z',
      },
    };
    const step = zgwCalls(fold, reopened, new Map(), settings);
    expect(step.calls.map(summary)).toEqual([`${ZAAK} status escalated`]);
    // The brandpuntfunctionaris still holds it: a second decision names them as beslisser again.
    const again = zgwCalls(step.fold, life[12]!.event, new Map(), settings);
    expect(again.calls.map(summary)).toEqual([
      `${ZAAK} besluit GZB-${ESC}-2`,
      `${ZAAK} createRol beslisser:GZB-${ESC}-2`,
    ]);
  });

  it('Given the retention of a closed case ran out, then the remaining belanghebbende rollen are destroyed', () => {
    const { fold } = run(life.slice(0, 16).map((s) => s.event));
    const expired: ZgwEvent = {
      type: 'erasure.RetentionExpired',
      data: {
        familyId: FAMILY,
        closedAt: '2026-09-30T15:00:00.000Z',
        subjects: ['paulien', 'sem', 'noor', 'n-1', FAMILY],
      },
    };
    const step = zgwCalls(fold, expired, new Map(), settings);
    expect(step.calls.map(summary)).toEqual([`${ZAAK} destroyRol belanghebbende:paulien`]);
    expect(step.fold.belanghebbenden).toEqual([]);
  });
});

describe('zgwCalls: no personal data beyond the belanghebbende BSNs', () => {
  const { calls } = run(life.map((s) => s.event));
  const requests = calls.map((call) => ({
    call,
    text: JSON.stringify(zgwRequest(call, connection, urls)),
  }));

  it('Given a whole life, then no call carries a name, a free text of the plan or escalation, or a sealed value', () => {
    expect(requests.length).toBeGreaterThan(20);
    for (const { text } of requests) {
      for (const forbidden of [
        ...NAMES,
        ...FREE_TEXTS,
        'sealed:',
        'Hoofdstraat',
        'oma',
        'GGD',
        'jeugdarts',
      ]) {
        expect(text).not.toContain(forbidden);
      }
    }
  });

  it('Given a whole life, then a BSN appears only in belanghebbende natuurlijk_persoon rollen', () => {
    const withBsn = requests.filter(({ text }) =>
      Object.values(BSN).some((bsn) => text.includes(bsn)),
    );
    // Paulien and Sem in the first zaak, Paulien in the second (Sem had departed).
    expect(withBsn.length).toBe(3);
    for (const { call } of withBsn) {
      expect(call).toMatchObject({
        kind: 'createRol',
        body: { betrokkeneType: 'natuurlijk_persoon', roltype: catalogi.roltypen.belanghebbende },
      });
    }
  });
});
