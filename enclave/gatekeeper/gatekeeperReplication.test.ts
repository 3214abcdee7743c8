import { KeyDistributionScale } from '../../domain/codec/gatekeeperEvents.codec';
import { MessageScale, SignedContentType, wrapContentToSign } from '../../domain/codec/mq.codec';
import { batchRotateSigningBytes } from '../../domain/codec/gatekeeperEvents.codec';
import { GatekeeperRegistryEventScale } from '../../domain/codec/systemEvents.codec';
import { topics } from '../../domain/codec/topics';
import { workerPubkeyHash } from '../../domain/economics';
import type { Message } from '../../domain/codec/mq.codec';
import { seededRandom } from '../../simulations/seededRandom';
import type { GkEgressEntry } from './gkEgress';
import { type GkNode, type MiniChain, change, createMiniChain, createNode, heartbeat, identityOf, launch, restartNode, system, workerEvent } from './gkTestKit';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const topicOf = (e: GkEgressEntry) => new TextDecoder().decode(e.message.destination);
const ONE = 1n << 64n;
const W = new Uint8Array(32).fill(0x31);
const wHex = `0x${hex(W)}`;

/** What must be identical across GKs: sequence and message bytes (signatures are randomised). */
const payloads = (node: GkNode, block: number) =>
  (node.outputs.get(block)?.gatekeeperEgress ?? []).map((e) => `${e.sequence}:${hex(MessageScale.encode(e.message))}`);
const history = (node: GkNode) => node.vault.masterKeyHistory().map((k) => `${k.rotationId}@${k.blockHeight}:${hex(k.publicKey)}`);

/** Per-block workload: a worker that starts, is challenged every 4 blocks and answers only some. */
function workload(n: number): Message[] {
  const out: Message[] = [];
  if (n === 3) {
    out.push(workerEvent(W, { tag: 'Registered', value: { confidenceLevel: 1 } }));
    out.push(workerEvent(W, { tag: 'Started', value: { sessionId: 1, initV: 1000n * ONE, initP: 100 } }));
  }
  if (n % 4 === 0) out.push(system({ tag: 'HeartbeatChallenge', value: { seed: workerPubkeyHash(wHex), onlineTarget: 0n } }));
  // answers the challenges of blocks 4, 8 and 12 two blocks later, then falls silent (offline at 16 + 11)
  if (n % 4 === 2 && n > 4 && n < 16) {
    const challengeBlock = n - 2;
    out.push(heartbeat(W, { tag: 'HeartbeatV2', value: { sessionId: 1, challengeBlock, challengeTime: BigInt(challengeBlock * 12_000), iterations: BigInt(n * 100), nClusters: 0, nContracts: 0 } }));
  }
  return out;
}

function stepTo(chain: MiniChain, nodes: GkNode[], last: number, extra: Record<number, Message[]> = {}) {
  while (chain.blocks.length < last) {
    const n = chain.blocks.length + 1;
    chain.step(nodes, [...(extra[n] ?? []), ...workload(n)]);
  }
}

/**
 * Registers `node` as a GK at the next block (`others` keep syncing), delivers its key, restarts
 * it and replays it from genesis.
 */
function join(chain: MiniChain, others: GkNode[], node: GkNode, seed: string) {
  const registeredAt = chain.blocks.length + 1;
  chain.step([...others, node], [change({ tag: 'Registered', value: identityOf(node.vault) }), ...workload(registeredAt)]);
  chain.step([...others, node], workload(registeredAt + 1));
  expect(node.outputs.get(registeredAt + 1)?.restartRequired).toBe(true);
  expect(() => node.runtime.processBlock({ number: registeredAt + 2, timestampMs: 0, messages: [] })).toThrow('must restart');
  restartNode(node, seededRandom(0, seed).fork('restarted'));
  chain.replay(node);
  return registeredAt;
}

