import {
  Controller,
  Get,
  Inject,
  Injectable,
  Query,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiView } from '#libs/http/openapi/api-operation.decorators.js';
import type { AuthUser } from '#libs/auth/auth-user.js';
import { CurrentUser } from '#libs/auth/jwt-auth.guard.js';
import { forbidden, validationProblem } from '#libs/http/problem-details.js';
import { ConcernMonitorReportDto } from './dto/monitor-concerns.dto.js';
import { MonitorQueryDto, MonitorReportDto } from './dto/monitor.dto.js';
import { MonitorConcernsQuery } from './monitor-concerns.query.js';
import { MONITOR_READERS, MonitorQuery } from './monitor.query.js';

/**
 * 403 before anything else (the query is not even validated) for anyone who is not a policy
 * analyst, admin or auditor. The monitor is not a family resource, so 403 rather than 404.
 */
@Injectable()
export class MonitorReaderGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const user = context.switchToHttp().getRequest<{ user?: AuthUser }>().user;
    if (!user?.roles.some((role) => (MONITOR_READERS as readonly string[]).includes(role))) {
      throw forbidden('The policy monitor is for policy analysts, administrators and auditors');
    }
    return true;
  }
}

@ApiTags('monitor')
@ApiBearerAuth()
@Controller('api/v1/monitor')
export class MonitorController {
  constructor(
    @Inject(MonitorQuery) private readonly monitor: MonitorQuery,
    @Inject(MonitorConcernsQuery) private readonly concerns: MonitorConcernsQuery,
  ) {}

  @Get()
  @UseGuards(MonitorReaderGuard)
  @ApiView({
    operationId: 'getMonitor',
    summary:
      'The policy monitor: aggregates per wijk or stadsdeel (concerns: per wijk), small counts withheld',
    description:
      'For policy analysts, admins and auditors; 403 for anyone else. Counts under 5 are null, and further counts are withheld so that no withheld count follows from the totals. No personal data, so no access-log record.',
    response: [MonitorReportDto, ConcernMonitorReportDto],
    problems: [403],
  })
  get(@Query() query: MonitorQueryDto, @CurrentUser() user: AuthUser) {
    if (query.measure !== 'concerns') return this.monitor.report(user, query);
    // Concerns are counted per wijk only, over all time: a stadsdeel (the sum of its wijken)
    // or a period beside another would let one published figure be subtracted from another.
    const refused = [
      ...(query.groupBy === 'wijk' ? [] : ['groupBy']),
      ...(['period', 'from', 'to'] as const).filter((field) => query[field] !== undefined),
    ];
    if (refused.length > 0) {
      throw validationProblem(
        refused.map((field) => ({
          field,
          messages: [
            field === 'groupBy'
              ? 'measure concerns is grouped by wijk only'
              : `measure concerns counts every concern so far: no ${field}`,
          ],
        })),
      );
    }
    return this.concerns.report();
  }
}
