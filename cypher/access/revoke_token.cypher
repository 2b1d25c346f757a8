// name: access/revoke_token
// returns: many
// param name: string
MATCH (t:ApiToken {id: $name})
WITH t, t.id AS name
DETACH DELETE t
RETURN name
