// The sandbox's memory: payment operations keyed by an unguessable token, capped at `max` entries
// with the least recently used one evicted, so a long demo or a load test cannot grow it without bound.
import type { RefusalReason, CardScenario } from './cards.js';

export type Culture = 'ru' | 'en';

export type OperationStatus =
  | 'pending'        // the card form is shown
  | 'three_ds'       // waiting for the 3-D Secure code
  | 'paid'           // money taken; see `notify` for the ResultURL state
  | 'refused'        // the bank (the test card) refused
  | 'cancelled';     // the buyer went back to the shop

export interface ReceiptLine {
  name: string;
  quantity: string;
  sum?: string;
  tax?: string;
}

export interface NotifyState {
  status: 'sending' | 'ok' | 'gave_up';
  attempts: number;
  maxAttempts: number;
  done: Promise<void>;
}

export interface Operation {
  token: string;
  /** Robokassa's operation key shown by OpStateExt; not the page token. */
  opKey: string;
  invId: string;
  /** OutSum exactly as received (it is what the shop signed). */
  outSum: string;
  outSumCurrency?: string;
  description: string;
  culture: Culture;
  email: string;
  incCurrLabel?: string;
  shp: [string, string][];
  receipt?: ReceiptLine[];
  test: boolean;
  expiresAt?: number;
  createdAt: Date;
  stateAt: Date;
  status: OperationStatus;
  scenario?: CardScenario;
  refusal?: RefusalReason;
  /** Only the last four digits are ever kept. */
  cardLast4?: string;
  notify?: NotifyState;
}

export class OperationStore {
  readonly #byToken = new Map<string, Operation>();
  /** InvId -> token of the most relevant operation (a paid one wins over later attempts). */
  readonly #byInvId = new Map<string, string>();

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError('maxOperations must be a positive integer');
  }

  get size(): number {
    return this.#byToken.size;
  }

  add(op: Operation): void {
    this.#byToken.set(op.token, op);
    const current = this.byInvId(op.invId);
    if (!current || current.status !== 'paid') this.#byInvId.set(op.invId, op.token);
    while (this.#byToken.size > this.max) {
      const oldest = this.#byToken.keys().next().value;
      if (oldest === undefined) break;
      this.#evict(oldest);
    }
  }

  /** Looks an operation up and marks it recently used. */
  get(token: string): Operation | undefined {
    const op = this.#byToken.get(token);
    if (op) {
      this.#byToken.delete(token);
      this.#byToken.set(token, op);
    }
    return op;
  }

  byInvId(invId: string): Operation | undefined {
    const token = this.#byInvId.get(invId);
    return token === undefined ? undefined : this.#byToken.get(token);
  }

  /** Called when an operation becomes paid, so OpStateExt and error 40 find it by InvId. */
  markPaid(op: Operation): void {
    this.#byInvId.set(op.invId, op.token);
  }

  #evict(token: string): void {
    const op = this.#byToken.get(token);
    this.#byToken.delete(token);
    if (op && this.#byInvId.get(op.invId) === token) this.#byInvId.delete(op.invId);
  }
}
