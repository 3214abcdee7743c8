/**
 * What the cluster int tests share: `phalanet node` processes (the built bin, as a user runs it)
 * over a fresh ledger schema of the int tier's PostgreSQL, their `/status`, the ledger as written,
 * and `replay --verify`. Every process started is killed at `cleanup` if still running.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import type { Block } from '../../domain/chain/block';
import { CHAIN_STREAM, decodeBlockRecord } from '../../domain/chain/ledger';
import { postgresEventStore } from '../../infra/store/postgresEventStore';

const root = join(__dirname, '..', '..');
const bin = join(root, 'bin', 'phalanet.js');

/** A spawned node. */
export interface NodeProcess {
  readonly child: ChildProcess;
  /** the URL on its first stdout line; rejects if it exits first */
  readonly url: Promise<string>;
  readonly exit: Promise<number | null>;
  stderr(): string;
}

/** What `/status` answers (the parts the tests read). */
export interface NodeStatus {
  producer: { role: string; epoch: string | null };
  lease: { holder: string | null; epoch: string } | null;
  ledgerHeight: number;
  lagBlocks: number;
}

/** A block as the tests look at it. */
export interface LedgerBlock {
  readonly number: number;
  readonly version: number;
  readonly epoch: bigint;
  readonly producer: string;
  readonly block: Block;
}

/** The PostgreSQL URL of the int tier; fails with the globalSetup's reason when there is none. */
export function pgUrl(): string {
  const url = process.env.PHALANET_TEST_PG_URL;
  if (!url) throw new Error(`no PostgreSQL for the int tests: PHALANET_TEST_PG_URL is unset (${process.env.PHALANET_TEST_PG_ERROR ?? 'no reason given'})`);
  return url;
}

/** Builds the CLI when dist/ lacks the node command (a fresh checkout has it from `npm ci`). */
export function ensureBuilt(): void {
  if (!existsSync(join(root, 'dist', 'infra', 'cli', 'commands', 'node.js'))) execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'ignore' });
}

/** Polls `probe` until it yields a value (a short pause between probes, no fixed sleeps). */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, boundMs = 60_000): Promise<T> {
  const started = performance.now();
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (performance.now() - started > boundMs) throw new Error(`timed out after ${boundMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The node's `/status`. */
export async function status(node: NodeProcess): Promise<NodeStatus> {
  return (await (await fetch(`${await node.url}status`)).json()) as NodeStatus;
}

/** A harness over one ledger schema at a time (`newLedger`). */
export function nodeHarness(prefix: string) {
  const baseUrl = pgUrl();
  const dir = mkdtempSync(join(tmpdir(), `phalanet-${prefix}-`));
  const schemas: string[] = [];
  const started: NodeProcess[] = [];
  let schema = '';
  const storeUrl = () => `${baseUrl}${baseUrl.includes('?') ? '&' : '?'}schema=${schema}`;
  return {
    storeUrl,
    baseUrl,
    /** the current ledger's schema */
    schema: () => schema,
    /** the directory the nodes' data directories are made in (removed at cleanup) */
    dataDir: dir,
    /** the following nodes and reads use a fresh schema */
    newLedger() {
      schema = `${prefix}_${randomBytes(6).toString('hex')}`;
      schemas.push(schema);
    },
    /** spawns `phalanet node --id ID --roles producer …` (2 s lease, 100 ms follow) */
    startNode(id: string, extra: readonly string[] = []): NodeProcess {
      const args = [bin, 'node', '--id', id, '--roles', 'producer', '--store', storeUrl(), '--data', join(dir, id), '--http', '127.0.0.1:0', '--lease-ttl-ms', '2000', '--follow-ms', '100', ...extra];
      const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stderr!.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
      const url = new Promise<string>((resolve, reject) => {
        child.stdout!.on('data', (b: Buffer) => {
          stdout += b.toString('utf8');
          if (stdout.includes('\n')) resolve(stdout.split('\n')[0]!);
        });
        child.on('exit', (code) => reject(new Error(`node ${id} exited (${code}) before serving: ${stderr}`)));
      });
      url.catch(() => undefined);
      const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      const node = { child, url, exit, stderr: () => stderr };
      started.push(node);
      return node;
    },
    /** the `chain` stream as written, with each record's lease epoch and producer */
    /** the current ledger as an event store (the caller closes it) */
    ledgerStore: () => postgresEventStore({ connectionString: baseUrl, schema, display: schema, create: false }),
    async ledgerBlocks(): Promise<LedgerBlock[]> {
      const store = await postgresEventStore({ connectionString: baseUrl, schema, display: schema, create: false });
      try {
        const out: LedgerBlock[] = [];
        for await (const r of store.readStream(CHAIN_STREAM)) {
          const block = decodeBlockRecord(r);
          out.push({ number: block.header.number, version: r.version, epoch: BigInt(r.metadata?.leaseEpoch ?? '-1'), producer: r.metadata?.producer ?? '?', block });
        }
        return out;
      } finally {
        await store.close();
      }
    },
    /** runs SQL against the int tier's server */
    async sql(text: string): Promise<Record<string, unknown>[]> {
      const pool = new Pool({ connectionString: baseUrl });
      try {
        return (await pool.query(text.replaceAll('$schema', `"${schema}"`))).rows;
      } finally {
        await pool.end();
      }
    },
    /** `phalanet replay --verify` on the ledger: its stdout (throws on a non-zero exit) */
    replayVerify: () => execFileSync(process.execPath, [bin, 'replay', '--verify', '--store', storeUrl()], { cwd: root, encoding: 'utf8' }),
    /** kills what still runs, drops the schemas, removes the node directories */
    async cleanup() {
      for (const n of started) if (n.child.exitCode === null && n.child.signalCode === null) n.child.kill('SIGKILL');
      const pool = new Pool({ connectionString: baseUrl });
      for (const s of schemas) await pool.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`).catch(() => undefined);
      await pool.end();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
