import type { INestApplication } from '@nestjs/common';
import { SwaggerModule } from '@nestjs/swagger';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { answerClientErrorsWithProblems } from '../libs/http/client-errors.js';
import { ConsistencyInterceptor } from '../libs/http/consistency.interceptor.js';
import { IdempotencyInterceptor } from '../libs/http/idempotency.interceptor.js';
import { createOpenApiDocument } from '../libs/http/openapi/openapi-document.js';
import {
  bodyParserProblem,
  ProblemDetailsFilter,
  sendProblem,
  validationProblem,
} from '../libs/http/problem-details.js';
import { controlCharacterErrors } from '../libs/http/control-characters.js';
import { createValidationPipe, nestingErrors } from '../libs/http/validation.js';
import type { Infrastructure } from './core/infrastructure.js';

/**
 * Everything around the routes, shared by main.ts and the end-to-end tests so that tests run
 * the same HTTP stack as production. The app must be created with `bodyParser: false`.
 */
export function configureApp(app: INestApplication, infra: Infrastructure): INestApplication {
  const logger = app.get(Logger);
  app.useLogger(logger);
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
  app.useGlobalFilters(
    new ProblemDetailsFilter((error, request) =>
      logger.error({ err: error, url: request.originalUrl, msg: 'request failed' }),
    ),
  );
  app.useGlobalInterceptors(app.get(ConsistencyInterceptor), app.get(IdempotencyInterceptor));
  const document = createOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}
