// The backend's HTTP contract (DESIGN.md) as an OpenAPI 3.1 document, built from the zod schemas in
// contract.ts and schemas.ts with zod's own JSON Schema conversion, so the document can't drift from
// what the server validates. For a PHP or Python shop that implements the endpoint itself; served at
// GET /robokassa/openapi.json and written to dist/openapi.json by the build.
// Node side only: it pulls zod's JSON Schema code, which the element's bundle must never carry.
import * as z from 'zod/mini';
import {
  ApiError, CheckoutRequest, CheckoutResponse, CreateOrderRequest, CreateOrderResponse, HealthResponse,
  OrderResponse, PaymentStatusResponse, ProductResponse, ReturnMessage,
} from './contract.js';
import { FailNotification, ResultNotification, SuccessNotification } from './schemas.js';

export type JsonSchema = { [key: string]: unknown };

/** The OpenAPI 3.1 document, typed loosely: it is data to serve and to check, not to program against. */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  jsonSchemaDialect: string;
  servers: { url: string; description: string }[];
  paths: Record<string, Record<string, JsonSchema>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, JsonSchema>; responses: Record<string, JsonSchema> };
}

/** Bumped when the contract changes in a way an implementer must follow. */
export const CONTRACT_VERSION = '1.0.0';
/** Where the backend serves the document, under its prefix. */
export const OPENAPI_ROUTE = '/openapi.json';
/** POST /checkout's Idempotency-Key: what the server accepts (routes/checkout.ts checks the same). */
export const IDEMPOTENCY_KEY_PATTERN = '^[\\x21-\\x7e]{1,200}$';

const DIALECT = 'https://json-schema.org/draft/2020-12/schema';

