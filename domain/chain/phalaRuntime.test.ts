/**
 * The assembled runtime end to end, through the real mq routing with real signatures: a
 * gatekeeper launches, a worker registers and benchmarks, its operator creates a stake pool and
 * starts it with stakers' W-PHA, the chain challenges it, it heartbeats, and the gatekeepers'
 * report — signed with the master key — settles it; the stake pool receives the reward as W-PHA.
 * PHA issuance is unchanged throughout and the state is exactly the fold of the events.
 */
import { getPublicKey, secretFromSeed, sign } from '@scure/sr25519';
import { isLeft } from 'fp-ts/Either';
import { toHex } from '../codec/hex';
import { type Message, type MessageOrigin, messageSigningBytes } from '../codec/mq.codec';
import { RegistryEventScale, SystemEventScale, WorkingInfoUpdateEventScale, WorkingReportEventScale } from '../codec/systemEvents.codec';
import { topicBytes } from '../codec/topics';
import { fixedFromInt } from '../fixed';
import { Storage } from '../runtime/storage';
import type { BlockContext, Origin, RuntimeEvent } from '../runtime/types';
import { Accounts, account } from './pallets/balances.pallet';
import { Sessions } from './pallets/computationState';
import { Pools } from './pallets/poolStorage';
import { kitGenesis } from './pallets/testing/computationTestKit';
import { poolSubAccount } from '../ids/accounts';
import { createPhalaRuntime } from './phalaRuntime';

const PHA = 10n ** 12n;
const runtime = createPhalaRuntime();
const keyOf = (n: number) => {
  const secret = secretFromSeed(new Uint8Array(32).fill(n));
  return { secret, pubkey: getPublicKey(secret), hex: toHex(getPublicKey(secret)) };
};
const acct = (n: number) => `0x${n.toString(16).padStart(2, '0').repeat(32)}`;
const OWNER = acct(0x11);
const STAKER = acct(0x22);
const RELAYER = acct(0x33);
const dump = (s: Storage) => s.allEntries().map((e) => `${Buffer.from(e.key).toString('hex')}=${Buffer.from(e.value!).toString('hex')}`).sort();
const tags = (events: RuntimeEvent[]) => events.map((e) => `${e.tag}.${e.value.tag}`);

function genesis(s: Storage): void {
  kitGenesis({ launched: false })(s);
  for (const who of [OWNER, STAKER, RELAYER]) Accounts.set(s, who, { nonce: 0, free: 100_000n * PHA });
}

const totalPha = (s: Storage) => Accounts.entries(s).reduce((sum, [, a]) => sum + a.free, 0n);

