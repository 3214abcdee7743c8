/** Branded ids and account derivations. */
export * from './accounts';
export * from './ids';
