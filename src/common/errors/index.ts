export * from './domain-error';
export * from './error-catalog';
export * from './http-exception.filter';
