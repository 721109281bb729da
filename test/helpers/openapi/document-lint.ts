/**
 * Structural rules the published OpenAPI document must keep so that a typed client generated from it
 * (openapi-typescript) is exact. Each finding names the schema path; an empty list means the document
 * describes every field with a concrete type.
 */
export type OpenApiDocument = {
  openapi: string;
  paths: Record<string, Record<string, OperationObject>>;
  components: { schemas: Record<string, SchemaObject> };
};
export type OperationObject = {
  operationId?: string;
  parameters?: { name: string; in: string; required?: boolean; schema?: SchemaObject }[];
  requestBody?: { required?: boolean; content: Record<string, { schema?: SchemaObject }> };
  responses: Record<string, { description?: string; content?: Record<string, { schema?: SchemaObject }> }>;
  security?: unknown[];
};
export type SchemaObject = Record<string, unknown> & {
  type?: string;
  $ref?: string;
  properties?: Record<string, SchemaObject>;
  items?: SchemaObject;
  required?: string[];
  nullable?: boolean;
  allOf?: SchemaObject[];
  oneOf?: SchemaObject[];
  anyOf?: SchemaObject[];
  enum?: unknown[];
  additionalProperties?: boolean | SchemaObject;
  format?: string;
};

export const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

function checkSchema(schema: SchemaObject | undefined, at: string, problems: string[]): void {
  if (!schema || typeof schema !== 'object') {
    problems.push(`${at}: no schema`);
    return;
  }
  if (schema.$ref) return;
  // The error body's `details` is any JSON value by design (field list, current state, violated rules).
  if (/ \d{3} application\/json\.details$/.test(at)) return;
  const composed = schema.allOf ?? schema.oneOf ?? schema.anyOf;
  if (composed) {
    composed.forEach((s, i) => checkSchema(s, `${at}/${i}`, problems));
    return;
  }
  if (schema.enum) {
    if (schema.type !== 'string' && schema.type !== 'integer')
      problems.push(`${at}: enum without a string or integer type`);
    return;
  }
  switch (schema.type) {
    case 'string':
    case 'boolean':
    case 'integer':
      return;
    case 'number':
      // A bare `number` is what an untyped numeric property becomes: say integer (fen, counts, versions)
      // or give the decimal a format.
      if (!schema.format) problems.push(`${at}: number without a format (integer, or format double)`);
      return;
    case 'array':
      if (schema.items?.type === 'array' && !schema.items.items)
        problems.push(`${at}: array of untyped arrays (an enum array declared twice as array)`);
      checkSchema(schema.items, `${at}[]`, problems);
      return;
    case 'object':
      if (schema.properties) {
        for (const [name, prop] of Object.entries(schema.properties))
          checkSchema(prop, `${at}.${name}`, problems);
        return;
      }
      if (schema.additionalProperties !== undefined) {
        if (typeof schema.additionalProperties === 'object')
          checkSchema(schema.additionalProperties, `${at}{}`, problems);
        return;
      }
      problems.push(`${at}: object without properties (an untyped field: string | null, a type alias …)`);
      return;
    default:
      problems.push(`${at}: no type (${JSON.stringify(schema).slice(0, 80)})`);
  }
}

/** Every schema reachable from a response body, by component name. */
function responseSchemas(doc: OpenApiDocument): Set<string> {
  const seen = new Set<string>();
  const visit = (schema: unknown): void => {
    if (!schema || typeof schema !== 'object') return;
    const ref = (schema as SchemaObject).$ref;
    if (typeof ref === 'string') {
      const name = ref.replace('#/components/schemas/', '');
      if (seen.has(name)) return;
      seen.add(name);
      visit(doc.components.schemas[name]);
      return;
    }
    for (const value of Object.values(schema)) visit(value);
  };
  for (const ops of Object.values(doc.paths))
    for (const op of Object.values(ops)) for (const res of Object.values(op.responses)) visit(res.content);
  return seen;
}

export function lintDocument(doc: OpenApiDocument): string[] {
  const problems: string[] = [];
  for (const [name, schema] of Object.entries(doc.components.schemas))
    checkSchema(schema, `#/components/schemas/${name}`, problems);
  const inResponses = responseSchemas(doc);
  for (const name of inResponses) {
    const schema = doc.components.schemas[name]!;
    for (const [prop, s] of Object.entries(schema.properties ?? {})) {
      // A response field that may be null is always sent (null is its "absent"): required + nullable.
      if (s.nullable && !(schema.required ?? []).includes(prop))
        problems.push(`#/components/schemas/${name}.${prop}: nullable but not required in a response`);
    }
  }
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const at = `${method.toUpperCase()} ${path}`;
      for (const p of op.parameters ?? []) checkSchema(p.schema, `${at} ${p.in}:${p.name}`, problems);
      for (const [type, media] of Object.entries(op.requestBody?.content ?? {}))
        checkSchema(media.schema, `${at} body ${type}`, problems);
      for (const [status, res] of Object.entries(op.responses)) {
        // 204 No Content and 304 Not Modified never carry a body (RFC 9110).
        if (status === '204' || status === '304') {
          if (res.content) problems.push(`${at} ${status}: a ${status} has no body`);
          continue;
        }
        if (!res.content) problems.push(`${at} ${status}: no response body described`);
        for (const [type, media] of Object.entries(res.content ?? {}))
          checkSchema(media.schema, `${at} ${status} ${type}`, problems);
      }
    }
  }
  return problems;
}
