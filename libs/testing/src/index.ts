export * from './env';
export * from './infrastructure';
export * from './kafka';
export * from './namespace';
export * from './probe';
export * from './private-infra';
export * from './ports';
export * from './stack';
export { startLocalInfrastructure } from './local-infra';
