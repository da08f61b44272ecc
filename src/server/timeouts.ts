// Slow or stuck requests end with an answer instead of holding a connection (and the handler's memory)
// forever: a body that does not arrive in time is a 408, a handler that does not finish in time a 503,
// both in the JSON error shape. main.ts adds the HTTP server's own limits (headers, whole request,
// keep-alive) for what never reaches the app.
import type { MiddlewareHandler } from 'hono';
import type { Server } from 'node:http';
import { errorBody } from './http.js';

export interface Timeouts {
  /** the whole request body must arrive within this. Default 10 s. */
  bodyMs: number;
  /** the handler must answer within this (after the body). Default 15 s. */
  handlerMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { bodyMs: 10_000, handlerMs: 15_000 };

const timer = (ms: number): { promise: Promise<'timeout'>; clear: () => void } => {
  let id: ReturnType<typeof setTimeout> | undefined;
  const promise = new Promise<'timeout'>((resolve) => { id = setTimeout(() => resolve('timeout'), ms); });
  return { promise, clear: () => clearTimeout(id) };
};

/**
 * Reads the body (at most `maxBytes`) within `ms`, then hands the buffered body on. Sits in front of
 * hono's bodyLimit, which would otherwise wait as long as a chunked body keeps trickling in.
 */
export function bodyTimeout(ms: number, maxBytes: number): MiddlewareHandler {
  return async (c, next) => {
    const raw = c.req.raw;
    if (!raw.body) return next();
    const declared = Number(raw.headers.get('content-length') ?? NaN);
    if (declared > maxBytes) return next(); // bodyLimit answers 413 without reading
    const reader = raw.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    const read = (async (): Promise<'done' | 'too_large'> => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return 'done';
        size += value.byteLength;
        if (size > maxBytes) return 'too_large';
        chunks.push(value);
      }
    })();
    const deadline = timer(ms);
    let outcome: 'done' | 'too_large' | 'timeout' | 'error';
    try {
      outcome = await Promise.race([read, deadline.promise]);
    } catch {
      outcome = 'error'; // the client went away mid-body
    } finally {
      deadline.clear();
    }
    if (outcome !== 'done') {
      reader.cancel().catch(() => undefined);
      read.catch(() => undefined);
      if (outcome === 'too_large') return c.json(errorBody('payload_too_large', `the body is over ${maxBytes} bytes`), 413);
      if (outcome === 'error') return c.json(errorBody('bad_request', 'the request body could not be read'), 400);
      return c.json(errorBody('request_timeout', `the request body did not arrive within ${ms / 1000} s`), 408, { Connection: 'close' });
    }
    const body = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) { body.set(chunk, offset); offset += chunk.byteLength; }
    const headers = new Headers(raw.headers);
    headers.delete('transfer-encoding');
    headers.set('content-length', String(size));
    // No `signal: raw.signal`, and not `new Request(raw, …)`: on Node 20 a Request that follows another
    // one's signal stays reachable, about 2 KB per request for good (hono's bodyLimit does that to every
    // chunked body; with the length set here it never has to)
    c.req.raw = new Request(raw.url, { method: raw.method, headers, body });
    return next();
  };
}

/** Answers 503 when the handler has not answered within `ms` (its work may still finish: writes are transactions). */
export function handlerTimeout(ms: number): MiddlewareHandler {
  return async (c, next) => {
    const deadline = timer(ms);
    let result: 'done' | 'timeout';
    try {
      result = await Promise.race([next().then(() => 'done' as const), deadline.promise]);
    } finally {
      deadline.clear();
    }
    if (result === 'timeout') {
      return c.json(errorBody('timeout', `the server did not answer within ${ms / 1000} s; try again`), 503, { 'Retry-After': '5' });
    }
  };
}

/** Limits of the listening HTTP server (slow headers, a request that never ends, idle keep-alive). */
export interface ServerTimeouts { headersMs: number; requestMs: number; keepAliveMs: number; checkIntervalMs: number }
export const DEFAULT_SERVER_TIMEOUTS: ServerTimeouts = { headersMs: 10_000, requestMs: 30_000, keepAliveMs: 5_000, checkIntervalMs: 1_000 };

/** Options for http.createServer (serve({serverOptions})): Node answers 408 and closes on expiry. */
export function serverTimeoutOptions(t: ServerTimeouts = DEFAULT_SERVER_TIMEOUTS): { headersTimeout: number; requestTimeout: number; keepAliveTimeout: number; connectionsCheckingInterval: number } {
  return { headersTimeout: t.headersMs, requestTimeout: t.requestMs, keepAliveTimeout: t.keepAliveMs, connectionsCheckingInterval: t.checkIntervalMs };
}

/** The same limits on a server created elsewhere (the demo, a shop's own composition). */
export function applyServerTimeouts(server: Pick<Server, 'headersTimeout' | 'requestTimeout' | 'keepAliveTimeout'>, t: ServerTimeouts = DEFAULT_SERVER_TIMEOUTS): void {
  server.headersTimeout = t.headersMs;
  server.requestTimeout = t.requestMs;
  server.keepAliveTimeout = t.keepAliveMs;
}
