/**
 * The failover suite's harness (issue 8 item 7): a cluster of `phalanet node` processes with the
 * producer, workers and gatekeepers roles over the int tier's broker and PostgreSQL, a load
 * generator that records every transaction it sends and whether the broker acknowledged it, a
 * watch of the ledger's height on the wall clock (recovery times), and the checks every fault
 * must pass:
 *
 * * nothing acknowledged is lost, nothing is applied twice, nothing unexpected appears: every
 *   acknowledged transfer is in exactly one block, every extrinsic of a load signer on chain was
 *   sent by the generator, and each signer's nonces on chain run 0, 1, 2, … (per-key order);
 * * heights are contiguous with one block each, and the producer's lease epoch never goes back;
 * * no write of an old epoch commits after the new epoch's first: per partition, the sealed
 *   checkpoints and master keys in commit order carry non-decreasing ownership epochs;
 * * `phalanet replay --verify` passes on the PostgreSQL ledger, re-deriving the gatekeeper reports.
 */
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { isLeft } from 'fp-ts/Either';
import { Pool } from 'pg';
import { eventRecordCodec } from '../../domain/chain/block';
import { decodeExtrinsic } from '../../domain/chain/extrinsic';
import { createPhalaRuntime } from '../../domain/chain/phalaRuntime';
import { account as accountInfo } from '../../domain/chain/pallets/balances.pallet';
import { kafkaBus } from '../../infra/bus/kafkaBus';
import { EXTRINSICS_PARTITIONS, EXTRINSICS_TOPIC } from '../../infra/cluster/node/kafkaIntake';
import { partitionOfGatekeeper } from '../../infra/cluster/gatekeepers/gatekeeperPlacement';
import { partitionOfWorker } from '../../infra/cluster/workers/workerPlacement';
import { callOf, signExtrinsic } from '../../simulations/run/accounts';
import { accountNames } from '../../simulations/run/accountNames';
import { scenarioGenesis } from '../../simulations/run/scenarioGenesis';
import { loadScenario, resolveScenario } from '../../simulations/scenario';
import { type NodeProcess, nodeHarness, until } from './nodeHarness';

/** The scenario of the failover suite: 8 genesis miners in 2 pools, 1 gatekeeper, 4 funded clients, 1 s blocks. */
export const CHAOS_SCENARIO = join(__dirname, '..', 'fixtures', 'cluster-chaos.yaml');
/** Genesis workers and gatekeepers of the scenario. */
export const CHAOS_WORKERS = 8;
export const CHAOS_GATEKEEPERS = 1;
const CLIENTS = 4;

/** One transaction the load generator sent. */
export interface SentTx {
  readonly signer: string;
  readonly nonce: number;
  readonly hex: string;
  /** the broker acknowledged it (publish resolved) */
  acked: boolean;
  /** publish attempts (a failed publish is retried with the same bytes) */
  attempts: number;
}

/** What `/status` says about placement (the parts the suite reads). */
interface PlacementView {
  head: { number: number } | null;
  workers: { partitions: { partition: number; syncedBlock: number | null }[] } | null;
  gatekeepers: { partitions: { partition: number }[]; gatekeepers: { state: string; syncedBlock: number }[] } | null;
}

