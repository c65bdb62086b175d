// Sample documents for `madoguchi print sample`, the bench and the tests: the registry
// simulator's own builder (its seed residents), signed with a per-process key nothing trusts.
export { buildSampleDocument as sampleDocument, SAMPLE_TYPES } from '../../fixtures/registry/samples.js';
export { sampleSigningKey, signingPublicJwk } from '../../fixtures/registry/signing-key.js';
