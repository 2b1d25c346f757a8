"""Access control: who is asking (API tokens, OIDC JWTs, anonymous), what each role may (the one policy), and
the guards that enforce it on every GraphQL field and HTTP request (Host, body size, query cost)."""
