import { describe, expect, it } from '@jest/globals';
import { ifMatchAllows, parseIfMatch } from './if-match.js';
import { ProblemException } from './problem-details.js';

describe('the If-Match header', () => {
  it.each([
    ['*', '*'],
    [' * ', '*'],
    ['"3"', ['"3"']],
    ['W/"3"', ['"3"']],
    ['"3", W/"4" ,"5"', ['"3"', '"4"', '"5"']],
    ['"a,b"', ['"a,b"']],
    ['"1", , "2",', ['"1"', '"2"']],
    ['""', ['""']],
  ])('reads %j', (header, parsed) => {
    expect(parseIfMatch(header)).toEqual(parsed);
  });

  it.each(['', ' ', '3', 'W/3', '"3', '3"', '"3" "4"', 'w/"3"', '*, "3"', '"a"b"', ',', 'null'])(
    'refuses %j with a 400 naming If-Match',
    (header) => {
      let thrown: unknown;
      try {
        parseIfMatch(header);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ProblemException);
      expect((thrown as ProblemException).problem).toMatchObject({
        status: 400,
        type: 'urn:egep:problem:validation-error',
        errors: [{ field: 'If-Match' }],
      });
    },
  );

  it('matches any version for *, else one of the listed tags, weak or strong', () => {
    expect(ifMatchAllows('*', '"7"')).toBe(true);
    expect(ifMatchAllows(parseIfMatch('"6", W/"7"'), '"7"')).toBe(true);
    expect(ifMatchAllows(parseIfMatch('"6"'), '"7"')).toBe(false);
    // Nothing there yet: not even * matches (RFC 9110, 13.1.1).
    expect(ifMatchAllows('*', undefined)).toBe(false);
  });
});
