"""Matching: 揭榜挂帅 challenges, capabilities and 产学研 matchmaking."""
