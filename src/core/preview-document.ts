import { NestFactory } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { loadConfig } from '../../config/app.config.js';
import { createOpenApiDocument } from '#libs/http/openapi/openapi-document.js';
import { AppModule } from '../app.module.js';
import type { Infrastructure } from './infrastructure.js';

/**
 * The app's OpenAPI document without a database or a server: Nest's preview mode resolves the
 * module graph but instantiates nothing, so no provider ever touches the infrastructure it
 * is given, of which only the configuration is real. Development mode, so that the document
 * has every operation the served one can have (the dev endpoints too).
 */
export async function previewOpenApiDocument(
  env: Record<string, string> = {},
): Promise<OpenAPIObject> {
  const config = loadConfig({ APP_MODE: 'development', LOG_LEVEL: 'silent', ...env });
  const infra = { config } as Infrastructure;
  const app = await NestFactory.create(AppModule.forRoot(infra), {
    preview: true,
    logger: false,
    bodyParser: false,
  });
  try {
    return createOpenApiDocument(app);
  } finally {
    await app.close();
  }
}
