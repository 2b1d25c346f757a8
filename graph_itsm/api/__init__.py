"""The GraphQL API: Strawberry schema root, request context, extensions and the Starlette app."""
