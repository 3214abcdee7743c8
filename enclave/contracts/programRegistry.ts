import { blake2b256 } from '../../domain/codec/hash';
import { toHex } from '../../domain/codec/hex';
import { str, tuple } from '../../domain/codec/scale';
import type { ContractProgram } from './contractProgram';

const nameAndVersion = tuple(str, str);

/**
 * The resource a deployer uploads for a program: SCALE `(name, version)`. The Phat pallet hashes
 * uploaded code with blake2_256, so the on-chain code hash of this resource is the program's
 * {@link codeHashOf}.
 */
export function programResource(name: string, version: string): Uint8Array {
  return nameAndVersion.enc([name, version]);
}

/** `blake2_256(SCALE((name, version)))`: the code hash a program is deployed under. */
export function codeHashOf(name: string, version: string): Uint8Array {
  return blake2b256(programResource(name, version));
}

/** The programs a pRuntime build ships, by code hash. */
export interface ProgramRegistry {
  lookup(codeHash: Uint8Array): ContractProgram | undefined;
  /** `0x` hex code hashes, sorted */
  codeHashes(): readonly string[];
}

/** A registry of `programs`; two programs with the same name and version are a build bug (throws). */
export function createProgramRegistry(programs: readonly ContractProgram[]): ProgramRegistry {
  const byHash = new Map<string, ContractProgram>();
  for (const p of programs) {
    const hash = toHex(codeHashOf(p.name, p.version));
    if (byHash.has(hash)) throw new Error(`program ${p.name} ${p.version} registered twice`);
    byHash.set(hash, p);
  }
  return {
    lookup: (codeHash) => byHash.get(toHex(codeHash)),
    codeHashes: () => [...byHash.keys()].sort(),
  };
}
