"""Import of the observatory's own data: read, validate against the contracts, publish."""
