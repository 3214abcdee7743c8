/** Hashing and signature verification: the only cryptography the pure domain may do. */
export * from './hashing';
export * from './sr25519Verify';
export * from './verifier';
export * from './verdicts';
