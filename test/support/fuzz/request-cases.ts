import fc from 'fast-check';
import {
  breakBody,
  breakEmptyBody,
  CONTROL_CHARACTER_IN,
  DEEP,
  plausibleBody,
  toJsonText,
  type RealValues,
} from './body-mutations.js';
import {
  BAD_DATES,
  controlCharacter,
  hasControlCharacter,
  headerGarbage,
  hostileString,
  longString,
  NOT_UUIDS,
  withControlCharacter,
} from './hostile-values.js';
import type { Operation, Parameter } from './openapi.js';

/** Who calls. The first group may be allowed to do things; the rest never is. */
export const ALLOWED_CALLERS = [
  'professional',
  'team_lead',
  'admin',
  'privacy_officer',
  'citizen',
  'odd-claims-professional',
  'odd-claims-citizen',
] as const;
export const REFUSED_CALLERS = [
  'no-token',
  'garbage',
  'long-garbage',
  'basic',
  'bearer-only',
  'alg-none',
  'forged',
  'expired',
  // Genuine tokens whose claims hold control characters (as a careless identity provider's).
  'nul-sub',
  'nul-organisation',
  'control-name',
  'nul-team',
  'control-member-id',
] as const;
/** Reads everything of a family, changes nothing: a sure refusal for a command. */
export const READ_ONLY_CALLER = 'auditor';
export type Caller =
  (typeof ALLOWED_CALLERS)[number] | (typeof REFUSED_CALLERS)[number] | typeof READ_ONLY_CALLER;

export interface Fixture {
  /** Real values per path parameter name (enum values for `role`). */
  readonly pathValues: Readonly<Record<string, readonly string[]>>;
  /** Real values per body property name (memberIds, goalId ...). */
  readonly bodyValues: RealValues;
  /** Real values per query parameter name. */
  readonly queryValues: Readonly<Record<string, readonly string[]>>;
  /** The Authorization header of each caller; undefined sends none. */
  readonly authorization: Readonly<Record<Caller, string | undefined>>;
  readonly etag: string;
  readonly bodyLimitBytes: number;
}

export type Payload =
  | { readonly kind: 'none' }
  | {
      readonly kind: 'text';
      readonly contentType: string;
      readonly text: string;
      readonly encoding?: string;
    };

export interface FuzzCase {
  readonly caller: Caller;
  /** URL-encoded (or deliberately raw) path segments by parameter name. */
  readonly segments: Readonly<Record<string, string>>;
  readonly query: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly payload: Payload;
  /** What surely makes this request invalid; never empty for a command. */
  readonly breaks: readonly string[];
}

type Part<T> = { value: T; breaks: string[] };
const sure = <T>(value: T, why: string): Part<T> => ({ value, breaks: [why] });
const maybe = <T>(value: T): Part<T> => ({ value, breaks: [] });

/** encodeURIComponent, but lone surrogates become their (invalid UTF-8) WTF-8 bytes. */
export function encode(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return [...text]
      .map((ch) => {
        try {
          return encodeURIComponent(ch);
        } catch {
          const code = ch.charCodeAt(0);
          const bytes = [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)];
          return bytes.map((b) => `%${b.toString(16).toUpperCase()}`).join('');
        }
      })
      .join('');
  }
}

/**
 * The read-only caller surely changes nothing, but the BSN reveal is a read behind a POST (it
 * takes a reason): an auditor may do it (citizen-data.query.ts), so there it may succeed.
 */
const refusesReadOnly = (op: Operation) => op.isCommand && !op.path.endsWith('/bsn-reveal');

function callerPart(op: Operation, mustBreak: boolean): fc.Arbitrary<Part<Caller>> {
  const refused = refusesReadOnly(op)
    ? [...REFUSED_CALLERS, READ_ONLY_CALLER]
    : [...REFUSED_CALLERS];
  // A public operation does not look at the token: a bad one breaks nothing there.
  const refusedPart = fc
    .constantFrom(...refused)
    .map((c) => (op.isPublic ? maybe(c as Caller) : sure(c as Caller, `caller: ${c}`)));
  if (mustBreak) return refusedPart;
  const any = refusesReadOnly(op) ? ALLOWED_CALLERS : [...ALLOWED_CALLERS, READ_ONLY_CALLER];
  return fc.oneof(
    { arbitrary: fc.constantFrom(...any).map((c) => maybe(c as Caller)), weight: 3 },
    { arbitrary: refusedPart, weight: 1 },
  );
}

