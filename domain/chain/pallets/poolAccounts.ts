/**
 * Pallet-controlled accounts of the stake pools (DOMAIN.md §8.2), under the names the pool pallets
 * use. The derivations themselves live in `domain/ids/accounts.ts`, the one implementation.
 */
export {
  lockAccount,
  ownerRewardAccount,
  poolAccount,
  poolSubAccount as sessionAccount,
  SUBSIDY_POOL_ACCOUNT,
  WPHA_ACCOUNT,
} from '../../ids/accounts';
