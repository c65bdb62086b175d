// The card's user-authentication certificate is read before the PIN: an expired (or not yet valid)
// one is told there and then, naming the procedure (電子証明書の更新), without spending a PIN try.
// Revocation is the registry's to judge (it holds the CRL): effects.ts asks it before the PIN too.
import { X509Certificate } from 'node:crypto';

export type CertificateValidity = 'valid' | 'expired' | 'notYetValid' | 'unreadable';

export function certificateValidity(der: Uint8Array, now: Date): CertificateValidity {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(der);
  } catch {
    // Not parseable here: the registry, which verifies it anyway, decides.
    return 'unreadable';
  }
  if (now.getTime() > new Date(cert.validTo).getTime()) return 'expired';
  if (now.getTime() < new Date(cert.validFrom).getTime()) return 'notYetValid';
  return 'valid';
}
