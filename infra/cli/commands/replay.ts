/**
 * `phalanet replay --store URL [--to-block N] [--verify] [--rebuild-projections] [--json]`
 * (issue 7): rebuilds the chain from the ledger alone (block 0 holds the chain spec), re-executes
 * every block and compares it with its record (`domain/chain/replay.ts`). Exit 0 when everything
 * matches, 1 on any mismatch or a corrupt or truncated ledger, 2 for a bad URL, a missing store or
 * a store without a ledger. Progress goes to stderr, only on a TTY.
 */
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { rebuildProjections } from './rebuildProjections';
import { CHAIN_STREAM } from '../../../domain/chain/ledger';
import { createPhalaRuntime } from '../../../domain/chain/phalaRuntime';
import { type Mismatch, type ReplayResult, replayLedger } from '../../../domain/chain/replay';
import { EventStoreError } from '../../../domain/ports/eventStoreErrors';
import type { RecordedEvent } from '../../../domain/ports/eventStore';
import { openEventStore } from '../../store';
import { ProblemError, UsageError } from '../errors';
import { type Output, processOutput } from '../output';

/** What `replay --json` prints. */
export interface ReplayReport {
  readonly head: { readonly number: number; readonly hash: string; readonly stateRoot: string } | null;
  readonly blocks: number;
  readonly verified: boolean;
  readonly mismatches: number;
  readonly mismatch?: Mismatch;
  readonly durationMs: number;
}

interface ReplayFlags {
  store?: string;
  toBlock?: string;
  verify?: boolean;
  rebuildProjections?: boolean;
  json?: boolean;
}

function parseToBlock(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) throw new UsageError(`replay: --to-block must be a block number, got "${text}"`);
  return Number(text);
}

/** The store's records, stopping (and remembering why) at a corrupt one instead of throwing mid-replay. */
async function* guarded(records: AsyncIterable<RecordedEvent>, failure: { error?: EventStoreError }): AsyncIterable<RecordedEvent> {
  try {
    for await (const r of records) yield r;
  } catch (e) {
    if (!(e instanceof EventStoreError)) throw e;
    failure.error = e;
  }
}

function progressBar(total: number): { tick(n: number): void; stop(): void } {
  if (process.stderr.isTTY !== true) return { tick: () => undefined, stop: () => undefined };
  const bar = new SingleBar({ stream: process.stderr, format: 'replay [{bar}] block {value}/{total} | {eta_formatted} left', hideCursor: true });
  bar.start(total, 0);
  return { tick: (n) => bar.update(n), stop: () => bar.stop() };
}

/** Replays the ledger of `url`; a ledger shorter than its stream version counts as a `decode` mismatch at the first missing block. */
export async function replayStore(url: string, options: { toBlock?: number; verify: boolean }): Promise<{ report: ReplayReport; reportsCompared: number }> {
  const started = performance.now();
  const store = await openEventStore(url, { create: false });
  try {
    const last = await store.streamVersion(CHAIN_STREAM);
    if (last === undefined) throw new UsageError(`no ledger in ${store.url}: the chain stream is empty; run \`phalanet simulate\` first`);
    const target = options.toBlock === undefined ? last : Math.min(options.toBlock, last);
    const failure: { error?: EventStoreError } = {};
    const bar = progressBar(target);
    let result: ReplayResult;
    try {
      const records = guarded(store.readStream(CHAIN_STREAM, { toVersion: target }), failure);
      result = await replayLedger(records, { runtime: createPhalaRuntime(), stopAtFirst: options.verify, ...(options.toBlock === undefined ? {} : { toBlock: options.toBlock }), onBlock: bar.tick });
    } finally {
      bar.stop();
    }
    return { report: report(withTruncation(result, target, failure.error), performance.now() - started), reportsCompared: result.reportsCompared };
  } finally {
    await store.close();
  }
}

/** A replay that ended before the target without naming a mismatch read a truncated or corrupt ledger. */
function withTruncation(r: ReplayResult, target: number, error: EventStoreError | undefined): ReplayResult {
  const reached = r.head?.number ?? -1;
  if (reached >= target || r.firstMismatch !== undefined) return r;
  const block = reached + 1;
  const detail = error === undefined ? `the ledger ends at block ${reached}, its stream version is ${target}` : error.message;
  return { ...r, verified: false, mismatches: r.mismatches + 1, firstMismatch: { block, what: 'decode', detail } };
}

function report(r: ReplayResult, durationMs: number): ReplayReport {
  return {
    head: r.head ?? null,
    blocks: r.blocks,
    verified: r.verified,
    mismatches: r.mismatches,
    ...(r.firstMismatch === undefined ? {} : { mismatch: r.firstMismatch }),
    durationMs: Math.round(durationMs),
  };
}

function printText(r: ReplayReport, reportsCompared: number, out: Output): void {
  out.text(`head:       ${r.head === null ? 'none' : `#${r.head.number} ${r.head.hash}`}`);
  if (r.head !== null) out.text(`state root: ${r.head.stateRoot}`);
  out.text(`blocks:     ${r.blocks} replayed in ${r.durationMs} ms`);
  out.text(`reports:    ${reportsCompared} gatekeeper report${reportsCompared === 1 ? '' : 's'} re-derived and compared`);
  out.text(`verified:   ${r.verified ? 'yes' : `no (${r.mismatches} mismatch${r.mismatches === 1 ? '' : 'es'})`}`);
}

/** Registers `replay`. */
export function registerReplay(program: Command, out: Output = processOutput()): void {
  program
    .command('replay')
    .description('rebuild the chain from the ledger alone, re-execute every block and compare it with its record')
    .option('--store <url>', 'store URL: memory:, sqlite:PATH, postgres://user@host:port/db?schema=NAME')
    .option('--to-block <n>', 'stop after block N (state as of block N)')
    .option('--verify', 'stop at the first mismatch (without it: continue and count)')
    .option('--rebuild-projections', 'after a clean replay, drop every projection and fold it again from block 0 (takes the rebuild lock)')
    .option('--json', 'print one JSON object')
    .action(async (flags: ReplayFlags) => {
      if (flags.store === undefined) throw new UsageError('replay: --store URL is required (e.g. --store sqlite:ledger.db)');
      const toBlock = parseToBlock(flags.toBlock);
      const { report: r, reportsCompared } = await replayStore(flags.store, { verify: flags.verify === true, ...(toBlock === undefined ? {} : { toBlock }) });
      if (r.mismatch === undefined && flags.rebuildProjections === true) {
        // projections are folded only from a ledger that replayed cleanly
        for (const p of await rebuildProjections(flags.store, toBlock)) out.info(`replay: projection ${p.name} v${p.version} rebuilt to block ${p.checkpoint ?? 'none'} (${p.state})`);
      }
      if (flags.json === true) out.json(r);
      else printText(r, reportsCompared, out);
      if (r.mismatch !== undefined) throw new ProblemError(`replay: block ${r.mismatch.block}: ${r.mismatch.what} mismatch: ${r.mismatch.detail}`);
    });
}
