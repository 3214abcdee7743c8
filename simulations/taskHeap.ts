/**
 * An indexed binary min-heap of scheduled tasks: O(log n) insert, pop and remove (each entry knows
 * its slot, so cancelling does not scan).
 */

/** One scheduled task; the heap orders entries by (atMs, tiebreak, sequence) */
export interface TaskEntry {
  readonly id: number;
  readonly atMs: number;
  /** seeded 32-bit number that orders tasks due at the same virtual time */
  readonly tiebreak: number;
  /** scheduling order; unique, so the order is total */
  readonly sequence: number;
  readonly task: () => void;
  readonly label: string;
  /** current slot in the heap array, -1 once removed */
  slot: number;
}

function before(a: TaskEntry, b: TaskEntry): boolean {
  if (a.atMs !== b.atMs) return a.atMs < b.atMs;
  if (a.tiebreak !== b.tiebreak) return a.tiebreak < b.tiebreak;
  return a.sequence < b.sequence;
}

/** A min-heap of task entries keyed by (atMs, tiebreak, sequence) */
export class TaskHeap {
  private readonly items: TaskEntry[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): TaskEntry | undefined {
    return this.items[0];
  }

  push(entry: TaskEntry): void {
    entry.slot = this.items.length;
    this.items.push(entry);
    this.up(entry.slot);
  }

  pop(): TaskEntry | undefined {
    const top = this.items[0];
    if (top !== undefined) this.remove(top);
    return top;
  }

  /** removes an entry that is in the heap; a removed entry (slot -1) is ignored */
  remove(entry: TaskEntry): void {
    const slot = entry.slot;
    if (slot < 0 || this.items[slot] !== entry) return;
    const last = this.items.pop()!;
    entry.slot = -1;
    if (last === entry) return;
    this.items[slot] = last;
    last.slot = slot;
    this.up(slot);
    this.down(last.slot);
  }

  private swap(i: number, j: number): void {
    const a = this.items[i]!;
    const b = this.items[j]!;
    this.items[i] = b;
    this.items[j] = a;
    a.slot = j;
    b.slot = i;
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(this.items[i]!, this.items[parent]!)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    const n = this.items.length;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let least = i;
      if (left < n && before(this.items[left]!, this.items[least]!)) least = left;
      if (right < n && before(this.items[right]!, this.items[least]!)) least = right;
      if (least === i) return;
      this.swap(i, least);
      i = least;
    }
  }
}
