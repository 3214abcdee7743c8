/**
 * The EventStore contract against a real PostgreSQL (started by scripts/services.mjs under
 * `npm test`, or by the int tier's jest globalSetup when run alone). Each store gets its own
 * schema, so runs and files never interfere. Never skipped: without a server this file fails.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { EventStore } from '../domain/ports/eventStore';
import { postgresEventStore } from '../infra/store/postgresEventStore';
import { quoteSchema } from '../infra/store/postgresSchema';
import { collect, collector, event, eventStoreContract } from './eventStore.contract';

const baseUrl = process.env.PHALANET_TEST_PG_URL;
const schemaOf = new WeakMap<EventStore, string>();
const newSchema = () => `t_${randomBytes(6).toString('hex')}`;

beforeAll(() => {
  if (!baseUrl) {
    throw new Error(
      `no PostgreSQL for the int tests: PHALANET_TEST_PG_URL is unset and the globalSetup could not start one (${process.env.PHALANET_TEST_PG_ERROR ?? 'no reason given'})`,
    );
  }
});

async function openStore(schema: string, extra: { onSubscriptionIdle?: () => void } = {}) {
  const store = await postgresEventStore({ connectionString: baseUrl!, schema, display: `pg:${schema}`, ...extra });
  schemaOf.set(store, schema);
  return store;
}

async function raw<T>(run: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: baseUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

describe('postgresEventStore', () => {
  eventStoreContract({
    name: 'postgres',
    open: () => openStore(newSchema()),
    secondHandle: (store) => openStore(schemaOf.get(store)!),
    async corrupt(store, stream, version, kind) {
      const s = quoteSchema(schemaOf.get(store)!);
      await raw(async (client) => {
        if (kind === 'data-not-bytes') await client.query(`ALTER TABLE ${s}.events ALTER COLUMN data DROP NOT NULL`);
        const set = { 'metadata-not-json': "metadata = '{not json'", 'negative-version': 'version = -1', 'data-not-bytes': 'data = NULL' }[kind];
        await client.query(`UPDATE ${s}.events SET ${set} WHERE stream_id = $1 AND version = $2`, [stream, version]);
      });
    },
  });
});

describe('postgresEventStore and transactions still in flight (the gap problem)', () => {
  it('a subscriber never delivers a later commit before an earlier position commits, and never skips it', async () => {
    const schema = newSchema();
    const idles: (() => void)[] = [];
    const nextIdle = () => new Promise<void>((resolve) => idles.push(resolve));
    const wakeIdles = () => {
      for (const resolve of idles.splice(0)) resolve();
    };
    const store = await openStore(schema, { onSubscriptionIdle: wakeIdles });
    const s = quoteSchema(schema);
    await store.append('before', [event('b')], 'no-stream');
    const seen = collector();
    const sub = store.subscribeAll({ onEvent: seen.onEvent });
    await sub.caughtUp;
    const held = new Client({ connectionString: baseUrl });
    await held.connect();
    try {
      // the earlier writer: takes its position the adapter's way, inserts, and does not commit
      await held.query('BEGIN');
      const [{ position }] = (await held.query(`SELECT ${s}.reserve_positions(1) AS position`)).rows;
      await held.query(
        `INSERT INTO ${s}.events (global_position, stream_id, version, type, schema_version, data, metadata) VALUES ($1, 'held', 0, 'Happened', 1, $2, '{}')`,
        [position, Buffer.from('earlier')],
      );
      await held.query(`INSERT INTO ${s}.streams (stream_id, version) VALUES ('held', 0)`);
      // the later writer commits a larger position meanwhile
      const later = await store.append('later', [event('later')], 'no-stream');
      expect(later.globalPosition).toBeGreaterThan(BigInt(position));
      expect(await store.headPosition()).toBe(later.globalPosition);
      // the subscriber goes round several times and must not deliver the later event yet
      for (let round = 0; round < 3; round++) await nextIdle();
      expect(seen.events.map((e) => e.streamId)).toEqual(['before']);
      expect(await collect(store.readAll({ afterPosition: seen.events[0]!.globalPosition }))).toEqual([]);
      await held.query('COMMIT');
      await seen.until(3);
      expect(seen.events.map((e) => e.streamId)).toEqual(['before', 'held', 'later']);
    } finally {
      await held.end();
      await sub.stop();
      await store.close();
    }
  });
});

describe('postgresEventStore opening', () => {
  it('refuses a schema without a ledger when asked not to create one', async () => {
    await expect(
      postgresEventStore({ connectionString: baseUrl!, schema: newSchema(), display: 'pg', create: false }),
    ).rejects.toMatchObject({ name: 'StoreUnavailable', retriable: false });
  });
  it('reports an unreachable server as a retriable StoreUnavailable', async () => {
    const url = new URL(baseUrl!);
    url.port = '1';
    await expect(
      postgresEventStore({ connectionString: url.href, schema: 'public', display: 'pg', connectTimeoutMs: 2000 }),
    ).rejects.toMatchObject({ name: 'StoreUnavailable', retriable: true });
  });
});
