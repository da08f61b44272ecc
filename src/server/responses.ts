// The answers of the hot routes (checkout, status, ResultURL, their errors), made with their CORS
// headers already in a plain header object. Under @hono/node-server a Response whose headers are a
// plain object goes to the socket as it is; a Headers object costs a copy and a sorted walk per answer,
// and Hono makes one for any answer with more than one header, as appending Vary afterwards does.
// createApp's front middleware adds the CORS headers to every other answer (corsSet says which have them).
import type { Context } from 'hono';

const CORS_SET = Symbol('CORS headers set');
type Marked = Response & { [CORS_SET]?: true };

/** Whether the answer was made here, with its CORS headers (Vary: Origin, the allowed origin) in it. */
export function corsSet(res: Response): boolean {
  return (res as Marked)[CORS_SET] === true;
}

export interface Responder {
  json(c: Context, body: unknown, status?: number, options?: { noStore?: boolean }): Response;
  text(c: Context, body: string, status?: number, options?: { noStore?: boolean }): Response;
}

const JSON_TYPE = 'application/json';
const TEXT_TYPE = 'text/plain; charset=UTF-8';

export function responder(allowedOrigins: readonly string[]): Responder {
  // one frozen header object per (type, cache, origin): the allowed origins are fixed for the app's life,
  // so there are a handful; an origin not on the list gets no Access-Control-Allow-Origin
  const sets = new Map<string, Readonly<Record<string, string>>>();
  const headersFor = (type: string, noStore: boolean, origin: string | undefined): Readonly<Record<string, string>> => {
    const allowed = origin !== undefined && allowedOrigins.includes(origin) ? origin : '';
    const key = `${type}\n${noStore ? 1 : 0}\n${allowed}`;
    let set = sets.get(key);
    if (set === undefined) {
      const h: Record<string, string> = { 'content-type': type };
      if (noStore) h['cache-control'] = 'no-store';
      h['vary'] = 'Origin';
      if (allowed !== '') h['access-control-allow-origin'] = allowed;
      set = Object.freeze(h);
      sets.set(key, set);
    }
    return set;
  };
  const make = (c: Context, body: string, type: string, status: number, noStore: boolean): Response => {
    const res = new Response(body, { status, headers: headersFor(type, noStore, c.req.header('origin')) }) as Marked;
    res[CORS_SET] = true;
    return res;
  };
  return {
    json: (c, body, status = 200, options) => make(c, JSON.stringify(body), JSON_TYPE, status, options?.noStore === true),
    text: (c, body, status = 200, options) => make(c, body, TEXT_TYPE, status, options?.noStore === true),
  };
}
