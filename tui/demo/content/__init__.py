"""The demo's texts: categories, tags, event and market titles with their rules, and
the headlines of the demo news. Pure functions of a seeded Random (see `common.Draws`)."""
