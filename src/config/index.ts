export * from './app-config';
export * from './config.module';
export { ConfigError, loadConfig, LoadConfigOptions } from './load-config';
