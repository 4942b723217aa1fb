// `chancery export --out FILE.ndjson`: every record as a bundle (see @chancery/db/import/bundle).
// The file is written beside its destination and renamed into place when complete, so a failed
// export never leaves half a bundle under the name asked for. `--out -` writes to stdout.
import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { exportBundle } from '@chancery/db/import/bundle';
import { migrate } from '@chancery/db/migrate';
import { badInput } from '@chancery/domain/errors';
import type { Command } from 'commander';
import { withDatabase } from '../database.ts';

export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description(
      'Write every record (actors, treaties, articles, statements, their history) as an NDJSON bundle: one typed ' +
        'record per line, in a stable order. `chancery import` of the bundle into an empty database restores it.',
    )
    .requiredOption('--out <file>', 'the bundle to write (FILE.ndjson), or - for stdout')
    .action((options: { out: string }) => runExport(options.out));
}

/** The reader of stdout went away (`chancery export --out - | head`): stop quietly. */
class OutputClosed extends Error {}

/** Writes a line, waiting when the stream's buffer is full; a failed stream stops the export. */
function writer(stream: NodeJS.WritableStream): (line: string) => void | Promise<void> {
  let failure: Error | null = null;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    failure = error.code === 'EPIPE' ? new OutputClosed('stdout closed') : error;
  });
  return (line) => {
    if (failure) throw failure;
    if (stream.write(line)) return;
    return new Promise((resolve, reject) => {
      const fail = () => reject(failure);
      stream.once('error', fail);
      stream.once('drain', () => {
        stream.off('error', fail);
        resolve();
      });
    });
  };
}

async function runExport(out: string): Promise<void> {
  if (out.trim() === '') throw badInput('--out must name a file (FILE.ndjson), or - for stdout');
  const toStdout = out === '-';
  const temporary = `${out}.partial-${process.pid}`;
  const started = performance.now();
  await withDatabase(async (database) => {
    await migrate(database);
    let stream: WriteStream | null = null;
    try {
      if (!toStdout) {
        const file = createWriteStream(temporary, { flags: 'wx' });
        stream = file;
        await new Promise<void>((resolve, reject) => {
          file.once('open', () => resolve());
          file.once('error', (error) => reject(badInput(`cannot write ${out}: ${error.message}`)));
        });
      }
      const { records, byType } = await exportBundle(database.db, writer(stream ?? process.stdout));
      if (stream) {
        const done = stream;
        await new Promise<void>((resolve, reject) =>
          done.end((error?: Error | null) => (error ? reject(error) : resolve())),
        );
        await rename(temporary, out);
      }
      const seconds = (performance.now() - started) / 1000;
      const shown = Object.entries(byType)
        .filter(([, n]) => n > 0)
        .map(([type, n]) => `${n.toLocaleString('en')} ${type}`)
        .join(', ');
      const message = `Exported ${records.toLocaleString('en')} records${shown ? ` (${shown})` : ''} to ${toStdout ? 'stdout' : out} in ${seconds.toFixed(1)} s.`;
      if (toStdout) console.error(message);
      else console.log(message);
    } catch (error) {
      stream?.destroy();
      if (!toStdout) await rm(temporary, { force: true });
      if (error instanceof OutputClosed) return;
      throw error;
    }
  });
}
