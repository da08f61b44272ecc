// `robokassa-checkout openapi [--out FILE]`: the backend's HTTP contract as an OpenAPI 3.1 document, for
// a shop that implements the endpoint in another stack. The build writes dist/openapi.json with it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { buildOpenApiDocument } from '../protocol/openapi.js';
import type { Io } from './run.js';

export const OPENAPI_USAGE = 'usage: robokassa-checkout openapi [--out FILE] [--server-url URL]  (prints the document without --out)';

export function openapiCommand(args: string[], io: Io): number {
  let values;
  try {
    ({ values } = parseArgs({ args, strict: true, options: { out: { type: 'string' }, 'server-url': { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (err) {
    io.err(`error: ${err instanceof Error ? err.message.split('. To specify')[0] : String(err)}`);
    io.err(OPENAPI_USAGE);
    return 2;
  }
  if (values.help) {
    io.out(OPENAPI_USAGE);
    return 0;
  }
  const text = `${JSON.stringify(buildOpenApiDocument(values['server-url'] === undefined ? {} : { serverUrl: values['server-url'] }), null, 2)}\n`;
  if (values.out === undefined) {
    io.out(text.trimEnd());
    return 0;
  }
  mkdirSync(dirname(values.out), { recursive: true });
  writeFileSync(values.out, text);
  io.out(`wrote ${values.out} (${Buffer.byteLength(text)} bytes)`);
  return 0;
}
