# Mnemo server image: compiled JavaScript run by plain `node` under tini, as a non-root user.
# Build stage: production dependencies and the compiled dist/ (esbuild, see scripts/build.mjs).
FROM node:20-trixie-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the `prepare` build needs src/, copied below so source edits reuse this cached layer.
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY scripts/build.mjs scripts/bundle.mjs ./scripts/
COPY src/ ./src/
# The build also makes the pre-initialised embedded database, with these migrations applied.
COPY drizzle/ ./drizzle/
RUN node scripts/build.mjs

FROM node:20-trixie-slim
# tini reaps children and forwards signals to node; custom Python tools run in a python3 subprocess.
RUN apt-get update \
  && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3 tini \
  && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY package.json ./
COPY drizzle/ ./drizzle/
COPY --from=build /app/dist ./dist

# The embedded database (used when DATABASE_URL is unset) lives in /data: keep it on a volume.
RUN mkdir -p /data && chown node:node /data && chmod 700 /data
VOLUME /data

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8283 \
    MNEMO_DATA_DIR=/data
EXPOSE 8283
USER node
HEALTHCHECK --interval=5s --timeout=5s --start-period=180s --retries=6 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8283)+'/v1/health/').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Build metadata (e.g. --build-arg REVISION=$(git rev-parse HEAD)); the compose test changes it to test an upgrade.
ARG REVISION=dev
LABEL org.opencontainers.image.revision=$REVISION
ENTRYPOINT ["tini", "--"]
CMD ["node", "dist/main.js"]
