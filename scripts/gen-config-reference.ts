// Writes docs/CONFIG.md from the configuration schema. Run: npx tsx scripts/gen-config-reference.ts
import { writeFileSync } from 'node:fs';
import { configReference } from '../src/ops/config-reference.js';

writeFileSync(new URL('../docs/CONFIG.md', import.meta.url), configReference());
process.stdout.write('docs/CONFIG.md written\n');
