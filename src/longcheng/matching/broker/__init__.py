"""The technology broker's desk: suggested challenge–capability pairs, accept/dismiss kept,
introductions through the notification centre, outcomes up to a technology contract."""
