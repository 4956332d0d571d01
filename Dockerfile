# syntax=docker/dockerfile:1
# The alb-usersync service as a container: built with its dev dependencies, run with production
# ones only, as a non-root user, with npm start's node options and NODE_ENV=production.
# test/deploy/dockerfile.e2e-spec.ts runs these same steps, in this order, outside Docker.

FROM node:20-bookworm-slim AS build
# better-sqlite3 and re2 compile from source when no prebuilt binary fits.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json nest-cli.json tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
COPY web ./web
# npm ci builds the service and the console (npm's prepare); prune then drops the dev dependencies.
RUN npm ci --no-audit --no-fund
RUN npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    MALLOC_ARENA_MAX=2 \
    PORT=3000
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json /app/package-lock.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/scripts ./scripts
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# npm start's node options, without npm in between: SIGTERM reaches node itself, which drains and exits.
CMD ["node", "--disable-proto=delete", "--max-old-space-size=256", "--max-semi-space-size=4", "scripts/start.js"]
