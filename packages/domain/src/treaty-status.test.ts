import { describe, expect, it } from 'vitest';
import { type TreatyActionFact, treatyStatusFromActions } from './treaty-status.ts';

const act = (
  type: TreatyActionFact['type'],
  date: string | null,
  actorId: string | null = null,
): TreatyActionFact => ({
  type,
  date,
  actorId,
});

describe('treatyStatusFromActions', () => {
  it('is NEGOTIATING with no actions', () => {
    expect(treatyStatusFromActions([])).toBe('NEGOTIATING');
  });

  it('follows signature, submission, ratification by every party and entry into force', () => {
    const parties = ['ru', 'kp'];
    const timeline = [act('SIGNATURE', '2024-06-19')];
    expect(treatyStatusFromActions(timeline, parties)).toBe('SIGNED');
    timeline.push(act('SUBMISSION_FOR_RATIFICATION', '2024-10-14', 'putin'));
    expect(treatyStatusFromActions(timeline, parties)).toBe('PENDING_RATIFICATION');
    timeline.push(act('RATIFICATION', '2024-11-09', 'ru'), act('RATIFICATION', '2024-11-11', 'kp'));
    expect(treatyStatusFromActions(timeline, parties)).toBe('PENDING_RATIFICATION');
    timeline.push(act('ENTRY_INTO_FORCE', '2024-12-04'));
    expect(treatyStatusFromActions(timeline, parties)).toBe('IN_FORCE');
  });

  it('reads actions in date order whatever order they were recorded in', () => {
    const actions = [act('ENTRY_INTO_FORCE', '1945-10-24'), act('SIGNATURE', '1945-06-26')];
    expect(treatyStatusFromActions(actions)).toBe('IN_FORCE');
  });

  it('is TERMINATED only when every party has denounced or withdrawn', () => {
    const parties = ['a', 'b'];
    const base = [act('SIGNATURE', '2000-01-01'), act('ENTRY_INTO_FORCE', '2001-01-01')];
    expect(treatyStatusFromActions([...base, act('WITHDRAWAL', '2010-01-01', 'a')], parties)).toBe(
      'IN_FORCE',
    );
    expect(
      treatyStatusFromActions(
        [...base, act('WITHDRAWAL', '2010-01-01', 'a'), act('DENUNCIATION', '2011-01-01', 'b')],
        parties,
      ),
    ).toBe('TERMINATED');
  });

  it('puts undated actions after dated ones', () => {
    expect(treatyStatusFromActions([act('ENTRY_INTO_FORCE', null), act('SIGNATURE', '2000-01-01')])).toBe(
      'IN_FORCE',
    );
  });
});