/** Ids no resource has, or that are no id at all; raw ones are sent unencoded on purpose. */
function badSegment(param: Parameter, fixture: Fixture): fc.Arbitrary<string> {
  const real = fixture.pathValues[param.name] ?? [];
  const encoded = fc
    .oneof(
      fc.constantFrom(...NOT_UUIDS, ...BAD_DATES.slice(0, 5)),
      fc.uuid({ version: 4 }),
      fc.constantFrom(
        '00000000-0000-0000-0000-000000000000',
        'ffffffff-ffff-ffff-ffff-ffffffffffff',
      ),
      fc.constantFrom('0', '-1', '1.5', '2147483648', '99999999999999999999', '1e3', 'NaN', '０'),
      hostileString,
      // A real id (or any UUID) with a NUL or another control character in it.
      fc
        .oneof(
          real.length ? fc.constantFrom(...real) : fc.uuid({ version: 4 }),
          fc.uuid({ version: 4 }),
        )
        .chain(withControlCharacter),
      // Long, but the request line and headers stay under Node's 16 KiB (else a 431).
      fc.constant(longString(1500, '9')),
      fc.constant(longString(300, 'é')),
    )
    .filter((value) => value !== '' && !real.includes(value))
    .map(encode);
  const raw = fc.constantFrom(
    '..',
    '../..',
    '%00',
    '%',
    '%E0%A4%A',
    '%ZZ',
    '%ED%A0%80',
    '%2e%2e%2f',
    ';a=b',
    '*',
  );
  return fc.oneof({ arbitrary: encoded, weight: 4 }, { arbitrary: raw, weight: 1 });
}

function segmentsPart(
  op: Operation,
  fixture: Fixture,
  mustBreak: boolean,
): fc.Arbitrary<Part<Record<string, string>>> {
  const params = op.pathParams;
  if (params.length === 0) return fc.constant(maybe({}));
  const realOf = (p: Parameter) => {
    const values = fixture.pathValues[p.name];
    if (!values) throw new Error(`the fixture has no ${p.name} for ${op.id}: add it`);
    // Upper case is the same UUID: a lookup must find it (or refuse it) without a 5xx.
    return fc.constantFrom(...values, ...values.map((v) => v.toUpperCase())).map(encode);
  };
  return fc.nat(params.length - 1).chain((broken) =>
    fc
      .tuple(
        ...params.map((p, i) =>
          // Without a real value (a directive) the parameter is always an unknown or bad id.
          ((mustBreak && i === broken) || fixture.pathValues[p.name]?.length === 0
            ? badSegment(p, fixture).map((v) => sure(v, `path: ${p.name}`))
            : fc.oneof(
                { arbitrary: realOf(p).map((v) => maybe(v)), weight: 3 },
                {
                  arbitrary: badSegment(p, fixture).map((v) => sure(v, `path: ${p.name}`)),
                  weight: 1,
                },
              )
          ).map((part) => ({ name: p.name, ...part })),
        ),
      )
      .map((parts) => ({
        value: Object.fromEntries(parts.map((p) => [p.name, p.value])),
        breaks: parts.flatMap((p) => p.breaks),
      })),
  );
}

function queryValue(param: Parameter, fixture: Fixture): fc.Arbitrary<string> {
  const schema = param.schema ?? {};
  const real = fixture.queryValues[param.name];
  const valid = real?.length
    ? fc.constantFrom(...real)
    : schema.enum
      ? fc.constantFrom(...schema.enum.map(String))
      : schema.type === 'boolean'
        ? fc.constantFrom('true', 'false')
        : fc.constant('x');
  const hostile = fc.oneof(
    hostileString,
    fc.constantFrom(...BAD_DATES, ...NOT_UUIDS, '-1', '3', '1.0', '0x1', 'TRUE', 'yes', '[]', '{}'),
    fc.constant(longString(500, 'q')),
  );
  return fc.oneof({ arbitrary: valid, weight: 2 }, { arbitrary: hostile, weight: 2 });
}

