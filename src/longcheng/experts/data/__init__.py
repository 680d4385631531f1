"""Data files of the experts package: the taxonomy of fields of expertise and the rubrics."""
