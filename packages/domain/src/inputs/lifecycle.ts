// Commands that apply to a node of any type: delete, restore, purge.
import { z } from 'zod';
import type { RevisedNodeType } from '../revisions.ts';
import { anyNodeId, expectedVersion, nodeId } from './common.ts';

export const deleteCommand = (typename: RevisedNodeType) =>
  z.object({ id: nodeId(typename), expectedVersion });
export type DeleteCommand = z.output<ReturnType<typeof deleteCommand>>;

/** restore(id) and purge(id); `expectedVersion` is optional for both. */
export const nodeLifecycleCommand = z.object({ id: anyNodeId, expectedVersion: expectedVersion.nullish() });
export type NodeLifecycleCommand = z.output<typeof nodeLifecycleCommand>;
