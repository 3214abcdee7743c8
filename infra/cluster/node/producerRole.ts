/**
 * The producer role of `phalanet node`: every node with it follows the chain (standby) and
 * contends for the producer lease; the holder produces one block per block time (the chain
 * spec's `blockTimeMs`) on its local chain and appends it fenced by the lease (`lease.ts`), with
 * the lease epoch and its id in the record's metadata.
 *
 * On an empty ledger the first holder writes block 0, built from the scenario, under the same
 * fence. A refused or failed append leaves the local state holding a block that was never
 * written, so the state is dropped and rebuilt from the ledger; a refusal by the fence also ends
 * the leadership (the lease was lost). Block timestamps follow the chain's schedule (parent +
 * block time), not the wall clock, so every producer extends one timeline.
 */
import type { Block } from '../../../domain/chain/block';
import { type Chain, produceBlock } from '../../../domain/chain/executive';
import { blockRecord, CHAIN_STREAM } from '../../../domain/chain/ledger';
import { FencedWrite } from '../../../domain/ports/eventStoreErrors';
import type { PostgresEventStore } from '../../store/postgresEventStore';
import type { HeldLease, ProducerLease } from '../lease';
import type { LocalChain } from './localChain';
import type { NodeMetrics } from './nodeMetrics';

const LIMITS = { maxExtrinsics: 20_000, maxBytes: 64 * 1024 * 1024 };

/** What the role is given. */
export interface ProducerRoleOptions {
  readonly nodeId: string;
  readonly store: PostgresEventStore;
  readonly lease: ProducerLease;
  readonly local: LocalChain;
  readonly metrics: NodeMetrics;
  /** block 0 and the state after it, for an empty ledger (built only when needed) */
  readonly genesis: () => { block: Block; chain: Chain };
  /** how often a standby follows the chain and tries the lease */
  readonly followMs: number;
  /** how often the holder renews (well inside the lease's time to live) */
  readonly renewMs: number;
  /** signed extrinsics waiting for a block (intake fills it) */
  readonly pool: Uint8Array[];
  readonly log: (line: string) => void;
  /** told each block this node appended (after the append committed), e.g. to announce it to the workers */
  readonly onBlock?: (number: number) => void;
  /** monotonic ms; default `performance.now` */
  readonly now?: () => number;
}

/** The role's state, for `/status` and `/readyz`. */
export interface ProducerStatus {
  readonly role: 'leader' | 'standby' | 'stopped';
  readonly epoch: bigint | undefined;
  /** the last error of the loop, cleared by the next good step */
  readonly lastError: string | undefined;
}

/** A running producer role. */
export interface ProducerRole {
  status(): ProducerStatus;
  /** stops producing, waits for the step in flight, releases the lease */
  stop(): Promise<void>;
}

/** A sleep that `wake` cuts short (a role's loop on its way out). */
export function wakeableSleep() {
  let wake: (() => void) | undefined;
  return {
    sleep: (ms: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.max(0, ms));
        function done() {
          clearTimeout(timer);
          wake = undefined;
          resolve();
        }
        wake = done;
      }),
    wake: () => wake?.(),
  };
}

/**
 * Appends one block under the lease. A refusal by the fence resolves to the `FencedWrite`; any
 * failure leaves the local state holding a block that was never written, so it is dropped.
 */
async function appendFenced(options: ProducerRoleOptions, block: Block, after: Chain, epoch: HeldLease): Promise<FencedWrite | undefined> {
  const { nodeId, store, lease, local, metrics } = options;
  const n = block.header.number;
  const record = { ...blockRecord(block), metadata: { producer: nodeId, leaseEpoch: String(epoch.epoch) } };
  try {
    await store.append(CHAIN_STREAM, [record], n === 0 ? 'no-stream' : n - 1, { fence: lease.fence(epoch, CHAIN_STREAM) });
  } catch (error) {
    local.reset();
    if (!(error instanceof FencedWrite)) throw error;
    metrics.fencedWriteRefused();
    return error;
  }
  local.adopt(block, after);
  metrics.blockProduced();
  options.onBlock?.(n);
  return undefined;
}

