# One image recipe for every Focus app (they share their libs and build): pick the app with
#   docker build --build-arg APP=population -t focus/population .
# docker-compose.yml builds each app this way.
FROM node:20.20-bookworm-slim AS build
WORKDIR /repo
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.base.json tsconfig.build.json ./
COPY libs ./libs
ARG APP
COPY apps/${APP} ./apps/${APP}
RUN npx tsc -p tsconfig.build.json && npm prune --omit=dev --ignore-scripts

FROM node:20.20-bookworm-slim
ARG APP
ENV NODE_ENV=production APP=${APP}
WORKDIR /app
COPY --from=build --chown=node:node /repo/node_modules ./node_modules
COPY --from=build --chown=node:node /repo/dist/out-tsc ./dist/out-tsc
COPY --chown=node:node tools/runtime ./tools/runtime
USER node
# Ready means the app's database, broker and outbox answer (GET /health/ready).
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=6 \
  CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["sh", "-c", "exec node -r ./tools/runtime/register-aliases.js dist/out-tsc/apps/$APP/src/main.js"]
