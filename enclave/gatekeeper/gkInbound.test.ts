import { GatekeeperEventScale } from '../../domain/codec/gatekeeperEvents.codec';
import type { Message } from '../../domain/codec/mq.codec';
import { topics } from '../../domain/codec/topics';
import { defaultTokenomicParameters } from '../../domain/economics';
import { createGkEgress } from './gkEgress';
import { decodeGkInbound, economicsMessageOf } from '../../domain/economics/chainMessages';
import { heartbeat, workerEvent } from './gkTestKit';

const w = new Uint8Array(32).fill(0xab);
const economics = (m: Message) => {
  const inbound = decodeGkInbound(m);
  return inbound && economicsMessageOf(inbound);
};

describe('what the GK takes from chain messages', () => {
  it('maps worker events, and ignores BenchStart', () => {
    expect(economics(workerEvent(w, { tag: 'BenchScore', value: 42 }))).toEqual({ type: 'BenchScore', pubkey: `0x${'ab'.repeat(32)}`, score: 42 });
    expect(economics(workerEvent(w, { tag: 'BenchStart', value: { duration: 1 } }))).toBeUndefined();
  });

  it('takes heartbeats only from the worker origin; V2 carries n_clusters', () => {
    const value = { sessionId: 3, challengeBlock: 9, challengeTime: 108_000n, iterations: 7n };
    expect(economics(heartbeat(w, { tag: 'Heartbeat', value }))).toEqual({ type: 'Heartbeat', pubkey: `0x${'ab'.repeat(32)}`, sessionId: 3, challengeBlock: 9, challengeTimeMs: 108_000, iterations: 7n });
    expect(economics(heartbeat(w, { tag: 'HeartbeatV2', value: { ...value, nClusters: 2, nContracts: 5 } }))).toMatchObject({ nClusters: 2 });
    const forged = { ...heartbeat(w, { tag: 'Heartbeat', value }), sender: { tag: 'Pallet' as const, value: new Uint8Array(1) } };
    expect(economics(forged)).toBeUndefined();
  });

  it('takes parameter changes only from a pallet, and drops undecodable payloads', () => {
    const payload = GatekeeperEventScale.encode({ tag: 'TokenomicParametersChanged', value: defaultTokenomicParameters });
    const fromPallet: Message = { sender: { tag: 'Pallet', value: new Uint8Array(1) }, destination: new TextEncoder().encode(topics.gatekeeperEvent), payload };
    expect(economics(fromPallet)).toEqual({ type: 'TokenomicParametersChanged', params: defaultTokenomicParameters });
    expect(economics({ ...fromPallet, sender: { tag: 'Gatekeeper', value: undefined } })).toBeUndefined();
    expect(decodeGkInbound({ ...fromPallet, payload: Uint8Array.of(9, 9) })).toBeUndefined();
  });
});

describe('GK egress channel', () => {
  it('dummy mode advances the sequence without signing or keeping anything', () => {
    const signed: bigint[] = [];
    const egress = createGkEgress((_, seq) => {
      signed.push(seq);
      return new Uint8Array(64);
    });
    egress.push(topics.gatekeeperEvent, Uint8Array.of(1));
    egress.setDummy(false);
    egress.push(topics.gatekeeperEvent, Uint8Array.of(2));
    egress.setDummy(true);
    egress.push(topics.gatekeeperEvent, Uint8Array.of(3));
    expect(egress.drain().map((e) => [e.sequence, e.message.payload[0]])).toEqual([[1n, 2]]);
    expect(signed).toEqual([1n]);
    expect(egress.nextSequence()).toBe(3n);
    expect(egress.drain()).toEqual([]);
  });
});
