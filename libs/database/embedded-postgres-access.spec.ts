import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { closedDirectories } from './embedded-postgres-access.js';

describe('closedDirectories', () => {
  const base = mkdtempSync(join(tmpdir(), 'egep-closed-'));
  afterAll(() => rmSync(base, { recursive: true, force: true }));
  const stranger = { name: 'stranger', uid: 4_000_000, gid: 4_000_000 };

  it('names every directory on the way that a stranger may not enter, and nothing else', () => {
    const open = join(base, 'open');
    const closed = join(open, 'closed');
    const listOnly = join(closed, 'list-only');
    mkdirSync(listOnly, { recursive: true });
    chmodSync(base, 0o711);
    chmodSync(open, 0o755);
    chmodSync(closed, 0o700);
    chmodSync(listOnly, 0o744);
    expect(closedDirectories(join(listOnly, 'pg'), stranger)).toEqual([closed, listOnly]);
    expect(closedDirectories(open, stranger)).toEqual([]);
  });

  it('judges the owner and the group by their own bits', () => {
    const dir = join(base, 'own');
    mkdirSync(dir);
    chmodSync(base, 0o711);
    chmodSync(dir, 0o710);
    const owner = { name: 'me', uid: process.getuid!(), gid: 4_000_001 };
    const group = { name: 'us', uid: 4_000_002, gid: process.getgid!() };
    expect(closedDirectories(dir, owner)).toEqual([]);
    expect(closedDirectories(dir, group)).toEqual([]);
    expect(closedDirectories(dir, stranger)).toEqual([dir]);
  });

  it('stops at a directory that does not exist yet (we make it, open)', () => {
    expect(closedDirectories(join(base, 'missing', 'deeper'), stranger)).toEqual([]);
  });
});
