// The command line of the bench's scripts (main.ts, workers-ratio.ts, in-process.ts): a bad option
// gets one line saying what was wrong and what is allowed, exit code 2, no stack trace.
import { type ParseArgsConfig, parseArgs } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

export function commandLine<const T extends Options>(
  command: string,
  options: T,
  /** A second line for every refusal (where to read the options); without one, a parse error lists them. */
  help?: string,
) {
  const fail = (message: string): never => {
    console.error(`${command}: ${message}${help ? `\n${help}` : ''}`);
    process.exit(2);
  };
  let values: ReturnType<typeof parseArgs<{ options: T; allowPositionals: false }>>['values'];
  try {
    ({ values } = parseArgs({ options, allowPositionals: false }));
  } catch (error) {
    // parseArgs names the unknown option or the missing value.
    const known = help
      ? ''
      : ` (options: ${Object.keys(options)
          .map((name) => `--${name}`)
          .join(', ')}).`;
    return fail(`${(error as Error).message}${known}`);
  }
  /** `--name`'s value as a number of at least `min` (whole when `integer`), or the fallback. */
  const number = (
    name: keyof T & string,
    fallback: number,
    { min = 1, integer = true }: { min?: number; integer?: boolean } = {},
  ): number => {
    const value = (values as Record<string, unknown>)[name];
    if (value === undefined) return fallback;
    const n = Number(value);
    if (
      typeof value !== 'string' ||
      value.trim() === '' ||
      !Number.isFinite(n) ||
      n < min ||
      (integer && !Number.isInteger(n))
    )
      fail(
        `--${name} takes ${integer ? 'a whole number' : 'a number'} from ${min} up; got ${JSON.stringify(value)}.`,
      );
    return n;
  };
  return { values, fail, number };
}
