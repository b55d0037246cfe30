/* Quill search: answers queries on the /search/ page from the index `quill build` writes (docs/search.md).
   No framework, no external URL, no build step. The page gives the index folder in `data-index` on the search
   root element, e.g. <form data-index="/search/index/">, with an input named q inside it.

   Hooks for tests and themes: when results (or "no results", or an error) are on the page, the root element has
   data-search-state="ready" (or "error") and data-search-query set to the query, <html> gets
   data-search-ready="<query>", and a performance mark "quill-search-results" is recorded; the results list has
   data-snippets="done" once every shown result has its snippet (and a mark "quill-search-snippets" is recorded). */
(() => {
  'use strict';

  const PAGE_SIZE = 10;
  const DEBOUNCE_MS = 120;
  const PREFIX_BUDGET = 200 * 1024; // bytes of shards a prefix may fetch (docs/search.md)
  const SHARD_BYTES = 16000; // what a shard holds at most, about (docs/search.md): the size of each when unknown
  const MAX_WORD_BYTES = 64;
  const FIELD_SCORES = [3, 2, 1]; // title, tags, body
  const SNIPPET_TARGET = 200; // characters; a snippet is about 160-220
  const SNIPPET_MIN = 160;
  const SNIPPET_BEFORE = 60; // characters kept before the first match

  const root = document.querySelector('[data-index]');
  if (!root || !window.fetch || !('normalize' in String.prototype)) return;

  // ---- Words (docs/search.md, "Words") -------------------------------------------------------------------------

  const MARKS = /\p{M}+/gu;
  const APOSTROPHES = /['\u2019]/g;
  const RUN = /[\p{L}\p{N}]+/gu;

  /** NFKD, combining marks dropped, lower-cased, final sigma made σ, apostrophes dropped. */
  function fold(text) {
    return text.normalize('NFKD').replace(MARKS, '').toLowerCase().replace(/\u03c2/g, '\u03c3')
      .replace(APOSTROPHES, '');
  }

  function isCJK(cp) {
    return (cp >= 0x3040 && cp <= 0x30ff) || (cp >= 0x31f0 && cp <= 0x31ff) || (cp >= 0x3400 && cp <= 0x4dbf) ||
      (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x20000 && cp <= 0x2fa1f);
  }

  function utf8Length(word) {
    let n = 0;
    for (const ch of word) {
      const cp = ch.codePointAt(0);
      n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    }
    return n;
  }

  /** The words of folded text, with their positions in it: [{word, start, end, cjk}], long words included. */
  function splitWords(folded) {
    const words = [];
    RUN.lastIndex = 0;
    let m;
    while ((m = RUN.exec(folded)) !== null) {
      const run = m[0];
      let pending = -1; // start of the non-CJK word being read
      let i = m.index;
      for (const ch of run) {
        if (isCJK(ch.codePointAt(0))) {
          if (pending >= 0) words.push({ word: folded.slice(pending, i), start: pending, end: i, cjk: false });
          pending = -1;
          words.push({ word: ch, start: i, end: i + ch.length, cjk: true });
        } else if (pending < 0) {
          pending = i;
        }
        i += ch.length;
      }
      if (pending >= 0) words.push({ word: folded.slice(pending, i), start: pending, end: i, cjk: false });
    }
    return words;
  }

  /** Folds text character by character, keeping for each folded UTF-16 unit the original range it came from;
      `breaks` (optional) are positions of the text that separate words (where the page's HTML has a tag). */
  function foldMapped(text, breaks) {
    let folded = '';
    const from = [];
    const to = [];
    let i = 0;
    for (const ch of text) {
      const start = i;
      if (breaks && breaks.has(start)) {
        folded += ' ';
        from.push(start);
        to.push(start);
      }
      i += ch.length;
      const code = ch.charCodeAt(0);
      let f;
      if (code < 0x80) f = code === 0x27 ? '' : (code >= 0x41 && code <= 0x5a ? String.fromCharCode(code + 32) : ch);
      else f = fold(ch);
      for (let k = 0; k < f.length; k++) { from.push(start); to.push(i); }
      folded += f;
    }
    return { folded, from, to };
  }

  /** The query's terms: every word must match; the last also as a prefix unless the query ends with a space. */
  function parseQuery(raw) {
    const words = splitWords(fold(raw));
    const terms = [];
    words.forEach((w, n) => {
      const prefix = n === words.length - 1 && !w.cjk && !/\s$/u.test(raw);
      const same = terms.find(t => t.word === w.word);
      if (same) return; // a repeated word counts once (and as a whole word, which the prefix includes)
      terms.push({ word: w.word, prefix, tooLong: utf8Length(w.word) > MAX_WORD_BYTES });
    });
    return terms;
  }

  /** Which term a folded word of a page matches (for <mark>): its index, or -1. */
  function matcher(terms) {
    return word => terms.findIndex(t => (t.prefix ? word.startsWith(t.word) : word === t.word));
  }

  /** The ranges of `text` (in its own indices) whose words match: [start, end, term]. */
  function matchRanges(text, matches, breaks) {
    const { folded, from, to } = foldMapped(text, breaks);
    const ranges = [];
    for (const w of splitWords(folded)) {
      const term = matches(w.word);
      if (term >= 0) ranges.push([from[w.start], to[w.end - 1], term]);
    }
    return ranges;
  }

  /** The match to show the snippet around: the first, unless a window starting at a later one holds more of the
      query's different words (then the first such). */
  function anchor(ranges) {
    let best = ranges[0];
    let bestCount = 0;
    const limit = Math.min(ranges.length, 200);
    for (let i = 0; i < limit; i++) {
      const end = ranges[i][0] + SNIPPET_TARGET - SNIPPET_BEFORE;
      const terms = new Set();
      for (let j = i; j < ranges.length && ranges[j][1] <= end; j++) terms.add(ranges[j][2]);
      if (terms.size > bestCount) {
        best = ranges[i];
        bestCount = terms.size;
      }
    }
    return best;
  }

  // ---- Fetching, cached in memory ------------------------------------------------------------------------------

  const indexURL = new URL(root.getAttribute('data-index') || 'search/index/', location.href);
  const cache = new Map();

  function load(url, read) {
    const key = url.toString();
    let promise = cache.get(key);
    if (!promise) {
      promise = fetch(key).then(response => {
        if (!response.ok) throw new Error(`${response.status} ${response.statusText || 'error'} for ${key}`);
        return read(response);
      });
      cache.set(key, promise);
      promise.catch(() => cache.delete(key)); // a later search tries again
    }
    return promise;
  }

  const loadJSON = url => load(url, r => r.json());

  let manifestPromise = null;
  function manifest() {
    if (!manifestPromise) {
      manifestPromise = loadJSON(new URL('manifest.json', indexURL)).then(m => {
        if (m.version !== 1) throw new Error(`the index has version ${m.version}, this page reads version 1`);
        // Each shard is a key, or (an older index) [key, size in bytes].
        const sizes = new Map(m.shards.map(s => (Array.isArray(s) ? [s[0], s[1]] : [s, SHARD_BYTES])));
        return { docs: m.docs, chunk: m.chunk, keys: Array.from(sizes.keys()), sizes };
      });
      manifestPromise.catch(() => { manifestPromise = null; });
    }
    return manifestPromise;
  }

  function hex(key) {
    return Array.from(new TextEncoder().encode(key), b => b.toString(16).padStart(2, '0')).join('');
  }

  function shard(key) {
    return loadJSON(new URL(`t-${hex(key)}.json`, indexURL)).then(entries => {
      if (!entries.byWord) {
        Object.defineProperty(entries, 'byWord', { value: new Map(entries.map(e => [e[0], e])) });
      }
      return entries;
    });
  }

  function docsChunk(n) {
    return loadJSON(new URL(`d-${n}.json`, indexURL));
  }

  /** The longest shard key that is a prefix of `word`, or null. */
  function longestKey(m, word) {
    const chars = Array.from(word);
    for (let n = chars.length; n >= 0; n--) {
      const key = chars.slice(0, n).join('');
      if (m.sizes.has(key)) return key;
    }
    return null;
  }

  /** The shards a term needs; `limited` when a prefix's shards exceed the budget: then those with the shortest
   *  keys are read (the words closest to the prefix, "gardens" before "gardensbaked"), as many as the budget allows. */
  function shardsFor(m, term) {
    const base = longestKey(m, term.word);
    const own = base === null ? [] : [base];
    if (!term.prefix) return { keys: own, limited: false };
    const longer = m.keys.filter(k => k.length > term.word.length && k.startsWith(term.word));
    const keys = own.concat(longer);
    const bytes = keys.reduce((sum, k) => sum + m.sizes.get(k), 0);
    if (bytes <= PREFIX_BUDGET) return { keys, limited: false };
    longer.sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
    const chosen = own.slice();
    let total = own.reduce((sum, k) => sum + m.sizes.get(k), 0);
    for (const k of longer) {
      if (total + m.sizes.get(k) > PREFIX_BUDGET) break;
      chosen.push(k);
      total += m.sizes.get(k);
    }
    return { keys: chosen, limited: true };
  }

  // ---- Sets of documents (docs/search.md, "Shards") ------------------------------------------------------------

  /** Raises scores[id] to `score` for every id of an encoded set. */
  function applySet(encoded, score, scores) {
    if (!encoded) return;
    const docs = scores.length;
    if (encoded.charCodeAt(0) === 0x3d) { // "=" + base64 bitmap
      const bytes = atob(encoded.slice(1));
      for (let i = 0; i < bytes.length; i++) {
        const byte = bytes.charCodeAt(i);
        if (byte === 0) continue;
        for (let bit = 0; bit < 8; bit++) {
          if (byte & (1 << bit)) {
            const id = i * 8 + bit;
            if (id < docs && scores[id] < score) scores[id] = score;
          }
        }
      }
      return;
    }
    let id = 0;
    let first = true;
    for (const part of encoded.split('.')) {
      const n = parseInt(part, 36);
      if (Number.isNaN(n)) throw new Error(`a damaged set of documents in the index: "${encoded.slice(0, 40)}"`);
      id = first ? n : id + n;
      first = false;
      if (id < docs && scores[id] < score) scores[id] = score;
    }
  }

  /** For one term: each document's best field score (0: the term is not in it). */
  async function termScores(m, term) {
    const scores = new Uint8Array(m.docs);
    if (term.tooLong) return scores; // never indexed, so in no document
    const { keys, limited } = shardsFor(m, term);
    term.limited = limited;
    const shards = await Promise.all(keys.map(shard));
    for (const entries of shards) {
      const hits = term.prefix ? entries.filter(e => e[0].startsWith(term.word)) : [entries.byWord.get(term.word)];
      for (const entry of hits) {
        if (!entry) continue;
        for (let f = 0; f < 3; f++) applySet(entry[f + 1], FIELD_SCORES[f], scores);
      }
    }
    return scores;
  }

  /** Ids of the documents having every term, best first: score, then the higher (newer) id. */
  async function rank(terms) {
    const m = await manifest();
    const perTerm = await Promise.all(terms.map(t => termScores(m, t)));
    const hits = [];
    for (let id = 0; id < m.docs; id++) {
      let score = 0;
      for (const scores of perTerm) {
        if (scores[id] === 0) { score = 0; break; }
        score += scores[id];
      }
      if (score > 0) hits.push({ id, score });
    }
    hits.sort((a, b) => b.score - a.score || b.id - a.id);
    return { manifest: m, hits };
  }

  async function describe(m, hits) {
    const chunks = await Promise.all([...new Set(hits.map(h => Math.floor(h.id / m.chunk)))].map(n =>
      docsChunk(n).then(docs => [n, docs])));
    const byChunk = new Map(chunks);
    return hits.map(h => {
      const doc = (byChunk.get(Math.floor(h.id / m.chunk)) || [])[h.id % m.chunk] || [];
      return Object.assign({}, h, { url: doc[0] || '', title: doc[1] || '', date: doc[2] || '' });
    });
  }

  // ---- Snippets from the result pages ---------------------------------------------------------------------------

  const BLOCKS = new Set(['ADDRESS', 'ARTICLE', 'ASIDE', 'BLOCKQUOTE', 'BR', 'CAPTION', 'DD', 'DETAILS', 'DIV',
    'DL', 'DT', 'FIGCAPTION', 'FIGURE', 'FOOTER', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HEADER', 'HR', 'LI', 'NAV',
    'OL', 'P', 'PRE', 'SECTION', 'SUMMARY', 'TABLE', 'TBODY', 'TD', 'TFOOT', 'TH', 'THEAD', 'TR', 'UL']);
  const SKIPPED = new Set(['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT', 'svg', 'math']);

  /** An element's text as a reader sees it (white space collapsed, blocks apart), and the positions in it where
      an inline element starts or ends: there, as in the index (docs/search.md), one word ends and another begins
      (`<a>Apture</a>'s` is "apture" and "s"; a footnote mark does not stick to the word before it). */
  function textOf(node) {
    let text = '';
    const breaks = new Set();
    const space = () => { if (text && !text.endsWith(' ')) text += ' '; };
    (function walk(parent) {
      for (let n = parent.firstChild; n; n = n.nextSibling) {
        if (n.nodeType === 3) {
          const chunk = n.data.replace(/\s+/g, ' ');
          text += text.endsWith(' ') || !text ? chunk.replace(/^ /, '') : chunk;
          continue;
        }
        if (n.nodeType !== 1 || SKIPPED.has(n.tagName) || n.getAttribute('aria-hidden') === 'true') continue;
        const block = BLOCKS.has(n.tagName);
        if (block) space(); else breaks.add(text.length);
        walk(n);
        if (block) space(); else breaks.add(text.length);
      }
    })(node);
    return { text: text.replace(/ $/, ''), breaks };
  }

  function pageText(url) {
    return load(url, r => r.text()).then(html => {
      const doc = new DOMParser().parseFromString(html, 'text/html');
      const body = doc.querySelector('[data-search-body]') || doc.querySelector('main');
      return body ? textOf(body) : { text: '', breaks: new Set() };
    });
  }

  /** Moves a cut off the second half of a surrogate pair. */
  function safeCut(text, i) {
    const c = text.charCodeAt(i);
    return c >= 0xdc00 && c <= 0xdfff ? i + 1 : i;
  }

  /** The part of `text` to show: about 200 characters around the first match, else its start. */
  function snippetRange(text, first) {
    if (text.length <= SNIPPET_TARGET + 20) return [0, text.length];
    let start = 0;
    if (first) {
      start = Math.max(0, first[0] - SNIPPET_BEFORE);
      if (first[1] > start + SNIPPET_TARGET) start = first[0]; // a very long word
      if (start > 0) {
        const space = text.indexOf(' ', start);
        if (space !== -1 && space < first[0]) start = space + 1;
      }
    }
    let end = Math.min(text.length, start + SNIPPET_TARGET);
    if (end === text.length && start > 0) { // near the end: show a full snippet's worth
      start = Math.max(0, end - SNIPPET_TARGET);
      const space = text.indexOf(' ', start);
      if (start > 0 && space !== -1 && (!first || space < first[0])) start = space + 1;
    }
    if (end < text.length) {
      const space = text.lastIndexOf(' ', end);
      if (space > start + SNIPPET_MIN && (!first || space >= first[1])) end = space;
    }
    return [safeCut(text, start), safeCut(text, end)];
  }

  /** Appends `text` to `parent`, with the ranges (sorted, within the text) in <mark>. */
  function appendMarked(parent, text, ranges, offset) {
    let at = 0;
    for (const [s, e] of ranges) {
      const a = s - offset;
      const b = e - offset;
      if (a < at || b > text.length) continue;
      if (a > at) parent.append(text.slice(at, a));
      const mark = document.createElement('mark');
      mark.textContent = text.slice(a, b);
      parent.append(mark);
      at = b;
    }
    if (at < text.length) parent.append(text.slice(at));
  }

  function fillSnippet(element, { text, breaks }, matches) {
    const ranges = matchRanges(text, matches, breaks);
    const [start, end] = snippetRange(text, ranges.length ? anchor(ranges) : null);
    element.textContent = '';
    if (start > 0) element.append('… ');
    appendMarked(element, text.slice(start, end), ranges.filter(([s, e]) => s >= start && e <= end), start);
    if (end < text.length) element.append(' …');
  }

  // ---- The page --------------------------------------------------------------------------------------------------

  const input = root.querySelector('input[name="q"]') || document.querySelector('input[name="q"]');
  if (!input) return;
  const form = input.form;
  const scope = root.closest('.search') || root.parentNode;
  const status = find('[role="status"]', () => {
    const p = document.createElement('p');
    p.className = 'search-status';
    p.setAttribute('role', 'status');
    p.setAttribute('aria-live', 'polite');
    return p;
  });
  const list = find('.search-results', () => {
    const ol = document.createElement('ol');
    ol.className = 'search-results';
    ol.hidden = true;
    return ol;
  });
  const more = find('.search-more', () => {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'search-more';
    b.textContent = 'More results';
    b.hidden = true;
    return b;
  });
  if (!list.id) list.id = 'search-results';
  input.setAttribute('aria-controls', list.id);

  function find(selector, make) {
    let element = scope.querySelector(selector);
    if (!element) {
      element = make();
      (form && form.parentNode === scope ? scope : root).append(element);
    }
    return element;
  }

  const dateFormat = (() => {
    try {
      return new Intl.DateTimeFormat(document.documentElement.lang || undefined,
        { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
    } catch (e) {
      return null;
    }
  })();

  function displayDate(iso) {
    const m = /^(\d{4})-(\d\d)-(\d\d)$/.exec(iso);
    if (!m || !dateFormat) return iso;
    return dateFormat.format(new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])));
  }

  /** A same-origin URL for a document's root-relative URL, or null. */
  function sameOrigin(url) {
    try {
      const u = new URL(url, location.href);
      return u.origin === location.origin ? u : null;
    } catch (e) {
      return null;
    }
  }

  let current = null; // {raw, terms, matches, hits, shown, manifest}
  let generation = 0;
  let selected = -1;
  let openWhenReady = false;

  function setStatus(text, error) {
    status.classList.toggle('is-error', !!error);
    if (status.textContent !== text) status.textContent = text;
  }

  function links() {
    return Array.from(list.querySelectorAll('.search-result-title a'));
  }

  function select(index) {
    selected = index;
    list.querySelectorAll('.search-result').forEach((li, n) => li.classList.toggle('is-selected', n === index));
  }

  function announceReady(raw, state) {
    root.setAttribute('data-search-state', state);
    root.setAttribute('data-search-query', raw);
    document.documentElement.setAttribute('data-search-ready', raw);
    try {
      performance.mark('quill-search-results', { detail: { query: raw, state } });
    } catch (e) {
      /* an old browser without mark details */
    }
  }

  function updateURL(raw) {
    const url = new URL(location.href);
    if (raw.trim()) url.searchParams.set('q', raw);
    else url.searchParams.delete('q');
    if (url.href !== location.href) history.replaceState(history.state, '', url);
  }

  /** The next page of results, described (url, title, date) from the docs files. */
  function nextPage(s) {
    return describe(s.manifest, s.hits.slice(s.shown, s.shown + PAGE_SIZE));
  }

  /** Shows described results below those shown, then fills their snippets as their pages arrive. */
  function render(s, described) {
    const gen = generation;
    const first = s.shown;
    s.shown += described.length;
    list.setAttribute('data-snippets', 'pending');
    const waits = described.map((doc, n) => {
      const { li, snippet } = renderResult(doc, first + n, s.matches);
      list.append(li);
      const url = sameOrigin(doc.url);
      if (!url) return Promise.resolve();
      return pageText(url).then(page => {
        if (gen === generation) fillSnippet(snippet, page, s.matches);
      }, () => {
        if (gen === generation) snippet.classList.add('is-unavailable');
      }).finally(() => snippet.removeAttribute('aria-busy'));
    });
    list.hidden = s.shown === 0;
    more.hidden = s.shown >= s.hits.length;
    Promise.all(waits).then(() => {
      if (gen !== generation) return;
      list.setAttribute('data-snippets', 'done');
      try {
        performance.mark('quill-search-snippets');
      } catch (e) {
        /* no User Timing */
      }
    });
    return first;
  }

  async function showMore() {
    const s = current;
    const gen = generation;
    if (!s || s.shown >= s.hits.length || more.getAttribute('aria-busy') === 'true') return;
    more.setAttribute('aria-busy', 'true');
    try {
      const described = await nextPage(s);
      if (gen !== generation) return;
      const first = render(s, described);
      const link = links()[first];
      if (link) link.focus();
    } catch (error) {
      if (gen === generation) setStatus(`More results could not be loaded: ${error.message}. Try again.`, true);
    } finally {
      more.removeAttribute('aria-busy');
    }
  }

  function renderResult(doc, index, matches) {
    const li = document.createElement('li');
    li.className = 'search-result';
    li.id = `search-result-${index + 1}`;
    const heading = document.createElement('h2');
    heading.className = 'search-result-title';
    const a = document.createElement('a');
    const url = sameOrigin(doc.url);
    if (url) a.href = url.href;
    const title = doc.title || doc.url || 'Untitled';
    appendMarked(a, title, matchRanges(title, matches), 0);
    heading.append(a);
    li.append(heading);
    if (doc.date) {
      const meta = document.createElement('p');
      meta.className = 'search-result-meta';
      const time = document.createElement('time');
      time.dateTime = doc.date;
      time.textContent = displayDate(doc.date);
      meta.append(time);
      li.append(meta);
    }
    const snippet = document.createElement('p');
    snippet.className = 'search-result-snippet';
    snippet.setAttribute('aria-busy', 'true');
    li.append(snippet);
    return { li, snippet };
  }

  function clear() {
    list.textContent = '';
    list.hidden = true;
    list.removeAttribute('data-snippets');
    more.hidden = true;
    select(-1);
  }

  async function search(raw) {
    const gen = ++generation;
    const terms = parseQuery(raw);
    const shownQuery = raw.trim();
    updateURL(raw);
    if (!terms.length) {
      current = null;
      clear();
      setStatus('');
      root.setAttribute('data-search-state', 'idle');
      openWhenReady = false;
      return;
    }
    root.setAttribute('data-search-state', 'searching');
    list.setAttribute('aria-busy', 'true');
    try {
      const { manifest: m, hits } = await rank(terms);
      if (gen !== generation) return;
      const s = { raw, terms, matches: matcher(terms), hits, shown: 0, manifest: m };
      const described = await nextPage(s);
      if (gen !== generation) return;
      current = s;
      clear();
      render(s, described);
      const limited = terms.find(t => t.limited);
      if (hits.length) {
        setStatus(`${hits.length} ${hits.length === 1 ? 'result' : 'results'} for “${shownQuery}”` + (limited
          ? ` (only some of the words that start with “${limited.word}”: type more letters for all)`
          : ''));
      } else {
        setStatus(limited ? `Too many words start with “${limited.word}”: type more letters.`
          : `No posts match “${shownQuery}”.`);
      }
      list.removeAttribute('aria-busy');
      announceReady(raw, 'ready');
      if (openWhenReady) {
        openWhenReady = false;
        const link = links()[0];
        if (link && link.href) location.assign(link.href);
      }
    } catch (error) {
      if (gen !== generation) return;
      current = null;
      clear();
      list.removeAttribute('aria-busy');
      openWhenReady = false;
      setStatus(`Search is not available right now: ${error && error.message ? error.message : error}. ` +
        'Check your connection and try again.', true);
      announceReady(raw, 'error');
    }
  }

  let timer = 0;
  let lastRun = null;

  function run(now) {
    clearTimeout(timer);
    const raw = input.value;
    const go = () => {
      if (raw === lastRun) return;
      lastRun = raw;
      search(raw);
    };
    if (now) go();
    else timer = setTimeout(go, DEBOUNCE_MS);
  }

  input.addEventListener('input', () => {
    select(-1);
    openWhenReady = false;
    run(false);
  });

  input.addEventListener('focus', () => { manifest().catch(() => {}); }, { once: true });

  input.addEventListener('keydown', event => {
    if (event.isComposing) return;
    const all = links();
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (!all.length) return;
      event.preventDefault();
      const index = event.key === 'ArrowDown' ? Math.min(selected + 1, all.length - 1) : all.length - 1;
      select(index);
      all[index].focus();
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const settled = current && lastRun === input.value && root.getAttribute('data-search-state') !== 'searching';
      if (settled) {
        const link = all[selected >= 0 ? selected : 0];
        if (!link || !link.href) return;
        if (event.ctrlKey || event.metaKey) window.open(link.href, '_blank', 'noopener');
        else location.assign(link.href);
      } else {
        openWhenReady = !(event.ctrlKey || event.metaKey);
        run(true);
      }
    }
  });

  list.addEventListener('keydown', event => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const all = links();
    const index = all.indexOf(document.activeElement);
    if (index < 0) return;
    event.preventDefault();
    if (event.key === 'ArrowUp' && index === 0) {
      select(-1);
      input.focus();
      return;
    }
    const next = event.key === 'ArrowDown' ? Math.min(index + 1, all.length - 1) : index - 1;
    select(next);
    all[next].focus();
  });

  list.addEventListener('focusin', event => {
    const index = links().indexOf(event.target);
    if (index >= 0) select(index);
  });

  more.addEventListener('click', () => { showMore(); });

  if (form) {
    form.addEventListener('submit', event => {
      event.preventDefault();
      run(true);
    });
  }

  const initial = new URLSearchParams(location.search).get('q');
  if (initial !== null) {
    input.value = initial;
    run(true);
  }
})();
