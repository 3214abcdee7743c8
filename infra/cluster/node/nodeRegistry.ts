/**
 * The node registry: one row per node id with a heartbeat on the database clock. A node id is
 * taken only when free or when its last heartbeat is older than its time to live, so a second
 * process started with a live node's id is refused, while a node that died (kill -9) frees its
 * id one time-to-live after its last heartbeat. Each process registers under a random instance
 * id: a heartbeat that finds another instance in the row means this process was presumed dead
 * (paused past its time to live) and replaced.
 */
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { quoteSchema } from '../../store/postgresSchema';

/** Who registers. */
export interface NodeIdentity {
  readonly nodeId: string;
  readonly roles: readonly string[];
  /** the node's HTTP address, for operators */
  readonly http: string;
  readonly ttlMs: number;
}

/** A row of a live node that holds the id. */
export interface LiveNode {
  readonly instance: string;
  readonly http: string;
  readonly heartbeatAgoMs: number;
  readonly ttlMs: number;
}

/** A registration: heartbeat until `leave`. */
export interface Registration {
  readonly instance: string;
  /** true while the row is still this process's */
  heartbeat(): Promise<boolean>;
  /** records the address the node listens on once it is known (`--http` may say port 0) */
  advertise(http: string): Promise<void>;
  /** deletes the row, so the id is free at once */
  leave(): Promise<void>;
}

function sqlFor(schema: string) {
  const t = `${quoteSchema(schema)}.cluster_nodes`;
  return {
    register: `INSERT INTO ${t} AS n (node_id, instance, roles, http, started_at, heartbeat_at, ttl_ms)
      VALUES ($1, $2, $3, $4, clock_timestamp(), clock_timestamp(), $5)
      ON CONFLICT (node_id) DO UPDATE SET instance = EXCLUDED.instance, roles = EXCLUDED.roles, http = EXCLUDED.http,
        started_at = EXCLUDED.started_at, heartbeat_at = EXCLUDED.heartbeat_at, ttl_ms = EXCLUDED.ttl_ms
      WHERE n.heartbeat_at + n.ttl_ms * interval '1 millisecond' <= clock_timestamp()
      RETURNING node_id`,
    holder: `SELECT instance, http, ttl_ms, (extract(epoch FROM (clock_timestamp() - heartbeat_at)) * 1000)::float8 AS ago_ms FROM ${t} WHERE node_id = $1`,
    advertise: `UPDATE ${t} SET http = $3 WHERE node_id = $1 AND instance = $2`,
    heartbeat: `UPDATE ${t} SET heartbeat_at = clock_timestamp() WHERE node_id = $1 AND instance = $2 RETURNING node_id`,
    leave: `DELETE FROM ${t} WHERE node_id = $1 AND instance = $2`,
  };
}

/** Registers `who`; resolves to the live node holding the id instead when it is taken. */
export async function registerNode(pool: Pool, schema: string, who: NodeIdentity): Promise<Registration | LiveNode> {
  const sql = sqlFor(schema);
  const instance = randomUUID();
  const taken = await pool.query(sql.register, [who.nodeId, instance, who.roles.join(','), who.http, who.ttlMs]);
  if (taken.rowCount !== 1) {
    const row = (await pool.query<{ instance: string; http: string; ttl_ms: number; ago_ms: number }>(sql.holder, [who.nodeId])).rows[0];
    // the holder may have left between the two statements: report it as just seen
    return { instance: row?.instance ?? '?', http: row?.http ?? '?', heartbeatAgoMs: row?.ago_ms ?? 0, ttlMs: row?.ttl_ms ?? who.ttlMs };
  }
  return {
    instance,
    heartbeat: async () => (await pool.query(sql.heartbeat, [who.nodeId, instance])).rowCount === 1,
    async advertise(http) {
      await pool.query(sql.advertise, [who.nodeId, instance, http]);
    },
    async leave() {
      await pool.query(sql.leave, [who.nodeId, instance]);
    },
  };
}

/** Whether `registerNode` registered (or found the id live). */
export const isRegistration = (r: Registration | LiveNode): r is Registration => 'heartbeat' in r;
