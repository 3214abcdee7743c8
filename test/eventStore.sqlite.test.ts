/**
 * The EventStore contract against the SQLite adapter (fast enough for the unit tier), plus what
 * only a file can show: two OS processes racing on one ledger file.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { EventStore } from '../domain/ports/eventStore';
import { sqliteEventStore } from '../infra/store/sqliteEventStore';
import { collect, eventStoreContract } from './eventStore.contract';

const dir = mkdtempSync(join(tmpdir(), 'phalanet-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const pathOf = (store: EventStore) => store.url.slice('sqlite:'.length);

describe('sqliteEventStore', () => {
  eventStoreContract({
    name: 'sqlite',
    async open() {
      return sqliteEventStore(join(dir, `${randomUUID()}.db`));
    },
    async secondHandle(store) {
      return sqliteEventStore(pathOf(store), { create: false });
    },
    async corrupt(store, stream, version, kind) {
      const db = new Database(pathOf(store));
      const set = {
        'metadata-not-json': "metadata = '{not json'",
        'negative-version': 'version = -1',
        'data-not-bytes': "data = 'text, not a blob'",
      }[kind];
      db.prepare(`UPDATE events SET ${set} WHERE stream_id = ? AND version = ?`).run(stream, version);
      db.close();
    },
  });
});

/** Runs test/support/sqliteAppender.ts in its own process; it waits for "go" on stdin. */
function appender(path: string, name: string, count: number) {
  const tsx = require.resolve('tsx/cli');
  const child = spawn(process.execPath, [tsx, join(__dirname, 'support', 'sqliteAppender.ts'), path, name, String(count)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.setEncoding('utf8');
  const ready = new Promise<void>((resolve) => {
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      if (out.includes('ready\n')) resolve();
    });
  });
  const result = new Promise<{ wins: number; conflicts: number }>((resolve, reject) => {
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (code === 0 && line) resolve(JSON.parse(line));
      else reject(new Error(`appender ${name} exited ${code}: ${out}`));
    });
  });
  return { ready, result, go: () => child.stdin.end('go\n') };
}

describe('sqliteEventStore across processes', () => {
  it('two OS processes extending one stream: each version has exactly one winner, the loser a typed conflict', async () => {
    const path = join(dir, 'processes.db');
    sqliteEventStore(path).close();
    const count = 200;
    const a = appender(path, 'a', count);
    const b = appender(path, 'b', count);
    await Promise.all([a.ready, b.ready]);
    a.go();
    b.go();
    const [ra, rb] = await Promise.all([a.result, b.result]);
    expect(ra.wins + rb.wins).toBe(count);
    expect(ra.conflicts + rb.conflicts).toBe(count);
    const store = sqliteEventStore(path, { create: false });
    const chain = await collect(store.readStream('chain'));
    await store.close();
    expect(chain.map((e) => e.version)).toEqual(Array.from({ length: count }, (_, v) => v));
    const labels = chain.map((e) => new TextDecoder().decode(e.data));
    expect(labels.filter((l) => l.startsWith('a'))).toHaveLength(ra.wins);
    expect(labels.filter((l) => l.startsWith('b'))).toHaveLength(rb.wins);
  }, 60_000);
});
