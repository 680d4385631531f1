"""揭榜挂帅 challenges: publish with two confidentiality tiers, the logged click-through
agreement that opens the details, and solvers' proposals before the deadline."""
