// Base45 (RFC 9285) over the npm `base45` codec, which maps characters outside the alphabet to
// garbage: the text is checked here first so a damaged code fails with a clear error.
import { createRequire } from 'node:module';

const codec = createRequire(import.meta.url)('base45') as {
  encode(b: Uint8Array): string;
  decode(s: string): Buffer;
};
const ALPHABET = /^[0-9A-Z $%*+\-./:]*$/;

export class Base45Error extends Error {
  readonly kind = 'base45' as const;
}

export const base45Encode = (bytes: Uint8Array): string => codec.encode(Buffer.from(bytes));

export function base45Decode(text: string): Uint8Array {
  if (!ALPHABET.test(text)) throw new Base45Error('characters outside the Base45 alphabet');
  if (text.length % 3 === 1) throw new Base45Error(`Base45 text of length ${text.length} cannot be complete`);
  // Each group must stay below its limit: 3 characters < 65536, 2 characters < 256 (RFC 9285 §4.2).
  const value = (c: string) => '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:'.indexOf(c);
  for (let i = 0; i < text.length; i += 3) {
    const g = text.slice(i, i + 3);
    const n = [...g].reduce((acc, c, k) => acc + value(c) * 45 ** k, 0);
    if (n > (g.length === 3 ? 0xffff : 0xff)) throw new Base45Error(`Base45 group "${g}" is out of range`);
  }
  return new Uint8Array(codec.decode(text));
}
