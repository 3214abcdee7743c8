/**
 * Test kit for the pool pallets: a runtime of Balances, W-PHA, BasePool, the stand-in computation,
 * StakePoolv2 and Vault, a genesis with endowed accounts and a funded subsidy pool, and a chain
 * driver that applies calls one by one (with a settable clock) and keeps every event, so a test
 * can replay Phala's scenarios and check that the state is the fold of the events.
 */
import { isLeft } from 'fp-ts/Either';
import { createRuntime, type Runtime } from '../../../runtime/runtime';
import { Storage } from '../../../runtime/storage';
import type { AccountIdHex, BlockContext, Origin, RuntimeEvent, Tagged } from '../../../runtime/types';
import { Accounts, balancesPallet } from '../balances.pallet';
import { basePoolPallet } from '../basePool.pallet';
import { SUBSIDY_POOL_ACCOUNT } from '../poolAccounts';
import { PoolCount } from '../poolStorage';
import { type StakePoolConfig, defaultStakePoolConfig, stakePoolHooks } from '../stakePoolV2';
import { createStakePoolPallet } from '../stakePoolV2.pallet';
import { createVaultPallet, defaultVaultConfig } from '../vault.pallet';
import { wrappedBalancesGenesis, wrappedBalancesPallet } from '../wrappedBalances.pallet';
import { createComputationForTests } from './computationForTests';

/** 1 PHA in units. */
export const PHA = 10n ** 12n;
/** 0.01 PHA in units. */
export const CENTS = PHA / 100n;
/** A test account whose 32 bytes are all `n`. */
export const acct = (n: number): AccountIdHex => `0x${n.toString(16).padStart(2, '0').repeat(32)}`;
/** A test worker key: `0xee` then 31 bytes of `n`. */
export const worker = (n: number): AccountIdHex => `0xee${n.toString(16).padStart(2, '0').repeat(31)}`;
/** A signed origin. */
export const signed = (who: AccountIdHex): Origin => ({ type: 'Signed', who });
/** The root origin. */
export const root: Origin = { type: 'Root' };

/** Options of the test chain. */
export interface KitOptions {
  readonly endowments?: readonly (readonly [AccountIdHex, bigint])[];
  readonly subsidyPool?: bigint;
  readonly wphaMinimumBalance?: bigint;
  readonly stakePool?: StakePoolConfig;
  /** `MinInitP` of the stand-in computation (Phala's pool tests benchmark workers at P = 1) */
  readonly minInitP?: number;
}

/** Builds the runtime and its genesis. */
export function poolRuntime(options: KitOptions = {}): { runtime: Runtime; genesis: (s: Storage) => void } {
  const config = options.stakePool ?? defaultStakePoolConfig;
  const computation = createComputationForTests(stakePoolHooks(config), { minInitP: options.minInitP ?? 1 });
  const runtime = createRuntime([
    balancesPallet,
    wrappedBalancesPallet,
    basePoolPallet,
    computation.pallet,
    createStakePoolPallet({ computation: computation.api, config }),
    createVaultPallet({ stakePool: config, vault: defaultVaultConfig }),
  ]);
  const genesis = (s: Storage) => {
    for (const [who, amount] of options.endowments ?? []) Accounts.set(s, who, { nonce: 0, free: amount });
    Accounts.set(s, SUBSIDY_POOL_ACCOUNT, { nonce: 0, free: options.subsidyPool ?? 690_000_000n * PHA });
    wrappedBalancesGenesis(s, { minimumBalance: options.wphaMinimumBalance ?? 1n });
  };
  return { runtime, genesis };
}

/** `{ tag: pallet, value: { tag: call, value: args } }` */
export const call = (pallet: string, name: string, args: object = {}): RuntimeEvent => ({ tag: pallet, value: { tag: name, value: args } as Tagged });

const dump = (s: Storage) =>
  s
    .allEntries()
    .map((e) => `${Buffer.from(e.key).toString('hex')}=${e.value === undefined ? '-' : Buffer.from(e.value).toString('hex')}`)
    .sort();

/** A chain that applies calls one at a time. */
export class TestChain {
  readonly storage = new Storage();
  readonly events: RuntimeEvent[] = [];
  block: BlockContext = { number: 1, timestampMs: 1_000_000 };
  readonly runtime: Runtime;
  readonly genesis: (s: Storage) => void;

  constructor(options: KitOptions = {}) {
    const { runtime, genesis } = poolRuntime(options);
    this.runtime = runtime;
    this.genesis = genesis;
    genesis(this.storage);
  }

  /** Moves the clock forward (and the block number by one). */
  elapse(seconds: number): void {
    this.block = { number: this.block.number + 1, timestampMs: this.block.timestampMs + seconds * 1000 };
  }

