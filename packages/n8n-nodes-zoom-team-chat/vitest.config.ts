import { defineConfig } from 'vitest/config';
import { testConfig } from '@zoom-team-chat/testkit/vitest-preset';

export default defineConfig({
	// The nodes run on n8n-workflow's CommonJS build in n8n; test them on it too (its ESM build
	// also ships source maps without sources, which floods the output with warnings).
	resolve: {
		alias: { 'n8n-workflow': new URL('./node_modules/n8n-workflow/dist/cjs/index.js', import.meta.url).pathname },
	},
	test: testConfig({ include: ['test/**/*.test.{ts,mts}'], testTimeout: 30_000 }),
});