function jsonSchema(schema: z.ZodMiniType, io: 'input' | 'output'): JsonSchema {
  // refinements (CheckoutRequest's "items or orderId") have no JSON Schema form and are added by hand
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

/** Robokassa echoes every Shp_ parameter of the payment link on its callbacks; they are signed. */
function withShp(schema: JsonSchema): JsonSchema {
  return { ...schema, patternProperties: { '^Shp_': { type: 'string' } } };
}

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const errorRef = (name: string): JsonSchema => ({ $ref: `#/components/responses/${name}` });
const json = (schema: JsonSchema, description: string, headers?: JsonSchema): JsonSchema => ({
  description, content: { 'application/json': { schema } }, ...(headers !== undefined && { headers }),
});
const apiError = (description: string): JsonSchema => json(ref('ApiError'), description);
const text = (description: string, schema: JsonSchema = { type: 'string' }): JsonSchema => ({ description, content: { 'text/plain': { schema } } });
const html = (description: string): JsonSchema => ({ description, content: { 'text/html': { schema: { type: 'string' } } } });
const pathParam = (name: string, description: string, schema: JsonSchema): JsonSchema => ({ name, in: 'path', required: true, description, schema });
const NO_STORE = { 'Cache-Control': { description: 'no-store: a status must never come from a cache', schema: { type: 'string', const: 'no-store' } } };

/** Answers any route under the prefix may give: the body limits and deadlines, and the 500 without a stack trace. */
const COMMON_ERRORS = {
  '408': errorRef('RequestTimeout'),
  '413': errorRef('PayloadTooLarge'),
  '500': errorRef('InternalError'),
  '503': errorRef('HandlerTimeout'),
};

/** The three notification routes take the same fields by GET (query) or POST (form body), as set in the cabinet. */
function notificationOperations(kind: 'result' | 'success' | 'fail', schemaName: string, summary: string, description: string, responses: Record<string, JsonSchema>): Record<string, JsonSchema> {
  const get: JsonSchema = {
    operationId: `${kind}Get`, summary: `${summary} (GET)`, description,
    parameters: [{ name: 'notification', in: 'query', required: true, style: 'form', explode: true, schema: ref(schemaName), description: 'Robokassa\'s parameters as query fields, exactly as it sends them.' }],
    responses: { ...responses, ...COMMON_ERRORS },
  };
  const post: JsonSchema = {
    operationId: `${kind}Post`, summary: `${summary} (POST)`, description,
    requestBody: { required: true, content: { 'application/x-www-form-urlencoded': { schema: ref(schemaName) } } },
    responses: { ...responses, '415': apiError('the body is not application/x-www-form-urlencoded'), ...COMMON_ERRORS },
  };
  return { get, post };
}

const RETURN_PAGE_DESCRIPTION = 'Served with Content-Security-Policy (script-src \'self\', frame-ancestors \'none\'), X-Frame-Options: DENY, '
  + 'Cache-Control: no-store, Referrer-Policy: no-referrer. No inline script: the page loads return.js, which posts a '
  + 'ReturnMessage to the opener (to the page origin recorded at checkout, never "*") and on a BroadcastChannel, then closes the window; '
  + 'opened without an opener it sends the buyer back to the allow-listed returnUrl with rk_id and rk_outcome added.';

export function buildOpenApiDocument(options: { serverUrl?: string } = {}): OpenApiDocument {
  const checkoutRequest = jsonSchema(CheckoutRequest, 'input');
  const schemas: Record<string, JsonSchema> = {
    CheckoutRequest: {
      ...checkoutRequest,
      description: 'Either "items" (catalog SKUs) or "orderId" (an order registered with POST /orders), not both. Strict: any other key — an amount, a price — is refused with 400 naming it, because the price comes only from the catalog or the order.',
      oneOf: [{ required: ['items'] }, { required: ['orderId'] }],
      examples: [{ items: [{ sku: 'course-basic', quantity: 1 }], email: 'buyer@example.com', culture: 'ru', returnUrl: 'https://shop.example/course' }, { orderId: 'ord_7Gx2' }],
    },
    CheckoutResponse: {
      ...jsonSchema(CheckoutResponse, 'output'),
      description: '`url` is the signed payment page address (GET); `form` is the same request for a POST form. OutSum in both equals `amount`, InvId equals `invoiceId`. `id` is opaque and unguessable (at least 16 characters).',
      examples: [{
        id: 'q3Vb1xQ0m8o2WkZc4yJd7hT9sLpA6eRf', invoiceId: 7,
        url: 'https://auth.robokassa.kz/Merchant/Index.aspx?MerchantLogin=my-shop&OutSum=1500.00&InvId=7&Description=Online+course&SignatureValue=1f3870be274f6c49b3e31a0c6728957f&Shp_rk=5e1a&IsTest=1',
        form: { action: 'https://auth.robokassa.kz/Merchant/Index.aspx', fields: { MerchantLogin: 'my-shop', OutSum: '1500.00', InvId: '7', Description: 'Online course', SignatureValue: '1f3870be274f6c49b3e31a0c6728957f', Shp_rk: '5e1a', IsTest: '1' } },
        amount: '1500.00', currency: 'KZT', description: 'Online course', test: true,
      }],
    },
    ProductResponse: jsonSchema(ProductResponse, 'output'),
    OrderResponse: jsonSchema(OrderResponse, 'output'),
    PaymentStatusResponse: { ...jsonSchema(PaymentStatusResponse, 'output'), description: '`paidAt` is an ISO 8601 time, null until paid. Only ResultURL (or an OpStateExt check) makes a payment paid.' },
    CreateOrderRequest: { ...jsonSchema(CreateOrderRequest, 'input'), description: 'Prices are decimal strings ("1000.00"); the total must fit Robokassa (at most 12 integer digits). Receipt fields per line follow Robokassa\'s fiscal receipt.' },
    CreateOrderResponse: jsonSchema(CreateOrderResponse, 'output'),
    HealthResponse: jsonSchema(HealthResponse, 'output'),
    ApiError: { ...jsonSchema(ApiError, 'output'), description: 'Every JSON error: a stable `code`, a readable `message`, and for invalid requests one issue per field (`path` like "items.0.quantity"). Never a stack trace.' },
    ResultNotification: { ...withShp(jsonSchema(ResultNotification, 'input')), examples: [{ OutSum: '1500.000000', InvId: '7', Fee: '42.000000', EMail: 'buyer@example.com', PaymentMethod: 'BankCard', IncCurrLabel: 'BankCardPSR', SignatureValue: 'B2D4F7C1E0A94F3A8C1D2E3F4A5B6C7D', Shp_rk: '5e1a' }], description: 'What Robokassa sends to ResultURL after a payment (UTF-8; OutSum usually with six decimals, e.g. "1500.000000"). SignatureValue = hash(OutSum:InvId:Password#2[:Shp_name=value, sorted by name]) over the exact received strings, hex in either case.' },
    SuccessNotification: { ...withShp(jsonSchema(SuccessNotification, 'input')), description: 'What Robokassa sends the buyer\'s browser to SuccessURL with. SignatureValue = hash(OutSum:InvId:Password#1[:Shp_…]). A hint for the buyer, never proof of payment.' },
    FailNotification: { ...withShp(jsonSchema(FailNotification, 'input')), description: 'What Robokassa sends the buyer\'s browser to FailURL with: unsigned. Shp_rk, the random token signed into each payment link, is what lets FailURL fail a pending payment.' },
    ReturnMessage: { ...jsonSchema(ReturnMessage, 'output'), description: 'Posted by the return pages to the opener and on the BroadcastChannel "robokassa-checkout"; the element then asks GET /payments/{id}.' },
  };

  const paths: Record<string, Record<string, JsonSchema>> = {
    '/healthz': {
      get: { operationId: 'health', summary: 'Liveness', responses: { '200': json(ref('HealthResponse'), 'the backend is up') } },
    },
    '/checkout': {
      post: {
        operationId: 'createCheckout',
        summary: 'Create a pending payment and its signed payment URL',
        description: 'Prices the order from the catalog or the order store only, allocates an InvId (unique, positive, int32) and signs the payment request with Password #1. The same Idempotency-Key with the same body (and Origin) answers the same payment; the same key with another body is 409. Limited per client address (429).',
        parameters: [
          { name: 'Idempotency-Key', in: 'header', required: false, description: 'Any 1–200 printable ASCII characters (a UUID is fine); a retry with the same key reuses the payment.', schema: { type: 'string', pattern: IDEMPOTENCY_KEY_PATTERN } },
          { name: 'Origin', in: 'header', required: false, description: 'The page\'s origin. Recorded only when it is in ROBOKASSA_ALLOWED_ORIGINS: the return pages post to it and send the buyer back to it.', schema: { type: 'string' } },
        ],
        requestBody: { required: true, content: { 'application/json': { schema: ref('CheckoutRequest') } } },
        responses: {
          '201': json(ref('CheckoutResponse'), 'a pending payment'),
          '400': apiError('invalid_request (issues name each field, e.g. items.0.sku or an unknown "amount"), invalid_json'),
          '404': apiError('order_not_found: no order with this orderId'),
          '409': apiError('idempotency_conflict: the key was used with another body; order_paid: the order is already paid'),
          '415': apiError('unsupported_media_type: the body is not application/json'),
          '422': apiError('unsignable_payment: the shop\'s own data can\'t make a valid Robokassa request'),
          '429': { ...apiError('rate_limited: too many checkouts from this address'), headers: { 'Retry-After': { description: 'seconds', schema: { type: 'string' } } } },
          ...COMMON_ERRORS,
        },
      },
      options: {
        operationId: 'checkoutPreflight',
        summary: 'CORS preflight (any route under the prefix answers the same way)',
        parameters: [
          { name: 'Origin', in: 'header', required: true, schema: { type: 'string' } },
          { name: 'Access-Control-Request-Method', in: 'header', required: false, schema: { type: 'string' } },
        ],
        responses: {
          '204': {
            description: 'the origin is in ROBOKASSA_ALLOWED_ORIGINS',
            headers: {
              'Access-Control-Allow-Origin': { description: 'the request\'s Origin, never "*"', schema: { type: 'string' } },
              'Access-Control-Allow-Methods': { schema: { type: 'string', const: 'GET, POST' } },
              'Access-Control-Allow-Headers': { schema: { type: 'string', const: 'Content-Type, Idempotency-Key' } },
              'Access-Control-Max-Age': { schema: { type: 'string' } },
              Vary: { schema: { type: 'string', const: 'Origin' } },
            },
          },
          '403': apiError('origin_not_allowed: the origin is not in ROBOKASSA_ALLOWED_ORIGINS'),
        },
      },
    },
    '/products/{sku}': {
      get: {
        operationId: 'getProduct', summary: 'What the widget may show for a catalog product',
        parameters: [pathParam('sku', 'a catalog SKU', { type: 'string' })],
        responses: { '200': json(ref('ProductResponse'), 'the product'), '404': apiError('product_not_found'), ...COMMON_ERRORS },
      },
    },
    '/orders': {
      post: {
        operationId: 'createOrder', summary: 'Register an order with its own prices (the shop\'s backend, server to server)',
        description: 'Disabled (404) unless ROBOKASSA_API_KEY is set. The page then uses <robokassa-checkout order-id="…">.',
        security: [{ apiKey: [] }],
        requestBody: { required: true, content: { 'application/json': { schema: ref('CreateOrderRequest') } } },
        responses: {
          '201': json(ref('CreateOrderResponse'), 'the order is registered'),
          '400': apiError('invalid_request: issues name each field (items.0.price, currency, receipt.sno, …)'),
          '401': { ...apiError('unauthorized: no or another API key'), headers: { 'WWW-Authenticate': { schema: { type: 'string', const: 'Bearer' } } } },
          '404': apiError('not_found: the route is disabled (no ROBOKASSA_API_KEY)'),
          '409': apiError('order_exists: this orderId is already registered'),
          '415': apiError('unsupported_media_type'),
          ...COMMON_ERRORS,
        },
      },
    },
    '/orders/{orderId}': {
      get: {
        operationId: 'getOrder', summary: 'What the widget may show for a registered order',
        parameters: [pathParam('orderId', 'the orderId from POST /orders', { type: 'string' })],
        responses: { '200': json(ref('OrderResponse'), 'the order'), '404': apiError('order_not_found'), ...COMMON_ERRORS },
      },
    },
    '/payments/{id}': {
      get: {
        operationId: 'getPayment', summary: 'A payment\'s status, as the store holds it (the widget polls this)',
        parameters: [pathParam('id', 'the opaque id from POST /checkout', { type: 'string' })],
        responses: { '200': json(ref('PaymentStatusResponse'), 'the payment', NO_STORE), '404': apiError('payment_not_found'), ...COMMON_ERRORS },
      },
    },
    '/result': notificationOperations('result', 'ResultNotification', 'ResultURL: Robokassa\'s proof of payment (server to server)',
      'Verifies the signature with Password #2 over the exact received strings, checks InvId and OutSum against the store, marks the payment paid exactly once, and answers OK{InvId}. A repeat answers OK again and changes nothing. Any refusal changes nothing. With ROBOKASSA_RESULT_ALLOW set, only those source addresses are heard (403 for the rest). In live mode a test payment (IsTest=1) is refused.',
      {
        '200': { ...text('OK followed by the InvId: Robokassa stops retrying', { type: 'string', pattern: '^OK[1-9][0-9]*$' }), headers: NO_STORE },
        '400': text('refused, nothing changed: bad signature, malformed parameters, unknown InvId, OutSum not the invoice\'s amount, or a test payment in live mode'),
        '403': text('the source address is not in ROBOKASSA_RESULT_ALLOW (only when that allow-list is set)'),
      }),
    '/success': notificationOperations('success', 'SuccessNotification', 'SuccessURL: the buyer comes back after paying',
      `A hint for the buyer, never proof of payment. A present signature is checked with Password #1. ${RETURN_PAGE_DESCRIPTION}`,
      { '200': html('the return page'), '400': html('the signature or OutSum does not match: a page that announces nothing'), '404': html('unknown InvId: a page that announces nothing') }),
    '/fail': notificationOperations('fail', 'FailNotification', 'FailURL: the buyer comes back after a refusal or a cancel',
      `Unsigned by Robokassa's design: moves a pending payment to failed only when Shp_rk matches the payment's token; never changes a paid one. ${RETURN_PAGE_DESCRIPTION}`,
      { '200': html('the return page'), '400': html('OutSum does not match: a page that announces nothing'), '404': html('unknown InvId: a page that announces nothing') }),
    '/return.js': {
      get: { operationId: 'returnScript', summary: 'The return pages\' script (no inline script anywhere)', responses: { '200': { description: 'the script', content: { 'text/javascript': { schema: { type: 'string' } } } } } },
    },
    '/return.css': {
      get: { operationId: 'returnStyles', summary: 'The return pages\' styles', responses: { '200': { description: 'the styles', content: { 'text/css': { schema: { type: 'string' } } } } } },
    },
    [OPENAPI_ROUTE]: {
      get: { operationId: 'openapi', summary: 'This document', responses: { '200': json({ type: 'object', required: ['openapi', 'paths'] }, 'the OpenAPI 3.1 document') } },
    },
  };

  return {
    openapi: '3.1.0',
    info: {
      title: 'robokassa-checkout backend',
      version: CONTRACT_VERSION,
      description: 'The merchant backend behind <robokassa-checkout>: it prices orders from its own data, signs Robokassa payment links with Password #1, '
        + 'verifies ResultURL with Password #2 and tells the widget the truth about each payment. Implement these routes under one prefix in any stack and the element works with it; '
        + '`npx robokassa-checkout check-backend URL` checks an implementation. Money is always a decimal string with two decimals. '
        + 'CORS: only page origins in ROBOKASSA_ALLOWED_ORIGINS get Access-Control-Allow-Origin (their own origin, never "*"); every answer varies on Origin. '
        + 'The passwords and the API key never appear in an answer.',
    },
    jsonSchemaDialect: DIALECT,
    servers: [{ url: options.serverUrl ?? '/robokassa', description: 'the backend\'s prefix' }],
    paths,
    components: {
      schemas,
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'ROBOKASSA_API_KEY' } },
      responses: {
        RequestTimeout: apiError('request_timeout: the body did not arrive within 10 s (bad_request: it could not be read)'),
        PayloadTooLarge: apiError('payload_too_large: the body is over 16 KiB'),
        InternalError: apiError('internal_error: nothing about the failure is told; it is logged, redacted'),
        HandlerTimeout: { ...apiError('timeout: the server did not answer within 15 s'), headers: { 'Retry-After': { schema: { type: 'string' } } } },
      },
    },
  };
}
