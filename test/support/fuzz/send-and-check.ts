import type { TestApp } from '../test-app.js';
import { CONTROL_CHARACTER_IN } from './body-mutations.js';
import { fillPath, type Operation } from './openapi.js';
import type { Fixture, FuzzCase } from './request-cases.js';
import { textBody } from '../text-body.js';

export interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
}

/** Sends one case over real HTTP and reads the whole answer as text (event streams too). */
export async function send(
  t: TestApp,
  op: Operation,
  fixture: Fixture,
  c: FuzzCase,
): Promise<Answer> {
  const url = fillPath(op.path, c.segments) + (c.query ? `?${c.query}` : '');
  let request = t.http[op.method](url)
    .timeout({ response: 15_000, deadline: 30_000 })
    .buffer(true)
    .parse(textBody);
  const authorization = fixture.authorization[c.caller];
  if (authorization !== undefined) request = request.set('authorization', authorization);
  for (const [name, value] of Object.entries(c.headers)) request = request.set(name, value);
  if (c.payload.kind === 'text') {
    if (c.payload.contentType) request = request.set('content-type', c.payload.contentType);
    if (c.payload.encoding) request = request.set('content-encoding', c.payload.encoding);
    request = request.send(c.payload.text);
  }
  const response = await request;
  return {
    status: response.status,
    contentType: String(response.headers['content-type'] ?? ''),
    text: response.body as string,
  };
}

const isBodyBreak = (why: string) => why.startsWith('body:');
const CONTROL_BREAK = new RegExp(`^(?:body|query): ${CONTROL_CHARACTER_IN} (.+)$`);

/**
 * The fields that hold a control character the generator put there: the answer is a 400 that
 * names each, unless the body never reached the parser (a break of its transport).
 */
function controlCharacterViolations(c: FuzzCase, answer: Answer): string[] {
  const fields = c.breaks.flatMap((why) => CONTROL_BREAK.exec(why)?.[1] ?? []);
  if (fields.length === 0 || c.breaks.some((why) => why.startsWith('transport:'))) return [];
  let named: unknown[] = [];
  try {
    const errors = (JSON.parse(answer.text) as { errors?: Array<{ field?: unknown }> }).errors;
    named = (errors ?? []).map((e) => e.field);
  } catch {
    // Not JSON: reported as such by the other checks, and as not naming the fields here.
  }
  const missing = fields.filter((field) => !named.includes(field));
  return answer.status === 400 && missing.length === 0
    ? []
    : [`a control character in ${fields.join(', ')}, yet no 400 naming ${missing.join(', ')}`];
}

/**
 * What is wrong with the answer to a hostile request, as messages (none: all is well):
 * never a 5xx; every error a problem document; a command never accepted; a request whose only
 * fault is its body a 400 naming the field; and a control character a 400 naming its field.
 */
export function violations(op: Operation, c: FuzzCase, answer: Answer): string[] {
  const found: string[] = controlCharacterViolations(c, answer);
  const { status } = answer;
  if (status >= 500) found.push(`answered ${status}`);
  if (op.isCommand && status < 400) {
    found.push(
      `a command accepted a request meant to be invalid (${status}): a generator bug, or the product accepts it`,
    );
  }
  if (status >= 400) {
    if (!answer.contentType.startsWith('application/problem+json')) {
      found.push(`error with content-type "${answer.contentType}", not application/problem+json`);
    }
    let document: Record<string, unknown> | undefined;
    try {
      document = JSON.parse(answer.text) as Record<string, unknown>;
    } catch {
      found.push(`error body is not JSON: ${answer.text.slice(0, 200)}`);
    }
    if (document) {
      if (typeof document.type !== 'string' || typeof document.title !== 'string')
        found.push('problem without type or title');
      if (document.status !== status)
        found.push(`problem status ${String(document.status)} differs from ${status}`);
      const errors = document.errors as Array<{ field?: unknown; messages?: unknown }> | undefined;
      if (document.type === 'urn:egep:problem:validation-error') {
        const named =
          Array.isArray(errors) &&
          errors.length > 0 &&
          errors.every(
            (e) => typeof e.field === 'string' && e.field !== '' && Array.isArray(e.messages),
          );
        if (!named)
          found.push(
            `validation problem without errors naming a field: ${answer.text.slice(0, 300)}`,
          );
      }
      if (op.isCommand && c.breaks.length > 0 && c.breaks.every(isBodyBreak)) {
        // Only the body is wrong: the validators answer, before any lookup or rule.
        if (status !== 400 || !Array.isArray(errors) || errors.length === 0) {
          found.push(
            `only the body is invalid, yet no 400 naming a field: ${status} ${answer.text.slice(0, 300)}`,
          );
        }
      }
    }
  } else if (status >= 200 && status < 300) {
    const streams = op.path.endsWith('/notifications')
      ? 'text/event-stream'
      : op.path.endsWith('/export')
        ? 'application/x-ndjson'
        : 'application/json';
    if (!answer.contentType.startsWith(streams))
      found.push(`${status} with content-type "${answer.contentType}"`);
  }
  return found;
}

/** The case, short enough to read in a failure message (long strings cut). */
export function describeCase(op: Operation, c: FuzzCase): string {
  const cut = (text: string) =>
    text.length > 300 ? `${text.slice(0, 300)}… (${text.length} chars)` : text;
  return JSON.stringify(
    {
      operation: op.id,
      caller: c.caller,
      path: cut(fillPath(op.path, c.segments)),
      query: cut(c.query),
      headers: Object.fromEntries(Object.entries(c.headers).map(([k, v]) => [k, cut(v)])),
      payload: c.payload.kind === 'text' ? { ...c.payload, text: cut(c.payload.text) } : c.payload,
      breaks: c.breaks,
    },
    null,
    2,
  );
}
