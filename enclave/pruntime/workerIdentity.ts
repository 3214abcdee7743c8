/**
 * A pRuntime's identity as the worker code sees it: its public key, and signing of egress by one
 * of the vault's keys. The vault (enclave/vault) keeps every secret; this module only decides
 * where a signature's nonce randomness comes from.
 *
 * Signing randomness is derived, not drawn: the message with sequence `s` on the channel of
 * origin `o` is signed with `random.fork('egress-signing').fork('<hex SCALE(o)>/<s>')`. So a
 * worker restored from a checkpoint that re-produces a message re-signs it to the same bytes,
 * whatever it signed in between (given the same seeded Random; a cluster's OS Random does not
 * repeat, which the chain tolerates — DOMAIN.md §14 F29).
 */
import * as E from 'fp-ts/Either';
import type { Random } from '../../domain/ports/random';
import type { Measurement } from '../platform/measurement';
import type { Platform } from '../platform/platform';
import { createKeyVault, type KeyRef, type KeyVault, type RestoreVaultError, restoreKeyVault } from '../vault/keyVault';

/** What the worker code needs of its enclave identity. */
export interface WorkerIdentity {
  /** sr25519 identity public key (= its ECDH key) */
  readonly publicKey: Uint8Array;
  /** signs the bytes of egress message `sequence` of channel `originHex` with vault key `key` */
  signEgress(key: KeyRef, originHex: string, sequence: bigint, bytes: Uint8Array): Uint8Array;
  /** the vault sealed for (this platform, `m`) */
  sealVault(platform: Platform, m: Measurement): Uint8Array;
  /**
   * The enclave's key vault, for the roles this pRuntime takes on (gatekeeper, contract cluster).
   * It hands out public keys, signatures, ciphertexts and sealed blobs only, never a secret.
   */
  readonly vault: KeyVault;
}

interface Route {
  current: Random | undefined;
}

// A Random whose every stream (and every fork of it) reads from `route.current` while a signature
// is being made, and from its own stream otherwise: the vault draws its signing nonces from a
// fork it made at construction, and this is how a per-message stream reaches it.
function routedRandom(base: Random, route: Route): Random {
  const pick = (): Random => route.current ?? base;
  return {
    nextU32: () => pick().nextU32(),
    nextInt: (min, max) => pick().nextInt(min, max),
    nextFloat: () => pick().nextFloat(),
    bytes: (n) => pick().bytes(n),
    fork: (label) => routedRandom(base.fork(label), route),
  };
}

function identityOver(vault: KeyVault, random: Random, route: Route): WorkerIdentity {
  const signingRoot = random.fork('egress-signing');
  return {
    publicKey: vault.identityPublicKey,
    signEgress(key, originHex, sequence, bytes) {
      route.current = signingRoot.fork(`${originHex}/${sequence}`);
      try {
        return vault.sign(key, bytes);
      } finally {
        route.current = undefined;
      }
    },
    sealVault: (platform, m) => vault.seal(platform, m),
    vault,
  };
}

/** A fresh identity; its key seed comes from `random` (seeded in a simulation). */
export function createWorkerIdentity(random: Random): WorkerIdentity {
  const route: Route = { current: undefined };
  return identityOver(createKeyVault(routedRandom(random, route)), random, route);
}

/** The identity of a sealed vault; give it the same `random` as before to re-sign identically. */
export function restoreWorkerIdentity(platform: Platform, m: Measurement, sealedVault: Uint8Array, random: Random): E.Either<RestoreVaultError, WorkerIdentity> {
  const route: Route = { current: undefined };
  return E.map((vault: KeyVault) => identityOver(vault, random, route))(restoreKeyVault(platform, m, sealedVault, routedRandom(random, route)));
}

/**
 * A fresh identity and the vault behind it, for a pRuntime that also runs the gatekeeper role
 * (the GK code signs with the same vault's master key). The vault never leaves the enclave layer:
 * callers hand it to `createGatekeeperRuntime` and nothing else.
 */
export function createWorkerIdentityWithVault(random: Random): { identity: WorkerIdentity; vault: KeyVault } {
  const route: Route = { current: undefined };
  const vault = createKeyVault(routedRandom(random, route));
  return { identity: identityOver(vault, random, route), vault };
}
