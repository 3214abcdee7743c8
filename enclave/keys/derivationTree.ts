import { type Sr25519Pair, deriveSr25519Pair } from './sr25519Pair';

const utf8 = (s: string) => new TextEncoder().encode(s);

/**
 * The derivation tree of DOMAIN.md §3.2. Every node is `derive_sr25519_pair` of its parent with
 * the listed path parts (as bytes, concatenated).
 */
export type DerivationPath =
  | { readonly kind: 'random_number' }
  | { readonly kind: 'iv_generator' }
  | { readonly kind: 'master_key_sharing' }
  | { readonly kind: 'cluster_key_sharing' }
  | { readonly kind: 'cluster_key'; readonly clusterId: Uint8Array }
  | { readonly kind: 'contract_key'; readonly contractId: Uint8Array };

function assertId(name: string, id: Uint8Array): Uint8Array {
  if (id.length !== 32) throw new Error(`${name} must be 32 bytes, got ${id.length}`);
  return id;
}

/** The HKDF info parts for a path, exactly as Phala passes them. */
export function derivationInfo(path: DerivationPath): Uint8Array[] {
  switch (path.kind) {
    case 'random_number':
    case 'iv_generator':
    case 'master_key_sharing':
    case 'cluster_key_sharing':
      return [utf8(path.kind)];
    case 'cluster_key':
      return [utf8('cluster_key'), assertId('cluster id', path.clusterId)];
    case 'contract_key':
      return [utf8('contract_key'), assertId('contract id', path.contractId)];
    default: {
      const unknownPath: never = path;
      throw new Error(`unknown derivation path ${JSON.stringify(unknownPath)}`);
    }
  }
}

/** `parent.derive_sr25519_pair(info(path))`. */
export function derivePair(parent: Sr25519Pair, path: DerivationPath): Sr25519Pair {
  return deriveSr25519Pair(parent, derivationInfo(path));
}

/** `get_cluster_key(master, cluster)` (gk.rs). */
export function clusterKeyOf(masterKey: Sr25519Pair, clusterId: Uint8Array): Sr25519Pair {
  return derivePair(masterKey, { kind: 'cluster_key', clusterId });
}

/** `get_contract_key(cluster_key, contract)` (system/mod.rs). */
export function contractKeyOf(clusterKey: Sr25519Pair, contractId: Uint8Array): Sr25519Pair {
  return derivePair(clusterKey, { kind: 'contract_key', contractId });
}
