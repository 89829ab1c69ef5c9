"""Finding things on the map: the search box (parcels, bundled place names, typed
positions), the go-to-position dialog and the marker left where a search went."""
