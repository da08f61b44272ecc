// What every route group gets from createApp.
import type { ServerConfig } from './config.js';
import type { PaymentRecord, Store } from './store.js';
import type { Responder } from './responses.js';

export type LogFn = (entry: Record<string, unknown>) => void;

/** An error as one log field: its name and message (never a stack, which may quote values). */
export function describeError(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : 'non-error thrown';
}

export interface Deps {
  config: ServerConfig;
  store: Store;
  now: () => Date;
  log: LogFn;
  /** the reverse proxies whose X-Forwarded-For is believed (ROBOKASSA_TRUST_PROXY); none: the socket's address */
  trustedProxy: ((address: string) => boolean) | undefined;
  /** the hot routes' answers, with their CORS headers in them (responses.ts) */
  respond: Responder;
  onPaid?: (payment: PaymentRecord) => void | Promise<void>;
}

/** The origin itself when it is on ROBOKASSA_ALLOWED_ORIGINS, else null. */
export function allowedOrigin(config: ServerConfig, origin: string | undefined | null): string | null {
  return origin !== undefined && origin !== null && config.allowedOrigins.includes(origin) ? origin : null;
}

/** The URL when its origin is allow-listed (no open redirect), else null. */
export function allowedUrl(config: ServerConfig, url: string | null): string | null {
  if (url === null) return null;
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'https:' || parsed.protocol === 'http:') && config.allowedOrigins.includes(parsed.origin) ? parsed.href : null;
  } catch {
    return null;
  }
}
