/**
 * Speculative sr25519 verification on worker threads (issue 5 item 1; issue 6's khala-day, where
 * about a third of a block's CPU went to verifying the signatures the simulation itself had just
 * made). Every signature the enclave makes is announced (`domain/crypto/verdicts.ts`); the pool
 * posts it to a worker thread, which verifies it with @polkadot/wasm-crypto — the domain's wasm
 * path, same pre-checks — and writes the verdict into shared memory. When the chain later verifies
 * exactly those bytes, `sr25519Verify` takes the verdict instead of verifying again on this thread.
 * A signature nobody announced (a forged or replayed message, a ledger being replayed) is verified
 * inline as before, and so is one the workers have not reached yet: this thread claims the job
 * (the worker then skips it), so nothing waits and nothing is verified twice.
 *
 * Verdicts are those of real verifications of the same bytes, so a run with the pool is byte-equal
 * to a run without it (a test holds this); only where the CPU time goes changes.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { installVerdictSource } from '../../domain/crypto/verdicts';

/** Job states in the shared array. */
const QUEUED = 0;
const VERIFYING = 1;
const VALID = 2;
const INVALID = 3;
const CLAIMED = 4;

/** How long a verification may take on a worker before this thread gives up on it and verifies inline. */
const STALL_MS = 2_000;

/** Jobs in flight at most (a ring of job slots); a slot is reused only once its job is settled. */
const RING = 1 << 15;

// The worker: verifies each posted job unless this thread claimed it first. Plain CommonJS run with
// `eval` so the same code serves the built CLI, tsx and jest; wasm-crypto's path comes resolved.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const wasm = require(workerData.wasmCrypto);
const state = new Int32Array(workerData.state);
const identity = (k) => { for (let i = 0; i < k.length; i++) if (k[i] !== 0) return false; return true; };
wasm.waitReady().then(() => {
  parentPort.on('message', (job) => {
    const [slot, message, signature, publicKey] = job;
    if (Atomics.compareExchange(state, slot, ${QUEUED}, ${VERIFYING}) !== ${QUEUED}) return;
    const ok = signature.length === 64 && publicKey.length === 32 && !identity(publicKey) && wasm.sr25519Verify(signature, message, publicKey);
    Atomics.store(state, slot, ok ? ${VALID} : ${INVALID});
    Atomics.notify(state, slot);
  });
  parentPort.postMessage('ready');
});
`;

interface Job {
  readonly slot: number;
  readonly message: Uint8Array;
  readonly publicKey: Uint8Array;
}

/** Counts of a pool's work, for benchmarks and tests. */
export interface VerifyPoolStats {
  /** signatures announced and posted to a worker */
  readonly posted: number;
  /** verifications answered by a worker's verdict */
  readonly answered: number;
  /** announced signatures this thread verified itself (the worker had not started them) */
  readonly claimed: number;
}

/** A running pool; `close()` uninstalls it and stops its threads. */
export interface VerifyPool {
  readonly threads: number;
  stats(): VerifyPoolStats;
  /** blocks until every posted job is verified (tests and benchmarks; at most `timeoutMs` per job) */
  drain(timeoutMs?: number): void;
  close(): Promise<void>;
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};

/** The default thread count: the cores beside this one, at most 3. */
export const defaultVerifyThreads = (): number => Math.max(0, Math.min(3, availableParallelism() - 1));

/**
 * Starts `threads` verification workers (resolves once their wasm is ready) and installs them as
 * the domain's verdict source. `threads` 0 installs nothing and returns an idle pool.
 */
export async function startVerifyPool(threads: number = defaultVerifyThreads()): Promise<VerifyPool> {
  if (!Number.isInteger(threads) || threads < 0 || threads > 64) throw new RangeError(`verify pool: threads must be an integer from 0 to 64, got ${threads}`);
  if (threads === 0) return { threads: 0, stats: () => ({ posted: 0, answered: 0, claimed: 0 }), drain: () => undefined, close: async () => undefined };
  const shared = new SharedArrayBuffer(4 * RING);
  const state = new Int32Array(shared);
  state.fill(CLAIMED); // every slot starts settled, free to take
  const wasmCrypto = require.resolve('@polkadot/wasm-crypto');
  const workers = Array.from({ length: threads }, () => new Worker(WORKER_SOURCE, { eval: true, workerData: { wasmCrypto, state: shared } }));
  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve, reject) => {
          w.once('message', () => resolve());
          w.once('error', reject);
        }),
    ),
  );
  // A worker that fails is not replaced: the pool stops posting and everything is verified inline.
  let broken = false;
  for (const w of workers) {
    w.unref(); // a pool never keeps the process alive
    w.on('error', () => {
      broken = true;
    });
  }
  const jobs = new Map<string, Job>();
  const bySlot: (string | undefined)[] = new Array(RING);
  let next = 0;
  let posted = 0;
  let answered = 0;
  let claimed = 0;

  const observer = (message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): void => {
    if (broken) return;
    const slot = next;
    const s = Atomics.load(state, slot);
    if (s === QUEUED || s === VERIFYING) return; // the ring is full of unsettled work: verify this one inline later
    next = (next + 1) % RING;
    const old = bySlot[slot];
    if (old !== undefined) jobs.delete(old);
    const key = Buffer.from(signature.buffer, signature.byteOffset, signature.byteLength).toString('latin1');
    bySlot[slot] = key;
    // Own copies: a view posted as it is would clone its whole underlying buffer.
    const job = { slot, message: Uint8Array.from(message), publicKey: Uint8Array.from(publicKey) };
    jobs.set(key, job);
    Atomics.store(state, slot, QUEUED);
    workers[slot % workers.length]!.postMessage([slot, job.message, Uint8Array.from(signature), job.publicKey]);
    posted++;
  };

  const source = (message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): boolean | undefined => {
    const key = Buffer.from(signature.buffer, signature.byteOffset, signature.byteLength).toString('latin1');
    const job = jobs.get(key);
    if (job === undefined || !sameBytes(job.message, message) || !sameBytes(job.publicKey, publicKey)) return undefined;
    jobs.delete(key);
    bySlot[job.slot] = undefined;
    if (Atomics.compareExchange(state, job.slot, QUEUED, CLAIMED) === QUEUED) {
      claimed++;
      return undefined; // not started: verify it here, the worker will skip it
    }
    // VERIFYING (wait the little it takes) or settled. A worker that died mid-job never settles
    // it: after the wait, such a job is verified here and its slot retired.
    Atomics.wait(state, job.slot, VERIFYING, STALL_MS);
    const verdict = Atomics.load(state, job.slot);
    if (verdict !== VALID && verdict !== INVALID) {
      broken = true;
      return undefined;
    }
    Atomics.store(state, job.slot, CLAIMED);
    answered++;
    return verdict === VALID;
  };

  installVerdictSource({ source, observer });
  return {
    threads,
    stats: () => ({ posted, answered, claimed }),
    drain(timeoutMs = 10_000) {
      for (const job of jobs.values()) {
        for (let s = Atomics.load(state, job.slot); s === QUEUED || s === VERIFYING; s = Atomics.load(state, job.slot)) {
          if (Atomics.wait(state, job.slot, s, timeoutMs) === 'timed-out') throw new Error(`verify pool: job ${job.slot} not verified within ${timeoutMs} ms`);
        }
      }
    },
    async close() {
      installVerdictSource(undefined);
      jobs.clear();
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
