package dev.tributary.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.apache.calcite.adapter.jdbc.JdbcSchema;
import org.apache.calcite.jdbc.CalciteConnection;
import org.apache.calcite.schema.SchemaPlus;

/**
 * Apache Calcite as the federated peer: one Calcite JDBC connection whose root schema holds a
 * {@link JdbcSchema} per database ({@code pg}, {@code h2}, {@code refdata}); Calcite pushes filters and
 * projections into each and joins in its enumerable engine. Names are matched case-insensitively (H2 stores
 * them in upper case, PostgreSQL in lower case).
 */
final class Calcite {

    private Calcite() {
    }

    static Connection connect(DataSet d) throws SQLException {
        Properties info = new Properties();
        info.setProperty("lex", "JAVA");
        info.setProperty("caseSensitive", "false");
        Connection connection = DriverManager.getConnection("jdbc:calcite:", info);
        SchemaPlus root = connection.unwrap(CalciteConnection.class).getRootSchema();
        root.add(Queries.PG, JdbcSchema.create(root, Queries.PG, Env.pgDataSource(), null, "public"));
        root.add(Queries.H2, JdbcSchema.create(root, Queries.H2, Env.h2DataSource(d.h2Name()), null, "PUBLIC"));
        root.add(Queries.REF, JdbcSchema.create(root, Queries.REF, Env.h2DataSource(d.refName()), null, "PUBLIC"));
        return connection;
    }

    /** Runs {@code sql}, reads every column of every row, and returns the number of rows. */
    static long drain(Connection calcite, String sql) throws SQLException {
        try (Statement st = calcite.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            long n = 0;
            while (rs.next()) {
                for (int i = 1; i <= columns; i++) {
                    rs.getObject(i);
                }
                n++;
            }
            return n;
        }
    }
}
