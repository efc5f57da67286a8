import { randomUUID } from 'node:crypto';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

/** Where an access came from (NEN 7513 "access point"), and the request it belongs to. */
export interface AccessPoint {
  ip: string;
  userAgent: string;
  client: string;
  correlationId: string;
}

/** The parts of an Express request this reads; typed loosely so a plain object serves in tests. */
export interface AccessPointRequest {
  ip?: string;
  socket?: { remoteAddress?: string };
  headers: Record<string, string | string[] | undefined>;
  id?: unknown;
}

const CLIENT_ID = /^[\w.:-]{1,100}$/;

/**
 * Headers are caller-controlled and end up in a record kept for years: bound their length, and
 * accept a client id only in a plain shape so the log cannot be stuffed with arbitrary text.
 */
export function accessPointFrom(request: AccessPointRequest): AccessPoint {
  const userAgent = request.headers['user-agent'];
  const client = request.headers['x-client-id'];
  const ip = request.ip || request.socket?.remoteAddress || 'unknown';
  return {
    ip: ip.slice(0, 100),
    userAgent: typeof userAgent === 'string' && userAgent ? userAgent.slice(0, 300) : 'unknown',
    client: typeof client === 'string' && CLIENT_ID.test(client) ? client : 'unknown',
    correlationId: typeof request.id === 'string' ? request.id : randomUUID(),
  };
}

/** `@AccessPointOf() accessPoint: AccessPoint` in a controller method. */
export const AccessPointOf = createParamDecorator(
  (_: unknown, context: ExecutionContext): AccessPoint =>
    accessPointFrom(context.switchToHttp().getRequest<AccessPointRequest>()),
);
