import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { OpenApiDocument, SchemaObject } from './document-lint';

/**
 * OpenAPI 3.0 schema → JSON Schema for ajv: `nullable` becomes `anyOf [schema, null]`, refs point into
 * the document, and every object with listed properties is closed (`additionalProperties: false`), so a
 * field the API sends but the document does not list is a mismatch, not a silent pass.
 */
function toJsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toJsonSchema);
  if (!schema || typeof schema !== 'object') return schema;
  const { nullable, example: _example, ...rest } = schema as SchemaObject;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) {
    if (key === '$ref' && typeof value === 'string') out.$ref = value.replace('#/', 'openapi#/');
    else if (key === 'properties' && value && typeof value === 'object')
      out.properties = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonSchema(v)]));
    else out[key] = toJsonSchema(value);
  }
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return nullable ? { anyOf: [out, { type: 'null' }] } : out;
}

export interface ObservedResponse {
  method: string;
  /** Fastify's route pattern, e.g. `/api/v1/archives/:id`. */
  route: string;
  status: number;
  contentType: string | undefined;
  /** The JSON text, or undefined for a stream (file download). */
  body: string | undefined;
}

/** Checks a response (status, content type, body) against the operation's response in the document. */
export class ResponseValidator {
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(private readonly document: OpenApiDocument) {
    this.ajv = new Ajv({ strict: false, allErrors: true, formats: { double: true, binary: true } });
    addFormats(this.ajv);
    this.ajv.addSchema(toJsonSchema({ components: document.components }) as object, 'openapi');
  }

  /** The document's path for a Fastify route pattern, or undefined if the document does not list it. */
  operationPath(method: string, route: string): string | undefined {
    const path = route.replace(/:(\w+)/g, '{$1}');
    return this.document.paths[path]?.[method.toLowerCase()] ? path : undefined;
  }

  /** null when the response matches the document; otherwise what is wrong. */
  check(observed: ObservedResponse): string | null {
    const path = this.operationPath(observed.method, observed.route)!;
    const operation = this.document.paths[path]![observed.method.toLowerCase()]!;
    const at = `${observed.method} ${path} → ${observed.status}`;
    const response = operation.responses[String(observed.status)];
    if (!response)
      return `${at}: status not documented (documented: ${Object.keys(operation.responses).join(', ')}) ${observed.body?.slice(0, 200) ?? ''}`;
    if (!response.content) {
      return observed.body ? `${at}: documented without a body, sent ${observed.body.slice(0, 120)}` : null;
    }
    const mediaType = observed.contentType?.split(';')[0]!.trim();
    const media = mediaType ? response.content[mediaType] : undefined;
    if (!media)
      return `${at}: content type ${mediaType} not documented (${Object.keys(response.content).join(', ')})`;
    if (mediaType !== 'application/json' || observed.body === undefined) return null;
    const key = `${observed.method} ${path} ${observed.status} ${mediaType}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(toJsonSchema(media.schema) as object);
      this.compiled.set(key, validate);
    }
    let body: unknown;
    try {
      body = JSON.parse(observed.body);
    } catch {
      return `${at}: body is not JSON: ${observed.body.slice(0, 120)}`;
    }
    if (validate(body)) return null;
    const errors = (validate.errors ?? [])
      .slice(0, 5)
      .map((e) => `${e.instancePath || '/'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
    return `${at}: body does not match the document: ${errors.join('; ')} — body ${observed.body.slice(0, 300)}`;
  }
}
