/** Audit actions of partners (target type `partner`, accounts `user`). */
export const PartnerAuditAction = {
  REGISTER: 'partner.register',
  READ: 'partner.read',
  LIST: 'partner.list',
  APPROVE: 'partner.approve',
  REJECT: 'partner.reject',
  SUSPEND: 'partner.suspend',
  REINSTATE: 'partner.reinstate',
  ACCOUNT_LIST: 'partner.account-list',
  ACCOUNT_CREATE: 'partner.account-create',
  ACCOUNT_DISABLE: 'partner.account-disable',
} as const;
