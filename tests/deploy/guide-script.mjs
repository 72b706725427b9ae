// Turns docs/admin-guide.md into the bash script admin_guide_test.sh runs: every ```sh block,
// in order, each run by `bash -euo pipefail` from the packages' directory. A comment line
// `<!-- guide-test: retry=N expect="TEXT" dir=SUBDIR -->` just before a block makes the test
// run it again (every second, N seconds at most) until it succeeds with TEXT in its output,
// and/or from SUBDIR of the packages' directory. Other fences (```text, ```ini) are not run.
//   node guide-script.mjs docs/admin-guide.md > admin-guide.sh
//   bash admin-guide.sh PACKAGES_DIR
// With GUIDE_HOOK_EXPECT and GUIDE_HOOK set, the script runs `bash -c "$GUIDE_HOOK"` right
// after the block whose expected text is GUIDE_HOOK_EXPECT succeeds: the test's own check of
// that moment (it fails the script if it fails).
import { readFileSync } from 'node:fs';

const [, , guidePath] = process.argv;
if (!guidePath) {
  console.error('usage: node guide-script.mjs GUIDE.md');
  process.exit(2);
}
const lines = readFileSync(guidePath, 'utf8').split('\n');

// `retry=60 expect="a \"b\"" dir=upgrade` -> { retry: 60, expect: 'a "b"', dir: 'upgrade' }
function ParsePragma(text, line) {
  const out = { retry: 0, expect: '', dir: '' };
  const pattern = /\s*([a-z]+)=("(?:[^"\\]|\\.)*"|\S+)/gy;
  let rest = text.trim();
  let m;
  let consumed = 0;
  while ((m = pattern.exec(rest)) !== null) {
    const [, key, raw] = m;
    const value = raw.startsWith('"') ? JSON.parse(raw) : raw;
    if (key === 'retry') out.retry = Number(value);
    else if (key === 'expect') out.expect = value;
    else if (key === 'dir') out.dir = value;
    else throw new Error(`${guidePath}:${line}: unknown guide-test setting « ${key} »`);
    consumed = pattern.lastIndex;
  }
  if (consumed !== rest.length || !Number.isInteger(out.retry) || out.retry < 0 ||
      /(^|\/)\.\.(\/|$)/.test(out.dir)) {
    throw new Error(`${guidePath}:${line}: unreadable guide-test line: ${text}`);
  }
  return out;
}

const Quote = (s) => `'${s.replaceAll("'", "'\\''")}'`;
const blocks = [];
let pragma = null;
for (let i = 0; i < lines.length; i++) {
  const comment = /^<!-- guide-test:(.*)-->\s*$/.exec(lines[i]);
  if (comment) {
    pragma = ParsePragma(comment[1], i + 1);
    continue;
  }
  const fence = /^```(\S*)\s*$/.exec(lines[i]);
  if (!fence) {
    if (lines[i].trim() !== '') pragma = null;  // a setting applies to the very next block
    continue;
  }
  const start = i + 1;
  let end = start;
  while (end < lines.length && !/^```\s*$/.test(lines[end])) end++;
  if (end === lines.length) throw new Error(`${guidePath}:${i + 1}: unclosed code block`);
  if (fence[1] === 'sh') {
    blocks.push({ line: start, code: lines.slice(start, end).join('\n'), ...(pragma ?? ParsePragma('', start)) });
  } else if (pragma) {
    throw new Error(`${guidePath}:${i + 1}: a guide-test line before a block that is not sh`);
  }
  pragma = null;
  i = end;
}
if (blocks.length === 0) throw new Error(`${guidePath}: no sh block`);

const out = [];
out.push(`#!/usr/bin/env bash
# Made by tests/deploy/guide-script.mjs from ${guidePath.split('/').slice(-2).join('/')}: do not edit.
set -uo pipefail
packages=\${1:?usage: admin-guide.sh PACKAGES_DIR}
# guide_block LINE RETRY EXPECT DIR, the block on stdin.
guide_block() {
  local line=$1 retry=$2 expect=$3 dir=$4 code out status deadline=$((SECONDS + $2))
  code=$(cat)
  echo "== docs/admin-guide.md:$line"
  cd "$packages/$dir" || exit 1
  while true; do
    out=$(bash -euo pipefail -c "$code" 2>&1)
    status=$?
    if ((status == 0)) && [[ -z $expect || $out == *"$expect"* ]]; then
      printf '%s\\n' "$out"
      if [[ -n $expect && $expect == "\${GUIDE_HOOK_EXPECT:-}" ]]; then
        echo "== the test's check after docs/admin-guide.md:$line"
        bash -c "$GUIDE_HOOK" || exit 1
      fi
      return 0
    fi
    if ((SECONDS >= deadline)); then
      printf '%s\\n' "$out"
      if ((status != 0)); then
        echo "admin guide: the block at docs/admin-guide.md:$line failed (exit $status)" >&2
      else
        echo "admin guide: the block at docs/admin-guide.md:$line did not print « $expect »" >&2
      fi
      exit 1
    fi
    sleep 1
  done
}`);
blocks.forEach((b, n) => {
  const marker = `ESS_GUIDE_BLOCK_${n}`;
  if (b.code.split('\n').includes(marker)) throw new Error(`${guidePath}:${b.line}: block holds ${marker}`);
  out.push(`guide_block ${b.line} ${b.retry} ${Quote(b.expect)} ${Quote(b.dir)} <<'${marker}'\n${b.code}\n${marker}`);
});
out.push(`echo "admin guide: ${blocks.length} blocks run"`);
process.stdout.write(`${out.join('\n')}\n`);
