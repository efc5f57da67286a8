import { randomUUID } from 'node:crypto';
import type { ZgwRequest } from './zgw-test-server.js';
import type { HttpSession } from '../http-session.js';
import type { TestApp } from '../test-app.js';

/** Paulien and Daan have a BSN, Noah (a baby) none: only the first two become belanghebbende. */
export const PAULIEN_BSN = '999993653';
export const DAAN_BSN = '111222333';

/** What the lifecycle writes that is personal or the plan's own: none of it may reach the ZGW. */
export const NEVER_SENT = [
  'Paulien',
  'Noah',
  'Daan',
  'de Boer',
  '1990-05-11',
  '2025-05-20',
  '2012-03-01',
  'Een huis voor ons drieën',
  'Geen nieuwe schulden',
  'Geen woningaanbieder wil helpen',
  'Niemand biedt een woning aan',
  'Urgentie als uitzondering',
  'tweeling',
  'Naar zijn vader',
  'Sanne de Vries',
  'Joke',
  'Bert',
];

export interface LifecycleIds {
  readonly familyId: string;
  readonly memberIds: readonly string[];
  readonly firstPlan: string;
  readonly secondPlan: string;
  readonly escalationId: string;
  readonly closedAt: string;
}

/** A step of the lifecycle: a test may act before it (make the zaaksysteem fail, say). */
export type LifecycleStep =
  | 'registered'
  | 'opened'
  | 'agreed'
  | 'agreedAgain'
  | 'escalated'
  | 'decided'
  | 'regieChanged'
  | 'departed'
  | 'closed'
  | 'reopened';

export interface Lifecycle {
  readonly tokens: Record<'sanne' | 'jgz' | 'ilse' | 'bert' | 'lead', string>;
  run(before?: (step: LifecycleStep) => Promise<void>): Promise<LifecycleIds>;
}

/**
 * A plan's whole life over HTTP (issue 16): a family registered, a case team, the plan opened
 * with Sanne as casusregisseur, agreed, a second version agreed, a signal escalated to the
 * brandpuntfunctionaris (level 2) who decides, casusregie handed to Joke, Daan leaving the
 * family, the plan closed and a new one opened.
 */
