// name: access/get_token_by_hash
// returns: one
// param hash: string
MATCH (t:ApiToken {hash: $hash})
RETURN t.id AS name, t.roles AS roles, t.customer AS customer
