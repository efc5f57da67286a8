import { randomUUID } from 'node:crypto';
import type { AuthUser } from '../../auth/auth-user.js';
import type { AccessRecord } from '../access-log.js';

/** The professional whose reads the access-log specs record. */
export const sanne: AuthUser = {
  sub: 'u-sanne',
  name: 'Sanne de Vries',
  organisation: 'SLT Haven',
  roles: ['professional'],
  teams: [randomUUID()],
};

/**
 * A read of one family by Sanne for the case team. A fresh family and member unless `over`
 * names them, so that specs can share the (append-only) table and still find their own rows;
 * by `correlationId`, too, where concurrent callers each look for theirs.
 */
export const familyRead = (
  correlationId = 'req-1',
  over: Partial<AccessRecord> = {},
): AccessRecord => ({
  action: 'read',
  resource: 'family',
  familyId: randomUUID(),
  memberIds: [randomUUID()],
  user: sanne,
  accessPoint: { ip: '10.0.0.7', userAgent: 'jest', client: 'web-app', correlationId },
  purpose: 'uitvoering gezinsplan (Wmo 2015 art. 2.3.5)',
  rule: 'case_team',
  ...over,
});