/** The query's pairs, and what surely breaks them (a control character in a value or key). */
function queryPart(
  op: Operation,
  fixture: Fixture,
  mustBreak: boolean,
): fc.Arbitrary<Part<string>> {
  const params = op.queryParams.map((param): fc.Arbitrary<Part<string[][]>> => {
    // The stream only ends by itself with once=true; without it the test would wait forever.
    if (op.path.endsWith('/notifications') && param.name === 'once')
      return fc.constant(maybe([['once', 'true']]));
    const controlled = queryValue(param, fixture)
      .chain(withControlCharacter)
      .map((v) => sure([[param.name, v]], `query: ${CONTROL_CHARACTER_IN} ${param.name}`));
    const variations = fc
      .oneof(
        fc.constant([] as string[][]),
        queryValue(param, fixture).map((v) => [[param.name, v]]),
        fc.tuple(queryValue(param, fixture), queryValue(param, fixture)).map(([a, b]) => [
          [param.name, a],
          [param.name, b],
        ]),
        queryValue(param, fixture).map((v) => [[`${param.name}[$ne]`, v]]),
      )
      .map((pairs) => maybe(pairs));
    return fc.oneof({ arbitrary: variations, weight: 5 }, { arbitrary: controlled, weight: 1 });
  });
  // A key with a control character: refused even where nothing reads the query.
  const controlledKey = fc
    .tuple(fc.constantFrom('extra', ...op.queryParams.map((p) => p.name)), controlCharacter)
    .map(([key, control]) =>
      sure([[`${key}${control}`, '1']], 'query: a key with a control character'),
    );
  const extra = fc.oneof(
    { arbitrary: fc.constant(maybe([] as string[][])), weight: 3 },
    {
      arbitrary: fc
        .tuple(
          fc.constantFrom('extra', '__proto__', 'constructor', 'a[b][c]', 'x[]', '', '%'),
          hostileString,
        )
        .map(([k, v]) => maybe([[k, v]])),
      weight: 1,
    },
    { arbitrary: controlledKey, weight: 1 },
  );
  const parts = fc.tuple(...params, mustBreak ? controlledKey : extra);
  return parts.map((groups) => ({
    value: groups
      .flatMap((g) => g.value)
      .map(([k, v]) => (k === '%' ? `%=${encode(v)}` : `${encode(k)}=${encode(v)}`))
      .join('&'),
    breaks: groups.flatMap((g) => g.breaks),
  }));
}

function headersPart(op: Operation, fixture: Fixture): fc.Arbitrary<Record<string, string>> {
  const optional = (name: string, value: fc.Arbitrary<string>) =>
    fc.option(
      value.map((v) => [name, v] as const),
      { freq: 2 },
    );
  return fc
    .tuple(
      optional(
        'if-match',
        fc.oneof(headerGarbage, fc.constantFrom(fixture.etag, `W/${fixture.etag}`, '*')),
      ),
      optional('x-consistent-after', fc.oneof(headerGarbage, fc.constant('0-0'))),
      optional('idempotency-key', fc.oneof(headerGarbage, fc.uuid({ version: 4 }))),
      optional('last-event-id', fc.oneof(headerGarbage, fc.constant('0-0-0'))),
      optional(
        'accept',
        fc.constantFrom('text/html', 'application/xml', '*/*', 'application/problem+json', 'é'),
      ),
      optional('x-forwarded-for', headerGarbage),
    )
    .map((pairs) =>
      Object.fromEntries(pairs.filter((p): p is readonly [string, string] => p !== null)),
    );
}

const MALFORMED_JSON = [
  '{',
  '{"a":',
  "{'a':1}",
  '{a:1}',
  '[1,]',
  '{"a":1}}',
  'tru',
  '{"a":01}',
  '{"a":NaN}',
  '{"a":"\\x"}',
  '{"a":"\u0001"}',
  '\u0000',
  '{"a":1,}',
  '/* */{}',
  '{"a":"b"',
];

/** Sure breaks below the router: the parser or the body limit refuses them. */
function transportBreak(fixture: Fixture, text: string): fc.Arbitrary<Part<Payload>> {
  const json = (t: string, extra: Partial<Payload> = {}): Payload => ({
    kind: 'text',
    contentType: 'application/json',
    text: t,
    ...extra,
  });
  return fc.oneof(
    fc.constantFrom(...MALFORMED_JSON).map((t) => sure(json(t), 'transport: malformed JSON')),
    fc
      .constantFrom('a', '€', '🙂')
      .map((unit) =>
        sure(
          json(`{"pad":"${longString(fixture.bodyLimitBytes + 1024, unit)}","rest":${text}}`),
          `transport: body over the limit (${unit})`,
        ),
      ),
    fc
      .constantFrom('iso-8859-1', 'ebcdic', 'x-evil')
      .map((charset) =>
        sure(
          { kind: 'text', contentType: `application/json; charset=${charset}`, text } as Payload,
          `transport: charset ${charset}`,
        ),
      ),
    fc
      .constantFrom('x-evil', 'compress', 'gzip')
      .map((encoding) =>
        sure(json(text, { encoding }), `transport: content-encoding ${encoding} of plain text`),
      ),
  );
}

/**
 * Maybe-valid variations of how the body travels. A body that carries a sure break keeps
 * travelling as JSON: sent as text/plain it would not be parsed, and `{}` may be valid.
 */
