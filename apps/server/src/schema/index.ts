import { builder } from '../builder.ts';
import './query.ts';
import './mutation.ts';
import './errors.ts';
import './scalars.ts';
import './enums.ts';
import './actor.ts';
import './article.ts';
import './statement.ts';
import './treaty.ts';
import './treaty-provision.ts';
import './treaty-action.ts';
import './node.ts';
import './revision.ts';
import './search.ts';
import './import.ts';

export const schema = builder.toSchema({ sortSchema: true });
