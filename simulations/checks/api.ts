/**
 * Invariant checkers (issue 6): each sees every block the simulation produces, with the chain
 * state after it, and keeps only what it needs between blocks (a 7,200-block, 20,000-worker run
 * must not hold history). A checker remembers its first failure; `finish` gives its verdict.
 */
import type { Block } from '../../domain/chain/block';
import type { StorageReader } from '../../domain/runtime/storage';
import type { RuntimeEvent } from '../../domain/runtime/types';
import type { CheckResult } from '../report/summary';

/** One produced block as a checker sees it. */
export interface BlockFacts {
  /** the sealed block (header, extrinsic/event/outbound bytes) */
  readonly block: Block;
  /** its events decoded, in order (genesis included for block 0) */
  readonly events: readonly RuntimeEvent[];
  /** the chain state after the block; read it, never keep it */
  readonly state: StorageReader;
  /**
   * true on the run's last block: checkers that verify storage only every N blocks (to stay cheap)
   * do their full verification now, since `finish` sees no state
   */
  readonly final?: boolean;
}

/** Facts only the driver knows, reported per block (gatekeeper agreement, leaks). */
export interface DriverFacts {
  readonly block: number;
  /** each live gatekeeper's egress digest for this block (hex of a hash over its signed messages' payloads) */
  readonly gatekeeperDigests: readonly { readonly gatekeeper: string; readonly digest: string }[];
  /**
   * bytes that left a component during this block and must hold no secret: bus payloads, store
   * records, log lines (`where` names the source, e.g. `bus:phala.egress`, `log:worker-3`)
   */
  readonly leakChunks?: readonly { readonly where: string; readonly bytes: Uint8Array | string }[];
  /** each live contract-cluster worker's digest of this block (its cluster/contract egress, refusals, public answers) */
  readonly clusterDigests?: readonly { readonly cluster: string; readonly worker: string; readonly digest: string }[];
}

/** An invariant checker. */
export interface Checker {
  readonly name: string;
  onBlock(facts: BlockFacts): void;
  onDriverFacts?(facts: DriverFacts): void;
  /** the verdict: passed, or the first failing block and why */
  finish(): CheckResult;
}
