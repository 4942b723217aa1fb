import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `npm run dev -w @chancery/web` serves the app with hot reload and sends /graphql to the API
// (CHANCERY_API_URL, default http://127.0.0.1:4000; start it with `npm start`). `build` writes
// dist/, which the API server serves at / (apps/server/src/static-files.ts).
export default defineConfig({
  plugins: [react()],
  server: {
    // /auth: the editors' sign-in (the session cookie is the API's, so it must come through here).
    proxy: Object.fromEntries(
      ['/graphql', '/auth'].map((path) => [path, process.env.CHANCERY_API_URL ?? 'http://127.0.0.1:4000']),
    ),
  },
  build: {
    target: 'es2022',
    // Hashed file names under assets/: the server caches them for a year.
    assetsDir: 'assets',
    sourcemap: true,
  },
});
