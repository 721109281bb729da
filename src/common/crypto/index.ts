export * from './field-cipher';
export * from './unreadable-field.error';
export * from './decrypt-field';
export * from './stored-fields';
export * from './masked-field-cache';