  /** Applies a call; returns the error name or the events. */
  apply(origin: Origin, c: RuntimeEvent): { error: string | undefined; events: RuntimeEvent[] } {
    const { result, events } = this.runtime.applyCall(this.storage, this.block, origin, c);
    this.events.push(...events);
    return { error: isLeft(result) ? result.left.error : undefined, events };
  }

  /** Applies a call that must succeed; returns its events. */
  ok(origin: Origin, c: RuntimeEvent): RuntimeEvent[] {
    const r = this.apply(origin, c);
    if (r.error !== undefined) throw new Error(`${c.tag}.${(c.value as Tagged).tag} failed: ${r.error}`);
    return r.events;
  }

  /** Applies a call that must fail with `error`; checks that it changed nothing. */
  rejects(origin: Origin, c: RuntimeEvent, error: string): void {
    const before = dump(this.storage);
    const r = this.apply(origin, c);
    if (r.error !== error) throw new Error(`expected ${error}, got ${r.error ?? 'success'}`);
    if (JSON.stringify(dump(this.storage)) !== JSON.stringify(before)) throw new Error('a failed call changed the state');
  }

  /** The event-sourcing invariant: folding every event into a fresh genesis gives the same state. */
  refoldMatches(): boolean {
    const fresh = new Storage();
    this.genesis(fresh);
    for (const e of this.events) this.runtime.evolve(fresh, e, this.block);
    return JSON.stringify(dump(fresh)) === JSON.stringify(dump(this.storage));
  }
}

/** Events of one pallet, for compact assertions. */
export const eventsOf = (events: readonly RuntimeEvent[], pallet: string): Tagged[] => events.filter((e) => e.tag === pallet).map((e) => e.value);

/** Call builders per pallet. */
export const sp = (name: string, args: object = {}) => call('PhalaStakePoolv2', name, args);
/** A Vault call. */
export const vaultCall = (name: string, args: object = {}) => call('PhalaVault', name, args);
/** A W-PHA call. */
export const wpha = (name: string, args: object = {}) => call('PhalaWrappedBalances', name, args);
/** A computation (stand-in) call. */
export const comp = (name: string, args: object = {}) => call('PhalaComputation', name, args);
/** A BasePool call. */
export const base = (name: string, args: object = {}) => call('PhalaBasePool', name, args);

/** U64F64 bits of a whole number of PHA (a settle payout). */
export const fp = (n: bigint | number) => BigInt(n) << 64n;

/**
 * Phala's pool-test fixture (`mock.rs`): accounts 1, 2, 3, 99 endowed with 1000, 2000, 1000 and
 * 1,000,000 PHA, a W-PHA minimum balance of 1e8 units (`mock_asset_id`), helpers to register
 * workers, create pools and vaults, wrap PHA and settle.
 */
export class PhalaMock extends TestChain {
  constructor(options: KitOptions = {}) {
    super({
      endowments: [
        [acct(1), 1000n * PHA],
        [acct(2), 2000n * PHA],
        [acct(3), 1000n * PHA],
        [acct(99), 1_000_000n * PHA],
      ],
      wphaMinimumBalance: 100_000_000n,
      ...options,
    });
  }

  /** `setup_workers(n)`: workers 1..n registered, benchmarked at P = 1, operated by `operator(i)`. */
  setupWorkers(n: number, operator: (i: number) => AccountIdHex = () => acct(1)): void {
    for (let i = 1; i <= n; i++) this.ok(root, comp('force_register_worker', { pubkey: worker(i), operator: operator(i), initialScore: 1 }));
  }

  /** `setup_stake_pool_with_workers`: returns the new pid. */
  setupStakePool(owner: AccountIdHex, workers: readonly number[]): bigint {
    const pid = this.poolCount();
    this.ok(signed(owner), sp('create'));
    for (const w of workers) this.ok(signed(owner), sp('add_worker', { pid, pubkey: worker(w) }));
    return pid;
  }

  /** `setup_vault`: returns the new pid. */
  setupVault(owner: AccountIdHex): bigint {
    const pid = this.poolCount();
    this.ok(signed(owner), vaultCall('create'));
    return pid;
  }

  wrap(who: AccountIdHex, amount: bigint): void {
    this.ok(signed(who), wpha('wrap', { amount }));
  }

  /** A gatekeeper settlement: `payoutBits` per worker. */
  settle(entries: readonly (readonly [AccountIdHex, bigint])[]): RuntimeEvent[] {
    return this.ok(root, comp('settle', { entries: entries.map(([pubkey, payoutBits]) => ({ pubkey, payoutBits })) }));
  }

  poolCount(): bigint {
    return PoolCount.get(this.storage);
  }
}
