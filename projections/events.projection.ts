/**
 * Events: one row per runtime event (block, index, phase, pallet, name, fields as JSON) plus an
 * index table whose keys are `<kind>=<value>/<event id>`, so that a filter by pallet, name,
 * account, worker or pool is a prefix scan, and a block range is a key range inside it.
 */
import * as t from 'io-ts';
import { eventKeys } from './eventKeys';
import type { Projection } from './projection';
import { decodeRow } from './rows';
import { type Json, type ProjectionReader, padBlock } from './store';

const EVENTS = 'events';
const INDEX = 'events_index';

/** An event row, JSON-ready. `id` (`<block>:<index>`, zero-padded) is the pagination cursor. */
export const EventRow = t.type({
  id: t.string,
  block: t.number,
  index: t.number,
  phase: t.string,
  pallet: t.string,
  name: t.string,
  fields: t.UnknownRecord,
  accounts: t.array(t.string),
  workers: t.array(t.string),
  pools: t.array(t.string),
});
/** An event row. */
export type EventRow = t.TypeOf<typeof EventRow>;

const eventId = (block: number, index: number) => `${padBlock(block)}:${padBlock(index)}`;

/** The `events` projection. */
export const eventsProjection: Projection = {
  name: 'events',
  version: 1,
  tables: [EVENTS, INDEX],
  async apply(block, tx) {
    for (const e of block.events) {
      const id = eventId(block.number, e.index);
      const keys = eventKeys(e.fields);
      const row = { id, block: block.number, index: e.index, phase: e.phase, pallet: e.pallet, name: e.name, fields: e.fields, ...keys };
      await tx.put(EVENTS, id, row);
      const kinds: [string, readonly string[]][] = [
        ['pallet', [e.pallet]],
        ['name', [`${e.pallet}.${e.name}`]],
        ['account', keys.accounts],
        ['worker', keys.workers],
        ['pool', keys.pools],
      ];
      for (const [kind, values] of kinds) for (const v of values) await tx.put(INDEX, `${kind}=${v}/${id}`, null);
    }
  },
};

/** A query over events; every filter given must match. */
export interface EventQuery {
  readonly pallet?: string;
  /** event name, alone or as `Pallet.Name` */
  readonly name?: string;
  readonly account?: string;
  readonly worker?: string;
  readonly pool?: string | number;
  readonly fromBlock?: number;
  readonly toBlock?: number;
  /** the `next` of the previous page */
  readonly cursor?: string;
  /** page size, default 100 */
  readonly limit?: number;
}

/** A page of events in ledger order; `next` is the cursor of the following page, if any. */
export interface EventPage {
  readonly events: EventRow[];
  readonly next: string | undefined;
}

function matches(row: EventRow, q: EventQuery): boolean {
  const fullName = `${row.pallet}.${row.name}`;
  return (
    (q.pallet === undefined || row.pallet === q.pallet) &&
    (q.name === undefined || row.name === q.name || fullName === q.name) &&
    (q.account === undefined || row.accounts.includes(q.account.toLowerCase())) &&
    (q.worker === undefined || row.workers.includes(q.worker.toLowerCase())) &&
    (q.pool === undefined || row.pools.includes(String(q.pool))) &&
    (q.fromBlock === undefined || row.block >= q.fromBlock) &&
    (q.toBlock === undefined || row.block <= q.toBlock)
  );
}

/** The index prefix to scan: the most selective filter given, or none (scan all events). */
function sourcePrefix(q: EventQuery): string | undefined {
  if (q.worker !== undefined) return `worker=${q.worker.toLowerCase()}/`;
  if (q.pool !== undefined) return `pool=${q.pool}/`;
  if (q.account !== undefined) return `account=${q.account.toLowerCase()}/`;
  if (q.name?.includes('.')) return `name=${q.name}/`;
  if (q.name !== undefined && q.pallet !== undefined) return `name=${q.pallet}.${q.name}/`;
  if (q.pallet !== undefined) return `pallet=${q.pallet}/`;
  return undefined;
}

const CHUNK = 500;

/** Events matching a query, in ledger order, one page at a time. */
export async function queryEvents(reader: ProjectionReader, q: EventQuery = {}): Promise<EventPage> {
  const limit = q.limit ?? 100;
  const prefix = sourcePrefix(q) ?? '';
  const table = prefix === '' ? EVENTS : INDEX;
  const lower = [q.cursor, q.fromBlock === undefined || q.fromBlock <= 0 ? undefined : `${padBlock(q.fromBlock - 1)}:~`].filter((x) => x !== undefined).sort();
  let after = lower.length > 0 ? prefix + lower[lower.length - 1]! : undefined;
  const before = q.toBlock === undefined ? undefined : `${prefix}${padBlock(q.toBlock)}:~`;
  const out: EventRow[] = [];
  for (;;) {
    const chunk = await reader.scan(table, { prefix: prefix === '' ? undefined : prefix, after, before, limit: CHUNK });
    for (const entry of chunk) {
      const id = entry.key.slice(prefix.length);
      const raw: Json | undefined = table === EVENTS ? entry.value : await reader.get(EVENTS, id);
      if (raw === undefined) continue;
      const row = decodeRow(EventRow, raw, `events/${id}`);
      if (!matches(row, q)) continue;
      if (out.length === limit) return { events: out, next: out[out.length - 1]!.id };
      out.push(row);
    }
    if (chunk.length < CHUNK) return { events: out, next: undefined };
    after = chunk[chunk.length - 1]!.key;
  }
}
