// Status words as data: patterns first (63Cx, 61xx, 6Cxx), then exact values, as OpenSC's
// iso7816.c does. Each meaning says whether it is success and which error kind it maps to.
export type StatusReason =
  | 'ok'
  | 'endOfFile'
  | 'moreData'
  | 'wrongLe'
  | 'wrongPin'
  | 'blocked'
  | 'securityStatus'
  | 'fileNotFound'
  | 'wrongP1P2'
  | 'wrongLength'
  | 'wrongData'
  | 'insNotSupported'
  | 'claNotSupported'
  | 'conditionsNotSatisfied'
  | 'notAllowed'
  | 'memoryFailure'
  | 'unknown';

export interface StatusMeaning {
  reason: StatusReason;
  /** For 63Cx: tries left. For 61xx/6Cxx: the length the card announced. */
  value?: number;
  success: boolean;
}

const EXACT: Record<number, StatusReason> = {
  0x9000: 'ok',
  0x6282: 'endOfFile',
  0x6581: 'memoryFailure',
  0x6700: 'wrongLength',
  0x6981: 'notAllowed',
  0x6982: 'securityStatus',
  0x6983: 'blocked',
  // JPKI cards answer 6984 for a blocked PIN (myna's reading); 6983 is the ISO alternative.
  0x6984: 'blocked',
  0x6985: 'conditionsNotSatisfied',
  0x6986: 'notAllowed',
  0x6a80: 'wrongData',
  0x6a81: 'insNotSupported',
  0x6a82: 'fileNotFound',
  0x6a86: 'wrongP1P2',
  0x6b00: 'wrongP1P2',
  0x6d00: 'insNotSupported',
  0x6e00: 'claNotSupported',
};

export function statusMeaning(sw: number): StatusMeaning {
  const hi = sw >> 8;
  const lo = sw & 0xff;
  if ((sw & 0xfff0) === 0x63c0) return { reason: 'wrongPin', value: lo & 0x0f, success: false };
  if (hi === 0x61) return { reason: 'moreData', value: lo === 0 ? 256 : lo, success: true };
  if (hi === 0x6c) return { reason: 'wrongLe', value: lo === 0 ? 256 : lo, success: false };
  const reason = EXACT[sw] ?? 'unknown';
  return { reason, success: reason === 'ok' || reason === 'endOfFile' };
}

export const swHex = (sw: number) => sw.toString(16).toUpperCase().padStart(4, '0');
