import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { ESLint } from 'eslint';

// The real ESLint with the real eslint.config.js: the layering (LAYERS there) fails an import
// the wrong way and passes one the right way.
const eslint = new ESLint({ cwd: fileURLToPath(new URL('..', import.meta.url)) });

/** The boundaries rules' messages for `code` as the text of the file at `filePath`. */
async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\n`, { filePath });
  return result!.messages
    .filter((message) => message.ruleId?.startsWith('boundaries/'))
    .map((message) => `${message.ruleId}: ${message.message}`);
}

describe('the lint of the capability layers', () => {
  it.each([
    [
      'a folder imports one above it',
      'src/families/family.aggregate.ts',
      "import '../escalations/escalation.events.js';",
      'from elements of type "families" to elements of type "escalations"',
    ],
    [
      'a folder imports a peer',
      'src/erasure/erasure.module.ts',
      "import '../consents/consent.commands.js';",
      'from elements of type "erasure" to elements of type "consents"',
    ],
    [
      'a capability imports the app',
      'src/audit/audit.service.ts',
      "import '../core/infrastructure.js';",
      'from elements of type "audit" to elements of type "app"',
    ],
    [
      'libs imports src',
      'libs/clock/calendar.ts',
      "import '../../src/kernel/regie.js';",
      'from elements of type "libs" to elements of type "kernel"',
    ],
  ])('fails when %s', async (_case, filePath, code, message) => {
    expect(await boundaryErrors(filePath, code)).toEqual([
      `boundaries/dependencies: There is no policy allowing dependencies ${message}`,
    ]);
  });

  it('fails a folder that is in no layer', async () => {
    expect(await boundaryErrors('src/new-capability/new.module.ts', 'export {};')).toEqual([
      'boundaries/no-unknown-files: File does not match any file pattern and does not belong to any known element',
    ]);
  });

  it.each([
    [
      'a folder imports lower layers, libs, config and itself',
      'src/families/family.aggregate.ts',
      [
        "import '../privacy/viewer.js';",
        "import '../kernel/regie.js';",
        "import '../../libs/clock/calendar.js';",
        "import '#libs/clock/index.js';",
        "import '../../config/app.config.js';",
        "import './family.events.js';",
      ].join('\n'),
    ],
    [
      'the app imports a capability',
      'src/core/core.module.ts',
      "import '../citizen-data/citizen-data.module.js';",
    ],
    [
      'a test imports the app',
      'src/erasure/erasure.int-spec.ts',
      "import '../core/infrastructure.js';",
    ],
  ])('passes when %s', async (_case, filePath, code) => {
    expect(await boundaryErrors(filePath, code)).toEqual([]);
  });
});
