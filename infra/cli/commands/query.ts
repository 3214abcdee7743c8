/**
 * `phalanet query <resource> [id] --store URL [filters] [--at-block N] [--json]` (issue 7 item
 * 3): opens the ledger read-only, catches the projections up (writing only the projection store),
 * then answers from the read models. `--json` prints `{ items, next, meta }` for lists and
 * `{ item, meta }` for one id — the shape the HTTP API will use.
 */
import { hostname } from 'node:os';
import type { Command } from 'commander';
import { createPhalaRuntime } from '../../../domain/chain/phalaRuntime';
import { allProjections, BlockNotProjected, projectAll } from '../../../projections';
import { openProjectionStore } from '../../projections';
import { decodeStoreUrl, openEventStore } from '../../store';
import { ProblemError, UsageError } from '../errors';
import { type Output, processOutput } from '../output';
import { type Answer, answerQuery, type QueryMeta } from './queryAnswer';
import { AVAILABLE, decodeFlag, decodeQueryFlags, ID_CODEC, type RawQueryFlags, type Resource } from './queryFlags';
import { formatRecord, formatTable } from './queryTable';

export type { QueryMeta } from './queryAnswer';

/** What `--json` prints. */
export type QueryJson = { readonly items: readonly unknown[]; readonly next: string | null; readonly meta: QueryMeta } | { readonly item: unknown; readonly meta: QueryMeta };

function resourceOf(text: string): Resource {
  const available: readonly string[] = AVAILABLE;
  if (!available.includes(text)) throw new UsageError(`query: unknown resource "${text}"; available: ${AVAILABLE.join(', ')}`);
  return text as Resource;
}

/** An example id for the usage error of a resource whose id is missing (`ID_CODEC` decodes it). */
const ID_EXAMPLE: Partial<Record<Resource, string>> = { block: '12', pool: '0', finance: '0x… (a worker)' };

function idOf(resource: Resource, id: string | undefined): number | string | undefined {
  const codec = ID_CODEC[resource];
  if (codec !== undefined) {
    if (id === undefined) throw new UsageError(`query: ${resource} needs an id (e.g. query ${resource} ${ID_EXAMPLE[resource] ?? '0x…'})`);
    return decodeFlag(codec, `${resource} id`, id);
  }
  if (id !== undefined) throw new UsageError(`query: ${resource} takes no id (got "${id}")`);
  return undefined;
}

/** Runs one query end to end; the stores are closed whatever happens. */
export async function runQuery(resourceText: string, idText: string | undefined, raw: RawQueryFlags): Promise<{ answer: Answer; meta: QueryMeta }> {
  const resource = resourceOf(resourceText);
  const id = idOf(resource, idText);
  const flags = decodeQueryFlags(resource, raw);
  if (raw.store === undefined) throw new UsageError('query: --store URL is required (e.g. --store sqlite:ledger.db)');
  const ledger = await openEventStore(raw.store, { create: false });
  try {
    const url = decodeStoreUrl(raw.store);
    if (typeof url === 'string') throw new UsageError(url);
    const store = await openProjectionStore(url);
    try {
      const { eventCodec } = createPhalaRuntime();
      const projections = await projectAll(ledger, allProjections, store, { eventCodec, holder: `phalanet query, pid ${process.pid} on ${hostname()}`, now: Date.now });
      return await answerQuery({ ledger, eventCodec, store }, resource, id, flags, projections);
    } catch (error) {
      if (error instanceof BlockNotProjected) throw new ProblemError(`query: ${error.message}`);
      throw error;
    } finally {
      await store.close();
    }
  } finally {
    await ledger.close();
  }
}

function print(result: { answer: Answer; meta: QueryMeta }, json: boolean, out: Output): void {
  const { answer: a, meta } = result;
  if (json) {
    const body: QueryJson = a.kind === 'list' ? { items: a.items, next: a.next, meta } : { item: a.item, meta };
    out.json(body);
    return;
  }
  const show = a.display ?? ((row: Record<string, unknown>) => row);
  const lines = a.kind === 'list' ? formatTable(a.items.map(show), a.columns) : formatRecord(show(a.item));
  for (const line of lines) out.text(line);
  if (a.kind === 'list' && a.next !== null) out.info(`more: --after ${a.next}`);
  out.info(`as of block ${meta.block} ${meta.hash}`);
}

/** Registers `query`. */
export function registerQuery(program: Command, out: Output = processOutput()): void {
  program
    .command('query')
    .description(`read the projections of a ledger: ${AVAILABLE.join(', ')}`)
    .argument('<resource>', `one of ${AVAILABLE.join(', ')}`)
    .argument('[id]', 'block number (block), pid (pool), 0x key (account, worker, finance, contract)')
    .option('--store <url>', 'ledger store URL: memory:, sqlite:PATH, postgres://user@host:port/db?schema=NAME')
    .option('--at-block <n>', 'answer as of block N (time travel for head, accounts, workers, gatekeepers, pools, clusters, contracts and their single ids; a block bound elsewhere)')
    .option('--limit <n>', 'page size, 1 to 1000 (default 50)')
    .option('--after <cursor>', 'the `next` of the previous page')
    .option('--pallet <pallet>', 'events: only this pallet')
    .option('--name <name>', 'events: only this event name (Name or Pallet.Name)')
    .option('--account <0x…>', 'events: only events naming this account')
    .option('--worker <0x…>', 'events: only events naming this worker')
    .option('--pool <pid>', 'events, workers: only this pool')
    .option('--state <state>', 'workers: Registered, Ready, WorkerIdle, WorkerUnresponsive or WorkerCoolingDown')
    .option('--kind <kind>', 'pools: StakePool or Vault; finance: started, heartbeat, settled, enterUnresponsive, exitUnresponsive, stopped, reclaimed')
    .option('--owner <0x…>', 'pools: only pools of this owner')
    .option('--cluster <0x…>', 'contracts: only contracts of this cluster')
    .option('--from-block <n>', 'blocks, events, rewards, finance: from this block')
    .option('--to-block <n>', 'blocks, events, rewards, finance: up to this block')
    .option('--filter <key=value>', 'any filter above by its API name, repeatable (e.g. --filter pallet=PhalaComputation --filter fromBlock=10)', (v: string, acc: string[] = []) => [...acc, v])
    .option('--json', 'print one JSON object')
    .action(async (resource: string, id: string | undefined, options: RawQueryFlags) => {
      print(await runQuery(resource, id, options), options.json === true, out);
    });
}