/** Produces the next block (genesis on an empty ledger) and appends it under `epoch`. */
async function produceNext(options: ProducerRoleOptions, epoch: HeldLease): Promise<FencedWrite | undefined> {
  const { local } = options;
  if (local.height < 0) {
    const g = options.genesis();
    const refused = await appendFenced(options, g.block, g.chain, epoch);
    if (refused === undefined) options.log(`node ${options.nodeId}: wrote genesis (block 0) under lease epoch ${epoch.epoch}`);
    return refused;
  }
  const chain = local.chain!;
  const timestampMs = Number(chain.head.timestamp) + chain.spec.blockTimeMs;
  const pool = options.pool.splice(0);
  const production = produceBlock(chain, { timestampMs, author: new Uint8Array(32), pool, limits: LIMITS });
  // not valid yet (a future nonce) or over the limits: keep for a later block; rejected ones go
  for (const i of production.waiting) options.pool.push(pool[i]!);
  return appendFenced(options, production.block, chain, epoch);
}

/** Starts the role's loop: follow, contend, produce. */
export function startProducerRole(options: ProducerRoleOptions): ProducerRole {
  const { nodeId, lease, local, metrics, log } = options;
  const now = options.now ?? (() => performance.now());
  const sleeper = wakeableSleep();
  let held: HeldLease | undefined;
  let nextBlockAt = 0;
  let stopping = false;
  let lastError: string | undefined;

  const lose = (why: string) => {
    log(`node ${nodeId}: producer lease epoch ${held?.epoch} lost (${why}); following the chain as a standby`);
    held = undefined;
  };

  /** One step; resolves to how long to wait before the next. */
  const step = async (): Promise<number> => {
    if (held === undefined) {
      await local.catchUp();
      // a node shutting down does not take the lease a peer just released on its own way out
      if (stopping) return 0;
      held = await lease.acquire();
      if (held === undefined) return options.followMs;
      metrics.leaseAcquired();
      log(`node ${nodeId}: took the producer lease, epoch ${held.epoch}, at block ${local.height}`);
      nextBlockAt = now();
    } else {
      const renewed = await lease.renew(held);
      if (renewed === undefined) {
        lose('it expired or another node took it');
        return 0;
      }
      held = renewed;
    }
    // another writer may have appended (a predecessor's last block): never build on a stale head
    await local.catchUp();
    if (!stopping && now() >= nextBlockAt) {
      const blockTimeMs = local.chain?.spec.blockTimeMs ?? options.followMs;
      const refused = await produceNext(options, held);
      if (refused !== undefined) lose(refused.message);
      // keep the cadence, but after a stall produce one block now rather than a burst of catch-up blocks
      nextBlockAt = Math.max(nextBlockAt + blockTimeMs, now());
    }
    return held === undefined ? 0 : Math.min(options.renewMs, nextBlockAt - now());
  };

  const loop = (async () => {
    while (!stopping) {
      let wait = options.followMs;
      try {
        wait = await step();
        lastError = undefined;
      } catch (error) {
        lastError = error instanceof Error ? error.message : String(error);
        log(`node ${nodeId}: producer step failed: ${lastError}`);
        if (held !== undefined && now() > held.validUntil) lose('it ran out while the store could not be reached');
      }
      if (!stopping) await sleeper.sleep(wait);
    }
  })();

  return {
    status: () => ({ role: stopping ? 'stopped' : held === undefined ? 'standby' : 'leader', epoch: held?.epoch, lastError }),
    async stop() {
      stopping = true;
      sleeper.wake();
      await loop;
      if (held !== undefined) {
        await lease.release(held).catch(() => undefined);
        log(`node ${nodeId}: released the producer lease, epoch ${held.epoch}`);
        held = undefined;
      }
    },
  };
}
