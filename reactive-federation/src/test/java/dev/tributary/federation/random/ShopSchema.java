package dev.tributary.federation.random;

import java.time.LocalDate;
import java.util.List;
import java.util.Random;

/**
 * The {@code ShopFixture} tables as the generator sees them: columns with a type, nullability and a domain of
 * literals that hit the data, and the equi-join edges that mean something (foreign key to key).
 */
final class ShopSchema {

    /** The value type of a column or expression, as far as the generator needs to know. */
    enum Type {
        INT, DEC, STR, DATE;

        boolean numeric() {
            return this == INT || this == DEC;
        }
    }

    /** Literals of one column: SQL text of a value, and LIKE patterns for strings. */
    interface Domain {
        String literal(Random r);

        default String pattern(Random r) {
            return literal(r);
        }
    }

    record Column(String name, Type type, boolean nullable, Domain domain) {
    }

    record Table(String name, String letter, List<Column> columns) {
        Column column(String column) {
            return columns.stream().filter(c -> c.name().equals(column)).findFirst().orElseThrow();
        }
    }

    /** {@code left.leftColumn = right.rightColumn}. */
    record Edge(String left, String leftColumn, String right, String rightColumn) {
        boolean touches(String table) {
            return left.equals(table) || right.equals(table);
        }

        String other(String table) {
            return left.equals(table) ? right : left;
        }

        String columnOf(String table) {
            return left.equals(table) ? leftColumn : rightColumn;
        }
    }

    static final Table CUSTOMERS = new Table("customers", "c", List.of(
            new Column("id", Type.INT, false, ints(1, 440)),
            new Column("name", Type.STR, false, strings(new String[] {"Customer 1", "Customer 17", "Customer 99", "Customer 150"},
                    new String[] {"Customer 1%", "%7", "Customer _", "%er 4_", "Customer 1__"})),
            new Column("country", Type.STR, true, strings(new String[] {"DE", "FR", "IT", "NL", "SE", "ZZ", "US", "JP"},
                    new String[] {"D%", "%E", "_T", "N_"})),
            new Column("segment", Type.STR, true, strings(new String[] {"retail", "smb", "enterprise"},
                    new String[] {"%e%", "s%", "_mb", "ret%"})),
            new Column("credit", Type.DEC, true, decimals(0, 99_999, 2))));
    static final Table COUNTRIES = new Table("countries", "k", List.of(
            new Column("code", Type.STR, false, strings(new String[] {"DE", "FR", "SE", "US", "BR", "JP", "NZ"},
                    new String[] {"D%", "%E", "_T", "N_"})),
            new Column("name", Type.STR, false, strings(new String[] {"Country DE", "Country NO", "Country US"},
                    new String[] {"Country _E", "%N%", "Country %"})),
            new Column("region", Type.STR, true, strings(new String[] {"EU", "Nordics", "NA", "SA", "APAC"},
                    new String[] {"%A%", "N%", "E_"}))));
    static final Table ORDERS = new Table("orders", "o", List.of(
            new Column("id", Type.INT, false, ints(1, 1550)),
            new Column("customer_id", Type.INT, true, ints(1, 440)),
            new Column("amount", Type.DEC, false, decimals(100, 99_999, 2)),
            new Column("status", Type.STR, false, strings(new String[] {"open", "paid", "shipped", "cancelled"},
                    new String[] {"%e%", "p%", "_aid", "%ed"})),
            new Column("priority", Type.INT, true, ints(0, 4))));
    static final Table ORDER_LINES = new Table("order_lines", "l", List.of(
            new Column("order_id", Type.INT, false, ints(1, 1550)),
            new Column("line_no", Type.INT, false, ints(1, 3)),
            new Column("product_id", Type.INT, true, ints(1, 135)),
            new Column("qty", Type.INT, false, ints(1, 9)),
            new Column("price", Type.DEC, true, decimals(50, 5049, 2))));
    static final Table PRODUCTS = new Table("products", "p", List.of(
            new Column("id", Type.DEC, false, ints(1, 125)),
            new Column("name", Type.STR, false, strings(new String[] {"Product 1", "Product 42", "Product 99"},
                    new String[] {"Product 1%", "%5", "Product _"})),
            new Column("category", Type.STR, true, strings(new String[] {"tools", "garden", "kitchen", "toys"},
                    new String[] {"t%", "%en", "_oys"})),
            new Column("price", Type.DEC, false, decimals(99, 20_098, 2)),
            new Column("stock", Type.INT, true, ints(0, 499))));
    static final Table SHIPMENTS = new Table("shipments", "s", List.of(
            new Column("id", Type.INT, false, ints(1, 900)),
            new Column("order_id", Type.INT, true, ints(1, 1550)),
            new Column("shipped_on", Type.DATE, true, dates()),
            new Column("carrier", Type.STR, true, strings(new String[] {"dhl", "ups", "fedex", "post"},
                    new String[] {"%x", "d%", "_ps", "%o%"})),
            new Column("weight", Type.DEC, true, decimals(1, 50_000, 3))));

    static final List<Table> TABLES = List.of(CUSTOMERS, COUNTRIES, ORDERS, ORDER_LINES, PRODUCTS, SHIPMENTS);

    static final List<Edge> EDGES = List.of(
            new Edge("customers", "country", "countries", "code"),
            new Edge("orders", "customer_id", "customers", "id"),
            new Edge("order_lines", "order_id", "orders", "id"),
            new Edge("order_lines", "product_id", "products", "id"),
            new Edge("shipments", "order_id", "orders", "id"));

    private ShopSchema() {
    }

    static Table table(String name) {
        return TABLES.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    static Domain ints(int min, int max) {
        return r -> Integer.toString(min + r.nextInt(max - min + 1));
    }

    static Domain decimals(int minUnscaled, int maxUnscaled, int scale) {
        return r -> java.math.BigDecimal.valueOf(minUnscaled + r.nextInt(maxUnscaled - minUnscaled + 1), scale)
                .toPlainString();
    }

    static Domain strings(String[] values, String[] patterns) {
        return new Domain() {
            @Override
            public String literal(Random r) {
                return "'" + values[r.nextInt(values.length)] + "'";
            }

            @Override
            public String pattern(Random r) {
                return "'" + patterns[r.nextInt(patterns.length)] + "'";
            }
        };
    }

    static Domain dates() {
        LocalDate first = LocalDate.of(2022, 12, 1);
        return r -> "DATE '" + first.plusDays(r.nextInt(4 * 365 + 60)) + "'";
    }
}
