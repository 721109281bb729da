export * from './local-disk.storage';
export * from './object-storage';
export * from './storage.module';
