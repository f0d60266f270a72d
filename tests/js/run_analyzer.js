#!/usr/bin/env node
/* Feeds {text, lang} items to theme/static/js/analyzer.js the way the browser would use it.
 * stdin: a JSON array of {"text": ..., "lang": ...} or one such object per line.
 * stdout: a JSON array, one {"terms": [...], "normalized": "..."} per item, in order.
 * Rules: plugins/press_search/rules.json (or the path in argv[2]). */
'use strict';
const fs = require('fs');
const path = require('path');

const repo = path.resolve(__dirname, '..', '..');
const rulesPath = process.argv[2] || path.join(repo, 'plugins', 'press_search', 'rules.json');
const analyzer = require(path.join(repo, 'theme', 'static', 'js', 'analyzer.js'));
analyzer.init(JSON.parse(fs.readFileSync(rulesPath, 'utf8')));

const input = fs.readFileSync(0, 'utf8').trim();
let items;
if (input.startsWith('[')) items = JSON.parse(input);
else items = input ? input.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l)) : [];

const out = items.map((it) => ({
  terms: analyzer.analyze(it.text, it.lang),
  normalized: analyzer.normalize(it.text, it.lang),
}));
process.stdout.write(JSON.stringify(out));
