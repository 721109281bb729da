import { applyDecorators, Type } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptions } from '@nestjs/swagger';

/**
 * Field decorators for DTOs: each names the JSON type explicitly, so the OpenAPI document (and the typed
 * client generated from it) never falls back to what the compiler's `design:type` says. That fallback is
 * wrong for every `string | null` (it becomes `Object`), every string-literal union (`ArchiveStatus`
 * becomes `Object`) and every array given `isArray` (an array of arrays).
 *
 * Fields are required unless `optional`. In a response, a field that can be null is always sent: give it
 * `nullable`, not `optional` (the document test refuses a nullable optional response field).
 */
export interface FieldDoc {
  description?: string;
  example?: unknown;
  /** May be `null`. */
  nullable?: boolean;
  /** May be left out (an input field the client need not send; a response field that is sometimes absent). */
  optional?: boolean;
  default?: unknown;
  deprecated?: boolean;
}

function field(doc: FieldDoc, schema: Record<string, unknown>): PropertyDecorator {
  const { optional, ...rest } = doc;
  const options = { ...rest, ...schema, required: optional !== true };
  for (const key of Object.keys(options) as (keyof typeof options)[])
    if (options[key] === undefined) delete options[key];
  return applyDecorators(ApiProperty(options as ApiPropertyOptions));
}

interface TextDoc extends FieldDoc {
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  isArray?: boolean;
}

/** A string (`isArray`: a list of strings). */
export const ApiText = ({ isArray, ...doc }: TextDoc = {}) =>
  field(doc, { type: String, ...(isArray ? { isArray: true } : {}) });

/** A UUID string. */
export const ApiUuid = ({ isArray, ...doc }: FieldDoc & { isArray?: boolean } = {}) =>
  field(doc, { type: String, format: 'uuid', ...(isArray ? { isArray: true } : {}) });

/** A calendar date `YYYY-MM-DD` (China time where it matters). */
export const ApiDate = (doc: FieldDoc = {}) =>
  field({ example: '2026-09-01', ...doc }, { type: String, format: 'date' });

/** An instant, ISO 8601 with offset (`toISOString()`). */
export const ApiDateTime = (doc: FieldDoc = {}) => field(doc, { type: String, format: 'date-time' });

/** A whole number (money in fen, counts, versions, page numbers). */
export const ApiInt = (doc: FieldDoc & { minimum?: number; maximum?: number } = {}) =>
  field(doc, { type: 'integer' });

/** A decimal (e.g. square metres); money is never one of these. */
export const ApiDecimal = (doc: FieldDoc & { minimum?: number; maximum?: number } = {}) =>
  field(doc, { type: 'number', format: 'double' });

export const ApiBool = (doc: FieldDoc = {}) => field(doc, { type: Boolean });

/**
 * One of `values` (`isArray`: a list of them). `enumName` makes it a named schema, so the generated
 * client has one type (e.g. `ArchiveStatus`) wherever it appears.
 */
export const ApiEnum = (
  values: readonly (string | number)[],
  { isArray, enumName, ...doc }: FieldDoc & { isArray?: boolean; enumName?: string } = {},
) =>
  field(doc, {
    enum: [...values],
    ...(enumName ? { enumName } : {}),
    ...(isArray ? { isArray: true } : {}),
  });

/** A nested DTO (`isArray`: a list of them); lazy, so a DTO may refer to one declared below it. */
export const ApiNested = (dto: () => Type, { isArray, ...doc }: FieldDoc & { isArray?: boolean } = {}) =>
  // @nestjs/swagger recognises a lazy type by the function's name, which must be `type`.
  field(doc, isArray ? { type: () => [dto()] } : { type: () => dto() });

/** A JSON object whose keys are not fixed (free-form details); say what it holds in the description. */
export const ApiFreeForm = (doc: FieldDoc = {}) => field(doc, { type: 'object', additionalProperties: true });