export async function lifecycle(t: TestApp, s: HttpSession): Promise<Lifecycle> {
  const team = randomUUID();
  const tokens = {
    sanne: await t.token({
      sub: 'prof-sanne',
      name: 'Sanne de Vries',
      organisation: 'SLT Haven',
      roles: ['professional'],
      teams: [team],
    }),
    jgz: await t.token({
      sub: 'prof-jgz',
      name: 'Joke',
      organisation: 'GGD Flevoland',
      roles: ['professional'],
      teams: [team],
    }),
    ilse: await t.token({
      sub: 'prof-ilse',
      name: 'Ilse',
      organisation: 'Procesregie Flevoland',
      roles: ['procesregisseur'],
      teams: [],
    }),
    bert: await t.token({
      sub: 'prof-bert',
      name: 'Bert',
      organisation: 'Gemeente Almere',
      roles: ['brandpuntfunctionaris'],
      teams: [],
    }),
    lead: await t.token({
      sub: 'lead-haven',
      name: 'Karin',
      organisation: 'SLT Haven',
      roles: ['team_lead'],
      teams: [team],
    }),
  };
  const { sanne, jgz, ilse, bert, lead } = tokens;

  /** Every party the draft needs signs: members through Sanne, GGD Flevoland through Joke. */
  async function agree(f: string) {
    const plan = (await s.read(sanne, `${f}/plan`).expect(200)).body;
    for (const party of plan.agreement.requiredParties as Array<{ kind: string; id: string }>) {
      const token = party.kind === 'member' ? sanne : jgz;
      await s.send(token, 'post', `${f}/plan/signatures`, { party }, 200);
    }
  }

  async function run(before: (step: LifecycleStep) => Promise<void> = async () => undefined) {
    await before('registered');
    const family = await s.registerFamily(sanne, {
      teamId: team,
      members: [
        {
          givenName: 'Paulien',
          familyName: 'de Boer',
          dateOfBirth: '1990-05-11',
          role: 'parent',
          bsn: PAULIEN_BSN,
        },
        { givenName: 'Noah', familyName: 'de Boer', dateOfBirth: '2025-05-20', role: 'child' },
        {
          givenName: 'Daan',
          familyName: 'de Boer',
          dateOfBirth: '2012-03-01',
          role: 'child',
          bsn: DAAN_BSN,
        },
      ],
    });
    const f = `/api/v1/families/${family.familyId}`;
    await s.joinCaseTeam(sanne, family.familyId, {
      professionalId: 'prof-jgz',
      name: 'Joke',
      organisation: 'GGD Flevoland',
      discipline: 'JGZ',
    });

    await before('opened');
    const firstPlan = await s.openPlanWithCasusregie(sanne, family.familyId, 'prof-sanne');
    const { goalId } = await s.send(
      sanne,
      'post',
      `${f}/plan/goals`,
      {
        familyWording: 'Een huis voor ons drieën',
        concerns: [family.memberIds[0]],
        lifeDomain: 'housing',
      },
      201,
    );
    await s.send(
      sanne,
      'post',
      `${f}/plan/actions`,
      {
        goalId,
        description: 'Woning zoeken',
        assignee: { kind: 'professional', id: 'prof-jgz' },
        dueDate: '2099-01-01',
      },
      201,
    );
    await before('agreed');
    await agree(f);
    await s.send(
      sanne,
      'post',
      `${f}/plan/goals`,
      {
        familyWording: 'Geen nieuwe schulden',
        concerns: [family.memberIds[0]],
        lifeDomain: 'finances',
      },
      201,
    );
    await before('agreedAgain');
    await agree(f);

    await before('escalated');
    const { escalationId } = await s.send(
      sanne,
      'post',
      `${f}/signals`,
      { category: 'no_fitting_provision', description: 'Geen woningaanbieder wil helpen' },
      201,
    );
    const e = `/api/v1/escalations/${escalationId}`;
    await s.send(sanne, 'post', `${e}/acknowledgement`, {}, 200);
    await s.send(sanne, 'post', `${e}/escalation`, { reason: 'Niemand biedt een woning aan' }, 200);
    const procesregie = { name: 'Ilse', organisation: 'Procesregie Flevoland' };
    await s.send(
      lead,
      'post',
      `${e}/appointment`,
      { professionalId: 'prof-ilse', ...procesregie },
      200,
    );
    await s.send(ilse, 'post', `${e}/escalation`, { reason: 'Geen corporatie wijkt af' }, 200);
    await before('decided');
    const brandpunt = { name: 'Bert', organisation: 'Gemeente Almere' };
    await s.send(
      bert,
      'post',
      `${e}/appointment`,
      { professionalId: 'prof-bert', ...brandpunt },
      200,
    );
    await s.send(
      bert,
      'post',
      `${e}/decision`,
      {
        solution: 'Urgentie als uitzondering op de huisvestingsverordening',
        maatwerk: 'uitzondering',
        justification:
          'Paulien woont korter dan twee jaar in Almere, maar met een tweeling op komst is de ' +
          'kamer te klein voor drie kinderen; een uitzondering is gerechtvaardigd.',
        directives: [],
        budgetEuros: 0,
      },
      200,
    );

    await before('regieChanged');
    await s.send(sanne, 'put', `${f}/regie/casusregie`, { professionalId: 'prof-jgz' }, 200);
    await before('departed');
    const daan = family.memberIds[2];
    await s.send(jgz, 'post', `${f}/members/${daan}/departure`, { reason: 'Naar zijn vader' }, 200);
    await before('closed');
    await s.send(jgz, 'post', `${f}/plan/closure`, { reason: 'goals_achieved' }, 200);
    const { closedAt } = (await s.read(jgz, `${f}/plan`).expect(200)).body;
    await before('reopened');
    const { planId: secondPlan } = await s.send(jgz, 'post', `${f}/plan`, {}, 201);
    return {
      familyId: family.familyId,
      memberIds: family.memberIds,
      firstPlan,
      secondPlan,
      escalationId,
      closedAt,
    };
  }

  return { tokens, run };
}

/**
 * The calls the lifecycle must produce, in order, as `describeCalls` writes them: a zaak looked
 * up before it is created, its rollen by type and who (a professional's id, a member's BSN).
 */
