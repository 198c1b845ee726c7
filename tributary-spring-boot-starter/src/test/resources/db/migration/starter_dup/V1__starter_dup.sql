CREATE TABLE starter_dup (id INT);
