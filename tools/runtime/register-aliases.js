// Lets the compiled apps in dist/out-tsc import `@focus/<lib>` as the sources do: tsc keeps
// the tsconfig path aliases as written, so Node is told where each lib's build lives.
// Usage: node -r ./tools/runtime/register-aliases.js dist/out-tsc/apps/<app>/src/main.js
const Module = require('node:module');
const path = require('node:path');

const libs = path.resolve(__dirname, '../../dist/out-tsc/libs');
const resolveFilename = Module._resolveFilename;

Module._resolveFilename = function resolveFocusAlias(request, ...rest) {
  const alias = /^@focus\/([a-z0-9-]+)$/.exec(request);
  return resolveFilename.call(this, alias ? path.join(libs, alias[1], 'src', 'index.js') : request, ...rest);
};
