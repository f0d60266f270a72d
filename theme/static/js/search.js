/* Press search: the search page's client. A classic script (works from file:// and over http): the
 * index is plain scripts beside the page (meta.js, shard-*.js, doc/N.js, terms.js; format in
 * plugins/press_search/index.py), loaded by inserting <script> elements. Queries go through
 * PressAnalyzer (analyzer.js), so they give the index's terms. Ranking is BM25F: the build stores each
 * posting's term-frequency part (title occurrences weighted), this file multiplies it by the term's idf.
 * Every word must match; the last one may be unfinished (prefix match). Filters by section, bloc and
 * year; snippets with the matched words in <mark> (DOM text nodes only, never innerHTML); "did you
 * mean" from the most frequent terms when nothing matches. ?q=&section=&bloc=&year= run a search. */
(function (root) {
  'use strict';
  var PREFIX = 0.7, PAGE = 10, COMPLETIONS = 50, SETTLED = 1000, MORE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZwxyz-_', FINAL = '0123456789abcdefghijklmnopqrstuv';
  var loaded = {}, waiting = {}, shards = {}, decoded = {}, records = {}, suggestions = null;
  var meta = root.PressSearchMeta || { n: 0, per_file: 1, shards: {}, sections: [], blocs: [], years: [], groups: [] };
  var tree = meta.shards;  // prefix -> the characters that follow it in shard names; keys but "" are split

  function arrived(name) {
    loaded[name] = 1;
    var callbacks = waiting[name] || [];
    delete waiting[name];
    callbacks.forEach(function (f) { f(); });
  }

  var PressSearch = root.PressSearch = {
    addShard: function (name, terms) { shards[name] = terms; arrived('shard-' + name); },
    addDocs: function (first, list) {
      list.forEach(function (record, i) { records[first + i] = record; });
      arrived(docFile(first));
    },
    addTerms: function (list) { suggestions = list; arrived('terms'); },
    shardOf: shardOf,
    decode: decode,
    rank: rank,
    distance: distance
  };

  function docFile(n) { return 'doc/' + Math.floor(n / (meta.per_file || 1)); }

  function hex(c) {
    var h = c.codePointAt(0).toString(16);
    while (h.length < 4) h = '0' + h;
    return h;
  }

  /* The shard that would hold a term: its first character, or a longer prefix where the build split;
   * null when no such shard exists (no indexed term starts that way). */
  function shardOf(term) {
    var chars = Array.from(term).concat(['\u0000']), k = 1;
    while (k < chars.length && tree.hasOwnProperty(chars.slice(0, k).join(''))) k++;
    if ((tree[chars.slice(0, k - 1).join('')] || '').indexOf(chars[k - 1]) < 0) return null;
    return chars.slice(0, k).map(hex).join('-');
  }

  /* Load index scripts by name ("shard-0627", "doc/3", "terms"), then call done. */
  function load(names, done) {
    var left = names.length;
    if (!left) return done();
    names.forEach(function (name) {
      function one() { if (--left === 0) done(); }
      if (loaded[name]) return one();
      if (waiting[name]) return waiting[name].push(one);
      waiting[name] = [one];
      var script = document.createElement('script');
      script.src = name + '.js';
      script.onerror = function () {  // a broken copy of the site: search with what there is
        if (name.indexOf('shard-') === 0) shards[name.slice(6)] = {};
        arrived(name);
      };
      document.head.appendChild(script);
    });
  }

  /* Base-32 numbers (index.py's encode): MORE digits, then one FINAL digit each.  CODE maps a
   * character code to its FINAL value (0-31) or to 32 + its MORE value. */
  var CODE = new Int8Array(128).fill(-1);
  for (var c = 0; c < 32; c++) {
    CODE[FINAL.charCodeAt(c)] = c;
    CODE[MORE.charCodeAt(c)] = 32 + c;
  }

  function decode(text) {
    var nums = [], n = 0;
    for (var i = 0; i < text.length; i++) {
      var v = CODE[text.charCodeAt(i)];
      if (v >= 32) { n = n * 32 + v - 32; continue; }
      nums.push(n * 32 + v);
      n = 0;
    }
    return nums;
  }

  /* [doc, impact, doc, impact, …] of one indexed word (document numbers are delta-coded). */
  function postings(name, word) {
    var key = name + ' ' + word;
    if (decoded[key]) return decoded[key];
    var nums = decode(shards[name][word]), doc = -1;
    for (var i = 0; i < nums.length; i += 2) nums[i] = doc += nums[i];
    return (decoded[key] = nums);
  }

  /* The indexed words one query term stands for: itself, or (last term) the words it begins, and the
   * words that begin ``typed`` (the unstemmed last word: "electri" should find "electr"). */
  function wordsFor(term, last, typed) {
    var out = [], name = shardOf(term), shard = shards[name] || {};
    if (!last) return shard.hasOwnProperty(term) ? [[name, term, 1]] : [];
    Object.keys(shard).filter(function (w) { return w.indexOf(term) === 0; })
      .sort(function (a, b) { return a.length - b.length || (a < b ? -1 : 1); })
      .slice(0, COMPLETIONS)  // the closest completions: an unfinished word must stay fast
      .forEach(function (w) { out.push([name, w, w === term ? 1 : PREFIX]); });
    if (typed) {
      var tname = shardOf(typed);
      Object.keys(shards[tname] || {}).forEach(function (w) {
        if (typed.indexOf(w) === 0 && w.length >= 3 && w.length >= typed.length - 3 &&
            !out.some(function (o) { return o[1] === w; })) out.push([tname, w, PREFIX]);
      });
    }
    return out;
  }

  /* Document numbers matching every term, best first (BM25F: idf x stored impact).  Typed arrays
   * over all documents: a frequent word's postings run through thousands of them.  A document
   * that missed a term is not scored again (every term must match). */
  function rank(terms, typed) {
    var n = meta.n, scores = new Float64Array(n), hits = new Uint8Array(n), best = new Float64Array(n);
    var docs = [];
    terms.forEach(function (term, i) {
      docs = [];  // the documents this term reaches
      wordsFor(term, i === terms.length - 1, typed).forEach(function (w) {
        var list = postings(w[0], w[1]), df = list.length / 2;
        var idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
        for (var j = 0; j < list.length; j += 2) {
          var d = list[j], s = idf * w[2] * list[j + 1];
          if (hits[d] !== i) continue;
          if (best[d] === 0) docs.push(d);
          if (s > best[d]) best[d] = s;
        }
      });
      docs.forEach(function (d) {
        scores[d] += best[d];
        hits[d] = i + 1;
        best[d] = 0;
      });
    });
    return docs.sort(function (a, b) { return scores[b] - scores[a] || a - b; });
  }

  /* The filter group of a document: [first doc, section, [blocs], year] (groups are sorted). */
  function groupOf(doc) {
    var g = meta.groups, lo = 0, hi = g.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (g[mid][0] <= doc) lo = mid; else hi = mid - 1;
    }
    return g[lo];
  }

  /* Optimal string alignment distance (edits and swaps of neighbours), giving up above ``max``. */
  function distance(a, b, max) {
    a = Array.from(a); b = Array.from(b);
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var prev2 = [], prev = [], cur, i, j;
    for (j = 0; j <= b.length; j++) prev[j] = j;
    for (i = 1; i <= a.length; i++) {
      cur = [i];
      var low = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) cur[j] = Math.min(cur[j], prev2[j - 2] + 1);
        if (cur[j] < low) low = cur[j];
      }
      if (low > max) return max + 1;
      prev2 = prev; prev = cur;
    }
    return prev[b.length];
  }

  function start() {
    var form = document.getElementById('search-form'), input = document.getElementById('search-q');
    var status = document.getElementById('search-status'), list = document.getElementById('search-results');
    var more = document.getElementById('search-more'), hint = document.getElementById('search-suggestion');
    if (!form || !input || !status || !list || !root.PressAnalyzer || !root.PressSearchMeta) return;
    var lang = status.getAttribute('data-lang'), digits = status.getAttribute('data-digits') || '0123456789';
    var filters = ['section', 'bloc', 'year'].map(function (name) {
      return [name, document.getElementById('search-' + name)];
    }).filter(function (f) { return f[1]; });
    var seq = 0, timer = null, addressTimer = null, found = [], shown = 0, matcher = null, matched = null;
    var rtl = document.documentElement.dir === 'rtl', L = 'A-Za-z0-9\u00C0-\u024F';
    var LTR = '[' + L + '](?:[' + L + '.,:/@_\\-+%&\'#?=~]|\\s(?=[' + L + ']))*';

    function localDigits(text) {
      return String(text).replace(/[0-9]/g, function (c) { return digits[+c]; });
    }

    function count(n) {
      var category = 'other';
      try { category = new Intl.PluralRules(lang).select(n); } catch (e) { /* old browser: "other" */ }
      var text = status.getAttribute('data-' + category) || status.getAttribute('data-other');
      return text.replace('{n}', localDigits(n));
    }

    function accepted(doc) {
      var g = groupOf(doc);
      return filters.every(function (f) {
        var v = f[1].value;
        if (!v) return true;
        if (f[0] === 'section') return meta.sections[g[1]] === v;
        if (f[0] === 'bloc') return g[2].indexOf(meta.blocs.indexOf(v)) >= 0;
        return meta.years[g[3]] === v;
      });
    }

    /* Append ``text`` to ``parent``: in right-to-left pages Latin runs inside <bdi> (as
     * press_core.markup isolates them), and each word whose term the query matched inside <mark>. */
    function marked(parent, text) {
      if (!rtl) return words(parent, text);
      var re = new RegExp(LTR, 'g'), at = 0, m, run, bdi;
      while ((m = re.exec(text))) {
        run = m[0].replace(/[.,:-]+$/, '');
        if (m.index > at) words(parent, text.slice(at, m.index));
        bdi = document.createElement('bdi');
        words(bdi, run);
        parent.appendChild(bdi);
        at = m.index + run.length;
        re.lastIndex = at;
      }
      if (at < text.length) words(parent, text.slice(at));
    }

    function words(parent, text) {
      var re = /[\p{L}\p{M}\p{N}\u200c]+/gu, at = 0, m;
      while ((m = re.exec(text))) {
        if (m.index > at) parent.appendChild(document.createTextNode(text.slice(at, m.index)));
        var word = m[0], hit = false;
        if (matcher) {  // each distinct word analyzed once a query
          if (!(word in matched)) matched[word] = PressAnalyzer.analyze(word, lang).some(matcher);
          hit = matched[word];
        }
        var node = document.createTextNode(word);
        if (hit) {
          var mark = document.createElement('mark');
          mark.appendChild(node);
          node = mark;
        }
        parent.appendChild(node);
        at = re.lastIndex;
      }
      if (at < text.length) parent.appendChild(document.createTextNode(text.slice(at)));
    }

    function item(n) {
      var d = records[n], li = document.createElement('li'), h = document.createElement('h2');
      var a = document.createElement('a'), by = document.createElement('p'), snip = document.createElement('p');
      a.href = '../../' + d[0] + (/\/$/.test(d[0]) ? 'index.html' : '');  // from the output root
      marked(a, d[1]);
      h.appendChild(a);
      by.className = 'byline';
      by.textContent = [d[2], status.getAttribute('data-section-' + meta.sections[d[3]]) || meta.sections[d[3]]]
        .filter(Boolean).join(' · ');
      snip.className = 'snippet';
      marked(snip, d[4]);
      li.appendChild(h);
      li.appendChild(by);
      if (d[4]) li.appendChild(snip);
      return li;
    }

    function showMore(mine, focusFirst) {
      var next = found.slice(shown, shown + PAGE);
      var files = [];
      next.forEach(function (n) { if (files.indexOf(docFile(n)) < 0) files.push(docFile(n)); });
      load(files, function () {
        if (mine !== seq) return;
        var first = null;
        next.forEach(function (n) {
          var li = item(n);
          first = first || li;
          list.appendChild(li);
        });
        shown += next.length;
        if (more) more.hidden = shown >= found.length;
        list.setAttribute('aria-busy', 'false');
        if (focusFirst && first) first.querySelector('a').focus();
      });
    }

    function render(mine, results) {
      found = results;
      shown = 0;
      list.textContent = '';
      if (hint) hint.hidden = true;
      if (more) more.hidden = true;
      status.textContent = count(found.length);
      showMore(mine, false);
    }

    function suggest(mine, q, terms, typed) {
      if (!hint) return;
      load(['terms'], function () {
        if (mine !== seq || !suggestions) return;
        var words = PressAnalyzer.normalize(q, lang).split(' ').filter(Boolean), changed = false;
        var out = words.map(function (w, i) {
          var t = PressAnalyzer.analyze(w, lang)[0], last = i === words.length - 1;
          if (!t || wordsFor(t, last, last ? typed : '').length) return w;
          var best = null, bestD = t.length > 4 ? 3 : 2;
          suggestions.forEach(function (s) {
            var d = distance(t, s[0], bestD - 1);
            if (d < bestD || (d === bestD && best && s[0] < best[0])) { bestD = d; best = s; }
          });
          if (!best) return w;
          changed = true;
          return best[1];
        });
        if (!changed) return;
        var link = hint.querySelector('a'), text = out.join(' ');
        link.textContent = text;
        link.href = '?q=' + encodeURIComponent(text);
        hint.hidden = false;
      });
    }

    function run() {
      var q = input.value, mine = ++seq, terms = [];
      list.setAttribute('aria-busy', 'true');
      PressAnalyzer.analyze(q, lang).forEach(function (t) { if (terms.indexOf(t) < 0) terms.push(t); });
      if (hint) hint.hidden = true;
      if (!q.trim()) {
        list.textContent = '';
        status.textContent = '';
        if (more) more.hidden = true;
        list.setAttribute('aria-busy', 'false');
        return;
      }
      if (!terms.length) return render(mine, []);
      status.textContent = status.getAttribute('data-searching');
      var names = [], words = PressAnalyzer.normalize(q, lang).split(' ');
      var typed = words[words.length - 1];
      if (!typed || PressAnalyzer.analyze(typed, lang)[0] !== terms[terms.length - 1]) typed = '';
      terms.concat(typed ? [typed] : []).forEach(function (t) {
        var name = shardOf(t) && 'shard-' + shardOf(t);
        if (name && names.indexOf(name) < 0) names.push(name);
      });
      load(names, function () {
        if (mine !== seq) return;
        var lastTerm = terms[terms.length - 1];
        matched = Object.create(null);
        matcher = function (t) {
          return terms.indexOf(t) >= 0 || t.indexOf(lastTerm) === 0 ||
            (typed && typed.indexOf(t) === 0 && t.length >= 3 && t.length >= typed.length - 3);
        };
        var results = rank(terms, typed);
        render(mine, results.filter(accepted));
        if (!results.length) suggest(mine, q, terms, typed);
      });
    }

    /* The address follows the search (?q=…, to share or bookmark it) once the reader pauses or opens a
     * result, never while results are being drawn: Chromium without a favicon database (headless, as
     * in the benchmark) fetches and decodes the page's icon again at every change of the address,
     * 8-9 ms of this page's main thread. */
    function remember() {
      clearTimeout(addressTimer);
      var parts = ['q=' + encodeURIComponent(input.value)];
      filters.forEach(function (f) { if (f[1].value) parts.push(f[0] + '=' + encodeURIComponent(f[1].value)); });
      var search = '?' + parts.join('&');
      if (root.location.search === search) return;
      try { history.replaceState(null, '', search); } catch (e) { /* file:// */ }
    }

    function now() {
      clearTimeout(timer);
      clearTimeout(addressTimer);
      addressTimer = setTimeout(remember, SETTLED);
      run();
    }

    form.addEventListener('submit', function (event) {
      event.preventDefault();
      now();
    });
    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(now, 150);
    });
    filters.forEach(function (f) { f[1].addEventListener('change', now); });
    list.addEventListener('click', function (event) {  // a result opened before the address caught up
      if (event.target.closest('a')) remember();
    });
    if (more) more.addEventListener('click', function () {
      list.setAttribute('aria-busy', 'true');
      showMore(seq, true);
    });
    if (hint) {
      hint.querySelector('a').addEventListener('click', function (event) {
        event.preventDefault();
        input.value = this.textContent;
        input.focus();
        now();
      });
    }
    var params = new URLSearchParams(root.location.search);
    filters.forEach(function (f) {
      var v = params.get(f[0]);
      if (v && Array.from(f[1].options).some(function (o) { return o.value === v; })) f[1].value = v;
    });
    var q = params.get('q');
    if (q) {
      input.value = q;
      run();
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})(window);
