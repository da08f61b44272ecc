// Shared HTTP pieces: the one JSON error shape, body reading with content-type checks, and turning
// zod issues into {path, message} pairs that name the field.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import * as z from 'zod/mini';
import { en } from 'zod/locales';
import type { ApiError } from '../protocol/contract.js';

export type Issue = { path: string; message: string };

/** Thrown by handlers for the caller's mistakes; app.onError turns it into the JSON error shape. */
export class HttpError extends Error {
  readonly status: ContentfulStatusCode;
  readonly code: string;
  readonly issues?: Issue[];
  constructor(status: ContentfulStatusCode, code: string, message: string, issues?: Issue[]) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    if (issues !== undefined) this.issues = issues;
  }
}

export function errorBody(code: string, message: string, issues?: Issue[]): ApiError {
  return { error: { code, message, ...(issues !== undefined && { issues }) } };
}

export function invalid(issues: Issue[], message = 'the request is not valid'): HttpError {
  const first = issues[0];
  return new HttpError(400, 'invalid_request', first ? `${first.path || 'body'}: ${first.message}` : message, issues);
}

/** zod issues -> [{path: "items.0.quantity", message}], one per unknown key so each names its field. */
export function toIssues(error: z.core.$ZodError): Issue[] {
  const out: Issue[] = [];
  for (const issue of error.issues) {
    const base = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: [...base, key].join('.'), message: 'unknown field; prices come from the catalog or the order, never from the request' });
    } else {
      out.push({ path: base.join('.'), message: issue.message });
    }
  }
  return out;
}

// built once: en() makes a new error map per call
const ENGLISH = { error: en().localeError };

/** Parses with English messages (zod/mini alone says only "Invalid input"). */
export function validate<T>(schema: z.ZodMiniType<T>, value: unknown): T {
  const result = z.safeParse(schema, value, ENGLISH);
  if (!result.success) throw invalid(toIssues(result.error));
  return result.data;
}

function mediaType(c: Context): string {
  return (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

export async function readJson(c: Context): Promise<unknown> {
  if (mediaType(c) !== 'application/json') {
    throw new HttpError(415, 'unsupported_media_type', 'send the body as application/json');
  }
  const text = await c.req.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'invalid_json', 'the body is not valid JSON');
  }
}

/** GET: the query string; POST: an application/x-www-form-urlencoded body (how Robokassa posts). */
export async function readParams(c: Context): Promise<URLSearchParams> {
  if (c.req.method === 'GET' || c.req.method === 'HEAD') return new URL(c.req.url).searchParams;
  if (mediaType(c) !== 'application/x-www-form-urlencoded') {
    throw new HttpError(415, 'unsupported_media_type', 'send the parameters as application/x-www-form-urlencoded');
  }
  return new URLSearchParams(await c.req.text());
}

export function paramsRecord(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of params) out[k] = k in out ? `${out[k]},${v}` : v;
  return out;
}
