import { INestApplication, RequestMethod, Type } from '@nestjs/common';
import { METHOD_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import type { OpenAPIObject, OperationObject, ResponseObject, SchemaObject } from '@nestjs/swagger';
import { CommonErrorCode, errorSpec } from '../errors/error-catalog';
import { declaredApiErrors } from './api-errors';

/** One documented operation and the controller method that serves it. */
export interface DocumentedRoute {
  controller: Type;
  handler: (...args: unknown[]) => unknown;
  method: string;
  path: string;
  operation: OperationObject;
}

/** Error codes a route answers with because of how it is served (a guard, a pipe), not what it does. */
export type ErrorSource = (route: DocumentedRoute) => readonly string[];

const BODY_METHODS = new Set(['post', 'put', 'patch', 'delete']);

/**
 * Input errors every route shares: a query/path/body DTO that fails validation (VALIDATION_FAILED; a
 * malformed path id, BAD_REQUEST); on methods Fastify reads a body for, whatever the route expects: a
 * body that is not JSON, nested too deep, too large, or of a type no parser accepts.
 */
export const inputErrors: ErrorSource = ({ method, operation }) => {
  const codes: string[] = [];
  if ((operation.parameters?.length ?? 0) > 0 || operation.requestBody)
    codes.push(CommonErrorCode.VALIDATION_FAILED);
  if (operation.parameters?.some((p) => 'in' in p && p.in === 'path'))
    codes.push(CommonErrorCode.BAD_REQUEST);
  if (BODY_METHODS.has(method)) {
    codes.push(
      CommonErrorCode.MALFORMED_JSON,
      CommonErrorCode.BODY_TOO_DEEP,
      CommonErrorCode.BAD_REQUEST,
      CommonErrorCode.PAYLOAD_TOO_LARGE,
      CommonErrorCode.UNSUPPORTED_MEDIA_TYPE,
    );
  }
  return codes;
};

/** The `{ code, message, details }` body of every error, with the codes this status can carry. */
export function errorBodySchema(codes: readonly string[]): SchemaObject {
  return {
    type: 'object',
    required: ['code', 'message'],
    properties: {
      code: { type: 'string', enum: [...codes] },
      message: { type: 'string', description: '中文说明，可直接展示给用户' },
      details: {
        description:
          '可选：出错的字段（VALIDATION_FAILED 为 { fields: [{ field, problems }] }）、当前状态、违反的规则等',
      },
      correlationId: { type: 'string', description: '仅 500：请求编号，日志中有同一编号' },
    },
    additionalProperties: false,
  };
}

function routesOf(app: INestApplication, document: OpenAPIObject): DocumentedRoute[] {
  const byOperationId = new Map<string, { method: string; path: string; operation: OperationObject }>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = item[method];
      if (operation?.operationId) byOperationId.set(operation.operationId, { method, path, operation });
    }
  }
  const routes: DocumentedRoute[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (!controller) continue;
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (typeof handler !== 'function' || name === 'constructor') continue;
        if ((Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined) === undefined)
          continue;
        // @nestjs/swagger's default operation id.
        const found = byOperationId.get(`${controller.name}_${name}`);
        if (found) routes.push({ controller, handler: handler as DocumentedRoute['handler'], ...found });
      }
    }
  }
  return routes;
}

/**
 * Adds to every operation of `document` one response per error status it can answer with, each listing
 * its codes and messages (from the error catalogs) and the error body schema. The codes come from the
 * `sources` (how routes are served) and the routes' own `@ApiErrors`. Returns the number of operations
 * documented; throws if an operation has no route or names a code no catalog defines.
 */
export function addErrorResponses(
  app: INestApplication,
  document: OpenAPIObject,
  sources: readonly ErrorSource[],
): number {
  const routes = routesOf(app, document);
  const operations = Object.values(document.paths).flatMap((item) =>
    (['get', 'put', 'post', 'delete', 'patch'] as const).flatMap((m) => (item[m] ? [item[m]] : [])),
  );
  const unmatched = operations.filter((op) => !routes.some((r) => r.operation === op));
  if (unmatched.length)
    throw new Error(`OpenAPI: no controller method for ${unmatched.map((op) => op.operationId).join(', ')}`);

  for (const route of routes) {
    const codes = new Set<string>([
      ...sources.flatMap((source) => source(route)),
      ...declaredApiErrors(route.controller),
      ...declaredApiErrors(route.handler),
    ]);
    const byStatus = new Map<number, string[]>();
    for (const code of codes) {
      const spec = errorSpec(code);
      if (!spec)
        throw new Error(`OpenAPI: ${route.operation.operationId} names an unknown error code ${code}`);
      byStatus.set(spec.status, [...(byStatus.get(spec.status) ?? []), code]);
    }
    for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
      list.sort();
      const response: ResponseObject = {
        description: list.map((code) => `${code}：${errorSpec(code)!.message}`).join('；'),
        content: { 'application/json': { schema: errorBodySchema(list) } },
      };
      route.operation.responses[String(status)] = response;
    }
  }
  return routes.length;
}
