import { spawnSync } from 'node:child_process';

/** Browser tests run against the built web app, exactly as `npm start` serves it. */
export default function setup(): void {
  const result = spawnSync('node', ['scripts/build-web-if-needed.mjs'], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error('building the web app failed');
}
