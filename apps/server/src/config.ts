import { databaseEnv, parseEnv } from '@chancery/db/config';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const NODE_ENVS = ['development', 'production', 'test'] as const;

const PORT_RULE = 'must be a whole number from 0 to 65535 (0 picks a free port)';

const serverEnv = {
  ...databaseEnv,
  PORT: z.coerce
    .number({ error: PORT_RULE })
    .int(PORT_RULE)
    .min(0, PORT_RULE)
    .max(65535, PORT_RULE)
    .default(4000),
  HOST: z
    .string()
    .regex(/^[A-Za-z0-9.:-]{1,253}$/, 'must be a host name or an IP address, e.g. 127.0.0.1 or 0.0.0.0')
    .default('127.0.0.1'),
  NODE_ENV: z.enum(NODE_ENVS, { error: `must be one of ${NODE_ENVS.join(', ')}` }).default('development'),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
};

export type ServerConfig = {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  production: boolean;
  logLevel: (typeof LOG_LEVELS)[number];
};

/** Reads the server's settings from the environment; throws ConfigError naming each bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): ServerConfig {
  const e = parseEnv(serverEnv, env);
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.CHANCERY_DATA_DIR,
    production: e.NODE_ENV === 'production',
    logLevel: e.LOG_LEVEL,
  };
}
