// Blocks/s of the worker group hot path at 20,000 workers (issue 5 item 2): one heartbeat challenge
// per block (powTarget(20, N, 12) ⇒ ≈ 20 hits), plus the same chain without challenges (idle
// blocks). Identities are fake (no sr25519 signing), so the figure is the group's own cost.
// Run: npm run -s bench workerGroup
import * as E from 'fp-ts/Either';
import { powTarget } from '../domain/economics/powTarget';
import { verifyBlock } from '../enclave/pruntime/blockView';
import { challengeMessage, fakeIdentity, genesisHeader, nextBlock } from '../enclave/pruntime/testing/pruntimeFixtures';
import { createWorkerGroup } from '../enclave/pruntime/workerGroup';
import { createWorkerRuntime } from '../enclave/pruntime/workerRuntime';

const N = Number(process.env.BENCH_WORKERS ?? 20_000);
const BLOCKS = Number(process.env.BENCH_BLOCKS ?? 2000);

function main(): void {
  const t0 = performance.now();
  const group = createWorkerGroup();
  for (let i = 0; i < N; i++) {
    const w = createWorkerRuntime(fakeIdentity(`bench/${i}`), { iterationsPer6s: 2000n });
    w.machine.registered = true;
    w.machine.workingState = { sessionId: i, state: 'Computing', startTimeMs: 0n, startIter: 0n };
    group.add(w);
  }
  process.stdout.write(`setup: ${N} workers in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  const target = powTarget(20, N, 12);
  for (const withChallenge of [true, false]) {
    let head = genesisHeader();
    const views = [];
    for (let n = 0; n < BLOCKS; n++) {
      const block = nextBlock(head, withChallenge ? [challengeMessage((BigInt(n + 1) * 0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c834_1082_276b_f3a2_7251_f86c_6a11_d0c1_8e95n) % (1n << 256n), target)] : []);
      const view = verifyBlock(head, block);
      if (E.isLeft(view)) throw new Error(view.left._tag);
      views.push(view.right);
      head = block.header;
    }
    const g = createWorkerGroup();
    for (let i = 0; i < N; i++) g.add(group.worker(i));
    let hits = 0;
    const start = performance.now();
    for (const view of views) for (const e of g.processBlock(view)) hits += e.messages.length;
    const ms = performance.now() - start;
    const label = withChallenge ? 'one challenge per block' : 'idle blocks          ';
    process.stdout.write(
      `${label}: ${((BLOCKS / ms) * 1000).toFixed(0)} blocks/s at ${N} workers (${(ms / BLOCKS).toFixed(3)} ms/block, ${((ms / BLOCKS / N) * 1000).toFixed(4)} ms per 1,000 workers, ${(hits / BLOCKS).toFixed(1)} hits/block)\n`,
    );
  }
  const lotteryStart = performance.now();
  let lotteryHits = 0;
  for (let n = 0; n < BLOCKS; n++) lotteryHits += group.lottery(((BigInt(n + 7) * 0x9e37_79b9_7f4a_7c15n) << 190n) % (1n << 256n), target).length;
  const lotteryMs = performance.now() - lotteryStart;
  process.stdout.write(`lottery loop only      : ${(lotteryMs / BLOCKS).toFixed(3)} ms per challenge (${((lotteryMs / BLOCKS / N) * 1000).toFixed(4)} ms per 1,000 workers, ${(lotteryHits / BLOCKS).toFixed(1)} hits)\n`);
}

main();