export function expectedCalls(ids: LifecycleIds, archiefactiedatum: string): string[] {
  const first = `GZP-${ids.firstPlan}`;
  const second = `GZP-${ids.secondPlan}`;
  return [
    `zaak_list ${first}`,
    `zaak_create ${first}`,
    'status_create opened: Gezinsplan geopend',
    `rol_create belanghebbende ${PAULIEN_BSN}`,
    `rol_create belanghebbende ${DAAN_BSN}`,
    'rol_create behandelaar prof-sanne',
    'rol_create behandelaar prof-jgz',
    'rol_create zaakcoordinator prof-sanne',
    'status_create agreed: Gezinsplan vastgesteld',
    'status_create agreed: Versie 2 van het gezinsplan vastgesteld',
    'status_create escalated: Escalatie op brandpuntniveau (niveau 2)',
    `besluit_create GZB-${ids.escalationId}-1`,
    'rol_create beslisser prof-bert',
    'rol_destroy zaakcoordinator prof-sanne',
    'rol_create zaakcoordinator prof-jgz',
    `rol_destroy belanghebbende ${DAAN_BSN}`,
    'resultaat_create goals_achieved',
    `zaak_partial_update vernietigen ${archiefactiedatum}`,
    'status_create closed: Gezinsplan afgesloten',
    `zaak_list ${second}`,
    `zaak_create ${second} vervolg op ${first}`,
    'status_create opened: Gezinsplan geopend',
    `rol_create belanghebbende ${PAULIEN_BSN}`,
    'rol_create behandelaar prof-sanne',
    'rol_create behandelaar prof-jgz',
  ];
}

type Body = Record<string, unknown>;
const last = (url: unknown) => String(url).split('/').pop();

/**
 * The requests the zaaksysteem received, one line each, as `expectedCalls` writes them. With
 * `carriedOut`, only those it carried out (answered 2xx, or carried out with the answer lost),
 * and no look-ups: what a zaaksysteem holds, in the order it was made.
 */
export function describeCalls(requests: readonly ZgwRequest[], carriedOut = false): string[] {
  return describeByZaak(requests, carriedOut).map((c) => c.line);
}

/** The same lines, each with the identificatie of the zaak it was about. */
export function describeByZaak(
  requests: readonly ZgwRequest[],
  carriedOut = false,
): Array<{ zaak: string; line: string }> {
  const zaken = new Map<string, string>();
  const rollen = new Map<string, { zaak: string; line: string }>();
  const lines: Array<{ zaak: string; line: string }> = [];
  for (const r of requests) {
    const done = r.outcome === 'dropped' || (typeof r.outcome === 'number' && r.outcome < 300);
    if (carriedOut && (!done || r.method === 'GET')) continue;
    const body = (r.body ?? {}) as Body;
    const answer = (r.answer ?? {}) as Body;
    const zaak = zaken.get(String(body.zaak)) ?? '';
    const self = `http://${r.headers.host}${r.url}`;
    switch (r.operationId) {
      case 'zaak_list': {
        const identificatie = String(new URL(r.url, 'http://x').searchParams.get('identificatie'));
        lines.push({ zaak: identificatie, line: `zaak_list ${identificatie}` });
        break;
      }
      case 'zaak_create': {
        const identificatie = String(body.identificatie);
        if (done) zaken.set(String(answer.url), identificatie);
        const vervolg = (body.relevanteAndereZaken as Body[] | undefined)?.[0];
        const after = vervolg ? ` vervolg op ${zaken.get(String(vervolg.url))}` : '';
        lines.push({ zaak: identificatie, line: `zaak_create ${identificatie}${after}` });
        break;
      }
      case 'status_create':
        lines.push({
          zaak,
          line: `status_create ${last(body.statustype)}: ${body.statustoelichting}`,
        });
        break;
      case 'rol_create': {
        const who = body.betrokkeneIdentificatie as Body;
        const line = `${last(body.roltype)} ${who.identificatie ?? who.inpBsn}`;
        if (done) rollen.set(String(answer.url), { zaak, line });
        lines.push({ zaak, line: `rol_create ${line}` });
        break;
      }
      case 'rol_destroy': {
        const rol = rollen.get(self);
        lines.push({ zaak: rol?.zaak ?? '', line: `rol_destroy ${rol?.line ?? r.url}` });
        break;
      }
      case 'resultaat_create':
        lines.push({ zaak, line: `resultaat_create ${last(body.resultaattype)}` });
        break;
      case 'zaak_partial_update':
        lines.push({
          zaak: zaken.get(self) ?? '',
          line: `zaak_partial_update ${body.archiefnominatie} ${body.archiefactiedatum}`,
        });
        break;
      case 'besluit_create':
        lines.push({ zaak, line: `besluit_create ${body.identificatie}` });
        break;
      default:
        lines.push({ zaak: '', line: `${r.method} ${r.url}` });
    }
  }
  return lines;
}
