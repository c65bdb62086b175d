// Sample documents for `madoguchi print sample`, the bench and the tests: the registry
// simulator's own builder (its seed residents, signed with its published test key).
export { buildSampleDocument as sampleDocument, SAMPLE_TYPES } from '../../fixtures/registry/samples.js';
