package dev.tributary.federation.plan;

import java.util.List;

/**
 * {@code left UNION [ALL] right}, bound: both sides have the same number of columns; the names are the
 * left side's. Compared by identity.
 */
public final class BoundSet implements BoundBody {

    private final boolean all;
    private final BoundBody left;
    private final BoundBody right;

    BoundSet(boolean all, BoundBody left, BoundBody right) {
        this.all = all;
        this.left = left;
        this.right = right;
    }

    /** Whether {@code UNION ALL}. */
    public boolean all() {
        return all;
    }

    public BoundBody left() {
        return left;
    }

    public BoundBody right() {
        return right;
    }

    @Override
    public int firstRelation() {
        return left.firstRelation();
    }

    @Override
    public int endRelation() {
        return right.endRelation();
    }

    @Override
    public List<String> columnNames() {
        return left.columnNames();
    }
}
