// name: finance/service_capacity
// returns: many
// description: Every service that states a capacity (units a month), for demand management.
// columns: service, capacity
MATCH (s:Service)
WHERE s.capacity IS NOT NULL
RETURN s.id AS service, s.capacity AS capacity
