// The card-reader interface (types only). A PC/SC driver and an in-process simulator implement it.
export type ReaderEvent =
  | { type: 'readerAttached'; reader: string }
  | { type: 'readerDetached'; reader: string }
  | { type: 'cardInserted'; reader: string; atr: Uint8Array }
  | { type: 'cardRemoved'; reader: string };

/** All an APDU layer needs: one command in, one response (data + SW) out. */
export interface CardTransport {
  transmit(command: Uint8Array): Promise<Uint8Array>;
}

export interface CardConnection extends CardTransport {
  readonly reader: string;
  readonly atr: Uint8Array;
  /** Warm reset; returns the ATR. Clears the card's security state. */
  reset(): Promise<Uint8Array>;
  /**
   * Ends the connection. The card is reset on the way out (no verified PIN outlives the session)
   * unless `reset: false`, which the caller passes only when no PIN went to the card.
   */
  disconnect(opts?: { reset?: boolean }): Promise<void>;
}

export interface CardReaderDriver {
  /** Names of the attached readers. */
  readers(): string[];
  cardPresent(reader: string): boolean;
  onEvent(listener: (e: ReaderEvent) => void): () => void;
  connect(reader: string): Promise<CardConnection>;
  close(): Promise<void>;
}

/** Card side of a simulated card: one APDU in, the response out (sync: cards are sequential). */
export interface CardApplet {
  readonly atr: Uint8Array;
  /** Power-on / warm reset: selections and security status are lost, PIN counters are kept. */
  reset(): void;
  process(command: Uint8Array): Uint8Array;
}
