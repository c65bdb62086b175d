// A 10-key keypad sends the same physical keys whatever NumLock says: with NumLock off Chromium
// reports key "End", "ArrowDown"… but code "Numpad1", "Numpad2"… Reading the code first makes the
// digits, "*", "#" (the keypad's Enter) and "." mean the same in both states.
const BY_CODE: Record<string, string> = {
  Numpad0: '0',
  Numpad1: '1',
  Numpad2: '2',
  Numpad3: '3',
  Numpad4: '4',
  Numpad5: '5',
  Numpad6: '6',
  Numpad7: '7',
  Numpad8: '8',
  Numpad9: '9',
  NumpadMultiply: '*',
  NumpadDivide: '/',
  NumpadSubtract: '-',
  NumpadAdd: '+',
  NumpadDecimal: '.',
  NumpadEnter: '#',
};

/** The keypad meaning of a key event: "0"–"9", "*", "#", "/", "-", "+", ".", or the plain key. */
export function keypadKey(e: Pick<KeyboardEvent, 'code' | 'key'>): string {
  return BY_CODE[e.code] ?? e.key;
}
