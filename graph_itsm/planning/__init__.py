"""Annual planning: next year's cost and demand per service from the recorded trend, and demand what-ifs."""
