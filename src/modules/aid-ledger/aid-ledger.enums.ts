/** How the household received the aid (recorded at confirmation, 本人领取 or otherwise). */
export const RECEIPT_MODES = ['in_person', 'on_behalf', 'bank_transfer', 'delivered', 'online'] as const;
export type ReceiptMode = (typeof RECEIPT_MODES)[number];

export const RECEIPT_MODE_NAMES: Record<ReceiptMode, string> = {
  in_person: '本人领取',
  on_behalf: '经办人代为确认',
  bank_transfer: '银行转账',
  delivered: '上门送达',
  online: '线上服务',
};

/** The beneficiary key of the head of household (else a member's id), as on needs. */
export const HEAD_BENEFICIARY = 'head';
