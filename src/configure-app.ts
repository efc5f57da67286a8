import type { INestApplication } from '@nestjs/common';
import { SwaggerModule } from '@nestjs/swagger';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { answerClientErrorsWithProblems } from '#libs/http/client-errors.js';
import { ConsistencyInterceptor } from '#libs/http/consistency.interceptor.js';
import { IdempotencyInterceptor } from '#libs/http/idempotency.interceptor.js';
import { createOpenApiDocument } from '#libs/http/openapi/openapi-document.js';
import {
  bodyParserProblem,
  ProblemDetailsFilter,
  sendProblem,
  SERVICE_UNAVAILABLE,
  validationProblem,
  type ProblemDocument,
} from '#libs/http/problem-details.js';
import { controlCharacterErrors } from '#libs/http/control-characters.js';
import { httpLogger, NestPinoLogger, type Logger } from '#libs/observability/logger.js';
import { createValidationPipe, nestingErrors } from '#libs/http/validation.js';
import type { Infrastructure } from './core/infrastructure.js';

/**
 * Everything around the routes, shared by main.ts and the end-to-end tests so that tests run
 * the same HTTP stack as production. The app must be created with `bodyParser: false`.
 */
export function configureApp(app: INestApplication, infra: Infrastructure): INestApplication {
  app.useLogger(new NestPinoLogger(infra.logger));
  // First, so that every request, even one refused before routing, has its id and log line.
  app.use(httpLogger(infra.logger));
  // Refused by Node's parser before Express (headers over its limit): problem details too.
  answerClientErrorsWithProblems(app.getHttpServer());
  app.use(helmet({ contentSecurityPolicy: false }));
  app.use(infra.metrics.httpMiddleware());
  app.use(express.json({ limit: infra.config.BODY_LIMIT }));
  // Body-parser errors happen before Nest routes the request, so Nest's filters never see them.
  app.use((error: unknown, request: Request, response: Response, next: NextFunction) => {
    const problem = bodyParserProblem(error as { type?: string; status?: number });
    if (!problem) return next(error);
    sendProblem(response, { ...problem, instance: request.originalUrl });
  });
  // Before anything walks the body (the idempotency hash, class-validator): a hostile body nested
  // thousands of levels deep overflows their recursion. Then control characters in any string
  // of the body or query (path ids are checked by their pipes: UUIDs, numbers, enums).
  // Both in one answer, so that a client learns every such problem at once.
  app.use((request: Request, response: Response, next: NextFunction) => {
    const errors = [
      ...nestingErrors(request.body),
      ...controlCharacterErrors(request.body, request.query),
    ];
    if (errors.length === 0) return next();
    sendProblem(response, { ...validationProblem(errors).problem, instance: request.originalUrl });
  });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter(serverErrorReporter(infra)));
  app.useGlobalInterceptors(app.get(ConsistencyInterceptor), app.get(IdempotencyInterceptor));
  const document = createOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}

/**
 * A 503 for want of the database is part of an outage: counted, and logged once per outage
 * (DatabaseOutage). Anything else of 500 or more is a fault, logged with its stack.
 */
function serverErrorReporter(infra: Infrastructure) {
  return (error: unknown, request: Request, problem: ProblemDocument) => {
    if (problem.type === SERVICE_UNAVAILABLE)
      return infra.outage.refused(error, request.originalUrl);
    const log = (request as Request & { log?: Logger }).log ?? infra.logger;
    log.error({ err: error, url: request.originalUrl }, 'request failed');
  };
}
