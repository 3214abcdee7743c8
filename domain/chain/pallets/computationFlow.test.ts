/**
 * The three pallets together through the real mq routing, as a chain would run them: a
 * gatekeeper launches, a worker registers, benchmarks, is bound and started, is challenged,
 * heartbeats, and is settled by a report signed with the master key. At the end the state is
 * rebuilt from genesis plus the recorded events and must be identical (replay).
 */
import { getPublicKey, secretFromSeed, sign } from '@scure/sr25519';
import fc from 'fast-check';
import { isLeft } from 'fp-ts/Either';
import { toHex } from '../../codec/hex';
import { type Message, type MessageOrigin, messageSigningBytes } from '../../codec/mq.codec';
import { RegistryEventScale, SystemEventScale, WorkingInfoUpdateEventScale, WorkingReportEventScale } from '../../codec/systemEvents.codec';
import { topicBytes } from '../../codec/topics';
import { fixedFromInt } from '../../fixed';
import { Storage } from '../../runtime/storage';
import type { BlockContext, Origin, RuntimeEvent } from '../../runtime/types';
import { isComputing } from './computationApi';
import { buildComputationGenesis } from './testing/computationGenesis';
import { COMPUTATION, OnlineWorkers, Sessions } from './computationState';
import { MQ } from './mq.pallet';
import { buildRegistryGenesis } from './testing/registryGenesis';
import { Workers } from './registryState';
import { computationCall, kitGenesis, kitRuntime, probeCall, sessionAccount, workerPubkey, workerRegistered } from './testing/computationTestKit';

const PHA = 10n ** 12n;
const keyOf = (n: number) => {
  const secret = secretFromSeed(new Uint8Array(32).fill(n));
  return { secret, pubkey: getPublicKey(secret), hex: toHex(getPublicKey(secret)) };
};

const bytesOf = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex.slice(2), 'hex'));

const dump = (s: Storage) =>
  s
    .allEntries()
    .map((e) => `${Buffer.from(e.key).toString('hex')}=${e.value === undefined ? '-' : Buffer.from(e.value).toString('hex')}`)
    .sort();

/** A tiny chain: applies calls and finalize hooks, records every event with its block. */
function chain(genesis: (s: Storage) => void) {
  const storage = new Storage();
  genesis(storage);
  const log: [RuntimeEvent, BlockContext][] = [];
  const sequences = new Map<string, bigint>();
  let block: BlockContext = { number: 1, timestampMs: 12_000 };
  const c = {
    storage,
    outbound: [] as Message[],
    at(number: number) {
      block = { number, timestampMs: number * 12_000 };
    },
    ok(origin: Origin, call: RuntimeEvent): RuntimeEvent[] {
      const r = kitRuntime.applyCall(storage, block, origin, call);
      if (isLeft(r.result)) throw new Error(`${call.value.tag}: ${r.result.left.pallet}.${r.result.left.error}`);
      for (const e of r.events) log.push([e, block]);
      c.outbound.push(...r.outbound);
      return r.events;
    },
    finalize() {
      const out = { events: [] as RuntimeEvent[], outbound: [] as Message[] };
      kitRuntime.pallet(COMPUTATION)?.onFinalize?.(kitRuntime.context(storage, block, out));
      for (const e of out.events) log.push([e, block]);
      c.outbound.push(...out.outbound);
    },
    /** relays a message signed by `secret` with the sender's next sequence */
    relay(sender: MessageOrigin, secret: Uint8Array, topic: string, payload: Uint8Array): RuntimeEvent[] {
      const key = `${sender.tag}:${sender.value === undefined ? '' : toHex(sender.value)}`;
      const sequence = sequences.get(key) ?? 0n;
      sequences.set(key, sequence + 1n);
      const message = { sender, destination: topicBytes(topic), payload };
      const signedMessage = { message, sequence, signature: sign(secret, messageSigningBytes(message, sequence)) };
      return c.ok({ type: 'Signed', who: sessionAccount(50) }, { tag: MQ, value: { tag: 'sync_offchain_message', value: { signedMessage } } });
    },
    replayed(): Storage {
      const fresh = new Storage();
      genesis(fresh);
      for (const [e, b] of log) kitRuntime.evolve(fresh, e, b);
      return fresh;
    },
  };
  return c;
}

