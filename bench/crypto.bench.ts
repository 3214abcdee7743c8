// Signs/s and verifies/s of every sr25519 path (issue 5 item 1), and whether the fastest
// deterministic path carries the `khala-day` scenario. Run: npm run -s bench crypto
import { sr25519Sign as pjsSign, sr25519Verify as pjsVerify } from '@polkadot/util-crypto';
import { sr25519Sign as wasmSign, sr25519Verify as wasmVerify, waitReady } from '@polkadot/wasm-crypto';
import { availableParallelism, loadavg } from 'node:os';
import { sign as scureSign } from '@scure/sr25519';
import { sr25519VerifyOn } from '../domain/crypto';
import { pairFromSeed } from '../enclave/keys/sr25519Pair';
import { signWith } from '../enclave/signing';
import { initWasmCrypto } from '../enclave/wasmCrypto';
import { seededRandom } from '../simulations/seededRandom';

const BUDGET_MS = Number(process.env.BENCH_MS ?? 1500);

/**
 * Calls `f` for about BUDGET_MS after a warm-up. Returns operations per second of this process's
 * CPU time (user + system): the figure one uncontended core would give, whatever else the shared
 * machine runs. (Wall-clock rates under load are printed too.)
 */
function opsPerSecond(f: (i: number) => void): { cpu: number; wall: number } {
  for (let i = 0; i < 30; i++) f(i);
  let n = 0;
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  let elapsed = 0;
  while (elapsed < BUDGET_MS) {
    for (let k = 0; k < 20; k++) f(n++);
    elapsed = performance.now() - start;
  }
  const cpu = process.cpuUsage(cpuStart);
  return { cpu: n / ((cpu.user + cpu.system) / 1e6), wall: (n / elapsed) * 1000 };
}

async function main(): Promise<void> {
  // Other processes share these 2 cores: print the load so the figures can be read against it.
  console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${availableParallelism()} cores`);
  await waitReady();
  await initWasmCrypto();
  const pair = pairFromSeed(new Uint8Array(32).fill(1));
  // a heartbeat-sized SCALE message (origin, topic, payload, sequence): ~100 bytes
  const messages = Array.from({ length: 64 }, (_, i) => new Uint8Array(100).fill(i));
  const random = seededRandom(2024).fork('signer');
  const sigs = messages.map((m) => signWith(pair, m, random));
  const kp = { publicKey: pair.publicKey, secretKey: pair.secretKey };
  const at = (i: number) => i & 63;

  const rows: Array<[string, 'sign' | 'verify', { cpu: number; wall: number }]> = [
    ['(a) enclave signWith, seeded nonces (prepared key)', 'sign', opsPerSecond((i) => signWith(pair, messages[at(i)]!, random))],
    ['(a) @scure/sr25519 sign, seeded nonces (JS, r·B variable)', 'sign', opsPerSecond((i) => scureSign(pair.secretKey, messages[at(i)]!, random.bytes(32)))],
    ['(b) @polkadot/util-crypto sr25519Sign (JS)', 'sign', opsPerSecond((i) => pjsSign(messages[at(i)]!, kp))],
    ['(b) @polkadot/util-crypto sr25519Verify (JS)', 'verify', opsPerSecond((i) => pjsVerify(messages[at(i)]!, sigs[at(i)]!, pair.publicKey))],
    ['(c) @polkadot/wasm-crypto sr25519Sign (OS nonces)', 'sign', opsPerSecond((i) => wasmSign(pair.publicKey, pair.secretKey, messages[at(i)]!))],
    ['(c) @polkadot/wasm-crypto sr25519Verify', 'verify', opsPerSecond((i) => wasmVerify(sigs[at(i)]!, messages[at(i)]!, pair.publicKey))],
    ['(d) domain sr25519Verify, js path', 'verify', opsPerSecond((i) => sr25519VerifyOn('js', messages[at(i)]!, sigs[at(i)]!, pair.publicKey))],
    ['(d) domain sr25519Verify, wasm path', 'verify', opsPerSecond((i) => sr25519VerifyOn('wasm', messages[at(i)]!, sigs[at(i)]!, pair.publicKey))],
  ];
  const reference = {
    sign: rows.find(([name]) => name.startsWith('(c)') && name.includes('Sign'))![2].cpu,
    verify: rows.find(([name]) => name.startsWith('(c)') && name.includes('Verify'))![2].cpu,
  };
  for (const [name, kind, ops] of rows) {
    const figure = `${ops.cpu.toFixed(0).padStart(6)} ${kind === 'sign' ? 'signs' : 'verifies'}/s per CPU-second`;
    console.log(`${name.padEnd(54)} ${figure}  ${(ops.cpu / reference[kind]).toFixed(2)}× of (c)  (wall ${ops.wall.toFixed(0)}/s)`);
  }

  // khala-day: 7,200 blocks × (~20 heartbeats + ~3 GK reports), each signed once in an enclave
  // (seeded nonces: path a) and verified once by the chain (fastest verify path).
  const signatures = 7200 * 23;
  const signRate = rows[0]![2].cpu;
  const verifyRate = Math.max(...rows.filter(([n, k]) => n.startsWith('(d)') && k === 'verify').map((r) => r[2].cpu));
  const seconds = signatures / signRate + signatures / verifyRate;
  console.log(
    `khala-day estimate: ${signatures} signatures → sign ${(signatures / signRate).toFixed(0)} s + verify ${(signatures / verifyRate).toFixed(0)} s = ${seconds.toFixed(0)} CPU-s; with each heartbeat also relayed as a signed extrinsic, twice that`,
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
