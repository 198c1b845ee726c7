package dev.tributary.benchmarks;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * {@code scan}: draining every order from PostgreSQL, all columns read. The raw r2dbc-pool drain is the
 * limit any reactive operator can reach (the federated join's ratio is measured against it); JDBC shows the
 * driver's own cost; Tributary's {@code Database.query} shows the wrapper's overhead.
 */
public class ScanBenchmark extends FixtureBenchmark {

    @Benchmark
    public long r2dbcPool() {
        return Check.rows("scan.r2dbcPool", Raw.rows(fx.pg, fx.sql.scan()).count().block(), fx.data.orders());
    }

    @Benchmark
    public long tributary() {
        return Check.rows("scan.tributary", fx.tributaryPg().query(fx.sql.scan()).count().block(), fx.data.orders());
    }

    @Benchmark
    public long jdbc() throws SQLException {
        long n = 0;
        try (Statement st = fx.pgJdbc().createStatement()) {
            st.setFetchSize(10_000);
            try (ResultSet rs = st.executeQuery(fx.sql.scan())) {
                while (rs.next()) {
                    rs.getObject(1);
                    rs.getObject(2);
                    rs.getObject(3);
                    rs.getObject(4);
                    n++;
                }
            }
        }
        fx.pgJdbc().commit();
        return Check.rows("scan.jdbc", n, fx.data.orders());
    }
}
