import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { AccessLog } from '#libs/access-log/access-log.js';
import type { AccessPoint } from '#libs/access-log/access-point.decorator.js';
import type { CommandContext } from '#libs/aggregates/aggregate-repository.js';
import type { AuthUser } from '#libs/auth/auth-user.js';
import { forbidden } from '#libs/http/problem-details.js';
import { PersonalDataVault } from '#libs/personal-data/personal-data-vault.js';
import { normalizeAddress } from '../families/address.js';
import type { RequestEmergencyAccessDto } from './dto/emergency-access.dto.js';
import { EmergencyAccessCommandService } from './emergency-access.command.js';
import type { EmergencySubject } from './emergency-access.events.js';
import { emergencyRule } from '../privacy/emergency-rule.js';
import { addressDigest, bsnDigest } from '../families/subject-index.js';

export interface EmergencyAccessGranted {
  accessId: string;
  until: string;
  families: Array<{ familyId: string }>;
  position: string;
}

export class GrantEmergencyAccessCommand extends Command<EmergencyAccessGranted> {
  constructor(
    readonly body: RequestEmergencyAccessDto,
    readonly user: AuthUser,
    readonly context: CommandContext,
    readonly accessPoint: AccessPoint,
  ) {
    super();
  }
}

/**
 * Breaks the glass: finds the families of a subject through the blind index, records the
 * search in the access log before anything is answered, and grants their reading, read-only,
 * for EMERGENCY_ACCESS_HOURS. For a professional of an SLT team only.
 */
@CommandHandler(GrantEmergencyAccessCommand)
export class GrantEmergencyAccessHandler implements ICommandHandler<GrantEmergencyAccessCommand> {
  constructor(
    @Inject(EmergencyAccessCommandService) private readonly accesses: EmergencyAccessCommandService,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(AccessLog) private readonly accessLog: AccessLog,
  ) {}

  async execute({ body, user, context, accessPoint }: GrantEmergencyAccessCommand) {
    const { reason } = body;
    const accessId = randomUUID();
    const subject: EmergencySubject =
      body.subject.bsn !== undefined
        ? { bsn: body.subject.bsn }
        : normalizeAddress({
            postcode: body.subject.postcode!,
            houseNumber: body.subject.houseNumber!,
          });
    const { state, position } = await this.accesses.run(
      {
        type: 'GrantEmergencyAccess',
        accessId,
        professional: { userId: user.sub, name: user.name, organisation: user.organisation },
        subject,
        reason,
      },
      context,
      async () => {
        if (!user.roles.includes('professional') || user.teams.length === 0) {
          throw forbidden('Emergency access is for professionals of an SLT team');
        }
        return { found: await this.search(accessId, subject, reason, user, accessPoint) };
      },
    );
    const { familyIds, until } = state.granted!;
    return {
      accessId,
      until,
      families: familyIds.map((familyId) => ({ familyId })),
      position,
    };
  }

  /** The families of the subject, by its blind index; the search is logged before any answer. */
  private async search(
    accessId: string,
    subject: EmergencySubject,
    reason: string,
    user: AuthUser,
    accessPoint: AccessPoint,
  ): Promise<string[]> {
    const digest =
      'bsn' in subject ? bsnDigest(this.vault, subject.bsn) : addressDigest(this.vault, subject);
    const rows: Array<{ family_id: string }> = await this.dataSource.query(
      `SELECT DISTINCT family_id FROM emergency_subject_index WHERE digest = $1 ORDER BY family_id`,
      [digest],
    );
    await this.accessLog.record({
      action: 'search',
      resource: 'emergency-access',
      familyId: null,
      memberIds: [],
      user,
      accessPoint,
      purpose: reason,
      rule: emergencyRule(accessId),
      breakTheGlass: true,
    });
    return rows.map((r) => r.family_id);
  }
}
