/**
 * The `projections` role of `phalanet node`: it folds the ledger's blocks into the read models
 * (every projection of `projections/`) in the shared PostgreSQL projection store, in the ledger's
 * schema, as the blocks arrive. Folds are serialized by the store's rebuild lock: with several
 * nodes of the role one folds at a time and the others find the projections caught up or wait
 * their turn. The `api` role serves from what this role folds.
 */
import { hostname } from 'node:os';
import { createPhalaRuntime } from '../../../domain/chain/phalaRuntime';
import type { EventStore } from '../../../domain/ports/eventStore';
import { allProjections, type ProjectionStatus, projectionStatus } from '../../../projections';
import { ledgerFollower } from '../../http/follower';
import { startFollowing } from '../../http/server';
import { openProjectionStore } from '../../projections';
import type { StoreUrl } from '../../store';

/** A running projections role. */
export interface ProjectionsRole {
  /** each projection's checkpoint and lag behind the ledger */
  status(): Promise<readonly ProjectionStatus[]>;
  /** blocks folded by this node since it started */
  folded(): number;
  /** the last error of the fold loop, cleared by the next good fold */
  lastError(): string | undefined;
  stop(): Promise<void>;
}

/** Starts folding `ledger` into the projection store at `url` every `followMs`. */
export async function startProjectionsRole(options: { nodeId: string; ledger: EventStore; url: StoreUrl; followMs: number; log: (line: string) => void }): Promise<ProjectionsRole> {
  const store = await openProjectionStore(options.url);
  const { eventCodec } = createPhalaRuntime();
  const holder = `phalanet node ${options.nodeId} (projections role), pid ${process.pid} on ${hostname()}`;
  let folded = 0;
  let error: string | undefined;
  const inner = ledgerFollower({ ledger: options.ledger, store, eventCodec, projections: allProjections, now: Date.now, holder });
  const follower = {
    ...inner,
    async catchUp() {
      const r = await inner.catchUp();
      folded += r.folded;
      error = undefined;
      return r;
    },
  };
  const following = startFollowing(follower, options.followMs, (e) => {
    const line = e instanceof Error ? e.message : String(e);
    if (line !== error) options.log(`node ${options.nodeId}: projections: folding the ledger: ${line}`);
    error = line;
  });
  options.log(`node ${options.nodeId}: projections role: folding ${allProjections.length} projections into ${options.url.display}`);
  return {
    status: () => projectionStatus(options.ledger, allProjections, store, Date.now()),
    folded: () => folded,
    lastError: () => error,
    async stop() {
      await following.stop();
      await store.close();
    },
  };
}
