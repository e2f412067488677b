#!/usr/bin/env bash
# update-assets.sh re-vendors the explorer's third-party files into assets/
# from the npm registry. It needs node and npm; it is not run by the build
# or by CI: the files it writes are committed, so the server works with no
# network at all. Bump a version below, run it, check `git diff --stat`,
# then run `go test ./internal/server/explorer/` and look at the page.
#
# What it changes in the upstream files (nothing else):
#   - graphiql.min.js: the trailing sourceMappingURL comment is removed (the
#     .map is not vendored).
#   - graphiql.min.css: the fonts inlined as data: URLs are written out to
#     fonts/ and referenced relatively, because the server's CSP
#     (default-src 'self', no font-src) blocks data: fonts.
set -euo pipefail

GRAPHIQL_VERSION=3.9.0 # last GraphiQL that ships a UMD build (4+ is ESM only)
REACT_VERSION=18.3.1   # last React that ships UMD builds (19 has none)
FIRA_CODE_VERSION=5.3.0 # @fontsource/fira-code: only for its LICENSE (OFL-1.1)

here=$(cd "$(dirname "$0")" && pwd)
out=$here/assets
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cd "$tmp"
echo '{"name":"explorer-vendor","private":true}' >package.json
npm install --no-save --no-audit --no-fund --ignore-scripts --omit=dev --loglevel=error \
	"graphiql@$GRAPHIQL_VERSION" "react@$REACT_VERSION" "react-dom@$REACT_VERSION" \
	"@fontsource/fira-code@$FIRA_CODE_VERSION"
nm=$tmp/node_modules

rm -rf "$out/fonts"
mkdir -p "$out/fonts"

sed '/^\/\/# sourceMappingURL=/d' "$nm/graphiql/graphiql.min.js" >"$out/graphiql.min.js"
cp "$nm/react/umd/react.production.min.js" "$out/react.production.min.js"
cp "$nm/react-dom/umd/react-dom.production.min.js" "$out/react-dom.production.min.js"
cp "$nm/graphiql/LICENSE" "$out/LICENSE-graphiql.txt"
cp "$nm/react/LICENSE" "$out/LICENSE-react.txt"
cp "$nm/react-dom/LICENSE" "$out/LICENSE-react-dom.txt"
cp "$nm/@fontsource/fira-code/LICENSE" "$out/LICENSE-font-fira-code.txt"
apache=/usr/share/common-licenses/Apache-2.0 # Debian ships the text
{
	echo 'Roboto font (embedded in GraphiQL'"'"'s stylesheet, written out to fonts/roboto-*.woff2)'
	echo 'Copyright 2011 Google Inc. All Rights Reserved.'
	echo 'Licensed under the Apache License, Version 2.0, reproduced below.'
	echo
	cat "$apache"
} >"$out/LICENSE-font-roboto.txt"

# Fonts out of the CSS, and a notice for everything bundled in graphiql.min.js.
OUT="$out" NM="$nm" GRAPHIQL_VERSION="$GRAPHIQL_VERSION" node - <<'JS'
const fs = require('fs'), path = require('path'), crypto = require('crypto');
const out = process.env.OUT, nm = process.env.NM;

let css = fs.readFileSync(path.join(nm, 'graphiql/graphiql.min.css'), 'utf8');
let n = 0;
css = css.replace(/@font-face\{[^}]*\}/g, face => {
  const fam = /font-family:\s*["']?([^;"'}]+)/.exec(face)[1].trim().toLowerCase().replace(/\s+/g, '-');
  const style = (/font-style:\s*(\w+)/.exec(face) || [, 'normal'])[1];
  const weight = (/font-weight:\s*(\d+)/.exec(face) || [, '400'])[1];
  return face.replace(/url\(\s*["']?data:font\/(woff2?);base64,([A-Za-z0-9+/=]+)["']?\s*\)/g, (_, ext, b64) => {
    const buf = Buffer.from(b64, 'base64');
    const hash = crypto.createHash('sha256').update(buf).digest('hex').slice(0, 8);
    const name = `${fam}-${style}-${weight}-${hash}.${ext}`;
    fs.writeFileSync(path.join(out, 'fonts', name), buf);
    n++;
    return `url(fonts/${name})`;
  });
});
if (/data:font|url\(\s*["']?(https?:)?\/\//.test(css)) throw new Error('graphiql.min.css still has an inline or remote font/url');
fs.writeFileSync(path.join(out, 'graphiql.min.css'), css);
console.log(`fonts written: ${n}`);

// Every production dependency of graphiql (react and react-dom are external
// to its UMD build and have their own LICENSE files; @types are not code).
const seen = new Map();
function resolve(name, from) {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const p = path.join(dir, 'node_modules', name, 'package.json');
    if (fs.existsSync(p)) return p;
    if (dir === path.dirname(dir)) return null;
  }
}
function walk(pj) {
  const pkg = JSON.parse(fs.readFileSync(pj, 'utf8'));
  const key = `${pkg.name}@${pkg.version}`;
  if (seen.has(key)) return;
  seen.set(key, { pkg, dir: path.dirname(pj) });
  const deps = Object.keys(Object.assign({}, pkg.dependencies,
    pkg.name === 'graphiql' ? pkg.peerDependencies : {}));
  for (const d of deps) {
    if (d === 'react' || d === 'react-dom' || d.startsWith('@types/')) continue;
    const p = resolve(d, path.dirname(pj));
    if (p) walk(p);
  }
}
walk(path.join(nm, 'graphiql/package.json'));
seen.delete([...seen.keys()].find(k => k.startsWith('graphiql@')));
let notice = `Third-party software bundled in graphiql.min.js (graphiql@${process.env.GRAPHIQL_VERSION || ''}).\n` +
  'Versions are those npm resolved when the file was vendored; the upstream\n' +
  'build may have used other patch versions of the same packages.\n';
for (const key of [...seen.keys()].sort()) {
  const { pkg, dir } = seen.get(key);
  const lic = typeof pkg.license === 'string' ? pkg.license : JSON.stringify(pkg.license || pkg.licenses);
  const f = fs.readdirSync(dir).find(f => /^(licen[cs]e|copying)(\.|$)/i.test(f));
  notice += `\n${'='.repeat(72)}\n${key} (${lic})\n${'='.repeat(72)}\n`;
  notice += f ? fs.readFileSync(path.join(dir, f), 'utf8').trim() + '\n' : '(no license file in the package; see its license field above)\n';
}
fs.writeFileSync(path.join(out, 'THIRD-PARTY-NOTICES-graphiql.txt'), notice);
console.log(`notices: ${seen.size} packages`);
JS

cd "$here"
du -ch assets/*.js assets/*.css assets/*.txt assets/fonts/* | tail -1
