import type { TreatyActionType, TreatyStatus } from './model.ts';

export type TreatyActionFact = {
  type: TreatyActionType;
  date: string | null;
  actorId: string | null;
};

/**
 * A treaty's status is never stored by hand: it follows from its timeline.
 * Actions are read in date order (undated ones last, in the order given); later actions win.
 * - no action: NEGOTIATING
 * - SIGNATURE: SIGNED; a submission for ratification or any ratification/accession short of
 *   entry into force: PENDING_RATIFICATION
 * - ENTRY_INTO_FORCE: IN_FORCE
 * - DENUNCIATION/WITHDRAWAL by every party (or by an unnamed actor of a treaty without named
 *   parties): TERMINATED; by some parties only, the treaty stays as it was for the rest.
 */
export function treatyStatusFromActions(
  actions: readonly TreatyActionFact[],
  partyIds: readonly string[] = [],
): TreatyStatus {
  let status: TreatyStatus = 'NEGOTIATING';
  const withdrawn = new Set<string>();
  for (const action of inDateOrder(actions)) {
    switch (action.type) {
      case 'SIGNATURE':
        if (status === 'NEGOTIATING') status = 'SIGNED';
        break;
      case 'SUBMISSION_FOR_RATIFICATION':
      case 'RATIFICATION':
      case 'ACCESSION':
      case 'EXCHANGE_OF_INSTRUMENTS':
        if (status === 'NEGOTIATING' || status === 'SIGNED') status = 'PENDING_RATIFICATION';
        break;
      case 'ENTRY_INTO_FORCE':
        if (status !== 'TERMINATED') status = 'IN_FORCE';
        break;
      case 'DENUNCIATION':
      case 'WITHDRAWAL': {
        if (action.actorId) withdrawn.add(action.actorId);
        const everyPartyLeft =
          partyIds.length === 0 ? action.actorId === null : partyIds.every((id) => withdrawn.has(id));
        if (everyPartyLeft) status = 'TERMINATED';
        break;
      }
    }
  }
  return status;
}

function inDateOrder(actions: readonly TreatyActionFact[]): TreatyActionFact[] {
  return actions
    .map((action, order) => ({ action, order }))
    .sort((a, b) => {
      if (a.action.date === b.action.date) return a.order - b.order;
      if (a.action.date === null) return 1;
      if (b.action.date === null) return -1;
      return a.action.date < b.action.date ? -1 : 1;
    })
    .map(({ action }) => action);
}
