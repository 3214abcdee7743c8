/**
 * The fault layer of the simulated network (ARCHITECTURE.md §6, §8). Scenarios switch faults on;
 * with the default (`noFaults`) the bus behaves like a healthy Kafka cluster and draws no random
 * numbers for faults at all.
 *
 * Each kind of fault draws from its own fork of the network's Random (`'drop'`, `'duplicate'`,
 * `'reorder'`, `'delay'`), and within it from a fork per producer node (acceptance faults) or per
 * (group, topic, partition) (delivery faults). So switching one fault on does not change what another
 * decides, and adding a node or a group does not change what the faults do to the others.
 *
 * Where each fault acts:
 * * drop — when the bus accepts a published message: the message never reaches the log. The
 *   producer's `publish` still resolves (a lossy network does not tell the sender).
 * * duplicate — when the bus accepts a message: a copy with the same id is appended again later
 *   (after `delayMsMax` at most), at a later offset, so consumers see it twice.
 * * reorder — each accepted message is appended after its own extra delay in [0, windowMs], so
 *   messages published less than `windowMs` apart may swap places in the log. This breaks per-key
 *   order by design; it exists only when switched on.
 * * delay — a delivery to a consumer waits an extra [delayMsMin, delayMsMax]. The partition waits
 *   with it (later messages of the partition are not delivered first).
 * * cuts (network partitions) — between `fromMs` and `untilMs`. Messages across a cut are HELD,
 *   never dropped: loss is what `drop` is for. An `isolate` cut separates nodes from the bus: their
 *   publishes are accepted only after the cut heals and nothing is delivered to them. A `split` cut
 *   separates two sets of nodes: a message published by one side is delivered to the other side's
 *   consumers only after the cut heals (the partition waits, as with `delay`).
 */
import type { Random } from '../../domain/ports/random';

/** A network partition between virtual times `fromMs` (inclusive) and `untilMs` (exclusive) */
export type NetworkCut =
  | { readonly kind: 'isolate'; readonly nodes: readonly string[]; readonly fromMs: number; readonly untilMs: number }
  | {
      readonly kind: 'split';
      readonly sides: readonly [readonly string[], readonly string[]];
      readonly fromMs: number;
      readonly untilMs: number;
    };

/** Which faults a scenario switches on; an absent key means that fault is off */
export interface FaultConfig {
  readonly drop?: { readonly probability: number };
  readonly duplicate?: { readonly probability: number; readonly delayMsMax: number };
  readonly reorder?: { readonly windowMs: number };
  readonly delay?: { readonly probability: number; readonly delayMsMin: number; readonly delayMsMax: number };
  readonly cuts?: readonly NetworkCut[];
}

/** No faults: the default */
export const noFaults: FaultConfig = {};

/** What the fault layer decided for one accepted message */
export interface AcceptDecision {
  readonly drop: boolean;
  /** extra delay before the message is appended (reorder), ms */
  readonly appendDelayMs: number;
  /** when set, a copy is appended this many ms after the original */
  readonly duplicateAfterMs: number | undefined;
}

/** The acceptance faults of one producer node */
export interface ProducerFaults {
  onAccept(): AcceptDecision;
}

/** The decisions the bus asks of the fault layer */
export interface FaultLayer {
  /** the acceptance faults of `nodeId`'s publishes (its own random streams) */
  producer(nodeId: string): ProducerFaults;
  /**
   * The extra-delay draw of one delivery stream (its own random stream, named by the path):
   * returns ms, 0 when `delay` is off or did not hit.
   */
  deliveryDelay(path: readonly string[]): () => number;
  /** when a node cannot reach the bus at `atMs`, the time its cut heals */
  isolatedUntil(nodeId: string, atMs: number): number | undefined;
  /** when a message from `fromNode` cannot reach `toNode` at `atMs`, the time the cut heals */
  heldUntil(fromNode: string, toNode: string, atMs: number): number | undefined;
}

function checkProbability(name: string, p: number): void {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`faults.${name}.probability must be in [0, 1], got ${p}`);
}

