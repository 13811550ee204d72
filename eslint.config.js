// @ts-check
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

/** Real time and randomness are banned in src/: the simulated world runs on the virtual clock and the seeded generator. */
const noRealTime = {
  'no-restricted-globals': [
    'error',
    { name: 'setTimeout', message: 'Use the virtual clock (scheduler) instead of real timers.' },
    { name: 'setInterval', message: 'Use the virtual clock (scheduler) instead of real timers.' },
    { name: 'setImmediate', message: 'Only src/internal/real-time.ts may touch real time.' },
    { name: 'performance', message: 'Use the virtual clock instead of real time.' },
  ],
  'no-restricted-properties': [
    'error',
    { object: 'Date', property: 'now', message: 'Use the virtual clock (sim.now()).' },
    { object: 'Math', property: 'random', message: 'Use the seeded generator (internal/random.ts).' },
    { object: 'process', property: 'hrtime', message: 'Use the virtual clock instead of real time.' },
  ],
  'no-restricted-syntax': ['error', { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'new Date() reads real time; pass an instant.' }],
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setImmediate: 'readonly', clearImmediate: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', performance: 'readonly', URL: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', queueMicrotask: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  { files: ['src/**/*.ts'], ignores: ['src/internal/real-time.ts'], rules: noRealTime },
)
