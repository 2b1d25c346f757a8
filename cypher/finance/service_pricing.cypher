// name: finance/service_pricing
// returns: many
// columns: service, model, markup, price
MATCH (s:Service)
WHERE s.pricingModel IS NOT NULL
RETURN s.id AS service, s.pricingModel AS model, s.pricingMarkup AS markup, s.pricingPrice AS price
