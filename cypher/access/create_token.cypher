// name: access/create_token
// returns: scalar
// description: Make an API token unless one of that name exists: true when this call made it. Only the
//   token's sha256 is stored; the token itself is never written anywhere.
// param name: string
// param hash: string
// param roles: list<string>
// param customer: string?
// param created: string
MERGE (t:ApiToken {id: $name})
ON CREATE SET t.hash = $hash, t.roles = $roles, t.customer = $customer, t.created = $created
RETURN t.hash = $hash AS created
