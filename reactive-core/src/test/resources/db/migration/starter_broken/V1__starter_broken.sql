CREATE TABLE starter_broken (id INT PRIMARY KEY);
CREATE TABLE starter_broken (id INT PRIMARY KEY);
