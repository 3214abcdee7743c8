/**
 * The gatekeepers' economics as an observer of the chain re-derives it (Phala's
 * `standalone/replay`, `ReplayFactory::handle_inbound_messages`): fed every block's outbound
 * messages in order, it starts the engine where a gatekeeper role starts (the pallet's
 * `FirstGatekeeper`, with the tokenomic parameters the chain stores at that block), feeds it the
 * messages that follow, and runs the engine at the end of every block once the master pubkey is on
 * chain (`MasterPubkeyOnChain`) — the blocks for which the gatekeeper pRuntime
 * (`enclave/gatekeeper/gatekeeperRuntime.ts`) sends a report. Messages of a block before that are
 * dropped, as the pRuntime's `recv_mq.clear()` drops them. An engine panic stops the follower: a
 * gatekeeper halts there too, and every later report is one nobody could have derived.
 */
import type { Message } from '../codec/mq.codec';
import { decodeGkInbound, economicsMessageOf } from './chainMessages';
import type { Economics, EconomicsMessage, WorkingInfoUpdate } from './messages';
import { gkTestTokenomicParameters, type TokenomicParameters } from './tokenomicParameters';

/** One block as the follower reads it: number, `Timestamp::Now`, outbound messages in order. */
export interface FollowedBlock {
  readonly number: number;
  readonly timestampMs: number;
  readonly messages: readonly Message[];
}

/** What one block did to the gatekeepers' economics. */
export interface FollowedOutcome {
  /** the messages the engine processed in this block (empty before the master pubkey is on chain) */
  readonly fed: readonly EconomicsMessage[];
  /** the report the gatekeepers owe for this block, if non-empty */
  readonly report: WorkingInfoUpdate | undefined;
}

/** Where the follower stands. */
export type FollowerStatus =
  | { readonly status: 'waiting' }
  | { readonly status: 'launched'; readonly atBlock: number }
  | { readonly status: 'onChain'; readonly atBlock: number }
  | { readonly status: 'failed'; readonly atBlock: number; readonly reason: string };

/** The observer; `createEngine` is `createEconomics` outside tests. */
export interface GkFollower {
  /** `paramsNow` reads the chain's stored `TokenomicParameters` after this block (only called at the launch) */
  processBlock(block: FollowedBlock, paramsNow: () => TokenomicParameters | undefined): FollowedOutcome;
  /** the engine, once launched (and not failed) */
  economics(): Economics | undefined;
  status(): FollowerStatus;
}

const NOTHING: FollowedOutcome = { fed: [], report: undefined };

/**
 * A follower that has seen no block yet, or — `from` — one resuming where another stood (its
 * status and its engine, restored from a stored state by the caller).
 */
export function createGkFollower(createEngine: (params: TokenomicParameters) => Economics, from?: { readonly status: FollowerStatus; readonly engine: Economics | undefined }): GkFollower {
  let engine: Economics | undefined = from?.engine;
  let state: FollowerStatus = from?.status ?? { status: 'waiting' };
  if ((state.status === 'launched' || state.status === 'onChain') !== (engine !== undefined)) {
    throw new Error(`gatekeeper follower: a ${state.status} follower ${engine === undefined ? 'needs' : 'has no use for'} an engine`);
  }
  return {
    processBlock(block, paramsNow) {
      if (state.status === 'failed') return NOTHING;
      const fed: EconomicsMessage[] = [];
      for (const message of block.messages) {
        const inbound = decodeGkInbound(message);
        if (inbound === undefined) continue;
        if (inbound.kind === 'launch' && inbound.origin.tag === 'Pallet') {
          if (inbound.event.tag === 'FirstGatekeeper' && engine === undefined) {
            engine = createEngine(paramsNow() ?? gkTestTokenomicParameters);
            state = { status: 'launched', atBlock: block.number };
            continue;
          }
          if (inbound.event.tag === 'MasterPubkeyOnChain' && state.status === 'launched') state = { status: 'onChain', atBlock: block.number };
        }
        if (engine === undefined) continue;
        const economic = economicsMessageOf(inbound);
        if (economic !== undefined) fed.push(economic);
      }
      if (engine === undefined || state.status !== 'onChain') return NOTHING;
      try {
        return { fed, report: engine.processBlock({ number: block.number, timestampMs: block.timestampMs, messages: fed }) };
      } catch (e) {
        engine = undefined;
        state = { status: 'failed', atBlock: block.number, reason: e instanceof Error ? e.message : String(e) };
        return NOTHING;
      }
    },
    economics: () => engine,
    status: () => state,
  };
}
