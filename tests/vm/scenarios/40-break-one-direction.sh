# Breaking one direction of one pair breaks exactly that one path, and
# restoring it brings it back.
for pair in "a1 b1" "a2 b3" "b3 a1" "b2 a2"; do
	SCENARIO="break-one-direction $pair"
	if ! $PATHSIM break $pair; then fail "pathsim break failed"; continue; fi
	broken=$(unexpected_paths "$(reach_map)" "$pair")
	$PATHSIM restore $pair
	restored=$(unexpected_paths "$(reach_map)")
	if [ -n "$broken" ]; then fail "while broken: $(echo $broken)"
	elif [ -n "$restored" ]; then fail "after restore: $(echo $restored)"
	else pass "only ${pair/ /->} down, then back"
	fi
done
