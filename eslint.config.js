import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import tseslint from 'typescript-eslint';

// The capability folders' layers, bottom to top: the one list of the architecture's layering,
// checked by eslint-plugin-boundaries below (README, "Layers"). A folder may import its own
// files, folders of strictly lower layers, libs and config; folders on one layer are peers and
// must not import each other; nothing but the app (the last layer) may import the app. Keeping
// the list as data means a new capability folder is placed by adding one name to one layer;
// until it is, its files are unknown and lint fails (boundaries/no-unknown-files).
const LAYERS = [
  ['kernel'],
  ['privacy'],
  ['families'],
  ['plans'],
  ['escalations', 'erasure', 'consents'],
  ['emergency-access'],
  ['teams'],
  ['concerns'],
  ['audit', 'inbox', 'monitor', 'citizen-data', 'zaaksysteem'],
];
// The app composes the capabilities and may import all of them. Its folders, and the files directly
// in src/ (app.module.ts, main.ts, configure-app.ts, read-models.ts).
const APP_FOLDERS = ['core', 'cli', 'demo', 'dev', 'health'];

// Tests compose the app (a spec may build the whole module graph, as erasure.int-spec.ts does with
// core/infrastructure), so test files, test/** and bench/** may import anything: the boundaries
// rules do not look at them.
const TEST_FILES = ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts'];
const CHECKED_FILES = ['src/**/*.ts', 'libs/**/*.ts', 'config/**/*.ts'];

const element = (type, pattern) => ({ type, pattern, partialMatch: false });
const types = (names) => ({ element: { types: { anyOf: names } } });
const layerPolicies = LAYERS.map((layer, index) => {
  const lower = LAYERS.slice(0, index).flat();
  return layer.map((name) => ({
    from: { element: { type: name } },
    // Its own files are internal to the element and not checked (checkInternals is off).
    allow: { to: types([...lower, 'libs', 'config']) },
  }));
}).flat();

const boundariesConfig = {
  files: CHECKED_FILES,
  ignores: TEST_FILES,
  plugins: { boundaries },
  settings: {
    // Resolves the '.js' suffixes of the imports to the '.ts' files (eslint-import-resolver-typescript).
    'import/resolver': { typescript: { project: './tsconfig.json' } },
    'boundaries/elements': [
      element('libs', 'libs/*'),
      element('config', 'config'),
      ...LAYERS.flat().map((name) => element(name, `src/${name}`)),
      element(
        'app',
        APP_FOLDERS.map((name) => `src/${name}`),
      ),
    ],
    // Element patterns match folders; the app's files directly in src/ are classified as files.
    'boundaries/files': [{ category: 'app', pattern: 'src/*.ts' }],
  },
  rules: {
    'boundaries/dependencies': [
      'error',
      {
        default: 'disallow',
        // An import of a file in no element is checked too: of the app's files in src/ (allowed to
        // the app only) or of a path outside src, libs and config (disallowed).
        checkUnknownLocals: true,
        policies: [
          { from: { element: { type: 'libs' } }, allow: { to: types(['libs']) } },
          { from: { element: { type: 'config' } }, allow: { to: types(['libs', 'config']) } },
          ...layerPolicies,
          {
            from: [{ element: { type: 'app' } }, { file: { categories: 'app' } }],
            allow: { to: [{ element: { types: '*' } }, { file: { categories: 'app' } }] },
          },
        ],
      },
    ],
    'boundaries/no-unknown-files': 'error',
    'boundaries/no-unknown-dependencies': 'error',
  },
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', 'coverage/**'] },
  js.configs.recommended,
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', globalThis: 'readonly' },
    },
  },
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  boundariesConfig,
);
