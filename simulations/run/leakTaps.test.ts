import { memoryEventStore } from '../../infra/store/memoryEventStore';
import { tappedStore } from './leakTaps';

describe('tappedStore', () => {
  it('shows every appended record to the tap, then appends it unchanged', async () => {
    const inner = memoryEventStore();
    const seen: string[] = [];
    const store = tappedStore(inner, (where, bytes) => seen.push(`${where}=${Buffer.from(bytes).toString()}`));
    const data = (s: string) => new TextEncoder().encode(s);
    await store.append('actor-w1', [{ type: 'SnapshotSaved', schemaVersion: 1, data: data('one') }, { type: 'SnapshotSaved', schemaVersion: 1, data: data('two') }], 'no-stream');
    expect(seen).toEqual(['store stream actor-w1 record SnapshotSaved=one', 'store stream actor-w1 record SnapshotSaved=two']);
    expect(await inner.streamVersion('actor-w1')).toBe(1);
    expect(await store.streamVersion('actor-w1')).toBe(1);
    expect(store.url).toBe(inner.url);
  });
});
