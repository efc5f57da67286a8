import { describe, expect, it } from '@jest/globals';
import { newEventId } from './event-id.js';

describe('newEventId', () => {
  it('gives UUIDs that sort in the order they were made, so the event_id index grows at its end', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 20; i += 1) {
      ids.push(newEventId());
      await new Promise((r) => setTimeout(r, 2));
    }
    expect(
      ids.every((id) =>
        /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id),
      ),
    ).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
