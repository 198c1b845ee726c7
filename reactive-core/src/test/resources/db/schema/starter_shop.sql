-- The tables of the schema tests: created in order, dropped in reverse (the foreign key needs it).
CREATE TABLE starter_customers (
    id INT PRIMARY KEY,
    name VARCHAR(100) NOT NULL -- a comment; with a semicolon
);
/* a block comment; with a semicolon */
CREATE TABLE IF NOT EXISTS starter_orders (
    id INT PRIMARY KEY,
    customer_id INT NOT NULL REFERENCES starter_customers (id),
    note VARCHAR(100) DEFAULT 'a, b'
);
CREATE VIEW starter_order_notes AS SELECT id, note FROM starter_orders;
INSERT INTO starter_customers (id, name) VALUES (1, 'Ada');
