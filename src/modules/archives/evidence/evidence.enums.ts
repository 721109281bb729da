/** What a piece of evidence proves (材料类别). */
export const EVIDENCE_KINDS = [
  'id_card', // 身份证
  'income_proof', // 收入证明
  'medical_record', // 病历、诊断证明
  'disability_certificate', // 残疾证
  'school_certificate', // 在读证明、录取通知书
  'dibao_certificate', // 低保证（最低生活保障证）
  'other',
] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

/** The only file types accepted, recognised by their first bytes, never by name or declared type. */
export const EVIDENCE_MIME_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type EvidenceMimeType = (typeof EVIDENCE_MIME_TYPES)[number];
