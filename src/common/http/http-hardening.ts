import type { IncomingMessage, ServerResponse } from 'node:http';
import fastifyCors from '@fastify/cors';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import helmet, { HelmetOptions } from 'helmet';
import type { AppConfig } from '../../config';

/** Where the Swagger UI is served (bootstrap.ts SwaggerModule.setup). */
export const DOCS_PATH = '/api/docs';

/**
 * Responses everywhere else are JSON (or, later, portal pages that declare their own policy): nothing may
 * be loaded, framed or submitted from them.
 */
const API_CSP: HelmetOptions['contentSecurityPolicy'] = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'none'"],
    frameAncestors: ["'none'"],
  },
};

/**
 * The Swagger UI page: its own scripts and stylesheet, inline <style> blocks of the Nest template, inline
 * SVG icons as data: images, and fetches of the OpenAPI document and "try it out" calls to this origin.
 */
const DOCS_CSP: HelmetOptions['contentSecurityPolicy'] = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    fontSrc: ["'self'", 'data:'],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
};

/** helmet's options: `contentSecurityPolicy` differs between the API and the docs page, the rest does not. */
function helmetOptions(contentSecurityPolicy: HelmetOptions['contentSecurityPolicy']): HelmetOptions {
  return {
    contentSecurityPolicy,
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
  };
}

/**
 * The headers helmet sets for `options`, worked out once. The options hold nothing that varies per
 * request (no nonces, no directive functions), so helmet's answer is the same for every response: running
 * its middleware (or @fastify/helmet, which rebuilt it from the options on every request, 7.5% of the
 * CPU profile of GET /health/live) per request only recomputed this.
 */
export function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string) {
      headers[name.toLowerCase()] = value;
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let done = false;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error instanceof Error ? error : new Error(String(error));
    done = true;
  });
  if (!done) throw new Error('helmet did not finish synchronously: its headers cannot be computed once');
  return headers;
}

/** Methods and headers a cross-origin caller may use; X-Request-Id lets it correlate with our logs. */
const CORS_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];
const CORS_ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'Accept', 'Accept-Language', 'X-Request-Id'];
const CORS_EXPOSED_HEADERS = ['X-Request-Id', 'Content-Disposition'];

/**
 * Security headers, CORS and caching rules for every response. Call once, before routes are registered
 * (configureHttpApp does, before Swagger and before `app.init()`).
 *
 * - Headers (helmet): HSTS (1 year, subdomains), `X-Content-Type-Options: nosniff`, `X-Frame-Options:
 *   DENY` plus CSP `frame-ancestors 'none'`, `Referrer-Policy: no-referrer`, cross-origin isolation
 *   headers, no `X-Powered-By`. CSP is `default-src 'none'` except under /api/docs (the Swagger UI).
 * - CORS (`http.cors`): only the configured exact origins are answered with Access-Control-Allow-Origin;
 *   an empty list means same-origin only. Never `*`: responses carry personal data.
 * - Caching: every response gets `Cache-Control: no-store` and `Pragma: no-cache`, except the static
 *   Swagger UI assets. The rule is deliberately blanket rather than per-route: any /api/v1 answer (and,
 *   later, any portal page) may contain ID numbers, phones, income or illness, and a forgotten header on
 *   one route would leave them in a shared proxy or a browser cache on a family phone.
 */
export function applyHttpHardening(app: NestFastifyApplication, config: AppConfig): void {
  const fastify = app.getHttpAdapter().getInstance();

  // Swagger's routes (registered by @nestjs/swagger) get the relaxed policy, chosen by the matched route
  // (a 404 under /api/docs is an API answer); every other response, 404s included, the API's.
  const apiHeaders = helmetHeaders(helmetOptions(API_CSP));
  const docsHeaders = helmetHeaders(helmetOptions(DOCS_CSP));
  fastify.addHook('onRequest', (request, reply, done) => {
    const route = request.routeOptions.url;
    void reply.headers(route !== undefined && isDocsUrl(route) ? docsHeaders : apiHeaders);
    done();
  });

  const allowed = new Set(config.http.cors.origins);
  void app.register(fastifyCors, {
    // A function (not the list itself) so that a refused origin gets no CORS headers at all and an
    // allowed one is echoed exactly; `Vary: Origin` is added either way so caches keep them apart.
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
    credentials: config.http.cors.credentials,
    methods: CORS_METHODS,
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    maxAge: config.http.cors.maxAgeSeconds,
    strictPreflight: true,
  });

  // Last, so that it wins over whatever a route set. A callback hook: an async one costs a promise per request.
  fastify.addHook('onSend', (request, reply, payload, done) => {
    if (!isDocsAsset(request.url)) void reply.headers(NO_STORE);
    done(null, payload);
  });
}

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

function isDocsUrl(url: string): boolean {
  return url === DOCS_PATH || url.startsWith(`${DOCS_PATH}/`);
}

/** Swagger UI's static files (scripts, stylesheet, icons) hold no data; let browsers cache them. */
function isDocsAsset(url: string): boolean {
  const path = url.split('?')[0];
  return isDocsUrl(path) && /\.(js|css|png|map)$/.test(path) && !path.endsWith('/openapi.json');
}