describe('gatekeepers replicate each other', () => {
  const r = seededRandom(0, 'replication');
  const chain = createMiniChain();
  const g1 = createNode('g1', r.fork('g1'));
  const g2 = createNode('g2', r.fork('g2'));
  const g3 = createNode('g3', r.fork('g3'), g1.signing);
  let g2RegisteredAt = 0;
  let g3RegisteredAt = 0;

  beforeAll(() => {
    stepTo(chain, [g1, g2, g3], 6, { 1: [launch({ tag: 'FirstGatekeeper', value: identityOf(g1.vault) })] });
    g2RegisteredAt = join(chain, [g1, g3], g2, 'g2');
    stepTo(chain, [g1, g2, g3], 12);
    g3RegisteredAt = join(chain, [g1, g2], g3, 'g3');
    stepTo(chain, [g1, g2, g3], 30);
  });

  it('a GK that joins later replays from genesis silently until its own Registered', () => {
    for (let n = 1; n < g2RegisteredAt; n++) expect(g2.outputs.get(n)?.gatekeeperEgress).toEqual([]);
    expect(g2.runtime.status()).toMatchObject({ onChain: true, registered: true });
    const emitting = [...g2.outputs.entries()].filter(([, o]) => o.gatekeeperEgress.length > 0).map(([n]) => n);
    expect(emitting.length).toBeGreaterThan(0);
    expect(Math.min(...emitting)).toBeGreaterThanOrEqual(g2RegisteredAt);
  });

  it('dummy mode keeps sequences aligned: every GK has the same next sequence as the chain expects', () => {
    const next = [g1, g2, g3].map((g) => g.runtime.status()!.nextSequence);
    expect(new Set(next).size).toBe(1);
    expect(next[0]! > chain.nextGkSequence()).toBe(true); // the last block's egress is not relayed yet
  });

  it('two and three GKs emit byte-identical payloads with identical sequences', () => {
    let compared = 0;
    // in its Registered block a joining GK's share to itself is pushed while still dummy
    expect(payloads(g2, g2RegisteredAt)).toEqual(payloads(g1, g2RegisteredAt).slice(1));
    expect(payloads(g3, g3RegisteredAt)).toEqual(payloads(g1, g3RegisteredAt).slice(1));
    for (let n = g2RegisteredAt + 1; n <= 30; n++) {
      expect(payloads(g2, n)).toEqual(payloads(g1, n));
      if (n > g3RegisteredAt) expect(payloads(g3, n)).toEqual(payloads(g1, n));
      compared += payloads(g1, n).length;
    }
    expect(compared).toBeGreaterThanOrEqual(8);
  });

  it('the workload produced distributions, reports (settle and offline) and beacons', () => {
    const all = [...g1.outputs.values()].flatMap((o) => o.gatekeeperEgress);
    const kinds = new Set(all.map(topicOf));
    expect([...kinds].sort()).toEqual([topics.gatekeeperEvent, topics.gatekeeperKey, topics.workingInfoUpdate].sort());
    expect(g1.runtime.economics()!.worker(wHex)!.unresponsive).toBe(true); // missed the challenge of block 16
  });

  it('signatures differ between GKs with different Randoms and match with the same one', () => {
    const [a] = g1.outputs.get(30)!.gatekeeperEgress;
    const [b] = g2.outputs.get(30)!.gatekeeperEgress;
    const [c] = g3.outputs.get(30)!.gatekeeperEgress;
    expect(hex(a!.signature)).not.toBe(hex(b!.signature));
    expect(hex(c!.signature)).toBe(hex(a!.signature));
  });

  it('late GKs end with the same master key history and the same economics state as the first', () => {
    expect(history(g2)).toEqual(history(g1));
    expect(history(g3)).toEqual(history(g1));
    const view = g1.runtime.economics()!.worker(wHex);
    expect(g2.runtime.economics()!.worker(wHex)).toEqual(view);
    expect(g3.runtime.economics()!.worker(wHex)).toEqual(view);
    expect(hex(g2.runtime.status()!.lastRandomNumber)).toBe(hex(g1.runtime.status()!.lastRandomNumber));
  });

  it('both active GKs share the key to the third with identical ciphertexts (deterministic IVs)', () => {
    const dist = (g: GkNode) => g.outputs.get(g3RegisteredAt)!.gatekeeperEgress.filter((e) => topicOf(e) === topics.gatekeeperKey);
    expect(dist(g1)).toHaveLength(1);
    expect(hex(dist(g2)[0]!.message.payload)).toBe(hex(dist(g1)[0]!.message.payload));
  });
});