test('launch → register → pool → start → challenge → heartbeat → settle → pool reward, on the assembled runtime', () => {
  const storage = new Storage();
  genesis(storage);
  const issuance = totalPha(storage);
  const log: [RuntimeEvent, BlockContext][] = [];
  const outbound: Message[] = [];
  let at: BlockContext = { number: 1, timestampMs: 12_000 };
  const sequences = new Map<string, bigint>();
  const ok = (origin: Origin, pallet: string, tag: string, value: unknown): RuntimeEvent[] => {
    const r = runtime.applyCall(storage, at, origin, { tag: pallet, value: { tag, value } });
    if (isLeft(r.result)) throw new Error(`${pallet}.${tag}: ${r.result.left.pallet}.${r.result.left.error}`);
    for (const e of r.events) log.push([e, at]);
    outbound.push(...r.outbound);
    return r.events;
  };
  const relay = (sender: MessageOrigin, secret: Uint8Array, topic: string, payload: Uint8Array) => {
    const key = `${sender.tag}:${sender.value === undefined ? '' : toHex(sender.value)}`;
    const sequence = sequences.get(key) ?? 0n;
    sequences.set(key, sequence + 1n);
    const message = { sender, destination: topicBytes(topic), payload };
    const signedMessage = { message, sequence, signature: sign(secret, messageSigningBytes(message, sequence)) };
    expect(runtime.pallet('PhalaMq')?.validate?.(storage, { type: 'Signed', who: RELAYER }, { tag: 'sync_offchain_message', value: { signedMessage } })).toBe('ok');
    return ok({ type: 'Signed', who: RELAYER }, 'PhalaMq', 'sync_offchain_message', { signedMessage });
  };
  const block = (n: number) => {
    at = { number: n, timestampMs: n * 12_000 };
  };
  const finalize = () => {
    const out = { events: [] as RuntimeEvent[], outbound: [] as Message[] };
    const ctx = runtime.context(storage, at, out);
    for (const p of runtime.pallets) p.onFinalize?.(ctx);
    for (const e of out.events) log.push([e, at]);
    outbound.push(...out.outbound);
  };
  const gk = keyOf(1);
  const worker = keyOf(2);
  const master = keyOf(3);
  const info = (k: ReturnType<typeof keyOf>) => ({ version: 1, machineId: new Uint8Array(), pubkey: k.pubkey, ecdhPubkey: k.pubkey, genesisBlockHash: new Uint8Array(32), features: [], operator: Buffer.from(OWNER.slice(2), 'hex'), paraId: 0, maxConsensusVersion: 0 });
  const root: Origin = { type: 'Root' };
  const owner: Origin = { type: 'Signed', who: OWNER };

  block(1);
  ok(root, 'PhalaRegistry', 'add_relaychain_genesis_block_hash', { genesisBlockHash: toHex(new Uint8Array(32)) });
  ok({ type: 'Signed', who: RELAYER }, 'PhalaRegistry', 'register_worker_v2', { pruntimeInfo: info(gk), attestation: undefined });
  ok(root, 'PhalaRegistry', 'register_gatekeeper', { gatekeeper: gk.hex });
  block(2);
  relay({ tag: 'Worker', value: gk.pubkey }, gk.secret, '^phala/registry/event', RegistryEventScale.encode({ tag: 'MasterPubkey', value: { masterPubkey: master.pubkey } }));
  block(3);
  ok({ type: 'Signed', who: RELAYER }, 'PhalaRegistry', 'register_worker_v2', { pruntimeInfo: info(worker), attestation: undefined });
  block(4);
  relay({ tag: 'Worker', value: worker.pubkey }, worker.secret, '^phala/registry/event', RegistryEventScale.encode({ tag: 'BenchReport', value: { startTime: 36_000n, iterations: 2000n } }));

  block(5);
  ok(owner, 'PhalaStakePoolv2', 'create', {});
  const pid = 0n;
  ok(owner, 'PhalaStakePoolv2', 'add_worker', { pid, pubkey: worker.hex });
  ok(owner, 'PhalaStakePoolv2', 'set_payout_pref', { pid, payoutCommission: 500_000 });
  ok({ type: 'Signed', who: STAKER }, 'PhalaWrappedBalances', 'wrap', { amount: 6_000n * PHA });
  ok({ type: 'Signed', who: STAKER }, 'PhalaStakePoolv2', 'contribute', { pid, amount: 6_000n * PHA, asVault: undefined });
  ok(owner, 'PhalaStakePoolv2', 'start_computing', { pid, worker: worker.hex, stake: 5_000n * PHA });
  ok(root, 'PhalaComputation', 'set_heartbeat_paused', { paused: false });
  finalize();
  expect(SystemEventScale.decode(outbound.at(-1)!.payload)).toMatchObject({ tag: 'HeartbeatChallenge' });

  block(6);
  relay({ tag: 'Worker', value: worker.pubkey }, worker.secret, 'phala/mining/report', WorkingReportEventScale.encode({ tag: 'HeartbeatV2', value: { sessionId: 0, challengeBlock: 5, challengeTime: 60_000n, iterations: 1100n, nClusters: 0, nContracts: 0 } }));

  block(7);
  const poolValue = () => {
    const p = Pools.get(storage, pid);
    if (p?.tag !== 'StakePool') throw new Error('pool 0 is not a stake pool');
    return p.value.basepool.totalValue;
  };
  const valueBefore = poolValue();
  const settle = [{ pubkey: worker.pubkey, v: fixedFromInt(6890), payout: fixedFromInt(8), treasury: fixedFromInt(2) }];
  const paid = relay({ tag: 'Gatekeeper', value: undefined }, master.secret, '^phala/mining/update', WorkingInfoUpdateEventScale.encode({ blockNumber: 6, timestampMs: 72_000n, offline: [], recoveredToOnline: [], settle }));
  expect(tags(paid)).toContain('PhalaComputation.SessionSettled');
  expect(tags(paid)).toContain('PhalaStakePoolv2.RewardReceived');
  // 8 PHA reward, 50 % commission: 4 PHA of W-PHA to the owner's reward account, 4 PHA to the pool's stakers
  expect(poolValue() - valueBefore).toBe(4n * PHA);
  expect(Sessions.get(storage, poolSubAccount(pid, worker.hex))).toMatchObject({ state: 'WorkerIdle' });
  expect(totalPha(storage)).toBe(issuance);
  expect(account(storage, OWNER).free).toBe(100_000n * PHA);

  const fresh = new Storage();
  genesis(fresh);
  for (const [e, b] of log) runtime.evolve(fresh, e, b);
  expect(dump(fresh)).toEqual(dump(storage));
});