const tags = (events: RuntimeEvent[]) => events.map((e) => `${e.tag}.${e.value.tag}`);

test('launch → register → benchmark → bind → start → challenge → heartbeat → settle, all through the mq; replay gives the same state', () => {
  const gk = keyOf(1);
  const worker = keyOf(2);
  const master = keyOf(3);
  const c = chain(kitGenesis({ launched: false }));
  const info = (k: ReturnType<typeof keyOf>) => ({ version: 1, machineId: new Uint8Array(), pubkey: k.pubkey, ecdhPubkey: k.pubkey, genesisBlockHash: new Uint8Array(32), features: [], operator: bytesOf(sessionAccount(1)), paraId: 0, maxConsensusVersion: 0 });
  const relayer: Origin = { type: 'Signed', who: sessionAccount(50) };
  const W: MessageOrigin = { tag: 'Worker', value: worker.pubkey };

  c.at(1);
  c.ok({ type: 'Root' }, { tag: 'PhalaRegistry', value: { tag: 'add_relaychain_genesis_block_hash', value: { genesisBlockHash: toHex(new Uint8Array(32)) } } });
  c.ok(relayer, { tag: 'PhalaRegistry', value: { tag: 'register_worker_v2', value: { pruntimeInfo: info(gk), attestation: undefined } } });
  c.ok({ type: 'Root' }, { tag: 'PhalaRegistry', value: { tag: 'register_gatekeeper', value: { gatekeeper: gk.hex } } });
  c.at(2);
  const launch = c.relay({ tag: 'Worker', value: gk.pubkey }, gk.secret, '^phala/registry/event', RegistryEventScale.encode({ tag: 'MasterPubkey', value: { masterPubkey: master.pubkey } }));
  expect(tags(launch)).toEqual(['PhalaMq.OffchainMessageAccepted', 'PhalaRegistry.GatekeeperMasterPubkeySet', 'PhalaRegistry.GatekeeperLaunched']);

  c.at(3);
  c.ok(relayer, { tag: 'PhalaRegistry', value: { tag: 'register_worker_v2', value: { pruntimeInfo: info(worker), attestation: undefined } } });
  c.at(4); // BenchStart{0} was processed in block 3 (t = 36 s): 2000 iterations 12 s later → (2000/12)·6 = 996 (integer)
  c.relay(W, worker.secret, '^phala/registry/event', RegistryEventScale.encode({ tag: 'BenchReport', value: { startTime: 36_000n, iterations: 2000n } }));
  expect(Workers.get(c.storage, worker.hex)?.initialScore).toBe(996);

  c.at(5);
  const session = sessionAccount(7);
  c.ok({ type: 'Root' }, probeCall('bind', { session, worker: worker.hex }));
  c.ok({ type: 'Root' }, probeCall('start', { session, stake: 5000n * PHA }));
  c.ok({ type: 'Root' }, computationCall('set_heartbeat_paused', { paused: false }));
  c.finalize();
  const challenge = SystemEventScale.decode(c.outbound.at(-1)!.payload);
  expect(challenge).toMatchObject({ tag: 'HeartbeatChallenge' });

  // the worker answers the block-5 challenge (t = 60 s) with 1100 iterations; the on-chain
  // challenge_time_last starts at 0 (unix epoch), so the first p_instant spans 72 s: 6600/72 = 91
  c.at(6);
  const hb = c.relay(W, worker.secret, 'phala/mining/report', WorkingReportEventScale.encode({ tag: 'HeartbeatV2', value: { sessionId: 0, challengeBlock: 5, challengeTime: 60_000n, iterations: 1100n, nClusters: 0, nContracts: 0 } }));
  expect(hb.at(-1)).toEqual({ tag: COMPUTATION, value: { tag: 'BenchmarkUpdated', value: { session, pInstant: 91 } } });

  c.at(7); // the gatekeepers' report from block 6 pays the worker
  const settle = [{ pubkey: worker.pubkey, v: fixedFromInt(6890), payout: fixedFromInt(8), treasury: fixedFromInt(2) }];
  const paid = c.relay({ tag: 'Gatekeeper', value: undefined }, master.secret, '^phala/mining/update', WorkingInfoUpdateEventScale.encode({ blockNumber: 6, timestampMs: 72_000n, offline: [], recoveredToOnline: [], settle }));
  expect(tags(paid)).toEqual(['PhalaMq.OffchainMessageAccepted', 'Balances.Transfer', 'PhalaComputation.SessionSettled', 'PoolProbe.Rewarded']);
  expect(Sessions.get(c.storage, session)).toMatchObject({ state: 'WorkerIdle', v: fixedFromInt(6890), vUpdatedAt: 84n, stats: { totalReward: 8n * PHA } });

  expect(dump(c.replayed())).toEqual(dump(c.storage));
});

