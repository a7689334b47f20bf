import { defineConfig } from 'vitest/config';
import { testConfig } from './src/vitest-preset.mjs';

export default defineConfig({ test: testConfig() });
