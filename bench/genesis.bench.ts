/**
 * Genesis at khala-day scale: 20,000 workers computing at genesis, 3 gatekeepers, in 100 pools of
 * 200 workers (khala-day's shape) and in 2,000 pools of 10. Prints the time to compile the config
 * to a chain spec, to execute block 0, and to execute block 1 (which dispatches the ~60,000
 * messages genesis queued), the spec and block sizes, and the heap after each step.
 */
import { performance } from 'node:perf_hooks';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { compileChainSpec, encodeBlock, executeBlock, type GenesisPool, genesis, type PhalaChainConfig } from '../domain/chain';
import { ChainSpecScale } from '../domain/chain/chainSpec';
import { createPhalaRuntime } from '../domain/chain/phalaRuntime';

const PHA = 10n ** 12n;
const WORKERS = 20_000;
const hex32 = (tag: number, i: number) => `0x${tag.toString(16).padStart(8, '0')}${i.toString(16).padStart(56, '0')}`;

function config(poolSize: number): PhalaChainConfig {
  const pools: GenesisPool[] = [];
  const endowments: { who: string; amount: bigint }[] = [];
  for (let p = 0; p < WORKERS / poolSize; p++) {
    const owner = hex32(1, p);
    const workers = Array.from({ length: poolSize }, (_, j) => hex32(3, p * poolSize + j));
    const stakers = Array.from({ length: 5 }, (_, j) => ({ who: hex32(2, p * 5 + j), amount: BigInt(poolSize) * 3_000n * PHA }));
    endowments.push({ who: owner, amount: 1_000n * PHA }, ...stakers.map((s) => ({ who: s.who, amount: s.amount + PHA })));
    pools.push({ owner, commissionPermill: 200_000, workers, stakers, computing: workers.map((worker) => ({ worker, stake: 15_000n * PHA })) });
  }
  return {
    chainName: 'genesis-bench',
    blockTimeMs: 12_000,
    genesisTimestampMs: 1_700_000_000_000n,
    rootAccount: hex32(9, 0),
    endowments,
    subsidyPoolFunding: 100_000_000n * PHA,
    heartbeatPaused: false,
    genesisWorkers: Array.from({ length: WORKERS }, (_, i) => ({
      pubkey: hex32(3, i),
      ecdhPubkey: hex32(4, i),
      operator: hex32(1, Math.floor(i / poolSize)),
      initialScore: [450, 1900, 2000, 2800][i % 4]!,
      confidenceLevel: [1, 1, 2, 5][i % 4]!,
    })),
    genesisGatekeepers: [0, 1, 2].map((i) => ({ pubkey: hex32(5, i), ecdhPubkey: hex32(6, i) })),
    genesisPools: pools,
  };
}

const mb = () => (process.memoryUsage().heapUsed / 2 ** 20).toFixed(0);
/** wall ms and CPU ms of this process since `t0` (the CPU figure is what matters on a shared, loaded machine) */
const since = (t0: { wall: number; cpu: NodeJS.CpuUsage }) => {
  const cpu = process.cpuUsage(t0.cpu);
  return `${(performance.now() - t0.wall).toFixed(0)} ms (CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms)`;
};
const now = () => ({ wall: performance.now(), cpu: process.cpuUsage() });

function run(poolSize: number): void {
  const cfg = config(poolSize);
  const runtime = createPhalaRuntime();
  let t0 = now();
  const spec = compileChainSpec(cfg, runtime);
  const specBytes = ChainSpecScale.encode(spec).length;
  const compileMs = since(t0);
  const compileHeap = mb();
  t0 = now();
  const g = genesis(runtime, spec);
  const genesisMs = since(t0);
  const block0Bytes = encodeBlock(g.block).length;
  const genesisHeap = mb();
  t0 = now();
  const b1 = executeBlock(g.chain, { timestampMs: 1_700_000_012_000, author: new Uint8Array(32), extrinsics: [] });
  const block1Ms = since(t0);
  console.log(
    `${WORKERS} workers in ${WORKERS / poolSize} pools of ${poolSize}: ${spec.genesisCalls.length} genesis calls, spec ${(specBytes / 2 ** 20).toFixed(1)} MiB; ` +
      `compile ${compileMs} (heap ${compileHeap} MiB), execute block 0 ${genesisMs} (${g.block.events.length} events, ${(block0Bytes / 2 ** 20).toFixed(1)} MiB, heap ${genesisHeap} MiB), ` +
      `block 1 ${block1Ms} (${b1.outbound.length} outbound messages, heap ${mb()} MiB)`,
  );
}

async function main(): Promise<void> {
  await cryptoWaitReady();
  for (const poolSize of [200, 10]) {
    run(poolSize);
    globalThis.gc?.();
  }
}

void main();
