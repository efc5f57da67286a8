import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { emptyRoot } from '../merkle/merkle-hash.js';
import {
  parseSealStatement,
  sealStatement,
  SealStatementError,
  type SealFields,
} from './seal-statement.js';

const FIELDS: SealFields = {
  size: 0,
  root: emptyRoot().toString('hex'),
  sealedAt: '2027-01-15T09:00:00.000Z',
  sealId: '0190d3c6-6b1e-7c3a-9f2e-5b8d4a1c2e3f',
};

// The statement as the documentation spells it, built by hand.
const TEXT =
  'een-gezin-een-plan seal v1\n' +
  'size 0\n' +
  'root e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n' +
  'sealed-at 2027-01-15T09:00:00.000Z\n' +
  'seal-id 0190d3c6-6b1e-7c3a-9f2e-5b8d4a1c2e3f\n';

const fieldsArbitrary = fc.record({
  size: fc.maxSafeNat(),
  root: fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('hex')),
  sealedAt: fc
    .date({ min: new Date('1970-01-01T00:00:00.000Z'), max: new Date('9999-12-31T23:59:59.999Z') })
    .filter((d) => !Number.isNaN(d.getTime()))
    .map((d) => d.toISOString()),
  sealId: fc.uuid(),
});

describe('the seal statement', () => {
  it('is the documented text, one field a line, LF after each', () => {
    expect(sealStatement(FIELDS)).toBe(TEXT);
    expect(Buffer.byteLength(TEXT)).toBe(184);
    expect(parseSealStatement(TEXT)).toEqual(FIELDS);
  });

  it('round-trips any fields it can hold', () => {
    fc.assert(
      fc.property(fieldsArbitrary, (fields) => {
        expect(parseSealStatement(sealStatement(fields))).toEqual(fields);
      }),
    );
  });

  it('refuses fields with more than one spelling or none', () => {
    const wrong: Partial<Record<keyof SealFields, unknown[]>> = {
      size: [-1, 1.5, Number.MAX_SAFE_INTEGER + 1, Number.NaN, '3'],
      root: [FIELDS.root.toUpperCase(), FIELDS.root.slice(1), `${FIELDS.root}00`, 42],
      sealedAt: [
        '2027-01-15T09:00:00Z',
        '2027-01-15T10:00:00.000+01:00',
        '2027-02-30T09:00:00.000Z',
        '2027-01-15 09:00:00.000Z',
        'tomorrow',
      ],
      sealId: [
        FIELDS.sealId.toUpperCase(),
        FIELDS.sealId.replaceAll('-', ''),
        `{${FIELDS.sealId}}`,
      ],
    };
    for (const [key, values] of Object.entries(wrong)) {
      for (const value of values!) {
        expect(() => sealStatement({ ...FIELDS, [key]: value } as SealFields)).toThrow(
          SealStatementError,
        );
      }
    }
  });

  it('parses nothing but what it writes', () => {
    const variants = [
      '',
      TEXT.slice(0, -1), // no final LF
      `${TEXT}\n`, // an empty line after
      TEXT.replaceAll('\n', '\r\n'),
      TEXT.replace('seal v1', 'seal v2'),
      TEXT.replace('een-gezin-een-plan', 'Een-gezin-een-plan'),
      `\uFEFF${TEXT}`, // a byte order mark
      TEXT.replace('size 0', 'size  0'),
      TEXT.replace('size 0', 'size 00'),
      TEXT.replace('size 0', 'size +0'),
      TEXT.replace('size 0', 'size 0x0'),
      TEXT.replace('size 0', 'size 9007199254740993'),
      TEXT.replace('size 0', 'size 0 '),
      TEXT.replace('size 0', 'Size 0'),
      TEXT.replace('root e3b0', 'root E3B0'),
      TEXT.replace('.000Z', 'Z'),
      TEXT.replace('2027-01-15T09', '2027-01-15T24'),
      TEXT.replace('seal-id 0190', 'seal-id 0190d'),
      // Reordered lines.
      TEXT.replace(/(size .*\n)(root .*\n)/, '$2$1'),
      // An extra field.
      `${TEXT}key-id abc\n`,
      // A field missing.
      TEXT.replace(/seal-id .*\n/, ''),
    ];
    for (const text of variants) {
      expect(() => parseSealStatement(text)).toThrow(SealStatementError);
    }
    expect(() => parseSealStatement(42 as unknown as string)).toThrow(SealStatementError);
  });

  it('refuses any one-character change of a statement unless it is another valid statement', () => {
    fc.assert(
      fc.property(
        fieldsArbitrary,
        fc.nat(),
        fc.integer({ min: 0, max: 127 }),
        (fields, at, code) => {
          const text = sealStatement(fields);
          const i = at % text.length;
          const changed = text.slice(0, i) + String.fromCharCode(code) + text.slice(i + 1);
          let parsed: SealFields | undefined;
          try {
            parsed = parseSealStatement(changed);
          } catch (error) {
            expect(error).toBeInstanceOf(SealStatementError);
          }
          // Whatever parses is the statement of what it parsed to: nothing is read loosely.
          if (parsed) expect(sealStatement(parsed)).toBe(changed);
        },
      ),
    );
  });
});
