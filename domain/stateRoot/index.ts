/** Incremental state root. */
export * from './stateTree';
