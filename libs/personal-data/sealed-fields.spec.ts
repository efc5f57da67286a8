import { describe, expect, it } from '@jest/globals';
import type { Sealed } from './sealed.js';
import { replaceAt, type SealedFieldsOf, type SealedPaths } from './sealed-fields.js';

type Example =
  | {
      type: 'Registered';
      data: {
        id: string;
        members: Array<{ memberId: string; personal: Sealed }>;
        address?: Sealed;
        note: { text: Sealed; by: string } | null;
      };
    }
  | { type: 'Closed'; data: { closedAt: string } };

describe('sealed fields', () => {
  it('finds every Sealed field of a type, optional, nullable and in arrays', () => {
    const fields: SealedFieldsOf<Example> = {
      Registered: { 'members[].personal': true, address: true, 'note.text': true },
      Closed: {},
    };
    const paths: Array<SealedPaths<Extract<Example, { type: 'Registered' }>['data']>> = [
      'members[].personal',
      'address',
      'note.text',
    ];
    expect(Object.keys(fields.Registered).sort()).toEqual([...paths].sort());
  });

  it('replaces exactly the named fields and leaves everything else', () => {
    const data = {
      id: 'f-1',
      members: [
        { memberId: 'm-1', personal: 'pd1:aaa' },
        { memberId: 'm-2', personal: 'pd1:bbb' },
      ],
      note: null,
      other: 'pd1:looks-sealed-but-is-not-declared',
    };
    expect(replaceAt(data, ['members[].personal', 'address', 'note.text'], '[sealed]')).toEqual({
      id: 'f-1',
      members: [
        { memberId: 'm-1', personal: '[sealed]' },
        { memberId: 'm-2', personal: '[sealed]' },
      ],
      note: null,
      other: 'pd1:looks-sealed-but-is-not-declared',
    });
    expect(data.members[0].personal).toBe('pd1:aaa');
  });

  it('does not compile when a Sealed field is left out or a path is made up', () => {
    const missing: SealedFieldsOf<Example> = {
      // @ts-expect-error address and note.text are missing
      Registered: { 'members[].personal': true },
      Closed: {},
    };
    const madeUp: SealedFieldsOf<Example> = {
      Registered: { 'members[].personal': true, address: true, 'note.text': true },
      // @ts-expect-error closedAt is not sealed
      Closed: { closedAt: true },
    };
    expect([missing, madeUp]).toHaveLength(2);
  });
});
