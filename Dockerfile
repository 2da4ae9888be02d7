# answerkey for docker-compose.yml: the command line, the API and the workers, built from this checkout.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
RUN npm ci --ignore-scripts && npm rebuild hnswlib-node
COPY . .
RUN npm run build && node scripts/convert-vectors.mjs && npm prune --omit=dev
ENV NODE_ENV=production
ENTRYPOINT ["node", "dist/cli/main.js"]
