"""Business relationship management (spec/domain.md): complaints, satisfaction surveys, relationship managers and
the customer view."""
