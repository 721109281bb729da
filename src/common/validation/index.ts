export * from './decorators';
export * from './id-number';
export * from './mobile';
export * from './numbers';
export * from './date-bounds';
