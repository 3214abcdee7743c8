/**
 * `phalanet serve --store URL [--port 8080] [--host 127.0.0.1]` (issue 7 items 4–5): the JSON API
 * and the dashboard over a ledger, following it while it grows. The ledger is opened read-only;
 * only the projection store is written. The first line of stdout is the URL it listens on (so
 * `--port 0` is usable by scripts); SIGINT or SIGTERM closes the server and the stores, exit 0.
 * A bad flag, a bad URL or a missing store is exit 2 before anything listens.
 */
import type { Command } from 'commander';
import { isLeft } from 'fp-ts/Either';
import * as t from 'io-ts';
import { createPhalaRuntime } from '../../../domain/chain/phalaRuntime';
import { allProjections } from '../../../projections';
import { ledgerFollower } from '../../http/follower';
import { createApiServer, startFollowing } from '../../http/server';
import { openProjectionStore } from '../../projections';
import { decodeStoreUrl, openEventStore } from '../../store';
import { oneLine, UsageError } from '../errors';
import { type Output, processOutput } from '../output';

/** The raw flags as commander hands them over. */
export interface RawServeFlags {
  readonly store?: string;
  readonly port?: string;
  readonly host?: string;
  readonly followMs?: string;
}

const intIn = (name: string, min: number, max: number) =>
  new t.Type<number, string, unknown>(
    name,
    (u): u is number => typeof u === 'number',
    (u, c) => (typeof u === 'string' && /^\d{1,6}$/.test(u) && Number(u) >= min && Number(u) <= max ? t.success(Number(u)) : t.failure(u, c, name)),
    String,
  );

/** The flags of `serve`, decoded. */
export const ServeFlags = t.type({
  port: intIn('a port from 0 to 65535', 0, 65_535),
  host: new t.Type<string, string, unknown>('a host name or IP address', (u): u is string => typeof u === 'string', (u, c) => (typeof u === 'string' && /^[A-Za-z0-9.:_-]+$/.test(u) ? t.success(u) : t.failure(u, c)), t.identity),
  followMs: intIn('milliseconds from 50 to 3600000', 50, 3_600_000),
});

function decodeServeFlags(raw: RawServeFlags): t.TypeOf<typeof ServeFlags> {
  const given = { port: raw.port ?? '8080', host: raw.host ?? '127.0.0.1', followMs: raw.followMs ?? '1000' };
  const r = ServeFlags.decode(given);
  if (!isLeft(r)) return r.right;
  const e = r.left[0]!;
  const key = e.context[1]?.key ?? '';
  const flag = `--${key.replace(/[A-Z]/g, (ch) => `-${ch.toLowerCase()}`)}`;
  throw new UsageError(`serve: ${flag} ${JSON.stringify(e.value)} is not ${e.context[1]?.type.name ?? 'valid'}`);
}

/** A running server. */
export interface RunningServe {
  /** e.g. `http://127.0.0.1:41234/` */
  readonly url: string;
  /** stops following, closes the server, then the stores */
  close(): Promise<void>;
}

/** Opens the stores, listens, prints the URL, and follows the ledger until `close`. */
export async function startServe(raw: RawServeFlags, out: Output): Promise<RunningServe> {
  if (raw.store === undefined) throw new UsageError('serve: --store URL is required (e.g. --store sqlite:ledger.db)');
  const flags = decodeServeFlags(raw);
  const parsed = decodeStoreUrl(raw.store);
  if (typeof parsed === 'string') throw new UsageError(parsed);
  const ledger = await openEventStore(raw.store, { create: false });
  const store = await openProjectionStore(parsed).catch(async (error: unknown) => {
    await ledger.close();
    throw error;
  });
  const { eventCodec } = createPhalaRuntime();
  const follower = ledgerFollower({ ledger, store, eventCodec, projections: allProjections, now: Date.now });
  const app = createApiServer({ ledger, eventCodec, store, follower }, { dashboard: { pollMs: Math.max(flags.followMs, 250) } });
  const closeStores = async () => {
    await store.close();
    await ledger.close();
  };
  try {
    await app.listen({ port: flags.port, host: flags.host });
  } catch (error) {
    await app.close();
    await closeStores();
    const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
    if (code === 'EADDRINUSE') throw new UsageError(`serve: port ${flags.port} on ${flags.host} is in use: choose another --port (or --port 0 for a free one)`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EACCES') throw new UsageError(`serve: cannot listen on ${flags.host}:${flags.port} (${String(code)}): check --host and --port`);
    throw error;
  }
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error(`serve: the server listens on ${String(address)}, not a TCP port`);
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}/`;
  out.text(url);
  out.info(`serving ${ledger.url} (projections in ${store.url}); dashboard at ${url}, API at ${url}api; Ctrl-C stops`);
  let lastError = '';
  const following = startFollowing(follower, flags.followMs, (error) => {
    const line = oneLine(error);
    if (line !== lastError) out.info(`serve: following the ledger: ${line}`);
    lastError = line;
  });
  return {
    url,
    async close() {
      await following.stop();
      await app.close();
      await closeStores();
    },
  };
}

/** Resolves on the first SIGINT or SIGTERM. */
export function shutdownSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

/** Registers `serve`. */
export function registerServe(program: Command, out: Output = processOutput()): void {
  program
    .command('serve')
    .description('serve the read models of a ledger over HTTP (JSON API under /api) with a dashboard at /, following the ledger as it grows')
    .option('--store <url>', 'ledger store URL: memory:, sqlite:PATH, postgres://user@host:port/db?schema=NAME')
    .option('--port <n>', 'TCP port; 0 picks a free one (default 8080)')
    .option('--host <host>', 'address to listen on (default 127.0.0.1)')
    .option('--follow-ms <n>', 'how often to look for new blocks, in milliseconds (default 1000)')
    .action(async (options: RawServeFlags) => {
      const running = await startServe(options, out);
      const signal = await shutdownSignal();
      out.info(`serve: ${signal}: closing`);
      await running.close();
    });
}
