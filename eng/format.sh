#!/usr/bin/env bash
# The house style of .editorconfig: `dotnet format --verify-no-changes` (whitespace, using order, file-scoped
# namespaces), and no C# line over 140 characters (the formatter does not wrap; a person does).
# `eng/format.sh --fix` formats the tree first and then lists whatever long lines are left.
set -uo pipefail
cd "$(dirname "$0")/.."
limit=140
status=0
if [[ ${1:-} == --fix ]]; then
  dotnet format FeatureStore.sln || status=1
else
  dotnet format FeatureStore.sln --verify-no-changes || status=1
fi
# awk counts bytes here (mawk), so a line with non-ASCII text is held to a little less than the limit: never more.
long=$(git ls-files --cached --others --exclude-standard '*.cs' | xargs awk -v limit="$limit" 'length > limit { print FILENAME ":" FNR ": " length }')
if [[ -n $long ]]; then
  echo "C# lines over $limit characters (file:line: length):"
  echo "$long"
  status=1
fi
((status == 0)) && echo "format: the tree follows .editorconfig, no line over $limit characters"
exit $status
