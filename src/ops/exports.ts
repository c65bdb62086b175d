// The directory the console's exports are saved in (the Electron shell writes downloads only there).
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from '../config/schema.js';

export function exportDirOf(config: Config, dataDir: string): string {
  const dir = config.technician.exportDir ? resolve(config.technician.exportDir) : join(dataDir, 'exports');
  mkdirSync(dir, { recursive: true, mode: 0o750 });
  return dir;
}
