// The kiosk's journal key: keys the resident hash and the audit chain's head anchor. Kept in a
// file beside the journal (mode 0600), never in the database itself.
import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export function loadOrCreateKey(path: string): Buffer {
  if (existsSync(path)) {
    const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new Error(`journal key ${path} is not 32 bytes of base64`);
    return key;
  }
  mkdirSync(dirname(path), { recursive: true });
  const key = randomBytes(32);
  writeFileSync(path, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  return key;
}

export function keyedHash(key: Buffer, value: string, purpose: string): string {
  return createHmac('sha256', key).update(purpose).update('\0').update(value).digest('hex');
}
