import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CHANCERY = fileURLToPath(new URL('../bin/chancery.js', import.meta.url));
const SERVER_MAIN = fileURLToPath(new URL('../../server/src/main.ts', import.meta.url));

export type Run = { code: number | null; stdout: string; stderr: string };

/** Runs a command to completion, as a user at a shell would. */
export function run(
  command: string,
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, env: cleanEnv(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export const chancery = (args: string[], env: Record<string, string | undefined> = {}) =>
  run(process.execPath, [CHANCERY, ...args], env);

/** Starts `npm start`'s entry point and resolves once it serves; the caller stops it. */
export function startServer(
  env: Record<string, string | undefined>,
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', SERVER_MAIN], {
      cwd: REPO_ROOT,
      env: cleanEnv(env),
    });
    let output = '';
    const onData = (d: Buffer) => {
      output += d;
      const match = /serving (http:\/\/\S+)/.exec(output);
      if (match) resolve({ child, url: match[1] as string, output: () => output });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited with ${code} before serving:\n${output}`)));
  });
}

export function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.removeAllListeners('exit');
    child.on('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

function cleanEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: undefined, NODE_ENV: 'test' };
  for (const [key, value] of Object.entries(extra)) env[key] = value;
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  return env;
}
