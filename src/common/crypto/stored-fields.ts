import type { FieldContext } from './field-cipher';

/** Where the users' encrypted columns are stored (FieldCipher binds each token to its place). */
export const userPhoneField = (userId: string): FieldContext => ({
  table: 'users',
  column: 'phone_ciphertext',
  rowId: userId,
});

export const totpSecretField = (userId: string): FieldContext => ({
  table: 'users',
  column: 'totp_secret_ciphertext',
  rowId: userId,
});

/** Where an encrypted column of an archive row is stored. */
export const archiveField = (
  archive: { id: string },
  column: 'head_id_number_ciphertext' | 'head_phone_ciphertext' | 'bank_account_ciphertext',
): FieldContext => ({ table: 'archives', column, rowId: archive.id });

/** Where a household member's encrypted ID number is stored. */
export const memberField = (member: { id: string }): FieldContext => ({
  table: 'archive_members',
  column: 'id_number_ciphertext',
  rowId: member.id,
});

/** Where an objection's encrypted contact is stored. */
export const objectionContactField = (objectionId: string): FieldContext => ({
  table: 'archive_objections',
  column: 'contact_ciphertext',
  rowId: objectionId,
});

/** Where a partner's encrypted contact mobile is stored. */
export const partnerMobileField = (partnerId: string): FieldContext => ({
  table: 'partners',
  column: 'mobile_ciphertext',
  rowId: partnerId,
});

/** Where an offer's encrypted contact phone (for matched workers) is stored. */
export const offerContactPhoneField = (offerId: string): FieldContext => ({
  table: 'offers',
  column: 'contact_phone_ciphertext',
  rowId: offerId,
});
