/** Test helper: every row and checkpoint of some projections, as one comparable object. */
import { type Projection, ownedTables } from '../projection';
import type { ProjectionReader, ProjectionStore } from '../store';

/** The rows of the projections' own tables (not their snapshots), by table. */
export async function dumpTables(reader: ProjectionReader, projections: readonly Projection[]): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const p of projections) for (const t of p.tables) out[t] = await reader.scan(t);
  return out;
}

/** Rows of every owned table (snapshots included) and the checkpoints. */
export async function dumpAll(store: ProjectionStore, projections: readonly Projection[]): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const p of projections) {
    for (const t of ownedTables(p)) out[t] = await store.scan(t);
    out[`checkpoint:${p.name}`] = await store.checkpoint(p.name);
  }
  return out;
}