const hexOf = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** The chaos cluster over one fresh ledger schema. */
export function chaosCluster(prefix: string, brokers: string, seed: number, scenario = CHAOS_SCENARIO, roles = 'producer,workers,gatekeepers') {
  const h = nodeHarness(prefix);
  h.newLedger();
  const vault = join(h.dataDir, 'platform-vault');
  const args = ['--roles', roles, '--kafka', brokers, '--platform-vault', vault, '--scenario', scenario, '--seed', String(seed)];
  const nodes = new Map<string, NodeProcess>();
  const decoded = loadScenario(readFileSync(scenario, 'utf8'), scenario);
  if (isLeft(decoded)) throw new Error(`${scenario} does not decode`);
  const genesis = scenarioGenesis(resolveScenario(decoded.right, { seed: BigInt(seed) }));

  /** Height on the wall clock: each new height and when this process first saw it. */
  const heights: { height: number; at: number }[] = [];
  let watching = true;
  const pool = new Pool({ connectionString: h.baseUrl, max: 1 });
  pool.on('error', () => undefined);
  const ledgerHeight = async () => {
    const rows = (await pool.query(`SELECT version FROM "${h.schema()}".streams WHERE stream_id = 'chain'`)).rows as { version: string }[];
    return rows.length === 0 ? undefined : Number(rows[0]!.version);
  };
  const watch = (async () => {
    while (watching) {
      const blocks = await ledgerHeight().catch(() => undefined);
      if (blocks !== undefined && (heights.length === 0 || blocks > heights.at(-1)!.height)) heights.push({ height: blocks, at: performance.now() });
      await new Promise((r) => setTimeout(r, 100));
    }
  })();

  const load = loadGenerator(brokers, genesis, seed);
  const records = eventRecordCodec(createPhalaRuntime().eventCodec);
  const eventsOf = async (pallet: string, name: string): Promise<{ block: number; value: Record<string, unknown> }[]> => {
    const out: { block: number; value: Record<string, unknown> }[] = [];
    for (const b of await h.ledgerBlocks()) {
      for (const bytes of b.block.events) {
        const ev = records.dec(bytes).event as { tag: string; value: { tag: string; value: Record<string, unknown> } };
        if (ev.tag === pallet && ev.value.tag === name) out.push({ block: b.number, value: ev.value.value });
      }
    }
    return out;
  };

  const view = async (node: NodeProcess): Promise<PlacementView> => (await (await fetch(`${await node.url}status`)).json()) as PlacementView;

  return {
    h,
    nodes,
    genesis,
    load,
    start(id: string, extra: readonly string[] = []): NodeProcess {
      const node = h.startNode(id, [...args, ...extra]);
      nodes.set(id, node);
      return node;
    },
    /** starts `id` with other roles (the same scenario, broker and vault) */
    startWithRoles(id: string, roles: string): NodeProcess {
      const node = h.startNode(id, [...args, '--roles', roles]);
      nodes.set(id, node);
      return node;
    },
    /** starts `id` again after a kill -9: refused (exit 2) until its registration's TTL ran out, so it retries */
    async restart(id: string, extra: readonly string[] = []): Promise<NodeProcess> {
      for (;;) {
        const node = h.startNode(id, [...args, ...extra]);
        nodes.set(id, node);
        const served = await Promise.race([node.url.then(() => true), node.exit.then(() => false)]).catch(() => false);
        if (served) return node;
        if ((await node.exit) !== 2) throw new Error(`node ${id} did not start again: ${node.stderr()}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    },
    /** waits for a block after `height` that settles a computing session (the gatekeeper reports go on) */
    async settledAfter(height: number, boundMs = 60_000): Promise<number> {
      return until(`a session settled after block ${height}`, async () => (await eventsOf('PhalaComputation', 'SessionSettled')).find((e) => e.block > height)?.block, boundMs);
    },
    /** every `pallet.name` event of the ledger with its block and fields */
    eventsOf,
    /** the live nodes (started, not exited) */
    live(): [string, NodeProcess][] {
      return [...nodes].filter(([, n]) => n.child.exitCode === null && n.child.signalCode === null);
    },
    /**
     * Waits until `expected` nodes own every partition of both inboxes between them, each
     * synced near the head and the gatekeeper active; resolves to the ms it took from `since`.
     */
    async balanced(expected: readonly string[], since: number, boundMs = 90_000): Promise<number> {
      await until(
        `nodes ${expected.join(', ')} owning every partition, synced, the gatekeeper active`,
        async () => {
          const views = await Promise.all(expected.map((id) => view(nodes.get(id)!)));
          const head = Math.max(...views.map((v) => v.head?.number ?? -1));
          const workerParts = views.flatMap((v) => v.workers?.partitions ?? []);
          const gkParts = views.flatMap((v) => v.gatekeepers?.partitions ?? []);
          const synced = workerParts.every((p) => p.syncedBlock !== null && p.syncedBlock >= head - 3);
          const gks = views.flatMap((v) => v.gatekeepers?.gatekeepers ?? []);
          const spread = views.every((v) => (v.workers?.partitions.length ?? 0) > 0);
          const ok = workerParts.length === 12 && gkParts.length === 4 && synced && spread && gks.length === genesis.gatekeepers.length && gks.every((g) => g.state === 'active' && g.syncedBlock >= head - 3);
          return ok ? true : undefined;
        },
        boundMs,
      );
      return performance.now() - since;
    },
    /** ms from `since` until the ledger grew past the height it had then */
    async nextBlockAfter(since: number, boundMs = 60_000): Promise<number> {
      const before = [...heights].reverse().find((x) => x.at <= since)?.height ?? -1;
      const next = await until(`a block after ${before}`, async () => heights.find((x) => x.height > before && x.at > since), boundMs);
      return next.at - since;
    },
    /** the longest wall-clock gap between two consecutive new heights seen since `since` */
    longestGapSince(since: number): number {
      const seen = heights.filter((x) => x.at >= since);
      let gap = 0;
      for (let i = 1; i < seen.length; i++) gap = Math.max(gap, seen[i]!.at - seen[i - 1]!.at);
      return gap;
    },
    /** every check of the suite; resolves to what it counted */
    async check(): Promise<{ blocks: number; sent: number; included: number; checkpoints: number }> {
      await load.stop();
      const acked = load.sent.filter((s) => s.acked);
      // every acknowledged transfer lands: the producers' intake keeps them until a block takes them
      await until(
        'every acknowledged transfer in a block',
        async () => {
          const onChain = new Set((await h.ledgerBlocks()).flatMap((b) => b.block.extrinsics.map(hexOf)));
          return acked.every((s) => onChain.has(s.hex)) ? true : undefined;
        },
        90_000,
      );
      const blocks = await h.ledgerBlocks();
      // heights contiguous, one block each; the lease epoch never goes back
      expect(blocks.map((b) => b.number)).toEqual(blocks.map((_, i) => i));
      expect(blocks.map((b) => b.version)).toEqual(blocks.map((_, i) => i));
      for (let i = 1; i < blocks.length; i++) expect(blocks[i]!.epoch).toBeGreaterThanOrEqual(blocks[i - 1]!.epoch);
      // nothing twice, nothing unexpected, per-signer order
      const count = new Map<string, number>();
      const nonces = new Map<string, number[]>();
      const sentHex = new Set(load.sent.map((s) => s.hex));
      const loadSigners = new Set(load.signers);
      for (const b of blocks) {
        for (const x of b.block.extrinsics) {
          const hex = hexOf(x);
          count.set(hex, (count.get(hex) ?? 0) + 1);
          const { signer, nonce } = decodeExtrinsic(x);
          nonces.set(signer, [...(nonces.get(signer) ?? []), Number(nonce)]);
          if (loadSigners.has(signer)) expect({ unexpected: sentHex.has(hex) ? undefined : hex }).toEqual({ unexpected: undefined });
        }
      }
      expect([...count.values()].filter((n) => n > 1)).toEqual([]);
      for (const s of acked) expect(count.get(s.hex)).toBe(1);
      for (const [signer, list] of nonces) expect({ signer, nonces: list }).toEqual({ signer, nonces: list.map((_, i) => i) });
      for (const signer of load.signers) {
        const mine = load.sent.filter((s) => s.signer === signer && count.has(s.hex)).map((s) => s.nonce);
        expect(mine).toEqual(mine.map((_, i) => i));
      }
      // per partition, commit order never goes back to an older ownership epoch
      const rows = await h.sql(`SELECT stream_id, metadata FROM $schema.events WHERE stream_id LIKE 'worker-%' OR stream_id LIKE 'gatekeeper-%' ORDER BY global_position`);
      const lastEpoch = new Map<string, bigint>();
      for (const r of rows) {
        const id = String(r.stream_id);
        const key = id.startsWith('worker-') ? `w${partitionOfWorker(id.slice('worker-'.length))}` : `g${partitionOfGatekeeper(id.slice('gatekeeper-'.length))}`;
        const epoch = BigInt((JSON.parse(String(r.metadata)) as { epoch: string }).epoch);
        expect({ key, epoch: epoch >= (lastEpoch.get(key) ?? 0n) }).toEqual({ key, epoch: true });
        lastEpoch.set(key, epoch);
      }
      const replay = h.replayVerify();
      expect(replay).toMatch(/verified:\s+yes/);
      return { blocks: blocks.length, sent: load.sent.length, included: acked.length, checkpoints: rows.length };
    },
    async cleanup() {
      watching = false;
      await watch;
      await pool.end().catch(() => undefined);
      await load.stop();
      await h.cleanup();
    },
  };
}

/**
 * Transfers from the scenario's funded clients, one signer after another in turn, each signer's
 * nonces in sequence: a publish the broker does not acknowledge is retried with the same bytes
 * (an unacknowledged copy that did land is the same transaction: the chain takes it once).
 */
function loadGenerator(brokers: string, genesis: ReturnType<typeof scenarioGenesis>, seed: number) {
  const clients = Array.from({ length: CLIENTS }, (_, i) => genesis.account(accountNames.client(i)));
  const bus = kafkaBus({ brokers: brokers.split(','), clientId: `chaos-load-${seed}` });
  const sent: SentTx[] = [];
  const random = genesis.random.fork('chaos-load');
  let running = false;
  let loop: Promise<void> | undefined;
  return {
    sent,
    signers: clients.map((c) => c.id),
    /** starts sending one transfer every `intervalMs` */
    async start(intervalMs = 150) {
      await bus.ensureTopics([{ name: EXTRINSICS_TOPIC, partitions: EXTRINSICS_PARTITIONS }]);
      running = true;
      const next = clients.map((c) => accountInfo(genesis.chain.storage, c.id).nonce);
      loop = (async () => {
        for (let i = 0; running; i++) {
          const k = i % clients.length;
          const from = clients[k]!;
          const to = clients[(k + 1) % clients.length]!;
          const nonce = next[k]!;
          const bytes = signExtrinsic(genesis.runtime, from, callOf('Balances', 'transfer', { dest: to.id, value: 1_000_000_000n + BigInt(i) }), nonce, genesis.chain.genesisHash, random);
          const tx: SentTx = { signer: from.id, nonce, hex: hexOf(bytes), acked: false, attempts: 0 };
          sent.push(tx);
          while (!tx.acked) {
            tx.attempts++;
            try {
              await bus.publish([{ topic: EXTRINSICS_TOPIC, key: from.id, value: bytes, id: `chaos/${from.id}/${nonce}` }]);
              tx.acked = true;
            } catch {
              if (!running) break;
              await new Promise((r) => setTimeout(r, 250));
            }
          }
          if (!tx.acked) break;
          next[k] = nonce + 1;
          await new Promise((r) => setTimeout(r, intervalMs));
        }
      })();
    },
    async stop() {
      running = false;
      await loop;
      loop = undefined;
      await bus.close().catch(() => undefined);
    },
  };
}
