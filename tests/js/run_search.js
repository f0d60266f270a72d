#!/usr/bin/env node
/* Runs theme/static/js/search.js's pure helpers the way the search page would, without a page.
 * stdin: {"shards": {prefix: chars}, "terms": [...], "encoded": [...], "pairs": [[a, b], ...]}.
 * stdout: {"shards": [shardOf(term)…], "decoded": [decode(text)…], "distances": [distance(a, b, 9)…]}. */
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');

const input = JSON.parse(fs.readFileSync(0, 'utf8'));
const source = fs.readFileSync(path.join(__dirname, '..', '..', 'theme', 'static', 'js', 'search.js'), 'utf8');
const window = { PressSearchMeta: { n: 0, shards: input.shards, sections: [], blocs: [], years: [], groups: [] } };
const document = { readyState: 'loading', addEventListener() {} };
vm.runInNewContext(source, { window, document });
const search = window.PressSearch;
process.stdout.write(JSON.stringify({
  shards: input.terms.map((t) => search.shardOf(t)),
  decoded: input.encoded.map((t) => search.decode(t)),
  distances: input.pairs.map(([a, b]) => search.distance(a, b, 9)),
}));