test('OnlineWorkers always counts the Idle and Unresponsive sessions, under random transitions', () => {
  const workers = [1, 2, 3].map((i) => workerPubkey(i));
  const sessions = [1, 2, 3].map((i) => sessionAccount(10 + i));
  const op = fc.record({
    kind: fc.constantFrom('bind', 'start', 'stop', 'reclaim', 'unbind', 'offline', 'recovered'),
    i: fc.integer({ min: 0, max: 2 }),
    j: fc.integer({ min: 0, max: 2 }),
  });
  fc.assert(
    fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
      const c = chain((s) => {
        kitGenesis()(s);
        for (const w of workers) kitRuntime.evolve(s, workerRegistered(w, 1000), { number: 1, timestampMs: 0 });
      });
      const root: Origin = { type: 'Root' };
      ops.forEach(({ kind, i, j }, n) => {
        c.at(n + 2);
        const session = sessions[i]!;
        const call =
          kind === 'bind'
            ? probeCall('bind', { session, worker: workers[j]! })
            : kind === 'start'
              ? probeCall('start', { session, stake: 5000n * PHA })
              : kind === 'stop'
                ? probeCall('stop', { session })
                : kind === 'reclaim'
                  ? probeCall('reclaim', { session, checkCooldown: false })
                  : kind === 'unbind'
                    ? probeCall('unbind_session', { session, notify: true })
                    : probeCall('deliver', {
                        message: {
                          sender: { tag: 'Gatekeeper', value: undefined },
                          destination: topicBytes('^phala/mining/update'),
                          payload: WorkingInfoUpdateEventScale.encode({ blockNumber: 1, timestampMs: 0n, offline: kind === 'offline' ? [bytesOf(workers[j]!)] : [], recoveredToOnline: kind === 'recovered' ? [bytesOf(workers[j]!)] : [], settle: [] }),
                        },
                      });
        kitRuntime.applyCall(c.storage, { number: n + 2, timestampMs: (n + 2) * 12_000 }, root, call);
      });
      const computing = sessions.filter((s) => {
        const st = Sessions.get(c.storage, s)?.state;
        return st !== undefined && isComputing(st);
      }).length;
      expect(OnlineWorkers.get(c.storage)).toBe(computing);
    }),
    { numRuns: 150 },
  );
});

test('F10: block 1 starts with the genesis queue in pallet order (registry workers and gatekeepers, then the tokenomic parameters)', () => {
  const gk = keyOf(1);
  const storage = new Storage();
  buildRegistryGenesis(storage, { workers: [{ pubkey: gk.hex, ecdhPubkey: gk.hex }], gatekeepers: [gk.hex], benchmarkDuration: 0 });
  buildComputationGenesis(storage);
  const out = { events: [] as RuntimeEvent[], outbound: [] as Message[] };
  kitRuntime.pallet(MQ)?.onInitialize?.(kitRuntime.context(storage, { number: 1, timestampMs: 12_000 }, out));
  const topicsOut = out.outbound.map((m) => Buffer.from(m.destination).toString());
  expect(topicsOut).toEqual(['phala/system/event', 'phala/system/event', 'phala/gatekeeper/launch', 'phala/gatekeeper/event']);
  expect(out.outbound.slice(0, 2).map((m) => SystemEventScale.decode(m.payload))).toEqual([
    { tag: 'WorkerEvent', value: { pubkey: gk.pubkey, event: { tag: 'Registered', value: { confidenceLevel: 128 } } } },
    { tag: 'WorkerEvent', value: { pubkey: gk.pubkey, event: { tag: 'BenchStart', value: { duration: 0 } } } },
  ]);
});
