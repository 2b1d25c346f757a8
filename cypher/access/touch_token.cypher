// name: access/touch_token
// returns: write
// param name: string
// param now: string
MATCH (t:ApiToken {id: $name})
SET t.lastUsed = $now
