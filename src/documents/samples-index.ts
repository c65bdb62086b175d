// The one place the CLI, the bench and the simulator printer get sample documents from; switch to
// the registry simulator's own sample builder here once it exports one.
import { sampleDocument } from './samples.js';

export const samples = { document: sampleDocument };
