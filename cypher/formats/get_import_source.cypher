// name: formats/get_import_source
// returns: many
// description: The ids of the services an outside source (a Backstage catalog, say) has imported so far.
// param source: string
MATCH (m:ImportSource {id: $source})
RETURN m.ids AS ids
