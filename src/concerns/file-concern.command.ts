import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import type { CommandContext } from '#libs/aggregates/aggregate-repository.js';
import { DomainRuleViolation } from '#libs/aggregates/domain-errors.js';
import type { AuthUser } from '#libs/auth/auth-user.js';
import { forbidden } from '#libs/http/problem-details.js';
import { normalizeAddress } from '../families/address.js';
import { mayFile } from './concern-access.js';
import { actorOf, ConcernCommandService } from './concern.command.js';
import type { FileConcernDto } from './dto/file-concern.dto.js';

export class FileConcernCommand extends Command<{ concernId: string; position: string }> {
  constructor(
    readonly body: FileConcernDto,
    readonly user: AuthUser,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/**
 * A professional of any organisation files a concern with the team whose wijk holds the
 * subject's postcode area. Nothing is matched here: the answer is the same whether or not the
 * subject is known, and matching happens in intake's queue.
 */
@CommandHandler(FileConcernCommand)
export class FileConcernHandler implements ICommandHandler<FileConcernCommand> {
  constructor(
    @Inject(ConcernCommandService) private readonly service: ConcernCommandService,
    @Inject(DataSource) private readonly dataSource: DataSource,
  ) {}

  async execute({ body, user, context }: FileConcernCommand) {
    if (!mayFile(user)) throw forbidden('Only professionals file concerns');
    const { bsn, givenName, familyName, dateOfBirth } = body.subject;
    const address = normalizeAddress(body.subject);
    const teamId = await this.teamOf(address.postcode.slice(0, 4));
    const concernId = randomUUID();
    const { position } = await this.service.run(
      concernId,
      {
        type: 'FileConcern',
        concernId,
        teamId,
        reporter: actorOf(user),
        ...(body.onBehalfOf === undefined ? {} : { onBehalfOf: body.onBehalfOf }),
        subject: {
          ...(bsn === undefined ? {} : { bsn: bsn.trim() }),
          ...(givenName === undefined ? {} : { givenName: givenName.trim() }),
          ...(familyName === undefined ? {} : { familyName: familyName.trim() }),
          ...(dateOfBirth === undefined ? {} : { dateOfBirth }),
          ...address,
        },
        category: body.category,
        urgency: body.urgency,
        description: body.description,
      },
      context,
      () => undefined,
    );
    return { concernId, position };
  }

  private async teamOf(area: string): Promise<string> {
    const rows: Array<{ team_id: string }> = await this.dataSource.query(
      'SELECT team_id FROM concern_team_areas WHERE postcode_area = $1',
      [area],
    );
    if (rows.length === 0) {
      throw new DomainRuleViolation(
        `Postcode area ${area} lies in no SLT team's wijk`,
        'subject.postcode',
      );
    }
    return rows[0].team_id;
  }
}
