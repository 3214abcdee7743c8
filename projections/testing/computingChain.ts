/**
 * A synthetic chain of computing for the worker, finance and pool specs: two workers registered,
 * a stake pool that takes both, contributions, sessions bound and started, heartbeats and
 * settlements, an unresponsive spell, a stop and a reclaim with a slash, a withdrawal queued
 * and served. Each list is one block's events, in the order the pallets emit them.
 */
import type { EventRecord } from '../../domain/runtime/types';
import type { DecodedBlock } from '../decodedBlock';
import { ev, syntheticChain } from './syntheticChain';

/** 1 PHA in units. */
export const PHA = 10n ** 12n;
/** 1.0 in U64F64 bits. */
export const ONE = 1n << 64n;
const id = (byte: number) => `0x${byte.toString(16).padStart(2, '0').repeat(32)}`;

/** The actors of the computing chain. */
export const actors = {
  w1: id(0xa1),
  w2: id(0xa2),
  s1: id(0xb1),
  s2: id(0xb2),
  owner: id(0x01),
  staker: id(0x02),
  operator: id(0x03),
  poolAccount: id(0x0a),
};
const { w1, w2, s1, s2, owner, staker, operator, poolAccount } = actors;
const R = 'PhalaRegistry';
const C = 'PhalaComputation';
const SP = 'PhalaStakePoolv2';
const BP = 'PhalaBasePool';
const W = 'PhalaWrappedBalances';

const info = (pubkey: string, confidenceLevel: number, initialScore: number | undefined) => ({
  pubkey,
  ecdhPubkey: pubkey,
  runtimeVersion: 1,
  lastUpdated: 1_700_000_000n,
  operator,
  attestationProvider: 'Root',
  confidenceLevel,
  initialScore,
  features: [1, 4],
});
const register = (pubkey: string, confidenceLevel: number, addedAt: number): EventRecord[] => [
  ev(R, 'WorkerInfoStored', { info: info(pubkey, confidenceLevel, undefined), addedAt }),
  ev(R, 'WorkerAdded', { pubkey, attestationProvider: 'Root', confidenceLevel }),
];
const wphaMove = (from: string, to: string, amount: bigint) => ev(W, 'Transferred', { from, to, amount });
const settle = (session: string, vBits: bigint, payoutBits: bigint) => ev(C, 'SessionSettled', { session, vBits, payoutBits });
const heartbeat = (session: string, pInstant: number) => ev(C, 'SessionBenchmarkRecorded', { session, iterations: 1000n, challengeTimeLast: 1_700_000_100n, pInstant });
const start = (pid: bigint, worker: string, session: string, stake: bigint, initV: bigint, initP: number) => [
  ev(C, 'StakeRecorded', { session, stake }),
  wphaMove(poolAccount, id(0x0b), stake),
  ev(SP, 'WorkingStarted', { pid, worker, amount: stake }),
  ev(C, 'WorkerStarted', { session, initV, initP }),
];

/** The events of blocks 0..12 of the computing chain, one list per block. */
export function computingChainEvents(): EventRecord[][] {
  return [
    [],
    [...register(w1, 1, 1), ...register(w2, 5, 1), ev(R, 'InitialScoreSet', { pubkey: w1, initScore: 2000 })],
    [ev(SP, 'PoolCreated', { owner, pid: 0n, cid: 10000, poolAccountId: poolAccount }), ev(SP, 'PoolCommissionSet', { pid: 0n, commission: 100_000 }), ev(SP, 'PoolCapacitySet', { pid: 0n, cap: 100_000n * PHA })],
    [
      ev(BP, 'SharesMinted', { pid: 0n, user: staker, shares: 30_000n * PHA, value: 30_000n * PHA }),
      wphaMove(staker, poolAccount, 30_000n * PHA),
      ev(SP, 'Contribution', { pid: 0n, user: staker, amount: 30_000n * PHA, shares: 30_000n * PHA, asVault: undefined }),
    ],
    [
      ev(SP, 'PoolWorkerAdded', { pid: 0n, worker: w1, session: s1 }),
      ev(C, 'SessionBound', { session: s1, worker: w1 }),
      ev(SP, 'PoolWorkerAdded', { pid: 0n, worker: w2, session: s2 }),
      ev(C, 'SessionBound', { session: s2, worker: w2 }),
    ],
    [...start(0n, w1, s1, 10_000n * PHA, 3000n * ONE, 500), ...start(0n, w2, s2, 5_000n * PHA, 2000n * ONE, 400)],
    [heartbeat(s1, 520), ev(C, 'BenchmarkUpdated', { session: s1, pInstant: 520 })],
    [
      settle(s1, 2999n * ONE, 2n * ONE),
      ev(BP, 'RewardDistributed', { pid: 0n, amount: 1_800_000_000_000n }),
      ev(SP, 'RewardReceived', { pid: 0n, toOwner: 200_000_000_000n, toStakers: 1_800_000_000_000n }),
      ev(C, 'WorkerEnterUnresponsive', { session: s2 }),
    ],
    [ev(C, 'WorkerExitUnresponsive', { session: s2 }), heartbeat(s2, 410)],
    [settle(s2, 1990n * ONE, ONE / 2n), ev(C, 'WorkerStopped', { session: s2 }), ev(SP, 'PoolWorkerCoolingDown', { pid: 0n, worker: w2 })],
    [
      ev(BP, 'SharesQueued', { pid: 0n, user: staker, shares: 1_000n * PHA, startTime: 1_700_000_120n }),
      ev(BP, 'WithdrawalQueued', { pid: 0n, user: staker, shares: 1_000n * PHA, asVault: undefined }),
    ],
    [
      ev(C, 'WorkerReclaimed', { session: s2, originalStake: 5_000n * PHA, slashed: 100n * PHA }),
      wphaMove(id(0x0b), poolAccount, 4_900n * PHA),
      ev(SP, 'WorkerReclaimed', { pid: 0n, worker: w2 }),
      ev(BP, 'SharesRedeemed', { pid: 0n, user: staker, shares: 400n * PHA, amount: 400n * PHA }),
      wphaMove(poolAccount, staker, 400n * PHA),
    ],
    [ev(SP, 'PoolWorkerRemoved', { pid: 0n, worker: w2 }), ev(C, 'SessionUnbound', { session: s2, worker: w2 })],
  ];
}

/** The blocks 0..12 of the computing chain, decoded. */
export const computingChain = (): DecodedBlock[] => syntheticChain(computingChainEvents());
