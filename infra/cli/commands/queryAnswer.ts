/**
 * The answers of `phalanet query`, one function per resource, over projections already caught
 * up with the ledger. Lists page with `next` (the `--after` of the following page); a single id
 * that has no record is a `ProblemError` (exit 1).
 */
import {
  AccountRow,
  type BlockRow,
  accountsProjection,
  decodeRow,
  type ProjectionStore,
  queryAccount,
  queryAccounts,
  queryBlocks,
  queryEvents,
  queryHead,
  queryRewards,
  type ProjectionStatus,
} from '../../../projections';
import { ProblemError } from '../errors';
import { type Answer, type AnswerContext, maxOf, minOf, page, readerAt } from './queryAnswerKit';
import { phaCell } from './queryDisplay';
import type { QueryFlags, Resource } from './queryFlags';
import { answerModel, type ModelResource } from './queryModels';

export type { Answer, AnswerContext, Display } from './queryAnswerKit';

/** `meta` of every answer (CLI `--json` and HTTP alike): the block it is as of and where each projection stands. */
export interface QueryMeta {
  readonly block: number;
  readonly hash: string;
  readonly projections: readonly ProjectionStatus[];
}

async function blocks(c: AnswerContext): Promise<Answer> {
  const { flags } = c;
  const columns = ['number', 'hash', 'timestampMs', 'author', 'extrinsicCount', 'eventCount', 'outboundCount'];
  const afterBlock = flags.after === undefined ? undefined : Number(flags.after);
  if (afterBlock === 0) return { kind: 'list', items: [], next: null, columns };
  // newest first: the next page holds the blocks below the cursor
  const toBlock = minOf(flags.toBlock, c.at.number, afterBlock === undefined ? undefined : afterBlock - 1);
  const rows = await queryBlocks(c.store, { fromBlock: flags.fromBlock, toBlock, limit: flags.limit + 1 });
  return page(rows, flags.limit, (r) => String(r.number), columns);
}

async function block(c: AnswerContext, id: number): Promise<Answer> {
  const [row] = await queryBlocks(c.store, { fromBlock: id, toBlock: id, limit: 1 });
  if (row === undefined) throw new ProblemError(`query: block ${id} does not exist (the head is block ${c.at.number})`);
  return { kind: 'item', item: row };
}

async function events(c: AnswerContext): Promise<Answer> {
  const { flags } = c;
  const result = await queryEvents(c.store, {
    pallet: flags.pallet,
    name: flags.name,
    account: flags.account,
    worker: flags.worker,
    pool: flags.pool,
    fromBlock: flags.fromBlock,
    toBlock: minOf(flags.toBlock, c.at.number),
    cursor: flags.after,
    limit: flags.limit,
  });
  return { kind: 'list', items: result.events, next: result.next ?? null, columns: ['id', 'phase', 'pallet', 'name', 'fields'] };
}

const accountsReader = (c: AnswerContext) => readerAt(c, accountsProjection);

async function accounts(c: AnswerContext): Promise<Answer> {
  const rows = await queryAccounts(await accountsReader(c), { after: c.flags.after, limit: c.flags.limit + 1 });
  return page(rows, c.flags.limit, (r) => r.account, ['account', 'free', 'nonce', 'wpha'], (r) => ({ ...r, free: phaCell(r.free), wpha: phaCell(r.wpha) }));
}

// the accounts projection's table: `queryAccount` answers zeros for an id never seen, and the
// CLI must tell "no record" apart (exit 1)
const ACCOUNTS_TABLE = 'accounts';

async function account(c: AnswerContext, id: string): Promise<Answer> {
  const reader = await accountsReader(c);
  const raw = await reader.get(ACCOUNTS_TABLE, id);
  if (raw === undefined) throw new ProblemError(`query: account ${id} has no record as of block ${c.at.number}`);
  decodeRow(AccountRow, raw, `accounts/${id}`);
  return { kind: 'item', item: await queryAccount(reader, id) };
}

async function rewards(c: AnswerContext): Promise<Answer> {
  const { flags } = c;
  const fromBlock = maxOf(flags.fromBlock, flags.after === undefined ? undefined : Number(flags.after) + 1);
  const rows = await queryRewards(c.store, { fromBlock, toBlock: minOf(flags.toBlock, c.at.number), limit: flags.limit + 1 });
  const cells = (r: (typeof rows)[number]) => ({ ...r, payout: phaCell(r.payout), treasury: phaCell(r.treasury), toOwners: phaCell(r.toOwners), toStakers: phaCell(r.toStakers), dismissed: phaCell(r.dismissed) });
  return page(rows, flags.limit, (r) => String(r.block), ['block', 'settledSessions', 'payout', 'treasury', 'toOwners', 'toStakers', 'dismissed'], cells);
}

/** Answers `resource` (with its decoded `id` for the single-row resources). */
export async function answer(c: AnswerContext, resource: Resource, id: number | string | undefined): Promise<Answer> {
  switch (resource) {
    case 'head':
      return { kind: 'item', item: c.at };
    case 'blocks':
      return blocks(c);
    case 'block':
      return block(c, Number(id));
    case 'events':
      return events(c);
    case 'accounts':
      return accounts(c);
    case 'account':
      return account(c, String(id));
    case 'rewards':
      return rewards(c);
    case 'workers':
    case 'worker':
    case 'finance':
    case 'gatekeepers':
    case 'pools':
    case 'pool':
    case 'clusters':
    case 'contracts':
    case 'contract':
      return answerModel(c, resource satisfies ModelResource, id);
    default: {
      const never: never = resource;
      return never;
    }
  }
}

/** The head block, or the block `--at-block` names (exit 1 if there is none). */
export async function answerBlock(store: ProjectionStore, atBlock: number | undefined): Promise<BlockRow> {
  const head = await queryHead(store);
  if (head === undefined) throw new ProblemError('query: the ledger has no blocks yet');
  if (atBlock === undefined) return head;
  if (atBlock > head.number) throw new ProblemError(`query: --at-block ${atBlock} is past the chain head (block ${head.number})`);
  const row = await queryHead(store, atBlock);
  if (row === undefined) throw new ProblemError(`query: block ${atBlock} is not in the projections`);
  return row;
}

/** The open stores a query reads: the ledger (time travel), its event codec and the projections. */
export type QueryStores = Pick<AnswerContext, 'ledger' | 'eventCodec' | 'store'>;

/**
 * Answers `resource` over projections already caught up, with its `meta`: the one path both
 * `phalanet query` and `phalanet serve` take, so the CLI and the API agree on the same store.
 */
export async function answerQuery(
  stores: QueryStores,
  resource: Resource,
  id: number | string | undefined,
  flags: QueryFlags,
  projections: readonly ProjectionStatus[],
): Promise<{ answer: Answer; meta: QueryMeta }> {
  const at = await answerBlock(stores.store, flags.atBlock);
  const result = await answer({ ...stores, at, flags }, resource, id);
  return { answer: result, meta: { block: at.number, hash: at.hash, projections } };
}
