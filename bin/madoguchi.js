#!/usr/bin/env node
// The madoguchi command. Runs the TypeScript sources through tsx so the CLI needs no build step.
import { register } from 'tsx/esm/api';
register();
await import('../src/cli/main.ts');
