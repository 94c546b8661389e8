# All 9 locator pairs work in both directions.
bad=$(unexpected_paths "$(reach_map)")
if [ -n "$bad" ]; then fail "$(echo $bad)"; else pass "18 one-way paths up"; fi
