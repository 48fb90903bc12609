import { tlsVitestConfig } from '../../tooling/vitest/config';

export default tlsVitestConfig();
