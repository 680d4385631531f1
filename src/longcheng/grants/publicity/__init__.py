"""公示 with objections: the public list of proposed awards (no login), objections with contact
details, recorded replies; an unresolved objection blocks the decision and so the payment."""
