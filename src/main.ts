import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '../config/app.config.js';
import { AppModule } from './app.module.js';
import { configureApp } from './configure-app.js';
import { createInfrastructure } from './core/infrastructure.js';
import { DemoData } from './demo/demo-data.js';
import { DEMO_TEAMS } from './demo/demo-professionals.js';
import { INFRASTRUCTURE_OPTIONS } from './read-models.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const infra = await createInfrastructure(config, INFRASTRUCTURE_OPTIONS);
  const app = configureApp(
    await NestFactory.create(AppModule.forRoot(infra), { bodyParser: false, bufferLogs: true }),
    infra,
  );
  // Graceful shutdown: stop taking requests and let projections finish their batch (app.close
  // runs the shutdown hooks), then close the pools and the embedded database.
  const shutdown = async () => {
    await app.close();
    await infra.close();
    process.exit(0);
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  await app.listen(config.PORT);
  const base = `http://localhost:${config.PORT}`;
  const demo = app.get(DemoData).summary;
  console.log(
    [
      `Eén gezin, één plan is listening on ${base} (${config.APP_MODE}, events in ${infra.eventStore.kind})`,
      `  Health:  ${base}/health    API docs: ${base}/docs`,
      ...(config.isDevelopment
        ? [
            `  Development token:`,
            `    curl -s -X POST ${base}/api/v1/dev/tokens -H 'content-type: application/json' \\`,
            `      -d '{"sub":"demo-sanne","name":"Sanne de Vries","organisation":"SLT Haven","roles":["professional"],"teams":["${DEMO_TEAMS.haven}"]}'`,
          ]
        : []),
      ...(demo
        ? [
            `  Demo data loaded (Sanne's token above reads Paulien's family):`,
            `    curl -s ${base}/api/v1/families/${demo.paulien}/plan -H "authorization: Bearer $TOKEN"`,
            `    curl -s ${base}/api/v1/me/inbox -H "authorization: Bearer $TOKEN"   (Paulien's housing signal)`,
            `    Asha (SLT Stad-West, sub demo-youri, team ${DEMO_TEAMS.stadWest}): /api/v1/families/${demo.asha}`,
            `    curl -s ${base}/api/v1/teams/${DEMO_TEAMS.haven}/concerns -H "authorization: Bearer $TOKEN"   (Haven's intake queue)`,
            `    Concerns filed by demo-school (ROC Flevoland) and demo-corporation (Ymere): /api/v1/concerns/mine`,
          ]
        : []),
    ].join('\n'),
  );
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
