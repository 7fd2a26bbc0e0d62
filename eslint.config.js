import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { layoutRules } from './eslint.layout.js';

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'coverage/**', 'test/artifacts/**', 'public/vendor/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', URL: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', document: 'readonly', window: 'readonly', fetch: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-control-regex': 'off',
    },
  },
  ...layoutRules(),
);
