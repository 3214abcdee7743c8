/**
 * Sticky placement of one topic's partitions on nodes (issue 8, item 2): a pure function, so the
 * Kafka assigner (`infra/bus/kafkaBus.ts`) stays a thin shell and the rules are property-tested.
 *
 * Every partition has an `owner` (the node that consumes it now) and a `home` (the node it goes
 * back to). They differ only while the home node is absent: its partitions are fostered by the
 * survivors, and when a node with the same id returns it gets them back. Rules, in order:
 *  1. balance: every member gets ⌊n/m⌋ or ⌈n/m⌉ partitions; the ⌈n/m⌉ slots go to the members
 *     that want the most (so a balanced plan is a fixed point);
 *  2. a partition goes to its home if present, else stays with its owner if present, as far as
 *     the quotas allow (homes first: a returning node wins over a foster);
 *  3. the rest go to the least-loaded members (ties by node id), so a dead node's partitions
 *     spread over the survivors and nothing else moves.
 * Node ids, not Kafka member ids, are the identity: a restarted process gets a new member id.
 */

/** Where one partition is and where it belongs */
export interface Placement {
  readonly owner: string;
  readonly home: string;
}

/** partition → placement, for one topic */
export type PlacementPlan = ReadonlyMap<number, Placement>;

/** What the placement is computed from */
export interface PlacementInput {
  /** node ids of the live members; duplicates are ignored */
  readonly members: readonly string[];
  /** the topic's partitions (0..n-1 for Kafka) */
  readonly partitions: readonly number[];
  /** the previous plan (empty on a fresh group); entries of unknown partitions are ignored */
  readonly previous: PlacementPlan;
}

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The member each partition would like: its home, else its owner, if live */
function preferences(present: ReadonlySet<string>, partitions: readonly number[], previous: PlacementPlan) {
  const viaHome: [number, string][] = [];
  const viaOwner: [number, string][] = [];
  for (const p of partitions) {
    const was = previous.get(p);
    if (was === undefined) continue;
    if (present.has(was.home)) viaHome.push([p, was.home]);
    else if (present.has(was.owner)) viaOwner.push([p, was.owner]);
  }
  return [...viaHome, ...viaOwner];
}

/** ⌊n/m⌋ each, plus one for the `n mod m` members that want the most */
function quotas(members: readonly string[], n: number, wanted: readonly [number, string][]): Map<string, number> {
  const demand = new Map(members.map((m) => [m, 0]));
  for (const [, node] of wanted) demand.set(node, (demand.get(node) ?? 0) + 1);
  const order = [...members].sort((a, b) => demand.get(b)! - demand.get(a)! || byId(a, b));
  const base = Math.floor(n / members.length);
  const extra = n % members.length;
  return new Map(order.map((m, i) => [m, base + (i < extra ? 1 : 0)]));
}

/** The next plan: see the file's comment for the rules. */
export function placePartitions(input: PlacementInput): PlacementPlan {
  const members = [...new Set(input.members)].sort(byId);
  const partitions = [...new Set(input.partitions)].sort((a, b) => a - b);
  if (members.length === 0 || partitions.length === 0) return new Map();
  const present = new Set(members);
  const wanted = preferences(present, partitions, input.previous);
  const quota = quotas(members, partitions.length, wanted);
  const load = new Map(members.map((m) => [m, 0]));
  const owner = new Map<number, string>();
  for (const [p, node] of wanted) {
    if (load.get(node)! >= quota.get(node)!) continue;
    owner.set(p, node);
    load.set(node, load.get(node)! + 1);
  }
  for (const p of partitions) {
    if (owner.has(p)) continue;
    let best: string | undefined;
    for (const m of members) {
      if (load.get(m)! < quota.get(m)! && (best === undefined || load.get(m)! < load.get(best)!)) best = m;
    }
    // quotas sum to the partition count, so a free slot always exists
    if (best === undefined) throw new Error(`placement: no free slot for partition ${p} (a bug in the quotas)`);
    owner.set(p, best);
    load.set(best, load.get(best)! + 1);
  }
  const plan = new Map<number, Placement>();
  for (const p of partitions) {
    const node = owner.get(p)!;
    const home = input.previous.get(p)?.home;
    // an absent home keeps its claim (it may come back); a live one moved away for balance loses it
    plan.set(p, { owner: node, home: home !== undefined && !present.has(home) ? home : node });
  }
  return plan;
}

/** The partitions `node` owns in `plan`, ascending */
export function ownedBy(plan: PlacementPlan, node: string): number[] {
  return [...plan].filter(([, placement]) => placement.owner === node).map(([p]) => p).sort((a, b) => a - b);
}