function transportVariation(
  fixture: Fixture,
  body: unknown,
  depth: number,
  broken: boolean,
): fc.Arbitrary<Payload> {
  const json = (t: string): Payload => ({ kind: 'text', contentType: 'application/json', text: t });
  const text = toJsonText(body, depth);
  const nearLimit = (unit: string) => {
    // The first string property filled up to just under the limit: the parser takes it, the
    // validators (MaxLength) or the domain must cope.
    const object =
      body && typeof body === 'object' && !Array.isArray(body)
        ? (body as Record<string, unknown>)
        : undefined;
    const key =
      object &&
      Object.keys(object).find(
        (k) =>
          typeof object[k] === 'string' &&
          object[k] !== DEEP &&
          // A control character may be the request's sure break: it must stay.
          !hasControlCharacter(object[k] as string),
      );
    if (!object || !key) return json(text);
    const room = fixture.bodyLimitBytes - Buffer.byteLength(text) - 256;
    const units = Math.max(0, Math.floor(room / Buffer.byteLength(unit)));
    return json(toJsonText({ ...object, [key]: longString(units * unit.length, unit) }, depth));
  };
  const otherTypes = fc
    .constantFrom(
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/xml',
      'application/json-patch+json',
    )
    .map((contentType) => ({ kind: 'text', contentType, text }) as Payload);
  return fc.oneof(
    { arbitrary: fc.constant(json(text)), weight: 8 },
    { arbitrary: fc.constantFrom('a', '€', '🙂').map(nearLimit), weight: 1 },
    { arbitrary: broken ? fc.constant(json(text)) : otherTypes, weight: 1 },
    { arbitrary: fc.constant(json(`\uFEFF${text}`)), weight: 1 },
  );
}

function payloadPart(
  op: Operation,
  fixture: Fixture,
  mustBreakBody: boolean,
  mustBreakTransport: boolean,
): fc.Arbitrary<Part<Payload>> {
  const depth = fc.constantFrom(2, 64, 1000, 20000);
  const body: fc.Arbitrary<Part<unknown> | undefined> = op.body
    ? plausibleBody(op.body, fixture.bodyValues).chain((base) => {
        const broken = breakBody(op.body!, base).map((m) =>
          sure<unknown>(m.body, `body: ${m.what}`),
        );
        return mustBreakBody ? broken : fc.oneof(fc.constant(maybe<unknown>(base)), broken);
      })
    : mustBreakBody
      ? breakEmptyBody.map((m) => sure<unknown>(m.body, `body: ${m.what}`))
      : fc.oneof(
          fc.constant(undefined),
          fc.constant(maybe<unknown>({})),
          breakEmptyBody.map((m) => sure<unknown>(m.body, `body: ${m.what}`)),
        );
  return fc.tuple(body, depth).chain(([part, nesting]) => {
    if (part === undefined) {
      return mustBreakTransport
        ? transportBreak(fixture, '{}')
        : fc.constant(maybe<Payload>({ kind: 'none' }));
    }
    const travel = mustBreakTransport
      ? transportBreak(fixture, toJsonText(part.value, nesting))
      : transportVariation(fixture, part.value, nesting, part.breaks.length > 0).map((p) =>
          maybe(p),
        );
    return travel.map((t) => ({ value: t.value, breaks: [...part.breaks, ...t.breaks] }));
  });
}

export type Breaker = 'caller' | 'path' | 'body' | 'transport' | 'query';

/** The ways a request of this operation can surely be broken. */
export function breakersOf(op: Operation): Breaker[] {
  return [
    ...(op.isPublic ? [] : (['caller'] as const)),
    'body',
    'transport',
    'query',
    ...(op.pathParams.length ? (['path'] as const) : []),
  ];
}

/**
 * Requests for one operation. A command's request always carries at least one sure break (one
 * is chosen first, the other parts may break too): nothing it sends may be appended. A view's
 * requests may be valid; they must still never fail with a 5xx.
 */
export function fuzzCases(op: Operation, fixture: Fixture, only?: Breaker): fc.Arbitrary<FuzzCase> {
  const primary = only
    ? fc.constant(only)
    : op.isCommand
      ? fc.constantFrom(...breakersOf(op))
      : fc.constantFrom<Breaker | 'none'>('none', ...breakersOf(op));
  return primary.chain((p) =>
    fc
      .record({
        caller: callerPart(op, p === 'caller'),
        segments: segmentsPart(op, fixture, p === 'path'),
        payload: payloadPart(op, fixture, p === 'body', p === 'transport'),
        query: queryPart(op, fixture, p === 'query'),
        headers: headersPart(op, fixture),
      })
      .map(({ caller, segments, payload, query, headers }) => ({
        caller: caller.value,
        segments: segments.value,
        payload: payload.value,
        query: query.value,
        headers,
        breaks: [...caller.breaks, ...segments.breaks, ...payload.breaks, ...query.breaks],
      })),
  );
}
