import { builder } from '../builder.ts';

// The root types. Each type file adds the root fields that return it.
builder.queryType({ description: 'Read Chancery: treaties, articles, statements and actors.' });
