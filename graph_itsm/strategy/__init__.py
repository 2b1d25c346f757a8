"""Strategy management for IT services: strategic objectives, investment categories and the strategy view."""
