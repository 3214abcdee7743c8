/**
 * The outbox relay (issue 8, item 2): publishes the messages that fenced processing
 * transactions wrote to the `outbox` table, in commit order per source partition, then stamps
 * them sent. At-least-once: a crash between the publish and the stamp sends them again, and the
 * consumers dedupe by message id.
 *
 * Each node relays only the source partitions it owns, so one partition's messages have one
 * relay and keep their order; right after a partition moves, the old and the new owner may both
 * send a row once (a duplicate, never a loss). Rows are read without row locks: a lock would take
 * a transaction id and hold back the ledger's global readers (postgresSchema.ts) for the length
 * of a Kafka round trip.
 */
import * as t from 'io-ts';
import type { Bus, BusMessage } from '../../domain/ports/bus';
import { postgresFailure } from '../store/postgresEventStore';
import { quoteSchema } from '../store/postgresSchema';
import type { ClusterDatabase } from './fencingSchema';

/** What to relay and where to */
export interface OutboxRelayOptions {
  readonly db: ClusterDatabase;
  readonly bus: Pick<Bus, 'publish'>;
  /** the inbox topic whose partitions wrote the rows */
  readonly sourceTopic: string;
  /** the source partitions this node owns now (asked before every batch) */
  readonly partitions: () => readonly number[];
  /** rows per publish; default 500 */
  readonly batchSize?: number;
}

/** One relay; `relayOnce` is what the loop calls (tests call it directly) */
export interface OutboxRelay {
  /** publishes one batch of unsent rows; resolves with how many were sent */
  relayOnce(): Promise<number>;
  /** relays until the outbox of the owned partitions is empty */
  drain(): Promise<number>;
}

const Headers = t.record(t.string, t.string);

interface OutboxRow {
  readonly id: string;
  readonly topic: string;
  readonly key: string;
  readonly value: Buffer;
  readonly message_id: string;
  readonly headers: unknown;
}

function messageOf(row: OutboxRow, where: string): BusMessage {
  const headers = Headers.decode(row.headers);
  // the table's own writer put JSON objects of strings there: anything else is a corrupt row
  if (headers._tag === 'Left') throw new Error(`${where}: outbox row ${row.id} has headers that are not a string map`);
  const value = new Uint8Array(row.value.buffer, row.value.byteOffset, row.value.byteLength);
  const base = { topic: row.topic, key: row.key, value, id: row.message_id };
  return Object.keys(headers.right).length === 0 ? base : { ...base, headers: headers.right };
}

/** A relay over `options.db`'s outbox (see the file's comment). */
export function outboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const s = quoteSchema(options.db.schema);
  const where = `${options.db.display}: outbox of ${options.sourceTopic}`;
  const select = `SELECT id, topic, key, value, message_id, headers FROM ${s}.outbox
    WHERE sent_at IS NULL AND source_topic = $1 AND source_partition = ANY($2::int[]) ORDER BY id LIMIT $3`;
  const stamp = `UPDATE ${s}.outbox SET sent_at = now() WHERE id = ANY($1::bigint[])`;
  const relayOnce = async () => {
    const partitions = options.partitions();
    if (partitions.length === 0) return 0;
    let rows: OutboxRow[];
    try {
      rows = (await options.db.pool.query<OutboxRow>(select, [options.sourceTopic, [...partitions], options.batchSize ?? 500])).rows;
    } catch (error) {
      throw postgresFailure(error, `${where}: read`);
    }
    if (rows.length === 0) return 0;
    await options.bus.publish(rows.map((row) => messageOf(row, where)));
    try {
      await options.db.pool.query(stamp, [rows.map((r) => r.id)]);
    } catch (error) {
      throw postgresFailure(error, `${where}: stamp sent`);
    }
    return rows.length;
  };
  return {
    relayOnce,
    async drain() {
      let total = 0;
      for (let sent = await relayOnce(); sent > 0; sent = await relayOnce()) total += sent;
      return total;
    },
  };
}

/** A running relay loop */
export interface OutboxLoop {
  /** ends the loop after the batch in flight */
  stop(): Promise<void>;
}

/**
 * Relays in the background: batch after batch while there is something to send, then a pause of
 * `intervalMs` (default 100 ms); a failure is logged and retried after a growing pause (up to 5 s).
 */
export function startOutboxLoop(relay: OutboxRelay, options: { readonly intervalMs?: number; readonly log?: (message: string, error: unknown) => void } = {}): OutboxLoop {
  const idleMs = options.intervalMs ?? 100;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let wake: (() => void) | undefined;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      wake = resolve;
      timer = setTimeout(resolve, ms);
    });
  const loop = async () => {
    let failures = 0;
    while (!stopped) {
      try {
        const sent = await relay.relayOnce();
        failures = 0;
        if (sent === 0) await pause(idleMs);
      } catch (error) {
        failures += 1;
        options.log?.('outbox relay failed: retrying', error);
        await pause(Math.min(5_000, idleMs * 2 ** failures));
      }
    }
  };
  const running = loop();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      wake?.();
      await running;
    },
  };
}
