// name: formats/set_import_source
// returns: write
// description: Remember which services an outside source has imported, so a later sync can tell which are gone.
// param source: string
// param ids: list<string>
MERGE (m:ImportSource {id: $source})
SET m.ids = $ids
