-- Cost to serve (customer profitability): what each interaction type and each complaint
-- costs the business, in minor units of the reporting currency, as a JSON object
-- {"interaction_costs": {"call": 800, ...}, "complaint_cost": 2500}.
ALTER TABLE workspace_value_settings ADD COLUMN cost_to_serve TEXT NOT NULL DEFAULT '{}';
