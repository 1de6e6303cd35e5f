-- Settings of this installation that must survive restarts (e.g. a generated JWT secret).
CREATE TABLE instance_settings (
    key TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    value TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
