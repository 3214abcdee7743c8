// Cost of the gatekeeper role per block (issue 5 item 3): an active GK (signs its egress) and a
// silent one replaying the same blocks (dummy egress), over N computing workers with ~20
// challenge hits per block answered two blocks later. Run: npm run -s bench gatekeeper
import { GatekeeperLaunchScale } from '../domain/codec/gatekeeperEvents.codec';
import type { Message } from '../domain/codec/mq.codec';
import { SystemEventScale, WorkingReportEventScale } from '../domain/codec/systemEvents.codec';
import { topics } from '../domain/codec/topics';
import { U256_MAX, challengeHit, workerPubkeyHash } from '../domain/economics';
import { createGatekeeperRuntime, type GkBlock } from '../enclave/gatekeeper/gatekeeperRuntime';
import { createAttestationVendor } from '../enclave/platform/attestationVendor';
import { measurementOf } from '../enclave/platform/measurement';
import { createSimulatedPlatform } from '../enclave/platform/platform';
import { createKeyVault } from '../enclave/vault/keyVault';
import { seededRandom } from '../simulations/seededRandom';

const WORKERS = Number(process.env.BENCH_WORKERS ?? 2000);
const BLOCKS = Number(process.env.BENCH_BLOCKS ?? 200);
const utf8 = new TextEncoder();
const pallet = { tag: 'Pallet' as const, value: utf8.encode('bench') };
const msg = (sender: Message['sender'], topic: string, payload: Uint8Array): Message => ({ sender, destination: utf8.encode(topic), payload });
const hex = (b: Uint8Array) => `0x${Buffer.from(b).toString('hex')}`;

function node(label: string) {
  const r = seededRandom(0, 'gk-bench').fork(label);
  const platform = createSimulatedPlatform(createAttestationVendor(r.fork('vendor')), r.fork('platform'));
  const vault = createKeyVault(r.fork('vault'));
  const m = measurementOf('pruntime', 'bench');
  return { vault, runtime: createGatekeeperRuntime({ vault, random: r.fork('signing'), platform, measurement: m }) };
}

function blocks(gkIdentity: Uint8Array, masterPubkey: Uint8Array): GkBlock[] {
  const r = seededRandom(0, 'gk-bench-load');
  const workers = Array.from({ length: WORKERS }, () => r.bytes(32));
  const hashes = workers.map((w) => workerPubkeyHash(hex(w)));
  const target = (U256_MAX / BigInt(WORKERS)) * 20n;
  const out: GkBlock[] = [];
  const owed = new Map<number, Uint8Array[]>();
  for (let n = 1; n <= BLOCKS; n++) {
    const messages: Message[] = [];
    if (n === 1) messages.push(msg(pallet, topics.gatekeeperLaunch, GatekeeperLaunchScale.encode({ tag: 'FirstGatekeeper', value: { pubkey: gkIdentity, ecdhPubkey: gkIdentity } })));
    if (n === 2) messages.push(msg(pallet, topics.gatekeeperLaunch, GatekeeperLaunchScale.encode({ tag: 'MasterPubkeyOnChain', value: { masterPubkey } })));
    if (n === 3) {
      for (const pubkey of workers) {
        messages.push(msg(pallet, topics.systemEvent, SystemEventScale.encode({ tag: 'WorkerEvent', value: { pubkey, event: { tag: 'Registered', value: { confidenceLevel: 1 } } } })));
        messages.push(msg(pallet, topics.systemEvent, SystemEventScale.encode({ tag: 'WorkerEvent', value: { pubkey, event: { tag: 'Started', value: { sessionId: 1, initV: 1000n << 64n, initP: 100 } } } })));
      }
    }
    for (const w of owed.get(n - 2) ?? []) {
      const value = { sessionId: 1, challengeBlock: n - 2, challengeTime: BigInt((n - 2) * 12_000), iterations: BigInt(n * 1000), nClusters: 0, nContracts: 0 };
      messages.push(msg({ tag: 'Worker', value: w }, topics.workingReport, WorkingReportEventScale.encode({ tag: 'HeartbeatV2', value })));
    }
    if (n > 3) {
      const seed = BigInt(hex(r.bytes(32)));
      messages.push(msg(pallet, topics.systemEvent, SystemEventScale.encode({ tag: 'HeartbeatChallenge', value: { seed, onlineTarget: target } })));
      owed.set(n, workers.filter((_, i) => challengeHit(hashes[i]!, seed, target)));
    }
    out.push({ number: n, timestampMs: n * 12_000, messages });
  }
  return out;
}

function main(): void {
  const active = node('active');
  const silent = node('silent');
  const first = msg(pallet, topics.gatekeeperLaunch, GatekeeperLaunchScale.encode({ tag: 'FirstGatekeeper', value: { pubkey: active.vault.identityPublicKey, ecdhPubkey: active.vault.identityPublicKey } }));
  const block1: GkBlock = { number: 1, timestampMs: 12_000, messages: [first] };
  active.runtime.processBlock(block1);
  const [shared] = active.vault.shareMasterKeyHistory(silent.vault.identityPublicKey, 0, 0n);
  silent.vault.acceptMasterKey(shared!.key, 0n, 0);
  silent.runtime.processBlock(block1);
  const chain = blocks(active.vault.identityPublicKey, active.vault.masterKeyHistory()[0]!.publicKey).slice(1);
  const time = (rt: typeof active.runtime) => {
    let egress = 0;
    const start = performance.now();
    for (const b of chain) egress += rt.processBlock(b).gatekeeperEgress.length;
    return { ms: performance.now() - start, egress };
  };
  const a = time(active.runtime);
  const s = time(silent.runtime);
  const perBlock = (ms: number) => (ms / chain.length).toFixed(2);
  console.log(`workers ${WORKERS}, blocks ${chain.length} (block 3 carries ${2 * WORKERS} registration messages)`);
  console.log(`active GK: ${a.ms.toFixed(0)} ms total, ${perBlock(a.ms)} ms/block, ${a.egress} signed egress messages`);
  console.log(`silent GK: ${s.ms.toFixed(0)} ms total, ${perBlock(s.ms)} ms/block, ${s.egress} egress messages (dummy)`);
  const seq = [active, silent].map((n) => n.runtime.status()?.nextSequence);
  console.log(`next sequence active/silent: ${seq.join('/')}`);
}

main();
