# syntax=docker/dockerfile:1

# Node 24, the current LTS line (Node 20 reached its end of life in April 2026). Both stages use
# the same image, so the production dependencies built in one run in the other.
# Build: compile TypeScript, then drop dev dependencies.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

# Runtime: compiled output and production dependencies only, as the non-root node user.
FROM node:24-bookworm-slim
WORKDIR /app
# The heap limit of config/production-node-args.ts (why: see there).
ENV NODE_ENV=production \
    APP_MODE=production \
    PORT=3000 \
    NODE_OPTIONS="--max-old-space-size=192"
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:3000/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/src/main.js"]
