import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
	// The nodes run on n8n-workflow's CommonJS build in n8n; test them on it too (its ESM build
	// also ships source maps without sources, which floods the output with warnings).
	resolve: { alias: { 'n8n-workflow': require.resolve('n8n-workflow') } },
	test: {
		include: ['test/**/*.test.ts'],
		testTimeout: 30_000,
		reporters: ['default', 'json'],
		outputFile: { json: 'test-results.json' },
	},
});
