import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '../../config/app.config.js';
import type { AuthUser } from '#libs/auth/auth-user.js';
import { addMonths, ageOn, toDateString } from '#libs/clock/calendar.js';
import { CLOCK, type Clock } from '#libs/clock/index.js';
import { CommandPipeline } from '#libs/deciders/command-pipeline.js';
import { EVENT_STORE, type EventStore } from '#libs/event-store/event-store.port.js';
import { parsePosition } from '#libs/event-store/position.js';
import { CONSISTENCY_WAITER, type ConsistencyWaiter } from '#libs/http/consistency.interceptor.js';
import { LinkConcernCommand, TakeUpConcernCommand } from '../concerns/concern-steps.command.js';
import { FileConcernCommand } from '../concerns/file-concern.command.js';
import { teamDecider } from '../teams/team.decide.js';
import { JoinCaseTeamCommand } from '../families/join-case-team.command.js';
import { RegisterFamilyCommand } from '../families/register-family.command.js';
import { AddActionCommand } from '../plans/add-action.command.js';
import { AddGoalCommand } from '../plans/add-goal.command.js';
import { AGREEMENT_AGE } from '../plans/agreement.js';
import { OpenPlanCommand } from '../plans/open-plan.command.js';
import type { PlanCommandInput } from '../plans/plan.command.js';
import type { LifeDomain } from '../kernel/life-domains.js';
import { SignPlanCommand } from '../plans/sign-plan.command.js';
import { EscalateCommand } from '../escalations/ladder-steps.command.js';
import { RaiseSignalCommand } from '../escalations/raise-signal.command.js';
import type { SignalCategory } from '../escalations/escalation.model.js';
import { AssignRegieCommand } from '../plans/assign-regie.command.js';
import {
  DEMO_PROFESSIONALS,
  DEMO_TEAM_PROFILES,
  DEMO_TEAMS,
  type DemoProfessional,
} from './demo-professionals.js';

export interface DemoSummary {
  readonly paulien: string;
  readonly asha: string;
  /** The school's concern about Paulien (linked) and the corporation's (awaiting intake). */
  readonly concerns: { readonly school: string; readonly rentArrears: string };
}

interface DemoGoal {
  words: string;
  domain: LifeDomain;
  concerns: number[];
  action?: { description: string; by: DemoProfessional; dueInDays: number };
}

const user = (p: DemoProfessional): AuthUser => ({
  sub: p.sub,
  name: p.name,
  organisation: p.organisation,
  roles: ['professional'],
  teams: p.team ? [p.team] : [],
});

/**
 * Paulien's family and Asha, from the city's policy framework (see README, "Demo data"), loaded
 * through the real command handlers on an empty event store in development mode.
 */