describe('master key rotation', () => {
  const r = seededRandom(0, 'rotation');
  const chain = createMiniChain();
  const [g1, g2, g3] = ['g1', 'g2', 'g3'].map((n) => createNode(n, r.fork(n))) as [GkNode, GkNode, GkNode];
  const ROTATE_AT = 20; // a beacon block: its beacon (old key) is checked after the switch

  beforeAll(() => {
    stepTo(chain, [g1, g2, g3], 4, { 1: [launch({ tag: 'FirstGatekeeper', value: identityOf(g1.vault) })] });
    join(chain, [g1, g3], g2, 'g2');
    join(chain, [g1, g2], g3, 'g3');
    stepTo(chain, [g1, g2, g3], ROTATE_AT - 2);
    chain.step([g1, g2, g3], [change({ tag: 'Unregistered', value: { pubkey: g3.vault.identityPublicKey } })]);
    const request = { rotationId: 1n, gkIdentities: [g1, g2].map((g) => identityOf(g.vault)) };
    stepTo(chain, [g1, g2, g3], ROTATE_AT, { [ROTATE_AT]: [launch({ tag: 'RotateMasterKey', value: request })] });
    sequencesAtRotation = [g1, g2, g3].map((g) => g.runtime.status()?.nextSequence);
    stepTo(chain, [g1, g2, g3], 30);
  });
  let sequencesAtRotation: Array<bigint | undefined> = [];

  it('an unregistered GK syncs silently, keeping its sequence', () => {
    expect(g3.outputs.get(ROTATE_AT - 1)!.gatekeeperEgress).toEqual([]);
    expect(g3.outputs.get(ROTATE_AT)!.gatekeeperEgress).toEqual([]);
    expect(g3.outputs.get(ROTATE_AT - 5)!.gatekeeperEgress.length).toBeGreaterThan(0); // a beacon block, still registered
    expect(sequencesAtRotation[0]).toBeDefined();
    expect(sequencesAtRotation).toEqual([sequencesAtRotation[0], sequencesAtRotation[0], sequencesAtRotation[0]]);
  });

  it('each GK proposes its own key under the same sequence, signed by its identity', () => {
    const proposal = (g: GkNode) => g.outputs.get(ROTATE_AT)!.gatekeeperEgress.find((e) => topicOf(e) === topics.gatekeeperKey)!;
    const [p1, p2] = [proposal(g1), proposal(g2)];
    expect(p1.sequence).toBe(p2.sequence);
    expect(hex(p1.message.payload)).not.toBe(hex(p2.message.payload));
    const decoded = KeyDistributionScale.decode(p1.message.payload);
    if (decoded.tag !== 'MasterKeyRotation') throw new Error('expected MasterKeyRotation');
    expect(decoded.value.rotationId).toBe(1n);
    expect(hex(decoded.value.sender)).toBe(hex(g1.vault.identityPublicKey));
    expect(decoded.value.secretKeys.map(([pk]) => hex(pk)).sort()).toEqual([g1, g2].map((g) => hex(g.vault.identityPublicKey)).sort());
  });

  it('every GK appends the winning key at the block it saw it and announces it under the old key', () => {
    expect(history(g2)).toEqual(history(g1));
    const rotated = g1.vault.masterKeyHistory()[1]!;
    expect([rotated.rotationId, rotated.blockHeight]).toEqual([1n, ROTATE_AT + 1]);
    const announce = (g: GkNode) => g.outputs.get(ROTATE_AT + 1)!.gatekeeperEgress.find((e) => topicOf(e) === topics.registryGatekeeperEvent)!;
    expect(hex(announce(g2).message.payload)).toBe(hex(announce(g1).message.payload));
    const event = GatekeeperRegistryEventScale.decode(announce(g1).message.payload);
    expect(event.value.rotationId).toBe(1n); // K5: the id is the request's; a chain lock on another id refuses it
    expect(hex(event.value.masterPubkey)).toBe(hex(rotated.publicKey));
    expect(hex(chain.masterPubkey()!)).toBe(hex(rotated.publicKey));
    expect(hex(g1.vault.activeMasterKey().publicKey)).toBe(hex(rotated.publicKey));
  });

  it('after the switch GKs keep agreeing, and beacons of both keys verify (no poisoned state)', () => {
    for (let n = ROTATE_AT + 1; n <= 30; n++) expect(payloads(g2, n)).toEqual(payloads(g1, n));
    const relayedBeacons = chain.blocks.slice(ROTATE_AT).flatMap((b) => b.messages).filter((m) => new TextDecoder().decode(m.destination) === topics.gatekeeperEvent);
    expect(relayedBeacons.length).toBeGreaterThanOrEqual(2);
  });

  it('the unregistered GK, absent from the rotation, drops its role', () => {
    expect(g3.runtime.isGatekeeper()).toBe(false);
    expect(g2.runtime.isGatekeeper()).toBe(true);
  });

  it('a GK that joins after the rotation receives the history, replays through the rotation and agrees', () => {
    const g4 = createNode('g4', r.fork('g4'));
    const at = join(chain, [g1, g2], g4, 'g4');
    const dist = g1.outputs.get(at)!.gatekeeperEgress.find((e) => topicOf(e) === topics.gatekeeperKey)!;
    expect(KeyDistributionScale.decode(dist.message.payload).tag).toBe('MasterKeyHistory');
    stepTo(chain, [g1, g2, g4], 40);
    expect(history(g4)).toEqual(history(g1));
    // in its Registered block the share to itself is pushed while still dummy (share, then register)
    expect(payloads(g4, at)).toEqual(payloads(g1, at).slice(1));
    for (let n = at + 1; n <= 40; n++) expect(payloads(g4, n)).toEqual(payloads(g1, n));
    expect(g4.runtime.economics()!.worker(wHex)).toEqual(g1.runtime.economics()!.worker(wHex));
  });
});

