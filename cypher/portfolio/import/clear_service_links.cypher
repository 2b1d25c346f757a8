// name: portfolio/import/clear_service_links
// returns: write
// description: The document is authoritative for the dependencies, outcomes and objectives of the services it lists.
// param ids: list<string>
// param audit: string
MATCH (:AuditEntry {id: $audit})
UNWIND $ids AS id
MATCH (s:Service {id: id})-[r:DEPENDS_ON|ENABLES|SERVES]->()
DELETE r
