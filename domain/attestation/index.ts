/** Simulated attestation quotes and their verification. */
export * from './quote.codec';
export * from './verifyAttestation';
