"""Pages of the CRM: thin adapters over crm.services and crm.queries."""
