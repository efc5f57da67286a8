import { validationProblem } from './problem-details.js';

/** `*`, or the opaque tags of the entity tags listed (weak or not). */
export type IfMatch = '*' | readonly string[];

/**
 * One list element (RFC 9110, 5.6.1 and 8.8.3): an entity tag, `W/` for a weak one, then
 * optional whitespace and a comma or the end. Empty elements (`"1", , "2"`) are allowed.
 */
const ELEMENT = /[ \t]*((?:W\/)?"[\x21\x23-\x7e\x80-\xff]*")?[ \t]*(?:,|$)/y;

const malformed = () =>
  validationProblem([
    {
      field: 'If-Match',
      messages: ['must be * or a list of entity tags, such as "3" or W/"3", as the ETag was'],
    },
  ]);

/** The If-Match header, or a 400 naming it when it is neither `*` nor a list of entity tags. */
export function parseIfMatch(header: string): IfMatch {
  if (header.trim() === '*') return '*';
  const tags: string[] = [];
  for (let at = 0; at < header.length;) {
    ELEMENT.lastIndex = at;
    const element = ELEMENT.exec(header);
    if (!element || element[0].length === 0) throw malformed();
    if (element[1]) tags.push(element[1].replace(/^W\//, ''));
    at = ELEMENT.lastIndex;
  }
  if (tags.length === 0) throw malformed();
  return tags;
}

/**
 * Whether the current entity tag (undefined: there is no current representation) satisfies
 * the condition. Weak comparison: the service's ETags name a version, and clients or proxies
 * that mark them weak mean the same version.
 */
export function ifMatchAllows(condition: IfMatch, etag: string | undefined): boolean {
  if (etag === undefined) return false;
  return condition === '*' || condition.includes(etag);
}
