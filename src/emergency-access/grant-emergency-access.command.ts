import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/app.config.js';
import { AccessLog } from '../../libs/access-log/access-log.js';
import type { AccessPoint } from '../../libs/access-log/access-point.decorator.js';
import {
  AggregateRepository,
  type CommandContext,
} from '../../libs/aggregates/aggregate-repository.js';
import type { AuthUser } from '../../libs/auth/auth-user.js';
import { CLOCK, type Clock } from '../../libs/clock/index.js';
import { formatPosition } from '../../libs/event-store/position.js';
import { forbidden } from '../../libs/http/problem-details.js';
import { PersonalDataVault } from '../../libs/personal-data/personal-data-vault.js';
import { normalizeAddress } from '../families/address.js';
import type { RequestEmergencyAccessDto } from './dto/emergency-access.dto.js';
import { EmergencyAccessType } from './emergency-access.aggregate.js';
import { emergencyRule } from '../privacy/emergency-rule.js';
import { addressDigest, bsnDigest } from './subject-index.js';

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

const HOUR_MS = 3_600_000;

/**
 * Breaks the glass: finds the families of a subject through the blind index, records the
 * search in the access log before anything is answered, and grants their reading, read-only,
 * for EMERGENCY_ACCESS_HOURS. For a professional of an SLT team only.
 */
@CommandHandler(GrantEmergencyAccessCommand)
export class GrantEmergencyAccessHandler implements ICommandHandler<GrantEmergencyAccessCommand> {
  constructor(
    @Inject(AggregateRepository) private readonly repository: AggregateRepository,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(AccessLog) private readonly accessLog: AccessLog,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ body, user, context, accessPoint }: GrantEmergencyAccessCommand) {
    if (!user.roles.includes('professional') || user.teams.length === 0) {
      throw forbidden('Emergency access is for professionals of an SLT team');
    }
    const { subject, reason } = body;
    const byBsn = subject.bsn !== undefined;
    const address = byBsn
      ? undefined
      : normalizeAddress({ postcode: subject.postcode!, houseNumber: subject.houseNumber! });
    const digest = byBsn
      ? bsnDigest(this.vault, subject.bsn!)
      : addressDigest(this.vault, address!);
    const rows: Array<{ family_id: string }> = await this.dataSource.query(
      `SELECT DISTINCT family_id FROM emergency_subject_index WHERE digest = $1 ORDER BY family_id`,
      [digest],
    );
    const familyIds = rows.map((r) => r.family_id);
    const accessId = randomUUID();
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
    const now = this.clock.now();
    const until = new Date(now.getTime() + this.config.EMERGENCY_ACCESS_HOURS * HOUR_MS);
    const access = EmergencyAccessType.create(accessId);
    access.grant({
      userId: user.sub,
      name: user.name,
      organisation: user.organisation,
      subjectKind: byBsn ? 'bsn' : 'address',
      subject: await this.vault.seal(accessId, byBsn ? { bsn: subject.bsn } : address),
      reason: await this.vault.seal(accessId, reason),
      familyIds,
      grantedAt: now.toISOString(),
      until: until.toISOString(),
    });
    const result = await this.repository.save(access, EmergencyAccessType, context);
    return {
      accessId,
      until: until.toISOString(),
      families: familyIds.map((familyId) => ({ familyId })),
      position: formatPosition(result!.position),
    };
  }
}
