# One image recipe for every Focus app (they share their libs and build): pick the app with
#   docker build --build-arg APP=population -t focus/population .
# and the one-shot seed loader with
#   docker build --target seed -t focus/seed .
# docker-compose.yml builds each of them this way.
FROM node:20.20-bookworm-slim AS deps
WORKDIR /repo
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts

# The seed loader needs nothing at run time but Node itself (fetch and fs).
FROM deps AS seed-build
COPY tools/cli ./tools/cli
COPY tools/seed ./tools/seed
RUN npx tsc --outDir dist/seed --rootDir tools --module commonjs --target es2022 --skipLibCheck --types node tools/seed/cli.ts

FROM node:20.20-bookworm-slim AS seed
WORKDIR /seed
COPY --from=seed-build /repo/dist/seed ./
COPY tools/seed/data ./seed/data
USER node
CMD ["node", "seed/cli.js"]

FROM deps AS build
COPY tsconfig.base.json tsconfig.build.json ./
COPY libs ./libs
ARG APP
COPY apps/${APP} ./apps/${APP}
# The gateway also serves the portal: its static build goes into the gateway's image.
COPY apps/portal ./apps/portal
RUN npx tsc -p tsconfig.build.json \
  && if [ "$APP" = "api-gateway" ]; then npx tsx apps/portal/build.ts; fi \
  && npm prune --omit=dev --ignore-scripts

# The app image (the default target): compiled JavaScript and production dependencies only.
FROM node:20.20-bookworm-slim AS app
ARG APP
# The malloc thresholds are tools/runtime/node-flags.js's MALLOC_ENVIRONMENT (why: there).
ENV NODE_ENV=production APP=${APP} MALLOC_MMAP_THRESHOLD_=131072 MALLOC_TRIM_THRESHOLD_=131072
WORKDIR /app
COPY --from=build --chown=node:node /repo/node_modules ./node_modules
COPY --from=build --chown=node:node /repo/dist ./dist
COPY --chown=node:node tools/runtime ./tools/runtime
USER node
# Ready means the app's database, broker and outbox answer (GET /health/ready).
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=6 \
  CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["sh", "-c", "exec node $(node tools/runtime/node-flags.js \"$APP\") -r ./tools/runtime/register-aliases.js dist/out-tsc/apps/$APP/src/main.js"]
