import { z } from 'zod';
import { InvalidDatabaseUrlError, validateDatabaseUrl } from './engine/open.ts';

// Settings come from environment variables, checked once at start. A bad value stops the process
// with one line per variable: its name, what is wrong, and what is allowed.

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The variables that choose the database, shared by the server and the CLI. */
export const databaseEnv = {
  DATABASE_URL: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === '') return undefined;
      try {
        return validateDatabaseUrl(value);
      } catch (error) {
        if (!(error instanceof InvalidDatabaseUrlError)) throw error;
        ctx.addIssue({ code: 'custom', message: error.message });
        return z.NEVER;
      }
    }),
  CHANCERY_DATA_DIR: z.string().trim().min(1, 'must be a directory path').default('./data/pglite'),
};

// Connection URLs may carry a password: never echoed.
const SECRET_VARIABLES = new Set(['DATABASE_URL', 'DATABASE_READ_URL', 'REDIS_URL']);

export function parseEnv<Shape extends z.ZodRawShape>(
  shape: Shape,
  env: Record<string, string | undefined>,
): z.infer<z.ZodObject<Shape>> {
  const parsed = z.object(shape).safeParse(env);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => {
    const variable = String(issue.path[0]);
    const shown = SECRET_VARIABLES.has(variable) ? '' : `=${JSON.stringify(env[variable])}`;
    return `  ${variable}${shown}: ${issue.message}`;
  });
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
}
