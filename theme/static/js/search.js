/* Press search: the search page's client. A classic script (works from file:// and over http): the
 * index is plain scripts beside the page (docs.js, shard-XXXX.js, written by plugins/press_search),
 * loaded by inserting <script> elements. Queries go through PressAnalyzer (analyzer.js) so they give
 * the index's terms; ranking is BM25 with title matches boosted; every word must match, and the last
 * one may be unfinished (prefix match). ?q= is read on load, so the plain GET form works too. */
(function (root) {
  'use strict';
  var K1 = 1.2, B = 0.75, TITLE = 2, PREFIX = 0.7;
  var shards = {}, waiting = {}, seq = 0, timer = null;
  var PressSearch = root.PressSearch = {
    addShard: function (id, terms) {
      shards[id] = terms;
      var callbacks = waiting[id] || [];
      delete waiting[id];
      callbacks.forEach(function (f) { f(); });
    },
    shardOf: shardOf,
    rank: rank
  };

  function shardOf(term) {
    var hex = term.codePointAt(0).toString(16);
    while (hex.length < 4) hex = '0' + hex;
    return hex;
  }

  function load(ids, done) {
    var left = ids.length;
    if (!left) return done();
    ids.forEach(function (id) {
      function one() { if (--left === 0) done(); }
      if (shards.hasOwnProperty(id)) return one();
      if (waiting[id]) return waiting[id].push(one);
      waiting[id] = [one];
      var script = document.createElement('script');
      script.src = 'shard-' + id + '.js';
      script.onerror = function () { PressSearch.addShard(id, {}); };  // no term starts with that letter
      document.head.appendChild(script);
    });
  }

  /* Document numbers matching every term, best first. The last term also matches the terms it begins
   * and, when ``typed`` (its unstemmed, folded word) is given, terms that begin that word: "electri"
   * stems to "electri", yet should find "electr" (electricity). */
  function rank(terms, typed) {
    var docs = root.PressSearchDocs || [], n = docs.length, total = 0, scores = {}, hits = {};
    docs.forEach(function (d) { total += d[4]; });
    var avg = total / (n || 1) || 1;
    terms.forEach(function (term, i) {
      var shard = shards[shardOf(term)] || {}, best = {}, words;
      if (i < terms.length - 1) words = shard.hasOwnProperty(term) ? [term] : [];
      else {
        words = Object.keys(shard).filter(function (w) { return w.indexOf(term) === 0; });
        if (typed) {
          shard = merge(shard, shards[shardOf(typed)]);
          Object.keys(shards[shardOf(typed)] || {}).forEach(function (w) {
            if (typed.indexOf(w) === 0 && w.length >= 3 && w.length >= typed.length - 3 && words.indexOf(w) < 0) {
              words.push(w);
            }
          });
        }
      }
      words.forEach(function (word) {
        var postings = shard[word], df = postings.length;
        var idf = Math.log(1 + (n - df + 0.5) / (df + 0.5)), weight = word === term ? 1 : PREFIX;
        postings.forEach(function (p) {
          var tf = p[1], len = docs[p[0]][4];
          var s = idf * weight * (p[2] ? TITLE : 1) * tf * (K1 + 1) / (tf + K1 * (1 - B + B * len / avg));
          if (!(best[p[0]] >= s)) best[p[0]] = s;
        });
      });
      Object.keys(best).forEach(function (d) {
        scores[d] = (scores[d] || 0) + best[d];
        hits[d] = (hits[d] || 0) + 1;
      });
    });
    return Object.keys(scores).filter(function (d) { return hits[d] === terms.length; }).map(Number)
      .sort(function (a, b) { return scores[b] - scores[a] || a - b; });
  }

  function merge(a, b) {
    var out = {}, k;
    for (k in a) out[k] = a[k];
    for (k in b || {}) out[k] = b[k];
    return out;
  }

  /* The folded, unstemmed form of the query's last word, when that word is its last term. */
  function lastWord(q, lang, terms) {
    var words = PressAnalyzer.normalize(q, lang).split(' '), w = words[words.length - 1];
    return w && PressAnalyzer.analyze(w, lang)[0] === terms[terms.length - 1] ? w : '';
  }

  function start() {
    var form = document.getElementById('search-form'), input = document.getElementById('search-q');
    var status = document.getElementById('search-status'), list = document.getElementById('search-results');
    if (!form || !input || !status || !list || !root.PressAnalyzer || !root.PressSearchDocs) return;
    var lang = status.getAttribute('data-lang'), digits = status.getAttribute('data-digits') || '0123456789';

    function count(n) {
      var category = 'other';
      try { category = new Intl.PluralRules(lang).select(n); } catch (e) { /* old browser: "other" */ }
      var text = status.getAttribute('data-' + category) || status.getAttribute('data-other');
      return text.replace('{n}', String(n).replace(/[0-9]/g, function (c) { return digits[+c]; }));
    }

    function render(found) {
      var docs = root.PressSearchDocs;
      list.textContent = '';
      found.forEach(function (i) {
        var d = docs[i], item = document.createElement('li'), heading = document.createElement('h2');
        var link = document.createElement('a'), byline = document.createElement('p');
        link.href = d[0];
        link.textContent = d[1];
        heading.appendChild(link);
        byline.className = 'byline';
        byline.textContent = [d[2], d[3]].filter(Boolean).join(' · ');
        item.appendChild(heading);
        item.appendChild(byline);
        list.appendChild(item);
      });
      status.textContent = count(found.length);
    }

    function run() {
      var q = input.value, mine = ++seq, terms = [];
      PressAnalyzer.analyze(q, lang).forEach(function (t) { if (terms.indexOf(t) < 0) terms.push(t); });
      if (!q.trim()) {
        list.textContent = '';
        status.textContent = '';
        return;
      }
      if (!terms.length) return render([]);
      status.textContent = status.getAttribute('data-searching');
      var ids = [], typed = lastWord(q, lang, terms);
      terms.concat(typed ? [typed] : []).forEach(function (t) {
        if (ids.indexOf(shardOf(t)) < 0) ids.push(shardOf(t));
      });
      load(ids, function () { if (mine === seq) render(rank(terms, typed)); });
    }

    function remember() {
      try { history.replaceState(null, '', '?q=' + encodeURIComponent(input.value)); } catch (e) { /* file:// */ }
    }

    form.hidden = false;
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      clearTimeout(timer);
      remember();
      run();
    });
    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(function () { remember(); run(); }, 150);
    });
    var q = new URLSearchParams(root.location.search).get('q');
    if (q) {
      input.value = q;
      run();
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})(window);
