/**
 * What every `phalanet query` answer is built from: the answer shape (a page or one row, with
 * how the text output shows it), the context an answer reads, paging, and time travel.
 */
import type { Codec } from 'scale-ts';
import type { EventStore } from '../../../domain/ports/eventStore';
import type { RuntimeEvent } from '../../../domain/runtime/types';
import { type BlockRow, type Projection, type ProjectionReader, type ProjectionStore, projectionAt } from '../../../projections';
import type { QueryFlags } from './queryFlags';

/** How a row looks in the text output (PHA amounts, decimals); `--json` prints the row itself. */
export type Display = (row: Record<string, unknown>) => Record<string, unknown>;

/** A page of rows, or one row. `columns` is what the text table shows (keys of `display`'s result when given). */
export type Answer =
  | { readonly kind: 'list'; readonly items: readonly Record<string, unknown>[]; readonly next: string | null; readonly columns: readonly string[]; readonly display?: Display }
  | { readonly kind: 'item'; readonly item: Record<string, unknown>; readonly display?: Display };

/** What an answer needs: the ledger (time travel folds from it), the live projections, the head. */
export interface AnswerContext {
  readonly ledger: EventStore;
  readonly eventCodec: Codec<RuntimeEvent>;
  readonly store: ProjectionStore;
  /** the block the answer is as of: the head, or `--at-block` */
  readonly at: BlockRow;
  readonly flags: QueryFlags;
}

/** The smallest of the numbers given (undefined if none). */
export const minOf = (...xs: (number | undefined)[]): number | undefined => {
  const given = xs.filter((x): x is number => x !== undefined);
  return given.length === 0 ? undefined : Math.min(...given);
};
/** The largest of the numbers given (undefined if none). */
export const maxOf = (...xs: (number | undefined)[]): number | undefined => {
  const given = xs.filter((x): x is number => x !== undefined);
  return given.length === 0 ? undefined : Math.max(...given);
};

/** Keeps `limit` rows of `limit + 1` fetched; the last kept row's cursor is `next` if there were more. */
export function page<R extends Record<string, unknown>>(rows: readonly R[], limit: number, cursorOf: (r: R) => string, columns: readonly string[], display?: (row: R) => Record<string, unknown>): Answer {
  const items = rows.slice(0, limit);
  return { kind: 'list', items, next: rows.length > limit ? cursorOf(items[items.length - 1]!) : null, columns, ...(display === undefined ? {} : { display: display as Display }) };
}

/** A projection's tables as of `--at-block` (time travel from its nearest snapshot) or the live ones. */
export async function readerAt(c: AnswerContext, p: Projection): Promise<ProjectionReader> {
  if (c.flags.atBlock === undefined) return c.store;
  return (await projectionAt(c.ledger, c.eventCodec, p, c.store, c.flags.atBlock)).reader;
}

