import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { addErrorResponses, ErrorSource, inputErrors } from './common/openapi/error-responses';
import { AuditErrorCode } from './modules/audit/audit.errors';
import { guardErrors } from './modules/auth/authorization/authorization.openapi';
import { ACTION } from './modules/auth/authorization/decorators';

/** The guard records every refusal in the audit log; a route that cannot record it answers 503. */
const deniedAudit: ErrorSource = ({ handler, controller }) =>
  (Reflect.getMetadata(ACTION, handler) ?? Reflect.getMetadata(ACTION, controller)) !== undefined
    ? [AuditErrorCode.AUDIT_WRITE_FAILED]
    : [];

/**
 * Codes of routes in modules that are being rewritten (audit): listed here until their controllers
 * carry `@ApiErrors` themselves. The reachability test keeps this in step with the code.
 */
const notYetDeclared: Record<string, readonly string[]> = {
  AuditController_list: [AuditErrorCode.AUDIT_LOG_RANGE_INVALID],
};

/**
 * The published OpenAPI document: what @nestjs/swagger reads from the controllers and DTOs, plus every
 * error status each route can answer with (from the error catalogs; see addErrorResponses).
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Bangfu 帮扶 API')
      .setDescription('困难职工帮扶平台接口。错误统一为 { code, message, details }。')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  addErrorResponses(app, document, [
    inputErrors,
    guardErrors,
    deniedAudit,
    ({ operation }) => notYetDeclared[operation.operationId ?? ''] ?? [],
  ]);
  return document;
}
