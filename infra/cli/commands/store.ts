/**
 * `phalanet store info --store URL [--json]`: what a store holds — its resolved URL, how many
 * streams and events, the global head position and the chain's head block (the `chain` stream's
 * version). Opens the store read-only in spirit: nothing is created (`create: false`).
 */
import type { Command } from 'commander';
import { openEventStore } from '../../store';
import { UsageError } from '../errors';
import { type Output, processOutput } from '../output';

/** What `store info` reports (`--json` prints exactly this object, bigints as strings). */
export interface StoreInfo {
  readonly url: string;
  readonly streams: number;
  readonly events: number;
  readonly headPosition: bigint;
  /** the `chain` stream's version = head block number; null when there is no chain yet */
  readonly chainHeadBlock: number | null;
}

/** Reads a store's sizes and heads. */
export async function storeInfo(url: string): Promise<StoreInfo> {
  const store = await openEventStore(url, { create: false });
  try {
    const { streams, events } = await store.stats();
    return {
      url: store.url,
      streams,
      events,
      headPosition: await store.headPosition(),
      chainHeadBlock: (await store.streamVersion('chain')) ?? null,
    };
  } finally {
    await store.close();
  }
}

function printInfo(info: StoreInfo, json: boolean, out: Output): void {
  if (json) {
    out.json(info);
    return;
  }
  out.text(`store:         ${info.url}`);
  out.text(`streams:       ${info.streams}`);
  out.text(`events:        ${info.events}`);
  out.text(`head position: ${info.headPosition}`);
  out.text(`chain:         ${info.chainHeadBlock === null ? 'no chain stream' : `head block ${info.chainHeadBlock}`}`);
}

/** Registers `store` and its subcommands. */
export function registerStore(program: Command, out: Output = processOutput()): void {
  const store = program.command('store').description('inspect event stores');
  store
    .command('info')
    .description('print what a store holds: streams, events, head position, chain head block')
    .option('--store <url>', 'store URL: memory:, sqlite:PATH, postgres://user@host:port/db?schema=NAME')
    .option('--json', 'print one JSON object')
    .action(async (options: { store?: string; json?: boolean }) => {
      if (options.store === undefined) throw new UsageError('store info: --store URL is required (e.g. --store sqlite:ledger.db)');
      printInfo(await storeInfo(options.store), options.json === true, out);
    });
}
