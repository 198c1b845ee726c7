CREATE TABLE starter_app_items (id INT PRIMARY KEY, name VARCHAR(100));
INSERT INTO starter_app_items (id, name) VALUES (1, 'migrated at startup');
