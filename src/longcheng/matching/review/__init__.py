"""Expert review of proposals (through the experts module), selection, and the structured
feedback every solver that was not selected receives."""
