"""先建后补 acceptance (验收): evidence, inspection, release of the award."""
