INSERT INTO starter_mig_items (id, name) VALUES (1, 'one');
INSERT INTO starter_mig_items (id, name) VALUES (2, 'two; with a semicolon');
