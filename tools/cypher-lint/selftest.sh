#!/usr/bin/env bash
# Checks the Cypher linter against its fixtures: the good file passes, each bad file fails with an error
# that names the expected problem. Run after `npm ci --prefix tools/cypher-lint`.
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
lint=(node "$here/lint.mjs")
failures=0

expect() { # expect EXIT_CODE PATTERN FILE
  local want_rc=$1 pattern=$2 file=$3 out rc
  out="$("${lint[@]}" "$file" 2>&1)"; rc=$?
  if [[ $rc -ne $want_rc ]] || ! grep -qE -- "$pattern" <<<"$out"; then
    echo "FAIL $file: wanted exit $want_rc and output matching /$pattern/, got exit $rc:"
    sed 's/^/    /' <<<"$out"
    failures=$((failures + 1))
  else
    echo "ok   $file"
  fi
}

expect 0 '1 file checked, 0 errors' "$here/fixtures/good/get_services.cypher"
expect 1 'syntax_error\.cypher:4:10: error: Invalid input' "$here/fixtures/bad/syntax_error.cypher"
expect 1 "falkordb_fulltext_index\.cypher:4:[0-9]+: error: .*EACH" "$here/fixtures/bad/falkordb_fulltext_index.cypher"
expect 1 'undeclared_param\.cypher:5:[0-9]+: error: Parameter \$id is not defined' "$here/fixtures/bad/undeclared_param.cypher"
expect 1 'two_statements\.cypher:5:1: error: 2 statements' "$here/fixtures/bad/two_statements.cypher"
expect 1 '5 files checked, 4 errors in 4 files' "$here/fixtures"
expect 2 'no such file or folder' "$here/fixtures/does-not-exist"

if [[ $failures -ne 0 ]]; then
  echo "selftest: $failures failed"
  exit 1
fi
echo "selftest: all passed"
