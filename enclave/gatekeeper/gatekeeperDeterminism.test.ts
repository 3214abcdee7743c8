import { MessageScale } from '../../domain/codec/mq.codec';
import { seededRandom } from '../../simulations/seededRandom';
import { secretsForLeakScan } from '../testing/secretsForLeakScan';
import { type GkNode, change, clusterEvent, createMiniChain, createNode, identityOf, launch, restartNode } from './gkTestKit';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** Launch, a second GK that joins and replays, a cluster, a rotation: every byte the GKs emitted. */
function run(seed: string) {
  const r = seededRandom(0, seed);
  const chain = createMiniChain();
  const g1 = createNode('g1', r.fork('g1'));
  const g2 = createNode('g2', r.fork('g2'));
  const all = [g1, g2];
  const emitted: Uint8Array[] = [];
  const collect = (nodes: GkNode[], n: number) => {
    for (const node of nodes) {
      const out = node.outputs.get(n);
      for (const e of out?.gatekeeperEgress ?? []) emitted.push(MessageScale.encode(e.message), e.signature);
      for (const m of out?.workerEgress ?? []) emitted.push(MessageScale.encode(m));
      if (out?.sealedMasterKeys !== undefined) emitted.push(out.sealedMasterKeys);
    }
  };
  const step = (nodes: GkNode[], messages: Parameters<typeof chain.step>[1] = []) => collect(nodes, chain.step(nodes, messages).number);
  step(all, [launch({ tag: 'FirstGatekeeper', value: identityOf(g1.vault) })]);
  for (let i = 0; i < 3; i++) step(all);
  step(all, [change({ tag: 'Registered', value: identityOf(g2.vault) })]);
  step(all);
  restartNode(g2, r.fork('g2-restart'));
  chain.replay(g2);
  const workers = [createNode('w', r.fork('w')).vault];
  const deploy = { owner: new Uint8Array(32), cluster: new Uint8Array(32).fill(1), workers: workers.map(identityOf), deposit: 0n, gasPrice: 0n, depositPerItem: 0n, depositPerByte: 0n, treasuryAccount: new Uint8Array(32) };
  step(all, [clusterEvent({ tag: 'DeployCluster', value: deploy })]);
  step(all, [launch({ tag: 'RotateMasterKey', value: { rotationId: 1n, gkIdentities: all.map((g) => identityOf(g.vault)) } })]);
  for (let i = 0; i < 6; i++) step(all);
  return { emitted, g1, g2, ledger: chain.blocks.map((b) => b.messages.map((m) => hex(MessageScale.encode(m))).join()).join('|') };
}

describe('gatekeeper determinism and secrecy', () => {
  const a = run('det');
  const b = run('det');
  const c = run('det-other');

  it('the same seed gives the same bytes (payloads and signatures) and the same relayed chain', () => {
    expect(a.emitted.map(hex)).toEqual(b.emitted.map(hex));
    expect(a.ledger).toBe(b.ledger);
    expect(a.emitted.length).toBeGreaterThan(20);
  });

  it('another seed gives other keys and signatures', () => {
    expect(c.ledger).not.toBe(a.ledger);
  });

  it('no emitted byte string contains any secret either GK ever held', () => {
    const haystack = Buffer.concat(a.emitted).toString('hex');
    const secrets = [a.g1.vault, a.g2.vault, a.g1.platform, a.g2.platform].flatMap((o) => secretsForLeakScan(o));
    expect(secrets.map((s) => s.label)).toEqual(expect.arrayContaining(['master key 0', 'master key 1', 'rotation candidate', 'cluster key']));
    for (const s of secrets) for (const f of s.forms) expect(haystack.includes(hex(f.bytes))).toBe(false);
  });
});
