# One image recipe for every Focus app (they share their libs and build): pick the app with
#   docker build --build-arg APP=population -t focus/population .
# and the one-shot seed loader with
#   docker build --target seed -t focus/seed .
# docker-compose.yml builds each of them this way.
FROM node:20.20-bookworm-slim AS deps
WORKDIR /repo
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts

# Production dependencies, the same for every app: each image copies this one layer first, so
# the apps' images share it on disk and in a registry. Type declarations, source maps and docs
# are of no use at run time.
FROM deps AS prod-deps
RUN npm prune --omit=dev --ignore-scripts \
  && rm -rf node_modules/@types node_modules/.package-lock.json \
  && find node_modules -type f \( -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' -o -name '*.map' \
       -o -name '*.md' -o -name '*.markdown' -o -name '*.tsbuildinfo' \) -delete

# What an app needs to run, as distroless images do it: Node, the few libraries it links, a
# shell for the CMD line and the unprivileged `node` user; no npm, no package manager, no
# coreutils. A Debian-slim base with Node is ~180 MB before any app.
FROM node:20.20-bookworm-slim AS runtime-files
RUN mkdir -p /runtime/usr/local/bin /runtime/etc /runtime/tmp \
  && chmod 1777 /runtime/tmp \
  && cp /usr/local/bin/node /runtime/usr/local/bin/ \
  && for file in /bin/sh $(ldd /usr/local/bin/node /bin/sh | grep -o '/[^ ]*'); do cp --parents -L "$file" /runtime; done \
  && grep -E '^(root|node):' /etc/passwd > /runtime/etc/passwd \
  && grep -E '^(root|node):' /etc/group > /runtime/etc/group \
  && printf 'passwd: files\ngroup: files\nhosts: files dns\n' > /runtime/etc/nsswitch.conf

FROM scratch AS runtime
COPY --from=runtime-files /runtime/ /
ENV PATH=/usr/local/bin:/usr/bin:/bin

# The seed loader needs nothing at run time but Node itself (fetch and fs).
FROM deps AS seed-build
COPY tools/cli ./tools/cli
COPY tools/seed ./tools/seed
RUN npx tsc --outDir dist/seed --rootDir tools --module commonjs --target es2022 --skipLibCheck --types node tools/seed/cli.ts

FROM runtime AS seed
WORKDIR /seed
COPY --from=seed-build /repo/dist/seed ./
COPY tools/seed/data ./seed/data
USER node
CMD ["node", "seed/cli.js"]

# Every app compiled at once (one tsc for them all, rather than one per image), then laid out
# per app in /out/<app>: its own code, the libs, and for the gateway the portal it serves.
FROM deps AS build
COPY tsconfig.base.json tsconfig.build.json ./
COPY libs ./libs
COPY apps ./apps
RUN npx tsc -p tsconfig.build.json && npx tsx apps/portal/build.ts \
  && for app in $(ls dist/out-tsc/apps); do \
       mkdir -p /out/$app/dist/out-tsc/apps && cp -r dist/out-tsc/apps/$app /out/$app/dist/out-tsc/apps/ \
       && cp -r dist/out-tsc/libs /out/$app/dist/out-tsc/; \
     done \
  && cp -r dist/portal /out/api-gateway/dist/

# The app image (the default target): compiled JavaScript and production dependencies only,
# owned by root and read-only to the app's user.
FROM runtime AS app
ARG APP
# The malloc thresholds are tools/runtime/node-flags.js's MALLOC_ENVIRONMENT (why: there).
ENV NODE_ENV=production APP=${APP} MALLOC_MMAP_THRESHOLD_=131072 MALLOC_TRIM_THRESHOLD_=131072
WORKDIR /app
COPY --from=prod-deps /repo/node_modules ./node_modules
COPY tools/runtime ./tools/runtime
COPY --from=build /out/${APP}/ ./
USER node
# Ready means the app's database, broker and outbox answer (GET /health/ready).
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=6 \
  CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["sh", "-c", "exec node $(node tools/runtime/node-flags.js \"$APP\") -r ./tools/runtime/register-aliases.js dist/out-tsc/apps/$APP/src/main.js"]
