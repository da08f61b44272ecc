// The payment window and the watch for the payment's outcome. The backend's status is the truth;
// the return page's message, the BroadcastChannel and the window closing only say when to ask.
import type { PaymentStatusResponse } from '../protocol/contract.js';
import type { ClientResult } from './client.js';
import { RETURN_CHANNEL, STORAGE_KEY, WINDOW_NAME } from './constants.js';
import { fits } from './validate.js';

/** Delays of the flow, in milliseconds. Tests shrink them. */
export interface Timing {
  /** Timeout of one HTTP request. */
  request: number;
  /** Retries of POST /checkout with the same key after a network error, a timeout or a 5xx. */
  retries: number;
  /** First status poll delay; each next one is `pollFactor` times longer, up to `pollMax`. */
  poll: number;
  pollFactor: number;
  pollMax: number;
  /** How often `window.closed` is read. */
  closedCheck: number;
  /** A window that reports closed this soon after navigation was cut off by COOP, not closed by the buyer. */
  severed: number;
  /** Give up (rk-error timeout) when the backend has said nothing final for this long. */
  deadline: number;
}

export const DEFAULT_TIMING: Timing = {
  request: 15_000, retries: 1, poll: 2_000, pollFactor: 1.5, pollMax: 15_000, closedCheck: 500, severed: 3_000, deadline: 20 * 60_000,
};

/** Opens the named payment window centred over the page. Call it inside the click, before any await. */
export function openWindow(width = 520, height = 720): Window | null {
  const left = Math.round(window.screenX + (window.outerWidth - width) / 2);
  const top = Math.round(window.screenY + (window.outerHeight - height) / 3);
  try {
    return window.open('about:blank', WINDOW_NAME, `popup,width=${width},height=${height},left=${left},top=${top}`);
  } catch {
    return null;
  }
}

/** Puts a plain "preparing" text in the blank window, with DOM calls only (no script, no inline style). */
export function showPreparing(win: Window, lang: string, text: string): void {
  try {
    const doc = win.document;
    doc.title = text;
    doc.documentElement.lang = lang;
    const p = doc.createElement('p');
    p.textContent = text;
    doc.body.replaceChildren(p);
  } catch {
    // a window that already left about:blank is not ours to write into
  }
}

/** Sends the window to the payment page; false when the browser refuses. */
export function navigate(win: Window, url: string): boolean {
  try {
    win.location.href = url;
    return true;
  } catch {
    return false;
  }
}

/** What survives a same-tab redirect to the payment page. */
export interface StoredAttempt {
  id: string;
  invoiceId: number;
  endpoint: string;
  /** sku/quantity or order id, so only the element that paid picks it up. */
  target: string;
  /** Which of the page's elements selling that target paid: its id, else its position among them. */
  place?: string;
  at: number;
}

export function storeAttempt(attempt: StoredAttempt): void {
  try {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(attempt));
  } catch {
    // storage off (private mode quotas): the return cannot be resumed, the backend still has it
  }
}

export function loadAttempt(): StoredAttempt | undefined {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    const value: unknown = raw ? JSON.parse(raw) : undefined;
    if (typeof value === 'object' && value !== null) {
      const a = value as StoredAttempt;
      if (typeof a.id === 'string' && typeof a.invoiceId === 'number' && typeof a.endpoint === 'string' && typeof a.target === 'string') return a;
    }
  } catch {
    // unreadable state is no state
  }
  return undefined;
}

export function clearAttempt(): void {
  try {
    sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // nothing to clear
  }
}

export type Outcome = 'success' | 'fail' | 'cancel' | 'timeout';

export interface WatchOptions {
  id: string;
  /** Origin allowed to post the return message: the backend's. */
  origin: string;
  /** The payment window, when there is one to watch. */
  win: Window | null;
  /**
   * The buyer is already back: the return page's outcome (redirect mode), or 'back' when the buyer
   * returned without one (closed the window before it reached the payment page, pressed Back).
   */
  returned?: 'success' | 'fail' | 'back';
  timing: Timing;
  status: () => Promise<ClientResult<PaymentStatusResponse>>;
  onEnd: (outcome: Outcome, payment?: PaymentStatusResponse) => void;
  /** The buyer is back (a return message, or the window closed): the element says "checking". */
  onBack?: () => void;
}

/**
 * Watches one payment until its outcome is known and calls onEnd exactly once. Returns a stop
 * function. paid → success; failed/cancelled → fail; pending after a fail return → fail (FailURL
 * carries no signature, so the status may lag); pending after the buyer closed the window or came
 * back without a return page → cancel; a pending payment after a success return keeps being polled.
 */
export interface Watch {
  stop: () => void;
  /** The buyer says the window is gone (a handle cut by COOP can't tell): final check, pending → cancel. */
  closedByBuyer: () => void;
}

export function watchPayment(o: WatchOptions): Watch {
  const started = Date.now();
  let returned = o.returned === 'back' ? undefined : o.returned;
  let closed = o.returned === 'back';
  let ended = false;
  let inFlight = false;
  let again = false;
  let delay = o.timing.poll;
  let pollTimer: ReturnType<typeof setTimeout> | undefined;
  let channel: BroadcastChannel | undefined;

  const onReturn = (data: unknown): void => {
    if (!ended && fits('return', data) && data.id === o.id) {
      returned = data.outcome;
      o.onBack?.();
      void check();
    }
  };
  const onMessage = (e: MessageEvent): void => {
    if (e.origin === o.origin) onReturn(e.data);
  };
  const closedTimer = setInterval(() => {
    if (!o.win || !o.win.closed || closed) return;
    if (!returned && Date.now() - started < o.timing.severed) {
      // COOP on the payment page cuts the handle at once: closed says nothing, keep polling
      o.win = null;
      return;
    }
    closed = true;
    o.onBack?.();
    void check();
  }, o.timing.closedCheck);

  const end = (outcome: Outcome, payment?: PaymentStatusResponse): void => {
    if (ended) return;
    ended = true;
    stop();
    o.onEnd(outcome, payment);
  };
  const schedule = (): void => {
    clearTimeout(pollTimer);
    pollTimer = setTimeout(() => void check(), delay);
    delay = Math.min(delay * o.timing.pollFactor, o.timing.pollMax);
  };
  const check = async (): Promise<void> => {
    if (ended) return;
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    const res = await o.status();
    inFlight = false;
    if (ended) return;
    if (res.ok) {
      const s = res.value.status;
      if (s === 'paid') return end('success', res.value);
      if (s !== 'pending' || returned === 'fail') return end('fail', res.value);
    }
    // something happened while this answer was on its way (a return, a close): ask again before
    // reading "pending" as a cancel
    if (again) {
      again = false;
      return void check();
    }
    if (res.ok && closed && !returned) return end('cancel', res.value);
    if (Date.now() - started >= o.timing.deadline) return end(closed && !returned && res.ok ? 'cancel' : 'timeout', res.ok ? res.value : undefined);
    schedule();
  };

  function stop(): void {
    clearTimeout(pollTimer);
    clearInterval(closedTimer);
    window.removeEventListener('message', onMessage);
    channel?.close();
  }

  window.addEventListener('message', onMessage);
  if (typeof BroadcastChannel === 'function') {
    channel = new BroadcastChannel(RETURN_CHANNEL);
    channel.onmessage = (e: MessageEvent) => onReturn(e.data);
  }
  if (o.returned) void check();
  else schedule();
  return {
    stop: () => {
      ended = true;
      stop();
    },
    closedByBuyer: () => {
      if (closed || ended) return;
      closed = true;
      o.onBack?.();
      void check();
    },
  };
}
