"""The office's own maps under the grades: adding, showing, labelling and removing
reference layers, kept in the project (:mod:`zones.reference_layers`)."""