/** random draws in ms use nextInt: the bounds must be whole milliseconds */
function checkMs(name: string, ms: number): void {
  if (!(Number.isSafeInteger(ms) && ms >= 0)) throw new RangeError(`faults.${name} must be a whole number of ms >= 0, got ${ms}`);
}

function checkConfig(config: FaultConfig): void {
  if (config.drop) checkProbability('drop', config.drop.probability);
  if (config.duplicate) {
    checkProbability('duplicate', config.duplicate.probability);
    checkMs('duplicate.delayMsMax', config.duplicate.delayMsMax);
  }
  if (config.reorder) checkMs('reorder.windowMs', config.reorder.windowMs);
  if (config.delay) {
    checkProbability('delay', config.delay.probability);
    checkMs('delay.delayMsMin', config.delay.delayMsMin);
    checkMs('delay.delayMsMax', config.delay.delayMsMax);
    if (config.delay.delayMsMin > config.delay.delayMsMax) throw new RangeError('faults.delay needs delayMsMin <= delayMsMax');
  }
  for (const cut of config.cuts ?? []) {
    if (!(cut.fromMs < cut.untilMs)) throw new RangeError(`a network cut needs fromMs < untilMs (${cut.fromMs}, ${cut.untilMs})`);
  }
}

/** the latest heal time among the active cuts matching `separates`, if any */
function healTime(cuts: readonly NetworkCut[], atMs: number, separates: (cut: NetworkCut) => boolean): number | undefined {
  let until: number | undefined;
  for (const cut of cuts) {
    if (atMs >= cut.fromMs && atMs < cut.untilMs && separates(cut)) until = Math.max(until ?? cut.untilMs, cut.untilMs);
  }
  return until;
}

/** The fault layer of `config`, drawing from forks of `random` */
export function faultLayer(config: FaultConfig, random: Random): FaultLayer {
  checkConfig(config);
  const [dropRoot, duplicateRoot, reorderRoot, delayRoot] = ['drop', 'duplicate', 'reorder', 'delay'].map((l) => random.fork(l));
  const cuts = config.cuts ?? [];
  const isIsolated = (nodeId: string) => (cut: NetworkCut) => cut.kind === 'isolate' && cut.nodes.includes(nodeId);
  return {
    producer(nodeId) {
      const dropRandom = dropRoot!.fork(nodeId);
      const duplicateRandom = duplicateRoot!.fork(nodeId);
      const reorderRandom = reorderRoot!.fork(nodeId);
      return {
        onAccept() {
          const drop = config.drop !== undefined && dropRandom.nextFloat() < config.drop.probability;
          if (drop) return { drop, appendDelayMs: 0, duplicateAfterMs: undefined };
          const appendDelayMs = config.reorder ? reorderRandom.nextInt(0, config.reorder.windowMs) : 0;
          const dup = config.duplicate;
          const hit = dup !== undefined && duplicateRandom.nextFloat() < dup.probability;
          return { drop, appendDelayMs, duplicateAfterMs: hit ? duplicateRandom.nextInt(0, dup.delayMsMax) : undefined };
        },
      };
    },
    deliveryDelay(path) {
      const d = config.delay;
      if (d === undefined) return () => 0;
      const delayRandom = path.reduce((r, label) => r.fork(label), delayRoot!);
      return () => (delayRandom.nextFloat() < d.probability ? delayRandom.nextInt(d.delayMsMin, d.delayMsMax) : 0);
    },
    isolatedUntil: (nodeId, atMs) => healTime(cuts, atMs, isIsolated(nodeId)),
    heldUntil(fromNode, toNode, atMs) {
      return healTime(cuts, atMs, (cut) => {
        if (cut.kind === 'isolate') return cut.nodes.includes(toNode);
        const [a, b] = cut.sides;
        return (a.includes(fromNode) && b.includes(toNode)) || (b.includes(fromNode) && a.includes(toNode));
      });
    },
  };
}
