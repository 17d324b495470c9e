# One image for the api and the workers; compose picks the command per service.

FROM node:20-bookworm-slim AS build
# better-sqlite3 compiles its native binding with node-gyp when no prebuilt one fits.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Manifests first, so the dependency layer is reused while only sources change.
COPY package.json package-lock.json ./
COPY apps/api/package.json apps/api/
COPY apps/worker/package.json apps/worker/
COPY packages/config/package.json packages/config/
COPY packages/core/package.json packages/core/
COPY packages/db/package.json packages/db/
COPY packages/queue/package.json packages/queue/
COPY packages/storage/package.json packages/storage/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 && node -e "new (require('better-sqlite3'))(':memory:').close()"

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    DATA_DIR=/data \
    WORKER_METRICS_HOST=0.0.0.0
WORKDIR /app
COPY --from=build --chown=node:node /app /app
# Named volumes copy this directory's owner, so the unprivileged user can write to them.
RUN mkdir -p /data/files && chown -R node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080 9464
# Default service: the api. Workers run `node --single-threaded-gc --max-semi-space-size=2
# --heap-growing-percent=100 apps/worker/dist/main.js` with MALLOC_ARENA_MAX=2 (apps/worker/node-flags.json).
CMD ["node", "apps/api/dist/main.js"]