@Injectable()
export class DemoData implements OnApplicationBootstrap {
  summary?: DemoSummary;

  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CommandPipeline) private readonly pipeline: CommandPipeline,
    @Inject(CONSISTENCY_WAITER) private readonly projections: ConsistencyWaiter,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.isDevelopment || !this.config.DEMO_DATA) return;
    if (await this.store.headPosition()) return;
    await this.teams();
    const paulien = await this.paulien();
    const asha = await this.asha();
    this.summary = { paulien: paulien.familyId, asha, concerns: await this.concerns(paulien) };
  }

  /**
   * The demo teams under their fixed ids (CreateTeamCommand picks a new one), with their postcode
   * areas, through the teams' own decider. An empty store has no areas to collide with and the
   * demo is no request, so there is nobody to authorize. Filing a concern reads the areas from a
   * read model: this waits for it (the projection runner starts before the app's own hooks).
   */
  private async teams(): Promise<void> {
    let last = '';
    for (const { teamId, postcodeAreas, ...profile } of DEMO_TEAM_PROFILES) {
      ({ position: last } = await this.pipeline.run({
        decider: teamDecider,
        id: teamId,
        command: { type: 'CreateTeam', teamId, profile, postcodeAreas },
        context: {
          actor: { userId: 'demo-admin', name: 'Demo', organisation: 'Gemeente', role: 'admin' },
          correlationId: randomUUID(),
        },
        authorize: async () => undefined,
        seal: async (event) => event,
      }));
    }
    if (!(await this.projections.waitFor(parsePosition(last)!, 30_000))) {
      throw new Error('Demo data: the read models did not take in the demo teams in 30 s');
    }
  }

  /**
   * A school worries about Paulien (its student; it knows her BSN): Sanne takes it up and links
   * it to her family. A housing corporation worries about a tenant the SLT does not know: it
   * waits in Haven's intake queue.
   */
  private async concerns(paulien: {
    familyId: string;
    memberIds: string[];
  }): Promise<DemoSummary['concerns']> {
    const { sanne, school, corporation } = DEMO_PROFESSIONALS;
    const { concernId: schoolConcern } = await this.commands.execute(
      new FileConcernCommand(
        {
          subject: { bsn: '111222333', postcode: '1354 AB', houseNumber: '12' },
          category: 'school_absence',
          urgency: 'normal',
          description:
            'Paulien is sinds september bijna niet meer op de opleiding geweest en zegt dat ze geen geld heeft voor de bus.',
        },
        user(school),
        this.context(school),
      ),
    );
    await this.commands.execute(
      new TakeUpConcernCommand(schoolConcern, user(sanne), this.context(sanne), undefined),
    );
    await this.commands.execute(
      new LinkConcernCommand(schoolConcern, user(sanne), this.context(sanne), {
        familyId: paulien.familyId,
        memberId: paulien.memberIds[0],
      }),
    );
    const { concernId: rentArrears } = await this.commands.execute(
      new FileConcernCommand(
        {
          subject: {
            givenName: 'Kees',
            familyName: 'Vermeulen',
            dateOfBirth: this.yearsAgo(58),
            postcode: '1355 CD',
            houseNumber: '40',
          },
          category: 'rent_arrears',
          urgency: 'normal',
          description:
            'Vier maanden huurachterstand; de huurder reageert niet op brieven en doet niet open.',
        },
        user(corporation),
        this.context(corporation),
      ),
    );
    return { school: schoolConcern, rentArrears };
  }

  private context(p: DemoProfessional) {
    return {
      actor: { userId: p.sub, name: p.name, organisation: p.organisation, role: 'professional' },
      correlationId: randomUUID(),
    };
  }

  /** The scenario's stagnation: a signal by the casusregisseur, escalated at once if asked. */
  private async signal(
    familyId: string,
    by: DemoProfessional,
    category: SignalCategory,
    description: string,
    escalateBecause?: string,
  ): Promise<void> {
    const { escalationId } = await this.commands.execute(
      new RaiseSignalCommand(familyId, { category, description }, user(by), this.context(by)),
    );
    if (escalateBecause) {
      await this.commands.execute(
        new EscalateCommand(escalationId, user(by), this.context(by), { reason: escalateBecause }),
      );
    }
  }

  private yearsAgo(years: number, extraMonths = 0): string {
    return addMonths(toDateString(this.clock.now()), -(years * 12 + extraMonths));
  }

  private inDays(days: number): string {
    return toDateString(new Date(this.clock.now().getTime() + days * 86_400_000));
  }

  private async paulien(): Promise<{ familyId: string; memberIds: string[] }> {
    const { sanne, jgz, plangroep, housing } = DEMO_PROFESSIONALS;
    const family = await this.family(
      sanne,
      [jgz, plangroep, housing],
      {
        teamId: DEMO_TEAMS.haven,
        members: [
          {
            givenName: 'Paulien',
            familyName: 'Visser',
            dateOfBirth: this.yearsAgo(24),
            role: 'parent',
            bsn: '111222333',
          },
          {
            givenName: 'Noah',
            familyName: 'Visser',
            dateOfBirth: this.yearsAgo(1, 6),
            role: 'child',
          },
          {
            givenName: 'Jayden',
            familyName: 'de Boer',
            dateOfBirth: this.yearsAgo(26),
            role: 'other',
          },
        ],
        network: [
          { name: 'Henk Smit', relation: 'bewindvoerder' },
          { name: 'Ria Visser', relation: 'grandmother' },
        ],
        // A small room in Almere Haven (invented, like every detail beyond the personas).
        address: { postcode: '1354 AB', houseNumber: '12' },
      },
      [
        {
          words: 'Een huis waar mijn kinderen en ik kunnen wonen',
          domain: 'housing',
          concerns: [0, 1],
          action: {
            description: 'Woning met drie slaapkamers zoeken en aanbieden',
            by: housing,
            dueInDays: -14,
          },
        },
        {
          words: 'Geen nieuwe schulden maken',
          domain: 'finances',
          concerns: [0],
          action: {
            description: 'Budgetplan opstellen met de bewindvoerder',
            by: plangroep,
            dueInDays: 21,
          },
        },
        {
          words: 'Gezond blijven tijdens de zwangerschap',
          domain: 'physical_health',
          concerns: [0],
          action: { description: 'Huisbezoek eerste 1000 dagen', by: jgz, dueInDays: 10 },
        },
        { words: 'Noah krijgt een plekje op de peuteropvang', domain: 'education', concerns: [1] },
      ],
    );
    await this.signal(
      family.familyId,
      sanne,
      'no_fitting_provision',
      'Geen woningaanbieder wil handelen: geen urgentie, korter dan twee jaar in Almere.',
    );
    return family;
  }

  private async asha(): Promise<string> {
    const { youri, ggz, police } = DEMO_PROFESSIONALS;
    const { familyId } = await this.family(
      youri,
      [ggz, police],
      {
        teamId: DEMO_TEAMS.stadWest,
        members: [
          {
            givenName: 'Asha',
            familyName: 'Bakker',
            dateOfBirth: this.yearsAgo(18),
            role: 'child',
          },
          {
            givenName: 'Miriam',
            familyName: 'Bakker',
            dateOfBirth: this.yearsAgo(47),
            role: 'parent',
          },
        ],
        network: [],
      },
      [
        {
          words: 'Een plek om te wonen waar ik me veilig voel',
          domain: 'housing',
          concerns: [0],
          action: {
            description: 'Passende woonplek met behandeling zoeken',
            by: ggz,
            dueInDays: 14,
          },
        },
        {
          words: 'Minder last van mijn eetstoornis en van mezelf pijn doen',
          domain: 'mental_health',
          concerns: [0],
        },
        {
          words: 'Niet meer bij het spoor terechtkomen',
          domain: 'safety',
          concerns: [0],
          action: {
            description: 'Veiligheidsplan afstemmen met wijkagent',
            by: police,
            dueInDays: 7,
          },
        },
      ],
    );
    await this.signal(
      familyId,
      youri,
      'safety',
      'Door de politie meermaals bij het spoor aangetroffen; geen aanbieder combineert eetstoornis en psychiatrie.',
      'Veiligheid: direct naar onafhankelijke procesregie',
    );
    return familyId;
  }

  private async family(
    registrar: DemoProfessional,
    caseTeam: DemoProfessional[],
    registration: {
      teamId: string;
      members: Array<{
        givenName: string;
        familyName: string;
        dateOfBirth: string;
        role: 'parent' | 'child' | 'other';
        bsn?: string;
      }>;
      network: Array<{ name: string; relation: string }>;
      address?: { postcode: string; houseNumber: string };
    },
    goals: DemoGoal[],
  ): Promise<{ familyId: string; memberIds: string[] }> {
    const context = () => this.context(registrar);
    const { familyId, memberIds } = await this.commands.execute(
      new RegisterFamilyCommand(
        registration,
        {
          professionalId: registrar.sub,
          name: registrar.name,
          organisation: registrar.organisation,
          discipline: registrar.discipline,
        },
        context(),
      ),
    );
    for (const p of caseTeam) {
      await this.commands.execute(
        new JoinCaseTeamCommand(
          familyId,
          {
            professionalId: p.sub,
            name: p.name,
            organisation: p.organisation,
            discipline: p.discipline,
            lifeDomains: p.lifeDomains,
          },
          user(registrar),
          context(),
        ),
      );
    }
    const as = (p: DemoProfessional): PlanCommandInput => ({
      familyId,
      user: user(p),
      context: context(),
    });
    await this.commands.execute(new OpenPlanCommand(as(registrar), undefined));
    // The SLT professional who registers the family holds casusregie.
    await this.commands.execute(
      new AssignRegieCommand(as(registrar), { role: 'casusregie', professionalId: registrar.sub }),
    );
    for (const goal of goals) {
      const { goalId } = await this.commands.execute(
        new AddGoalCommand(as(registrar), {
          familyWording: goal.words,
          concerns: goal.concerns.map((i) => memberIds[i]),
          lifeDomain: goal.domain,
        }),
      );
      if (goal.action) {
        await this.commands.execute(
          new AddActionCommand(as(registrar), {
            goalId,
            description: goal.action.description,
            assignee: { kind: 'professional', id: goal.action.by.sub },
            dueDate: this.inDays(goal.action.dueInDays),
          }),
        );
      }
    }
    // The family and every organisation with an action agree: the plan becomes binding.
    for (const [i, member] of registration.members.entries()) {
      const concerned = goals.some((g) => g.concerns.includes(i));
      const mustSign =
        member.role === 'parent' ||
        (concerned && ageOn(member.dateOfBirth, this.clock.now()) >= AGREEMENT_AGE);
      if (mustSign) {
        await this.commands.execute(
          new SignPlanCommand(as(registrar), { party: { kind: 'member', id: memberIds[i] } }),
        );
      }
    }
    for (const p of new Set(goals.flatMap((g) => (g.action ? [g.action.by] : [])))) {
      await this.commands.execute(
        new SignPlanCommand(as(p), { party: { kind: 'organisation', id: p.organisation } }),
      );
    }
    return { familyId, memberIds };
  }
}
