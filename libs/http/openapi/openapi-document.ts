import type { INestApplication, Type } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { addMediaExamples } from './media-examples.js';
import { applyValidationConstraints } from './validation-constraints.js';

/** One tag per capability, in the order a reader meets them. */
export const API_TAGS: ReadonlyArray<readonly [string, string]> = [
  ['families', 'Families, their members and network, and the case team'],
  ['plans', 'The family plan: goals, actions, notes, signatures, versions, closure'],
  ['regie', 'Casusregie, perspectiefregie and procesregie'],
  ['escalations', 'Signals and the escalation ladder'],
  ['inbox', "A professional's cases and the escalations waiting on them"],
  ['notifications', 'Notifications as server-sent events'],
  ['privacy', 'Access logs, disputes, BSN reveal and the citizen’s own data'],
  [
    'emergency-access',
    'Break the glass: time-boxed read-only access, reviewed by the privacy officer',
  ],
  ['consents', 'Consents of family members to organisations and members'],
  ['erasure', 'Erasure requests (crypto-shredding) and their decisions'],
  ['audit', 'History, past states, tamper evidence and export for auditors'],
  ['teams', 'SLT teams, their postcode areas and their dashboards'],
  ['concerns', 'Concerns from partner organisations: filing, intake, matching and outreach'],
  ['monitor', 'The policy monitor: aggregates with small counts withheld'],
  ['operations', 'Health checks'],
  ['development', 'Development mode only: tokens and the clock'],
];

interface Container {
  getModules(): Map<string, { controllers: Map<unknown, { metatype: Type | null }> }>;
}

/** The request DTOs of every route (paramtypes), for rules a class only inherits. */
function requestClasses(app: INestApplication): Type[] {
  const container = (app as unknown as { container: Container }).container;
  const classes = new Set<Type>();
  for (const module of container.getModules().values()) {
    for (const { metatype } of module.controllers.values()) {
      const prototype = metatype?.prototype as Record<string, unknown> | undefined;
      if (!prototype) continue;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const types: unknown[] = Reflect.getMetadata('design:paramtypes', prototype, name) ?? [];
        types.forEach((type) => typeof type === 'function' && classes.add(type as Type));
      }
    }
  }
  return [...classes];
}

/**
 * The OpenAPI document of the app's routes, as served at /docs-json and linted in CI. Built
 * from the controllers' metadata only, so an app created in preview mode (no database) gives
 * the same document as a running one.
 */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Eén gezin, één plan')
    .setDescription(
      'Case coordination for families with problems in several life domains: families, one binding plan, regie, the escalation ladder, privacy-scoped views and audit. Errors are RFC 9457 problem details (application/problem+json). Every command answers with a `position`; send it as `X-Consistent-After` to read your own writes.',
    )
    .setVersion('1')
    .addServer('/', 'This server')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  for (const [name, description] of API_TAGS) builder.addTag(name, description);
  const document = SwaggerModule.createDocument(app, builder.build());
  applyValidationConstraints(document, requestClasses(app));
  addMediaExamples(document);
  return document;
}