describe('forged rotations', () => {
  const r = seededRandom(0, 'forged');
  const chain = createMiniChain();
  const g1 = createNode('g1', r.fork('g1'));
  const outsider = createNode('x', r.fork('x'));
  let batch: Extract<ReturnType<typeof KeyDistributionScale.decode>, { tag: 'MasterKeyRotation' }>['value'];

  beforeAll(() => {
    chain.step([g1], [launch({ tag: 'FirstGatekeeper', value: identityOf(g1.vault) })]);
    chain.step([g1]);
    chain.step([g1], [launch({ tag: 'RotateMasterKey', value: { rotationId: 1n, gkIdentities: [identityOf(g1.vault)] } })]);
    const [e] = g1.outputs.get(3)!.gatekeeperEgress;
    const decoded = KeyDistributionScale.decode(e!.message.payload);
    if (decoded.tag !== 'MasterKeyRotation') throw new Error('expected MasterKeyRotation');
    batch = decoded.value;
  });

  const deliver = (value: typeof batch) => {
    const message = { sender: { tag: 'Gatekeeper' as const, value: undefined }, destination: new TextEncoder().encode(topics.gatekeeperKey), payload: KeyDistributionScale.encode({ tag: 'MasterKeyRotation', value }) };
    const n = chain.blocks.length + 1;
    chain.blocks.push({ number: n, timestampMs: n * 12_000, messages: [] });
    return g1.runtime.processBlock({ number: n, timestampMs: n * 12_000, messages: [message] });
  };

  it('refuses a rotation signed by a valid identity that is not a gatekeeper (MasterKeyLeakage)', () => {
    const unsigned = { ...batch, sender: outsider.vault.identityPublicKey };
    const sig = outsider.vault.sign({ kind: 'identity' }, wrapContentToSign(batchRotateSigningBytes(unsigned), SignedContentType.MasterKeyRotation));
    const out = deliver({ ...unsigned, sig });
    expect(out.rejected.map((x) => x.reason)).toEqual(['MasterKeyLeakage']);
    expect(g1.vault.masterKeyHistory()).toHaveLength(1);
  });

  it('refuses a rotation whose signature does not match its sender', () => {
    const sig = Uint8Array.from(batch.sig);
    sig[0] = (sig[0] ?? 0) ^ 1;
    expect(deliver({ ...batch, sig }).rejected.map((x) => x.reason)).toEqual(['BadSenderSignature']);
  });

  it('throws on a rotation id that does not follow the history', () => {
    const unsigned = { ...batch, rotationId: 2n };
    const sig = g1.vault.sign({ kind: 'identity' }, wrapContentToSign(batchRotateSigningBytes(unsigned), SignedContentType.MasterKeyRotation));
    expect(() => deliver({ ...unsigned, sig })).toThrow('history corrupted');
  });
});
