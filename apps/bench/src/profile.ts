// Summarises a V8 .cpuprofile (node --cpu-prof): self time by function and by area (a package under
// node_modules, a workspace source folder, or Node's internals), to see where a request's CPU goes.
import { readFile } from 'node:fs/promises';

type ProfileNode = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
};
type Profile = {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
};

export function areaOf(url: string): string {
  if (!url) return '(native / idle / gc)';
  if (url.startsWith('node:')) return 'node internals';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1] as string;
  const workspace = /\/(apps|packages)\/([^/]+)\/src\/(?:([^/]+)\/)?/.exec(url);
  if (workspace)
    return `${workspace[1]}/${workspace[2]}${workspace[3] && !workspace[3].includes('.') ? `/${workspace[3]}` : ''}`;
  return url.replace(/^file:\/\//, '');
}

export async function summarizeProfile(file: string, top = 30): Promise<string> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (const [i, id] of profile.samples.entries())
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  let total = 0;
  let idle = 0;
  const functions = new Map<string, number>();
  const areas = new Map<string, number>();
  for (const [id, micros] of self) {
    const node = byId.get(id) as ProfileNode;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)' || functionName === '(program)') {
      idle += functionName === '(idle)' ? micros : 0;
      if (functionName === '(idle)') continue;
    }
    total += micros;
    const short = url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/(apps|packages)\//, '$1/');
    const key = `${functionName || '(anonymous)'}  ${short}:${lineNumber + 1}`;
    functions.set(key, (functions.get(key) ?? 0) + micros);
    const area = functionName === '(garbage collector)' ? '(garbage collector)' : areaOf(url);
    areas.set(area, (areas.get(area) ?? 0) + micros);
  }
  // Inclusive time: each sample counts once for every distinct function on its stack.
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inclusive = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    const leaf = byId.get(id) as ProfileNode;
    if (leaf.callFrame.functionName === '(idle)') return;
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const { functionName, url, lineNumber } = (byId.get(at) as ProfileNode).callFrame;
      if (!url) continue;
      const short = url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/(apps|packages)\//, '$1/');
      seen.add(`${functionName || '(anonymous)'}  ${short}:${lineNumber + 1}`);
    }
    for (const key of seen) inclusive.set(key, (inclusive.get(key) ?? 0) + delta);
  });
  const pct = (v: number) => `${((v / total) * 100).toFixed(1).padStart(5)}%`;
  const lines = [
    `busy ${(total / 1000).toFixed(0)} ms, idle ${(idle / 1000).toFixed(0)} ms`,
    '',
    'self time by area:',
  ];
  for (const [area, v] of [...areas].sort((a, b) => b[1] - a[1]).slice(0, 25))
    lines.push(`  ${pct(v)}  ${area}`);
  lines.push('', 'self time by function:');
  for (const [fn, v] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, top))
    lines.push(`  ${pct(v)}  ${fn}`);
  lines.push('', 'inclusive time by function (a sample counts once per function on its stack):');
  for (const [fn, v] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top * 2))
    lines.push(`  ${pct(v)}  ${fn}`);
  return lines.join('\n');
}
