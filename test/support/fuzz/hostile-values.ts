import fc from 'fast-check';

/**
 * Strings an attacker or a broken client sends: injections for every back end we have or might
 * grow (SQL, NoSQL operators, templates, shells, paths), unicode that breaks naive code (RTL
 * overrides, zero-width, combining marks, emoji sequences, NUL and other control characters,
 * lone surrogates) and number-ish text. Each is also valid JSON content, so it reaches the validators.
 */
export const HOSTILE_STRINGS: readonly string[] = [
  "' OR '1'='1",
  "'; DROP TABLE events; --",
  '1; SELECT pg_sleep(5)',
  '" OR ""="',
  '\\',
  '{"$gt": ""}',
  '$where',
  '{{7*7}}',
  '${7*7}',
  '<%= 7*7 %>',
  '#{7*7}',
  '<script>alert(1)</script>',
  '$(reboot)',
  '`id`',
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '%00',
  '%s%s%s%n',
  '\u0000',
  'before\u0000after',
  '\uD800',
  '\uDFFF',
  'a\uDC00b',
  '\u202Egnp.exe',
  '\u200B\u200C\u200D\uFEFF',
  'مرحبا بالعالم',
  'שלום',
  'Z̸̡̛̖̘̝̪̈́̊a̴̛̗̓l̵̙̈g̷̱̊o̶̭͌',
  '👨‍👩‍👧‍👦🏳️‍🌈',
  '\r\nSet-Cookie: x=1',
  '\t\n\r\v\f',
  '\u0001\u0002\u0003',
  '\u001b[31mrood\u001b[0m',
  '\b\b\bweg',
  '\u007f\u0085\u009f',
  ' ',
  '',
  'null',
  'undefined',
  'true',
  'NaN',
  '-1',
  '1e309',
  '9'.repeat(40),
  '__proto__',
  'constructor',
  'ＡＢＣ１２３',
  'İstanbul ß ﬁ',
];

/** Hostile text: a known nasty string, random unicode, or both glued together. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
  fc
    .tuple(fc.constantFrom(...HOSTILE_STRINGS), fc.string({ unit: 'grapheme', maxLength: 10 }))
    .map(([a, b]) => a + b),
);

/**
 * One C0 control character the service refuses in every string (all but tab, line feed and
 * carriage return), NUL most often: PostgreSQL refuses it in text and jsonb.
 */
export const controlCharacter: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constant('\u0000'), weight: 2 },
  {
    arbitrary: fc
      .integer({ min: 1, max: 0x1f })
      .filter((code) => ![0x09, 0x0a, 0x0d].includes(code))
      .map((code) => String.fromCharCode(code)),
    weight: 2,
  },
);

// eslint-disable-next-line no-control-regex -- what the generator puts in, found again
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;
export const hasControlCharacter = (text: string) => CONTROL.test(text);

/** `text` with a control character at its start, its end or anywhere between. */
export function withControlCharacter(text: string): fc.Arbitrary<string> {
  return fc
    .tuple(fc.nat({ max: text.length }), controlCharacter)
    .map(([at, control]) => text.slice(0, at) + control + text.slice(at));
}

/** A long string of some kind, `length` UTF-16 units. */
export function longString(length: number, unit = 'a'): string {
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}

/** Dates every validator of `YYYY-MM-DD` must refuse, valid-looking or not. */
export const BAD_DATES: readonly string[] = [
  '2026-02-30',
  '2027-02-29',
  '2026-13-01',
  '2026-00-10',
  '2026-04-31',
  '0000-00-00',
  '99999-01-01',
  '+275760-09-13',
  '-000001-01-01',
  '2026-1-1',
  '20260101',
  '2026/01/01',
  '01-02-2026',
  '2026-01-01T00:00:00Z',
  '2026-01-01T00:00:00+02:00',
  '2026-01-01T25:61:61-14:00',
  '2026-W01-1',
  '2026-001',
  'yesterday',
  '٢٠٢٦-٠١-٠١',
  '2026-01-01\u0000',
  ' 2026-01-01',
  '',
];

/** Values that are surely not UUIDs. */
export const NOT_UUIDS: readonly string[] = [
  'not-a-uuid',
  '0',
  '-1',
  '1e9',
  'null',
  '{}',
  '00000000-0000-0000-0000-00000000000',
  '00000000-0000-0000-0000-0000000000000',
  'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz',
  '{3b9e6c1e-4f2a-4d8b-9a61-2f0c5d7e8a10}',
  '3b9e6c1e4f2a4d8b9a612f0c5d7e8a10x',
  "3b9e6c1e-4f2a-4d8b-9a61-2f0c5d7e8a10' OR '1'='1",
  '3b9e6c1e-4f2a-4d8b-9a61-2f0c5d7e8a10\u0000',
  ' 3b9e6c1e-4f2a-4d8b-9a61-2f0c5d7e8a10',
];

/** Header values: Node refuses to send control or non-latin1 characters, so these stay inside. */
export const headerGarbage: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '*',
    'null',
    '-1',
    '0',
    '"',
    'W/"x"',
    '"*", W/""',
    "' OR '1'='1",
    '{{7*7}}',
    '../../etc/passwd',
    '%00',
    'é',
    '1-2-3',
    '-1--1',
    '1.5-2',
    '0x10-0x10',
    '99999999999999999999999-0',
    '1e3-1',
    longString(300, 'k'),
    longString(800, 'x'),
  ),
  fc.string({ unit: 'binary-ascii', maxLength: 30 }).map((s) => s.replace(/[^\x20-\x7e]/g, '')),
);
