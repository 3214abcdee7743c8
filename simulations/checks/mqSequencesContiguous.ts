/**
 * "mq sequences contiguous": per off-chain sender (worker, gatekeeper, cluster, contract), the
 * sequences the chain accepted (`PhalaMq.OffchainMessageAccepted`) are 0, 1, 2, … with no gap and
 * no repeat, and `OffchainIngress[sender]` (the next expected sequence) agrees with them.
 *
 * Cost: one map entry per sender (20,000 workers ⇒ 20,000 small entries); per block only the
 * accepted messages are looked at, and storage is read for the senders they name. The whole
 * `OffchainIngress` map is compared every `fullScanEvery` blocks, at block 0 and on the final
 * block, which catches a sequence moved without an event.
 */
import { type MessageOrigin, originKey } from '../../domain/codec/mq.codec';
import { MQ, OffchainIngress } from '../../domain/chain/pallets/mq.pallet';
import type { BlockFacts, Checker } from './api';
import { DEFAULT_FULL_SCAN_EVERY, fullScanDue } from './balanceShadow';
import { verdict } from './verdict';

/** Options of {@link mqSequencesContiguous}. */
export interface MqSequencesOptions {
  /** blocks between two full comparisons of `OffchainIngress` (default 600) */
  readonly fullScanEvery?: number;
}

const describe = (o: MessageOrigin): string => (o.value instanceof Uint8Array ? `${o.tag}(0x${Buffer.from(o.value).toString('hex')})` : o.tag);

/** The mq sequence checker. */
export function mqSequencesContiguous(options: MqSequencesOptions = {}): Checker {
  const name = 'mqSequencesContiguous';
  const every = options.fullScanEvery ?? DEFAULT_FULL_SCAN_EVERY;
  const v = verdict(name);
  /** next expected sequence per sender (origin key) */
  const next = new Map<string, bigint>();

  return {
    name,
    onBlock({ block, events, state, final }: BlockFacts) {
      const n = block.header.number;
      const touched = new Map<string, MessageOrigin>();
      for (const e of events) {
        if (e.tag !== MQ || e.value.tag !== 'OffchainMessageAccepted') continue;
        const { sender, sequence } = e.value.value as { sender: MessageOrigin; sequence: bigint };
        const key = originKey(sender);
        const expected = next.get(key) ?? 0n;
        if (sequence !== expected) {
          const what = sequence < expected ? 'repeats an accepted sequence' : 'skips';
          v.fail(n, `${describe(sender)}: sequence ${sequence} accepted where ${expected} was next (${what})`);
        }
        next.set(key, sequence + 1n);
        touched.set(key, sender);
      }
      for (const [key, sender] of touched) {
        const stored = OffchainIngress.get(state, sender) ?? 0n;
        if (stored !== next.get(key)) v.fail(n, `${describe(sender)}: OffchainIngress is ${stored} in storage, the accepted messages say ${next.get(key)}`);
      }
      if (!fullScanDue(n, final, every)) return;
      const stored = OffchainIngress.entries(state);
      for (const [sender, seq] of stored) {
        const expected = next.get(originKey(sender));
        if (expected !== seq) v.fail(n, `${describe(sender)}: OffchainIngress is ${seq} in storage, the accepted messages say ${expected ?? 'none'} (full scan)`);
      }
      if (stored.length !== next.size) v.fail(n, `OffchainIngress has ${stored.length} senders in storage, ${next.size} senders had messages accepted (full scan)`);
    },
    finish: () => v.result(),
  };
}
