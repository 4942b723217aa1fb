import { describe, expect, it } from 'vitest';
import { count, formatDay, parseSnippet, provisionLabel, treatyName } from './format.ts';

describe('format', () => {
  it('writes days as the record states them, whatever the reader’s time zone', () => {
    expect(formatDay('2024-10-24')).toBe('24 October 2024');
    expect(formatDay('2024-10-24T00:00:00.000Z')).toBe('24 October 2024');
    expect(formatDay(null)).toBe('');
    expect(formatDay('someday')).toBe('someday');
  });

  it('names provisions, treaties and counts', () => {
    expect(provisionLabel('4')).toBe('Article 4');
    expect(treatyName({ title: 'Charter of the United Nations', shortTitle: 'UN Charter' })).toBe(
      'UN Charter',
    );
    expect(treatyName({ title: 'Long title', shortTitle: null })).toBe('Long title');
    expect(count(1, 'statement')).toBe('1 statement');
    expect(count(1200, 'story', 'stories')).toBe('1,200 stories');
  });

  it('reads a search snippet into text parts, never HTML', () => {
    expect(parseSnippet('…the <mark>treaty</mark> is <mark>defensive</mark>…')).toEqual([
      { text: '…the ', match: false },
      { text: 'treaty', match: true },
      { text: ' is ', match: false },
      { text: 'defensive', match: true },
      { text: '…', match: false },
    ]);
    expect(
      parseSnippet('&quot;not to&quot; &lt;script&gt;alert(1)&lt;/script&gt; &amp; &#39;x&#x27;'),
    ).toEqual([{ text: '"not to" <script>alert(1)</script> & \'x\'', match: false }]);
    expect(parseSnippet('&unknown; &#0; <b>kept</b>')).toEqual([
      { text: '&unknown; &#0; <b>kept</b>', match: false },
    ]);
    expect(parseSnippet('')).toEqual([]);
  });
});
