# kubelab server image. Build: docker build -t kubelab .
# Runs against a cluster from a kubeconfig (see docker-compose.yml for kind).

# --- build: install dependencies, compiling better-sqlite3's native addon ---------
FROM node:22-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 falls back to node-gyp when no prebuilt binary matches.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# Compile the CLI and server into dist/ (bin/build.js); bin/kubelab.cjs runs it.
# Listing the exercises validates the catalog once and keeps it in dist/cache, which the
# read-only runtime image cannot write: every start then skips the validation.
RUN npm run build \
 && node bin/kubelab.cjs exercises list > /dev/null \
 && npm prune --omit=dev \
 # tsx is a runtime dependency; make sure pruning kept it.
 && node -e "import('tsx/esm/api')"

# --- runtime: no compilers, non-root, data on a volume -----------------------------
FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    KUBELAB_CLUSTER=kubeconfig \
    KUBECONFIG=/etc/kubelab/kubeconfig \
    KUBELAB_DATA_DIR=/var/lib/kubelab
WORKDIR /app
RUN groupadd --system --gid 10001 kubelab \
 && useradd --system --uid 10001 --gid kubelab --home-dir /app --shell /usr/sbin/nologin kubelab \
 && mkdir -p /var/lib/kubelab /etc/kubelab \
 && chown kubelab:kubelab /var/lib/kubelab
COPY --from=build --chown=root:root /app /app
USER kubelab
VOLUME ["/var/lib/kubelab"]
EXPOSE 8080
# Liveness through the app's own /healthz (the slim image has no curl).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "bin/kubelab.cjs", "serve"]
