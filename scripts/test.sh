#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs what it needs (NuGet restore, npm packages,
# Debian chromium), runs every suite (xunit, browser unit + end-to-end), and
# ends with one line "N passed, N failed, N skipped" summed over all suites.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
log_dir=${TEST_LOG_DIR:-$root/artifacts/test-logs}
mkdir -p "$log_dir"

passed=0; failed=0; skipped=0; status=0

add_counts() { # file with dotnet test output
  while read -r f p s; do
    failed=$((failed + f)); passed=$((passed + p)); skipped=$((skipped + s))
  done < <(grep -aoE 'Failed:[[:space:]]+[0-9]+, Passed:[[:space:]]+[0-9]+, Skipped:[[:space:]]+[0-9]+' "$1" \
           | sed -E 's/Failed:[[:space:]]+([0-9]+), Passed:[[:space:]]+([0-9]+), Skipped:[[:space:]]+([0-9]+)/\1 \2 \3/')
}

echo "== restore and build"
if ! dotnet build NegotiationHub.sln -c Release 2>&1 | tee "$log_dir/build.log" | tail -n 3; then status=1; fi
if grep -qE ' error |Build FAILED' "$log_dir/build.log"; then
  echo "build failed"; echo "0 passed, 1 failed"; exit 1
fi

echo "== xunit suites"
for project in tests/*.Tests/*.csproj; do
  name=$(basename "$project" .csproj)
  echo "-- $name"
  dotnet test "$project" -c Release --no-build > "$log_dir/$name.log" 2>&1
  rc=$?
  grep -aE 'Failed |Passed!|Failed!|error' "$log_dir/$name.log" | grep -v '^ *Passed ' | tail -n 40
  add_counts "$log_dir/$name.log"
  if [ $rc -ne 0 ]; then
    status=1
    if ! grep -qaE 'Failed:[[:space:]]+[0-9]+, Passed' "$log_dir/$name.log"; then
      echo "$name did not report results (crashed?):"; tail -n 30 "$log_dir/$name.log"; failed=$((failed + 1))
    fi
  fi
done

echo "== browser client (unit + end-to-end in headless Chromium)"
bash scripts/test-web.sh 2>&1 | tee "$log_dir/web.log" | tail -n 25
web_rc=${PIPESTATUS[0]}
web_line=$(grep -aE '^[0-9]+ passed, [0-9]+ failed' "$log_dir/web.log" | tail -n 1)
if [ -n "$web_line" ]; then
  passed=$((passed + $(echo "$web_line" | awk '{print $1}')))
  failed=$((failed + $(echo "$web_line" | awk '{print $3}' | tr -d ',')))
else
  failed=$((failed + 1))
fi
[ "$web_rc" -ne 0 ] && status=1

echo "${passed} passed, ${failed} failed, ${skipped} skipped"
[ $status -eq 0 ] && [ $failed -eq 0 ]
