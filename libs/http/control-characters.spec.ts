import { describe, expect, it } from '@jest/globals';
import { controlCharacterFields, hasControlCharacter } from './control-characters.js';

describe('control characters in request values', () => {
  it('are the C0 controls but tab, line feed and carriage return', () => {
    const controls = Array.from({ length: 32 }, (_, code) => String.fromCharCode(code));
    expect(controls.filter(hasControlCharacter)).toHaveLength(29);
    for (const allowed of ['\t', '\n', '\r', '\u007f', '\u0085', 'é', '🙂', '\u200b']) {
      expect({ allowed, refused: hasControlCharacter(`a${allowed}b`) }).toEqual({
        allowed,
        refused: false,
      });
    }
  });

  it('are found in values and keys at any depth, named in document order', () => {
    const body = {
      name: 'ok',
      members: [{ givenName: 'a' }, { givenName: 'b\u0000', notes: ['x', '\u001b'] }],
      'odd\u0001': 1,
    };
    expect(controlCharacterFields(body)).toEqual([
      'members[1].givenName',
      'members[1].notes[1]',
      '["odd\\u0001"]',
    ]);
    expect(controlCharacterFields({ a: 1, b: null, c: true, d: 'fine\t\r\n' })).toEqual([]);
  });

  it('are named at most `limit` times, and deep nesting does not overflow the walk', () => {
    const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`f${i}`, '\u0000']));
    expect(controlCharacterFields(many, 20)).toHaveLength(20);
    let deep: unknown = '\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(controlCharacterFields(deep)).toHaveLength(1);
  });
});
