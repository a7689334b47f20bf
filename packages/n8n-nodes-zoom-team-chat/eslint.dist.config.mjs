// The shipped bundles must obey the same community-node rules as the sources: the core is bundled
// into them, so this is where a timer, `process` or a forbidden import in the core would show up.
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';

const { rules, plugins } = n8nCommunityNodesPlugin.configs.recommended;

export default [
	{
		files: ['dist/**/*.js'],
		plugins,
		rules: { ...rules, 'no-console': 'error' },
		languageOptions: { sourceType: 'commonjs', ecmaVersion: 2022 },
		linterOptions: { reportUnusedDisableDirectives: 'off' },
	},
];
