import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '../config/app.config.js';
import { AppModule } from './app.module.js';
import { configureApp } from './configure-app.js';
import { createInfrastructure } from './core/infrastructure.js';
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
  console.log(
    [
      `Eén gezin, één plan is listening on ${base} (${config.APP_MODE}, events in ${infra.eventStore.kind})`,
      `  Health:  ${base}/health    API docs: ${base}/docs`,
      ...(config.isDevelopment
        ? [
            `  Development token:`,
            `    curl -s -X POST ${base}/api/v1/dev/tokens -H 'content-type: application/json' \\`,
            `      -d '{"sub":"prof-1","name":"Sanne","organisation":"SLT Haven","roles":["professional"]}'`,
          ]
        : []),
    ].join('\n'),
  );
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
