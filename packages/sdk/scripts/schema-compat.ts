// The breaking-change check: what changed between the last released schema and the current one,
// and whether every breaking change has been acknowledged (schema-acknowledged.json) with a reason.
import { type Change, CriticalityLevel, diff } from '@graphql-inspector/core';
import { buildSchema } from 'graphql';

/** One accepted breaking change: its inspector change type and path, and why it is acceptable. */
export type Acknowledgement = { type: string; path: string; reason: string };

export type SchemaReport = {
  breaking: Change[];
  acknowledged: { change: Change; reason: string }[];
  dangerous: Change[];
  safe: Change[];
  /** Acknowledgements that match no change any more: delete them. */
  stale: Acknowledgement[];
  /** Acknowledgements that cannot be used as written. */
  invalid: string[];
  ok: boolean;
};

export async function compareSchemas(options: {
  released: string;
  current: string;
  acknowledgements: unknown;
}): Promise<SchemaReport> {
  const changes = await diff(buildSchema(options.released), buildSchema(options.current));
  const { valid, invalid } = readAcknowledgements(options.acknowledgements);
  const used = new Set<Acknowledgement>();
  const report: SchemaReport = {
    breaking: [],
    acknowledged: [],
    dangerous: [],
    safe: [],
    stale: [],
    invalid,
    ok: false,
  };
  for (const change of changes) {
    if (change.criticality.level === CriticalityLevel.Breaking) {
      const acknowledgement = valid.find((a) => a.type === change.type && a.path === (change.path ?? ''));
      if (acknowledgement) {
        used.add(acknowledgement);
        report.acknowledged.push({ change, reason: acknowledgement.reason });
      } else report.breaking.push(change);
    } else if (change.criticality.level === CriticalityLevel.Dangerous) report.dangerous.push(change);
    else report.safe.push(change);
  }
  report.stale = valid.filter((a) => !used.has(a));
  report.ok = report.breaking.length === 0 && report.invalid.length === 0;
  return report;
}

function readAcknowledgements(value: unknown): { valid: Acknowledgement[]; invalid: string[] } {
  const list = (value as { acknowledged?: unknown } | null)?.acknowledged;
  if (!Array.isArray(list)) {
    return { valid: [], invalid: ['schema-acknowledged.json must be { "acknowledged": [ … ] }'] };
  }
  const valid: Acknowledgement[] = [];
  const invalid: string[] = [];
  list.forEach((entry: Partial<Acknowledgement> | null, index) => {
    const ok =
      entry &&
      typeof entry.type === 'string' &&
      typeof entry.path === 'string' &&
      typeof entry.reason === 'string' &&
      entry.reason.trim() !== '';
    if (ok) valid.push(entry as Acknowledgement);
    else invalid.push(`acknowledged[${index}] needs "type", "path" and a non-empty "reason"`);
  });
  return { valid, invalid };
}

/** The report as lines for a terminal. */
export function describeReport(report: SchemaReport): string[] {
  const line = (mark: string, change: Change, extra = '') =>
    `  ${mark} ${change.message}  [${change.type} ${change.path ?? ''}]${extra}`;
  return [
    ...(report.breaking.length > 0
      ? [
          `Breaking changes since the released schema (${report.breaking.length}):`,
          ...report.breaking.map((c) => line('✗', c)),
          'Clients built on the released schema may fail. Make the change additive, or accept it by adding',
          '{ "type", "path", "reason" } to packages/sdk/schema-acknowledged.json.',
        ]
      : []),
    ...(report.acknowledged.length > 0
      ? [
          'Acknowledged breaking changes:',
          ...report.acknowledged.map((a) => line('!', a.change, ` — ${a.reason}`)),
        ]
      : []),
    ...(report.dangerous.length > 0
      ? ['Dangerous changes:', ...report.dangerous.map((c) => line('⚠', c))]
      : []),
    ...(report.invalid.length > 0
      ? ['Invalid acknowledgements:', ...report.invalid.map((m) => `  ✗ ${m}`)]
      : []),
    ...(report.stale.length > 0
      ? [
          'Acknowledgements matching no change (remove them):',
          ...report.stale.map((a) => `  - ${a.type} ${a.path}`),
        ]
      : []),
    `${report.safe.length} safe change(s), ${report.dangerous.length} dangerous, ${report.breaking.length} breaking` +
      ` (${report.acknowledged.length} acknowledged).`,
  ];
}
