import { builder } from '../builder.ts';
import './query.ts';
import './scalars.ts';
import './enums.ts';
import './actor.ts';
import './article.ts';
import './statement.ts';
import './treaty.ts';
import './treaty-provision.ts';
import './treaty-action.ts';

export const schema = builder.toSchema({ sortSchema: true });
