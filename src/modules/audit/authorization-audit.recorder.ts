import { Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal';
import type { AuthorizationAudit } from '../auth/authorization/authorization-audit';
import { AuditService } from './audit.service';

/** What AuthGuard calls (as AUTHORIZATION_AUDIT) when it refuses a request. */
@Injectable()
export class AuthorizationAuditRecorder implements AuthorizationAudit {
  constructor(private readonly audit: AuditService) {}

  async denied(principal: Principal, action: string, route: string): Promise<void> {
    // The route template is expected; a raw URL's query string could carry anything, so it is cut.
    const path = route.split('?')[0].slice(0, 128);
    await this.audit.recordDenied(principal, action, { route: path }, { type: 'route', id: path });
  }
}
