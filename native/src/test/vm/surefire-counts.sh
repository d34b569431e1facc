#!/usr/bin/env bash
# surefire-counts.sh: what a VM run's tests did, from the Surefire reports it wrote, per test class, and whether
# that is acceptable for a run with -Drdmabus.verbs.required=true. Sourced by run-verbs-tests.sh and
# run-eventbus-tests.sh:
#
#   surefire_counts NAME MARKER FILTER DIR...
#
# NAME prefixes the lines; MARKER is a file made before the run (only newer reports count); FILTER is the -Dtest
# value of the run (classes, comma-separated, each optionally with #methods); DIR... are the report folders.
# Prints one line per report (ran, not applicable, skipped otherwise, failed) and a total. Returns non-zero when
# a class of FILTER wrote no report or ran no test (a class-level skip shows as no test at all), or when a test
# was skipped for any reason but "not applicable" (a required run turns a missing device into a failure, so any
# other skip means a check was left out).
surefire_counts() {
  local name=$1 marker=$2 filter=$3
  shift 3
  local files=() verdict=0 total_ran=0 total_na=0 total_other=0 total_failed=0
  mapfile -t files < <(find "$@" -name 'TEST-*.xml' -newer "$marker" 2>/dev/null | sort)
  if [ "${#files[@]}" -eq 0 ]; then
    echo "$name: no test reports were written" >&2
    return 1
  fi
  local f cases skipped na failed ran
  for f in "${files[@]}"; do
    cases=$(grep -c '<testcase ' "$f" || true)
    skipped=$(grep -c '<skipped' "$f" || true)
    na=$(grep -c 'TestAbortedException: not applicable' "$f" || true)
    failed=$(( $(grep -c '<failure' "$f" || true) + $(grep -c '<error' "$f" || true) ))
    ran=$(( cases - skipped ))
    printf '  %s: %d ran (%d failed), %d not applicable, %d skipped otherwise\n' \
      "$(basename "$f" .xml | sed 's/^TEST-org[.]rdmabus[.]//')" "$ran" "$failed" "$na" "$(( skipped - na ))"
    total_ran=$(( total_ran + ran )) total_na=$(( total_na + na ))
    total_other=$(( total_other + skipped - na )) total_failed=$(( total_failed + failed ))
  done
  echo "$name: $total_ran ran ($total_failed of them failed), $total_na not applicable, $total_other skipped otherwise"
  if [ "$total_other" -ne 0 ]; then
    echo "$name: a required run skipped tests that are not 'not applicable'" >&2
    verdict=1
  fi
  local class matched class_ran
  IFS=',' read -ra classes <<< "$filter"
  for class in "${classes[@]}"; do
    class=${class%%#*}
    [ -n "$class" ] || continue
    matched=0 class_ran=0
    for f in "${files[@]}"; do
      # TEST-<package>.<Class>.xml, or TEST-<package>.<Class>-<execution>.xml for a module's second execution.
      if [[ $(basename "$f") =~ [.]${class}(-[A-Za-z0-9]+)?[.]xml$ ]]; then
        matched=1
        class_ran=$(( class_ran + $(grep -c '<testcase ' "$f" || true) - $(grep -c '<skipped' "$f" || true) ))
      fi
    done
    if [ "$matched" -eq 0 ]; then
      echo "$name: $class wrote no report: it did not run" >&2
      verdict=1
    elif [ "$class_ran" -eq 0 ]; then
      echo "$name: $class ran no test (skipped as a whole, or every test skipped)" >&2
      verdict=1
    fi
  done
  return "$verdict"
}

# The -Dtest filter of a run: the last -Dtest=... among the arguments, else the default given first.
surefire_filter() {
  local filter=$1 arg
  shift
  for arg in "$@"; do
    case "$arg" in -Dtest=*) filter=${arg#-Dtest=} ;; esac
  done
  echo "$filter"
}
