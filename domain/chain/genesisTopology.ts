/**
 * Genesis workers, gatekeepers and stake pools as block-0 calls. Workers and gatekeepers are the
 * registry's Root genesis calls (`registryGenesisCalls.ts`). Pools are what their owners and
 * stakers would have signed — create, commission, cap, add workers, wrap and contribute, start
 * computing — dispatched through `Sudo.sudo_as` so that block 0 still records Root calls only
 * and each signer stays visible in the ledger. Any failure of an inner call stops genesis.
 *
 * Pool ids: the pools are created in list order on an empty chain, so pool i gets pid i.
 */
import type { Runtime } from '../runtime/runtime';
import type { RuntimeEvent } from '../runtime/types';

/** A worker registered at genesis (Phala's `GenesisConfig::workers`). */
export interface GenesisWorker {
  readonly pubkey: string;
  readonly ecdhPubkey: string;
  /** the account allowed to add it to a pool (the pool's owner) */
  readonly operator?: string;
  /** an already-known benchmark score; unset = it benchmarks after genesis (Phala's genesis) */
  readonly initialScore?: number;
  /** default 128 (Root attestation, Phala's genesis) */
  readonly confidenceLevel?: number;
}

/** A gatekeeper at genesis (Phala's `GenesisConfig::gatekeepers`); the first launches the master key. */
export interface GenesisGatekeeper {
  readonly pubkey: string;
  readonly ecdhPubkey: string;
}

/** A stake pool that exists at genesis. Amounts are PHA units. */
export interface GenesisPool {
  readonly owner: string;
  /** parts per million; unset = none */
  readonly commissionPermill?: number;
  readonly cap?: bigint;
  /** worker pubkeys, added in order; each worker's operator must be the owner */
  readonly workers: readonly string[];
  /** each staker wraps `amount` PHA (it must be endowed) and contributes it */
  readonly stakers: readonly { readonly who: string; readonly amount: bigint }[];
  /** workers of this pool that start computing with `stake` W-PHA of the pool's free stake */
  readonly computing: readonly { readonly worker: string; readonly stake: bigint }[];
}

/** The topology part of a chain config. */
export interface GenesisTopology {
  readonly genesisWorkers?: readonly GenesisWorker[];
  readonly genesisGatekeepers?: readonly GenesisGatekeeper[];
  readonly genesisPools?: readonly GenesisPool[];
}

const call = (pallet: string, tag: string, value: unknown): RuntimeEvent => ({ tag: pallet, value: { tag, value } });

const workerCall = (w: GenesisWorker): RuntimeEvent =>
  call('PhalaRegistry', 'force_register_genesis_worker', {
    pubkey: w.pubkey,
    ecdhPubkey: w.ecdhPubkey,
    operator: w.operator,
    confidenceLevel: w.confidenceLevel ?? 128,
    initialScore: w.initialScore,
  });

/**
 * Registry calls: the gatekeepers first (each registered as a worker — with its entry from the
 * worker list if it is there — then as a gatekeeper, the first one launching the master key), then
 * the mq's genesis hold, then every other worker. Everything genesis queues after the hold (the
 * workers' registration, benchmark and session messages, the pools', the first challenge) is
 * dispatched right after `MasterPubkeyOnChain`.
 *
 * Deliberately not Phala's order. Phala's genesis build queues the workers' `Registered` messages
 * before `GatekeeperLaunch::FirstGatekeeper`, and a gatekeeper's economics only sees messages
 * dispatched after it exists (pRuntime dispatches and processes one message at a time,
 * `handle_inbound_messages`), so a Phala genesis worker is unknown to every gatekeeper and is never
 * paid. Phala's genesis workers never compute, so it does not matter there; ours do (a network
 * already running at genesis, as `khala-day` needs), so the gatekeeper launches first and learns
 * every genesis worker once its master pubkey is on chain.
 */
export function registryTopologyCalls(t: GenesisTopology): RuntimeEvent[] {
  const workers = t.genesisWorkers ?? [];
  const byPubkey = new Map(workers.map((w) => [w.pubkey, w]));
  const gatekeepers = t.genesisGatekeepers ?? [];
  const calls: RuntimeEvent[] = [];
  const registered = new Set<string>();
  for (const g of gatekeepers) {
    if (registered.has(g.pubkey)) continue;
    calls.push(workerCall(byPubkey.get(g.pubkey) ?? { pubkey: g.pubkey, ecdhPubkey: g.ecdhPubkey }));
    registered.add(g.pubkey);
  }
  for (const g of gatekeepers) calls.push(call('PhalaRegistry', 'force_register_genesis_gatekeeper', { pubkey: g.pubkey }));
  // the rest waits in the mq for the master pubkey, or the gatekeepers' economics never sees it
  if (gatekeepers.length > 0 && workers.some((w) => !registered.has(w.pubkey))) calls.push(call('PhalaMq', 'force_hold_genesis_queue', undefined));
  for (const w of workers) if (!registered.has(w.pubkey)) calls.push(workerCall(w));
  return calls;
}

/** True if the topology registers any worker at genesis (then Phala stores `BenchmarkDuration`). */
export const hasGenesisWorkers = (t: GenesisTopology): boolean => (t.genesisWorkers ?? []).length + (t.genesisGatekeepers ?? []).length > 0;

/** The pool calls, each wrapped in `Sudo.sudo_as(signer, call)`. */
export function poolTopologyCalls(t: GenesisTopology, runtime: Runtime): RuntimeEvent[] {
  const calls: RuntimeEvent[] = [];
  const as = (who: string, inner: RuntimeEvent) => calls.push(call('Sudo', 'sudo_as', { who, call: runtime.callCodec.enc(inner) }));
  const pool = (tag: string, value: unknown) => call('PhalaStakePoolv2', tag, value);
  (t.genesisPools ?? []).forEach((p, i) => {
    const pid = BigInt(i);
    as(p.owner, pool('create', {}));
    if (p.commissionPermill !== undefined) as(p.owner, pool('set_payout_pref', { pid, payoutCommission: p.commissionPermill }));
    if (p.cap !== undefined) as(p.owner, pool('set_cap', { pid, cap: p.cap }));
    for (const pubkey of p.workers) as(p.owner, pool('add_worker', { pid, pubkey }));
    for (const s of p.stakers) {
      as(s.who, call('PhalaWrappedBalances', 'wrap', { amount: s.amount }));
      as(s.who, pool('contribute', { pid, amount: s.amount, asVault: undefined }));
    }
    for (const c of p.computing) as(p.owner, pool('start_computing', { pid, worker: c.worker, stake: c.stake }));
  });
  return calls;
}
