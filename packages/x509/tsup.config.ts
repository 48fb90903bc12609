import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/verify.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  platform: 'neutral',
  target: 'es2022',
  tsconfig: 'tsconfig.build.json',
});
