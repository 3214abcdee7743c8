import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../cli/errors';
import { openEventStore } from './index';

const dir = mkdtempSync(join(tmpdir(), 'phalanet-open-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('openEventStore', () => {
  it('a bad URL is a UsageError', async () => {
    await expect(openEventStore('ftp://x', { create: true })).rejects.toBeInstanceOf(UsageError);
  });

  it('create: false refuses a nonexistent SQLite file and does not create it', async () => {
    const path = join(dir, 'absent.db');
    await expect(openEventStore(`sqlite:${path}`, { create: false })).rejects.toThrow(/no such store file/);
    expect(existsSync(path)).toBe(false);
  });

  it('create: true creates the file but never a missing directory', async () => {
    await expect(openEventStore(`sqlite:${join(dir, 'no', 'x.db')}`, { create: true })).rejects.toBeInstanceOf(UsageError);
    expect(existsSync(join(dir, 'no'))).toBe(false);
    const store = await openEventStore(`sqlite:${join(dir, 'new.db')}`, { create: true });
    expect(store.url).toBe(`sqlite:${join(dir, 'new.db')}`);
    await store.close();
    const again = await openEventStore(`sqlite:${join(dir, 'new.db')}`, { create: false });
    expect(await again.stats()).toEqual({ streams: 0, events: 0 });
    await again.close();
  });

  it('refuses a SQLite file that is not a phalanet store, without writing to it', async () => {
    const Database = (await import('better-sqlite3')).default;
    const path = join(dir, 'other.db');
    const other = new Database(path);
    other.exec('CREATE TABLE notes (x TEXT)');
    other.close();
    await expect(openEventStore(`sqlite:${path}`, { create: true })).rejects.toThrow(/not a phalanet store/);
    await expect(openEventStore(`sqlite:${path}`, { create: false })).rejects.toBeInstanceOf(UsageError);
  });

  it('memory: opens an empty store', async () => {
    const store = await openEventStore('memory:', { create: false });
    expect(await store.headPosition()).toBe(0n);
    await store.close();
  });
});
