/**
 * Reading in pages, shared by the durable adapters: a page is one query, so no cursor stays open
 * on a connection between the `yield`s of an async iterator.
 */
import type { AllRange, RecordedEvent, StreamRange } from '../../domain/ports/eventStore';
import { CorruptRecord } from '../../domain/ports/eventStoreErrors';
import { streamBounds } from './inspectable';

/** Rows per query. */
export const pageSize = 1000;

/** `readAll` over `page(afterPosition, maxCount)`, which returns decoded events in global order. */
export async function* pagedReadAll(
  range: AllRange,
  page: (afterPosition: bigint, maxCount: number) => Promise<readonly RecordedEvent[]>,
): AsyncIterable<RecordedEvent> {
  let after = range.afterPosition ?? 0n;
  let left = range.maxCount ?? Number.MAX_SAFE_INTEGER;
  while (left > 0) {
    const want = Math.min(pageSize, left);
    const batch = await page(after, want);
    for (const event of batch) yield event;
    if (batch.length < want) return;
    left -= batch.length;
    after = batch[batch.length - 1]!.globalPosition;
  }
}

/**
 * `readStream` over `page(fromVersion, toVersion, maxCount)`. The stream's recorded version says
 * which rows must exist, so a row missing from the middle (or damaged so that the query cannot
 * find it) is reported as `CorruptRecord` naming the missing version, never skipped.
 */
export async function* pagedReadStream(
  stream: string,
  range: StreamRange | undefined,
  current: number | undefined,
  page: (from: number, to: number, maxCount: number) => Promise<readonly RecordedEvent[]>,
): AsyncIterable<RecordedEvent> {
  if (current === undefined) return;
  const { from, to, maxCount } = streamBounds(range);
  const last = Math.min(to, current, from + maxCount - 1);
  let next = from;
  while (next <= last) {
    // a narrow version range per page keeps the planner on the (stream, version) index
    const batch = await page(next, Math.min(last, next + pageSize - 1), pageSize);
    if (batch.length === 0) throw new CorruptRecord(stream, next, `missing (the stream is at version ${current})`);
    for (const event of batch) {
      if (event.version !== next) throw new CorruptRecord(stream, next, `missing (found version ${event.version} next)`);
      next++;
      yield event;
    }
  }
}
