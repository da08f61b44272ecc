// GET /openapi.json: the HTTP contract as an OpenAPI 3.1 document (src/protocol/openapi.ts), so a shop
// on another stack can read what to implement from any running backend.
import { Hono } from 'hono';
import { OPENAPI_ROUTE, buildOpenApiDocument } from '../../protocol/openapi.js';

export function openapiRoutes(): Hono {
  const app = new Hono();
  // built once: it depends on nothing but the schemas
  const body = JSON.stringify(buildOpenApiDocument());
  app.get(OPENAPI_ROUTE, (c) => {
    c.header('Cache-Control', 'public, max-age=300');
    c.header('Content-Type', 'application/json; charset=utf-8');
    return c.body(body);
  });
  return app;
}
