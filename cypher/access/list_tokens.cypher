// name: access/list_tokens
// returns: many
// The tokens by name: roles, customer binding, when made and last used; never the hash.
MATCH (t:ApiToken)
RETURN t.id AS name, t.roles AS roles, t.customer AS customer, t.created AS created, t.lastUsed AS lastUsed
ORDER BY name
