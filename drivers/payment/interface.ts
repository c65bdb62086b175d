// Types only: what a cash acceptor, a change dispenser and a byte transport look like to the
// payment layer. The ccTalk driver and the simulators implement these; nothing here runs.

/** A byte pipe to the shared ccTalk line (a serial port, a pty, or an in-memory pair). */
export interface ByteTransport {
  write(bytes: Uint8Array): Promise<void>;
  /** Subscribes to received bytes, in whatever chunks the line delivers; returns an unsubscribe. */
  onData(listener: (bytes: Uint8Array) => void): () => void;
  close(): Promise<void>;
}

export type ChecksumMode = 'simple' | 'crc16';

/** A decoded ccTalk frame. `source` is undefined in CRC-16 mode (that byte carries the CRC). */
export interface CcTalkFrame {
  destination: number;
  source: number | undefined;
  header: number;
  data: Uint8Array;
}

export type AcceptorDevice = 'coin' | 'bill';

/** What an acceptor reports after reading its event buffer, oldest first. */
export type AcceptorEvent =
  /** Money taken for good: a coin, or a bill a validator with escrow off stacked at once. */
  | { type: 'credited'; device: AcceptorDevice; yen: number; channel: number }
  | { type: 'escrowed'; device: 'bill'; yen: number; channel: number }
  /** The bill that was in escrow reached the cash box (after a route, or on the device's own). */
  | { type: 'stacked'; device: 'bill'; yen: number; channel: number }
  /** The validator handed back the bill it held (route, escrow timeout, power-up); yen when known. */
  | { type: 'returned'; device: 'bill'; yen: number | null }
  /** Handed back unpaid; `yen` when the device says which coin (ccTalk 128–159: inhibited coin type n). */
  | { type: 'rejected'; device: AcceptorDevice; reason: string; yen?: number }
  | { type: 'fraud'; device: AcceptorDevice; reason: string }
  | { type: 'jam'; device: AcceptorDevice; reason: string }
  | { type: 'cashBoxFull'; device: AcceptorDevice }
  | { type: 'cashBoxOk'; device: AcceptorDevice }
  /** Counter jumped by more than the buffer holds: events were lost; never credit them. */
  | { type: 'lostEvents'; device: AcceptorDevice; missed: number }
  /** Counter read 0: the device reset (power-up) and lost its inhibit settings. */
  | { type: 'reset'; device: AcceptorDevice }
  /** Synthesised by the host when the device stops answering (never on the wire). */
  | { type: 'offline'; device: AcceptorDevice };

export interface CashAcceptor {
  readonly device: AcceptorDevice;
  /** Enables exactly these denominations (yen); an empty list inhibits everything. */
  enable(yen: readonly number[]): Promise<void>;
  /** Reads the event buffer once and returns the new events since the last poll. */
  poll(): Promise<AcceptorEvent[]>;
}

export type RouteReply = { ok: true } | { ok: false; reason: 'escrowEmpty' | 'failedToRoute' };

export interface BillRouter {
  /** Escrowed bill to the cash box ('stack') or back to the resident ('return'). */
  route(action: 'stack' | 'return'): Promise<RouteReply>;
  /** Route code 255: keep holding (extends the escrow timeout); "escrowEmpty" tells the slot is empty. */
  hold(): Promise<RouteReply>;
}

export interface DispenseResult {
  requested: number;
  paid: number;
  unpaid: number;
}

export interface ChangeDispenser {
  readonly yen: number;
  /** Pays `count` coins and resolves when the hopper has finished (or stopped short). */
  dispense(count: number): Promise<DispenseResult>;
  /** Level sensors: low / high, and whether each is fitted (hoppers do not count; the host does). */
  levelSensors(): Promise<LevelSensors>;
}

export interface LevelSensors {
  low: boolean;
  high: boolean;
  lowFitted: boolean;
  highFitted: boolean;
}
