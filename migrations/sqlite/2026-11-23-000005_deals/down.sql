DROP TABLE deal_stage_changes;
DROP TABLE deals;
DROP TABLE pipeline_stages;
DROP TABLE pipelines;
