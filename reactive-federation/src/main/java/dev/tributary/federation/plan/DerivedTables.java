package dev.tributary.federation.plan;

import dev.tributary.federation.catalog.ColumnInfo;
import dev.tributary.federation.catalog.TableInfo;
import dev.tributary.federation.sql.Expr;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** The table-like view of a derived table: its output columns under unique names, and where it runs. */
final class DerivedTables {

    private static final AtomicInteger FEDERATED = new AtomicInteger();

    private DerivedTables() {
    }

    /**
     * The derived table's {@link TableInfo}: its database is the one database every table of its query lives in,
     * else a unique {@link BoundQuery.Relation#FEDERATED} name.
     */
    static TableInfo table(String name, BoundBody derived, List<BoundQuery.Relation> relations) {
        List<String> names = derived.columnNames();
        List<ColumnInfo> columns = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            String unique = n;
            for (int k = 2; !used.add(unique.toLowerCase(Locale.ROOT)); k++) {
                unique = n + "_" + k;
            }
            ColumnInfo source = sourceColumn(derived, i, relations);
            columns.add(source == null ? new ColumnInfo(unique, "unknown", Object.class)
                    : new ColumnInfo(unique, source.dataType(), source.javaType()));
        }
        String database = database(derived, relations);
        long rows = 1;
        for (int i = derived.firstRelation(); i < derived.endRelation(); i++) {
            rows = Math.max(rows, relations.get(i).table().rowEstimate());
        }
        return new TableInfo(database == null ? BoundQuery.Relation.FEDERATED + "#" + FEDERATED.incrementAndGet()
                : database, name, columns, rows, false);
    }

    /** The one database every table of this query (nested queries included) lives in, or {@code null}. */
    static @Nullable String database(BoundBody body, List<BoundQuery.Relation> relations) {
        Set<String> databases = new LinkedHashSet<>();
        for (int i = body.firstRelation(); i < body.endRelation(); i++) {
            BoundQuery.Relation r = relations.get(i);
            if (r.derived() == null) {
                databases.add(r.database());
            }
        }
        return databases.size() == 1 ? databases.iterator().next() : null;
    }

    private static @Nullable ColumnInfo sourceColumn(BoundBody body, int column, List<BoundQuery.Relation> relations) {
        if (body instanceof BoundSet s) {
            return sourceColumn(s.left(), column, relations);
        }
        Expr e = ((BoundQuery) body).outputs().get(column).expr();
        if (e instanceof Expr.Ref r) {
            return relations.get(r.relation()).table().columns().get(r.column());
        }
        return null;
    }
}
