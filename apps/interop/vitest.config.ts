import { tlsVitestConfig } from '../../tooling/vitest/config';

export default tlsVitestConfig({ testTimeout: 30_000 });
