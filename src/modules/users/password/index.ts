export * from './common-passwords';
export * from './password-hasher';
export * from './password-policy';
export * from './password.errors';
export * from './password.module';
