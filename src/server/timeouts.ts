// Slow or stuck requests end with an answer instead of holding a connection (and the handler's memory)
// forever: a body that does not arrive in time is a 408, a handler that does not finish in time a 503,
// both in the JSON error shape. main.ts adds the HTTP server's own limits (headers, whole request,
// keep-alive) for what never reaches the app.
import type { Context, MiddlewareHandler, Next } from 'hono';
import type { IncomingMessage } from 'node:http';
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

type Chunks = { next(): Promise<Uint8Array | null>; stop(): void };

// stateless without { stream: true }: one for every body
const utf8 = new TextDecoder();

function incomingOf(c: Context): IncomingMessage | undefined {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  return incoming !== undefined && typeof incoming.read === 'function' ? incoming : undefined;
}

/**
 * The whole body when all of its declared Content-Length has already arrived (a small body comes in the
 * same read as its headers) and nobody has read from the stream yet: taken from the stream's buffer at
 * once, with no reader, no promise per chunk and no deadline to arm. undefined: read it the slow way.
 */
async function bufferedBody(incoming: IncomingMessage, declared: string | undefined): Promise<Uint8Array[] | undefined> {
  if (declared === undefined) return undefined; // chunked: its end is only known once it is read
  const length = Number(declared);
  // the middleware runs inside the parser's callback for the headers; the body bytes of the same read
  // are pushed before the next microtask (Node's parser never pushes more than Content-Length)
  if (incoming.readableLength < length) await undefined;
  if (incoming.readableLength !== length || incoming.readableDidRead || incoming.destroyed) return undefined;
  const parts: Uint8Array[] = [];
  for (let chunk = incoming.read() as Buffer | null; chunk !== null; chunk = incoming.read() as Buffer | null) parts.push(chunk);
  // flowing, so the stream ends (and @hono/node-server has nothing to drain) once the parser closes it
  incoming.resume();
  return parts;
}

/** The body as chunks: from Node's IncomingMessage under @hono/node-server, else the Request's stream. */
function chunksOf(c: Context): Chunks | null {
  const incoming = incomingOf(c);
  if (incoming !== undefined) {
    // Straight from the socket: touching c.req.raw.body would make @hono/node-server build a full
    // Request that follows an AbortSignal, which Node 20 keeps reachable (~1 KB a request for good)
    const iterator = incoming[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    return {
      next: async () => { const r = await iterator.next(); return r.done ? null : new Uint8Array(r.value.buffer, r.value.byteOffset, r.value.byteLength); },
      stop: () => { incoming.pause(); },
    };
  }
  const body = c.req.raw.body;
  if (!body) return null;
  const reader = body.getReader();
  return {
    next: async () => { const r = await reader.read(); return r.done ? null : r.value; },
    stop: () => { reader.cancel().catch(() => undefined); },
  };
}

/**
 * Reads the body (at most `maxBytes`) within `ms` and leaves it, decoded, in hono's body cache, where
 * c.req.text() / c.req.json() find it. It stands in for hono's bodyLimit, which waits as long as a
 * chunked body keeps trickling in and re-creates the Request for every chunked body (on Node 20 a
 * Request made from another, following its signal, stays reachable: a leak any client could drive).
 */
export function bodyTimeout(ms: number, maxBytes: number): MiddlewareHandler {
  return async (c, next) => (await readBody(c, ms, maxBytes)) ?? next();
}

/**
 * bodyTimeout's work without the middleware around it (createApp runs it inside its one front
 * middleware): undefined once the body is in hono's cache (or there is none: GET, HEAD), else the
 * answer that refuses it (413, 408, 400; every one closes the connection).
 */
export async function readBody(c: Context, ms: number, maxBytes: number): Promise<Response | undefined> {
  const method = c.req.method;
  if (method === 'GET' || method === 'HEAD') return undefined;
  const declared = c.req.header('content-length');
  const tooLarge = (): Response => c.json(errorBody('payload_too_large', `the body is over ${maxBytes} bytes`), 413, { Connection: 'close' });
  if (Number(declared ?? 0) > maxBytes) return tooLarge(); // not read at all
  const incoming = incomingOf(c);
  const buffered = incoming === undefined ? undefined : await bufferedBody(incoming, declared);
  // its size is the Content-Length, already held to maxBytes above
  if (buffered !== undefined) return cacheBody(c, buffered, Number(declared));
  const chunks = chunksOf(c);
  if (chunks === null) return undefined;
  const parts: Uint8Array[] = [];
  let size = 0;
  const read = (async (): Promise<'done' | 'too_large'> => {
    for (;;) {
      const chunk = await chunks.next();
      if (chunk === null) return 'done';
      size += chunk.byteLength;
      if (size > maxBytes) return 'too_large';
      parts.push(chunk);
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
    chunks.stop();
    read.catch(() => undefined);
    if (outcome === 'too_large') return tooLarge();
    if (outcome === 'error') return c.json(errorBody('bad_request', 'the request body could not be read'), 400, { Connection: 'close' });
    return c.json(errorBody('request_timeout', `the request body did not arrive within ${ms / 1000} s`), 408, { Connection: 'close' });
  }
  return cacheBody(c, parts, size);
}

/** Leaves the body, decoded, in hono's body cache (where c.req.text() / c.req.json() find it). */
function cacheBody(c: Context, parts: readonly Uint8Array[], size: number): undefined {
  let body: Uint8Array;
  if (parts.length === 1) {
    body = parts[0]!;
  } else {
    body = new Uint8Array(size);
    let offset = 0;
    for (const part of parts) { body.set(part, offset); offset += part.byteLength; }
  }
  // as Request.text() decodes: UTF-8, a leading BOM dropped, bad bytes replaced
  // (hono keeps the promise there; its type says the method)
  c.req.bodyCache.text = Promise.resolve(utf8.decode(body)) as unknown as NonNullable<typeof c.req.bodyCache.text>;
  return undefined;
}

/** Answers 503 when the handler has not answered within `ms` (its work may still finish: writes are transactions). */
export function handlerTimeout(ms: number): MiddlewareHandler {
  return (c, next) => withDeadline(c, ms, next);
}

/**
 * handlerTimeout's work without the middleware around it: runs `next` and settles with undefined when
 * it has answered (or rejects with its error), or with the 503 when the deadline comes first.
 */
export function withDeadline(c: Context, ms: number, next: Next): Promise<Response | undefined> {
  // one promise and one timer per request (no Promise.race, no promise for the timer): whichever of
  // the handler and the deadline settles first decides; the other is ignored
  return new Promise<Response | undefined>((resolve, reject) => {
    let settled = false;
    const id = setTimeout(() => {
      settled = true;
      resolve(c.json(errorBody('timeout', `the server did not answer within ${ms / 1000} s; try again`), 503, { 'Retry-After': '5' }));
    }, ms);
    next().then(() => {
      if (settled) return;
      settled = true;
      clearTimeout(id);
      resolve(undefined);
    }, (error: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(id);
      reject(error);
    });
  });
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
