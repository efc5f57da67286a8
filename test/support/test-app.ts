import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { DestinationStream } from 'pino';
import request from 'supertest';
import { loadConfig } from '../../config/app.config.js';
import { AppModule } from '../../src/app.module.js';
import { configureApp } from '../../src/configure-app.js';
import { createInfrastructure, type Infrastructure } from '../../src/core/infrastructure.js';
import { INFRASTRUCTURE_OPTIONS } from '../../src/read-models.js';
import { OpenApiConformance } from './openapi-conformance.js';
import { createTestDatabase } from './test-database.js';

export interface TestApp {
  readonly app: INestApplication;
  readonly infra: Infrastructure;
  readonly http: ReturnType<typeof request>;
  /** Every response so far checked against the served OpenAPI document. */
  readonly conformance: OpenApiConformance;
  token(claims?: Partial<TokenClaims>): Promise<string>;
  /** Stops the app; then throws if any response differed from the OpenAPI document. */
  close(): Promise<void>;
}

export interface TokenClaims {
  sub: string;
  name: string;
  organisation: string;
  roles: string[];
  teams: string[];
  memberId?: string;
}

/**
 * The real app (development mode) over real HTTP, on a fresh database of the test server
 * unless `env.DATABASE_URL` names one (several instances, or a restart, on one database).
 * `logDestination` receives the log lines (LOG_LEVEL is silent unless the env says otherwise).
 */
export async function startTestApp(
  env: Record<string, string> = {},
  { logDestination }: { logDestination?: DestinationStream } = {},
): Promise<TestApp> {
  const databaseUrl = env.DATABASE_URL ?? (await createTestDatabase('e2e'));
  const dataDir = mkdtempSync(join(tmpdir(), 'egep-data-'));
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    DEMO_DATA: 'false',
    // Tests move time through the dev clock; a background timer loop would append events
    // (automatic signals, say) in the middle of a test that counts them.
    TIMER_INTERVAL_MS: '0',
    ...env,
  });
  const infra = await createInfrastructure(config, { ...INFRASTRUCTURE_OPTIONS, logDestination });
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot(infra)],
  }).compile();
  const app = configureApp(
    moduleRef.createNestApplication({ bodyParser: false, bufferLogs: true }),
    infra,
  );
  // Every response of every test is checked against the document, so the two cannot drift.
  const conformance = new OpenApiConformance();
  app.use(conformance.middleware);
  await app.init();
  const http = request(app.getHttpServer());
  conformance.load((await http.get('/docs-json').expect(200)).body);
  return {
    app,
    infra,
    http,
    conformance,
    async token(claims = {}) {
      const response = await request(app.getHttpServer())
        .post('/api/v1/dev/tokens')
        .send({
          sub: 'prof-sanne',
          name: 'Sanne de Vries',
          organisation: 'SLT Haven',
          roles: ['professional'],
          ...claims,
        })
        .expect(201);
      return response.body.token as string;
    },
    async close() {
      await app.close();
      await infra.close();
      rmSync(dataDir, { recursive: true, force: true });
      conformance.assertConformed();
    },
  };
}
