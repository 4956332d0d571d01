import RE2 from 're2';
import { CronTime } from 'cron';
import { compileSafeRegex } from '../mapping/transformations/regex.transformations';
import { nameKey } from '../identity/identity-rules';

/** A group given by name (compared by name key), or by an RE2 pattern written /like this/. */
export type GroupMatcher = (groups: readonly string[]) => boolean;

export function groupMatcher(patterns: readonly string[]): GroupMatcher {
  const names = new Set<string>();
  const regexes: RE2[] = [];
  for (const pattern of patterns) {
    const regex = /^\/(.+)\/$/.exec(pattern);
    if (regex) regexes.push(compileSafeRegex(regex[1]));
    else names.add(nameKey(pattern));
  }
  return (groups) => groups.some((group) => names.has(nameKey(group)) || regexes.some((regex) => regex.test(group)));
}

/** Problems with group patterns and a schedule, for the admin API (one line each). */
export function ruleProblems(rule: { onlyGroups?: string[]; exceptGroups?: string[]; schedule?: string | null }): string[] {
  const problems: string[] = [];
  for (const field of ['onlyGroups', 'exceptGroups'] as const) {
    (rule[field] ?? []).forEach((pattern, index) => {
      const regex = /^\/(.+)\/$/.exec(pattern);
      if (!regex) return;
      try {
        compileSafeRegex(regex[1]);
      } catch (error) {
        problems.push(`${field}[${index}]: ${(error as Error).message}`);
      }
    });
  }
  if (rule.schedule) {
    const { valid, error } = CronTime.validateCronExpression(rule.schedule);
    if (!valid) problems.push(`schedule: not a cron expression (${error?.message ?? 'invalid'})`);
  }
  return problems;
}

/** The latest time the schedule fires in (from, to], or null; at most 1,000 steps looked at. */
export function latestSlot(schedule: string, from: Date, to: Date): Date | null {
  const time = new CronTime(schedule, 'UTC');
  let slot: Date | null = null;
  let cursor = from;
  for (let step = 0; step < 1000; step++) {
    const next = time.getNextDateFrom(cursor).toJSDate();
    if (next.getTime() > to.getTime()) break;
    slot = next;
    cursor = next;
  }
  return slot;
}
