import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { previewOpenApiDocument } from '../core/preview-document.js';

/** Writes the OpenAPI document to the file named (stdout without one), for the linters. */
async function main(): Promise<void> {
  const document = JSON.stringify(await previewOpenApiDocument(), null, 2);
  const file = process.argv[2];
  if (file) writeFileSync(file, `${document}\n`);
  else process.stdout.write(`${document}\n`);
}

main().catch((error) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
