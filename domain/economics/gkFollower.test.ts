/** The gatekeepers' economics as an observer re-derives it from chain messages: when it starts, what it feeds, when it stops. */
import { heartbeat, launch, system, workerEvent } from '../../enclave/gatekeeper/gkTestKit';
import type { Message } from '../codec/mq.codec';
import { createGkFollower } from './gkFollower';
import { createEconomics, defaultTokenomicParameters, type Economics, type EconomicsBlock, gkTestTokenomicParameters, type TokenomicParameters } from './index';

const w = new Uint8Array(32).fill(0xab);
const gk = { pubkey: new Uint8Array(32).fill(1), ecdhPubkey: new Uint8Array(32).fill(1) };
const first = launch({ tag: 'FirstGatekeeper', value: gk });
const onChain = launch({ tag: 'MasterPubkeyOnChain', value: { masterPubkey: new Uint8Array(32).fill(2) } });
const registered = workerEvent(w, { tag: 'Registered', value: { confidenceLevel: 1 } });
const started = workerEvent(w, { tag: 'Started', value: { sessionId: 1, initV: 3000n << 64n, initP: 100 } });
const challenge = system({ tag: 'HeartbeatChallenge', value: { seed: (1n << 256n) - 1n, onlineTarget: (1n << 256n) - 1n } });
const block = (number: number, ...messages: Message[]) => ({ number, timestampMs: 1_000_000 + number * 12_000, messages });

/** An engine that records what it is created with and fed. */
function spyEngine() {
  const created: TokenomicParameters[] = [];
  const fed: EconomicsBlock[] = [];
  const make = (p: TokenomicParameters): Economics => {
    created.push(p);
    const real = createEconomics(p);
    const processBlock = (b: EconomicsBlock) => {
      fed.push(b);
      return real.processBlock(b);
    };
    return { processBlock, worker: (k) => real.worker(k) };
  };
  return { created, fed, make };
}

test('nothing happens before FirstGatekeeper; the engine starts with the parameters stored at that block', () => {
  const spy = spyEngine();
  const f = createGkFollower(spy.make);
  expect(f.processBlock(block(1, registered), () => defaultTokenomicParameters)).toEqual({ fed: [], report: undefined });
  expect(f.status()).toEqual({ status: 'waiting' });
  const stored = { ...defaultTokenomicParameters, budgetPerBlock: 7n << 64n };
  // the message before the launch is lost, the one after is fed (once the pubkey is on chain)
  expect(f.processBlock(block(2, started, first, registered), () => stored).fed).toEqual([]);
  expect(spy.created).toEqual([stored]);
  expect(f.status()).toEqual({ status: 'launched', atBlock: 2 });
  expect(spy.fed).toEqual([]);
});

test('until the master pubkey is on chain the blocks are dropped; then every block runs', () => {
  const spy = spyEngine();
  const f = createGkFollower(spy.make);
  f.processBlock(block(1, first, registered), () => undefined);
  expect(spy.created).toEqual([gkTestTokenomicParameters]);
  const out = f.processBlock(block(2, onChain, started), () => undefined);
  expect(f.status()).toEqual({ status: 'onChain', atBlock: 2 });
  expect(out.fed.map((m) => m.type)).toEqual(['WorkerStarted']);
  // block 1's registration was dropped with its block: the engine never heard of the worker
  expect(f.economics()!.worker(`0x${'ab'.repeat(32)}`)).toBeUndefined();
  f.processBlock(block(3, registered, started), () => undefined);
  expect(spy.fed.map((b) => b.number)).toEqual([2, 3]);
  const view = f.economics()!.worker(`0x${'ab'.repeat(32)}`)!;
  expect(view.working).toBe(true);
  expect(view.v).toBeGreaterThan(3000n << 64n); // started at 3000, then one idle step
});

test('an engine panic stops the follower: later blocks derive nothing', () => {
  const f = createGkFollower(createEconomics);
  f.processBlock(block(1, first, onChain, registered, started), () => undefined);
  // a heartbeat for a challenge the GK never sent: "GK or Worker state poisoned"
  const bad = heartbeat(w, { tag: 'Heartbeat', value: { sessionId: 1, challengeBlock: 99, challengeTime: 5n, iterations: 1n } });
  expect(f.processBlock(block(2, bad), () => undefined).report).toBeUndefined();
  expect(f.status()).toMatchObject({ status: 'failed', atBlock: 2 });
  expect(f.economics()).toBeUndefined();
  expect(f.processBlock(block(3, challenge), () => undefined)).toEqual({ fed: [], report: undefined });
});
