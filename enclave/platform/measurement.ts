import { blake2_256 } from '../../domain/crypto';

/**
 * A measurement names a pRuntime build (Phala: MRENCLAVE). 32 bytes; the chain's registry keeps
 * an allow-list of them, and sealing binds data to one.
 */
export type Measurement = Uint8Array & { readonly __brand: 'Measurement' };

/** Checks and brands 32 bytes as a measurement. */
export function measurement(bytes: Uint8Array): Measurement {
  if (bytes.length !== 32) throw new Error(`a measurement is 32 bytes, got ${bytes.length}`);
  return Uint8Array.from(bytes) as Measurement;
}

/** The measurement of a named build, e.g. `measurementOf('pruntime', '2.2.0')`. */
export function measurementOf(name: string, version: string): Measurement {
  return measurement(blake2_256(new TextEncoder().encode(`phalanet-pruntime-build:${name}@${version}`)));
}
