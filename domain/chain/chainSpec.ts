/**
 * The chain spec, recorded in block 0 so that the ledger alone is enough to replay. Besides the
 * chain's constants it holds the exact genesis calls (SCALE-encoded runtime calls dispatched as
 * Root at block 0): balances and the subsidy pool's funding, the vendor key, the pRuntime
 * allow-list, tokenomic parameters, benchmark duration, W-PHA minimum balance, heartbeat pause…
 * Recording the calls, not a config to be re-interpreted, keeps old ledgers replayable when the
 * spec compiler changes.
 */
import { Struct, str, u32, u64, type CodecType } from 'scale-ts';
import { bytes, scale, vec } from '../codec/scale';
import { AccountId } from '../runtime/codecs';

export const chainSpecCodec = Struct({
  /** format of this record, for upcasting (issue 7) */
  specVersion: u32,
  chainName: str,
  blockTimeMs: u32,
  genesisTimestampMs: u64,
  /** governance: the Sudo key */
  rootAccount: AccountId,
  /** runtime calls dispatched as Root at genesis, in order */
  genesisCalls: vec(bytes()),
});
/** What block 0 records. */
export type ChainSpec = CodecType<typeof chainSpecCodec>;
/** Strict codec of `ChainSpec`. */
export const ChainSpecScale = scale('ChainSpec', chainSpecCodec);
/** The `specVersion` this code writes. */
export const CHAIN_SPEC_VERSION = 1;
