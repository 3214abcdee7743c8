/**
 * "No secret leaked": every block's ledger record (extrinsics, events, outbound messages) and
 * every chunk the driver reports (`DriverFacts.leakChunks`: bus payloads, store rows, log lines)
 * is searched by the {@link LeakScanner} for the secrets of the watched enclave objects. The
 * driver watches each vault/platform/vendor it creates (`scanner.watch`) and should watch it again
 * after it acquires a key; the checker also re-reads all of them every `refreshEvery` blocks.
 */
import type { BlockFacts, Checker, DriverFacts } from './api';
import type { LeakFinding, LeakScanner } from './leakScanner';
import { verdict } from './verdict';

/** Options of {@link noSecretLeaked}. */
export interface NoSecretLeakedOptions {
  /** blocks between two re-reads of every watched holder's secrets (default 50) */
  readonly refreshEvery?: number;
}

const ENCODING_TEXT: Record<LeakFinding['encoding'], string> = { raw: 'raw bytes', hex: 'hex text', base64: 'base64 text' };
const describe = (f: LeakFinding) => `secret "${f.label}" (${f.form} form, as ${ENCODING_TEXT[f.encoding]}) found in ${f.where} at byte ${f.offset}`;

/** The leak checker over `scanner`. */
export function noSecretLeaked(scanner: LeakScanner, options: NoSecretLeakedOptions = {}): Checker {
  const name = 'noSecretLeaked';
  const every = options.refreshEvery ?? 50;
  const v = verdict(name);
  const scanAll = (block: number, where: string, chunks: readonly Uint8Array[]) => {
    if (v.failed) return;
    for (let i = 0; i < chunks.length; i++) {
      const found = scanner.scan(`${where} ${i}`, chunks[i]!);
      if (found !== undefined) return v.fail(block, describe(found));
    }
  };
  return {
    name,
    onBlock({ block }: BlockFacts) {
      const n = block.header.number;
      if (n % every === 0) scanner.refresh();
      scanAll(n, `block #${n} extrinsic`, block.extrinsics);
      scanAll(n, `block #${n} event`, block.events);
      scanAll(n, `block #${n} outbound message`, block.outbound);
      if (block.genesis !== undefined) scanAll(n, 'the chain spec of block #0', [block.genesis]);
    },
    onDriverFacts({ block, leakChunks }: DriverFacts) {
      if (v.failed || leakChunks === undefined) return;
      for (const c of leakChunks) {
        const found = scanner.scan(c.where, c.bytes);
        if (found !== undefined) return v.fail(block, describe(found));
      }
    },
    finish: () => v.result(),
  };
}
