"""Pure engines of grants (plain data in and out): the bank return file, form fields as data."""
