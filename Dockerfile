# syntax=docker/dockerfile:1
# Tally: `docker build -t tally .` then `docker run --env-file .env -p 3000:3000 tally` (or see docker-compose.yml).

# ---- build: compile TypeScript, then keep only production dependencies ----
FROM node:20-bookworm-slim AS build
WORKDIR /app

# Dependencies first, so that this layer is reused until package*.json changes. `--ignore-scripts` skips the
# package's own `prepare` (= `npm run build`), which cannot run before the sources are copied; `npm rebuild` then
# runs the install scripts of dependencies only (native add-ons, if any), never the package's own.
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --ignore-scripts --no-audit --no-fund \
 && npm rebuild

# Then compile and drop devDependencies. prompts/ and manifest/ are read at run time; they are created if still
# empty (git keeps no empty folders) so that the COPYs below never fail.
COPY . .
RUN npm run build \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund \
 && mkdir -p prompts manifest

# ---- runtime: node, the compiled code and production dependencies, as the unprivileged `node` user ----
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
# glibc's malloc gives threads arenas of their own (up to 8 per core) and keeps what they free for reuse; DuckDB's
# threads and Node's thread pool allocate through it. Two arenas kept a 12.8-million-row Parquet import 30–50 MB lower
# (docs/cost-data.md, "Sizing").
ENV MALLOC_ARENA_MAX=2
WORKDIR /app

# Chart images (adapters/charts) draw their text with DejaVu Sans; the slim image has no fonts. Installed before
# the COPYs so that this layer stays cached when only the code changes.
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core && rm -rf /var/lib/apt/lists/*

# Owned by root and read-only for `node`: the process cannot rewrite its own code.
# package.json is needed at run time: its "type": "module" makes dist/*.js ES modules.
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
COPY --from=build /app/prompts ./prompts
COPY --from=build /app/manifest ./manifest

# Cost data (Parquet files, docs/cost-data.md) lives in one volume that the web and worker containers share.
# DuckDB's native binding (@duckdb/node-bindings-linux-*) needs glibc, which this Debian (bookworm) image has;
# an Alpine (musl) image would not load it.
ENV TALLY_DATA_DIR=/data
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]

USER node
EXPOSE 3000

# `tally worker` serves no HTTP: docker-compose.yml disables this check for it.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

ENTRYPOINT ["node", "bin/tally.js"]
CMD ["start", "--no-worker"]
