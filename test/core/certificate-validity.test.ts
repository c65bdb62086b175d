import { describe, expect, it } from 'vitest';
import { certificateValidity } from '../../src/core/certificate-validity.js';
import { jpkiCardMaterial } from '../../fixtures/pki/jpki.js';

describe('certificate validity read from the card', () => {
  it('tells an expired certificate from a valid one by its notAfter, at a given time', async () => {
    const expired = await jpkiCardMaterial('expired');
    const valid = await jpkiCardMaterial('yamada-taro');
    const now = new Date('2026-06-01T00:00:00Z');
    expect(certificateValidity(expired.authCertDer, now)).toBe('expired');
    expect(certificateValidity(valid.authCertDer, now)).toBe('valid');
    // Before the validity period starts (a clock far behind, or a card issued in the future).
    expect(certificateValidity(valid.authCertDer, new Date('2020-01-01T00:00:00Z'))).toBe('notYetValid');
    expect(certificateValidity(expired.authCertDer, new Date('2023-06-01T00:00:00Z'))).toBe('valid');
  }, 60_000);

  it('bytes that are not a certificate are left to the registry to judge', () => {
    expect(certificateValidity(new Uint8Array([0x30, 0x82, 0, 1, 0]), new Date())).toBe('unreadable');
  });
});
