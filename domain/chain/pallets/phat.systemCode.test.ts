import { blake2b } from '@noble/hashes/blake2.js';
import { H256 } from '../../ids/ids';
import type { RuntimeEvent } from '../../runtime/types';
import { alice, call, ev, phatRuntime, phatSpec, ROOT, signed, SYSTEM_CODE, SYSTEM_CODE_HASH, systemCodeReady } from '../testing/phatForTests';
import { NextPinkSystemCode, PinkRuntimeVersion, PinkSystemCode, PinkSystemCodeHash } from './phat.state';
import type { Storage } from '../../runtime/storage';

const runtime = phatRuntime();
const spec = phatSpec(runtime);
const v2 = new TextEncoder().encode('pink-system v2');

/** Runs every pallet's block initialization, as the executive does at the start of a block. */
function initialize(s: Storage): RuntimeEvent[] {
  const sink = { events: [] as RuntimeEvent[], outbound: [] };
  const ctx = runtime.context(s, { number: 2, timestampMs: 24_000 }, sink);
  for (const p of runtime.pallets) p.onInitialize?.(ctx);
  return sink.events;
}

describe('set_pink_system_code', () => {
  it('schedules the code (governance only); the next block initialization applies it with version + 1', () => {
    spec.given([]).when(signed(alice), call('setPinkSystemCode', { code: v2 })).thenRejects('BadOrigin');
    const s = spec.given(systemCodeReady).when(ROOT, call('setPinkSystemCode', { code: v2 })).thenEmits([ev('PinkSystemCodeScheduled', { code: v2 })]);
    expect(NextPinkSystemCode.get(s)).toEqual(v2);
    expect(PinkSystemCodeHash.get(s)).toBe(SYSTEM_CODE_HASH);
    const hash = H256.fromBytes(blake2b(v2, { dkLen: 32 }));
    expect(initialize(s)).toEqual([ev('PinkSystemCodeApplied', { version: 2, codeHash: hash })]);
    expect(PinkSystemCode.get(s)).toEqual([2, v2]);
    expect(PinkSystemCodeHash.get(s)).toBe(hash);
    expect(NextPinkSystemCode.get(s)).toBeUndefined();
    // nothing scheduled: nothing happens
    expect(initialize(s)).toEqual([]);
  });

  it('the fixture events leave version 1 of the fixture code', () => {
    const s = spec.given(systemCodeReady).storage;
    expect(PinkSystemCode.get(s)).toEqual([1, SYSTEM_CODE]);
  });
});

describe('set_pink_runtime_version', () => {
  it('records the version (governance only)', () => {
    spec.given([]).when(signed(alice), call('setPinkRuntimeVersion', { version: [1, 1] })).thenRejects('BadOrigin');
    const s = spec.given([]).when(ROOT, call('setPinkRuntimeVersion', { version: [1, 1] })).thenEmits([ev('PinkRuntimeVersionSet', { version: [1, 1] })]);
    expect(PinkRuntimeVersion.get(s)).toEqual([1, 1]);
  });
});
