# Mnemo server image. TypeScript runs through tsx (a runtime dependency), so there is no build step.
FROM node:20-bookworm-slim

# Custom Python tools run in a python3 subprocess.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 \
  && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first so source edits reuse the cached npm layer.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

COPY tsconfig.json ./
COPY drizzle/ ./drizzle/
COPY src/ ./src/

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8283
EXPOSE 8283
USER node
CMD ["npm", "start"]
